// Fuzz target: arbitrary client and server byte streams into one
// ZkConnection. Input: control byte, seed byte, client length (big-endian
// 16 bits), client bytes, server bytes. With control bit 0x04 the bytes
// after the control word are frame records instead, [side][length 16 bits]
// [body], and the target writes each body behind its correct jute length
// prefix into that side's stream: mutations then reach the record decoders
// instead of breaking the framing.
//
// Invariants: no crash, no read outside the input (ASan), every event
// within its bounds (counts, text sizes, kinds), a digest user never holds
// a ':' (the password side), at most kMaxPending requests held, finished()
// after end(); and the events (compared byte for byte) and counters for
// the streams fed whole equal those for the same streams cut into random
// pieces and into single bytes. A last run interleaves the directions and
// reports gaps, for the invariants only.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "decoders/zookeeper/admin_server.h"
#include "decoders/zookeeper/zk_connection.h"

namespace {

using segward::zookeeper::ZkConnection;
using segward::zookeeper::ZkCounters;
using segward::zookeeper::ZkEvent;
using segward::zookeeper::ZkEventKind;
using segward::zookeeper::ZkEventSink;
using segward::zookeeper::ZkLimits;

// Says which invariant broke, then aborts (the fuzzer keeps the input).
void check_at(bool invariant, int line) {
  if (!invariant) {
    std::fprintf(stderr, "fuzz_zookeeper: invariant at line %d failed\n", line);
    std::abort();
  }
}
#define check(invariant) check_at((invariant), __LINE__)

template <class Text>
void check_text(const Text& t) {
  check(t.size <= t.capacity());
}

void check_event(const ZkEvent& e) {
  check(static_cast<std::uint8_t>(e.kind) <= static_cast<std::uint8_t>(ZkEventKind::kFrameTooLarge));
  check(e.acl_count <= e.acl.size() && e.acl_count <= e.acl_total);
  check_text(e.path);
  check_text(e.created_path);
  check_text(e.auth_scheme);
  check_text(e.auth_user);
  check_text(e.admin_command);
  for (const auto& a : e.acl) {
    check_text(a.scheme);
    check_text(a.id);
  }
  if (e.auth_scheme.view() == "digest") check(e.auth_user.view().find(':') == std::string_view::npos);
  const bool multi = e.kind == ZkEventKind::kRequest && (e.opcode == 14 || e.opcode == 22);
  if (multi) {
    check(e.sub_op_count <= e.sub_ops.size() && e.sub_op_count <= e.sub_op_total);
    for (std::size_t i = 0; i < e.sub_op_count; ++i) check_text(e.sub_ops[i].path);
  } else {
    check(e.sub_op_count == 0 && e.sub_op_total == 0);
    check_text(e.detail.reconfig_joining);
    check_text(e.detail.reconfig_leaving);
    check_text(e.detail.reconfig_members);
  }
  if (e.kind == ZkEventKind::kRequest) check(e.frame_len >= 8);
  if (!e.replied && e.kind == ZkEventKind::kRequest) check(e.err == 0 && e.created_path.size == 0);
}

class DigestSink final : public ZkEventSink {
 public:
  void on_event(const ZkEvent& e) override {
    check_event(e);
    // The whole event, 8 bytes at a time (events are reset to zero, so
    // padding and unused text bytes are deterministic too).
    const auto* p = reinterpret_cast<const std::uint8_t*>(&e);
    std::size_t i = 0;
    for (; i + 8 <= sizeof(e); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      mix(w);
    }
    for (; i < sizeof(e); ++i) mix(p[i]);
    ++events_;
  }
  [[nodiscard]] std::uint64_t digest() const { return hash_; }
  [[nodiscard]] std::uint64_t events() const { return events_; }

 private:
  void mix(std::uint64_t w) {
    hash_ = (hash_ ^ w) * 0x9e3779b97f4a7c15ULL;
    hash_ ^= hash_ >> 29;
  }
  std::uint64_t hash_ = 14695981039346656037ULL;
  std::uint64_t events_ = 0;
};

std::size_t next_cut(std::uint32_t& state, std::size_t left) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return 1 + state % (left < 64 ? left : 64);
}

constexpr std::uint32_t kWhole = 0;
constexpr std::uint32_t kByteAtATime = ~std::uint32_t{0};

struct Run {
  std::uint64_t digest;
  std::uint64_t events;
  ZkCounters counters;
};

void feed_all(ZkConnection& c, std::span<const std::uint8_t> bytes, bool server, const ZkLimits& limits,
              ZkEventSink& sink, std::uint32_t& seed) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::size_t left = bytes.size() - at;
    const std::size_t n = seed == kWhole ? left : seed == kByteAtATime ? 1 : next_cut(seed, left);
    if (server) {
      c.feed_server(bytes.subspan(at, n), limits, sink);
    } else {
      c.feed_client(bytes.subspan(at, n), limits, sink);
    }
    check(c.pending() <= ZkConnection::kMaxPending);
    at += n;
  }
}

