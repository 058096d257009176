#pragma once
// Wire bytes into event text. Every text a TlsEvent carries is valid UTF-8
// without control characters, so the EVE writer can emit it as it is: bytes
// that are not (printable ASCII, or valid UTF-8 where the field allows it)
// become "\xHH", and so does a backslash. Units (one character or one escape) are appended whole or
// not at all, so a cut text never ends inside a UTF-8 sequence.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/common/bounded_text.h"

namespace segward::tls {

using decoders::BoundedText;

/// Appends `unit` whole, or sets `truncated` and returns false.
template <std::size_t N>
bool append_unit(BoundedText<N>& text, std::string_view unit) noexcept {
  if (unit.size() > N - text.size) {
    text.truncated = true;
    return false;
  }
  text.append(unit);
  return true;
}

inline constexpr std::string_view kHexLower = "0123456789abcdef";
inline constexpr std::string_view kHexUpper = "0123456789ABCDEF";

template <std::size_t N>
bool append_escape(BoundedText<N>& text, std::uint8_t b) noexcept {
  const char esc[4] = {'\\', 'x', kHexLower[b >> 4], kHexLower[b & 15]};
  return append_unit(text, std::string_view(esc, 4));
}

/// Printable ASCII except the backslash, which is escaped too, so "\xHH"
/// in a text always is an escape.
[[nodiscard]] constexpr bool is_printable_ascii(std::uint8_t b) noexcept { return b >= 0x20 && b < 0x7f && b != '\\'; }

/// Printable ASCII as is, every other byte escaped (host names, ALPN ids).
template <std::size_t N>
void append_printable(BoundedText<N>& text, std::span<const std::uint8_t> bytes) noexcept {
  for (const std::uint8_t b : bytes) {
    const char c = static_cast<char>(b);
    const bool ok = is_printable_ascii(b) ? append_unit(text, std::string_view(&c, 1)) : append_escape(text, b);
    if (!ok) return;
  }
}

[[nodiscard]] constexpr bool is_displayable(std::uint32_t cp) noexcept {
  return !(cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || (cp >= 0xd800 && cp < 0xe000) || cp > 0x10ffff);
}

/// One Unicode scalar value as UTF-8 (from BMPString, UniversalString, T61String);
/// control characters, surrogates and values past U+10FFFF become "\uHHHH" / "\UHHHHHHHH".
template <std::size_t N>
bool append_code_point(BoundedText<N>& text, std::uint32_t cp) noexcept {
  if (cp == '\\') return append_escape(text, '\\');
  char out[10];
  std::size_t n;
  if (!is_displayable(cp)) {
    const bool wide = cp > 0xffff;
    n = wide ? 10 : 6;
    out[0] = '\\';
    out[1] = wide ? 'U' : 'u';
    for (std::size_t k = 2; k < n; ++k) out[k] = kHexUpper[(cp >> (4 * (n - 1 - k))) & 15];
  } else if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    n = 1;
  } else if (cp < 0x800) {
    out[0] = static_cast<char>(0xc0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    out[0] = static_cast<char>(0xe0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out[2] = static_cast<char>(0x80 | (cp & 0x3f));
    n = 3;
  } else {
    out[0] = static_cast<char>(0xf0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out[3] = static_cast<char>(0x80 | (cp & 0x3f));
    n = 4;
  }
  return append_unit(text, std::string_view(out, n));
}

/// Valid UTF-8 as is (shortest form only); other bytes escaped one by one.
template <std::size_t N>
void append_utf8(BoundedText<N>& text, std::span<const std::uint8_t> bytes) noexcept {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::uint8_t b = bytes[i];
    std::size_t len = 0;
    std::uint32_t cp = 0;
    std::uint32_t min = 0;
    if (b == '\\') {
      if (!append_escape(text, b)) return;
      ++i;
      continue;
    }
    if (b < 0x80) {
      len = 1;
      cp = b;
    } else if ((b & 0xe0) == 0xc0) {
      len = 2;
      cp = b & 0x1f;
      min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3;
      cp = b & 0x0f;
      min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4;
      cp = b & 0x07;
      min = 0x10000;
    }
    bool valid = len > 0 && len <= bytes.size() - i;
    for (std::size_t k = 1; valid && k < len; ++k) {
      if ((bytes[i + k] & 0xc0) != 0x80) valid = false;
      cp = (cp << 6) | (bytes[i + k] & 0x3f);
    }
    if (valid && len > 1 && cp < min) valid = false;  // overlong
    if (!valid) {
      if (!append_escape(text, b)) return;
      ++i;
      continue;
    }
    if (!is_displayable(cp)) {  // a control character or surrogate: escape its bytes
      for (std::size_t k = 0; k < len; ++k) {
        if (!append_escape(text, bytes[i + k])) return;
      }
    } else if (!append_unit(text, std::string_view(reinterpret_cast<const char*>(bytes.data() + i), len))) {
      return;
    }
    i += len;
  }
}

/// Lower-case hex of `bytes` into `out` (2 chars a byte).
template <std::size_t M>
void write_hex_lower(std::span<const std::uint8_t> bytes, std::array<char, M>& out) noexcept {
  static_assert(M % 2 == 0);
  for (std::size_t i = 0; i < bytes.size() && 2 * i + 1 < M; ++i) {
    out[2 * i] = kHexLower[bytes[i] >> 4];
    out[2 * i + 1] = kHexLower[bytes[i] & 15];
  }
}

}  // namespace segward::tls
