#pragma once
// Fixed-size chunks that hold the out-of-order bytes of every TCP stream of
// one worker. All memory is allocated once, in the constructor; alloc() and
// free() are O(1) pops and pushes on an intrusive free list, so the
// per-packet path never touches the heap. The pool's size is the global
// reassembly memory cap: when it is empty, streams give up holes instead of
// growing (see stream_reassembler.h).
//
// Chunks are named by 32-bit index, not pointer, so the per-direction state
// that links them stays small and a session record can be copied or reset
// freely. A chunk's header (list link, sequence number, length) lives in an
// array apart from the data, so walking a stream's list touches 12-byte
// headers only.
//
// Thread-safety: none; each worker owns its pool.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace segward::stream {

/// Bytes of stream data per chunk: one full-size Ethernet segment (MSS 1460)
/// fits in one chunk, and consecutive segments pack into the slack.
inline constexpr std::uint32_t kChunkDataBytes = 2048;
/// "No chunk": the end of a list, or alloc() on an empty pool.
inline constexpr std::uint32_t kNoChunk = UINT32_MAX;

struct ChunkHeader {
  std::uint32_t next = kNoChunk;  // next chunk of the owner's list (or of the free list)
  std::uint32_t seq = 0;          // TCP sequence number of data(chunk)[0]
  std::uint16_t length = 0;       // bytes held, 1..kChunkDataBytes while owned by a stream
  bool in_use = false;
};
static_assert(sizeof(ChunkHeader) == 12);
static_assert(kChunkDataBytes <= UINT16_MAX, "ChunkHeader::length is 16 bits");

class ChunkPool {
 public:
  /// The largest pool: kNoChunk must stay out of range.
  static constexpr std::uint32_t kMaxChunks = UINT32_MAX - 1;

  /// Allocates chunk_count * kChunkDataBytes bytes of data (clamped to
  /// kMaxChunks chunks). The only allocation the pool ever makes.
  explicit ChunkPool(std::uint32_t chunk_count);

  ChunkPool(const ChunkPool&) = delete;
  ChunkPool& operator=(const ChunkPool&) = delete;
  /// A moved-from pool is empty (no chunks), not dangling.
  ChunkPool(ChunkPool&& other) noexcept;
  ChunkPool& operator=(ChunkPool&& other) noexcept;

  /// The chunk count for a memory cap in bytes (rounded down: the cap is hard).
  [[nodiscard]] static constexpr std::uint32_t chunks_for_bytes(std::uint64_t bytes) noexcept {
    const std::uint64_t chunks = bytes / kChunkDataBytes;
    return chunks > kMaxChunks ? kMaxChunks : static_cast<std::uint32_t>(chunks);
  }

  /// A free chunk with a reset header, or kNoChunk (counted) when none is left.
  [[nodiscard]] std::uint32_t alloc() noexcept;
  /// Returns a chunk from alloc() to the pool.
  void free(std::uint32_t chunk) noexcept;

  /// The header and data of an allocated chunk; `chunk` < chunk_count().
  [[nodiscard]] ChunkHeader& header(std::uint32_t chunk) noexcept { return headers_[chunk]; }
  [[nodiscard]] const ChunkHeader& header(std::uint32_t chunk) const noexcept { return headers_[chunk]; }
  [[nodiscard]] std::span<std::uint8_t, kChunkDataBytes> data(std::uint32_t chunk) noexcept {
    return std::span<std::uint8_t, kChunkDataBytes>(data_.get() + std::size_t{chunk} * kChunkDataBytes,
                                                    kChunkDataBytes);
  }
  [[nodiscard]] std::span<const std::uint8_t, kChunkDataBytes> data(std::uint32_t chunk) const noexcept {
    return std::span<const std::uint8_t, kChunkDataBytes>(data_.get() + std::size_t{chunk} * kChunkDataBytes,
                                                          kChunkDataBytes);
  }

  [[nodiscard]] std::uint32_t chunk_count() const noexcept { return chunk_count_; }
  [[nodiscard]] std::uint32_t chunks_in_use() const noexcept { return in_use_; }
  [[nodiscard]] std::uint32_t free_chunks() const noexcept { return chunk_count_ - in_use_; }
  [[nodiscard]] std::uint32_t high_water_chunks() const noexcept { return high_water_; }
  [[nodiscard]] std::uint64_t alloc_failures() const noexcept { return alloc_failures_; }
  [[nodiscard]] std::uint64_t capacity_bytes() const noexcept { return std::uint64_t{chunk_count_} * kChunkDataBytes; }
  [[nodiscard]] std::uint64_t used_bytes() const noexcept { return std::uint64_t{in_use_} * kChunkDataBytes; }
  [[nodiscard]] std::uint64_t high_water_bytes() const noexcept {
    return std::uint64_t{high_water_} * kChunkDataBytes;
  }

 private:
  std::vector<ChunkHeader> headers_;
  std::unique_ptr<std::uint8_t[]> data_;  // not value-initialized: bytes are written before they are read
  std::uint32_t chunk_count_ = 0;
  std::uint32_t free_head_ = kNoChunk;
  std::uint32_t in_use_ = 0;
  std::uint32_t high_water_ = 0;
  std::uint64_t alloc_failures_ = 0;
};

}  // namespace segward::stream
