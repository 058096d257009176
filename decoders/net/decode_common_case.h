#pragma once
// The common case in one straight pass: Ethernet (at most one 802.1Q tag),
// IPv4 without options or fragmentation, and TCP (no options, or Linux's
// NOP NOP timestamps) or UDP. That is nearly every frame of a data-centre
// link, and the layered walk in decode_packet.cc costs about three times as
// many instructions for it (one call, span and bounds check per layer, and
// reloads of `out` after every byte load).
//
// Contract: returns true only when it filled `out` exactly as the layered
// decoder would for this frame (tests/unit/net/decode_common_case_test.cc and
// the fuzz target check that on every input); false means "not the common
// case" and leaves `out` for the layered decoder to reset and fill.
//
// decode_common_case_headers reads only what the flow table needs of the
// same frames, for a packet that needs nothing more.
//
// Defined here, inline, so that the worker's per-packet loop expands it in
// place (decode_packet_inline): two calls per packet, with their register
// saves, cost about 25 instructions of the ~150 the decode takes.
#include <cstddef>
#include <cstring>
#include <span>
#include <type_traits>

#include "decoders/common/byte_reader.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace detail {

// Every field's default is all-zero bytes (enums start at kNone = 0), so one
// memset resets the struct; assigning PacketLayers{} builds a temporary and
// copies it, twice the stores on the per-packet path.
static_assert(std::is_trivially_copyable_v<PacketLayers>);
inline void reset(PacketLayers& out) noexcept { std::memset(static_cast<void*>(&out), 0, sizeof out); }

namespace common_case {

constexpr std::size_t kEthernetBytes = 14;
constexpr std::size_t kVlanTagBytes = 4;
constexpr std::size_t kIpv4Bytes = 20;
constexpr std::size_t kTcpBytes = 20;
constexpr std::size_t kUdpBytes = 8;
constexpr std::uint8_t kIpv4NoOptions = 0x45;      // version 4, IHL 5 words
constexpr std::uint16_t kFragmentBits = 0x3fff;    // MF and the offset; DF is not a fragment
constexpr std::uint32_t kNopNopTimestamps = 0x0101080a;
constexpr std::size_t kTimestampOptionBytes = 12;  // NOP, NOP, kind 8, length 10, two 32-bit values

}  // namespace common_case

}  // namespace detail

// What a worker needs of a common-case frame to find and account its flow,
// read straight from the frame into a small value the caller keeps in
// registers. Filling all of PacketLayers (~130 bytes) costs more than the
// flow lookup; most packets of a known flow need nothing else (the L7
// engine, the policy's classification and its resets ask for the full
// layers, and get them by decoding the frame again: decode_common_case).
struct CommonCaseHeaders {
  // The address bytes as the frame holds them (network order), loaded as
  // one native word each: the same word make_flow_key reads from
  // PacketLayers::src_ip.bytes, so both give the same key.
  std::uint32_t src_ip_word = 0;
  std::uint32_t dst_ip_word = 0;
  std::uint32_t ports = 0;        // source port << 16 | destination port, in one load
  std::uint16_t vlan = 0;         // the tag's VID; 0 when untagged
  std::uint16_t l3_offset = 0;    // 14, or 18 behind one tag
  std::uint16_t header_len = 0;   // of the TCP or UDP header
  std::uint16_t payload_len = 0;  // trimmed to the IP/UDP length, as PacketLayers::payload_len
  std::uint8_t ip_proto = 0;      // ip_proto::kTcp or kUdp
  std::uint8_t tcp_flags = 0;     // 0 for UDP
  bool tagged = false;
  bool timestamps = false;        // TCP header is 20 bytes plus NOP NOP timestamps

  [[nodiscard]] std::uint16_t src_port() const noexcept { return static_cast<std::uint16_t>(ports >> 16); }
  [[nodiscard]] std::uint16_t dst_port() const noexcept { return static_cast<std::uint16_t>(ports); }
};

