#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::net {
namespace {

using namespace segward::net::testing;

TEST(Ethernet, UntaggedFrame) {
  const Bytes frame = tcp_v4_frame();
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.dst_mac, kDstMac);
  EXPECT_EQ(p.src_mac, kSrcMac);
  EXPECT_EQ(p.ether_type, ether_type::kIpv4);
  EXPECT_EQ(p.vlan_count, 0);
  EXPECT_EQ(p.l3_offset, 14);
  EXPECT_EQ(p.l3, L3::kIpv4);
}

TEST(Ethernet, SingleVlanTag) {
  const Bytes frame = ethernet(0x0800, ipv4(tcp({})), {{0x8100, 100}});
  PacketLayers p;
  ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.vlan_count, 1);
  EXPECT_EQ(p.vlan_ids[0], 100);  // PCP bits masked off
  EXPECT_EQ(p.ether_type, ether_type::kIpv4);
  EXPECT_EQ(p.l3_offset, 18);
  EXPECT_EQ(p.l4, L4::kTcp);
  EXPECT_EQ(p.l4_offset, 38);
}

TEST(Ethernet, QinQWithEachOuterTpid) {
  for (std::uint16_t outer : {ether_type::kQinQ, ether_type::kQinQLegacy, ether_type::kVlan}) {
    SCOPED_TRACE(outer);
    const Bytes frame = ethernet(0x86dd, ipv6(17, udp(5353, 5353, payload_bytes(4))), {{outer, 4094}, {0x8100, 7}});
    PacketLayers p;
    ASSERT_EQ(decode_exact(frame, p), DecodeError::kNone);
    EXPECT_EQ(p.vlan_count, 2);
    EXPECT_EQ(p.vlan_ids[0], 4094);
    EXPECT_EQ(p.vlan_ids[1], 7);
    EXPECT_EQ(p.l3_offset, 22);
    EXPECT_EQ(p.l3, L3::kIpv6);
    EXPECT_EQ(p.l4, L4::kUdp);
    EXPECT_EQ(p.payload_len, 4);
  }
}

TEST(Ethernet, ThreeTagsAreTooMany) {
  const Bytes frame = ethernet(0x0800, ipv4(tcp({})), {{0x88a8, 1}, {0x8100, 2}, {0x8100, 3}});
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kVlanTooMany);
  EXPECT_EQ(p.vlan_count, 2);
  EXPECT_EQ(p.l3, L3::kNone);
}

TEST(Ethernet, EveryCutInsideTheHeaderIsEthTruncated) {
  const Bytes frame = tcp_v4_frame();
  for (std::size_t n = 0; n < 14; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kEthTruncated) << n;
  }
}

TEST(Ethernet, EveryCutInsideATagIsVlanTruncated) {
  const Bytes frame = ethernet(0x0800, ipv4(tcp({})), {{0x88a8, 1}, {0x8100, 2}});
  // Bytes 14..21 are the two tags' TCI and next-type fields.
  for (std::size_t n = 14; n < 22; ++n) {
    PacketLayers p;
    EXPECT_EQ(decode_exact(std::span(frame).first(n), p), DecodeError::kVlanTruncated) << n;
  }
}

TEST(Ethernet, UnknownEthertypeIsOtherNotAnError) {
  const Bytes lldp = ethernet(0x88cc, payload_bytes(30));
  PacketLayers p;
  ASSERT_EQ(decode_exact(lldp, p), DecodeError::kNone);
  EXPECT_EQ(p.l3, L3::kOther);
  EXPECT_EQ(p.ether_type, 0x88cc);
  EXPECT_EQ(p.l4, L4::kNone);
  EXPECT_EQ(p.payload_offset, 14);
  EXPECT_EQ(p.payload_len, 30);

  // 802.3 length field (an STP BPDU): also kOther.
  const Bytes stp = ethernet(0x0026, payload_bytes(38));
  ASSERT_EQ(decode_exact(stp, p), DecodeError::kNone);
  EXPECT_EQ(p.l3, L3::kOther);
  EXPECT_EQ(p.ether_type, 0x0026);
}

TEST(Ethernet, HeaderOnlyFrameWithUnknownTypeDecodes) {
  const Bytes frame = ethernet(0x88cc, {});
  PacketLayers p;
  EXPECT_EQ(decode_exact(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.payload_len, 0);
}

TEST(Ethernet, LayerFunctionAlone) {
  const Bytes frame = ethernet(0x0806, arp(1), {{0x8100, 42}});
  PacketLayers p;
  ASSERT_EQ(decode_ethernet(frame, p), DecodeError::kNone);
  EXPECT_EQ(p.ether_type, ether_type::kArp);
  EXPECT_EQ(p.vlan_ids[0], 42);
  EXPECT_EQ(p.l3_offset, 18);
  EXPECT_EQ(p.l3, L3::kNone);  // the L3 decoder has not run
}

}  // namespace
}  // namespace segward::net
