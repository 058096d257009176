#pragma once
// SHA-1 (FIPS 180-4), incremental, no heap: Suricata's certificate
// fingerprint (tls.fingerprint) only. SHA-1 is broken for security.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/tls/block_buffer.h"

namespace segward::tls {

class Sha1 {
 public:
  static constexpr std::size_t kDigestBytes = 20;
  using Digest = std::array<std::uint8_t, kDigestBytes>;

  Sha1() noexcept { reset(); }
  void reset() noexcept;
  void update(std::span<const std::uint8_t> bytes) noexcept;
  void update(std::string_view text) noexcept {
    update(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  /// The digest of everything updated since reset(); the object is reset after.
  [[nodiscard]] Digest finish() noexcept;

  [[nodiscard]] static Digest of(std::span<const std::uint8_t> bytes) noexcept {
    Sha1 h;
    h.update(bytes);
    return h.finish();
  }

 private:
  void block(const std::uint8_t* p) noexcept;

  std::array<std::uint32_t, 5> state_;
  BlockBuffer buffer_;
};

}  // namespace segward::tls
