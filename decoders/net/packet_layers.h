#pragma once
// L2-L4 decoding of one Ethernet frame into a fixed, reusable PacketLayers.
//
// Contract (every function here):
//  - reads only inside the span it is given; no heap, no exceptions, no
//    locks: safe on the per-packet path of any worker;
//  - returns DecodeError::kNone or the first reason the input is refused;
//  - on error, the layers decoded so far stay filled in, so the caller can
//    still attribute the packet (l3 and the addresses are set when the TCP
//    header is cut short);
//  - offsets in PacketLayers count from the first byte of the frame.
//
// A layer's enum value (l3, l4) is set as soon as its fixed header has been
// read; its error may still follow (bad length, bad options).
//
// Thread-safety: pure functions; each worker owns its PacketLayers.
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace segward::net {

enum class DecodeError : std::uint8_t {
  kNone = 0,
#define SEGWARD_NET_ERROR(id, name, description) k##id,
#include "decoders/net/decode_errors.def"
#undef SEGWARD_NET_ERROR
  kCount
};
inline constexpr std::size_t kDecodeErrorCount = static_cast<std::size_t>(DecodeError::kCount);

/// Stable snake_case name ("none" for kNone, "unknown" out of range).
std::string_view decode_error_name(DecodeError error) noexcept;
/// One-line description for operators.
std::string_view decode_error_description(DecodeError error) noexcept;

enum class L3 : std::uint8_t { kNone, kIpv4, kIpv6, kArp, kOther };  // kOther: unknown ethertype, not an error
enum class L4 : std::uint8_t { kNone, kTcp, kUdp, kIcmp, kIcmpv6, kOther };

namespace ether_type {
inline constexpr std::uint16_t kIpv4 = 0x0800;
inline constexpr std::uint16_t kArp = 0x0806;
inline constexpr std::uint16_t kVlan = 0x8100;      // 802.1Q customer tag
inline constexpr std::uint16_t kQinQ = 0x88a8;      // 802.1ad service tag
inline constexpr std::uint16_t kQinQLegacy = 0x9100;  // pre-802.1ad vendor QinQ
inline constexpr std::uint16_t kIpv6 = 0x86dd;
}  // namespace ether_type

namespace ip_proto {
inline constexpr std::uint8_t kHopByHop = 0;
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kRouting = 43;
inline constexpr std::uint8_t kFragment = 44;
inline constexpr std::uint8_t kEsp = 50;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kNoNextHeader = 59;
inline constexpr std::uint8_t kDestOptions = 60;
}  // namespace ip_proto

/// Limits the decoder enforces; each one has its own DecodeError.
inline constexpr std::uint8_t kMaxVlanTags = 2;
inline constexpr std::size_t kMaxIpv6ExtHeaders = 8;
/// Longer input is decoded as its first kMaxFrameBytes bytes, so every offset
/// fits in 16 bits (an mbuf segment's data_len is 16 bits too).
inline constexpr std::size_t kMaxFrameBytes = 65535;

struct IpAddress {  // IPv4 in bytes[0..3], rest zero
  std::array<std::uint8_t, 16> bytes{};
  bool v6 = false;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

  static constexpr IpAddress v4_from(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) noexcept {
    IpAddress ip;
    ip.bytes[0] = a;
    ip.bytes[1] = b;
    ip.bytes[2] = c;
    ip.bytes[3] = d;
    return ip;
  }
  static constexpr IpAddress v6_from(const std::array<std::uint8_t, 16>& b) noexcept {
    IpAddress ip;
    ip.bytes = b;
    ip.v6 = true;
    return ip;
  }
};

/// "10.0.0.1", or RFC 5952 text for IPv6 ("2001:db8::1"). Allocates: not for
/// the per-packet path.
std::string format_ip(const IpAddress& ip);

struct TcpOptions {
  std::uint16_t mss = 0;
  std::uint8_t window_scale = 0;
  bool has_mss = false, has_window_scale = false, sack_permitted = false, has_timestamps = false;
  std::uint32_t ts_value = 0, ts_echo = 0;

  friend bool operator==(const TcpOptions&, const TcpOptions&) = default;
};

struct ArpInfo {
  std::uint16_t op = 0;
  std::array<std::uint8_t, 6> sender_mac{}, target_mac{};
  std::array<std::uint8_t, 4> sender_ip{}, target_ip{};

  friend bool operator==(const ArpInfo&, const ArpInfo&) = default;
};

namespace tcp_flags {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20,
                              kEce = 0x40, kCwr = 0x80;
}  // namespace tcp_flags

struct PacketLayers {
  std::array<std::uint8_t, 6> dst_mac{}, src_mac{};
  std::uint16_t ether_type = 0;            // innermost, after VLAN tags
  std::uint8_t vlan_count = 0;             // 0..2
  std::array<std::uint16_t, 2> vlan_ids{};  // 12-bit VIDs, outer first
  L3 l3 = L3::kNone;
  IpAddress src_ip, dst_ip;
  std::uint8_t ip_proto = 0;        // IPv4 protocol / IPv6 final next header
  std::uint8_t ttl = 0;             // TTL / hop limit
  bool is_fragment = false;         // any IPv4 fragment (MF or offset) / IPv6 fragment header
  bool is_later_fragment = false;   // offset != 0: no L4 header in this packet; l4 stays kNone
  // Into the frame. payload_* always names the bytes after the deepest header
  // decoded, trimmed to the IP/UDP length (Ethernet padding is not payload).
  std::uint16_t l3_offset = 0, l4_offset = 0, payload_offset = 0, payload_len = 0;
  L4 l4 = L4::kNone;
  std::uint16_t src_port = 0, dst_port = 0;
  std::uint8_t tcp_flags = 0;
  std::uint32_t tcp_seq = 0, tcp_ack = 0;
  std::uint16_t tcp_window = 0;
  TcpOptions tcp_options;
  std::uint8_t icmp_type = 0, icmp_code = 0;
  ArpInfo arp;

  friend bool operator==(const PacketLayers&, const PacketLayers&) = default;
};

/// Decodes a whole Ethernet frame. Resets `out` first.
DecodeError decode_packet(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept;
/// The same, always layer by layer: the reference decode_packet's common-case
/// shortcut must agree with (tests and the fuzz target compare the two).
DecodeError decode_packet_layered(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept;

// Per-layer entry points, used by decode_packet and by tests. Each decodes
// one layer from the start of its span; `base_offset` is where that span
// starts in the frame, so the offsets it writes are frame offsets. None
// resets `out`. On success each sets payload_offset/payload_len to the bytes
// after its header (the span the next layer decodes).

/// Ethernet and up to two VLAN tags. Sets MACs, VLANs, ether_type, l3_offset.
DecodeError decode_ethernet(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept;
/// ARP over Ethernet/IPv4. Sets l3 = kArp and arp.
DecodeError decode_arp(std::span<const std::uint8_t> l3, PacketLayers& out, std::size_t base_offset) noexcept;
/// IPv4 header and options. Trims the payload to the total length.
DecodeError decode_ipv4(std::span<const std::uint8_t> l3, PacketLayers& out, std::size_t base_offset) noexcept;
/// IPv6 header and extension chain. Trims the payload to the payload length.
DecodeError decode_ipv6(std::span<const std::uint8_t> l3, PacketLayers& out, std::size_t base_offset) noexcept;
/// Dispatches on out.ip_proto to the L4 decoders below; kOther otherwise.
DecodeError decode_l4(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept;
DecodeError decode_tcp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept;
DecodeError decode_udp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept;
DecodeError decode_icmp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept;
DecodeError decode_icmpv6(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept;

}  // namespace segward::net
