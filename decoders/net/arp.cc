// ARP (RFC 826) for Ethernet/IPv4, the only form on an Ethernet IPv4 segment.
#include <algorithm>

#include "decoders/common/byte_reader.h"
#include "decoders/net/layer_offsets.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {
constexpr std::size_t kArpBytes = 28;  // 8 fixed + 2 * (6 + 4)
}  // namespace

DecodeError decode_arp(std::span<const std::uint8_t> l3, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l3.size() < kArpBytes) return DecodeError::kArpTruncated;
  const std::uint8_t* p = l3.data();
  out.l3 = L3::kArp;
  out.arp.op = decoders::load_be16(p + 6);
  // The hardware type is not checked: IEEE 802 (6) and Ethernet (1) share
  // the layout. The address lengths decide where every later field sits.
  if (decoders::load_be16(p + 2) != ether_type::kIpv4 || p[4] != 6 || p[5] != 4) {
    return DecodeError::kArpBadFormat;
  }
  std::copy_n(p + 8, 6, out.arp.sender_mac.begin());
  std::copy_n(p + 14, 4, out.arp.sender_ip.begin());
  std::copy_n(p + 18, 6, out.arp.target_mac.begin());
  std::copy_n(p + 24, 4, out.arp.target_ip.begin());
  // Bytes after the ARP body are Ethernet padding, not payload.
  detail::set_payload(out, base_offset + kArpBytes, 0);
  return DecodeError::kNone;
}

}  // namespace segward::net
