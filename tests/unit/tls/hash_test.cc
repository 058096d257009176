// MD5 (RFC 1321 §A.5), SHA-1 and SHA-256 (FIPS 180-2 examples) test
// vectors, every padding boundary against Python's hashlib, and incremental
// updates against one-shot hashing.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "decoders/tls/md5.h"
#include "decoders/tls/sha1.h"
#include "decoders/tls/sha256.h"
#include "tests/unit/tls/tls_test_support.h"

namespace segward::tls {
namespace {

using testing::Bytes;
using testing::hex_of;

template <class Hash>
std::string hex_hash(std::string_view text) {
  Hash h;
  h.update(text);
  return hex_of(h.finish());
}

TEST(TlsMd5, Rfc1321TestSuite) {
  EXPECT_EQ(hex_hash<Md5>(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_hash<Md5>("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(hex_hash<Md5>("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex_hash<Md5>("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(hex_hash<Md5>("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(hex_hash<Md5>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(hex_hash<Md5>("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(TlsSha256, Fips180Examples) {
  EXPECT_EQ(hex_hash<Sha256>(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_hash<Sha256>("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_hash<Sha256>("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 h;
  const std::string thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(thousand);
  EXPECT_EQ(hex_of(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(TlsSha1, Fips180Examples) {
  EXPECT_EQ(hex_hash<Sha1>(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(hex_hash<Sha1>("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(hex_hash<Sha1>("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  Sha1 h;
  const std::string thousand(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(thousand);
  EXPECT_EQ(hex_of(h.finish()), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 131 + 7) & 0xff);
  return b;
}

template <class Hash>
void expect_incremental_matches_one_shot() {
  for (const std::size_t n : {0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000}) {
    const Bytes input = pattern(n);
    const auto one_shot = Hash::of(input);
    for (const std::size_t step : {1, 3, 7, 63, 64, 65}) {
      Hash h;
      for (std::size_t at = 0; at < n; at += step) h.update(std::span(input).subspan(at, std::min(step, n - at)));
      EXPECT_EQ(h.finish(), one_shot) << "n=" << n << " step=" << step;
    }
    // finish() resets: the object is reusable.
    Hash h;
    h.update(input);
    (void)h.finish();
    h.update(input);
    EXPECT_EQ(h.finish(), one_shot);
  }
}

TEST(TlsHashes, IncrementalEqualsOneShot) {
  expect_incremental_matches_one_shot<Md5>();
  expect_incremental_matches_one_shot<Sha1>();
  expect_incremental_matches_one_shot<Sha256>();
}

// Every length 0..300 (all padding cases) against hashlib, when python3 is there.
TEST(TlsHashes, MatchPythonHashlib) {
  const char* script =
      "python3 -c \"import hashlib\n"
      "for n in range(301):\n"
      "  b = bytes(((i * 131 + 7) & 0xff) for i in range(n))\n"
      "  print(hashlib.md5(b).hexdigest(), hashlib.sha1(b).hexdigest(), hashlib.sha256(b).hexdigest())\" 2>/dev/null";
  FILE* p = popen(script, "r");
  if (p == nullptr) GTEST_SKIP() << "no shell";
  std::string out;
  char buf[4096];
  while (const std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  if (pclose(p) != 0 || out.empty()) GTEST_SKIP() << "python3 not available";
  std::string mine;
  for (std::size_t n = 0; n <= 300; ++n) {
    const Bytes b = pattern(n);
    mine += hex_of(Md5::of(b)) + " " + hex_of(Sha1::of(b)) + " " + hex_of(Sha256::of(b)) + "\n";
  }
  EXPECT_EQ(mine, out);
}

}  // namespace
}  // namespace segward::tls
