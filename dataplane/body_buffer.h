#pragma once
// The body of one HTTP message, kept until the message completes so that a
// decoder can read it whole. Bytes live in chunks of a worker's ChunkPool
// (linked through their headers), never more than `limit` bytes per body and
// never more than the pool holds: a body over the limit is dropped at once
// and only its length counted, so a hostile sender costs coverage, never
// memory. copy_to() lays the kept bytes out contiguously in the worker's
// scratch buffer for the decoder.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>

#include "decoders/stream/chunk_pool.h"

namespace segward::dataplane {

class BodyBuffer {
 public:
  enum class State : std::uint8_t {
    kCollecting,  // every byte so far is held
    kTooLarge,    // over the limit: nothing held, length still counted
    kNoMemory,    // the pool ran dry: nothing held
  };

  // Starts a new body; frees what the previous one held.
  void start(stream::ChunkPool& pool, std::uint32_t limit) noexcept {
    release(pool);
    limit_ = limit;
    state_ = State::kCollecting;
  }

  void append(stream::ChunkPool& pool, std::span<const std::uint8_t> bytes) noexcept {
    total_ += bytes.size();
    if (state_ != State::kCollecting) return;
    if (total_ > limit_) {
      give_up(pool, State::kTooLarge);
      return;
    }
    while (!bytes.empty()) {
      if (tail_ == stream::kNoChunk || pool.header(tail_).length == stream::kChunkDataBytes) {
        const std::uint32_t chunk = pool.alloc();
        if (chunk == stream::kNoChunk) {
          give_up(pool, State::kNoMemory);
          return;
        }
        pool.header(chunk).next = stream::kNoChunk;
        pool.header(chunk).length = 0;
        if (tail_ == stream::kNoChunk) {
          head_ = chunk;
        } else {
          pool.header(tail_).next = chunk;
        }
        tail_ = chunk;
      }
      stream::ChunkHeader& h = pool.header(tail_);
      const std::size_t n = std::min<std::size_t>(bytes.size(), stream::kChunkDataBytes - h.length);
      std::memcpy(pool.data(tail_).data() + h.length, bytes.data(), n);
      h.length = static_cast<std::uint16_t>(h.length + n);
      held_ += n;
      bytes = bytes.subspan(n);
    }
  }

  // Copies the held bytes into `out` (which must hold held_bytes()); returns
  // the view of what was copied.
  std::span<const std::uint8_t> copy_to(const stream::ChunkPool& pool, std::span<std::uint8_t> out) const noexcept {
    std::size_t at = 0;
    for (std::uint32_t c = head_; c != stream::kNoChunk && at < out.size(); c = pool.header(c).next) {
      const std::size_t n = std::min<std::size_t>(pool.header(c).length, out.size() - at);
      std::memcpy(out.data() + at, pool.data(c).data(), n);
      at += n;
    }
    return out.first(at);
  }

  void release(stream::ChunkPool& pool) noexcept {
    for (std::uint32_t c = head_; c != stream::kNoChunk;) {
      const std::uint32_t next = pool.header(c).next;
      pool.free(c);
      c = next;
    }
    head_ = tail_ = stream::kNoChunk;
    held_ = 0;
    total_ = 0;
    state_ = State::kCollecting;
  }

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] std::uint64_t total_bytes() const noexcept { return total_; }
  [[nodiscard]] std::size_t held_bytes() const noexcept { return held_; }

 private:
  void give_up(stream::ChunkPool& pool, State why) noexcept {
    const std::uint64_t total = total_;
    release(pool);
    total_ = total;
    state_ = why;
  }

  std::uint32_t head_ = stream::kNoChunk;
  std::uint32_t tail_ = stream::kNoChunk;
  std::size_t held_ = 0;
  std::uint64_t total_ = 0;
  std::uint32_t limit_ = 0;
  State state_ = State::kCollecting;
};

}  // namespace segward::dataplane
