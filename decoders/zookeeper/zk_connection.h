#pragma once
// ZooKeeper client-port decoder: both directions of one TCP connection to
// port 2181 (plaintext), fed in-order reassembled bytes, reporting ZkEvent
// values (zk_event.h) to a sink. See README.md for the design.
//
// - Streaming: frames are never buffered. A resumable field-by-field reader
//   per direction walks a small per-opcode record program (zk_schema.cc):
//   scalars are collected byte by byte when cut, ustrings copied into their
//   BoundedText up to capacity (the rest skipped), buffers skipped by count,
//   vectors walked element by element. A 500 KB setData in 1-byte pieces
//   costs no memory.
// - Pairing: requests wait in a FIFO of kMaxPending full ZkEvents until the
//   reply with their xid comes; the event is emitted then (or without reply
//   when the FIFO overflows, or at end()).
// - No heap, no exceptions, no reads outside the spans fed. sizeof
//   (ZkConnection) is 40,432 bytes (10 ZkEvents: 8 pending, the connect /
//   four-letter-word event, a notification under construction), checked by
//   a static_assert in zk_connection.cc. One thread per object.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/zookeeper/zk_event.h"

namespace segward::zookeeper {

struct ZkLimits {
  std::uint32_t max_frame = 1048575;  // jute.maxbuffer default
};

struct ZkCounters {
#define SEGWARD_ZK_COUNTER(field, description) std::uint64_t field = 0;
#include "decoders/zookeeper/zk_counters.def"
#undef SEGWARD_ZK_COUNTER

  ZkCounters& operator+=(const ZkCounters& other) noexcept;
  friend bool operator==(const ZkCounters&, const ZkCounters&) = default;
};

/// Every counter by stable name, for metrics and the REST API.
struct ZkCounterField {
  std::string_view name;
  std::string_view description;
  std::uint64_t ZkCounters::*member;
};
inline constexpr std::array kZkCounterFields = {
#define SEGWARD_ZK_COUNTER(field, description) ZkCounterField{#field, description, &ZkCounters::field},
#include "decoders/zookeeper/zk_counters.def"
#undef SEGWARD_ZK_COUNTER
};
static_assert(sizeof(ZkCounters) == kZkCounterFields.size() * sizeof(std::uint64_t));

class ZkEventSink {
 public:
  /// The event is valid during the call only (copy it).
  virtual void on_event(const ZkEvent& event) = 0;
  /// A request frame (or a four-letter word) has just been read whole,
  /// before its reply: what an inline policy judges while the packet that
  /// ended it can still be held back. The event is emitted again, with its
  /// reply, through on_event.
  virtual void on_request(const ZkEvent& /*request*/) {}

 protected:
  ~ZkEventSink() = default;
};

enum class ZkProbe : std::uint8_t { kNo, kClientPort, kFourLetterWord };

/// Classifies the first client payload of a connection: a ConnectRequest
/// start (00 00 00 2c|2d, then protocolVersion 0 when present; a lone
/// 4-byte length segment, as the C client sends it, counts), or a known
/// four-letter word (stmk and the telnet close ff f4 ff fd included).
/// Fewer than 4 bytes: kNo.
ZkProbe probe_client_start(std::span<const std::uint8_t> first_client_payload) noexcept;

namespace detail {

// Where a record's fields go; see zk_connection.cc.
inline constexpr std::uint8_t kNoSlot = 0xff;

enum class Phase : std::uint8_t {
  kLength,         // collecting the 4-byte frame length
  kBody,           // walking the record program
  kSkipFrame,      // skipping the rest of the frame
  kTraceMask,      // four-letter word stmk: collecting its 8-byte argument
  kIgnore,         // after a four-letter word: counting only
  kStopped,        // frame too large, desynchronised or ended: nothing more is decoded
};

struct ProgramFrame {
  std::uint8_t program;
  std::uint8_t pc;
  std::uint32_t left;  // vector elements left after the current one
};

// One direction's resumable reader state (trivially copyable, no pointers).
struct JuteStream {
  Phase phase;
  std::uint8_t len_have;
  std::array<std::uint8_t, 4> len_bytes;
  std::uint32_t frame_left;  // bytes of the current frame not yet consumed
  std::int32_t frame_len;
  std::uint32_t frames_started;

  std::array<ProgramFrame, 4> stack;
  std::uint8_t depth;

