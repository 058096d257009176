#pragma once
// MD5 (RFC 1321), incremental, no heap: the JA3 and JA3S fingerprints only.
// MD5 is broken for security; JA3 is defined over it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/tls/block_buffer.h"

namespace segward::tls {

class Md5 {
 public:
  static constexpr std::size_t kDigestBytes = 16;
  using Digest = std::array<std::uint8_t, kDigestBytes>;

  Md5() noexcept { reset(); }
  void reset() noexcept;
  void update(std::span<const std::uint8_t> bytes) noexcept;
  void update(std::string_view text) noexcept {
    update(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  /// The digest of everything updated since reset(); the object is reset after.
  [[nodiscard]] Digest finish() noexcept;

  [[nodiscard]] static Digest of(std::span<const std::uint8_t> bytes) noexcept {
    Md5 h;
    h.update(bytes);
    return h.finish();
  }

 private:
  void block(const std::uint8_t* p) noexcept;

  std::array<std::uint32_t, 4> state_;
  BlockBuffer buffer_;
};

}  // namespace segward::tls
