#pragma once
// ASCII character tests for the text protocols (HTTP, JSON, PIDs, paths):
// locale-free, total over every byte value, usable in constexpr. One place,
// so every decoder agrees on what a digit or a case-insensitive match is.
#include <cstddef>
#include <string_view>

namespace segward::decoders {

[[nodiscard]] constexpr bool is_digit(unsigned char c) noexcept { return c >= '0' && c <= '9'; }

/// 0..15 for a hex digit, -1 for anything else.
[[nodiscard]] constexpr int hex_value(unsigned char c) noexcept {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Equal ignoring ASCII case (header names, schemes, media types).
[[nodiscard]] constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace segward::decoders
