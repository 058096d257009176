#pragma once
// The flow table's key: a 5-tuple plus the outer VLAN, stored in canonical
// order (lower address/port first) so both directions of a connection find
// the same entry.
#include <array>
#include <bit>
#include <cstddef>
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
static_assert(offsetof(FlowKey, port_lo) == 32 && offsetof(FlowKey, port_hi) == 34 && offsetof(FlowKey, vlan) == 36 &&
              offsetof(FlowKey, proto) == 38 && offsetof(FlowKey, v6) == 39);
static_assert(std::endian::native == std::endian::little, "make_flow_key packs the last key word little-endian");

// Fills `key` from decoded layers. Returns true when the packet travels from
// the high endpoint to the low one (the key's "reverse" direction).
//
// The decoder has just written `p` and the hash reads `key` right after, so
// every load here matches one store in width (an IPv4 address is read as the
// 4 bytes the decoder stored, the key is written as whole 64-bit words): a
// load that spans several in-flight stores cannot be forwarded from them and
// stalls until they reach the cache, which cost more than the decoding itself.
inline bool make_flow_key(const net::PacketLayers& p, FlowKey& key) {
  std::uint16_t sport = p.src_port;
  std::uint16_t dport = p.dst_port;
  if (p.l4 == net::L4::kIcmp || p.l4 == net::L4::kIcmpv6) {
    // ICMP has no ports; type/code would split request and reply, so use none.
    sport = dport = 0;
  }
  // Any total order makes the key symmetric; native words compare cheaper
  // than memcmp's lexicographic order.
  std::uint64_t s[2] = {0, 0}, d[2] = {0, 0};
  const bool v6 = p.src_ip.v6;
  if (v6) {
    std::memcpy(s, p.src_ip.bytes.data(), 16);
    std::memcpy(d, p.dst_ip.bytes.data(), 16);
  } else {
    std::uint32_t s4, d4;
    std::memcpy(&s4, p.src_ip.bytes.data(), 4);
    std::memcpy(&d4, p.dst_ip.bytes.data(), 4);
    s[0] = s4;
    d[0] = d4;
  }
  const bool reverse = s[0] != d[0]   ? s[0] > d[0]
                       : s[1] != d[1] ? s[1] > d[1]
                                      : sport > dport;
  const std::uint64_t* lo = reverse ? d : s;
  const std::uint64_t* hi = reverse ? s : d;
  const std::uint16_t vlan = p.vlan_count > 0 ? p.vlan_ids[0] : 0;
  const std::uint64_t words[5] = {
      lo[0], lo[1], hi[0], hi[1],
      // port_lo, port_hi, vlan, proto, v6 in FlowKey's layout (little-endian)
      static_cast<std::uint64_t>(reverse ? dport : sport) | static_cast<std::uint64_t>(reverse ? sport : dport) << 16 |
          static_cast<std::uint64_t>(vlan) << 32 | static_cast<std::uint64_t>(p.ip_proto) << 48 |
          static_cast<std::uint64_t>(v6 ? 1 : 0) << 56};
  std::memcpy(&key, words, sizeof key);
  return reverse;
}

}  // namespace segward::dataplane
