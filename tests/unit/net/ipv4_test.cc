#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

TEST(Ipv4, FieldsOfATcpPacket) {
  const Bytes frame = ethernet(0x0800, ipv4(tcp({}, payload_bytes(10)), {.proto = 6, .ttl = 17}));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l3, L3::kIpv4);
  EXPECT_EQ(p.src_ip, IpAddress::v4_from(10, 0, 0, 1));
  EXPECT_EQ(p.dst_ip, IpAddress::v4_from(10, 0, 0, 2));
  EXPECT_FALSE(p.src_ip.v6);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.ttl, 17);
  EXPECT_FALSE(p.is_fragment);
  EXPECT_EQ(p.l3_offset, 14);
  EXPECT_EQ(p.l4_offset, 34);
  EXPECT_EQ(p.payload_offset, 54);
  EXPECT_EQ(p.payload_len, 10);
}

TEST(Ipv4, EthernetPaddingIsTrimmedNotAnError) {
  Bytes frame = ethernet(0x0800, ipv4(tcp({.flags = tcp_flags::kAck})));  // 54 bytes
  frame.resize(60, 0xee);
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kTcp);
  EXPECT_EQ(p.payload_offset, 54);
  EXPECT_EQ(p.payload_len, 0);

  Bytes udp_frame = ethernet(0x0800, ipv4(udp(53, 53, payload_bytes(2)), {.proto = 17}));
  udp_frame.resize(60, 0);
  ASSERT_EQ(decode_exact(udp_frame, p), DecodeError::kNone);
  EXPECT_EQ(p.payload_len, 2);
}

TEST(Ipv4, EveryCutInsideTheHeaderIsIpv4Truncated) {
  const Bytes frame = ethernet(0x0800, ipv4(tcp({}), {.options = {1, 1, 1, 1, 7, 7, 4, 0, 0, 0, 0, 0}}));
  const std::size_t header_end = 14 + 32;
  for (std::size_t n = 14; n < header_end; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kIpv4Truncated) << n;
  }
}

TEST(Ipv4, EveryCutAfterTheHeaderIsBadTotalLength) {
  const Bytes frame = tcp_v4_frame({}, payload_bytes(5));
  for (std::size_t n = 34; n < frame.size(); ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kIpv4BadTotalLength) << n;
    EXPECT_EQ(p.l3, L3::kIpv4);  // still attributable
    EXPECT_EQ(p.src_ip, IpAddress::v4_from(10, 0, 0, 1));
  }
}

TEST(Ipv4, BadVersion) {
  for (std::uint8_t version : {0, 5, 6, 15}) {
    Bytes frame = tcp_v4_frame();
    frame[14] = static_cast<std::uint8_t>((version << 4) | 5);
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadVersion) << int{version};
    EXPECT_EQ(p.l3, L3::kNone);
  }
}

TEST(Ipv4, HeaderLengthBelowFiveWords) {
  for (std::uint8_t ihl = 0; ihl < 5; ++ihl) {
    Bytes frame = tcp_v4_frame();
    frame[14] = static_cast<std::uint8_t>(0x40 | ihl);
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadHeaderLength) << int{ihl};
  }
}

TEST(Ipv4, HeaderLengthPastTheFrame) {
  Bytes frame = ethernet(0x0800, ipv4({}, {.proto = 59}));  // a bare 20-byte header
  frame[14] = 0x4f;                                          // claims 60 bytes
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4Truncated);
}

TEST(Ipv4, TotalLengthBelowHeaderLength) {
  for (std::uint16_t total : {0, 1, 19}) {
    Bytes frame = tcp_v4_frame();
    set16(frame, 16, total);
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadTotalLength) << total;
  }
  Bytes frame = ethernet(0x0800, ipv4(tcp({}), {.options = {1, 1, 1, 1}}));
  set16(frame, 16, 22);  // covers the fixed header but not the options
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadTotalLength);
}

