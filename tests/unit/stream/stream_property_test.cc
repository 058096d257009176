// Property tests: a random stream cut into random segments, with duplicates
// and overlapping re-cuts of the same bytes, shuffled, always reassembles to
// the original bytes; with segments dropped, delivered plus skipped bytes
// cover the stream exactly and every delivered byte sits at its offset.
// Seeds are fixed: a failure names its case and replays the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "decoders/stream/chunk_pool.h"
#include "decoders/stream/stream_reassembler.h"
#include "tests/unit/stream/stream_test_support.h"

namespace segward::stream {
namespace {

using testing::Bytes;

constexpr std::uint32_t kMaxStreamBytes = 200 * 1024;
constexpr std::uint32_t kMaxSegment = 1460;

struct Piece {
  std::uint32_t offset;
  std::uint32_t length;
  std::uint8_t flags = 0;
};

// Checks every callback against the original bytes as it happens.
struct PositionCheckingSink {
  std::span<const std::uint8_t> original;
  std::uint64_t offset = 0;  // stream offset of the next byte expected
  Bytes delivered;
  std::uint64_t gap_bytes = 0;
  std::uint64_t gap_calls = 0;
  std::uint64_t misplaced_bytes = 0;
  std::uint64_t conflicts = 0;
  std::vector<StreamEnd> ends;
  bool callback_after_end = false;

