#pragma once
// The flow table's key: a 5-tuple plus the outer VLAN, stored in canonical
// order (lower address/port first) so both directions of a connection find
// the same entry.
#include <array>
#include <cstdint>
#include <cstring>

#include "decoders/net/packet_layers.h"

namespace segward::dataplane {

struct FlowKey {
  std::array<std::uint8_t, 16> addr_lo{};
  std::array<std::uint8_t, 16> addr_hi{};
  std::uint16_t port_lo = 0;
  std::uint16_t port_hi = 0;
  std::uint16_t vlan = 0;
  std::uint8_t proto = 0;
  std::uint8_t v6 = 0;
};
static_assert(sizeof(FlowKey) == 40, "FlowKey is hashed as raw bytes: no padding allowed");

// Fills `key` from decoded layers. Returns true when the packet travels from
// the high endpoint to the low one (the key's "reverse" direction).
inline bool make_flow_key(const net::PacketLayers& p, FlowKey& key) {
  std::uint16_t sport = p.src_port;
  std::uint16_t dport = p.dst_port;
  if (p.l4 == net::L4::kIcmp || p.l4 == net::L4::kIcmpv6) {
    // ICMP has no ports; type/code would split request and reply, so use none.
    sport = dport = 0;
  }
  // Any total order makes the key symmetric; comparing the addresses as two
  // native 64-bit words is cheaper than memcmp's lexicographic order.
  std::uint64_t s[2], d[2];
  std::memcpy(s, p.src_ip.bytes.data(), 16);
  std::memcpy(d, p.dst_ip.bytes.data(), 16);
  const bool reverse = s[0] != d[0]   ? s[0] > d[0]
                       : s[1] != d[1] ? s[1] > d[1]
                                      : sport > dport;
  const auto& lo = reverse ? p.dst_ip : p.src_ip;
  const auto& hi = reverse ? p.src_ip : p.dst_ip;
  key.addr_lo = lo.bytes;
  key.addr_hi = hi.bytes;
  key.port_lo = reverse ? dport : sport;
  key.port_hi = reverse ? sport : dport;
  key.vlan = p.vlan_count > 0 ? p.vlan_ids[0] : 0;
  key.proto = p.ip_proto;
  key.v6 = p.src_ip.v6 ? 1 : 0;
  return reverse;
}

}  // namespace segward::dataplane
