// Behaviour of one direction: ordering, overlaps, flags, holes and memory.
#include "decoders/stream/stream_reassembler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/stream/chunk_pool.h"
#include "tests/unit/stream/stream_test_support.h"

namespace segward::stream {
namespace {

using namespace segward::stream::testing;

TEST(StreamReassembler, InOrderGoesOutZeroCopyWithoutThePool) {
  struct PointerSink {
    std::vector<const std::uint8_t*> starts;
    std::vector<std::size_t> sizes;
    void on_data(std::span<const std::uint8_t> b) {
      starts.push_back(b.data());
      sizes.push_back(b.size());
    }
    void on_gap(std::uint32_t) { ADD_FAILURE(); }
    void on_overlap_conflict(std::uint32_t, std::uint32_t) { ADD_FAILURE(); }
    void on_end(StreamEnd) {}
  } sink;
  ChunkPool pool(4);
  StreamReassembler r;
  DirectionCounters c;
  const Bytes first = pattern_bytes(1460);
  const Bytes second = pattern_bytes(700, 1460);
  r.segment(pool, {}, 100, tcp_flag::kSyn, {}, sink, c);
  r.segment(pool, {}, 101, 0, first, sink, c);
  r.segment(pool, {}, 101 + 1460, 0, second, sink, c);
  ASSERT_EQ(sink.starts.size(), 2u);
  EXPECT_EQ(sink.starts[0], first.data());
  EXPECT_EQ(sink.starts[1], second.data());
  EXPECT_EQ(sink.sizes[1], 700u);
  EXPECT_EQ(pool.high_water_chunks(), 0u);
  EXPECT_EQ(c.segments, 3u);
  EXPECT_EQ(c.bytes_delivered, 2160u);
  EXPECT_EQ(c.out_of_order_segments, 0u);
}

TEST(StreamReassembler, OutOfOrderIsHeldUntilTheHoleFills) {
  Direction d;
  d.syn();
  d.send(5, "fghij");
  d.send(10, "klmno");
  EXPECT_EQ(d.text(), "");
  EXPECT_EQ(d.reassembler.buffered_bytes(), 10u);
  EXPECT_EQ(d.reassembler.held_chunks(), 1u);  // the second piece continued the first chunk
  d.send(0, "abcde");
  EXPECT_EQ(d.text(), "abcdefghijklmno");
  EXPECT_EQ(d.sink.events, "data(5) data(10)");
  EXPECT_EQ(d.reassembler.buffered_bytes(), 0u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
  EXPECT_EQ(d.counters.out_of_order_segments, 2u);
  EXPECT_EQ(d.counters.bytes_delivered, 15u);
  EXPECT_TRUE(d.sink.gaps.empty());
}

TEST(StreamReassembler, DuplicatesAreCountedNotDelivered) {
  Direction d;
  d.syn();
  d.send(0, "abcde");
  d.send(0, "abcde");  // retransmission of delivered bytes
  d.send(10, "klm");
  d.send(10, "klm");  // duplicate of held bytes
  d.send(5, "fghij");
  EXPECT_EQ(d.text(), "abcdefghijklm");
  EXPECT_EQ(d.counters.retransmitted_bytes, 5u);
  EXPECT_EQ(d.counters.overlap_segments, 1u);
  EXPECT_EQ(d.counters.overlap_bytes, 3u);
  EXPECT_EQ(d.counters.overlap_conflicts, 0u);
  EXPECT_TRUE(d.sink.conflicts.empty());
}

TEST(StreamReassembler, PartialOverlapsBeforeAfterInsideAndSpanning) {
  const std::string text = "0123456789abcdefghijklmnopqrstuvwxyz";
  auto piece = [&](std::uint32_t from, std::uint32_t to) { return text.substr(from, to - from); };
  Direction d;
  d.syn();
  d.send(10, piece(10, 20));  // held [10,20)
  d.send(6, piece(6, 12));    // starts before, ends inside
  d.send(18, piece(18, 24));  // starts inside, ends after
  d.send(12, piece(12, 15));  // entirely inside
  d.send(4, piece(4, 28));    // spans everything held, both ends out
  EXPECT_EQ(d.reassembler.buffered_bytes(), 24u);
  d.send(0, piece(0, 5));  // in order, overlapping the held start
  d.send(28, piece(28, 36));
  EXPECT_EQ(d.text(), text);
  EXPECT_EQ(d.counters.overlap_segments, 5u);
  EXPECT_EQ(d.counters.overlap_bytes, 2u + 2u + 3u + 18u + 1u);
  EXPECT_EQ(d.counters.overlap_conflicts, 0u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
}

TEST(StreamReassembler, ConflictingOverlapIsReportedOnceAndFirstDataWins) {
  Direction d;
  d.syn();
  d.send(10, "AAAA");  // held [10,14)
  d.send(20, "CCCC");  // held [20,24)
  // One segment disagrees with both held runs: one report, spanning both.
  d.send(8, "xxBBBByyyyyyDDDDzz");
  ASSERT_EQ(d.sink.conflicts.size(), 1u);
  EXPECT_EQ(d.sink.conflicts[0], (Conflict{d.seq_at(10), 14}));
  EXPECT_EQ(d.counters.overlap_conflicts, 1u);
  d.send(0, "01234567");
  EXPECT_EQ(d.text(), "01234567xxAAAAyyyyyyCCCCzz");
  EXPECT_EQ(d.sink.conflicts.size(), 1u);  // the in-order fill agreed with everything held
}

TEST(StreamReassembler, InOrderSegmentThatDisagreesWithHeldBytesKeepsTheHeldBytes) {
  Direction d;
  d.syn();
  d.send(5, "HELD!");
  d.send(0, "abcdeWRONGtail");
  EXPECT_EQ(d.text(), "abcdeHELD!tail");
  ASSERT_EQ(d.sink.conflicts.size(), 1u);
  EXPECT_EQ(d.sink.conflicts[0], (Conflict{d.seq_at(5), 5}));
  EXPECT_EQ(d.sink.events, "data(5) data(5) data(4) conflict");
}

TEST(StreamReassembler, DeliveredBytesAreNotKeptSoARewriteOfThemIsOnlyCounted) {
  Direction d;
  d.syn();
  d.send(0, "abcde");
  d.send(0, "ABCDE");
  EXPECT_EQ(d.text(), "abcde");
  EXPECT_TRUE(d.sink.conflicts.empty());
  EXPECT_EQ(d.counters.retransmitted_bytes, 5u);
}

TEST(StreamReassembler, SynConsumesOneSequenceNumber) {
  Direction d(5000);
  const Bytes fast_open = bytes_of("hi");  // TCP Fast Open: data on the SYN starts at ISN + 1
  d.reassembler.segment(d.pool, d.limits, 5000, tcp_flag::kSyn, fast_open, d.sink, d.counters);
  d.reassembler.segment(d.pool, d.limits, 5003, 0, bytes_of("there"), d.sink, d.counters);
  EXPECT_EQ(d.text(), "hithere");
  EXPECT_EQ(d.counters.out_of_order_segments, 0u);
  // A retransmitted SYN changes nothing.
  d.reassembler.segment(d.pool, d.limits, 5000, tcp_flag::kSyn, {}, d.sink, d.counters);
  d.reassembler.segment(d.pool, d.limits, 5008, 0, bytes_of("!"), d.sink, d.counters);
  EXPECT_EQ(d.text(), "hithere!");
}

TEST(StreamReassembler, FinAfterDataEndsOnceAndNothingFollows) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.send(3, "def", tcp_flag::kFin);
  EXPECT_EQ(d.sink.events, "data(3) data(3) end(fin)");
  EXPECT_TRUE(d.reassembler.ended());
  d.send(3, "def", tcp_flag::kFin);  // retransmitted FIN
  d.send(6, "late");
  EXPECT_EQ(d.sink.ends.size(), 1u);
  EXPECT_EQ(d.text(), "abcdef");
  EXPECT_EQ(d.counters.bytes_after_end, 7u);
}

TEST(StreamReassembler, FinBeforeMissingDataWaitsForTheHole) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.fin(9);
  d.send(6, "ghi");
  EXPECT_TRUE(d.sink.ends.empty());
  d.send(3, "def");
  EXPECT_EQ(d.sink.events, "data(3) data(3) data(3) end(fin)");
  EXPECT_FALSE(d.sink.data_after_end);
}

TEST(StreamReassembler, FinBeforeMissingDataEndsWhenTheHoleIsSkipped) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.fin(9);
  d.send(6, "ghi");
  d.ack(10);  // FIN acked (fin + 1): the receiver had everything
  EXPECT_EQ(d.sink.events, "data(3) gap(3) data(3) end(fin)");
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
}

TEST(StreamReassembler, BytesPastTheFinAreNotPartOfTheStream) {
  Direction d;
  d.syn();
  d.send(8, "held-past-fin");  // [8,21)
  d.send(2, "cd", tcp_flag::kFin);  // FIN at 4: everything held is beyond it
  EXPECT_EQ(d.reassembler.buffered_bytes(), 2u);
  EXPECT_EQ(d.pool.chunks_in_use(), 1u);
  d.send(0, "ab");
  EXPECT_EQ(d.text(), "abcd");
  EXPECT_EQ(d.sink.ends, std::vector<StreamEnd>{StreamEnd::kFin});
  EXPECT_EQ(d.counters.bytes_beyond_fin, 13u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);

  Direction straddle;
  straddle.syn();
  straddle.send(2, "cdefgh");
  straddle.fin(5);  // cuts the held chunk inside
  EXPECT_EQ(straddle.reassembler.buffered_bytes(), 3u);
  straddle.send(0, "ab");
  EXPECT_EQ(straddle.text(), "abcde");
  EXPECT_EQ(straddle.counters.bytes_beyond_fin, 3u);
  EXPECT_EQ(straddle.sink.ends.size(), 1u);
}

TEST(StreamReassembler, DisagreeingOrImpossibleFinsAreIgnored) {
  Direction d;
  d.syn();
  d.send(0, "abcdef");
  d.fin(3);  // below bytes delivered
  EXPECT_FALSE(d.reassembler.fin_seen());
  d.fin(10);
  d.fin(12);  // disagrees with the first FIN
  EXPECT_EQ(d.counters.ignored_fins, 2u);
  d.send(6, "ghij");
  EXPECT_EQ(d.sink.ends, std::vector<StreamEnd>{StreamEnd::kFin});
}

TEST(StreamReassembler, RstEndsAndDiscardsWhatIsHeld) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.send(10, "held");
  EXPECT_EQ(d.pool.chunks_in_use(), 1u);
  d.reassembler.segment(d.pool, d.limits, d.seq_at(3), tcp_flag::kRst, {}, d.sink, d.counters);
  EXPECT_EQ(d.sink.events, "data(3) end(rst)");
  EXPECT_EQ(d.counters.rst_discarded_bytes, 4u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
  d.send(3, "more");
  EXPECT_EQ(d.text(), "abc");
  EXPECT_EQ(d.counters.bytes_after_end, 4u);
}

TEST(StreamReassembler, StaleOrFarRstIsIgnored) {
  Direction d;
  d.syn();
  d.send(0, "abcdef");
  d.reassembler.segment(d.pool, d.limits, d.seq_at(2), tcp_flag::kRst, {}, d.sink, d.counters);
  d.reassembler.segment(d.pool, d.limits, d.seq_at(kMaxWindowBytes + 6), tcp_flag::kRst, {}, d.sink, d.counters);
  EXPECT_EQ(d.counters.ignored_rsts, 2u);
  EXPECT_FALSE(d.reassembler.ended());
  d.reassembler.segment(d.pool, d.limits, d.seq_at(100), tcp_flag::kRst | tcp_flag::kFin, {}, d.sink, d.counters);
  EXPECT_EQ(d.sink.ends, std::vector<StreamEnd>{StreamEnd::kRst});  // in window though bytes were missed
}

TEST(StreamReassembler, RstBeforeAnythingElseEnds) {
  Direction d;
  d.reassembler.segment(d.pool, d.limits, 0, tcp_flag::kRst, {}, d.sink, d.counters);
  EXPECT_EQ(d.sink.ends, std::vector<StreamEnd>{StreamEnd::kRst});
}

TEST(StreamReassembler, MidStreamPickUpStartsAtTheFirstSegmentSeen) {
  Direction d;
  const std::uint32_t seq = 0x12345678;
  d.reassembler.segment(d.pool, d.limits, seq, 0, bytes_of("middle"), d.sink, d.counters);
  EXPECT_TRUE(d.reassembler.started());
  d.reassembler.segment(d.pool, d.limits, seq + 10, 0, bytes_of("end"), d.sink, d.counters);
  d.reassembler.segment(d.pool, d.limits, seq - 3, 0, bytes_of("thebeg"), d.sink, d.counters);  // before the pick-up
  d.reassembler.segment(d.pool, d.limits, seq + 6, 0, bytes_of("-of-"), d.sink, d.counters);
  EXPECT_EQ(d.text(), "middle-of-end");
  EXPECT_EQ(d.counters.retransmitted_bytes, 6u);
  EXPECT_TRUE(d.sink.gaps.empty());
}

TEST(StreamReassembler, SequenceNumbersWrapAround) {
  Direction d(0xFFFFFF00u);
  const Bytes all = pattern_bytes(1000);
  auto part = [&](std::uint32_t from, std::uint32_t to) { return std::span(all).subspan(from, to - from); };
  d.syn();
  // Offset 255 is sequence number 0: cut around it, out of order.
  d.send(600, part(600, 1000));
  d.send(250, part(250, 260));
  d.send(200, part(200, 250));
  d.send(260, part(260, 600));
  EXPECT_EQ(d.reassembler.buffered_bytes(), 800u);
  d.send(0, part(0, 200));
  EXPECT_EQ(d.sink.data, all);
  EXPECT_EQ(d.reassembler.next_seq(), 0xFFFFFF00u + 1 + 1000);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);

