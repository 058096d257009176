// HTTP on the L7 engine: reassembled bytes -> HTTP request/response
// parsing -> Mesos requests (held until their response status), RecordIO
// event streams, and ZooKeeper AdminServer commands.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "dataplane/l7_engine_inl.h"
#include "decoders/common/ascii.h"
#include "decoders/zookeeper/admin_server.h"

namespace segward::dataplane {

// ---- sinks: reassembly -> HTTP -> Mesos ------------------------------------

struct L7Engine::RequestSink {
  L7Engine& engine;
  HttpSession& s;

  void on_request_index(std::uint64_t index) { s.request_index = index; }
  void on_request_line(const http::RequestLine& line) {
    s.request.reset();
    mesos::set_request_line(line.method_text, line.target, line.version_minor, s.request);
    s.request_ns = s.now_ns;
    s.headers_done = false;
    s.body_gap = false;
    s.x_forwarded_for = false;
  }
  void on_header(std::string_view name, std::string_view value) {
    mesos::note_request_header(name, value, s.request);
    if (decoders::iequals(name, "x-forwarded-for")) s.x_forwarded_for = true;
  }
  void on_headers_done(const http::HeadersDone&) {
    s.headers_done = true;
    s.route = mesos::route_request(s.request, s.requests_from.dst_port);
    engine.note_admin_command(s);
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
  HttpSession& s;

  void on_record(std::span<const std::uint8_t> first_bytes, std::uint64_t /*full_length*/) {
    engine.counters_.l7.mesos_stream_records.add();
    mesos::MesosEvent& e = *engine.stream_event_;
    mesos::decode_stream_event(s.stream_api, first_bytes, s.stream_encoding, e);
    // Heartbeats arrive every 15 s per framework: counted, not reported.
    if (e.call.view() == "HEARTBEAT") return;
    if (e.stream_id.empty()) e.stream_id.assign(s.response.stream_id.view());
    // The server speaks: reverse of the request direction.
    engine.emit_mesos(e, reversed(s.requests_from), s.flow_id, s.now_ns);
  }
};

struct L7Engine::ResponseSink {
  L7Engine& engine;
  HttpSession& s;

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
struct L7Engine::HttpDirectionSink {
  static constexpr AppProto kPayloadApp = AppProto::kHttp;  // for payload patterns
  L7Engine& engine;
  HttpSession& s;
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

// ---- sessions -----------------------------------------------------------------

void L7Engine::open_http(HttpSession& s) {
  s.http.reset();
  s.x_forwarded_for = false;
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
}

void L7Engine::decode_http(Flow& flow, int dir, const net::PacketLayers& p, std::span<const std::uint8_t> payload) {
  HttpSession& s = http_[flow.session];
  HttpDirectionSink requests{*this, s, true};
  HttpDirectionSink responses{*this, s, false};
  reassemble(s, dir, p, payload, requests, responses);
  if (s.mesos_seen) flow.app = AppProto::kMesos;
}

// A request to the ZooKeeper AdminServer (/commands/<name>) becomes a
// zookeeper event as soon as its head is complete.
void L7Engine::note_admin_command(HttpSession& s) {
  if (s.route.is_mesos || s.request.target.view().find("/commands") == std::string_view::npos) return;
  zookeeper::ZkEvent& e = *admin_event_;
  if (!zookeeper::admin_command(s.request.target.view(), e)) return;
  e.x_forwarded_for = s.x_forwarded_for;
  inspect_zookeeper(s, e, s.requests_from);
  emit(L7EventKind::kZookeeper, s.requests_from, s.flow_id, s.request_ns != 0 ? s.request_ns : s.now_ns,
       [&](L7EventRecord& r) { std::memcpy(static_cast<void*>(&r.zookeeper), &e, sizeof e); });
}

void L7Engine::finish_request(HttpSession& s, bool complete) {
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
  judge_mesos(s, s.pending);
  s.pending_valid = true;
  s.pending_index = s.request_index;
  s.pending_ns = s.request_ns != 0 ? s.request_ns : s.now_ns;
  switch (s.pending.kind) {
    case mesos::MesosKind::kLibprocess: counters_.l7.mesos_libprocess.add(); break;
    case mesos::MesosKind::kApi: counters_.l7.mesos_api.add(); break;
    case mesos::MesosKind::kLegacy: counters_.l7.mesos_legacy.add(); break;
  }
}

void L7Engine::judge_mesos(HttpSession& s, const mesos::MesosEvent& request) {
  if (policy_ == nullptr) return;
  auto fill = [&](L7EventRecord& r) { std::memcpy(static_cast<void*>(&r.mesos), &request, sizeof request); };
  if (flow_ != nullptr && policy_->wants_l7(*flow_)) {
    const policy::Condition broken = policy_->policy().check_mesos(flow_->rule, request);
    if (broken != policy::Condition::kNone) {
      policy_->violation(*flow_, broken, L7EventKind::kMesos, s.requests_from, s.now_ns, fill);
    }
  }
  signatures::MessageView m;
  m.subject = signatures::Subject::kMesos;
  m.mesos = &request;
  m.http = &s.request;
  policy_->inspect(m, signatures::FlowDirection::kToServer, flow_, AppProto::kMesos, s.requests_from, s.flow_id,
                   s.now_ns, L7EventKind::kMesos, fill);
}

void L7Engine::emit_pending(HttpSession& s) {
  if (!s.pending_valid) return;
  s.pending_valid = false;
  emit_mesos(s.pending, s.requests_from, s.flow_id, s.pending_ns);
}

AppProto L7Engine::end_http(std::uint32_t index) {
  HttpSession& s = http_[index];
  HttpDirectionSink requests{*this, s, true};
  HttpDirectionSink responses{*this, s, false};
  close_streams(s, requests, responses);
  // A request still open when the connection went away is reported as it is.
  if (s.headers_done) finish_request(s, false);
  emit_pending(s);
  s.request_body.release(body_pool_);
  const AppProto app = s.mesos_seen ? AppProto::kMesos : AppProto::kHttp;
  http_.release(index);
  return app;
}

void L7Engine::emit_mesos(const mesos::MesosEvent& event, const L7Endpoints& from, std::uint64_t flow_id,
                          std::uint64_t ts_ns) {
  emit(L7EventKind::kMesos, from, flow_id, ts_ns, [&](L7EventRecord& r) {
    // Whole, padding included: the decoders zeroed every byte of the event,
    // and no stale bytes of an earlier event may stay in the slot.
    std::memcpy(static_cast<void*>(&r.mesos), &event, sizeof event);
  });
}

}  // namespace segward::dataplane
