#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

TEST(DecodeErrors, NamesAreStableSnakeCaseAndUnique) {
  EXPECT_EQ(decode_error_name(DecodeError::kNone), "none");
  EXPECT_EQ(decode_error_name(DecodeError::kEthTruncated), "eth_truncated");
  EXPECT_EQ(decode_error_name(DecodeError::kIcmpv6Truncated), "icmpv6_truncated");
  EXPECT_EQ(decode_error_name(DecodeError::kCount), "unknown");
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kDecodeErrorCount; ++i) {
    const auto error = static_cast<DecodeError>(i);
    const std::string_view name = decode_error_name(error);
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name;
    for (char c : name) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                  c == '_')
          << name;
    }
    EXPECT_FALSE(decode_error_description(error).empty()) << name;
  }
}

TEST(DecodePacket, SampleFramesDecodeCleanly) {
  for (const NamedFrame& f : sample_frames()) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(f.bytes, p), DecodeError::kNone) << f.name;
    EXPECT_NE(p.l3, L3::kNone) << f.name;
    EXPECT_LE(std::size_t{p.payload_offset} + p.payload_len, f.bytes.size()) << f.name;
  }
}

// Every prefix of every sample frame, each from an exact-size heap copy: the
// decoder must never touch a byte past the span (ASan builds catch a one-byte
// over-read), must refuse every strict prefix that cuts a header or a length,
// and must keep its offsets inside the prefix.
TEST(DecodePacket, EveryPrefixStaysInsideTheSpan) {
  for (const NamedFrame& f : sample_frames()) {
    for (std::size_t n = 0; n <= f.bytes.size(); ++n) {
      PacketLayers p;
      const DecodeError err = decode_exact(std::span(f.bytes).first(n), p);
      EXPECT_LT(static_cast<std::size_t>(err), kDecodeErrorCount);
      EXPECT_LE(p.l3_offset, n) << f.name << " " << n;
      EXPECT_LE(p.l4_offset, n) << f.name << " " << n;
      EXPECT_LE(std::size_t{p.payload_offset} + p.payload_len, n) << f.name << " " << n;
      if (n < 14) {
        EXPECT_EQ(err, DecodeError::kEthTruncated);
      }
    }
  }
}

TEST(DecodePacket, ResetsADirtyStruct) {
  PacketLayers p;
  ASSERT_EQ(decode_exact(tcp_v6_frame({.options = linux_syn_options()}), p), DecodeError::kNone);
  ASSERT_TRUE(p.tcp_options.has_mss);
  Bytes arp_frame = ethernet(0x0806, arp(1));
  ASSERT_EQ(decode_exact(arp_frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kNone);
  EXPECT_FALSE(p.tcp_options.has_mss);
  EXPECT_EQ(p.src_ip, IpAddress{});
  EXPECT_EQ(p.tcp_seq, 0u);
  EXPECT_EQ(decode_exact(std::span(arp_frame).first(3), p), DecodeError::kEthTruncated);
  EXPECT_EQ(p.l3, L3::kNone);
  EXPECT_EQ(p.arp.op, 0);
}

TEST(DecodePacket, OversizedInputIsDecodedAsItsFirst65535Bytes) {
  // A 70000-byte frame of an unknown ethertype: offsets must still fit.
  Bytes big = ethernet(0x88b5, payload_bytes(70000 - 14));
  PacketLayers p;
  ASSERT_EQ(decode_exact(big, p), DecodeError::kNone);
  EXPECT_EQ(p.payload_len, kMaxFrameBytes - 14);

  // The largest IPv4 packet in a frame longer than the cap: its total length
  // now runs past the decoded bytes.
  Bytes ip = ethernet(0x0800, ipv4(payload_bytes(65535 - 20), {.proto = 47}));
  ASSERT_EQ(decode_exact(ip, p), DecodeError::kIpv4BadTotalLength);
  ip.resize(kMaxFrameBytes);
  set16(ip, 16, static_cast<std::uint16_t>(kMaxFrameBytes - 14));
  ASSERT_EQ(decode_exact(ip, p), DecodeError::kNone);
  EXPECT_EQ(std::size_t{p.payload_offset} + p.payload_len, kMaxFrameBytes);
}

TEST(DecodePacket, EmptyFrame) {
  PacketLayers p;
  EXPECT_EQ(decode_packet({}, p), DecodeError::kEthTruncated);
}

}  // namespace
}  // namespace segward::net
