#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

TEST(Arp, RequestPaddedToMinimumFrame) {
  Bytes frame = ethernet(0x0806, arp(1));
  frame.resize(60, 0);  // Ethernet minimum: 18 bytes of padding
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.l3, L3::kArp);
  EXPECT_EQ(p.l4, L4::kNone);
  EXPECT_EQ(p.arp.op, 1);
  EXPECT_EQ(p.arp.sender_mac, kSrcMac);
  EXPECT_EQ(p.arp.target_mac, kDstMac);
  EXPECT_EQ(p.arp.sender_ip, kSrc4);
  EXPECT_EQ(p.arp.target_ip, kDst4);
  EXPECT_EQ(p.payload_offset, 42);
  EXPECT_EQ(p.payload_len, 0);  // padding is not payload
}

TEST(Arp, ReplyBehindVlan) {
  const Bytes frame = ethernet(0x0806, arp(2), {{0x8100, 10}});
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.arp.op, 2);
  EXPECT_EQ(p.l3_offset, 18);
}

TEST(Arp, EveryCutIsArpTruncated) {
  const Bytes frame = ethernet(0x0806, arp(1));
  for (std::size_t n = 14; n < frame.size(); ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kArpTruncated) << n;
  }
}

TEST(Arp, NonIpv4AddressFormatIsRefused) {
  Bytes body = arp(1);
  body[5] = 16;  // protocol address length of IPv6: every later field moves
  PacketLayers p;
  EXPECT_EQ(decode_arp(body, p, 14), DecodeError::kArpBadFormat);
  EXPECT_EQ(p.l3, L3::kArp);
  EXPECT_EQ(p.arp.op, 1);

  body = arp(1);
  set16(body, 2, 0x86dd);
  EXPECT_EQ(decode_arp(body, p, 14), DecodeError::kArpBadFormat);

  body = arp(1);
  body[4] = 8;
  EXPECT_EQ(decode_arp(body, p, 14), DecodeError::kArpBadFormat);
}

}  // namespace
}  // namespace segward::net
