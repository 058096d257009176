#include "decoders/tls/sha1.h"

#include <algorithm>
#include <bit>

#include "decoders/common/byte_reader.h"

namespace segward::tls {

void Sha1::reset() noexcept {
  state_ = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  buffer_.reset();
}

void Sha1::block(const std::uint8_t* p) noexcept {
  std::array<std::uint32_t, 80> w;
  for (int i = 0; i < 16; ++i) w[i] = decoders::load_be32(p + 4 * i);
  for (int i = 16; i < 80; ++i) w[i] = std::rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  for (int i = 0; i < 80; ++i) {
    std::uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const std::uint32_t t = std::rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = std::rotl(b, 30);
    b = a;
    a = t;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
}

void Sha1::update(std::span<const std::uint8_t> bytes) noexcept {
  buffer_.update(bytes, [this](const std::uint8_t* p) { block(p); });
}

Sha1::Digest Sha1::finish() noexcept {
  buffer_.finish(true, [this](const std::uint8_t* p) { block(p); });
  Digest out;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (24 - 8 * j));
  }
  reset();
  return out;
}

}  // namespace segward::tls