Run run(ZkConnection& c, std::span<const std::uint8_t> client, std::span<const std::uint8_t> server,
        const ZkLimits& limits, std::uint32_t seed) {
  c.reset();
  DigestSink sink;
  feed_all(c, client, false, limits, sink, seed);
  feed_all(c, server, true, limits, sink, seed);
  c.end(sink);
  check(c.finished() && c.pending() == 0);
  const ZkCounters& k = c.counters();
  check(k.client_bytes == client.size() && k.server_bytes == server.size());
  check(k.events == sink.events());
  check(k.malformed_frames == k.malformed_short_records + k.malformed_string_lengths + k.malformed_buffer_lengths +
                                  k.malformed_vector_counts + k.malformed_multi);
  return Run{sink.digest(), sink.events(), k};
}

void run_interleaved(ZkConnection& c, std::span<const std::uint8_t> client, std::span<const std::uint8_t> server,
                     const ZkLimits& limits, std::uint32_t seed, bool gaps) {
  c.reset();
  DigestSink sink;
  std::size_t a = 0, b = 0;
  while (a < client.size() || b < server.size()) {
    if (a < client.size()) {
      const auto piece = client.subspan(a, next_cut(seed, client.size() - a));
      c.feed_client(piece, limits, sink);
      a += piece.size();
    }
    if (b < server.size()) {
      const auto piece = server.subspan(b, next_cut(seed, server.size() - b));
      c.feed_server(piece, limits, sink);
      b += piece.size();
    }
    if (gaps && (seed & 0x3f) == 0x15) c.gap_client(seed >> 22, sink);
    if (gaps && (seed & 0x3f) == 0x2a) c.gap_server(seed >> 22, sink);
    check(c.pending() <= ZkConnection::kMaxPending);
  }
  c.end(sink);
  check(c.finished());
  check(c.counters().events == sink.events());
}

bool same(const Run& x, const Run& y) { return x.digest == y.digest && x.events == y.events && x.counters == y.counters; }

// Framed mode: builds both streams from [side][length][body] records.
void build_framed(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& client, std::vector<std::uint8_t>& server) {
  while (in.size() >= 3) {
    auto& out = (in[0] & 1) ? server : client;
    const std::size_t n = std::min<std::size_t>((std::size_t{in[1]} << 8) | in[2], in.size() - 3);
    const auto len = static_cast<std::uint32_t>(n);
    const std::uint8_t prefix[4] = {static_cast<std::uint8_t>(len >> 24), static_cast<std::uint8_t>(len >> 16),
                                    static_cast<std::uint8_t>(len >> 8), static_cast<std::uint8_t>(len)};
    if ((in[0] & 2) == 0) out.insert(out.end(), prefix, prefix + 4);  // bit 1: raw bytes, no prefix
    out.insert(out.end(), in.begin() + 3, in.begin() + 3 + static_cast<std::ptrdiff_t>(n));
    in = in.subspan(3 + n);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::uint8_t control = data[0];
  const std::uint32_t seed = 0x9e3779b9u ^ (std::uint32_t{control} << 8) ^ data[1];
  std::span<const std::uint8_t> client, server;
  static std::vector<std::uint8_t> framed_client, framed_server;  // reused: the harness, not the decoder, allocates
  if (control & 0x04) {
    framed_client.clear();
    framed_server.clear();
    build_framed(std::span(data + 2, size - 2), framed_client, framed_server);
    client = framed_client;
    server = framed_server;
  } else {
    const std::size_t client_len = std::min<std::size_t>((std::size_t{data[2]} << 8) | data[3], size - 4);
    client = std::span(data + 4, client_len);
    server = std::span(data + 4 + client_len, size - 4 - client_len);
  }
  ZkLimits limits;
  if (control & 0x01) limits.max_frame = 16u + data[1] * 8u;  // small limits reach the oversize path

  static ZkConnection connection;  // static: as the dataplane, one object reset and reused
  const Run whole = run(connection, client, server, limits, kWhole);
  check(same(whole, run(connection, client, server, limits, seed | 1)));  // xorshift needs a non-zero state
  if (client.size() + server.size() <= 4096) check(same(whole, run(connection, client, server, limits, kByteAtATime)));
  run_interleaved(connection, client, server, limits, seed | 1, (control & 0x02) != 0);

  (void)segward::zookeeper::probe_client_start(client);
  (void)segward::zookeeper::probe_client_start(std::span(data, size));
  ZkEvent admin;
  const std::string_view target(reinterpret_cast<const char*>(data + 4), size - 4);
  if (segward::zookeeper::admin_command(target, admin)) check_event(admin);
  return 0;
}