// True when `frame` is the common case (see the top of this file), with its
// headers in `h`; false otherwise (`h` unspecified). decode_common_case
// accepts exactly the frames this accepts.
[[gnu::always_inline]] inline bool decode_common_case_headers(std::span<const std::uint8_t> frame,
                                                              CommonCaseHeaders& h) noexcept {
  using namespace detail::common_case;
  const std::uint8_t* __restrict p = frame.data();
  const std::size_t size = frame.size();
  if (size < kEthernetBytes + kIpv4Bytes + kUdpBytes || size > kMaxFrameBytes) return false;

  std::size_t l3 = kEthernetBytes;
  std::uint16_t type = decoders::load_be16(p + 12);
  h.tagged = type == ether_type::kVlan;
  h.vlan = 0;
  if (h.tagged) {
    h.vlan = decoders::load_be16(p + 14) & 0x0fff;
    type = decoders::load_be16(p + 16);
    l3 += kVlanTagBytes;
  }
  if (type != ether_type::kIpv4 || size - l3 < kIpv4Bytes) return false;

  const std::uint8_t* __restrict ip = p + l3;
  const std::size_t total_len = decoders::load_be16(ip + 2);
  if (ip[0] != kIpv4NoOptions || (decoders::load_be16(ip + 6) & kFragmentBits) != 0 || total_len < kIpv4Bytes ||
      total_len > size - l3) {
    return false;
  }
  const std::uint8_t proto = ip[9];
  const std::size_t l4_len = total_len - kIpv4Bytes;
  const std::uint8_t* __restrict t = ip + kIpv4Bytes;

  std::size_t header_len = 0;
  std::size_t payload_len = 0;
  h.timestamps = false;
  h.tcp_flags = 0;
  if (proto == ip_proto::kTcp) {
    if (l4_len < kTcpBytes) return false;
    header_len = static_cast<std::size_t>(t[12] >> 4) * 4;
    if (header_len == kTcpBytes + kTimestampOptionBytes) {
      if (header_len > l4_len || decoders::load_be32(t + kTcpBytes) != kNopNopTimestamps) return false;
      h.timestamps = true;
    } else if (header_len != kTcpBytes) {
      return false;
    }
    payload_len = l4_len - header_len;
    h.tcp_flags = t[13];
  } else if (proto == ip_proto::kUdp) {
    if (l4_len < kUdpBytes) return false;
    const std::size_t udp_len = decoders::load_be16(t + 4);
    if (udp_len < kUdpBytes || udp_len > l4_len) return false;
    header_len = kUdpBytes;
    payload_len = udp_len - kUdpBytes;
  } else {
    return false;
  }
  std::memcpy(&h.src_ip_word, ip + 12, 4);
  std::memcpy(&h.dst_ip_word, ip + 16, 4);
  h.ports = decoders::load_be32(t);
  h.l3_offset = static_cast<std::uint16_t>(l3);
  h.header_len = static_cast<std::uint16_t>(header_len);
  h.payload_len = static_cast<std::uint16_t>(payload_len);
  h.ip_proto = proto;
  return true;
}

// The contract between the two common-case decoders, as the tests and the
// fuzz target check it: `h` says what `p` (the full decode of the same
// frame) says.
inline bool headers_agree(const CommonCaseHeaders& h, const PacketLayers& p) noexcept {
  std::uint32_t src = 0;
  std::uint32_t dst = 0;
  std::memcpy(&src, p.src_ip.bytes.data(), 4);
  std::memcpy(&dst, p.dst_ip.bytes.data(), 4);
  const L4 l4 = h.ip_proto == ip_proto::kTcp ? L4::kTcp : L4::kUdp;
  return p.l3 == L3::kIpv4 && !p.src_ip.v6 && src == h.src_ip_word && dst == h.dst_ip_word && p.l4 == l4 &&
         p.ip_proto == h.ip_proto && p.src_port == h.src_port() && p.dst_port == h.dst_port() &&
         p.vlan_count == (h.tagged ? 1 : 0) && (h.tagged ? p.vlan_ids[0] : 0) == h.vlan &&
         p.l3_offset == h.l3_offset && p.payload_offset - p.l4_offset == h.header_len &&
         p.payload_len == h.payload_len && p.tcp_flags == h.tcp_flags &&
         p.tcp_options.has_timestamps == h.timestamps;
}

