// The parts of reassembly that need no sink: the sorted chunk list, FIN
// bookkeeping and memory accounting.
#include "decoders/stream/stream_reassembler.h"

#include <cassert>

namespace segward::stream {
namespace {

std::uint32_t chunk_end(const ChunkPool& pool, std::uint32_t chunk) noexcept {
  const ChunkHeader& h = pool.header(chunk);
  return h.seq + h.length;
}

}  // namespace

DirectionCounters& DirectionCounters::operator+=(const DirectionCounters& other) noexcept {
  for (const DirectionCounterField& field : kDirectionCounterFields) this->*field.member += other.*field.member;
  return *this;
}

void StreamReassembler::release(ChunkPool& pool) noexcept {
  free_all(pool);
  *this = StreamReassembler{};
}

void StreamReassembler::free_all(ChunkPool& pool) noexcept {
  while (head_ != kNoChunk) pop_head(pool);
  assert(buffered_bytes_ == 0 && held_chunks_ == 0);
}

void StreamReassembler::note_fin(ChunkPool& pool, std::uint32_t fin_seq, DirectionCounters& counters) noexcept {
  // A retransmitted FIN repeats its number; a FIN that disagrees, comes
  // below bytes already delivered, or lies beyond any window is not believed.
  if (fin_seen_) {
    if (fin_seq != fin_seq_) ++counters.ignored_fins;
    return;
  }
  if (fin_seq - next_seq_ >= kMaxWindowBytes + kMaxSegmentBytes) {
    ++counters.ignored_fins;
    return;
  }
  fin_seen_ = true;
  fin_seq_ = fin_seq;

  // Held bytes at or past the FIN are not part of the stream.
  std::uint32_t prev = kNoChunk;
  std::uint32_t chunk = head_;
  while (chunk != kNoChunk && seq_before(chunk_end(pool, chunk), fin_seq + 1)) {
    prev = chunk;
    chunk = pool.header(chunk).next;
  }
  if (chunk == kNoChunk) return;
  ChunkHeader& straddling = pool.header(chunk);
  if (seq_before(straddling.seq, fin_seq)) {  // keep its part before the FIN
    const auto kept = static_cast<std::uint16_t>(fin_seq - straddling.seq);
    counters.bytes_beyond_fin += straddling.length - kept;
    buffered_bytes_ -= straddling.length - kept;
    straddling.length = kept;
    prev = chunk;
    chunk = straddling.next;
    straddling.next = kNoChunk;
  }
  if (prev == kNoChunk) {
    head_ = kNoChunk;
  } else {
    pool.header(prev).next = kNoChunk;
  }
  tail_ = prev;
  while (chunk != kNoChunk) {
    const ChunkHeader& h = pool.header(chunk);
    const std::uint32_t next = h.next;
    counters.bytes_beyond_fin += h.length;
    buffered_bytes_ -= h.length;
    --held_chunks_;
    pool.free(chunk);
    chunk = next;
  }
}

std::span<const std::uint8_t> StreamReassembler::trim_to_fin(std::uint32_t seq, std::span<const std::uint8_t> bytes,
                                                             DirectionCounters& counters) const noexcept {
  if (!seq_before(seq, fin_seq_)) {
    counters.bytes_beyond_fin += bytes.size();
    return {};
  }
  const std::uint32_t room = fin_seq_ - seq;
  if (room >= bytes.size()) return bytes;
  counters.bytes_beyond_fin += bytes.size() - room;
  return bytes.first(room);
}

StreamReassembler::Pressure StreamReassembler::pressure_for(const ChunkPool& pool, const ReassemblyLimits& limits,
                                                            std::uint32_t seq, std::size_t bytes) const noexcept {
  // Bytes that continue the last chunk fill its slack first. Bytes that span
  // several holes may need one chunk more per hole; those are dropped and
  // counted by store_piece rather than estimated here.
  if (tail_ != kNoChunk && chunk_end(pool, tail_) == seq) {
    bytes -= std::min<std::size_t>(bytes, kChunkDataBytes - pool.header(tail_).length);
  }
  const std::size_t chunks_needed = (bytes + kChunkDataBytes - 1) / kChunkDataBytes;
  if (std::size_t{held_chunks_} + chunks_needed > limits.max_buffered_chunks()) return Pressure::kDirectionCap;
  if (chunks_needed > pool.free_chunks()) return Pressure::kPoolEmpty;
  return Pressure::kNone;
}

void StreamReassembler::insert_out_of_order(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq,
                                            std::span<const std::uint8_t> bytes, OverlapCheck& overlap,
                                            DirectionCounters& counters) noexcept {
  // Find the first held chunk that ends after seq; the common case (a run of
  // segments after one hole) lands past the tail without a walk.
  std::uint32_t prev = kNoChunk;
  std::uint32_t chunk = head_;
  if (tail_ != kNoChunk && !seq_before(seq, chunk_end(pool, tail_))) {
    prev = tail_;
    chunk = kNoChunk;
  } else {
    while (chunk != kNoChunk && !seq_before(seq, chunk_end(pool, chunk))) {
      prev = chunk;
      chunk = pool.header(chunk).next;
    }
  }

  while (!bytes.empty()) {
    if (chunk != kNoChunk && !seq_before(seq, pool.header(chunk).seq)) {
      // Inside a held chunk: first data wins, compare only.
      const ChunkHeader& h = pool.header(chunk);
      const std::uint32_t offset = seq - h.seq;
      const std::size_t overlapping = std::min<std::size_t>(bytes.size(), h.length - offset);
      overlap.compare(seq, pool.data(chunk).subspan(offset, overlapping), bytes.first(overlapping));
      counters.overlap_bytes += overlapping;
      bytes = bytes.subspan(overlapping);
      seq += static_cast<std::uint32_t>(overlapping);
      prev = chunk;
      chunk = h.next;
      continue;
    }
    // A hole, up to the next held chunk or open-ended.
    std::size_t piece = bytes.size();
    if (chunk != kNoChunk) piece = std::min<std::size_t>(piece, pool.header(chunk).seq - seq);
    const std::size_t stored = store_piece(pool, limits, prev, chunk, seq, bytes.first(piece));
    counters.bytes_dropped_for_memory += piece - stored;
    bytes = bytes.subspan(piece);
    seq += static_cast<std::uint32_t>(piece);
  }
}

std::size_t StreamReassembler::store_piece(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t& prev,
                                           std::uint32_t next, std::uint32_t seq,
                                           std::span<const std::uint8_t> bytes) noexcept {
  std::size_t stored = 0;
  if (prev != kNoChunk && chunk_end(pool, prev) == seq) {  // continues the chunk before: fill its slack
    ChunkHeader& h = pool.header(prev);
    const std::size_t n = std::min<std::size_t>(bytes.size(), kChunkDataBytes - h.length);
    std::memcpy(pool.data(prev).data() + h.length, bytes.data(), n);
    h.length = static_cast<std::uint16_t>(h.length + n);
    stored = n;
  }
  while (stored < bytes.size()) {
    if (held_chunks_ >= limits.max_buffered_chunks()) break;
    const std::uint32_t chunk = pool.alloc();
    if (chunk == kNoChunk) break;
    const std::size_t n = std::min<std::size_t>(bytes.size() - stored, kChunkDataBytes);
    std::memcpy(pool.data(chunk).data(), bytes.data() + stored, n);
    ChunkHeader& h = pool.header(chunk);
    h.seq = seq + static_cast<std::uint32_t>(stored);
    h.length = static_cast<std::uint16_t>(n);
    h.next = next;
    if (prev == kNoChunk) {
      head_ = chunk;
    } else {
      pool.header(prev).next = chunk;
    }
    if (next == kNoChunk) tail_ = chunk;
    prev = chunk;
    ++held_chunks_;
    stored += n;
  }
  buffered_bytes_ += static_cast<std::uint32_t>(stored);
  return stored;
}

}  // namespace segward::stream
