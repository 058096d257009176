#pragma once
// SHA-256 (FIPS 180-4), incremental, no heap: certificate fingerprints and
// the JA4 hashes. Not constant-time and not meant for secrets.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/tls/block_buffer.h"

namespace segward::tls {

class Sha256 {
 public:
  static constexpr std::size_t kDigestBytes = 32;
  using Digest = std::array<std::uint8_t, kDigestBytes>;

  Sha256() noexcept { reset(); }
  void reset() noexcept;
  void update(std::span<const std::uint8_t> bytes) noexcept;
  void update(std::string_view text) noexcept {
    update(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  /// The digest of everything updated since reset(); the object is reset after.
  [[nodiscard]] Digest finish() noexcept;

  [[nodiscard]] static Digest of(std::span<const std::uint8_t> bytes) noexcept {
    Sha256 h;
    h.update(bytes);
    return h.finish();
  }

 private:
  void block(const std::uint8_t* p) noexcept;

  std::array<std::uint32_t, 8> state_;
  BlockBuffer buffer_;
};

}  // namespace segward::tls
