#pragma once
// Application-layer decoding on one worker: decides which TCP flows are
// HTTP (by their first payload bytes, on any port), gives each a session
// from a fixed pool, reassembles both directions, parses HTTP and turns
// Mesos requests into MesosEvents for the management thread.
//
// Per packet of a flow without a session this costs one test; flows judged
// not HTTP cost nothing more. Memory: the session pool, a reassembly chunk
// pool, a body chunk pool and one scratch buffer of l7.body_limit bytes,
// all allocated by the constructor.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dataplane/event_ring.h"
#include "dataplane/flow.h"
#include "dataplane/l7_limits.h"
#include "dataplane/l7_session.h"
#include "dataplane/worker_counters.h"
#include "decoders/net/packet_layers.h"
#include "decoders/stream/chunk_pool.h"

namespace segward::dataplane {

class L7Engine {
 public:
  // `lossless`: wait for the management thread when the event ring is full
  // (replay) instead of dropping and counting (live).
  L7Engine(const L7Limits& limits, unsigned worker, L7EventRing& events, WorkerCounters& counters, bool lossless);
  ~L7Engine();
  L7Engine(const L7Engine&) = delete;
  L7Engine& operator=(const L7Engine&) = delete;

  // One TCP packet of tracked flow `flow`, travelling in flow direction
  // `dir` (kToServer/kToClient); `frame` is the frame `p` was decoded from.
  void on_tcp_packet(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame,
                     std::uint64_t now_ns) {
    if (flow.app == AppProto::kNone || !limits_.enabled) return;
    if (flow.session == kNoSession && p.payload_len == 0) return;
    decode(flow, dir, p, frame, now_ns);
  }

  // The flow that owned `session` ended: finish what its streams hold, emit
  // what is pending, free the session. Returns the flow's final app_proto.
  AppProto end_session(std::uint32_t session);

  // After the loop stopped: events are never dropped any more.
  void set_stopping() { lossless_ = true; }

  // Copies the worker-private counters into the shared ones (once per loop pass).
  void publish();

  [[nodiscard]] std::uint32_t sessions_in_use() const { return in_use_; }

 private:
  struct DirectionSink;
  struct RequestSink;
  struct ResponseSink;
  struct RecordSink;

  void decode(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame, std::uint64_t now_ns);
  std::uint32_t open_session(const Flow& flow, int requests_dir);
  void finish_request(L7Session& s, bool complete);
  void emit_pending(L7Session& s);
  void emit(const mesos::MesosEvent& event, const L7Endpoints& from, std::uint64_t flow_id, std::uint64_t ts_ns);

  L7Limits limits_;
  unsigned worker_;
  L7EventRing& events_;
  WorkerCounters& counters_;
  bool lossless_;

  L7Session* sessions_ = nullptr;  // rte_malloc'd, limits_.sessions of them
  std::uint32_t free_head_ = kNoSession;
  std::uint32_t in_use_ = 0;
  stream::ChunkPool reassembly_pool_;
  stream::ChunkPool body_pool_;
  std::vector<std::uint8_t> body_scratch_;
  std::unique_ptr<mesos::MesosEvent> stream_event_;  // one event-stream record being decoded, reused

  // Worker-private tallies, published to counters_ by publish().
  stream::DirectionCounters stream_totals_{};
  std::uint64_t sessions_created_ = 0;
};

}  // namespace segward::dataplane
