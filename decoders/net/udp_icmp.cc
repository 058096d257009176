// UDP (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443), and the L4 dispatch.
#include "decoders/common/byte_reader.h"
#include "decoders/net/layer_offsets.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

constexpr std::size_t kUdpHeaderBytes = 8;
// Every ICMP message, and every ICMPv6 message in use, starts with type,
// code, checksum and four type-specific bytes (echo id/seq, MTU, pointer).
constexpr std::size_t kIcmpHeaderBytes = 8;

void set_icmp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset, L4 kind) noexcept {
  out.l4 = kind;
  out.l4_offset = static_cast<std::uint16_t>(base_offset);
  out.icmp_type = l4[0];
  out.icmp_code = l4[1];
  detail::set_payload(out, base_offset + kIcmpHeaderBytes, l4.size() - kIcmpHeaderBytes);
}

}  // namespace

DecodeError decode_udp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l4.size() < kUdpHeaderBytes) return DecodeError::kUdpTruncated;
  const std::uint8_t* p = l4.data();
  out.l4 = L4::kUdp;
  out.l4_offset = static_cast<std::uint16_t>(base_offset);
  out.src_port = decoders::load_be16(p);
  out.dst_port = decoders::load_be16(p + 2);
  // A UDP length below the IP payload leaves trailing bytes that are not
  // payload; above it, bytes are missing, unless this is the first fragment
  // of a datagram whose length counts the fragments still to come.
  std::size_t len = decoders::load_be16(p + 4);
  if (len < kUdpHeaderBytes) return DecodeError::kUdpBadLength;
  if (len > l4.size()) {
    if (!out.is_fragment) return DecodeError::kUdpBadLength;
    len = l4.size();
  }
  detail::set_payload(out, base_offset + kUdpHeaderBytes, len - kUdpHeaderBytes);
  return DecodeError::kNone;
}

DecodeError decode_icmp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l4.size() < kIcmpHeaderBytes) return DecodeError::kIcmpTruncated;
  set_icmp(l4, out, base_offset, L4::kIcmp);
  return DecodeError::kNone;
}

DecodeError decode_icmpv6(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l4.size() < kIcmpHeaderBytes) return DecodeError::kIcmpv6Truncated;
  set_icmp(l4, out, base_offset, L4::kIcmpv6);
  return DecodeError::kNone;
}

DecodeError decode_l4(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept {
  switch (out.ip_proto) {
    case ip_proto::kTcp: return decode_tcp(l4, out, base_offset);
    case ip_proto::kUdp: return decode_udp(l4, out, base_offset);
    case ip_proto::kIcmp: return decode_icmp(l4, out, base_offset);
    case ip_proto::kIcmpv6: return decode_icmpv6(l4, out, base_offset);
    default:
      // ESP, GRE, SCTP, no-next-header, ...: no ports; the payload stays the
      // IP payload.
      out.l4 = L4::kOther;
      out.l4_offset = static_cast<std::uint16_t>(base_offset);
      return DecodeError::kNone;
  }
}

}  // namespace segward::net
