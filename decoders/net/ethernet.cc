// Ethernet II header and up to two VLAN tags (802.1Q, 802.1ad QinQ).
#include <algorithm>

#include "decoders/common/byte_reader.h"
#include "decoders/net/layer_offsets.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

constexpr std::size_t kEthernetHeaderBytes = 14;
constexpr std::size_t kVlanTagBytes = 4;

constexpr bool is_vlan_tpid(std::uint16_t type) noexcept {
  return type == ether_type::kVlan || type == ether_type::kQinQ || type == ether_type::kQinQLegacy;
}

}  // namespace

DecodeError decode_ethernet(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept {
  if (frame.size() < kEthernetHeaderBytes) return DecodeError::kEthTruncated;
  const std::uint8_t* p = frame.data();
  std::copy_n(p, 6, out.dst_mac.begin());
  std::copy_n(p + 6, 6, out.src_mac.begin());
  std::uint16_t type = decoders::load_be16(p + 12);
  std::size_t offset = kEthernetHeaderBytes;

  // Any TPID is accepted at either position: vendors stack 0x8100 outside as
  // well as 0x88a8/0x9100. A tag is TPID (already read) + TCI + next type.
  while (is_vlan_tpid(type)) {
    if (out.vlan_count == kMaxVlanTags) return DecodeError::kVlanTooMany;
    if (kVlanTagBytes > frame.size() - offset) return DecodeError::kVlanTruncated;
    out.vlan_ids[out.vlan_count++] = decoders::load_be16(p + offset) & 0x0fff;
    type = decoders::load_be16(p + offset + 2);
    offset += kVlanTagBytes;
  }

  // Values below 0x0600 are 802.3 lengths (LLC: STP, CDP); they decode as
  // L3::kOther with that value in ether_type.
  out.ether_type = type;
  out.l3_offset = static_cast<std::uint16_t>(offset);
  detail::set_payload(out, offset, frame.size() - offset);
  return DecodeError::kNone;
}

}  // namespace segward::net
