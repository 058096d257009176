#include <gtest/gtest.h>

#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

IpAddress v6(std::initializer_list<std::uint16_t> groups) {
  std::array<std::uint8_t, 16> b{};
  std::size_t i = 0;
  for (std::uint16_t g : groups) {
    b[i++] = static_cast<std::uint8_t>(g >> 8);
    b[i++] = static_cast<std::uint8_t>(g);
  }
  return IpAddress::v6_from(b);
}

TEST(FormatIp, Ipv4) {
  EXPECT_EQ(format_ip(IpAddress::v4_from(10, 0, 0, 1)), "10.0.0.1");
  EXPECT_EQ(format_ip(IpAddress::v4_from(255, 255, 255, 255)), "255.255.255.255");
  EXPECT_EQ(format_ip(IpAddress{}), "0.0.0.0");
}

TEST(FormatIp, Ipv6FollowsRfc5952) {
  EXPECT_EQ(format_ip(v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1})), "2001:db8::1");
  EXPECT_EQ(format_ip(v6({0, 0, 0, 0, 0, 0, 0, 0})), "::");
  EXPECT_EQ(format_ip(v6({0, 0, 0, 0, 0, 0, 0, 1})), "::1");
  EXPECT_EQ(format_ip(v6({0xfe80, 0, 0, 0, 0x1, 0x2, 0x3, 0})), "fe80::1:2:3:0");
  // A single zero group is not compressed; the first of equal runs is.
  EXPECT_EQ(format_ip(v6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1})), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(format_ip(v6({0x2001, 0, 0, 1, 0, 0, 1, 0xABCD})), "2001::1:0:0:1:abcd");
  EXPECT_EQ(format_ip(v6({0x2001, 0xdb8, 0, 0, 1, 0, 0, 0})), "2001:db8:0:0:1::");
  EXPECT_EQ(format_ip(v6({0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001})), "::ffff:10.0.0.1");
}

TEST(IpAddress, ComparesByFamilyAndBytes) {
  EXPECT_EQ(IpAddress::v4_from(1, 2, 3, 4), IpAddress::v4_from(1, 2, 3, 4));
  EXPECT_NE(IpAddress::v4_from(1, 2, 3, 4), IpAddress::v4_from(1, 2, 3, 5));
  EXPECT_LT(IpAddress::v4_from(1, 2, 3, 4), IpAddress::v4_from(1, 2, 3, 5));
  EXPECT_NE(IpAddress{}, v6({0, 0, 0, 0, 0, 0, 0, 0}));
}

}  // namespace
}  // namespace segward::net
