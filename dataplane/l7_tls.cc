// TLS on the L7 engine: both directions' reassembled bytes into the
// handshake decoder (decoders/tls), its one event per connection into the
// ring. The session is given back as soon as both sides are encrypted.
#include <cstring>

#include "dataplane/l7_engine_inl.h"

namespace segward::dataplane {

struct L7Engine::TlsSink final : tls::TlsEventSink {
  static constexpr AppProto kPayloadApp = AppProto::kNone;  // for payload patterns
  L7Engine& engine;
  TlsSession& s;
  TlsSink(L7Engine& e, TlsSession& session) : engine(e), s(session) {}

  void on_event(const tls::TlsEvent& event) override {
    engine.inspect_tls(s, event);
    engine.emit(L7EventKind::kTls, s.requests_from, s.flow_id, s.now_ns,
                [&](L7EventRecord& r) { std::memcpy(static_cast<void*>(&r.tls), &event, sizeof event); });
  }

  // The TwoWaySink's decoder.
  void feed_client(std::span<const std::uint8_t> b) { s.tls.feed_client(b, *this); }
  void feed_server(std::span<const std::uint8_t> b) { s.tls.feed_server(b, *this); }
  void gap_client(std::uint32_t n) { s.tls.gap_client(n, *this); }
  void gap_server(std::uint32_t n) { s.tls.gap_server(n, *this); }
};

void L7Engine::open_tls(TlsSession& s) { s.tls.reset(); }

void L7Engine::inspect_tls(const TlsSession& s, const tls::TlsEvent& event) {
  if (policy_ == nullptr) return;
  signatures::MessageView m;
  m.subject = signatures::Subject::kTls;
  m.tls = &event;
  policy_->inspect(m, signatures::FlowDirection::kToServer, flow_, AppProto::kTls, s.requests_from, s.flow_id,
                   s.now_ns, L7EventKind::kTls,
                   [&](L7EventRecord& r) { std::memcpy(static_cast<void*>(&r.tls), &event, sizeof event); });
}

void L7Engine::decode_tls(Flow& flow, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload) {
  TlsSession& s = tls_[flow.session];
  TlsSink events{*this, s};
  TwoWaySink<TlsSink> client{events, true};
  TwoWaySink<TlsSink> server{events, false};
  reassemble(s, dir, p, payload, client, server);
  if (s.tls.finished()) {
    end_tls(flow.session);
    flow.session = kNoSession;
  }
}

void L7Engine::end_tls(std::uint32_t index) {
  TlsSession& s = tls_[index];
  TlsSink events{*this, s};
  TwoWaySink<TlsSink> client{events, true};
  TwoWaySink<TlsSink> server{events, false};
  close_streams(s, client, server);
  s.tls.end(events);
  tls_totals_ += s.tls.counters();
  tls_.release(index);
}

}  // namespace segward::dataplane