  Direction gap(0xFFFFFFF0u);
  gap.syn();
  gap.send(0, part(0, 5));
  gap.send(40, part(40, 50));  // past the wrap, after a hole that crosses it
  gap.ack(40);
  EXPECT_EQ(gap.sink.gaps, std::vector<std::uint32_t>{35});
  EXPECT_EQ(gap.sink.data.size(), 15u);
}

TEST(StreamReassembler, AckPastAHoleSkipsItAndDeliversWhatFollows) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.send(6, "ghi");
  d.send(12, "mno");
  d.ack(2);  // below next_seq: nothing new
  EXPECT_TRUE(d.sink.gaps.empty());
  d.ack(5);  // inside the first hole: two bytes lost, one still may come
  EXPECT_EQ(d.sink.events, "data(3) gap(2)");
  d.send(5, "f");
  d.ack(14);
  EXPECT_EQ(d.sink.events, "data(3) gap(2) data(1) data(3) gap(3) data(3)");
  EXPECT_EQ(d.counters.gaps, 2u);
  EXPECT_EQ(d.counters.gap_bytes, 5u);
  EXPECT_EQ(d.counters.memory_gaps, 0u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
}

TEST(StreamReassembler, AckBeyondAnyWindowIsIgnored) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.ack(3 + kMaxWindowBytes);
  EXPECT_EQ(d.counters.ignored_acks, 1u);
  EXPECT_TRUE(d.sink.gaps.empty());
}