  // The field being read.
  std::uint8_t have;     // scalar bytes collected
  std::uint64_t acc;     // scalar value so far
  bool in_content;       // inside a ustring's / buffer's bytes (its length read)
  std::uint32_t content_left;
  std::uint8_t content_slot;
  std::uint8_t scan;     // buffer-content scanner state (auth user, SASL username, password)
  std::uint8_t scan_pos;

  // The record being read.
  std::uint8_t record;      // RecordKind (zk_connection.cc)
  std::uint8_t target;      // event slot written to: 0..kMaxPending-1, or kConnectSlot / kNotifySlot / kNoSlot
  std::int16_t sub_index;   // current multi op, -1 outside
  bool silent;              // the rest of the frame is skipped on purpose (unknown opcode, unpaired reply): no trailing-bytes count
  bool text_stopped;        // the current ustring lost bytes to a gap: capture stopped
  std::int32_t multi_type;  // MultiHeader fields of the current multi op
  bool multi_done;
  std::int32_t multi_err;
  std::uint32_t multi_count;  // multi ops / results seen in this frame
  std::uint32_t element;      // index of the current vector element
  std::int64_t vector_count;  // its vector's element count
  std::uint8_t vector_slot;   // which vector (Slot, zk_connection.cc)
  std::int32_t header_xid;
  std::int32_t header_type;
  std::int64_t header_zxid;
  std::int32_t header_err;
};

}  // namespace detail

class ZkConnection {
 public:
  static constexpr std::size_t kMaxPending = 8;

  ZkConnection() noexcept { reset(); }
  void reset() noexcept;

  /// In-order reassembled client->server bytes, any segmentation.
  void feed_client(std::span<const std::uint8_t> bytes, const ZkLimits& limits, ZkEventSink& sink);
  void feed_server(std::span<const std::uint8_t> bytes, const ZkLimits& limits, ZkEventSink& sink);
  /// Bytes of that direction that will never come (reassembly hole).
  void gap_client(std::uint32_t lost_bytes, ZkEventSink& sink);
  void gap_server(std::uint32_t lost_bytes, ZkEventSink& sink);
  /// The connection is over: emits what is still pending (the connect or
  /// four-letter-word event, requests without reply, a reply or
  /// notification cut short). Later feeds are ignored until reset().
  void end(ZkEventSink& sink);

  /// Nothing more can be decoded (end() called, or both directions stopped
  /// and everything pending emitted): the owner may free the state early.
  [[nodiscard]] bool finished() const noexcept;
  [[nodiscard]] const ZkCounters& counters() const noexcept { return counters_; }
  /// Requests waiting for their reply.
  [[nodiscard]] std::size_t pending() const noexcept { return pending_count_; }
  /// The session id once known (ConnectResponse, or the ConnectRequest's re-attach id).
  [[nodiscard]] bool session_known() const noexcept { return session_known_; }
  [[nodiscard]] std::uint64_t session_id() const noexcept { return session_id_; }

  // Implementation (zk_connection.cc): public only so the file-local reader
  // can reach it; not an API.
  enum class Mode : std::uint8_t { kUndecided, kClientPort, kMidStream, kFourLetterWord };
  static constexpr std::uint8_t kConnectSlot = kMaxPending;
  static constexpr std::uint8_t kNotifySlot = kMaxPending + 1;
  struct Reader;

 private:
  friend struct Reader;

  void emit(ZkEvent& event, ZkEventSink& sink);
  std::uint8_t acquire_slot(ZkEventSink& sink);  // a pending slot, evicting the oldest when full
  std::uint8_t take_pending(std::int32_t xid);   // the oldest pending request with that xid, out of the FIFO
  void release_pending(ZkEventSink& sink);       // the server side stopped: pending requests out, unreplied
  void flush(ZkEventSink& sink);                 // emits everything still held; the connection is over
  void check_stopped(ZkEventSink& sink);         // both directions stopped: flush

  std::array<ZkEvent, kMaxPending + 2> events_;  // pending requests, connect / 4lw, notification
  std::array<std::uint8_t, kMaxPending> order_;  // pending slots, oldest first
  std::uint8_t pending_count_;
  std::uint16_t used_slots_;      // bit per slot of events_[0..kMaxPending): pending or being replied to
  std::uint16_t building_slots_;  // requests whose frame is still being read (a reply cannot match them)
  detail::JuteStream client_;
  detail::JuteStream server_;
  ZkCounters counters_;
  Mode mode_;
  bool connect_started_;
  bool connect_emitted_;
  bool server_started_;
  bool ended_;
  bool session_known_;
  std::uint64_t session_id_;
};

}  // namespace segward::zookeeper
