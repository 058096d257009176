#pragma once
// SHA-1 (FIPS 180-4), incremental, no heap: Suricata's certificate
// fingerprint (tls.fingerprint) only. SHA-1 is broken for security.
#include <array>
#include <cstdint>

#include "decoders/tls/block_buffer.h"

namespace segward::tls {

struct Sha1Rounds {
  static constexpr std::array<std::uint32_t, 5> kInitial = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  static constexpr bool kBigEndian = true;
  static void compress(std::array<std::uint32_t, 5>& state, const std::uint8_t* block) noexcept;
};

using Sha1 = BlockHash<Sha1Rounds>;

}  // namespace segward::tls
