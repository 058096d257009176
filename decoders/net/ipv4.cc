// IPv4 header (RFC 791): validates version, IHL, total length and the option
// list's framing; trims Ethernet padding off the payload.
#include <algorithm>

#include "decoders/common/byte_reader.h"
#include "decoders/net/layer_offsets.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

constexpr std::size_t kIpv4MinHeaderBytes = 20;
constexpr std::uint16_t kMoreFragments = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;

// RFC 791 §3.1: EOL (0) ends the list, NOP (1) is one byte, every other
// option is type, length (counting both), data.
bool options_well_formed(std::span<const std::uint8_t> options) noexcept {
  decoders::ByteReader r(options);
  while (const auto type = r.be8()) {
    if (*type == 0) return true;  // the rest is padding
    if (*type == 1) continue;
    const auto len = r.be8();
    if (!len || *len < 2 || !r.skip(*len - 2u)) return false;
  }
  return true;
}

}  // namespace

DecodeError decode_ipv4(std::span<const std::uint8_t> l3, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l3.size() < kIpv4MinHeaderBytes) return DecodeError::kIpv4Truncated;
  const std::uint8_t* p = l3.data();
  if ((p[0] >> 4) != 4) return DecodeError::kIpv4BadVersion;

  // The fixed header is readable: fill in what attributes the packet before
  // the length checks, so an error is still counted against its addresses.
  out.l3 = L3::kIpv4;
  out.ttl = p[8];
  out.ip_proto = p[9];
  std::copy_n(p + 12, 4, out.src_ip.bytes.begin());
  std::copy_n(p + 16, 4, out.dst_ip.bytes.begin());
  const std::uint16_t fragment = decoders::load_be16(p + 6);
  out.is_fragment = (fragment & (kMoreFragments | kFragmentOffsetMask)) != 0;
  out.is_later_fragment = (fragment & kFragmentOffsetMask) != 0;

  const std::size_t header_len = static_cast<std::size_t>(p[0] & 0x0f) * 4;
  if (header_len < kIpv4MinHeaderBytes) return DecodeError::kIpv4BadHeaderLength;
  if (header_len > l3.size()) return DecodeError::kIpv4Truncated;
  // A total length shorter than the frame is Ethernet padding (60-byte
  // minimum frames): trimmed, not an error. Longer means bytes are missing.
  const std::size_t total_len = decoders::load_be16(p + 2);
  if (total_len < header_len || total_len > l3.size()) return DecodeError::kIpv4BadTotalLength;

  out.l4_offset = static_cast<std::uint16_t>(base_offset + header_len);
  detail::set_payload(out, base_offset + header_len, total_len - header_len);
  if (header_len > kIpv4MinHeaderBytes &&
      !options_well_formed(l3.subspan(kIpv4MinHeaderBytes, header_len - kIpv4MinHeaderBytes))) {
    return DecodeError::kIpv4BadOptions;
  }
  return DecodeError::kNone;
}

}  // namespace segward::net
