#include "dataplane/l7_engine.h"

#include <rte_malloc.h>
#include <rte_pause.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "platform/startup_error.h"

namespace segward::dataplane {
namespace {

// The probe is deliberately looser than the HTTP parser's resync test
// (http::detail::start_prefix_plausible, which wants an origin-form target):
// a first request with an absolute-form or malformed target is exactly the
// CVE-2017-9790 shape the Mesos decoder must still see.
constexpr std::string_view kRequestStarts[] = {"GET ", "POST ", "PUT ", "DELETE ", "HEAD ",
                                              "OPTIONS ", "PATCH ", "CONNECT ", "TRACE "};
constexpr std::string_view kResponseStart = "HTTP/1.";

// Does `payload` start like one of `starts` (or like the first bytes of one,
// when the segment is shorter than the token)?
bool starts_like(std::span<const std::uint8_t> payload, std::string_view start) {
  const std::size_t n = std::min(payload.size(), start.size());
  return n > 0 && std::equal(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(n), start.begin());
}

bool looks_like_request(std::span<const std::uint8_t> payload) {
  return std::any_of(std::begin(kRequestStarts), std::end(kRequestStarts),
                     [&](std::string_view s) { return starts_like(payload, s); });
}

}  // namespace

// ---- sinks: reassembly -> HTTP -> Mesos ------------------------------------

struct L7Engine::RequestSink {
  L7Engine& engine;
  L7Session& s;

  void on_request_index(std::uint64_t index) { s.request_index = index; }
  void on_request_line(const http::RequestLine& line) {
    s.request.reset();
    mesos::set_request_line(line.method_text, line.target, line.version_minor, s.request);
    s.request_ns = s.now_ns;
    s.headers_done = false;
    s.body_gap = false;
  }
  void on_header(std::string_view name, std::string_view value) { mesos::note_request_header(name, value, s.request); }
  void on_headers_done(const http::HeadersDone&) {
    s.headers_done = true;
    s.route = mesos::route_request(s.request, s.requests_from.dst_port);
    if (s.route.is_mesos) s.mesos_seen = true;
    if (s.route.is_mesos && s.route.wants_body) {
      s.request_body.start(engine.body_pool_, engine.limits_.body_limit);
    } else {
      s.request_body.release(engine.body_pool_);
    }
  }
  void on_body(std::span<const std::uint8_t> bytes) {
    if (s.headers_done && s.route.is_mesos && s.route.wants_body) s.request_body.append(engine.body_pool_, bytes);
  }
  void on_trailer(std::string_view, std::string_view) {}
  void on_message_done() { engine.finish_request(s, true); }
  void on_error(http::HttpError error) {
    engine.counters_.l7.http_errors[static_cast<std::size_t>(error)].add();
    // A Mesos request cut short still happened: report what its head said.
    if (s.headers_done) engine.finish_request(s, false);
    s.headers_done = false;
  }
  void on_warning(http::HttpWarning warning) {
    engine.counters_.l7.http_warnings[static_cast<std::size_t>(warning)].add();
    if (warning == http::HttpWarning::kBodyGap) s.body_gap = true;
  }
  // Unused on the request side.
  void on_status_line(const http::StatusLine&) {}
};

struct L7Engine::RecordSink {
  L7Engine& engine;
  L7Session& s;

  void on_record(std::span<const std::uint8_t> first_bytes, std::uint64_t /*full_length*/) {
    engine.counters_.l7.mesos_stream_records.add();
    mesos::MesosEvent& e = *engine.stream_event_;
    mesos::decode_stream_event(s.stream_api, first_bytes, s.stream_encoding, e);
    // Heartbeats arrive every 15 s per framework: counted, not reported.
    if (e.call.view() == "HEARTBEAT") return;
    L7Endpoints from;  // the server speaks: reverse of the request direction
    from.src_ip = s.requests_from.dst_ip;
    from.dst_ip = s.requests_from.src_ip;
    from.src_port = s.requests_from.dst_port;
    from.dst_port = s.requests_from.src_port;
    from.vlan = s.requests_from.vlan;
    from.v6 = s.requests_from.v6;
    from.port_index = s.requests_from.port_index;
    if (e.stream_id.empty()) e.stream_id.assign(s.response.stream_id.view());
    engine.emit(e, from, s.flow_id, s.now_ns);
  }
};

struct L7Engine::ResponseSink {
  L7Engine& engine;
  L7Session& s;

