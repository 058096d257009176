#pragma once
// A fixed-capacity text field for decoder events: events are plain values a
// dataplane worker fills without allocating and copies whole into a ring, so
// every text they carry keeps at most N bytes and says whether the wire
// value was longer.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace segward::decoders {

template <std::size_t N>
struct BoundedText {
  static_assert(N > 0 && N < 65536);
  std::array<char, N> bytes{};
  std::uint16_t size = 0;
  bool truncated = false;  // the wire value was longer than N

  void assign(std::string_view v) noexcept {
    size = 0;
    truncated = false;
    append(v);
  }
  void append(std::string_view v) noexcept {
    const std::size_t room = N - size;
    const std::size_t n = std::min(room, v.size());
    std::copy_n(v.data(), n, bytes.data() + size);
    size = static_cast<std::uint16_t>(size + n);
    if (n < v.size()) truncated = true;
  }
  void clear() noexcept {
    size = 0;
    truncated = false;
  }
  [[nodiscard]] std::string_view view() const noexcept { return {bytes.data(), size}; }
  [[nodiscard]] bool empty() const noexcept { return size == 0; }
  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return N; }
};

}  // namespace segward::decoders