namespace detail {

// True when `frame` is the common case and `out` now holds exactly what the
// layered decoder gives for it; false (and `out` unspecified) otherwise.
[[gnu::always_inline]] inline bool decode_common_case(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept {
  using namespace common_case;
  CommonCaseHeaders h;
  if (!decode_common_case_headers(frame, h)) return false;
  const std::uint8_t* __restrict p = frame.data();
  const std::uint8_t* __restrict ip = p + h.l3_offset;
  const std::uint8_t* __restrict t = ip + kIpv4Bytes;
  const std::size_t l4 = h.l3_offset + kIpv4Bytes;

  // Every field is written here, none twice: no reset first. A memset of the
  // whole struct compiles to `rep stos`, whose start-up alone costs more than
  // this function (measured: 9.6 vs 13.4 Mpps on the benchmark).
  // Both addresses in one copy: they follow each other in the frame and in `out`.
  static_assert(offsetof(PacketLayers, src_mac) == offsetof(PacketLayers, dst_mac) + 6);
  std::memcpy(reinterpret_cast<unsigned char*>(&out) + offsetof(PacketLayers, dst_mac), p, 12);
  out.ether_type = ether_type::kIpv4;
  out.vlan_count = h.tagged ? 1 : 0;
  out.vlan_ids = {h.vlan, 0};
  out.l3 = L3::kIpv4;
  out.src_ip = IpAddress{};
  out.dst_ip = IpAddress{};
  std::memcpy(out.src_ip.bytes.data(), &h.src_ip_word, 4);
  std::memcpy(out.dst_ip.bytes.data(), &h.dst_ip_word, 4);
  out.ip_proto = h.ip_proto;
  out.ttl = ip[8];
  out.is_fragment = false;
  out.is_later_fragment = false;
  out.l3_offset = h.l3_offset;
  out.l4_offset = static_cast<std::uint16_t>(l4);
  out.payload_offset = static_cast<std::uint16_t>(l4 + h.header_len);
  out.payload_len = h.payload_len;
  out.src_port = h.src_port();
  out.dst_port = h.dst_port();
  out.tcp_options = TcpOptions{};
  if (h.ip_proto == ip_proto::kTcp) {
    out.l4 = L4::kTcp;
    out.tcp_seq = decoders::load_be32(t + 4);
    out.tcp_ack = decoders::load_be32(t + 8);
    out.tcp_flags = h.tcp_flags;
    out.tcp_window = decoders::load_be16(t + 14);
    if (h.timestamps) {
      out.tcp_options.has_timestamps = true;
      out.tcp_options.ts_value = decoders::load_be32(t + kTcpBytes + 4);
      out.tcp_options.ts_echo = decoders::load_be32(t + kTcpBytes + 8);
    }
  } else {
    out.l4 = L4::kUdp;
    out.tcp_seq = 0;
    out.tcp_ack = 0;
    out.tcp_flags = 0;
    out.tcp_window = 0;
  }
  out.icmp_type = 0;
  out.icmp_code = 0;
  out.arp = ArpInfo{};
  return true;
}

}  // namespace detail

// decode_packet (packet_layers.h), expanded in the caller: the common case
// inline, everything else layer by layer. decode_packet is this, out of line.
[[gnu::always_inline]] inline DecodeError decode_packet_inline(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept {
  if (detail::decode_common_case(frame, out)) [[likely]] return DecodeError::kNone;
  return decode_packet_layered(frame, out);
}

}  // namespace segward::net
