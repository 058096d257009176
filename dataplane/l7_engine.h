#pragma once
// Application-layer decoding on one worker: decides what each TCP flow
// carries by its first payload bytes (on any port: HTTP, TLS, ZooKeeper),
// gives it a session from that protocol's fixed pool, reassembles both
// directions, runs the protocol's decoder and hands its events to the
// management thread. A connection to a port configured for one protocol
// that carries another is reported (l7.expected).
//
// Per packet of a flow without a session this costs one test; flows judged
// not decodable cost nothing more. TLS sessions are given back as soon as
// the handshake is encrypted, ZooKeeper ones when the decoder has nothing
// left to read. Memory: the session pools, a reassembly chunk pool, a body
// chunk pool and one scratch buffer of l7.body_limit bytes, all allocated by
// the constructor.
//
// One file per protocol: l7_http.cc (HTTP, Mesos, the ZooKeeper
// AdminServer), l7_zookeeper.cc, l7_tls.cc; this header's l7_engine.cc does
// probing, the expected-protocol check, event hand-off and publishing.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dataplane/event_ring.h"
#include "dataplane/flow.h"
#include "dataplane/l7_limits.h"
#include "dataplane/l7_session.h"
#include "dataplane/session_pool.h"
#include "dataplane/worker_counters.h"
#include "dataplane/worker_policy.h"
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

  // Whether L7 decoding is on at all (config: l7.enabled).
  [[nodiscard]] bool enabled() const { return limits_.enabled; }
  // Whether on_tcp_packet of an enabled engine has anything to do for a
  // packet of `flow` with `payload_len` bytes of payload: the worker decodes
  // the packet's full layers only then.
  [[nodiscard]] static bool wants_packet(const Flow& flow, std::uint16_t payload_len) {
    return flow.session != kNoSession || (flow.app == AppProto::kUnknown && payload_len != 0);
  }
  // One TCP packet of tracked flow `flow`, travelling in flow direction
  // `dir` (kToServer/kToClient); `frame` is the frame `p` was decoded from.
  void on_tcp_packet(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame,
                     std::uint64_t now_ns) {
    if (!limits_.enabled) return;
    // The flow whose messages the policy judges, for the sinks (only during this call).
    flow_ = &flow;
    if (flow.session != kNoSession) {
      decode(flow, dir, p, frame, now_ns);
    } else if (flow.app == AppProto::kUnknown && p.payload_len != 0) {
      probe(flow, dir, p, frame, now_ns);
    }
    flow_ = nullptr;
  }

  // The worker's allowlist, which L7 conditions are checked against (null: none).
  void set_policy(WorkerPolicy* policy) { policy_ = policy; }

  // The flow that owned `session` of protocol `app` ended: finish what its
  // streams hold, emit what is pending, free the session. Returns the flow's
  // final app_proto.
  AppProto end_session(AppProto app, std::uint32_t session);

  // After the loop stopped: events are never dropped any more.
  void set_stopping() { lossless_ = true; }

  // On: a flow given a session is marked for the evidence recorder
  // (kPolicyEvidence), as its L7 messages are what may raise alerts.
  void record_session_flows(bool on) { session_flags_ = on ? kPolicyEvidence : 0; }

  // Copies the worker-private counters into the shared ones (once per loop pass).
  void publish();

  [[nodiscard]] std::uint32_t sessions_in_use() const {
    return http_.in_use() + zookeeper_.in_use() + tls_.in_use();
  }

 private:
  // l7_http.cc
  struct HttpDirectionSink;
  struct RequestSink;
  struct ResponseSink;
  struct RecordSink;
  // l7_zookeeper.cc, l7_tls.cc
  struct ZkSink;
  struct TlsSink;

  void probe(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame, std::uint64_t now_ns);
  void decode(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame, std::uint64_t now_ns);
  // Decided: `flow` carries `app`. Reports a port that expects otherwise.
  void decided(Flow& flow, AppProto app, std::uint64_t now_ns);
  void start_common(L7SessionBase& s, const Flow& flow, int requests_dir);

  void decode_http(Flow& flow, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload);
  void decode_zookeeper(Flow& flow, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload);
  void decode_tls(Flow& flow, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload);
  void open_http(HttpSession& s);
  void open_zookeeper(ZkSession& s);
  void open_tls(TlsSession& s);
  AppProto end_http(std::uint32_t index);
  void end_zookeeper(std::uint32_t index);
  void end_tls(std::uint32_t index);
  // Hands one segment to its direction's stream (and what it acknowledges to the other's).
  template <class Sink>
  void reassemble(L7SessionBase& s, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload,
                  Sink& client_sink, Sink& server_sink);
  // Flushes a session's streams into `sink`, releases their chunks and tallies its counters.
  template <class Sink>
  void close_streams(L7SessionBase& s, Sink& sink0, Sink& sink1);

  // The policy's L7 checks on the flow being decoded (flow_): a violation
  // is reported to policy_ with the message.
  void judge_zookeeper(ZkSession& s, const zookeeper::ZkEvent& request);
  void judge_mesos(HttpSession& s, const mesos::MesosEvent& request);
  void judge_app(Flow& flow, AppProto app, std::uint64_t now_ns);
  // The signature rules on a decoded message (WorkerPolicy::inspect);
  // flow_ may be null (the flow ended): the alert still names the flow.
  void inspect_zookeeper(const L7SessionBase& s, const zookeeper::ZkEvent& event, const L7Endpoints& from);
  void inspect_tls(const TlsSession& s, const tls::TlsEvent& event);
  // Signature payload patterns on a side's next in-order bytes (0: the
  // client's), and at the session's end.
  [[nodiscard]] bool payload_active() const {
    return policy_ != nullptr && policy_->rules() != nullptr && policy_->rules()->scans_payload();
  }
  void scan_payload(L7SessionBase& s, int side, std::span<const std::uint8_t> bytes, AppProto app);
  void end_payload(L7SessionBase& s, AppProto app);
  void payload_found(const L7SessionBase& s, int side, std::uint32_t rule, AppProto app);
  template <class Sink>
  struct PayloadScanSink;
  template <class Sink>
  void reassemble_raw(L7SessionBase& s, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload,
                      Sink& client_sink, Sink& server_sink);

  void finish_request(HttpSession& s, bool complete);
  void note_admin_command(HttpSession& s);
  void emit_pending(HttpSession& s);

  // Writes one event record straight into the ring slot: `fill(L7EventRecord&)`
  // sets the payload; kind, worker, time, flow and endpoints are set here.
  template <class Fill>
  void emit(L7EventKind kind, const L7Endpoints& from, std::uint64_t flow_id, std::uint64_t ts_ns, Fill&& fill);
  void emit_mesos(const mesos::MesosEvent& event, const L7Endpoints& from, std::uint64_t flow_id,
                  std::uint64_t ts_ns);

  L7Limits limits_;
  WorkerPolicy* policy_ = nullptr;
  Flow* flow_ = nullptr;
  unsigned worker_;
  L7EventRing& events_;
  WorkerCounters& counters_;
  bool lossless_;
  std::uint8_t session_flags_ = 0;  // or-ed into Flow::policy_flags with a session

  SessionPool<HttpSession> http_;
  SessionPool<ZkSession> zookeeper_;
  SessionPool<TlsSession> tls_;
  std::vector<AppProto> expected_;  // by server port: what l7.expected says it carries (kUnknown: anything)
  stream::ChunkPool reassembly_pool_;
  stream::ChunkPool body_pool_;
  std::vector<std::uint8_t> body_scratch_;
  std::unique_ptr<mesos::MesosEvent> stream_event_;  // one event-stream record being decoded, reused
  std::unique_ptr<zookeeper::ZkEvent> admin_event_;  // one AdminServer command being reported, reused

  // Worker-private tallies, published to counters_ by publish().
  stream::DirectionCounters stream_totals_{};
  zookeeper::ZkCounters zk_totals_{};
  tls::TlsCounters tls_totals_{};
};

}  // namespace segward::dataplane
