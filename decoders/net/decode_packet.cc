// decode_packet: the common case in one pass, anything else layer by layer
// (Ethernet -> L3 -> L4, each layer naming the next).
#include "decoders/net/decode_common_case.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {

DecodeError decode_packet(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept {
  return decode_packet_inline(frame, out);
}

DecodeError decode_packet_layered(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept {
  detail::reset(out);
  if (frame.size() > kMaxFrameBytes) frame = frame.first(kMaxFrameBytes);

  DecodeError err = decode_ethernet(frame, out);
  if (err != DecodeError::kNone) return err;

  const std::size_t l3_offset = out.l3_offset;
  const std::span<const std::uint8_t> l3 = frame.subspan(l3_offset);
  switch (out.ether_type) {
    case ether_type::kIpv4: err = decode_ipv4(l3, out, l3_offset); break;
    case ether_type::kIpv6: err = decode_ipv6(l3, out, l3_offset); break;
    case ether_type::kArp: return decode_arp(l3, out, l3_offset);
    default:
      out.l3 = L3::kOther;  // LLDP, MPLS, 802.3 LLC, ...: counted, not refused
      return DecodeError::kNone;
  }
  // A later fragment carries the middle of a datagram, no L4 header.
  if (err != DecodeError::kNone || out.is_later_fragment) return err;

  const std::size_t l4_offset = out.payload_offset;
  return decode_l4(frame.subspan(l4_offset, out.payload_len), out, l4_offset);
}

}  // namespace segward::net