  void on_response_to(const http::PairedRequest& request) { s.answering = request; }
  void on_status_line(const http::StatusLine& line) {
    s.response.reset();
    s.response.status = line.status;
    s.response_streams = false;
  }
  void on_header(std::string_view name, std::string_view value) { mesos::note_response_header(name, value, s.response); }
  void on_headers_done(const http::HeadersDone&) {
    engine.counters_.l7.http_responses.add();
    if (s.response.status < 200) return;  // interim: the final response is still to come
    const bool answers_pending = s.pending_valid && s.answering.index_known && s.answering.index == s.pending_index;
    if (!answers_pending) return;
    s.pending.http.status = s.response.status;
    if (s.pending.stream_id.empty()) s.pending.stream_id.assign(s.response.stream_id.view());
    // An answer to a v1 SUBSCRIBE (and a few agent calls) is a stream of
    // RecordIO records: each becomes an event of its own.
    const mesos::BodyEncoding records = mesos::response_record_encoding(s.pending, s.response);
    if (records != mesos::BodyEncoding::kNone) {
      s.response_streams = true;
      s.stream_api = s.pending.api;
      s.stream_encoding = records;
      s.recordio.reset();
    }
    engine.emit_pending(s);
  }
  void on_body(std::span<const std::uint8_t> bytes) {
    if (!s.response_streams) return;
    RecordSink records{engine, s};
    s.recordio.feed(bytes, records);
  }
  void on_trailer(std::string_view, std::string_view) {}
  void on_message_done() { s.response_streams = false; }
  void on_error(http::HttpError error) {
    engine.counters_.l7.http_errors[static_cast<std::size_t>(error)].add();
    s.response_streams = false;
  }
  void on_warning(http::HttpWarning warning) {
    engine.counters_.l7.http_warnings[static_cast<std::size_t>(warning)].add();
  }
  [[nodiscard]] http::Method request_method() const { return s.answering.method; }
  void on_request_line(const http::RequestLine&) {}
};

// Reassembled bytes of one direction into the HTTP parser of that side.
struct L7Engine::DirectionSink {
  L7Engine& engine;
  L7Session& s;
  bool requests;  // this direction carries the requests

