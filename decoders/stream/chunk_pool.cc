// The free list is LIFO: the chunk freed last is reused first, while it is
// still in cache.
#include "decoders/stream/chunk_pool.h"

#include <cassert>
#include <utility>

namespace segward::stream {

ChunkPool::ChunkPool(std::uint32_t chunk_count)
    : headers_(chunk_count > kMaxChunks ? kMaxChunks : chunk_count),
      data_(new std::uint8_t[headers_.size() * std::size_t{kChunkDataBytes}]),
      chunk_count_(static_cast<std::uint32_t>(headers_.size())) {
  for (std::uint32_t i = 0; i < chunk_count_; ++i) headers_[i].next = i + 1 < chunk_count_ ? i + 1 : kNoChunk;
  free_head_ = chunk_count_ > 0 ? 0 : kNoChunk;
}

ChunkPool::ChunkPool(ChunkPool&& other) noexcept
    : headers_(std::move(other.headers_)),
      data_(std::move(other.data_)),
      chunk_count_(std::exchange(other.chunk_count_, 0)),
      free_head_(std::exchange(other.free_head_, kNoChunk)),
      in_use_(std::exchange(other.in_use_, 0)),
      high_water_(std::exchange(other.high_water_, 0)),
      alloc_failures_(std::exchange(other.alloc_failures_, 0)) {
  other.headers_.clear();
}

ChunkPool& ChunkPool::operator=(ChunkPool&& other) noexcept {
  if (this != &other) {
    headers_ = std::move(other.headers_);
    other.headers_.clear();
    data_ = std::move(other.data_);
    chunk_count_ = std::exchange(other.chunk_count_, 0);
    free_head_ = std::exchange(other.free_head_, kNoChunk);
    in_use_ = std::exchange(other.in_use_, 0);
    high_water_ = std::exchange(other.high_water_, 0);
    alloc_failures_ = std::exchange(other.alloc_failures_, 0);
  }
  return *this;
}

std::uint32_t ChunkPool::alloc() noexcept {
  if (free_head_ == kNoChunk) {
    ++alloc_failures_;
    return kNoChunk;
  }
  const std::uint32_t chunk = free_head_;
  ChunkHeader& h = headers_[chunk];
  assert(!h.in_use);
  free_head_ = h.next;
  h = ChunkHeader{.next = kNoChunk, .seq = 0, .length = 0, .in_use = true};
  ++in_use_;
  if (in_use_ > high_water_) high_water_ = in_use_;
  return chunk;
}

void ChunkPool::free(std::uint32_t chunk) noexcept {
  assert(chunk < chunk_count_ && headers_[chunk].in_use);
  ChunkHeader& h = headers_[chunk];
  h.in_use = false;
  h.length = 0;
  h.next = free_head_;
  free_head_ = chunk;
  --in_use_;
}

}  // namespace segward::stream