TEST(Ipv4, TotalLengthPastTheFrame) {
  Bytes frame = tcp_v4_frame();
  set16(frame, 16, static_cast<std::uint16_t>(frame.size() - 14 + 1));
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadTotalLength);
  set16(frame, 16, 0xffff);
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadTotalLength);
}

TEST(Ipv4, WellFormedOptions) {
  // Router alert (4 bytes), NOP, record route with one slot (7 bytes), EOL
  // then non-zero padding that must not be parsed.
  const Bytes options{0x94, 4, 0, 0, 1, 7, 7, 4, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff};
  const Bytes frame = ethernet(0x0800, ipv4(udp(1, 2, {}), {.proto = 17, .options = options}));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4_offset, 14 + 36);
  EXPECT_EQ(p.l4, L4::kUdp);
}

TEST(Ipv4, MalformedOptions) {
  const Bytes cases[] = {
      {0x94, 0, 0, 0},      // length 0
      {0x94, 1, 0, 0},      // length 1
      {1, 1, 0x94, 3},      // length 3, only 2 bytes left
      {7, 39, 4, 0},        // runs far past the header
      {1, 1, 1, 0x44},      // type with no room for its length byte
  };
  for (const Bytes& options : cases) {
    const Bytes frame = ethernet(0x0800, ipv4(tcp({}), {.options = options}));
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv4BadOptions) << int{options[0]};
    EXPECT_EQ(p.l3, L3::kIpv4);
    EXPECT_EQ(p.l4, L4::kNone);
  }
}

TEST(Ipv4, FirstFragmentCarriesTheL4Header) {
  Bytes frame = ethernet(0x0800, ipv4(udp(5000, 53, payload_bytes(8)), {.proto = 17, .fragment = 0x2000}));
  // The UDP length counts the whole datagram, more than this fragment holds:
  // the payload is what is here, and that is not an error.
  set16(frame, 34 + 4, 1400);
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.is_later_fragment);
  EXPECT_EQ(p.l4, L4::kUdp);
  EXPECT_EQ(p.dst_port, 53);
  EXPECT_EQ(p.payload_offset, 42);
  EXPECT_EQ(p.payload_len, 8);

  // Unfragmented, the same length is missing bytes.
  set16(frame, 20, 0);
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kUdpBadLength);
}

TEST(Ipv4, LaterFragmentHasNoL4) {
  // Offset 185 * 8 bytes, more fragments follow; the payload starts with
  // bytes that would parse as a TCP header and must not be.
  for (std::uint16_t fragment : {0x20b9, 0x00b9, 0x0001}) {
    const Bytes frame = ethernet(0x0800, ipv4(tcp({}, payload_bytes(12)), {.fragment = fragment}));
    PacketLayers p;
    ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
    EXPECT_TRUE(p.is_fragment);
    EXPECT_TRUE(p.is_later_fragment);
    EXPECT_EQ(p.l4, L4::kNone);
    EXPECT_EQ(p.src_port, 0);
    EXPECT_EQ(p.ip_proto, 6);
    EXPECT_EQ(p.l4_offset, 34);
    EXPECT_EQ(p.payload_offset, 34);
    EXPECT_EQ(p.payload_len, 32);
  }
}

TEST(Ipv4, DontFragmentIsNotAFragment) {
  const Bytes frame = ethernet(0x0800, ipv4(tcp({}), {.fragment = 0x4000}));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_FALSE(p.is_fragment);
  EXPECT_EQ(p.l4, L4::kTcp);
}

TEST(Ipv4, LayerFunctionAlone) {
  const Bytes packet = ipv4(tcp({}), {.ttl = 3});
  PacketLayers p;
  ASSERT_EQ(decode_ipv4(packet, p, 100), DecodeError::kNone);
  EXPECT_EQ(p.ttl, 3);
  EXPECT_EQ(p.l4_offset, 120);
  EXPECT_EQ(p.payload_offset, 120);
  EXPECT_EQ(p.payload_len, 20);
  EXPECT_EQ(p.l4, L4::kNone);  // the L4 decoder has not run
}

}  // namespace
}  // namespace segward::net
