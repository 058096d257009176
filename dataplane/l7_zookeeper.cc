// ZooKeeper on the L7 engine: both directions' reassembled bytes into the
// client-port decoder (decoders/zookeeper), its events into the ring.
#include <cstring>

#include "dataplane/l7_engine_inl.h"

namespace segward::dataplane {

struct L7Engine::ZkSink final : zookeeper::ZkEventSink {
  static constexpr AppProto kPayloadApp = AppProto::kZookeeper;  // for payload patterns
  L7Engine& engine;
  ZkSession& s;
  ZkSink(L7Engine& e, ZkSession& session) : engine(e), s(session) {}

  void on_event(const zookeeper::ZkEvent& event) override {
    // Notifications are the server's words; everything else the client's.
    const bool from_server = event.kind == zookeeper::ZkEventKind::kNotification;
    // Requests and four-letter words met the rules in on_request; these kinds never pass there.
    if (event.kind == zookeeper::ZkEventKind::kConnect || event.kind == zookeeper::ZkEventKind::kFrameTooLarge) {
      engine.inspect_zookeeper(s, event, s.requests_from);
    }
    engine.emit(L7EventKind::kZookeeper, from_server ? reversed(s.requests_from) : s.requests_from, s.flow_id,
                s.now_ns, [&](L7EventRecord& r) { std::memcpy(static_cast<void*>(&r.zookeeper), &event, sizeof event); });
  }

  void on_request(const zookeeper::ZkEvent& request) override { engine.judge_zookeeper(s, request); }

  // The TwoWaySink's decoder.
  const zookeeper::ZkLimits* limits = nullptr;
  void feed_client(std::span<const std::uint8_t> b) { s.zk.feed_client(b, *limits, *this); }
  void feed_server(std::span<const std::uint8_t> b) { s.zk.feed_server(b, *limits, *this); }
  void gap_client(std::uint32_t n) { s.zk.gap_client(n, *this); }
  void gap_server(std::uint32_t n) { s.zk.gap_server(n, *this); }
};

void L7Engine::open_zookeeper(ZkSession& s) {
  s.zk.reset();
  s.authenticated = false;
}

void L7Engine::judge_zookeeper(ZkSession& s, const zookeeper::ZkEvent& request) {
  const bool authenticated = s.authenticated;
  if (request.kind == zookeeper::ZkEventKind::kRequest &&
      (request.opcode == zookeeper::opcode::kAuth || request.opcode == zookeeper::opcode::kSasl)) {
    s.authenticated = true;
  }
  if (policy_ == nullptr) return;
  if (flow_ != nullptr && policy_->wants_l7(*flow_)) {
    const policy::Condition broken = policy_->policy().check_zookeeper(flow_->rule, request, authenticated);
    if (broken != policy::Condition::kNone) {
      policy_->violation(*flow_, broken, L7EventKind::kZookeeper, s.requests_from, s.now_ns, [&](L7EventRecord& r) {
        std::memcpy(static_cast<void*>(&r.zookeeper), &request, sizeof request);
      });
    }
  }
  inspect_zookeeper(s, request, s.requests_from);
}

void L7Engine::inspect_zookeeper(const L7SessionBase& s, const zookeeper::ZkEvent& event, const L7Endpoints& from) {
  if (policy_ == nullptr) return;
  signatures::MessageView m;
  m.subject = signatures::Subject::kZookeeper;
  m.zookeeper = &event;
  policy_->inspect(m, signatures::FlowDirection::kToServer, flow_, AppProto::kZookeeper, from, s.flow_id, s.now_ns,
                   L7EventKind::kZookeeper,
                   [&](L7EventRecord& r) { std::memcpy(static_cast<void*>(&r.zookeeper), &event, sizeof event); });
}

void L7Engine::decode_zookeeper(Flow& flow, int dir, const net::PacketLayers& p,
                                std::span<const std::uint8_t> payload) {
  ZkSession& s = zookeeper_[flow.session];
  ZkSink events{*this, s};
  events.limits = &limits_.zookeeper;
  TwoWaySink<ZkSink> client{events, true};
  TwoWaySink<ZkSink> server{events, false};
  reassemble(s, dir, p, payload, client, server);
  // Nothing more to read (a four-letter word answered, both sides stopped):
  // the session goes back to the pool, the flow stays zookeeper.
  if (s.zk.finished()) {
    end_zookeeper(flow.session);
    flow.session = kNoSession;
  }
}

void L7Engine::end_zookeeper(std::uint32_t index) {
  ZkSession& s = zookeeper_[index];
  ZkSink events{*this, s};
  events.limits = &limits_.zookeeper;
  TwoWaySink<ZkSink> client{events, true};
  TwoWaySink<ZkSink> server{events, false};
  close_streams(s, client, server);
  s.zk.end(events);
  zk_totals_ += s.zk.counters();
  zookeeper_.release(index);
}

}  // namespace segward::dataplane
