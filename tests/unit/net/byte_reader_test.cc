#include "decoders/common/byte_reader.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <limits>

namespace segward::decoders {
namespace {

constexpr std::array<std::uint8_t, 15> kBytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                              0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};

TEST(ByteReader, ReadsBigEndianAndAdvances) {
  ByteReader r(kBytes);
  EXPECT_EQ(r.be8(), 0x01);
  EXPECT_EQ(r.be16(), 0x0203);
  EXPECT_EQ(r.be32(), 0x04050607u);
  EXPECT_EQ(r.be64(), 0x08090a0b0c0d0e0fULL);
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.position(), kBytes.size());
  EXPECT_EQ(r.be8(), std::nullopt);
}

TEST(ByteReader, ShortReadFailsWithoutMoving) {
  ByteReader r{std::span(kBytes).first(3)};
  ASSERT_TRUE(r.skip(1));
  EXPECT_EQ(r.be32(), std::nullopt);
  EXPECT_EQ(r.be64(), std::nullopt);
  EXPECT_EQ(r.position(), 1u);
  EXPECT_EQ(r.be16(), 0x0203);
  EXPECT_EQ(r.be16(), std::nullopt);
}

TEST(ByteReader, SkipIsOverflowSafe) {
  ByteReader r(kBytes);
  ASSERT_TRUE(r.skip(4));
  EXPECT_FALSE(r.skip(std::numeric_limits<std::size_t>::max()));
  EXPECT_FALSE(r.skip(std::numeric_limits<std::size_t>::max() - 2));
  EXPECT_FALSE(r.skip(12));
  EXPECT_EQ(r.remaining(), 11u);
  EXPECT_TRUE(r.skip(11));
  EXPECT_TRUE(r.skip(0));
  EXPECT_FALSE(r.skip(1));
}

TEST(ByteReader, PeekDoesNotMoveAndChecksBounds) {
  ByteReader r(kBytes);
  ASSERT_TRUE(r.skip(10));
  EXPECT_EQ(r.peek8(), 0x0b);
  EXPECT_EQ(r.peek_be16(3), 0x0e0f);
  EXPECT_EQ(r.peek_be16(4), std::nullopt);
  EXPECT_EQ(r.peek_be32(2), std::nullopt);
  EXPECT_EQ(r.peek8(std::numeric_limits<std::size_t>::max()), std::nullopt);
  EXPECT_EQ(r.position(), 10u);
}

TEST(ByteReader, BytesReturnsAViewIntoTheInput) {
  ByteReader r(kBytes);
  const auto view = r.bytes(4);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->data(), kBytes.data());
  EXPECT_EQ(view->size(), 4u);
  EXPECT_EQ(r.bytes(12), std::nullopt);
  EXPECT_EQ(r.rest().size(), 11u);
}

TEST(ByteReader, EmptyInput) {
  ByteReader r;
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.be8(), std::nullopt);
  EXPECT_TRUE(r.skip(0));
  EXPECT_EQ(r.bytes(0)->size(), 0u);
}

TEST(ByteReader, UncheckedLoadsAreBigEndianAtAnyAlignment) {
  EXPECT_EQ(load_be16(kBytes.data() + 1), 0x0203);
  EXPECT_EQ(load_be32(kBytes.data() + 3), 0x04050607u);
  EXPECT_EQ(load_be64(kBytes.data() + 7), 0x08090a0b0c0d0e0fULL);
}

}  // namespace
}  // namespace segward::decoders
