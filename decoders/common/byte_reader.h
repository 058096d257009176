#pragma once
// Big-endian reads over a byte span, for every decoder in decoders/.
//
// Two layers:
//  - load_be16/32/64(p): unchecked loads for a fast path that has already
//    checked the length of a fixed-size header once.
//  - ByteReader: a cursor whose every read is bounds-checked and returns
//    std::nullopt (or false) on short input without moving, so a caller can
//    report the offset where the input ran out.
//
// Bounds checks compare `n > remaining()`, never `pos + n > size`, which can
// wrap. Loads go through memcpy: wire bytes are unaligned, and a
// reinterpret_cast to a wider integer would be undefined behaviour.
//
// Thread-safety: a ByteReader is a value; the bytes it views must outlive it.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace segward::decoders {

namespace detail {

template <typename T>
inline T byteswap_if_little(T v) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    if constexpr (sizeof(T) == 2) return static_cast<T>(__builtin_bswap16(v));
    if constexpr (sizeof(T) == 4) return static_cast<T>(__builtin_bswap32(v));
    if constexpr (sizeof(T) == 8) return static_cast<T>(__builtin_bswap64(v));
  }
  return v;
}

template <typename T>
inline T load_be(const std::uint8_t* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof(T));
  if constexpr (sizeof(T) == 1) {
    return v;
  } else {
    return byteswap_if_little(v);
  }
}

}  // namespace detail

/// Unchecked big-endian loads. The caller guarantees that the bytes
/// [p, p + width) are inside its span.
inline std::uint16_t load_be16(const std::uint8_t* p) noexcept { return detail::load_be<std::uint16_t>(p); }
inline std::uint32_t load_be32(const std::uint8_t* p) noexcept { return detail::load_be<std::uint32_t>(p); }
inline std::uint64_t load_be64(const std::uint8_t* p) noexcept { return detail::load_be<std::uint64_t>(p); }

/// A bounds-checked cursor over a byte span. Never reads outside the span.
class ByteReader {
 public:
  constexpr ByteReader() noexcept = default;
  constexpr explicit ByteReader(std::span<const std::uint8_t> data) noexcept : data_(data) {}

  [[nodiscard]] constexpr std::size_t size() const noexcept { return data_.size(); }
  [[nodiscard]] constexpr std::size_t position() const noexcept { return pos_; }
  [[nodiscard]] constexpr std::size_t remaining() const noexcept { return data_.size() - pos_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return pos_ == data_.size(); }
  /// The bytes not yet consumed.
  [[nodiscard]] constexpr std::span<const std::uint8_t> rest() const noexcept { return data_.subspan(pos_); }

  /// Moves past `n` bytes; false (and no move) when fewer remain.
  [[nodiscard]] constexpr bool skip(std::size_t n) noexcept {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }

  [[nodiscard]] std::optional<std::uint8_t> be8() noexcept { return read<std::uint8_t>(); }
  [[nodiscard]] std::optional<std::uint16_t> be16() noexcept { return read<std::uint16_t>(); }
  [[nodiscard]] std::optional<std::uint32_t> be32() noexcept { return read<std::uint32_t>(); }
  [[nodiscard]] std::optional<std::uint64_t> be64() noexcept { return read<std::uint64_t>(); }

  /// Reads without moving, `ahead` bytes past the current position.
  [[nodiscard]] std::optional<std::uint8_t> peek8(std::size_t ahead = 0) const noexcept {
    return peek<std::uint8_t>(ahead);
  }
  [[nodiscard]] std::optional<std::uint16_t> peek_be16(std::size_t ahead = 0) const noexcept {
    return peek<std::uint16_t>(ahead);
  }
  [[nodiscard]] std::optional<std::uint32_t> peek_be32(std::size_t ahead = 0) const noexcept {
    return peek<std::uint32_t>(ahead);
  }

  /// A view of the next `n` bytes, consumed; std::nullopt when fewer remain.
  [[nodiscard]] std::optional<std::span<const std::uint8_t>> bytes(std::size_t n) noexcept {
    if (n > remaining()) return std::nullopt;
    auto view = data_.subspan(pos_, n);
    pos_ += n;
    return view;
  }

 private:
  template <typename T>
  std::optional<T> read() noexcept {
    if (sizeof(T) > remaining()) return std::nullopt;
    const T v = detail::load_be<T>(data_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }

  template <typename T>
  std::optional<T> peek(std::size_t ahead) const noexcept {
    if (ahead > remaining() || sizeof(T) > remaining() - ahead) return std::nullopt;
    return detail::load_be<T>(data_.data() + pos_ + ahead);
  }

  std::span<const std::uint8_t> data_{};
  std::size_t pos_ = 0;
};

}  // namespace segward::decoders
