#pragma once
// TCP reassembly for one direction of one connection: segments in any order,
// in-order bytes out, with holes reported rather than waited for forever.
//
// Contract:
//  - In-order bytes are delivered zero-copy from the segment's own span; only
//    out-of-order bytes are copied, into chunks of a ChunkPool the caller
//    owns (one per worker) and passes to every call.
//  - First data wins: a byte already held is never replaced. A segment whose
//    bytes differ from bytes still held is reported once (on_overlap_conflict,
//    after the segment is processed); bytes already delivered are not kept,
//    so retransmissions below the next expected byte cannot be compared.
//  - Sequence numbers are compared modulo 2^32 (RFC 1982).
//  - No heap, no exceptions, no locks; nothing outside the spans given is read.
//  - Memory is bounded twice: per direction by ReassemblyLimits (counted in
//    whole chunks, so a flood of 1-byte segments cannot pin more than the
//    cap), and per worker by the pool's size. When an out-of-order segment
//    does not fit, the oldest hole is given up (on_gap, counted as a memory
//    gap) and delivery resumes at the lowest byte held, buffered or in the
//    segment itself, which then needs no memory. A direction never stalls and
//    never grows; an attacker can cost coverage, not memory.
//  - Spans passed to the sink are valid only during the call; the sink must
//    not call back into this reassembler.
//
// The state is 28 bytes, trivially copyable; chunks are linked by 32-bit
// index. Release it with release(pool) (or flush) before dropping or reusing
// it, or its chunks leak from the pool.
//
// Thread-safety: none; a direction, its pool and its counters belong to one worker.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>

#include "decoders/stream/chunk_pool.h"

namespace segward::stream {

namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
}  // namespace tcp_flag

/// a is before b in sequence space (RFC 1982 serial arithmetic).
[[nodiscard]] constexpr bool seq_before(std::uint32_t a, std::uint32_t b) noexcept {
  return static_cast<std::int32_t>(a - b) < 0;
}

/// No TCP window exceeds 2^30 bytes (RFC 7323: window scale 14), so data
/// starting that far past the next expected byte is not part of this stream,
/// and everything held stays within 2^31 of it, where comparisons are exact.
inline constexpr std::uint32_t kMaxWindowBytes = 1u << 30;
/// Longer payloads (beyond any GRO/LRO aggregate) are cut to this; the rest
/// becomes a hole.
inline constexpr std::uint32_t kMaxSegmentBytes = 1u << 20;

struct ReassemblyLimits {
  std::uint32_t max_buffered_bytes = 256 * 1024;  // per direction; of pool memory, in whole chunks

  [[nodiscard]] constexpr std::uint32_t max_buffered_chunks() const noexcept {
    return max_buffered_bytes / kChunkDataBytes;
  }
};

enum class StreamEnd : std::uint8_t { kFin, kRst };

/// Plain counters the caller owns (one per direction, or one per worker for
/// all directions); see stream_counters.def for the meaning of each.
struct DirectionCounters {
#define SEGWARD_STREAM_COUNTER(field, description) std::uint64_t field = 0;
#include "decoders/stream/stream_counters.def"
#undef SEGWARD_STREAM_COUNTER

  DirectionCounters& operator+=(const DirectionCounters& other) noexcept;
  friend bool operator==(const DirectionCounters&, const DirectionCounters&) = default;
};

