#pragma once
// SHA-256 (FIPS 180-4), incremental, no heap: certificate fingerprints and
// the JA4 hashes. Not constant-time and not meant for secrets.
#include <array>
#include <cstdint>

#include "decoders/tls/block_buffer.h"

namespace segward::tls {

struct Sha256Rounds {
  static constexpr std::array<std::uint32_t, 8> kInitial = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                                             0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  static constexpr bool kBigEndian = true;
  static void compress(std::array<std::uint32_t, 8>& state, const std::uint8_t* block) noexcept;
};

using Sha256 = BlockHash<Sha256Rounds>;

}  // namespace segward::tls
