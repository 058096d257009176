#pragma once
// The 64-byte block buffering and final padding that MD5, SHA-1 and SHA-256
// share (Merkle-Damgard: a 0x80 byte, zeros, the message length in bits in
// the last 8 bytes of the last block). Each hash supplies only its
// compression function and the byte order of that length.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace segward::tls {

class BlockBuffer {
 public:
  static constexpr std::size_t kBlockBytes = 64;

  void reset() noexcept {
    pending_ = {};
    total_bytes_ = 0;
    pending_bytes_ = 0;
  }

  // Feeds `bytes`, calling `compress(const std::uint8_t* block)` for every full block.
  template <class Compress>
  void update(std::span<const std::uint8_t> bytes, Compress&& compress) noexcept {
    total_bytes_ += bytes.size();
    std::size_t at = 0;
    if (pending_bytes_ > 0) {
      const std::size_t n = std::min<std::size_t>(kBlockBytes - pending_bytes_, bytes.size());
      std::copy_n(bytes.data(), n, pending_.data() + pending_bytes_);
      pending_bytes_ += static_cast<std::uint32_t>(n);
      at = n;
      if (pending_bytes_ < kBlockBytes) return;
      compress(pending_.data());
      pending_bytes_ = 0;
    }
    for (; bytes.size() - at >= kBlockBytes; at += kBlockBytes) compress(bytes.data() + at);
    const std::size_t rest = bytes.size() - at;
    std::copy_n(bytes.data() + at, rest, pending_.data());
    pending_bytes_ = static_cast<std::uint32_t>(rest);
  }

  // Pads the message and compresses the last block(s); the caller then reads its state.
  template <class Compress>
  void finish(bool big_endian_length, Compress&& compress) noexcept {
    const std::uint64_t bits = total_bytes_ * 8;
    pending_[pending_bytes_++] = 0x80;
    if (pending_bytes_ > kBlockBytes - 8) {
      std::fill(pending_.begin() + pending_bytes_, pending_.end(), 0);
      compress(pending_.data());
      pending_bytes_ = 0;
    }
    std::fill(pending_.begin() + pending_bytes_, pending_.begin() + (kBlockBytes - 8), 0);
    for (int i = 0; i < 8; ++i) {
      const int shift = big_endian_length ? 56 - 8 * i : 8 * i;
      pending_[kBlockBytes - 8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> shift);
    }
    compress(pending_.data());
  }

 private:
  std::array<std::uint8_t, kBlockBytes> pending_{};
  std::uint64_t total_bytes_ = 0;
  std::uint32_t pending_bytes_ = 0;
};

}  // namespace segward::tls
