#pragma once
// A sink that records what the reassembler said, and a fixture that feeds
// one direction by stream offset (the sequence number is ISN + 1 + offset,
// as after a SYN).
#include <gtest/gtest.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/stream/chunk_pool.h"
#include "decoders/stream/stream_reassembler.h"

namespace segward::stream::testing {

using Bytes = std::vector<std::uint8_t>;

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

/// Deterministic, position-dependent bytes: a byte delivered at the wrong
/// offset is visible.
inline Bytes pattern_bytes(std::size_t n, std::uint32_t salt = 0) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = static_cast<std::uint8_t>(((i + salt) * 2654435761u) >> 24);
  }
  return out;
}

struct Conflict {
  std::uint32_t seq;
  std::uint32_t len;
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

/// Records every callback in order. Events is a compact log for exact
/// expectations, e.g. "data(5) gap(3) data(2) end(fin)".
struct RecordingSink {
  Bytes data;
  std::vector<std::uint32_t> gaps;
  std::vector<Conflict> conflicts;
  std::vector<StreamEnd> ends;
  std::string events;
  std::uint64_t data_calls = 0;
  bool data_after_end = false;

  void on_data(std::span<const std::uint8_t> bytes) {
    if (!ends.empty()) data_after_end = true;
    data.insert(data.end(), bytes.begin(), bytes.end());
    ++data_calls;
    log("data(" + std::to_string(bytes.size()) + ")");
  }
  void on_gap(std::uint32_t bytes) {
    gaps.push_back(bytes);
    log("gap(" + std::to_string(bytes) + ")");
  }
  void on_overlap_conflict(std::uint32_t seq, std::uint32_t len) {
    conflicts.push_back({seq, len});
    log("conflict");
  }
  void on_end(StreamEnd how) {
    ends.push_back(how);
    log(how == StreamEnd::kFin ? "end(fin)" : "end(rst)");
  }

  [[nodiscard]] std::uint64_t gap_bytes() const {
    std::uint64_t total = 0;
    for (const auto g : gaps) total += g;
    return total;
  }

 private:
  void log(const std::string& event) {
    if (!events.empty()) events += ' ';
    events += event;
  }
};

/// One direction with its own pool, limits, sink and counters.
class Direction {
 public:
  explicit Direction(std::uint32_t initial_seq = 1000, std::uint32_t pool_chunks = 256,
                     ReassemblyLimits direction_limits = {})
      : pool(pool_chunks), limits(direction_limits), isn(initial_seq) {}

  /// seq of stream offset `offset` (the byte after the SYN is offset 0).
  [[nodiscard]] std::uint32_t seq_at(std::uint32_t offset) const { return isn + 1 + offset; }

  void syn() { reassembler.segment(pool, limits, isn, tcp_flag::kSyn, {}, sink, counters); }
  void send(std::uint32_t offset, std::span<const std::uint8_t> payload, std::uint8_t flags = 0) {
    reassembler.segment(pool, limits, seq_at(offset), flags, payload, sink, counters);
  }
  void send(std::uint32_t offset, std::string_view text, std::uint8_t flags = 0) {
    const Bytes b = bytes_of(text);
    send(offset, b, flags);
  }
  void fin(std::uint32_t offset) { send(offset, std::span<const std::uint8_t>{}, tcp_flag::kFin); }
  void ack(std::uint32_t offset) { reassembler.acked(pool, seq_at(offset), sink, counters); }
  void flush() { reassembler.flush(pool, sink, counters); }
  [[nodiscard]] std::string text() const { return std::string(sink.data.begin(), sink.data.end()); }

  ChunkPool pool;
  ReassemblyLimits limits;
  std::uint32_t isn;
  StreamReassembler reassembler;
  RecordingSink sink;
  DirectionCounters counters;
};

}  // namespace segward::stream::testing
