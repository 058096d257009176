#include "dataplane/l7_engine.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "dataplane/l7_engine_inl.h"

namespace segward::dataplane {
namespace {

// The probe is deliberately looser than the HTTP parser's resync test
// (http::detail::start_prefix_plausible, which wants an origin-form target):
// a first request with an absolute-form or malformed target is exactly the
// CVE-2017-9790 shape the Mesos decoder must still see.
constexpr std::string_view kRequestStarts[] = {"GET ", "POST ", "PUT ", "DELETE ", "HEAD ",
                                              "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
constexpr std::string_view kResponseStart = "HTTP/1.";

// Does `payload` start like `start` (or like its first bytes, when the
// segment is shorter than the token)?
bool starts_like(std::span<const std::uint8_t> payload, std::string_view start) {
  const std::size_t n = std::min(payload.size(), start.size());
  return n > 0 && std::equal(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n), start.begin());
}

bool looks_like_request(std::span<const std::uint8_t> payload) {
  return std::any_of(std::begin(kRequestStarts), std::end(kRequestStarts),
                     [&](std::string_view s) { return starts_like(payload, s); });
}

// The flow's server port: the side that did not open the connection (the
// lower port when the start was not seen).
std::uint16_t server_port(const Flow& flow) { return flow.client_is_lo ? flow.key.port_hi : flow.key.port_lo; }

// For the expected-protocol check Mesos is HTTP.
AppProto family(AppProto app) { return app == AppProto::kMesos ? AppProto::kHttp : app; }

}  // namespace

L7Engine::L7Engine(const L7Limits& limits, unsigned worker, L7EventRing& events, WorkerCounters& counters,
                   bool lossless)
    : limits_(limits),
      worker_(worker),
      events_(events),
      counters_(counters),
      lossless_(lossless),
      http_(limits.enabled ? limits.sessions : 0, "L7 HTTP sessions (l7.sessions)"),
      zookeeper_(limits.enabled ? limits.zookeeper_sessions : 0, "L7 ZooKeeper sessions (l7.zookeeper.sessions)"),
      tls_(limits.enabled ? limits.tls_sessions : 0, "L7 TLS sessions (l7.tls.sessions)"),
      expected_(limits.enabled ? 65536 : 0, AppProto::kUnknown),
      reassembly_pool_(limits.enabled ? stream::ChunkPool::chunks_for_bytes(limits.reassembly_bytes) : 0),
      body_pool_(limits.enabled ? stream::ChunkPool::chunks_for_bytes(limits.body_bytes) : 0),
      body_scratch_(limits.enabled ? limits.body_limit : 0),
      stream_event_(std::make_unique<mesos::MesosEvent>()),
      admin_event_(std::make_unique<zookeeper::ZkEvent>()) {
  if (!limits_.enabled) return;
  for (const auto& [port, app] : limits_.expected) expected_[port] = family(app);
}

L7Engine::~L7Engine() = default;

void L7Engine::start_common(L7SessionBase& s, const Flow& flow, int requests_dir) {
  // Field by field, not `s = Session{}`: that would clear the decoders'
  // buffers (KiBs per connection) that are only read up to what was written
  // since. The previous owner's chunks were released when it ended.
  for (auto& dir : s.streams) dir = stream::StreamReassembler{};
  s.stream_counters = {};
  s.requests_dir = requests_dir;
  // The client is the initiator unless its first bytes went the other way
  // (a capture that started mid-connection).
  s.requests_from = endpoints_from(flow, flow.client_is_lo == (requests_dir == kToServer));
  s.flow_id = flow.flow_id;
  s.now_ns = 0;
  s.payload_streams = {};
  s.payload_generation = 0;
  s.payload_refused = 0;
}

void L7Engine::scan_payload(L7SessionBase& s, int side, std::span<const std::uint8_t> bytes, AppProto app) {
  const signatures::RuleSet* rules = policy_->rules();
  if (rules == nullptr || !rules->scans_payload(side)) return;
  if (s.payload_generation != policy_->rules_generation()) {
    // Opened under an older rule set, whose pool went (or goes) with it.
    s.payload_streams = {};
    s.payload_refused = 0;
    s.payload_generation = policy_->rules_generation();
  }
  hs_stream_t*& stream = s.payload_streams[side];
  if (stream == nullptr) {
    if ((s.payload_refused & (1u << side)) != 0) return;
    stream = rules->open_stream(side, worker_);
    if (stream == nullptr) {
      s.payload_refused |= static_cast<std::uint8_t>(1u << side);
      counters_.signatures.payload_no_stream.add();
      return;
    }
  }
  counters_.signatures.payload_bytes.add(bytes.size());
  rules->scan_stream(stream, side, bytes, worker_, [&](std::uint32_t rule) { payload_found(s, side, rule, app); });
}

void L7Engine::end_payload(L7SessionBase& s, AppProto app) {
  const signatures::RuleSet* rules = policy_ != nullptr ? policy_->rules() : nullptr;
  const bool current = rules != nullptr && s.payload_generation == policy_->rules_generation();
  for (int side = 0; side < 2; ++side) {
    if (s.payload_streams[side] != nullptr && current) {
      rules->close_stream(s.payload_streams[side], side, worker_,
                          [&](std::uint32_t rule) { payload_found(s, side, rule, app); });
    }
    s.payload_streams[side] = nullptr;
  }
}

void L7Engine::payload_found(const L7SessionBase& s, int side, std::uint32_t rule, AppProto app) {
  const L7Endpoints from = side == 0 ? s.requests_from : reversed(s.requests_from);
  policy_->payload_match(rule, flow_, flow_ != nullptr ? flow_->app : app, from, s.flow_id, s.now_ns);
}

void L7Engine::probe(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame,
                     std::uint64_t now_ns) {
  const std::span<const std::uint8_t> payload(frame + p.payload_offset, p.payload_len);
  const int other = dir == kToServer ? kToClient : kToServer;
  AppProto app = AppProto::kUnknown;
  int client_dir = dir;
  std::uint32_t index = kNoSession;
  Counter* exhausted = nullptr;

  // A session of `pool` for the client speaking in `client_dir`, set up by `open`.
  auto take = [&](auto& pool, Counter& none_free, auto&& open) {
    index = pool.acquire();
    if (index == kNoSession) {
      exhausted = &none_free;
      return;
    }
    start_common(pool[index], flow, client_dir);
    open(pool[index]);
  };
  if (looks_like_request(payload) || starts_like(payload, kResponseStart)) {
    app = AppProto::kHttp;
    if (!looks_like_request(payload)) client_dir = other;
    take(http_, counters_.l7.sessions_exhausted, [&](HttpSession& s) { open_http(s); });
  } else if (tls::looks_like_tls_client_start(payload) || tls::looks_like_sslv2_client_hello(payload)) {
    app = AppProto::kTls;
    take(tls_, counters_.l7.tls_sessions_exhausted, [&](TlsSession& s) { open_tls(s); });
  } else if (zookeeper::probe_client_start(payload) != zookeeper::ZkProbe::kNo) {
    app = AppProto::kZookeeper;
    take(zookeeper_, counters_.l7.zookeeper_sessions_exhausted, [&](ZkSession& s) { open_zookeeper(s); });
  } else if (tls::looks_like_tls_record(payload)) {
    // The handshake was missed (the capture or the flow table started
    // later): the flow is TLS, and nothing in it can be read.
    counters_.l7.tls_midstream.add();
    flow.app = AppProto::kTls;
    decided(flow, AppProto::kTls, now_ns);
    return;
  } else {
    if (++flow.probes >= limits_.probe_packets) {
      flow.app = AppProto::kNone;
      counters_.l7.flows_not_http.add();
      decided(flow, AppProto::kNone, now_ns);
    }
    return;
  }

  decided(flow, app, now_ns);
  if (index == kNoSession) {
    exhausted->add();
    flow.app = AppProto::kNone;
    return;
  }
  flow.app = app;
  flow.session = index;
  flow.policy_flags |= session_flags_;
  decode(flow, dir, p, frame, now_ns);
}

void L7Engine::judge_app(Flow& flow, AppProto app, std::uint64_t now_ns) {
  if (policy_ == nullptr || !policy_->wants_l7(flow)) return;
  const policy::Condition broken = policy_->policy().check_app(flow.rule, app);
  if (broken == policy::Condition::kNone) return;
  policy_->violation(flow, broken, static_cast<L7EventKind>(0), endpoints_from(flow, flow.client_is_lo), now_ns,
                     [](L7EventRecord& r) { r.clear_payload(); });
}

void L7Engine::decided(Flow& flow, AppProto app, std::uint64_t now_ns) {
  judge_app(flow, app, now_ns);
  const AppProto want = expected_[server_port(flow)];
  if (want == AppProto::kUnknown || want == family(app)) return;
  // Reported from the client's side; when the connection's start was not
  // seen, the lower port is taken for the server's.
  emit(L7EventKind::kAnomaly, endpoints_from(flow, flow.client_is_lo), flow.flow_id, now_ns, [&](L7EventRecord& r) {
    r.clear_payload();  // no stale bytes of an earlier event stay in the slot
    r.mismatch.expected = want;
    r.mismatch.detected = app;
  });
}

void L7Engine::decode(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame,
                      std::uint64_t now_ns) {
  const std::span<const std::uint8_t> payload(frame + p.payload_offset, p.payload_len);
  switch (flow.app) {
    case AppProto::kHttp:
    case AppProto::kMesos:
      http_[flow.session].now_ns = now_ns;
      decode_http(flow, dir, p, payload);
      return;
    case AppProto::kZookeeper:
      zookeeper_[flow.session].now_ns = now_ns;
      decode_zookeeper(flow, dir, p, payload);
      return;
    case AppProto::kTls:
      tls_[flow.session].now_ns = now_ns;
      decode_tls(flow, dir, p, payload);
      return;
    case AppProto::kUnknown:
    case AppProto::kNone: return;
  }
}

AppProto L7Engine::end_session(AppProto app, std::uint32_t index) {
  if (index == kNoSession || !limits_.enabled) return app;
  switch (app) {
    case AppProto::kHttp:
    case AppProto::kMesos:
      if (http_.owns(index)) return end_http(index);
      break;
    case AppProto::kZookeeper:
      if (zookeeper_.owns(index)) end_zookeeper(index);
      break;
    case AppProto::kTls:
      if (tls_.owns(index)) end_tls(index);
      break;
    case AppProto::kUnknown:
    case AppProto::kNone: break;
  }
  return app;
}

void L7Engine::publish() {
  if (!limits_.enabled) return;
  auto& l7 = counters_.l7;
  l7.sessions_created.set(http_.created());
  l7.sessions_active.set(http_.in_use());
  l7.zookeeper_sessions_created.set(zookeeper_.created());
  l7.zookeeper_sessions_active.set(zookeeper_.in_use());
  l7.tls_sessions_created.set(tls_.created());
  l7.tls_sessions_active.set(tls_.in_use());
  l7.reassembly_pool_bytes.set(reassembly_pool_.used_bytes());
  l7.body_pool_bytes.set(body_pool_.used_bytes());
  for (std::size_t i = 0; i < stream::kDirectionCounterFields.size(); ++i) {
    l7.stream[i].set(stream_totals_.*(stream::kDirectionCounterFields[i].member));
  }
  for (std::size_t i = 0; i < zookeeper::kZkCounterFields.size(); ++i) {
    l7.zookeeper[i].set(zk_totals_.*(zookeeper::kZkCounterFields[i].member));
  }
  for (std::size_t i = 0; i < tls::kTlsCounterFields.size(); ++i) {
    l7.tls[i].set(tls_totals_.*(tls::kTlsCounterFields[i].member));
  }
}

}  // namespace segward::dataplane