/// Every counter by stable name, for metrics and the REST API.
struct DirectionCounterField {
  std::string_view name;
  std::string_view description;
  std::uint64_t DirectionCounters::*member;
};
inline constexpr std::array kDirectionCounterFields = {
#define SEGWARD_STREAM_COUNTER(field, description) \
  DirectionCounterField{#field, description, &DirectionCounters::field},
#include "decoders/stream/stream_counters.def"
#undef SEGWARD_STREAM_COUNTER
};
static_assert(sizeof(DirectionCounters) == kDirectionCounterFields.size() * sizeof(std::uint64_t));

/// What the reassembler tells its consumer (static dispatch, no virtual calls).
template <class S>
concept ReassemblySink = requires(S& sink, std::span<const std::uint8_t> bytes, std::uint32_t n, StreamEnd how) {
  sink.on_data(bytes);                // the next in-order bytes, never empty
  sink.on_gap(n);                     // n bytes that will never be delivered
  sink.on_overlap_conflict(n, n);     // (seq, len): a segment disagreed with bytes held; they were kept
  sink.on_end(how);                   // once: kFin when every byte before the FIN is delivered or skipped, or kRst
};

class StreamReassembler {
 public:
  /// One TCP segment travelling in this direction. seq is the TCP sequence
  /// number, flags the TCP flags byte, payload the TCP payload.
  template <ReassemblySink Sink>
  void segment(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq, std::uint8_t flags,
               std::span<const std::uint8_t> payload, Sink& sink, DirectionCounters& counters) noexcept;

  /// The other direction acknowledged up to `ack`: the bytes below it that
  /// were never seen are lost (on_gap); what is held is delivered.
  template <ReassemblySink Sink>
  void acked(ChunkPool& pool, std::uint32_t ack, Sink& sink, DirectionCounters& counters) noexcept;

  /// The connection ends (timeout, shutdown): delivers what is held, holes
  /// as on_gap, frees every chunk. A FIN seen ends it with on_end(kFin).
  /// Later segments are counted (bytes_after_end) and ignored.
  template <ReassemblySink Sink>
  void flush(ChunkPool& pool, Sink& sink, DirectionCounters& counters) noexcept;

  /// Frees every chunk without delivering (eviction) and returns to the
  /// state of a new direction.
  void release(ChunkPool& pool) noexcept;

  /// Stream bytes held out of order.
  [[nodiscard]] std::uint32_t buffered_bytes() const noexcept { return buffered_bytes_; }
  /// Pool chunks held; what the per-direction cap counts.
  [[nodiscard]] std::uint32_t held_chunks() const noexcept { return held_chunks_; }
  /// The sequence number of the next byte to deliver (meaningful once started).
  [[nodiscard]] std::uint32_t next_seq() const noexcept { return next_seq_; }
  [[nodiscard]] bool started() const noexcept { return started_; }
  [[nodiscard]] bool ended() const noexcept { return ended_; }
  [[nodiscard]] bool fin_seen() const noexcept { return fin_seen_; }

 private:
  enum class GapCause : std::uint8_t { kLost, kMemory };
  enum class Pressure : std::uint8_t { kNone, kDirectionCap, kPoolEmpty };

  // The first and last differing overlap of one segment, so it is reported once.
  struct OverlapCheck {
    bool overlapped = false;
    bool conflict = false;
    std::uint32_t first_seq = 0;
    std::uint32_t end_seq = 0;

    void compare(std::uint32_t seq, std::span<const std::uint8_t> held, std::span<const std::uint8_t> arrived) noexcept {
      overlapped = true;
      if (std::memcmp(held.data(), arrived.data(), held.size()) == 0) return;
      if (!conflict) first_seq = seq;
      conflict = true;
      end_seq = seq + static_cast<std::uint32_t>(held.size());
    }
  };

  template <ReassemblySink Sink>
  void accept(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq, std::span<const std::uint8_t> bytes,
              OverlapCheck& overlap, Sink& sink, DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void deliver_in_order(ChunkPool& pool, std::span<const std::uint8_t> bytes, OverlapCheck& overlap, Sink& sink,
                        DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void deliver_buffered(ChunkPool& pool, Sink& sink, DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void deliver_head(ChunkPool& pool, Sink& sink, DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void deliver(std::span<const std::uint8_t> bytes, Sink& sink, DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void skip_to(std::uint32_t seq, GapCause cause, Sink& sink, DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void reset_by_peer(ChunkPool& pool, std::uint32_t seq, Sink& sink, DirectionCounters& counters) noexcept;
  template <ReassemblySink Sink>
  void end_if_fin_reached(ChunkPool& pool, Sink& sink) noexcept;

  void note_fin(ChunkPool& pool, std::uint32_t fin_seq, DirectionCounters& counters) noexcept;
  [[nodiscard]] std::span<const std::uint8_t> trim_to_fin(std::uint32_t seq, std::span<const std::uint8_t> bytes,
                                                          DirectionCounters& counters) const noexcept;
  [[nodiscard]] Pressure pressure_for(const ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq,
                                      std::size_t bytes) const noexcept;
  void insert_out_of_order(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq,
                           std::span<const std::uint8_t> bytes, OverlapCheck& overlap,
                           DirectionCounters& counters) noexcept;
  std::size_t store_piece(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t& prev, std::uint32_t next,
                          std::uint32_t seq, std::span<const std::uint8_t> bytes) noexcept;
  void pop_head(ChunkPool& pool) noexcept;
  void free_all(ChunkPool& pool) noexcept;

  std::uint32_t next_seq_ = 0;
  std::uint32_t fin_seq_ = 0;            // sequence number the FIN occupies, once fin_seen_
  std::uint32_t head_ = kNoChunk;        // held chunks, sorted by seq, disjoint, all after next_seq_
  std::uint32_t tail_ = kNoChunk;
  std::uint32_t buffered_bytes_ = 0;
  std::uint32_t held_chunks_ = 0;
  bool started_ = false;
  bool fin_seen_ = false;
  bool ended_ = false;
};
static_assert(sizeof(StreamReassembler) <= 32, "lives in every session record, twice");
static_assert(std::is_trivially_copyable_v<StreamReassembler>);

// ---- the per-packet path, inline for static dispatch on Sink ----

template <ReassemblySink Sink>
void StreamReassembler::segment(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq,
                                std::uint8_t flags, std::span<const std::uint8_t> payload, Sink& sink,
                                DirectionCounters& counters) noexcept {
  ++counters.segments;
  if (ended_) {
    counters.bytes_after_end += payload.size();
    return;
  }
  if (flags & tcp_flag::kRst) {
    reset_by_peer(pool, seq, sink, counters);
    return;
  }
  const std::uint32_t data_seq = (flags & tcp_flag::kSyn) ? seq + 1 : seq;  // the SYN occupies one number
  if (!started_) {  // a SYN, or a mid-stream pick-up: start at the first byte seen
    started_ = true;
    next_seq_ = data_seq;
  }
  if (payload.size() > kMaxSegmentBytes) payload = payload.first(kMaxSegmentBytes);
  if (flags & tcp_flag::kFin) note_fin(pool, data_seq + static_cast<std::uint32_t>(payload.size()), counters);
  if (fin_seen_) payload = trim_to_fin(data_seq, payload, counters);

  OverlapCheck overlap;
  accept(pool, limits, data_seq, payload, overlap, sink, counters);
  if (overlap.overlapped) ++counters.overlap_segments;
  if (overlap.conflict) {
    ++counters.overlap_conflicts;
    sink.on_overlap_conflict(overlap.first_seq, overlap.end_seq - overlap.first_seq);
  }
  end_if_fin_reached(pool, sink);
}

template <ReassemblySink Sink>
void StreamReassembler::acked(ChunkPool& pool, std::uint32_t ack, Sink& sink, DirectionCounters& counters) noexcept {
  if (!started_ || ended_) return;
  std::uint32_t target = ack;
  if (fin_seen_ && seq_before(fin_seq_, target)) target = fin_seq_;  // the FIN itself is acked as fin_seq + 1
  if (!seq_before(next_seq_, target)) return;                         // nothing new acknowledged
  if (target - next_seq_ >= kMaxWindowBytes) {
    ++counters.ignored_acks;
    return;
  }
  while (seq_before(next_seq_, target)) {
    if (head_ != kNoChunk && pool.header(head_).seq == next_seq_) {
      deliver_head(pool, sink, counters);
      continue;
    }
    std::uint32_t hole_end = target;
    if (head_ != kNoChunk && seq_before(pool.header(head_).seq, target)) hole_end = pool.header(head_).seq;
    skip_to(hole_end, GapCause::kLost, sink, counters);
  }
  deliver_buffered(pool, sink, counters);
  end_if_fin_reached(pool, sink);
}

template <ReassemblySink Sink>
void StreamReassembler::flush(ChunkPool& pool, Sink& sink, DirectionCounters& counters) noexcept {
  if (started_ && !ended_) {
    while (head_ != kNoChunk) {
      skip_to(pool.header(head_).seq, GapCause::kLost, sink, counters);
      deliver_head(pool, sink, counters);
    }
    if (fin_seen_) {
      skip_to(fin_seq_, GapCause::kLost, sink, counters);
      end_if_fin_reached(pool, sink);
    }
  }
  free_all(pool);
  started_ = true;
  ended_ = true;
}

template <ReassemblySink Sink>
void StreamReassembler::accept(ChunkPool& pool, const ReassemblyLimits& limits, std::uint32_t seq,
                               std::span<const std::uint8_t> bytes, OverlapCheck& overlap, Sink& sink,
                               DirectionCounters& counters) noexcept {
  bool counted_out_of_order = false;
  bool counted_pressure = false;
  for (;;) {
    if (seq_before(seq, next_seq_)) {  // already delivered or given up
      const std::size_t old = std::min<std::size_t>(next_seq_ - seq, bytes.size());
      counters.retransmitted_bytes += old;
      bytes = bytes.subspan(old);
      seq = next_seq_;
    }
    if (bytes.empty()) return;
    const std::uint32_t ahead = seq - next_seq_;
    if (ahead == 0) {
      deliver_in_order(pool, bytes, overlap, sink, counters);
      return;
    }
    if (ahead >= kMaxWindowBytes) {
      counters.out_of_window_bytes += bytes.size();
      return;
    }
    if (!counted_out_of_order) {
      ++counters.out_of_order_segments;
      counted_out_of_order = true;
    }
    const Pressure pressure = pressure_for(pool, limits, seq, bytes.size());
    if (pressure == Pressure::kNone) break;
    if (!counted_pressure) {
      ++(pressure == Pressure::kDirectionCap ? counters.direction_cap_hits : counters.pool_empty_hits);
      counted_pressure = true;
    }
    // No room: give up on the oldest hole and resume at the lowest byte held,
    // in the pool (which frees its run) or in this segment (which then goes
    // out zero-copy). Each turn moves next_seq_ forward, so this ends.
    if (head_ != kNoChunk && seq_before(pool.header(head_).seq, seq)) {
      skip_to(pool.header(head_).seq, GapCause::kMemory, sink, counters);
      deliver_buffered(pool, sink, counters);
    } else {
      skip_to(seq, GapCause::kMemory, sink, counters);
    }
  }
  insert_out_of_order(pool, limits, seq, bytes, overlap, counters);
}

template <ReassemblySink Sink>
void StreamReassembler::deliver_in_order(ChunkPool& pool, std::span<const std::uint8_t> bytes,
                                         OverlapCheck& overlap, Sink& sink, DirectionCounters& counters) noexcept {
  // bytes start at next_seq_. Up to each held chunk they go out as they are;
  // where they meet one, the held bytes win and go out instead.
  while (!bytes.empty()) {
    if (head_ == kNoChunk) {
      deliver(bytes, sink, counters);
      break;
    }
    const ChunkHeader& head = pool.header(head_);
    const std::uint32_t before_head = head.seq - next_seq_;
    if (before_head >= bytes.size()) {
      deliver(bytes, sink, counters);
      break;
    }
    deliver(bytes.first(before_head), sink, counters);
    bytes = bytes.subspan(before_head);
    const std::size_t overlapping = std::min<std::size_t>(bytes.size(), head.length);
    overlap.compare(head.seq, pool.data(head_).first(overlapping), bytes.first(overlapping));
    counters.overlap_bytes += overlapping;
    bytes = bytes.subspan(overlapping);
    deliver_head(pool, sink, counters);
  }
  deliver_buffered(pool, sink, counters);
}

template <ReassemblySink Sink>
void StreamReassembler::deliver_buffered(ChunkPool& pool, Sink& sink, DirectionCounters& counters) noexcept {
  while (head_ != kNoChunk && pool.header(head_).seq == next_seq_) deliver_head(pool, sink, counters);
}

template <ReassemblySink Sink>
void StreamReassembler::deliver_head(ChunkPool& pool, Sink& sink, DirectionCounters& counters) noexcept {
  deliver(pool.data(head_).first(pool.header(head_).length), sink, counters);
  pop_head(pool);
}

template <ReassemblySink Sink>
void StreamReassembler::deliver(std::span<const std::uint8_t> bytes, Sink& sink,
                                DirectionCounters& counters) noexcept {
  if (bytes.empty()) return;
  sink.on_data(bytes);
  counters.bytes_delivered += bytes.size();
  next_seq_ += static_cast<std::uint32_t>(bytes.size());
}

template <ReassemblySink Sink>
void StreamReassembler::skip_to(std::uint32_t seq, GapCause cause, Sink& sink, DirectionCounters& counters) noexcept {
  const std::uint32_t bytes = seq - next_seq_;
  if (bytes == 0) return;
  sink.on_gap(bytes);
  ++counters.gaps;
  counters.gap_bytes += bytes;
  if (cause == GapCause::kMemory) {
    ++counters.memory_gaps;
    counters.memory_gap_bytes += bytes;
  }
  next_seq_ = seq;
}

template <ReassemblySink Sink>
void StreamReassembler::reset_by_peer(ChunkPool& pool, std::uint32_t seq, Sink& sink,
                                      DirectionCounters& counters) noexcept {
  // An RST below the next expected byte is stale or blind (RFC 5961 §3); one
  // beyond any window is not this connection's. Honouring either would let a
  // forged packet blind the sensor while the endpoint carries on.
  if (started_ && seq - next_seq_ >= kMaxWindowBytes) {
    ++counters.ignored_rsts;
    return;
  }
  // The endpoint discards what it held out of order; so do we.
  counters.rst_discarded_bytes += buffered_bytes_;
  free_all(pool);
  started_ = true;
  ended_ = true;
  sink.on_end(StreamEnd::kRst);
}

template <ReassemblySink Sink>
void StreamReassembler::end_if_fin_reached(ChunkPool& pool, Sink& sink) noexcept {
  if (!fin_seen_ || ended_ || next_seq_ != fin_seq_) return;
  free_all(pool);  // nothing is held past the FIN; this only keeps the invariant obvious
  ended_ = true;
  sink.on_end(StreamEnd::kFin);
}

inline void StreamReassembler::pop_head(ChunkPool& pool) noexcept {
  const std::uint32_t chunk = head_;
  const ChunkHeader& h = pool.header(chunk);
  head_ = h.next;
  if (head_ == kNoChunk) tail_ = kNoChunk;
  buffered_bytes_ -= h.length;
  --held_chunks_;
  pool.free(chunk);
}

}  // namespace segward::stream