  void on_data(std::span<const std::uint8_t> bytes) {
    if (requests) {
      RequestSink sink{engine, s};
      s.http.feed_requests(bytes, engine.limits_.http, sink);
    } else {
      ResponseSink sink{engine, s};
      s.http.feed_responses(bytes, engine.limits_.http, sink);
    }
  }
  void on_gap(std::uint32_t bytes) {
    if (requests) {
      RequestSink sink{engine, s};
      s.http.gap_requests(bytes, sink);
    } else {
      ResponseSink sink{engine, s};
      s.http.gap_responses(bytes, sink);
    }
  }
  void on_overlap_conflict(std::uint32_t, std::uint32_t) {}  // counted by the reassembler
  void on_end(stream::StreamEnd) {
    if (requests) {
      RequestSink sink{engine, s};
      s.http.end_of_requests(sink);
    } else {
      ResponseSink sink{engine, s};
      s.http.end_of_responses(sink);
    }
  }
};

// ---- the engine --------------------------------------------------------------

L7Engine::L7Engine(const L7Limits& limits, unsigned worker, L7EventRing& events, WorkerCounters& counters,
                   bool lossless)
    : limits_(limits),
      worker_(worker),
      events_(events),
      counters_(counters),
      lossless_(lossless),
      reassembly_pool_(limits.enabled ? stream::ChunkPool::chunks_for_bytes(limits.reassembly_bytes) : 0),
      body_pool_(limits.enabled ? stream::ChunkPool::chunks_for_bytes(limits.body_bytes) : 0),
      body_scratch_(limits.enabled ? limits.body_limit : 0),
      stream_event_(std::make_unique<mesos::MesosEvent>()) {
  if (!limits_.enabled || limits_.sessions == 0) {
    limits_.enabled = false;
    return;
  }
  void* mem = rte_zmalloc("segward_l7_sessions", sizeof(L7Session) * limits_.sessions, alignof(L7Session));
  if (mem == nullptr) {
    throw StartupError("cannot allocate " + std::to_string(limits_.sessions) + " L7 sessions (" +
                       std::to_string(sizeof(L7Session) * limits_.sessions >> 20) +
                       " MiB): lower l7.sessions or give the EAL more memory with -m");
  }
  sessions_ = static_cast<L7Session*>(mem);
  for (std::uint32_t i = limits_.sessions; i-- > 0;) {
    new (&sessions_[i]) L7Session();
    sessions_[i].next_free = free_head_;
    free_head_ = i;
  }
}

L7Engine::~L7Engine() {
  if (sessions_ == nullptr) return;
  for (std::uint32_t i = 0; i < limits_.sessions; ++i) sessions_[i].~L7Session();
  rte_free(sessions_);
}

std::uint32_t L7Engine::open_session(const Flow& flow, int requests_dir) {
  if (free_head_ == kNoSession) {
    counters_.l7.sessions_exhausted.add();
    return kNoSession;
  }
  const std::uint32_t index = free_head_;
  L7Session& s = sessions_[index];
  free_head_ = s.next_free;
  ++in_use_;
  ++sessions_created_;

  // Field by field, not `s = L7Session{}`: that would clear ~10 KiB per
  // connection (the pending event, the parsers' line buffers, the RecordIO
  // keep buffer), +35 % instructions on the Mesos benchmark; those buffers
  // are only read up to what was written since. The previous owner's chunks
  // were released in end_session.
  for (auto& dir : s.streams) dir = stream::StreamReassembler{};
  s.stream_counters = {};
  s.http.reset();
  s.requests_dir = requests_dir;
  // Requests travel from the initiator unless the first request seen went
  // the other way (a capture that started mid-connection).
  const bool client_is_lo = flow.client_is_lo == (requests_dir == kToServer);
  const FlowKey& k = flow.key;
  L7Endpoints& from = s.requests_from;
  from.src_ip = client_is_lo ? k.addr_lo : k.addr_hi;
  from.dst_ip = client_is_lo ? k.addr_hi : k.addr_lo;
  from.src_port = client_is_lo ? k.port_lo : k.port_hi;
  from.dst_port = client_is_lo ? k.port_hi : k.port_lo;
  from.vlan = k.vlan;
  from.v6 = k.v6 != 0;
  from.port_index = flow.port_index;
  s.flow_id = flow.flow_id;
  s.now_ns = 0;
  s.request.reset();
  s.route = {};
  s.request_index = s.request_ns = 0;
  s.headers_done = false;
  s.body_gap = false;
  s.pending_valid = false;
  s.pending_index = s.pending_ns = 0;
  s.answering = {};
  s.response.reset();
  s.response_streams = false;
  s.stream_api = mesos::ApiFamily::kNone;
  s.stream_encoding = mesos::BodyEncoding::kJson;
  s.recordio.reset();
  s.mesos_seen = false;
  return index;
}

void L7Engine::decode(Flow& flow, int dir, const net::PacketLayers& p, const std::uint8_t* frame,
                      std::uint64_t now_ns) {
  const std::span<const std::uint8_t> payload(frame + p.payload_offset, p.payload_len);
  if (flow.session == kNoSession) {
    int requests_dir;
    if (looks_like_request(payload)) {
      requests_dir = dir;
    } else if (starts_like(payload, kResponseStart)) {
      requests_dir = dir == kToServer ? kToClient : kToServer;
    } else {
      if (++flow.probes >= limits_.probe_packets) {
        flow.app = AppProto::kNone;
        counters_.l7.flows_not_http.add();
      }
      return;
    }
    flow.session = open_session(flow, requests_dir);
    if (flow.session == kNoSession) {
      flow.app = AppProto::kNone;
      return;
    }
    flow.app = AppProto::kHttp;
  }
  L7Session& s = sessions_[flow.session];
  s.now_ns = now_ns;
  const int here = dir == s.requests_dir ? 0 : 1;
  DirectionSink sink{*this, s, here == 0};
  s.streams[here].segment(reassembly_pool_, limits_.per_direction, p.tcp_seq, p.tcp_flags, payload, sink,
                          s.stream_counters);
  // What this side acknowledges, the other side sent: data below it that
  // was never seen is lost, and waiting for it would stall that direction.
  if ((p.tcp_flags & net::tcp_flags::kAck) != 0 && s.streams[1 - here].started()) {
    DirectionSink other{*this, s, here != 0};
    s.streams[1 - here].acked(reassembly_pool_, p.tcp_ack, other, s.stream_counters);
  }
  if (s.mesos_seen) flow.app = AppProto::kMesos;
}

void L7Engine::finish_request(L7Session& s, bool complete) {
  s.headers_done = false;
  counters_.l7.http_requests.add();
  if (!s.route.is_mesos) {
    s.request_body.release(body_pool_);
    return;
  }
  // One event waits for its response at a time; a newer request sends the
  // older one on without a status.
  if (s.pending_valid) emit_pending(s);

  std::span<const std::uint8_t> body;
  bool body_whole = complete && !s.body_gap;
  switch (s.request_body.state()) {
    case BodyBuffer::State::kCollecting: body = s.request_body.copy_to(body_pool_, body_scratch_); break;
    case BodyBuffer::State::kTooLarge: counters_.l7.mesos_body_too_large.add(); body_whole = false; break;
    case BodyBuffer::State::kNoMemory: counters_.l7.mesos_body_no_memory.add(); body_whole = false; break;
  }
  net::IpAddress source;
  source.bytes = s.requests_from.src_ip;
  source.v6 = s.requests_from.v6;
  mesos::decode_request(s.request, s.route, body, body_whole, source, s.pending);
  s.pending.body_bytes = static_cast<std::uint32_t>(std::min<std::uint64_t>(s.request_body.total_bytes(), UINT32_MAX));
  if (s.request_body.state() == BodyBuffer::State::kTooLarge) {
    s.pending.status = mesos::DecodeStatus::kBodyTooLarge;
  } else if (!body_whole && s.route.wants_body && s.pending.status == mesos::DecodeStatus::kOk) {
    s.pending.status = mesos::DecodeStatus::kBodyTruncated;
  }
  s.request_body.release(body_pool_);
  s.pending_valid = true;
  s.pending_index = s.request_index;
  s.pending_ns = s.request_ns != 0 ? s.request_ns : s.now_ns;
  switch (s.pending.kind) {
    case mesos::MesosKind::kLibprocess: counters_.l7.mesos_libprocess.add(); break;
    case mesos::MesosKind::kApi: counters_.l7.mesos_api.add(); break;
    case mesos::MesosKind::kLegacy: counters_.l7.mesos_legacy.add(); break;
  }
}

void L7Engine::emit_pending(L7Session& s) {
  if (!s.pending_valid) return;
  s.pending_valid = false;
  emit(s.pending, s.requests_from, s.flow_id, s.pending_ns);
}

void L7Engine::emit(const mesos::MesosEvent& event, const L7Endpoints& from, std::uint64_t flow_id,
                    std::uint64_t ts_ns) {
  auto fill = [&](L7EventRecord& r) {
    r.kind = L7EventKind::kMesos;
    r.worker = worker_;
    r.timestamp_ns = ts_ns;
    r.flow_id = flow_id;
    r.endpoints = from;
    // Whole, padding included: the decoders zeroed every byte of the event,
    // and no stale bytes of an earlier event may stay in the slot.
    std::memcpy(static_cast<void*>(&r.mesos), &event, sizeof event);
  };
  if (events_.try_emplace(fill)) {
    counters_.l7.mesos_events.add();
    return;
  }
  if (!lossless_) {
    counters_.l7.events_dropped.add();
    return;
  }
  // Replay and shutdown lose nothing: the management thread drains until the
  // worker has finished, so this wait ends.
  while (!events_.try_emplace(fill)) rte_pause();
  counters_.l7.mesos_events.add();
}

AppProto L7Engine::end_session(std::uint32_t index) {
  if (index == kNoSession || sessions_ == nullptr || index >= limits_.sessions) return AppProto::kNone;
  L7Session& s = sessions_[index];
  for (int here = 0; here < 2; ++here) {
    DirectionSink sink{*this, s, here == 0};
    s.streams[here].flush(reassembly_pool_, sink, s.stream_counters);
  }
  // A request still open when the connection went away is reported as it is.
  if (s.headers_done) finish_request(s, false);
  emit_pending(s);
  for (auto& dir : s.streams) dir.release(reassembly_pool_);
  s.request_body.release(body_pool_);
  stream_totals_ += s.stream_counters;
  const AppProto app = s.mesos_seen ? AppProto::kMesos : AppProto::kHttp;
  s.next_free = free_head_;
  free_head_ = index;
  --in_use_;
  return app;
}

void L7Engine::publish() {
  if (!limits_.enabled) return;
  counters_.l7.sessions_created.set(sessions_created_);
  counters_.l7.sessions_active.set(in_use_);
  counters_.l7.reassembly_pool_bytes.set(reassembly_pool_.used_bytes());
  counters_.l7.body_pool_bytes.set(body_pool_.used_bytes());
  for (std::size_t i = 0; i < stream::kDirectionCounterFields.size(); ++i) {
    counters_.l7.stream[i].set(stream_totals_.*(stream::kDirectionCounterFields[i].member));
  }
}

}  // namespace segward::dataplane
