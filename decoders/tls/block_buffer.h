#pragma once
// What MD5, SHA-1 and SHA-256 share: 64-byte block buffering, the final
// padding (Merkle-Damgard: a 0x80 byte, zeros, the message length in bits in
// the last 8 bytes of the last block) and the incremental interface
// (BlockHash). Each hash supplies only its initial state, its compression
// function and its byte order.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>

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

// An incremental hash over BlockBuffer, no heap. `Rounds` supplies
//   static constexpr std::array<std::uint32_t, N> kInitial;  // the state after reset
//   static constexpr bool kBigEndian;  // the length and the digest words: big-endian (SHA) or little (MD5)
//   static void compress(std::array<std::uint32_t, N>& state, const std::uint8_t* block) noexcept;
// The digest is the final state, word by word.
template <class Rounds>
class BlockHash {
 public:
  using State = std::remove_const_t<decltype(Rounds::kInitial)>;
  static constexpr std::size_t kDigestBytes = 4 * std::tuple_size_v<State>;
  using Digest = std::array<std::uint8_t, kDigestBytes>;

  BlockHash() noexcept { reset(); }
  void reset() noexcept {
    state_ = Rounds::kInitial;
    buffer_.reset();
  }
  void update(std::span<const std::uint8_t> bytes) noexcept {
    buffer_.update(bytes, [this](const std::uint8_t* p) { Rounds::compress(state_, p); });
  }
  void update(std::string_view text) noexcept {
    update(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  /// The digest of everything updated since reset(); the object is reset after.
  [[nodiscard]] Digest finish() noexcept {
    buffer_.finish(Rounds::kBigEndian, [this](const std::uint8_t* p) { Rounds::compress(state_, p); });
    Digest out;
    for (std::size_t i = 0; i < state_.size(); ++i) {
      for (std::size_t j = 0; j < 4; ++j) {
        const std::size_t shift = Rounds::kBigEndian ? 24 - 8 * j : 8 * j;
        out[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> shift);
      }
    }
    reset();
    return out;
  }
  [[nodiscard]] static Digest of(std::span<const std::uint8_t> bytes) noexcept {
    BlockHash h;
    h.update(bytes);
    return h.finish();
  }

 private:
  State state_;
  BlockBuffer buffer_;
};

}  // namespace segward::tls