  void on_data(std::span<const std::uint8_t> bytes) {
    if (!ends.empty()) callback_after_end = true;
    if (offset + bytes.size() > original.size() ||
        !std::equal(bytes.begin(), bytes.end(), original.begin() + static_cast<std::ptrdiff_t>(offset))) {
      ++misplaced_bytes;
    }
    delivered.insert(delivered.end(), bytes.begin(), bytes.end());
    offset += bytes.size();
  }
  void on_gap(std::uint32_t bytes) {
    if (!ends.empty()) callback_after_end = true;
    gap_bytes += bytes;
    ++gap_calls;
    offset += bytes;
  }
  void on_overlap_conflict(std::uint32_t, std::uint32_t) { ++conflicts; }
  void on_end(StreamEnd how) { ends.push_back(how); }
};

std::uint32_t random_stream_size(std::mt19937& rng) {
  // Log-uniform 1 B .. 200 KiB: many short streams, some long ones, and the
  // whole run stays within seconds under ASan.
  std::uniform_real_distribution<double> log_size(0.0, std::log(double{kMaxStreamBytes}));
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(std::exp(log_size(rng))));
}

Bytes random_bytes(std::mt19937& rng, std::uint32_t n) {
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// The original cut (1..1460 bytes each), in stream order.
std::vector<Piece> cut(std::mt19937& rng, std::uint32_t size) {
  std::uniform_int_distribution<std::uint32_t> length(1, kMaxSegment);
  std::vector<Piece> pieces;
  for (std::uint32_t at = 0; at < size;) {
    const std::uint32_t n = std::min(length(rng), size - at);
    pieces.push_back({at, n});
    at += n;
  }
  return pieces;
}

// Retransmissions of the same bytes: exact duplicates, and re-cuts at other
// boundaries that overlap the original segments partially.
void add_retransmissions(std::mt19937& rng, std::uint32_t size, std::vector<Piece>& pieces) {
  std::bernoulli_distribution duplicate(0.2);
  const std::size_t originals = pieces.size();
  for (std::size_t i = 0; i < originals; ++i) {
    if (duplicate(rng)) pieces.push_back(pieces[i]);
  }
  std::uniform_int_distribution<std::uint32_t> start(0, size - 1);
  std::uniform_int_distribution<std::uint32_t> length(1, 2 * kMaxSegment);
  const std::size_t recuts = originals * 3 / 10 + 1;
  for (std::size_t i = 0; i < recuts; ++i) {
    const std::uint32_t at = start(rng);
    pieces.push_back({at, std::min(length(rng), size - at)});
  }
}

// Every segment that carries the last byte also carries the FIN, as a
// retransmitting sender's would; sometimes a bare FIN is sent too.
void add_fin(std::mt19937& rng, std::uint32_t size, std::vector<Piece>& pieces) {
  for (auto& p : pieces) {
    if (p.offset + p.length == size) p.flags |= tcp_flag::kFin;
  }
  if (std::bernoulli_distribution(0.3)(rng)) pieces.push_back({size, 0, tcp_flag::kFin});
}

struct Feed {
  Feed(ChunkPool& shared_pool, const ReassemblyLimits& direction_limits, std::uint32_t seq_of_offset_zero,
       std::span<const std::uint8_t> original)
      : pool(shared_pool), limits(direction_limits), base_seq(seq_of_offset_zero) {
    sink.original = original;
  }

  ChunkPool& pool;
  ReassemblyLimits limits;
  std::uint32_t base_seq;
  StreamReassembler reassembler;
  PositionCheckingSink sink;
  DirectionCounters counters;

  void send(const Piece& p, std::span<const std::uint8_t> original) {
    reassembler.segment(pool, limits, base_seq + p.offset, p.flags, original.subspan(p.offset, p.length), sink,
                        counters);
  }
};

enum class Start { kSyn, kMidStream };

struct Scenario {
  std::uint32_t isn;
  Start start;
  bool fin;
};

// Feeds one lossless shuffled stream and checks it comes out exactly.
void run_lossless(std::mt19937& rng, ChunkPool& pool, const ReassemblyLimits& limits, const Scenario& s, int index) {
  SCOPED_TRACE(::testing::Message() << "case " << index << " isn " << s.isn);
  const std::uint32_t size = random_stream_size(rng);
  const Bytes original = random_bytes(rng, size);
  std::vector<Piece> pieces = cut(rng, size);
  const Piece first = pieces.front();
  add_retransmissions(rng, size, pieces);
  if (s.fin) add_fin(rng, size, pieces);
  std::shuffle(pieces.begin(), pieces.end(), rng);

  Feed feed(pool, limits, s.start == Start::kSyn ? s.isn + 1 : s.isn, original);
  if (s.start == Start::kSyn) {
    feed.reassembler.segment(pool, limits, s.isn, tcp_flag::kSyn, {}, feed.sink, feed.counters);
  } else {
    // A pick-up starts at the first segment seen: make that the stream's start.
    feed.send(first, original);
  }
  for (const Piece& p : pieces) feed.send(p, original);

  if (s.fin) {
    // Every byte and the FIN arrived: the stream ended by itself.
    ASSERT_EQ(feed.sink.ends, std::vector<StreamEnd>{StreamEnd::kFin});
    EXPECT_EQ(pool.chunks_in_use(), 0u);
  }
  feed.reassembler.flush(pool, feed.sink, feed.counters);
  ASSERT_EQ(feed.sink.delivered, original);
  EXPECT_EQ(feed.sink.gap_calls, 0u);
  EXPECT_EQ(feed.sink.conflicts, 0u);
  EXPECT_EQ(feed.sink.misplaced_bytes, 0u);
  EXPECT_FALSE(feed.sink.callback_after_end);
  EXPECT_EQ(feed.counters.memory_gaps + feed.counters.bytes_dropped_for_memory, 0u);
  EXPECT_EQ(feed.counters.bytes_delivered, size);
  ASSERT_EQ(pool.chunks_in_use(), 0u);
}

// Enough memory that nothing is ever given up for room: any gap is a bug.
constexpr ReassemblyLimits kRoomy{.max_buffered_bytes = 16u << 20};
constexpr std::uint32_t kRoomyChunks = (16u << 20) / kChunkDataBytes;

TEST(StreamReassemblerProperty, ShuffledStreamsAfterSynReassembleExactly) {
  std::mt19937 rng(20240601);
  ChunkPool pool(kRoomyChunks);
  for (int i = 0; i < 4000 && !HasFailure(); ++i) {
    run_lossless(rng, pool, kRoomy, {.isn = static_cast<std::uint32_t>(rng()), .start = Start::kSyn, .fin = i % 2 == 0},
                 i);
  }
  EXPECT_LE(pool.high_water_bytes(), kRoomy.max_buffered_bytes);
}

TEST(StreamReassemblerProperty, ShuffledStreamsPickedUpMidStreamReassembleExactly) {
  std::mt19937 rng(77);
  ChunkPool pool(kRoomyChunks);
  for (int i = 0; i < 2000 && !HasFailure(); ++i) {
    run_lossless(rng, pool, kRoomy,
                 {.isn = static_cast<std::uint32_t>(rng()), .start = Start::kMidStream, .fin = i % 3 == 0}, i);
  }
}

TEST(StreamReassemblerProperty, ShuffledStreamsAcrossTheSequenceWrapReassembleExactly) {
  std::mt19937 rng(0xFFFFFF00u);
  ChunkPool pool(kRoomyChunks);
  std::uniform_int_distribution<std::uint32_t> below_wrap(1, kMaxStreamBytes);
  for (int i = 0; i < 2000 && !HasFailure(); ++i) {
    const std::uint32_t isn = i == 0 ? 0xFFFFFF00u : 0u - below_wrap(rng);
    run_lossless(rng, pool, kRoomy, {.isn = isn, .start = i % 2 ? Start::kSyn : Start::kMidStream, .fin = i % 4 < 2},
                 i);
  }
}

// How a lossy stream's end becomes known.
enum class Ending { kFin, kAck, kFlushOnly };

struct LossyResult {
  std::uint64_t covered = 0;  // bytes of the stream present in some segment fed
  std::uint32_t end = 0;      // stream offset the reassembler can know the stream reaches
};

void run_lossy(std::mt19937& rng, ChunkPool& pool, const ReassemblyLimits& limits, Ending ending, bool expect_no_memory_gaps,
               int index) {
  SCOPED_TRACE(::testing::Message() << "case " << index << " ending " << static_cast<int>(ending));
  const std::uint32_t size = random_stream_size(rng) + 1;
  const Bytes original = random_bytes(rng, size);
  std::vector<Piece> pieces = cut(rng, size);
  add_retransmissions(rng, size, pieces);
  // Drop up to a fifth of all segments, originals and retransmissions alike.
  std::shuffle(pieces.begin(), pieces.end(), rng);
  const std::size_t dropped = std::uniform_int_distribution<std::size_t>(1, pieces.size() / 5 + 1)(rng);
  pieces.erase(pieces.begin(), pieces.begin() + static_cast<std::ptrdiff_t>(std::min(dropped, pieces.size())));
  if (ending == Ending::kFin) pieces.push_back({size, 0, tcp_flag::kFin});
  std::shuffle(pieces.begin(), pieces.end(), rng);

  std::vector<bool> present(size, false);
  std::uint32_t highest_end = 0;
  for (const Piece& p : pieces) {
    std::fill_n(present.begin() + p.offset, p.length, true);
    highest_end = std::max(highest_end, p.offset + p.length);
  }
  const auto covered = static_cast<std::uint64_t>(std::count(present.begin(), present.end(), true));

  const std::uint32_t isn = static_cast<std::uint32_t>(rng());
  Feed feed(pool, limits, isn + 1, original);
  feed.reassembler.segment(pool, limits, isn, tcp_flag::kSyn, {}, feed.sink, feed.counters);
  for (const Piece& p : pieces) feed.send(p, original);
  if (ending == Ending::kAck) feed.reassembler.acked(pool, isn + 1 + size, feed.sink, feed.counters);
  feed.reassembler.flush(pool, feed.sink, feed.counters);

  const std::uint32_t known_end = ending == Ending::kFlushOnly ? highest_end : size;
  ASSERT_EQ(feed.sink.misplaced_bytes, 0u);
  ASSERT_EQ(feed.sink.delivered.size() + feed.sink.gap_bytes, known_end);
  EXPECT_EQ(feed.sink.conflicts, 0u);
  EXPECT_FALSE(feed.sink.callback_after_end);
  if (expect_no_memory_gaps) {
    // Nothing was given up for room, so exactly the bytes that arrived went out.
    EXPECT_EQ(feed.sink.delivered.size(), covered);
    EXPECT_EQ(feed.counters.memory_gaps, 0u);
  } else {
    EXPECT_LE(feed.sink.delivered.size(), covered);
  }
  if (ending == Ending::kFin) {
    EXPECT_EQ(feed.sink.ends, std::vector<StreamEnd>{StreamEnd::kFin});
  }
  ASSERT_EQ(pool.chunks_in_use(), 0u);
}

TEST(StreamReassemblerProperty, DroppedSegmentsBecomeGapsThatAddUpToTheStream) {
  std::mt19937 rng(4242);
  ChunkPool pool(kRoomyChunks);
  for (int i = 0; i < 2000 && !HasFailure(); ++i) {
    run_lossy(rng, pool, kRoomy, static_cast<Ending>(i % 3), true, i);
  }
}

TEST(StreamReassemblerProperty, UnderMemoryPressureBytesStayInPlaceAndMemoryBounded) {
  std::mt19937 rng(99);
  for (int i = 0; i < 1000 && !HasFailure(); ++i) {
    // 1..16 chunks in the pool, a cap of 0..16 chunks: both limits bite.
    ChunkPool pool(1 + static_cast<std::uint32_t>(rng() % 16));
    const ReassemblyLimits limits{.max_buffered_bytes = static_cast<std::uint32_t>(rng() % 17) * kChunkDataBytes};
    run_lossy(rng, pool, limits, static_cast<Ending>(i % 3), false, i);
    EXPECT_LE(pool.high_water_chunks(), std::min(pool.chunk_count(), limits.max_buffered_chunks()));
  }
}

TEST(StreamReassemblerProperty, InterleavedStreamsSharingASmallPool) {
  std::mt19937 rng(31337);
  constexpr int kStreams = 8;
  for (int round = 0; round < 100 && !HasFailure(); ++round) {
    SCOPED_TRACE(::testing::Message() << "round " << round);
    ChunkPool pool(24);
    const ReassemblyLimits limits{.max_buffered_bytes = 8 * kChunkDataBytes};
    std::vector<Bytes> originals;
    std::vector<std::vector<Piece>> queues;
    std::vector<Feed> feeds;
    originals.reserve(kStreams);
    feeds.reserve(kStreams);
    for (int s = 0; s < kStreams; ++s) {
      const std::uint32_t size = std::uniform_int_distribution<std::uint32_t>(1, 60 * 1024)(rng);
      originals.push_back(random_bytes(rng, size));
      std::vector<Piece> pieces = cut(rng, size);
      add_retransmissions(rng, size, pieces);
      add_fin(rng, size, pieces);
      std::shuffle(pieces.begin(), pieces.end(), rng);
      queues.push_back(std::move(pieces));
      const std::uint32_t isn = static_cast<std::uint32_t>(rng());
      feeds.emplace_back(pool, limits, isn + 1, originals.back());
      feeds.back().reassembler.segment(pool, limits, isn, tcp_flag::kSyn, {}, feeds.back().sink, feeds.back().counters);
    }
    // Round-robin with random bursts, as a worker sees many flows at once.
    std::vector<std::size_t> next(kStreams, 0);
    for (bool any = true; any;) {
      any = false;
      for (int s = 0; s < kStreams; ++s) {
        for (std::uint32_t burst = rng() % 4; burst > 0 && next[s] < queues[s].size(); --burst) {
          feeds[s].send(queues[s][next[s]++], originals[s]);
          any = true;
        }
        any = any || next[s] < queues[s].size();
      }
      std::uint32_t held = 0;
      for (const Feed& f : feeds) held += f.reassembler.held_chunks();
      ASSERT_EQ(pool.chunks_in_use(), held);
    }
    for (int s = 0; s < kStreams; ++s) {
      Feed& f = feeds[s];
      f.reassembler.flush(pool, f.sink, f.counters);
      ASSERT_EQ(f.sink.misplaced_bytes, 0u) << s;
      ASSERT_EQ(f.sink.delivered.size() + f.sink.gap_bytes, originals[s].size()) << s;
      EXPECT_EQ(f.sink.ends, std::vector<StreamEnd>{StreamEnd::kFin}) << s;
    }
    ASSERT_EQ(pool.chunks_in_use(), 0u);
  }
}

}  // namespace
}  // namespace segward::stream
