// IPv6 header (RFC 8200) and a bounded walk of its extension headers.
#include <algorithm>

#include "decoders/common/byte_reader.h"
#include "decoders/net/layer_offsets.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

constexpr std::size_t kIpv6HeaderBytes = 40;
constexpr std::size_t kFragmentHeaderBytes = 8;

constexpr bool is_extension_header(std::uint8_t next) noexcept {
  return next == ip_proto::kHopByHop || next == ip_proto::kRouting || next == ip_proto::kFragment ||
         next == ip_proto::kDestOptions || next == ip_proto::kAh;
}

// Length of the extension header starting at `h` (two bytes are readable).
// RFC 8200 §4.3-4.6: 8-octet units not counting the first 8; the fragment
// header has a fixed 8 bytes; AH (RFC 4302 §2.2) counts 4-octet units minus 2.
constexpr std::size_t extension_header_bytes(std::uint8_t type, const std::uint8_t* h) noexcept {
  if (type == ip_proto::kFragment) return kFragmentHeaderBytes;
  if (type == ip_proto::kAh) return (static_cast<std::size_t>(h[1]) + 2) * 4;
  return (static_cast<std::size_t>(h[1]) + 1) * 8;
}

}  // namespace

DecodeError decode_ipv6(std::span<const std::uint8_t> l3, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l3.size() < kIpv6HeaderBytes) return DecodeError::kIpv6Truncated;
  const std::uint8_t* p = l3.data();
  if ((p[0] >> 4) != 6) return DecodeError::kIpv6BadVersion;

  out.l3 = L3::kIpv6;
  out.ttl = p[7];
  std::uint8_t next = p[6];
  out.ip_proto = next;
  std::copy_n(p + 8, 16, out.src_ip.bytes.begin());
  std::copy_n(p + 24, 16, out.dst_ip.bytes.begin());
  out.src_ip.v6 = out.dst_ip.v6 = true;

  // Jumbograms (payload length 0 with a hop-by-hop jumbo option) cannot
  // arrive on Ethernet; a zero length is an empty payload.
  const std::size_t payload_len = decoders::load_be16(p + 4);
  if (payload_len > l3.size() - kIpv6HeaderBytes) return DecodeError::kIpv6BadPayloadLength;
  const std::span<const std::uint8_t> payload = l3.subspan(kIpv6HeaderBytes, payload_len);

  std::size_t offset = 0;  // into payload
  for (std::size_t count = 0; is_extension_header(next); ++count) {
    if (count == kMaxIpv6ExtHeaders) return DecodeError::kIpv6TooManyExt;
    if (2 > payload.size() - offset) return DecodeError::kIpv6ExtTruncated;
    const std::uint8_t* h = payload.data() + offset;
    const std::size_t len = extension_header_bytes(next, h);
    if (len > payload.size() - offset) return DecodeError::kIpv6ExtTruncated;
    if (next == ip_proto::kFragment) {
      out.is_fragment = true;
      out.is_later_fragment = (decoders::load_be16(h + 2) >> 3) != 0;
    }
    next = h[0];
    out.ip_proto = next;
    offset += len;
    // In a later fragment the bytes after the fragment header are the middle
    // of the original payload, not a header.
    if (out.is_later_fragment) break;
  }

  out.l4_offset = static_cast<std::uint16_t>(base_offset + kIpv6HeaderBytes + offset);
  detail::set_payload(out, base_offset + kIpv6HeaderBytes + offset, payload.size() - offset);
  return DecodeError::kNone;
}

}  // namespace segward::net
