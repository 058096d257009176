#pragma once
// The flow table's key: a 5-tuple plus the outer VLAN, stored in canonical
// order (lower address/port first) so both directions of a connection find
// the same entry.
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE4_2__)
#include <nmmintrin.h>
#else
#include <rte_hash_crc.h>
#endif

#include "decoders/net/decode_common_case.h"
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

// The flow table's hash of a key: CRC32-C over its 64-bit words (an IPv6
// key's five, an IPv4 key's three that are not always zero).
inline std::uint32_t flow_hash_words(const std::uint64_t (&w)[5]) {
#if defined(__SSE4_2__)
  std::uint64_t h = _mm_crc32_u64(0xffffffffu, w[0]);
  h = _mm_crc32_u64(h, w[1]);
  h = _mm_crc32_u64(h, w[2]);
  h = _mm_crc32_u64(h, w[3]);
  h = _mm_crc32_u64(h, w[4]);
  return static_cast<std::uint32_t>(h);
#else
  std::uint32_t h = 0xffffffffu;
  for (std::uint64_t word : w) h = rte_hash_crc_8byte(word, h);
  return h;
#endif
}

// An IPv4 key's words 1 and 3 (the upper address bytes) are always zero:
// its hash takes the other three.
inline std::uint32_t flow_hash_v4_words(std::uint64_t w0, std::uint64_t w2, std::uint64_t w4) {
#if defined(__SSE4_2__)
  std::uint64_t h = _mm_crc32_u64(0xffffffffu, w0);
  h = _mm_crc32_u64(h, w2);
  h = _mm_crc32_u64(h, w4);
  return static_cast<std::uint32_t>(h);
#else
  return rte_hash_crc_8byte(w4, rte_hash_crc_8byte(w2, rte_hash_crc_8byte(w0, 0xffffffffu)));
#endif
}

inline std::uint32_t flow_hash(const FlowKey& key) {
  std::uint64_t w[5];
  std::memcpy(w, &key, sizeof w);
  return key.v6 != 0 ? flow_hash_words(w) : flow_hash_v4_words(w[0], w[2], w[4]);
}

namespace detail {

// vlan, proto, v6 in FlowKey's layout (little-endian), above the ports.
inline std::uint64_t flow_key_tail(std::uint16_t vlan, std::uint8_t proto, bool v6) {
  return static_cast<std::uint64_t>(vlan) << 32 | static_cast<std::uint64_t>(proto) << 48 |
         static_cast<std::uint64_t>(v6 ? 1 : 0) << 56;
}

// The key's last word: the tail, then port_lo and port_hi. `ports`: the
// packet's source port in the high half, its destination port in the low
// (the frame's four port bytes read big-endian).
inline std::uint64_t flow_key_ports(bool reverse, std::uint32_t ports, std::uint64_t tail) {
  return tail | (reverse ? ports : std::rotl(ports, 16));
}

// The key and hash of an IPv4 flow from its addresses' words as the frame
// holds them (network byte order, loaded natively) and `ports` as above.
// Any total order makes the key symmetric; native words compare cheaper
// than memcmp's lexicographic order.
inline bool make_flow_key_v4(std::uint32_t s4, std::uint32_t d4, std::uint32_t ports, std::uint64_t tail,
                             FlowKey& key, std::uint32_t& hash) {
  // Equal addresses: the higher source port is the reverse direction
  // (ports > rotl(ports, 16) exactly when source > destination).
  const bool reverse = s4 != d4 ? s4 > d4 : ports > std::rotl(ports, 16);
  const std::uint64_t lo = reverse ? d4 : s4;
  const std::uint64_t hi = reverse ? s4 : d4;
  const std::uint64_t last = flow_key_ports(reverse, ports, tail);
  // Word by word into the key: a local array copied in would go through the stack.
  auto* out = reinterpret_cast<unsigned char*>(&key);
  const std::uint64_t zero = 0;
  std::memcpy(out, &lo, 8);
  std::memcpy(out + 8, &zero, 8);
  std::memcpy(out + 16, &hi, 8);
  std::memcpy(out + 24, &zero, 8);
  std::memcpy(out + 32, &last, 8);
  hash = flow_hash_v4_words(lo, hi, last);
  return reverse;
}

}  // namespace detail

// Fills `key` from decoded layers, and `hash` with flow_hash(key). Returns
// true when the packet travels from the high endpoint to the low one (the
// key's "reverse" direction).
//
// The decoder has just written `p` and the hash reads `key` right after, so
// every load here matches one store in width (an IPv4 address is read as the
// 4 bytes the decoder stored, the key is written as whole 64-bit words): a
// load that spans several in-flight stores cannot be forwarded from them and
// stalls until they reach the cache, which cost more than the decoding itself.
inline bool make_flow_key(const net::PacketLayers& p, FlowKey& key, std::uint32_t& hash) {
  // ICMP has no ports; type/code would split request and reply, so use none.
  const bool no_ports = p.l4 == net::L4::kIcmp || p.l4 == net::L4::kIcmpv6;
  const std::uint32_t sport = no_ports ? 0 : p.src_port;
  const std::uint32_t dport = no_ports ? 0 : p.dst_port;
  const std::uint16_t vlan = p.vlan_count > 0 ? p.vlan_ids[0] : 0;
  const std::uint64_t tail = detail::flow_key_tail(vlan, p.ip_proto, p.src_ip.v6);
  if (!p.src_ip.v6) {
    std::uint32_t s4, d4;
    std::memcpy(&s4, p.src_ip.bytes.data(), 4);
    std::memcpy(&d4, p.dst_ip.bytes.data(), 4);
    return detail::make_flow_key_v4(s4, d4, sport << 16 | dport, tail, key, hash);
  }
  std::uint64_t s[2], d[2];
  std::memcpy(s, p.src_ip.bytes.data(), 16);
  std::memcpy(d, p.dst_ip.bytes.data(), 16);
  const bool reverse = s[0] != d[0] ? s[0] > d[0] : s[1] != d[1] ? s[1] > d[1] : sport > dport;
  std::uint64_t w[5];
  w[0] = reverse ? d[0] : s[0];
  w[1] = reverse ? d[1] : s[1];
  w[2] = reverse ? s[0] : d[0];
  w[3] = reverse ? s[1] : d[1];
  w[4] = detail::flow_key_ports(reverse, sport << 16 | dport, tail);
  std::memcpy(&key, w, sizeof key);
  hash = flow_hash_words(w);
  return reverse;
}

// The same key, from a common-case frame's headers (decode_common_case.h):
// equal to make_flow_key of the layers the full decode gives for the frame.
inline bool make_flow_key(const net::CommonCaseHeaders& h, FlowKey& key, std::uint32_t& hash) {
  return detail::make_flow_key_v4(h.src_ip_word, h.dst_ip_word, h.ports, detail::flow_key_tail(h.vlan, h.ip_proto, false),
                                  key, hash);
}

inline bool make_flow_key(const net::PacketLayers& p, FlowKey& key) {
  std::uint32_t hash;
  return make_flow_key(p, key, hash);
}

}  // namespace segward::dataplane
