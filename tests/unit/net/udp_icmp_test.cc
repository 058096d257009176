#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

Bytes udp_v4(std::span<const std::uint8_t> datagram) { return ethernet(0x0800, ipv4(datagram, {.proto = 17})); }

TEST(Udp, Fields) {
  const Bytes frame = udp_v4(udp(33000, 2181, payload_bytes(12)));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kUdp);
  EXPECT_EQ(p.src_port, 33000);
  EXPECT_EQ(p.dst_port, 2181);
  EXPECT_EQ(p.l4_offset, 34);
  EXPECT_EQ(p.payload_offset, 42);
  EXPECT_EQ(p.payload_len, 12);
  EXPECT_EQ(p.tcp_flags, 0);
}

TEST(Udp, EveryCutOfTheHeaderIsUdpTruncated) {
  const Bytes datagram = udp(1, 2, {});
  for (std::size_t n = 0; n < 8; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(udp_v4(std::span(datagram).first(n)), p), DecodeError::kUdpTruncated) << n;
    EXPECT_EQ(p.l3, L3::kIpv4);
  }
}

TEST(Udp, LengthBelowEight) {
  for (std::uint16_t len : {0, 1, 7}) {
    Bytes datagram = udp(1, 2, payload_bytes(4));
    set16(datagram, 4, len);
    PacketLayers p;
    EXPECT_EQ(decode_exact(udp_v4(datagram), p), DecodeError::kUdpBadLength) << len;
    EXPECT_EQ(p.l4, L4::kUdp);
  }
}

TEST(Udp, LengthPastTheIpPayload) {
  Bytes datagram = udp(1, 2, payload_bytes(4));
  set16(datagram, 4, 13);
  PacketLayers p;
  EXPECT_EQ(decode_exact(udp_v4(datagram), p), DecodeError::kUdpBadLength);
  EXPECT_EQ(decode_exact(ethernet(0x86dd, ipv6(17, datagram)), p), DecodeError::kUdpBadLength);
}

TEST(Udp, LengthBelowTheIpPayloadTrims) {
  Bytes datagram = udp(1, 2, payload_bytes(10));
  set16(datagram, 4, 11);
  PacketLayers p;
  ASSERT_EQ(decode_exact(udp_v4(datagram), p), DecodeError::kNone);
  EXPECT_EQ(p.payload_len, 3);
}

TEST(Udp, FirstIpv6FragmentMayHoldPartOfTheDatagram) {
  Bytes datagram = udp(4789, 4789, payload_bytes(16));
  set16(datagram, 4, 3000);
  const Bytes frame = ethernet(0x86dd, ipv6(44, concat({ipv6_fragment(17, 0, true), datagram})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kUdp);
  EXPECT_EQ(p.payload_len, 16);
}

TEST(Icmp, EchoRequest) {
  const Bytes frame = ethernet(0x0800, ipv4(icmp(8, 0, payload_bytes(56)), {.proto = 1}));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kIcmp);
  EXPECT_EQ(p.icmp_type, 8);
  EXPECT_EQ(p.icmp_code, 0);
  EXPECT_EQ(p.src_port, 0);
  EXPECT_EQ(p.payload_offset, 42);
  EXPECT_EQ(p.payload_len, 56);
}

TEST(Icmp, PortUnreachable) {
  const Bytes quoted = ipv4(udp(1, 2, {}), {.proto = 17});
  const Bytes frame = ethernet(0x0800, ipv4(icmp(3, 3, quoted), {.proto = 1}));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.icmp_type, 3);
  EXPECT_EQ(p.icmp_code, 3);
  EXPECT_EQ(p.payload_len, quoted.size());
}

TEST(Icmp, EveryCutOfTheHeaderIsIcmpTruncated) {
  const Bytes message = icmp(0, 0);
  for (std::size_t n = 0; n < 8; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(ethernet(0x0800, ipv4(std::span(message).first(n), {.proto = 1})), p),
              DecodeError::kIcmpTruncated)
        << n;
  }
}

TEST(Icmpv6, NeighborSolicitation) {
  const Bytes target(kDst6.begin(), kDst6.end());
  const Bytes frame = ethernet(0x86dd, ipv6(58, icmp(135, 0, target), 255));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kIcmpv6);
  EXPECT_EQ(p.icmp_type, 135);
  EXPECT_EQ(p.ttl, 255);
  EXPECT_EQ(p.payload_len, 16);
}

TEST(Icmpv6, BehindHopByHop) {
  // MLD reports travel behind a hop-by-hop router alert.
  const Bytes frame = ethernet(0x86dd, ipv6(0, concat({ipv6_ext(58), icmp(143, 0, payload_bytes(20))})));
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kIcmpv6);
  EXPECT_EQ(p.icmp_type, 143);
  EXPECT_EQ(p.l4_offset, 62);
}

TEST(Icmpv6, EveryCutOfTheHeaderIsIcmpv6Truncated) {
  const Bytes message = icmp(128, 0);
  for (std::size_t n = 0; n < 8; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(ethernet(0x86dd, ipv6(58, std::span(message).first(n))), p),
              DecodeError::kIcmpv6Truncated)
        << n;
  }
}

TEST(OtherL4, UnknownProtocolKeepsTheIpPayload) {
  const Bytes frame = ethernet(0x0800, ipv4(payload_bytes(24), {.proto = 47}));  // GRE
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l4, L4::kOther);
  EXPECT_EQ(p.ip_proto, 47);
  EXPECT_EQ(p.l4_offset, 34);
  EXPECT_EQ(p.payload_offset, 34);
  EXPECT_EQ(p.payload_len, 24);
}

}  // namespace
}  // namespace segward::net
