#pragma once
// Test-only encoders for the frames decoders/net reads. Each function
// returns the bytes of one layer with its length fields computed, so a test
// states only what it is about and breaks one field on purpose.
#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <span>
#include <vector>

#include "decoders/net/packet_layers.h"

namespace segward::net {

// GoogleTest prints errors by their stable name.
inline void PrintTo(DecodeError error, std::ostream* os) { *os << decode_error_name(error); }

}  // namespace segward::net

namespace segward::net::testing {

using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void put32(Bytes& b, std::uint32_t v) {
  put16(b, static_cast<std::uint16_t>(v >> 16));
  put16(b, static_cast<std::uint16_t>(v));
}
inline void set16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}
inline Bytes concat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  Bytes out;
  for (auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline constexpr std::array<std::uint8_t, 6> kDstMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
inline constexpr std::array<std::uint8_t, 6> kSrcMac{0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
inline constexpr std::array<std::uint8_t, 4> kSrc4{10, 0, 0, 1};
inline constexpr std::array<std::uint8_t, 4> kDst4{10, 0, 0, 2};
inline constexpr std::array<std::uint8_t, 16> kSrc6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
inline constexpr std::array<std::uint8_t, 16> kDst6{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

struct Vlan {
  std::uint16_t tpid;
  std::uint16_t vid;
};

inline Bytes ethernet(std::uint16_t ether_type, std::span<const std::uint8_t> payload,
                      std::initializer_list<Vlan> vlans = {}) {
  // Sized up front and written in place: GCC 12 at -O3 misreads growing a
  // small vector as an overflow (-Wstringop-overflow).
  Bytes b(14 + 4 * vlans.size() + payload.size());
  std::copy(kDstMac.begin(), kDstMac.end(), b.begin());
  std::copy(kSrcMac.begin(), kSrcMac.end(), b.begin() + 6);
  std::size_t at = 12;
  for (const Vlan& v : vlans) {
    set16(b, at, v.tpid);
    set16(b, at + 2, static_cast<std::uint16_t>(0x2000 | v.vid));  // PCP 1: the decoder must mask it off
    at += 4;
  }
  set16(b, at, ether_type);
  std::copy(payload.begin(), payload.end(), b.begin() + static_cast<std::ptrdiff_t>(at + 2));
  return b;
}

inline Bytes arp(std::uint16_t op) {
  Bytes b;
  put16(b, 1);
  put16(b, 0x0800);
  b.push_back(6);
  b.push_back(4);
  put16(b, op);
  b.insert(b.end(), kSrcMac.begin(), kSrcMac.end());
  b.insert(b.end(), kSrc4.begin(), kSrc4.end());
  b.insert(b.end(), kDstMac.begin(), kDstMac.end());
  b.insert(b.end(), kDst4.begin(), kDst4.end());
  return b;
}

struct Ipv4Fields {
  std::uint8_t proto = 6;
  std::uint8_t ttl = 64;
  std::uint16_t fragment = 0;  // flags + offset in 8-byte units, as on the wire
  Bytes options{};             // padded to 4 bytes with EOL
};

inline Bytes ipv4(std::span<const std::uint8_t> payload, const Ipv4Fields& f = {}) {
  Bytes options = f.options;
  while (options.size() % 4 != 0) options.push_back(0);
  const std::size_t header_len = 20 + options.size();
  Bytes b;
  b.push_back(static_cast<std::uint8_t>(0x40 | (header_len / 4)));
  b.push_back(0);
  put16(b, static_cast<std::uint16_t>(header_len + payload.size()));
  put16(b, 0x1234);
  put16(b, f.fragment);
  b.push_back(f.ttl);
  b.push_back(f.proto);
  put16(b, 0);  // checksum: not verified by the decoder
  b.insert(b.end(), kSrc4.begin(), kSrc4.end());
  b.insert(b.end(), kDst4.begin(), kDst4.end());
  b.insert(b.end(), options.begin(), options.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

inline Bytes ipv6(std::uint8_t next_header, std::span<const std::uint8_t> payload, std::uint8_t hop_limit = 64) {
  Bytes b{0x60, 0x00, 0x00, 0x00};
  put16(b, static_cast<std::uint16_t>(payload.size()));
  b.push_back(next_header);
  b.push_back(hop_limit);
  b.insert(b.end(), kSrc6.begin(), kSrc6.end());
  b.insert(b.end(), kDst6.begin(), kDst6.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// A generic extension header (hop-by-hop, routing, destination options):
// `body_len` bytes after next-header and length, padded up to 8-byte units.
inline Bytes ipv6_ext(std::uint8_t next_header, std::size_t body_len = 6) {
  std::size_t total = 2 + body_len;
  total = (total + 7) / 8 * 8;
  Bytes b(total, 0);
  b[0] = next_header;
  b[1] = static_cast<std::uint8_t>(total / 8 - 1);
  b[2] = 1;  // PadN option covering the rest, as a real stack would send
  b[3] = static_cast<std::uint8_t>(total - 4);
  return b;
}

inline Bytes ipv6_fragment(std::uint8_t next_header, std::uint16_t offset_units, bool more) {
  Bytes b{next_header, 0};
  put16(b, static_cast<std::uint16_t>((offset_units << 3) | (more ? 1 : 0)));
  put32(b, 0xabcd);
  return b;
}

// AH: length in 4-byte units minus 2; 12 fixed bytes + ICV.
inline Bytes ipv6_ah(std::uint8_t next_header, std::size_t icv_len = 12) {
  const std::size_t total = 12 + icv_len;
  Bytes b(total, 0xaa);
  b[0] = next_header;
  b[1] = static_cast<std::uint8_t>(total / 4 - 2);
  b[2] = b[3] = 0;
  b[4] = b[5] = b[6] = b[8] = b[9] = b[10] = 0;
  b[7] = 0x01;   // SPI 1
  b[11] = 0x01;  // sequence 1
  return b;
}

struct TcpFields {
  std::uint16_t src_port = 40000;
  std::uint16_t dst_port = 2181;
  std::uint32_t seq = 1000;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0x02;
  std::uint16_t window = 65535;
  Bytes options{};  // padded to 4 bytes with EOL
};

inline Bytes tcp(const TcpFields& f, std::span<const std::uint8_t> payload = {}) {
  Bytes options = f.options;
  while (options.size() % 4 != 0) options.push_back(0);
  const std::size_t header_len = 20 + options.size();
  Bytes b;
  put16(b, f.src_port);
  put16(b, f.dst_port);
  put32(b, f.seq);
  put32(b, f.ack);
  b.push_back(static_cast<std::uint8_t>((header_len / 4) << 4));
  b.push_back(f.flags);
  put16(b, f.window);
  put16(b, 0);  // checksum
  put16(b, 0);  // urgent pointer
  b.insert(b.end(), options.begin(), options.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

// The SYN options Linux sends: MSS, SACK-permitted, timestamps, NOP, WS.
inline Bytes linux_syn_options() {
  return {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
}

inline Bytes udp(std::uint16_t src_port, std::uint16_t dst_port, std::span<const std::uint8_t> payload) {
  Bytes b;
  put16(b, src_port);
  put16(b, dst_port);
  put16(b, static_cast<std::uint16_t>(8 + payload.size()));
  put16(b, 0);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

inline Bytes icmp(std::uint8_t type, std::uint8_t code, std::span<const std::uint8_t> body = {}) {
  Bytes b(8 + body.size(), 0);
  b[0] = type;
  b[1] = code;
  b[5] = 0x34;  // echo identifier 0x0034, sequence 1
  b[7] = 0x01;
  std::copy(body.begin(), body.end(), b.begin() + 8);
  return b;
}

inline Bytes payload_bytes(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>('a' + i % 26);
  return b;
}

// Common whole frames.
inline Bytes tcp_v4_frame(const TcpFields& f = {}, std::span<const std::uint8_t> payload = {}) {
  return ethernet(0x0800, ipv4(tcp(f, payload)));
}
inline Bytes tcp_v6_frame(const TcpFields& f = {}, std::span<const std::uint8_t> payload = {}) {
  return ethernet(0x86dd, ipv6(6, tcp(f, payload)));
}

struct NamedFrame {
  const char* name;
  Bytes bytes;
};

// One valid frame of each shape the decoder knows; the fuzz corpus seeds
// (tests/fuzz/corpus/net) were written from this list.
inline std::vector<NamedFrame> sample_frames() {
  const Bytes data = payload_bytes(24);
  Bytes padded_arp = ethernet(0x0806, arp(1));
  padded_arp.resize(60, 0);
  Bytes padded_ack = ethernet(0x0800, ipv4(tcp({.flags = 0x10})));
  padded_ack.resize(60, 0);
  return {
      {"eth_lldp", ethernet(0x88cc, data)},
      {"arp_request_padded", padded_arp},
      {"arp_reply_vlan", ethernet(0x0806, arp(2), {{0x8100, 10}})},
      {"ipv4_tcp_syn_options", tcp_v4_frame({.options = linux_syn_options()})},
      {"ipv4_tcp_ack_padded", padded_ack},
      {"ipv4_tcp_data_vlan", ethernet(0x0800, ipv4(tcp({.flags = 0x18}, data)), {{0x8100, 100}})},
      {"ipv4_tcp_qinq", ethernet(0x0800, ipv4(tcp({.flags = 0x11})), {{0x88a8, 200}, {0x8100, 300}})},
      {"ipv4_tcp_qinq_9100", ethernet(0x0800, ipv4(tcp({.flags = 0x04})), {{0x9100, 5}, {0x8100, 6}})},
      {"ipv4_options_udp",
       ethernet(0x0800, ipv4(udp(53, 53, data), {.proto = 17, .options = {0x94, 4, 0, 0, 1, 7, 7, 4, 0, 0, 0, 0, 0}}))},
      {"ipv4_first_fragment_udp", ethernet(0x0800, ipv4(udp(5000, 53, data), {.proto = 17, .fragment = 0x2000}))},
      {"ipv4_later_fragment", ethernet(0x0800, ipv4(data, {.proto = 17, .fragment = 0x00b9}))},
      {"ipv4_icmp_echo", ethernet(0x0800, ipv4(icmp(8, 0, data), {.proto = 1}))},
      {"ipv4_gre", ethernet(0x0800, ipv4(data, {.proto = 47}))},
      {"ipv6_tcp_syn", tcp_v6_frame({.options = linux_syn_options()})},
      {"ipv6_udp", ethernet(0x86dd, ipv6(17, udp(546, 547, data)))},
      {"ipv6_ext_chain_tcp",
       ethernet(0x86dd, ipv6(0, concat({ipv6_ext(43), ipv6_ext(60, 14), ipv6_ext(6), tcp({}, data)})))},
      {"ipv6_ah_udp", ethernet(0x86dd, ipv6(51, concat({ipv6_ah(17), udp(500, 500, data)})))},
      {"ipv6_first_fragment_udp", ethernet(0x86dd, ipv6(44, concat({ipv6_fragment(17, 0, true), udp(1, 2, data)})))},
      {"ipv6_later_fragment", ethernet(0x86dd, ipv6(44, concat({ipv6_fragment(17, 100, false), data})))},
      {"ipv6_esp", ethernet(0x86dd, ipv6(50, data))},
      {"ipv6_icmpv6_echo", ethernet(0x86dd, ipv6(58, icmp(128, 0, data)))},
      {"ipv6_mld_hop_by_hop", ethernet(0x86dd, ipv6(0, concat({ipv6_ext(58), icmp(143, 0, data)})))},
  };
}

// Decodes from an exact-size heap copy, so ASan reports a one-byte over-read.
inline DecodeError decode_exact(std::span<const std::uint8_t> frame, PacketLayers& out) {
  auto copy = std::make_unique<std::uint8_t[]>(frame.size());
  std::copy(frame.begin(), frame.end(), copy.get());
  return decode_packet({copy.get(), frame.size()}, out);
}

}  // namespace segward::net::testing
