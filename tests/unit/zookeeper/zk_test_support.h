#pragma once
// Test-only helpers for decoders/zookeeper: a jute writer that builds frames
// the way ZooKeeper clients and servers write them, a sink that keeps every
// event, and a decode helper that feeds one conversation whole per message,
// one byte at a time, with the 4-byte length in its own segment (the C
// client), and in random pieces, and expects byte-identical events and
// counters every time. Every test conversation goes through it, so every
// test also checks that the result does not depend on how TCP cut the stream.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/zookeeper/zk_connection.h"

namespace segward::zookeeper::testing {

using Bytes = std::vector<std::uint8_t>;

// Writes jute records (big-endian, no tags).
class Jute {
 public:
  Jute& i32(std::int32_t v) {
    for (int s = 24; s >= 0; s -= 8) b_.push_back(static_cast<std::uint8_t>(static_cast<std::uint32_t>(v) >> s));
    return *this;
  }
  Jute& i64(std::int64_t v) {
    for (int s = 56; s >= 0; s -= 8) b_.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(v) >> s));
    return *this;
  }
  Jute& boolean(bool v) {
    b_.push_back(v ? 1 : 0);
    return *this;
  }
  Jute& ustring(std::string_view s) {
    i32(static_cast<std::int32_t>(s.size()));
    b_.insert(b_.end(), s.begin(), s.end());
    return *this;
  }
  Jute& null() { return i32(-1); }  // null ustring / buffer / vector
  Jute& buffer(std::string_view s) { return ustring(s); }
  Jute& buffer_of(std::size_t n, std::uint8_t fill = 'x') {
    i32(static_cast<std::int32_t>(n));
    b_.insert(b_.end(), n, fill);
    return *this;
  }
  Jute& raw(std::span<const std::uint8_t> bytes) {
    b_.insert(b_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Jute& acl(std::int32_t perms, std::string_view scheme, std::string_view id) { return i32(perms).ustring(scheme).ustring(id); }
  Jute& stat(std::int64_t czxid = 0x10, std::int64_t mzxid = 0x11, std::int32_t version = 0, std::int64_t owner = 0,
             std::int32_t data_length = 0, std::int32_t num_children = 0) {
    return i64(czxid).i64(mzxid).i64(1700000000000).i64(1700000000001).i32(version).i32(0).i32(0).i64(owner)
        .i32(data_length).i32(num_children).i64(mzxid);
  }
  Jute& multi_header(std::int32_t type, bool done, std::int32_t err) { return i32(type).boolean(done).i32(err); }
  Jute& multi_end() { return multi_header(-1, true, -1); }

  [[nodiscard]] const Bytes& body() const { return b_; }
  // [int32 length][body]
  [[nodiscard]] Bytes frame() const {
    Bytes out;
    Jute len;
    len.i32(static_cast<std::int32_t>(b_.size()));
    out = len.b_;
    out.insert(out.end(), b_.begin(), b_.end());
    return out;
  }

 private:
  Bytes b_;
};

inline Jute request(std::int32_t xid, std::int32_t type) { return std::move(Jute().i32(xid).i32(type)); }
inline Jute reply(std::int32_t xid, std::int64_t zxid, std::int32_t err) { return std::move(Jute().i32(xid).i64(zxid).i32(err)); }

inline Bytes connect_request(std::uint64_t session = 0, bool password = false, std::int32_t timeout = 10000,
                             std::int64_t last_zxid = 0, std::optional<bool> read_only = false) {
  Jute j;
  j.i32(0).i64(last_zxid).i32(timeout).i64(static_cast<std::int64_t>(session));
  std::string passwd(16, '\0');
  if (password) passwd[7] = 0x5a;
  j.buffer(passwd);
  if (read_only) j.boolean(*read_only);
  return j.frame();
}

inline Bytes connect_response(std::uint64_t session = 0x100000a5c2e0000ULL, std::int32_t timeout = 10000,
                              std::optional<bool> read_only = false) {
  Jute j;
  j.i32(0).i32(timeout).i64(static_cast<std::int64_t>(session)).buffer(std::string(16, '\x11'));
  if (read_only) j.boolean(*read_only);
  return j.frame();
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

class RecordingSink final : public ZkEventSink {
 public:
  void on_event(const ZkEvent& event) override { events.push_back(event); }
  std::vector<ZkEvent> events;
};

// One step of a conversation: bytes from one side, or a hole.
struct Step {
  bool server = false;
  Bytes bytes;
  std::uint32_t gap = 0;  // > 0: report this many lost bytes instead of feeding
};

inline Step client(Bytes b) { return Step{false, std::move(b), 0}; }
inline Step server(Bytes b) { return Step{true, std::move(b), 0}; }
inline Step client_gap(std::uint32_t n) { return Step{false, {}, n}; }
inline Step server_gap(std::uint32_t n) { return Step{true, {}, n}; }

using Conversation = std::vector<Step>;

enum class Cut { kWhole, kByteAtATime, kLengthApart, kRandom };

struct Decoded {
  std::vector<ZkEvent> events;
  ZkCounters counters;
  bool finished = false;

  // The requests (kRequest events), in emission order.
  [[nodiscard]] std::vector<ZkEvent> of_kind(ZkEventKind kind) const {
    std::vector<ZkEvent> out;
    for (const auto& e : events) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }
  [[nodiscard]] std::vector<ZkEvent> requests() const { return of_kind(ZkEventKind::kRequest); }
  [[nodiscard]] const ZkEvent& only(ZkEventKind kind) const {
    static ZkEvent none;
    std::size_t n = 0;
    const ZkEvent* found = &none;
    for (const auto& e : events) {
      if (e.kind == kind) {
        ++n;
        found = &e;
      }
    }
    EXPECT_EQ(n, 1u) << "events of kind " << event_kind_name(kind);
    return *found;
  }
};

inline void feed_piece(ZkConnection& c, bool server, std::span<const std::uint8_t> piece, const ZkLimits& limits,
                       ZkEventSink& sink) {
  if (server) {
    c.feed_server(piece, limits, sink);
  } else {
    c.feed_client(piece, limits, sink);
  }
}

// The C client's segmentation: each frame's 4-byte length alone, then its
// body. `frame_end` tracks where the current frame's body ends.
inline std::size_t length_apart_piece(std::span<const std::uint8_t> all, std::size_t at, std::size_t& frame_end) {
  if (at < frame_end) return frame_end - at;  // the body
  if (all.size() - at < 4) return all.size() - at;
  const std::uint32_t len = std::uint32_t{all[at]} << 24 | std::uint32_t{all[at + 1]} << 16 | std::uint32_t{all[at + 2]} << 8 | all[at + 3];
  frame_end = len <= all.size() - at - 4 ? at + 4 + len : all.size();
  return 4;
}

// Feeds each step cut as `cut` says, then end() unless told not to.
inline Decoded decode_cut(const Conversation& conv, Cut cut, const ZkLimits& limits = {}, bool end = true,
                          std::uint32_t seed = 1) {
  ZkConnection c;
  RecordingSink sink;
  std::mt19937 rng(seed);
  for (const Step& step : conv) {
    if (step.gap > 0) {
      if (step.server) {
        c.gap_server(step.gap, sink);
      } else {
        c.gap_client(step.gap, sink);
      }
      continue;
    }
    const std::span<const std::uint8_t> all(step.bytes);
    std::size_t at = 0;
    std::size_t frame_end = 0;
    while (at < all.size()) {
      std::size_t n = all.size() - at;
      switch (cut) {
        case Cut::kWhole: break;
        case Cut::kByteAtATime: n = 1; break;
        case Cut::kLengthApart: n = length_apart_piece(all, at, frame_end); break;
        case Cut::kRandom: n = std::min<std::size_t>(n, 1 + rng() % 23); break;
      }
      feed_piece(c, step.server, all.subspan(at, n), limits, sink);
      at += n;
    }
  }
  if (end) c.end(sink);
  return Decoded{std::move(sink.events), c.counters(), c.finished()};
}

inline bool same_bytes(const ZkEvent& a, const ZkEvent& b) { return std::memcmp(&a, &b, sizeof(ZkEvent)) == 0; }

// Decodes whole, then every other way; all must agree byte for byte.
inline Decoded decode(const Conversation& conv, const ZkLimits& limits = {}, bool end = true) {
  Decoded whole = decode_cut(conv, Cut::kWhole, limits, end);
  for (const Cut cut : {Cut::kByteAtATime, Cut::kLengthApart, Cut::kRandom}) {
    const Decoded other = decode_cut(conv, cut, limits, end, 7);
    EXPECT_EQ(other.events.size(), whole.events.size()) << "cut " << static_cast<int>(cut);
    for (std::size_t i = 0; i < std::min(other.events.size(), whole.events.size()); ++i) {
      EXPECT_TRUE(same_bytes(other.events[i], whole.events[i])) << "event " << i << " differs with cut " << static_cast<int>(cut);
    }
    EXPECT_TRUE(other.counters == whole.counters) << "counters differ with cut " << static_cast<int>(cut);
    EXPECT_EQ(other.finished, whole.finished);
  }
  return whole;
}

// The usual start of a client-port conversation.
inline Conversation handshake(std::uint64_t session = 0x100000a5c2e0000ULL) {
  return {client(connect_request()), server(connect_response(session))};
}

// One request/reply pair after a handshake; returns the request event.
inline Decoded exchange(const Bytes& request_frame, const Bytes& reply_frame) {
  Conversation conv = handshake();
  conv.push_back(client(request_frame));
  conv.push_back(server(reply_frame));
  return decode(conv);
}

}  // namespace segward::zookeeper::testing
