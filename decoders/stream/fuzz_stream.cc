// Fuzz target: a script of segments, acks, flushes and releases against two
// directions sharing a pool of a few chunks (so both caps and pool
// exhaustion are reached). Invariants:
//  - no crash, no read outside a span (ASan), no undefined behaviour (UBSan);
//  - the pool's chunks in use are exactly the chunks the directions hold, and
//    neither exceeds its cap;
//  - delivered bytes never exceed the bytes fed; delivered plus skipped bytes
//    track next_seq() exactly;
//  - while a direction is fed only honest bytes (a fixed function of their
//    sequence number), every byte it delivers is the right one and no
//    overlap conflict is reported;
//  - after flush or release the pool is empty.
//
// Script: 6 header bytes (pool chunks, per-direction cap, ISN), then ops:
//   op: bit 0 direction, bits 1-3 kind (0-4 segment, 5 ack, 6 flush,
//       7 release), bit 4 raw 32-bit sequence number instead of an offset
//   segment: flags, seq (int16 offset from the ISN, or raw be32), length
//       (be16 mod 5000), tamper (>= 0xc0: XOR the bytes with it)
//   ack: seq as above
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "decoders/common/byte_reader.h"
#include "decoders/stream/chunk_pool.h"
#include "decoders/stream/stream_reassembler.h"

namespace {

using segward::stream::ChunkPool;
using segward::stream::DirectionCounters;
using segward::stream::kChunkDataBytes;
using segward::stream::ReassemblyLimits;
using segward::stream::StreamEnd;
using segward::stream::StreamReassembler;

void check(bool invariant) {
  if (!invariant) std::abort();
}

std::uint8_t honest_byte(std::uint32_t seq) { return static_cast<std::uint8_t>((seq * 2654435761u) >> 24); }

struct CheckingSink {
  std::uint32_t position = 0;  // sequence number of the next byte expected
  bool honest = true;
  bool ended = false;
  std::uint64_t fed = 0;
  std::uint64_t delivered = 0;
  std::uint64_t skipped = 0;

  void on_data(std::span<const std::uint8_t> bytes) {
    check(!bytes.empty() && !ended);
    if (honest) {
      for (std::size_t i = 0; i < bytes.size(); ++i) check(bytes[i] == honest_byte(position + static_cast<std::uint32_t>(i)));
    }
    position += static_cast<std::uint32_t>(bytes.size());
    delivered += bytes.size();
  }
  void on_gap(std::uint32_t bytes) {
    check(bytes > 0 && !ended);
    position += bytes;
    skipped += bytes;
  }
  void on_overlap_conflict(std::uint32_t, std::uint32_t len) { check(!honest && len > 0 && !ended); }
  void on_end(StreamEnd) {
    check(!ended);
    ended = true;
  }
};

struct Direction {
  StreamReassembler reassembler;
  CheckingSink sink;
  DirectionCounters counters;
  std::uint32_t isn = 0;
};

void check_direction(const Direction& d, const ReassemblyLimits& limits) {
  const StreamReassembler& r = d.reassembler;
  check(r.held_chunks() <= limits.max_buffered_chunks());
  check(r.buffered_bytes() <= std::uint64_t{r.held_chunks()} * kChunkDataBytes);
  check(r.buffered_bytes() >= r.held_chunks());  // no empty chunk is held
  check(d.sink.delivered <= d.sink.fed);
  check(d.counters.bytes_delivered == d.sink.delivered && d.counters.gap_bytes == d.sink.skipped);
  if (r.started() && !r.ended()) check(d.sink.position == r.next_seq());
  if (r.ended()) check(r.held_chunks() == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  segward::decoders::ByteReader script(std::span<const std::uint8_t>(data, size));
  const std::uint8_t pool_byte = script.be8().value_or(3);
  const std::uint8_t cap_byte = script.be8().value_or(2);
  const std::uint32_t isn = script.be32().value_or(0xffffff00u);

  ChunkPool pool(1u + pool_byte % 8u);
  // Caps of 0..8 chunks, plus a few bytes that must round down.
  const ReassemblyLimits limits{.max_buffered_bytes = (cap_byte % 9u) * kChunkDataBytes + cap_byte / 9u};
  std::array<Direction, 2> directions;
  directions[0].isn = isn;
  directions[1].isn = isn ^ 0x80000000u;
  std::vector<std::uint8_t> payload;

  while (const auto op = script.be8()) {
    Direction& d = directions[*op & 1u];
    const unsigned kind = (*op >> 1) & 7u;
    const bool raw_seq = (*op & 0x10u) != 0;
    auto read_seq = [&]() -> std::uint32_t {
      if (raw_seq) return script.be32().value_or(0);
      return d.isn + static_cast<std::uint32_t>(static_cast<std::int16_t>(script.be16().value_or(0)));
    };
    if (kind <= 4) {
      const std::uint8_t flags = script.be8().value_or(0) & 0x07u;
      const std::uint32_t seq = read_seq();
      const std::size_t length = script.be16().value_or(0) % 5000u;
      const std::uint8_t tamper_byte = script.be8().value_or(0);
      const std::uint8_t tamper = tamper_byte >= 0xc0 ? tamper_byte : 0;
      const std::uint32_t data_seq = (flags & segward::stream::tcp_flag::kSyn) ? seq + 1 : seq;
      payload.assign(length, 0);  // exact size: an over-read is visible to ASan
      for (std::size_t i = 0; i < length; ++i) {
        payload[i] = static_cast<std::uint8_t>(honest_byte(data_seq + static_cast<std::uint32_t>(i)) ^ tamper);
      }
      const bool is_rst = (flags & segward::stream::tcp_flag::kRst) != 0;
      if (!d.reassembler.started() && !is_rst) d.sink.position = data_seq;
      if (tamper != 0 && length > 0 && !is_rst) d.sink.honest = false;
      d.sink.fed += length;
      d.reassembler.segment(pool, limits, seq, flags, payload, d.sink, d.counters);
    } else if (kind == 5) {
      d.reassembler.acked(pool, read_seq(), d.sink, d.counters);
    } else if (kind == 6) {
      d.reassembler.flush(pool, d.sink, d.counters);
      check(d.reassembler.held_chunks() == 0);
    } else {
      d.reassembler.release(pool);
      check(d.reassembler.held_chunks() == 0 && !d.reassembler.started());
      d.sink = CheckingSink{};
      d.counters = DirectionCounters{};
    }
    for (const Direction& each : directions) check_direction(each, limits);
    check(pool.chunks_in_use() == directions[0].reassembler.held_chunks() + directions[1].reassembler.held_chunks());
    check(pool.used_bytes() <= pool.capacity_bytes() && pool.high_water_chunks() <= pool.chunk_count());
  }

  // Alternate the two ways a connection's memory comes back.
  directions[0].reassembler.flush(pool, directions[0].sink, directions[0].counters);
  directions[1].reassembler.release(pool);
  check_direction(directions[0], limits);
  check(pool.chunks_in_use() == 0 && pool.used_bytes() == 0);
  return 0;
}
