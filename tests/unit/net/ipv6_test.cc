#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

TEST(Ipv6, FieldsOfATcpPacket) {
  const Bytes frame = ethernet(0x86dd, ipv6(6, tcp({}, payload_bytes(7)), 255));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l3, L3::kIpv6);
  EXPECT_EQ(p.src_ip, IpAddress::v6_from(kSrc6));
  EXPECT_EQ(p.dst_ip, IpAddress::v6_from(kDst6));
  EXPECT_TRUE(p.dst_ip.v6);
  EXPECT_EQ(p.ttl, 255);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.l4_offset, 54);
  EXPECT_EQ(p.payload_offset, 74);
  EXPECT_EQ(p.payload_len, 7);
}

TEST(Ipv6, EveryCutInsideTheFixedHeaderIsIpv6Truncated) {
  const Bytes frame = tcp_v6_frame();
  for (std::size_t n = 14; n < 54; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kIpv6Truncated) << n;
  }
}

TEST(Ipv6, EveryCutAfterTheFixedHeaderIsBadPayloadLength) {
  const Bytes frame = tcp_v6_frame();
  for (std::size_t n = 54; n < frame.size(); ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kIpv6BadPayloadLength) << n;
    EXPECT_EQ(p.l3, L3::kIpv6);
  }
}

TEST(Ipv6, BadVersion) {
  Bytes frame = tcp_v6_frame();
  frame[14] = 0x40;
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv6BadVersion);
  EXPECT_EQ(p.l3, L3::kNone);
}

TEST(Ipv6, PaddingIsTrimmed) {
  Bytes frame = ethernet(0x86dd, ipv6(58, icmp(128, 0)));
  frame.resize(frame.size() + 6, 0);
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kIcmpv6);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(Ipv6, ExtensionChainToTcp) {
  const Bytes chain = concat({ipv6_ext(43), ipv6_ext(60, 14), ipv6_ext(6, 22)});
  const Bytes frame = ethernet(0x86dd, ipv6(0, concat({chain, tcp({}, payload_bytes(3))})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.l4, L4::kTcp);
  EXPECT_EQ(p.l4_offset, 54 + 8 + 16 + 24);
  EXPECT_EQ(p.dst_port, 2181);
  EXPECT_EQ(p.payload_len, 3);
  EXPECT_FALSE(p.is_fragment);
}

TEST(Ipv6, AuthenticationHeaderUsesFourByteUnits) {
  const Bytes frame = ethernet(0x86dd, ipv6(51, concat({ipv6_ah(17, 12), udp(500, 500, payload_bytes(4))})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kUdp);
  EXPECT_EQ(p.l4_offset, 54 + 24);
  EXPECT_EQ(p.payload_len, 4);
}

TEST(Ipv6, EspAndNoNextHeaderStopTheWalk) {
  PacketLayers p;
  const Bytes esp = ethernet(0x86dd, ipv6(60, concat({ipv6_ext(50), payload_bytes(32)})));
  ASSERT_EQ(decode_exact(esp, p), DecodeError::kNone);
  EXPECT_EQ(p.ip_proto, 50);
  EXPECT_EQ(p.l4, L4::kOther);
  EXPECT_EQ(p.l4_offset, 62);
  EXPECT_EQ(p.payload_len, 32);

  const Bytes none = ethernet(0x86dd, ipv6(0, ipv6_ext(59)));
  ASSERT_EQ(decode_exact(none, p), DecodeError::kNone);
  EXPECT_EQ(p.ip_proto, 59);
  EXPECT_EQ(p.l4, L4::kOther);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(Ipv6, FirstFragmentWalksOnToTheL4Header) {
  const Bytes frame =
      ethernet(0x86dd, ipv6(0, concat({ipv6_ext(44), ipv6_fragment(17, 0, true), udp(1, 2, payload_bytes(8))})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_FALSE(p.is_later_fragment);
  EXPECT_EQ(p.l4, L4::kUdp);
  EXPECT_EQ(p.l4_offset, 54 + 16);
}

TEST(Ipv6, LaterFragmentStopsAtTheFragmentHeader) {
  const Bytes frame = ethernet(0x86dd, ipv6(44, concat({ipv6_fragment(6, 100, false), payload_bytes(16)})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_TRUE(p.is_fragment);
  EXPECT_TRUE(p.is_later_fragment);
  EXPECT_EQ(p.l4, L4::kNone);
  EXPECT_EQ(p.ip_proto, 6);
  EXPECT_EQ(p.payload_offset, 62);
  EXPECT_EQ(p.payload_len, 16);
}

TEST(Ipv6, EveryCutOfTheExtensionChainIsExtTruncated) {
  // Payload length is kept consistent with each cut, so the chain itself is
  // what runs short.
  const Bytes chain = concat({ipv6_ext(44, 14), ipv6_fragment(51, 0, true), ipv6_ah(6)});
  for (std::size_t n = 0; n < chain.size(); ++n) {
    const Bytes frame = ethernet(0x86dd, ipv6(0, std::span(chain).first(n)));
    PacketLayers p;
    EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv6ExtTruncated) << n;
    EXPECT_EQ(p.l3, L3::kIpv6);
  }
}

TEST(Ipv6, ExtensionLengthPastThePayload) {
  Bytes ext = ipv6_ext(6);
  ext[1] = 255;  // 2048 bytes
  const Bytes frame = ethernet(0x86dd, ipv6(60, concat({ext, tcp({})})));
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv6ExtTruncated);
}

Bytes dest_options_chain(std::size_t count, std::uint8_t last_next) {
  Bytes chain;
  for (std::size_t i = 0; i < count; ++i) {
    const Bytes ext = ipv6_ext(i + 1 == count ? last_next : 60);
    chain.insert(chain.end(), ext.begin(), ext.end());
  }
  return chain;
}

TEST(Ipv6, EightExtensionHeadersAreWalked) {
  const Bytes frame = ethernet(0x86dd, ipv6(60, concat({dest_options_chain(kMaxIpv6ExtHeaders, 17), udp(1, 2, {})})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kUdp);
  EXPECT_EQ(p.l4_offset, 54 + 8 * kMaxIpv6ExtHeaders);
}

TEST(Ipv6, NineExtensionHeadersAreTooMany) {
  const Bytes frame =
      ethernet(0x86dd, ipv6(60, concat({dest_options_chain(kMaxIpv6ExtHeaders + 1, 17), udp(1, 2, {})})));
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kIpv6TooManyExt);
  EXPECT_EQ(p.l3, L3::kIpv6);
  EXPECT_EQ(p.l4, L4::kNone);
}

TEST(Ipv6, EmptyPayloadWithTcpNextHeaderIsTcpTruncated) {
  const Bytes frame = ethernet(0x86dd, ipv6(6, {}));
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kTcpTruncated);
}

TEST(Ipv6, LayerFunctionAlone) {
  const Bytes packet = ipv6(0, concat({ipv6_ext(17), udp(1, 2, {})}));
  PacketLayers p;
  ASSERT_EQ(decode_ipv6(packet, p, 18), DecodeError::kNone);
  EXPECT_EQ(p.ip_proto, 17);
  EXPECT_EQ(p.l4_offset, 18 + 48);
  EXPECT_EQ(p.payload_len, 8);
  EXPECT_EQ(p.l4, L4::kNone);
}

}  // namespace
}  // namespace segward::net
