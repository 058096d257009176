#pragma once
// MD5 (RFC 1321), incremental, no heap: the JA3 and JA3S fingerprints only.
// MD5 is broken for security; JA3 is defined over it.
#include <array>
#include <cstdint>

#include "decoders/tls/block_buffer.h"

namespace segward::tls {

struct Md5Rounds {
  static constexpr std::array<std::uint32_t, 4> kInitial = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  static constexpr bool kBigEndian = false;
  static void compress(std::array<std::uint32_t, 4>& state, const std::uint8_t* block) noexcept;
};

using Md5 = BlockHash<Md5Rounds>;

}  // namespace segward::tls
