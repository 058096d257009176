#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

Bytes frame_with_segment(std::span<const std::uint8_t> segment) { return ethernet(0x0800, ipv4(segment)); }

TEST(Tcp, HeaderFields) {
  const TcpFields f{.src_port = 5050, .dst_port = 41234, .seq = 0xdeadbeef, .ack = 0x01020304,
                    .flags = tcp_flags::kPsh | tcp_flags::kAck | tcp_flags::kCwr, .window = 501};
  const Bytes frame = tcp_v4_frame(f, payload_bytes(100));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kTcp);
  EXPECT_EQ(p.src_port, 5050);
  EXPECT_EQ(p.dst_port, 41234);
  EXPECT_EQ(p.tcp_seq, 0xdeadbeefu);
  EXPECT_EQ(p.tcp_ack, 0x01020304u);
  EXPECT_EQ(p.tcp_flags, tcp_flags::kPsh | tcp_flags::kAck | tcp_flags::kCwr);
  EXPECT_EQ(p.tcp_window, 501);
  EXPECT_EQ(p.payload_offset, 54);
  EXPECT_EQ(p.payload_len, 100);
  EXPECT_FALSE(p.tcp_options.has_mss);
}

TEST(Tcp, LinuxSynOptions) {
  const Bytes frame = tcp_v6_frame({.options = linux_syn_options()});
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  const TcpOptions& o = p.tcp_options;
  EXPECT_TRUE(o.has_mss);
  EXPECT_EQ(o.mss, 1460);
  EXPECT_TRUE(o.sack_permitted);
  EXPECT_TRUE(o.has_timestamps);
  EXPECT_EQ(o.ts_value, 1u);
  EXPECT_EQ(o.ts_echo, 0u);
  EXPECT_TRUE(o.has_window_scale);
  EXPECT_EQ(o.window_scale, 7);
  EXPECT_EQ(p.payload_offset, 54 + 40);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(Tcp, UnknownOptionsAreSkippedAndEolEndsTheList) {
  // SACK block (kind 5, 10 bytes), TFO cookie (34, 6 bytes), EOL, then
  // bytes that would be a bad option if read.
  const Bytes options{5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 34, 6, 1, 2, 3, 4, 0, 2, 0, 0};
  const Bytes frame = tcp_v4_frame({.options = options});
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_FALSE(p.tcp_options.has_mss);
}

TEST(Tcp, EveryCutOfTheFixedHeaderIsTcpTruncated) {
  const Bytes segment = tcp({});
  for (std::size_t n = 0; n < 20; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame_with_segment(std::span(segment).first(n)), p), DecodeError::kTcpTruncated) << n;
    // Still attributable to its addresses.
    EXPECT_EQ(p.l3, L3::kIpv4);
    EXPECT_EQ(p.dst_ip, IpAddress::v4_from(10, 0, 0, 2));
    EXPECT_EQ(p.ip_proto, 6);
    EXPECT_EQ(p.l4, L4::kNone);
  }
}

TEST(Tcp, EveryCutOfTheOptionsIsBadDataOffset) {
  const Bytes segment = tcp({.options = linux_syn_options()});
  for (std::size_t n = 20; n < segment.size(); ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame_with_segment(std::span(segment).first(n)), p), DecodeError::kTcpBadDataOffset)
        << n;
    EXPECT_EQ(p.l4, L4::kTcp);
    EXPECT_EQ(p.dst_port, 2181);
  }
}

TEST(Tcp, DataOffsetBelowFiveWords) {
  for (std::uint8_t words = 0; words < 5; ++words) {
    Bytes segment = tcp({}, payload_bytes(40));
    segment[12] = static_cast<std::uint8_t>(words << 4);
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame_with_segment(segment), p), DecodeError::kTcpBadDataOffset) << int{words};
  }
}

TEST(Tcp, DataOffsetPastTheSegment) {
  Bytes segment = tcp({});
  segment.resize(59, 0);
  segment[12] = 0xf0;  // 60 bytes, 59 present
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame_with_segment(segment), p), DecodeError::kTcpBadDataOffset);
  segment.push_back(0);  // 60 present: now fine (all-zero options = EOL)
  EXPECT_EQ(decode_exact(frame_with_segment(segment), p), DecodeError::kNone);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(Tcp, BadOptionLengths) {
  const Bytes cases[] = {
      {8, 0, 0, 0},               // length 0
      {8, 1, 0, 0},               // length 1
      {1, 1, 8, 10},              // timestamps running past the header
      {2, 3, 5, 0},               // MSS with length 3
      {3, 4, 7, 0},               // window scale with length 4
      {4, 3, 0, 0},               // SACK-permitted with length 3
      {8, 8, 0, 0, 0, 0, 0, 0},   // timestamps with length 8
      {1, 1, 1, 30},              // kind with no room for its length byte
  };
  for (const Bytes& options : cases) {
    const Bytes frame = tcp_v4_frame({.options = options});
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame, p), DecodeError::kTcpBadOptions) << int{options[0]} << "," << int{options[1]};
    EXPECT_EQ(p.l4, L4::kTcp);
  }
}

TEST(Tcp, LayerFunctionAlone) {
  const Bytes segment = tcp({.src_port = 1, .dst_port = 2}, payload_bytes(5));
  PacketLayers p;
  ASSERT_EQ(decode_tcp(segment, p, 1000), DecodeError::kNone);
  EXPECT_EQ(p.l4_offset, 1000);
  EXPECT_EQ(p.payload_offset, 1020);
  EXPECT_EQ(p.payload_len, 5);
}

}  // namespace
}  // namespace segward::net
