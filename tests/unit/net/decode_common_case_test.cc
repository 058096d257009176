// The common-case shortcut must be invisible: for every frame it takes, the
// result equals the layered decoder's; it must take the frames it is for
// (otherwise the shortcut silently stops paying), and decline the rest.
#include <gtest/gtest.h>

#include <random>

#include "decoders/net/decode_common_case.h"
#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

// NOP, NOP, timestamps: the options of every Linux data segment.
Bytes linux_data_options() { return {1, 1, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0x56, 0x78}; }

std::vector<NamedFrame> common_frames() {
  const Bytes data = payload_bytes(100);
  Bytes padded_ack = ethernet(0x0800, ipv4(tcp({.flags = 0x10})));
  padded_ack.resize(60, 0);
  Bytes padded_udp = ethernet(0x0800, ipv4(udp(53, 53, payload_bytes(2)), {.proto = 17}));
  padded_udp.resize(60, 0xee);
  return {
      {"tcp_ack_padded", padded_ack},
      {"tcp_data", tcp_v4_frame({.seq = 0xfffffff0, .ack = 7, .flags = 0x18, .window = 512}, data)},
      {"tcp_data_timestamps", tcp_v4_frame({.flags = 0x18, .options = linux_data_options()}, data)},
      {"tcp_fin_vlan", ethernet(0x0800, ipv4(tcp({.flags = 0x11})), {{0x8100, 4094}})},
      {"tcp_dont_fragment", ethernet(0x0800, ipv4(tcp({.flags = 0x10}, data), {.fragment = 0x4000}))},
      {"udp", ethernet(0x0800, ipv4(udp(5000, 53, data), {.proto = 17, .ttl = 1}))},
      {"udp_padded", padded_udp},
      {"udp_empty", ethernet(0x0800, ipv4(udp(1, 2, {}), {.proto = 17}))},
  };
}

std::vector<NamedFrame> other_frames() {
  const Bytes data = payload_bytes(24);
  Bytes short_udp_len = ethernet(0x0800, ipv4(udp(1, 2, data), {.proto = 17}));
  set16(short_udp_len, 14 + 20 + 4, 4);  // UDP length below its header
  Bytes long_total = tcp_v4_frame({}, data);
  set16(long_total, 14 + 2, 2000);  // IPv4 total length past the frame
  Bytes sack = tcp_v4_frame({.flags = 0x10, .options = {1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2}});
  Bytes ts_cut = tcp_v4_frame({.flags = 0x10, .options = linux_data_options()});
  ts_cut.resize(ts_cut.size() - 4);
  set16(ts_cut, 14 + 2, static_cast<std::uint16_t>(ts_cut.size() - 14));
  return {
      {"syn_options", tcp_v4_frame({.options = linux_syn_options()})},
      {"sack_options", sack},
      {"timestamps_cut_short", ts_cut},
      {"qinq", ethernet(0x0800, ipv4(tcp({.flags = 0x11})), {{0x88a8, 200}, {0x8100, 300}})},
      {"ipv4_options", ethernet(0x0800, ipv4(udp(53, 53, data), {.proto = 17, .options = {1, 1, 1, 0}}))},
      {"first_fragment", ethernet(0x0800, ipv4(udp(5000, 53, data), {.proto = 17, .fragment = 0x2000}))},
      {"later_fragment", ethernet(0x0800, ipv4(data, {.proto = 17, .fragment = 0x00b9}))},
      {"icmp", ethernet(0x0800, ipv4(icmp(8, 0, data), {.proto = 1}))},
      {"ipv6", tcp_v6_frame({}, data)},
      {"arp", ethernet(0x0806, arp(1))},
      {"udp_length_below_header", short_udp_len},
      {"total_length_past_frame", long_total},
  };
}

// Decodes `frame` both ways from exact-size copies (ASan catches over-reads).
void expect_same_as_layered(std::span<const std::uint8_t> frame, bool expect_shortcut, const char* name) {
  auto copy = std::make_unique<std::uint8_t[]>(frame.size());
  std::copy(frame.begin(), frame.end(), copy.get());
  const std::span<const std::uint8_t> exact(copy.get(), frame.size());

  PacketLayers layered;
  const DecodeError layered_err = decode_packet_layered(exact, layered);
  PacketLayers shortcut;
  std::memset(static_cast<void*>(&shortcut), 0xa5, sizeof shortcut);  // stale bytes from an earlier packet
  const bool took = detail::decode_common_case(exact, shortcut);
  EXPECT_EQ(took, expect_shortcut) << name;
  if (took) {
    EXPECT_EQ(layered_err, DecodeError::kNone) << name;
    EXPECT_TRUE(shortcut == layered) << name;
  }
  CommonCaseHeaders headers;
  std::memset(static_cast<void*>(&headers), 0xa5, sizeof headers);
  EXPECT_EQ(decode_common_case_headers(exact, headers), expect_shortcut) << name;
  if (took) {
    EXPECT_TRUE(headers_agree(headers, layered)) << name;
  }
  PacketLayers via_entry;
  EXPECT_EQ(decode_packet(exact, via_entry), layered_err) << name;
  EXPECT_TRUE(via_entry == layered) << name;
}

TEST(DecodeCommonCase, TakesTheCommonFramesAndAgreesWithTheLayeredDecoder) {
  for (const NamedFrame& f : common_frames()) expect_same_as_layered(f.bytes, true, f.name);
}

TEST(DecodeCommonCase, LeavesEverythingElseToTheLayeredDecoder) {
  for (const NamedFrame& f : other_frames()) expect_same_as_layered(f.bytes, false, f.name);
}

// Every prefix and random single-byte corruptions of the common frames: the
// shortcut either declines or agrees, whatever the bytes.
TEST(DecodeCommonCase, AgreesOnPrefixesAndCorruptions) {
  std::mt19937 rng(20261201);
  for (const NamedFrame& f : common_frames()) {
    for (std::size_t n = 0; n <= f.bytes.size(); ++n) {
      const std::span<const std::uint8_t> prefix(f.bytes.data(), n);
      PacketLayers a, b;
      CommonCaseHeaders h;
      const bool took = detail::decode_common_case(prefix, a);
      ASSERT_EQ(decode_common_case_headers(prefix, h), took) << f.name << " prefix " << n;
      if (took) {
        ASSERT_EQ(decode_packet_layered(prefix, b), DecodeError::kNone) << f.name << " prefix " << n;
        ASSERT_TRUE(a == b) << f.name << " prefix " << n;
        ASSERT_TRUE(headers_agree(h, b)) << f.name << " prefix " << n;
      }
    }
    for (int round = 0; round < 2000; ++round) {
      Bytes bent = f.bytes;
      bent[rng() % std::min<std::size_t>(bent.size(), 70)] = static_cast<std::uint8_t>(rng());
      PacketLayers a, b;
      CommonCaseHeaders h;
      const bool took = detail::decode_common_case(bent, a);
      ASSERT_EQ(decode_common_case_headers(bent, h), took) << f.name << " round " << round;
      if (took) {
        ASSERT_EQ(decode_packet_layered(bent, b), DecodeError::kNone) << f.name << " round " << round;
        ASSERT_TRUE(a == b) << f.name << " round " << round;
        ASSERT_TRUE(headers_agree(h, b)) << f.name << " round " << round;
      }
    }
  }
}

}  // namespace
}  // namespace segward::net