TEST(StreamReassembler, DataBeyondAnyWindowIsIgnored) {
  Direction d;
  d.syn();
  d.send(kMaxWindowBytes, "far");
  EXPECT_EQ(d.counters.out_of_window_bytes, 3u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
}

TEST(StreamReassembler, FlushDeliversHeldBytesAcrossHolesAndFreesEverything) {
  Direction d;
  d.syn();
  d.send(0, "ab");
  d.send(5, "fg");
  d.send(10, "klm");
  d.flush();
  EXPECT_EQ(d.sink.events, "data(2) gap(3) data(2) gap(3) data(3)");
  EXPECT_TRUE(d.sink.ends.empty());  // no FIN was seen
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
  EXPECT_TRUE(d.reassembler.ended());
  d.send(13, "late");
  EXPECT_EQ(d.text(), "abfgklm");
  EXPECT_EQ(d.counters.bytes_after_end, 4u);
}

TEST(StreamReassembler, FlushWithAFinSkipsToItAndEnds) {
  Direction d;
  d.syn();
  d.send(3, "de");
  d.fin(8);
  d.flush();
  EXPECT_EQ(d.sink.events, "gap(3) data(2) gap(3) end(fin)");
  EXPECT_EQ(d.sink.gap_bytes() + d.sink.data.size(), 8u);
}

TEST(StreamReassembler, PerDirectionCapGivesUpTheOldestHole) {
  Direction d(1000, 64, ReassemblyLimits{.max_buffered_bytes = 4 * kChunkDataBytes});
  const Bytes all = pattern_bytes(64 * 1024);
  d.syn();
  // Every other 1000-byte block: each one a hole before it, one chunk each.
  for (std::uint32_t block = 1; block < 20; block += 2) {
    d.send(block * 1000, std::span(all).subspan(block * 1000, 1000));
    EXPECT_LE(d.reassembler.held_chunks(), 4u);
  }
  EXPECT_GT(d.counters.direction_cap_hits, 0u);
  EXPECT_GT(d.counters.memory_gaps, 0u);
  EXPECT_EQ(d.counters.memory_gap_bytes, d.counters.gap_bytes);
  EXPECT_EQ(d.pool.high_water_chunks(), 4u);
  // What was delivered sits at the right offsets: gaps and data add up.
  d.flush();
  EXPECT_EQ(d.sink.data.size() + d.sink.gap_bytes(), 20u * 1000u);
  EXPECT_EQ(d.sink.data.size(), 10u * 1000u);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
}

TEST(StreamReassembler, CapCountsChunksSoTinySegmentsCannotPinMore) {
  Direction d(1000, 64, ReassemblyLimits{.max_buffered_bytes = 8 * kChunkDataBytes});
  d.syn();
  const Bytes one = bytes_of("x");
  for (std::uint32_t i = 1; i < 2000; i += 2) d.send(i, one);  // 1-byte segments, 1-byte holes
  EXPECT_LE(d.reassembler.held_chunks(), 8u);
  EXPECT_LE(d.pool.high_water_bytes(), 8u * kChunkDataBytes);
  d.reassembler.release(d.pool);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
}

TEST(StreamReassembler, ConsecutiveOutOfOrderSegmentsPackIntoChunks) {
  Direction d;
  d.syn();
  const Bytes all = pattern_bytes(20 * 1024 + 1);
  for (std::uint32_t off = 1; off < all.size(); off += 512) {
    const std::size_t n = std::min<std::size_t>(512, all.size() - off);
    d.send(off, std::span(all).subspan(off, n));
  }
  EXPECT_EQ(d.reassembler.held_chunks(), 10u);  // 20 KiB in 2 KiB chunks, no slack
  d.send(0, std::span(all).first(1));
  EXPECT_EQ(d.sink.data, all);
}

TEST(StreamReassembler, AttackerSendingOnlyOutOfOrderDataCannotGrowMemory) {
  const ReassemblyLimits limits{.max_buffered_bytes = 32 * kChunkDataBytes};
  Direction d(7, 1024, limits);
  d.syn();
  std::uint32_t state = 12345;
  const Bytes junk = pattern_bytes(1460);
  for (int i = 0; i < 20000; ++i) {
    state = state * 1103515245u + 12345u;
    // Never the next expected byte: always at least one byte ahead.
    const std::uint32_t ahead = 1 + (state >> 8) % (4u << 20);
    const std::size_t len = 1 + (state >> 3) % junk.size();
    d.reassembler.segment(d.pool, d.limits, d.reassembler.next_seq() + ahead, 0, std::span(junk).first(len), d.sink,
                          d.counters);
    ASSERT_LE(d.reassembler.held_chunks(), limits.max_buffered_chunks());
    ASSERT_LE(d.pool.used_bytes(), limits.max_buffered_bytes);
  }
  EXPECT_LE(d.pool.high_water_bytes(), limits.max_buffered_bytes);
  EXPECT_GT(d.counters.direction_cap_hits, 0u);
  EXPECT_EQ(d.counters.out_of_order_segments, 20000u);
  d.reassembler.release(d.pool);
  EXPECT_EQ(d.pool.used_bytes(), 0u);
  EXPECT_EQ(d.reassembler.buffered_bytes(), 0u);
}

TEST(StreamReassembler, PoolExhaustionAcrossManyStreams) {
  constexpr int kStreams = 64;
  ChunkPool pool(16);  // far less than the streams want
  const ReassemblyLimits limits{};
  std::vector<StreamReassembler> streams(kStreams);
  std::vector<RecordingSink> sinks(kStreams);
  DirectionCounters counters;  // one per worker, as the dataplane keeps them
  const Bytes all = pattern_bytes(40 * 1000);
  for (int s = 0; s < kStreams; ++s) streams[s].segment(pool, limits, 0, tcp_flag::kSyn, {}, sinks[s], counters);
  // Each stream: block 0 lost, blocks 1..39 arrive; streams interleaved.
  for (std::uint32_t block = 1; block < 40; ++block) {
    for (int s = 0; s < kStreams; ++s) {
      streams[s].segment(pool, limits, 1 + block * 1000, 0, std::span(all).subspan(block * 1000, 1000), sinks[s],
                         counters);
      ASSERT_LE(pool.chunks_in_use(), 16u);
    }
  }
  EXPECT_GT(counters.pool_empty_hits, 0u);
  EXPECT_GT(pool.alloc_failures() + counters.pool_empty_hits, 0u);
  for (int s = 0; s < kStreams; ++s) {
    streams[s].flush(pool, sinks[s], counters);
    // Every stream lost block 0 and nothing after it: memory pressure cost
    // holes, never wrong bytes.
    ASSERT_EQ(sinks[s].data.size() + sinks[s].gap_bytes(), 40u * 1000u) << s;
    EXPECT_EQ(sinks[s].gaps.front(), 1000u) << s;
    EXPECT_TRUE(std::equal(sinks[s].data.end() - 39 * 1000, sinks[s].data.end(), all.begin() + 1000)) << s;
  }
  EXPECT_EQ(pool.chunks_in_use(), 0u);
  EXPECT_EQ(counters.bytes_delivered, kStreams * 39u * 1000u);
}

TEST(StreamReassembler, ReleaseFreesWithoutDeliveringAndResets) {
  Direction d;
  d.syn();
  d.send(0, "abc");
  d.send(100, pattern_bytes(5000));
  EXPECT_EQ(d.pool.chunks_in_use(), 3u);
  d.reassembler.release(d.pool);
  EXPECT_EQ(d.pool.chunks_in_use(), 0u);
  EXPECT_EQ(d.pool.used_bytes(), 0u);
  EXPECT_EQ(d.text(), "abc");
  EXPECT_FALSE(d.reassembler.started());
  EXPECT_EQ(d.reassembler.buffered_bytes(), 0u);
  // The same record serves a new stream.
  d.reassembler.segment(d.pool, d.limits, 77, 0, bytes_of("new"), d.sink, d.counters);
  EXPECT_EQ(d.text(), "abcnew");
}

TEST(StreamReassembler, StateIsSmallAndCountersSum) {
  EXPECT_LE(sizeof(StreamReassembler), 64u);
  DirectionCounters a;
  DirectionCounters b;
  a.segments = 2;
  b.segments = 3;
  b.ignored_acks = 1;
  a += b;
  EXPECT_EQ(a.segments, 5u);
  EXPECT_EQ(a.ignored_acks, 1u);
  std::set<std::string_view> names;
  for (const auto& field : kDirectionCounterFields) {
    EXPECT_TRUE(names.insert(field.name).second) << field.name;
    EXPECT_FALSE(field.description.empty());
  }
}

}  // namespace
}  // namespace segward::stream
