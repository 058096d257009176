#include "decoders/libprocess/mesos_request.h"

#include <cstddef>

#include "decoders/common/ascii.h"
#include "decoders/libprocess/field_writer.h"
#include "decoders/libprocess/mesos_schema.h"
#include "decoders/libprocess/proto_scan.h"
#include "decoders/libprocess/upid.h"
#include "decoders/mesos_api/endpoints.h"
#include "decoders/mesos_api/json_scan.h"
#include "decoders/mesos_api/v1_call.h"

namespace segward::mesos {
namespace {

constexpr std::string_view kLibprocessAgent = "libprocess/";

using decoders::iequals;

bool is_blank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view v) noexcept {
  while (!v.empty() && is_blank(v.front())) v.remove_prefix(1);
  while (!v.empty() && is_blank(v.back())) v.remove_suffix(1);
  return v;
}

void set(std::uint32_t& flags, MesosFlag f) noexcept { flags |= static_cast<std::uint32_t>(f); }

template <std::size_t N, std::size_t M>
void copy_text(const BoundedText<N>& from, BoundedText<M>& to) noexcept {
  to.assign(from.view());
  if (from.truncated) to.truncated = true;
}

template <std::size_t N>
void append_detail(BoundedText<N>& detail, std::string_view text) noexcept {
  if (!detail.empty()) detail.append("; ");
  detail.append(text);
}

AuthScheme auth_scheme_of(std::string_view value) noexcept {
  std::size_t end = 0;
  while (end < value.size() && value[end] != ' ' && value[end] != '\t') ++end;
  const std::string_view scheme = value.substr(0, end);
  if (iequals(scheme, "basic")) return AuthScheme::kBasic;
  if (iequals(scheme, "bearer")) return AuthScheme::kBearer;
  return AuthScheme::kOther;
}

bool compressed(std::string_view content_encoding) noexcept {
  const std::string_view v = trim(content_encoding);
  return !v.empty() && !iequals(v, "identity");
}

// The value of `key` in an application/x-www-form-urlencoded body (the last
// one wins), percent-decoded into `out`.
template <std::size_t N>
bool form_value(std::span<const std::uint8_t> body, std::string_view key, BoundedText<N>& out) noexcept {
  const std::string_view text(reinterpret_cast<const char*>(body.data()), body.size());
  bool found = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t amp = text.find('&', pos);
    if (amp == std::string_view::npos) amp = text.size();
    const std::string_view pair = text.substr(pos, amp - pos);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key) {
      out.clear();
      if (!percent_decode(pair.substr(eq + 1), out)) {
        out.clear();
        out.append(pair.substr(eq + 1));
      }
      found = true;
    }
    pos = amp + 1;
  }
  return found;
}

void decode_libprocess_body(const RequestRoute& route, std::span<const std::uint8_t> body, MesosEvent& out) noexcept {
  const auto types = libprocess_message_types();
  if (route.message_type < 0 || static_cast<std::size_t>(route.message_type) >= types.size()) {
    out.status = DecodeStatus::kUnknownMessage;
    if (!body.empty()) out.body_encoding = BodyEncoding::kProtobuf;
    return;
  }
  const LibprocessMessageType& type = types[static_cast<std::size_t>(route.message_type)];
  if (body.empty()) return;
  out.body_encoding = BodyEncoding::kProtobuf;
  FieldWriter writer(out);
  if (!scan_protobuf(body, *type.node, writer).ok) out.status = DecodeStatus::kBadProtobuf;
  if (type.node == &schema::kSchedulerCallV0Node && writer.saw_call_type()) out.endpoint_class = writer.call_class();
}

void decode_api_body(const MesosRequestHead& head, const RequestRoute& route, std::span<const std::uint8_t> body,
                     MesosEvent& out) noexcept {
  const EndpointClass route_class = out.endpoint_class;
  if (route.encoding == BodyEncoding::kRecordIo) {
    // A streamed request (agent ATTACH_CONTAINER_INPUT): the first record
    // is the call; later ones carry the attached process's input and are
    // not read.
    std::size_t i = 0;
    std::uint64_t length = 0;
    while (i < body.size() && i < 20 && body[i] >= '0' && body[i] <= '9') {
      length = length * 10 + static_cast<std::uint64_t>(body[i] - '0');
      ++i;
    }
    if (i == 0 || i >= body.size() || body[i] != '\n') {
      out.body_encoding = BodyEncoding::kRecordIo;
      out.status = body.empty() ? DecodeStatus::kOk : DecodeStatus::kBadRecordIo;
      return;
    }
    const std::span<const std::uint8_t> rest = body.subspan(i + 1);
    const bool cut = length > rest.size();
    const std::span<const std::uint8_t> record = cut ? rest : rest.first(static_cast<std::size_t>(length));
    decode_v1_call(route.api, encoding_of_content_type(head.message_content_type.view()), record, out);
    if (cut && out.status == DecodeStatus::kOk) out.status = DecodeStatus::kBodyTruncated;
    out.body_encoding = BodyEncoding::kRecordIo;
  } else {
    decode_v1_call(route.api, route.encoding, body, out);
  }
  if (out.call.empty()) out.endpoint_class = route_class;
}

void decode_legacy_body(const RequestRoute& route, std::span<const std::uint8_t> body, MesosEvent& out) noexcept {
  if (body.empty()) return;
  switch (static_cast<LegacyBody>(route.legacy_body)) {
    case LegacyBody::kFrameworkIdForm:
      out.body_encoding = BodyEncoding::kForm;
      if (form_value(body, "frameworkId", out.framework.id)) out.framework.present = true;
      return;
    case LegacyBody::kAgentIdForm:
      out.body_encoding = BodyEncoding::kForm;
      if (form_value(body, "slaveId", out.agent.id)) out.agent.present = true;
      return;
    case LegacyBody::kJson:
    case LegacyBody::kNone:
      break;
  }
  // Any JSON body: only its shape (CVE-2018-1330, CVE-2018-11793) is checked.
  out.body_encoding = BodyEncoding::kJson;
  const json::JsonScanResult result = json::scan_json(body, nullptr, nullptr);
  if (result.huge_number) set(out.flags, MesosFlag::kJsonHugeNumber);
  if (result.error == json::JsonError::kTooDeep) {
    set(out.flags, MesosFlag::kJsonTooDeep);
    append_detail(out.detail, "JSON nested deeper than 32");
  }
  if (!result.ok()) out.status = DecodeStatus::kBadJson;
}

}  // namespace

BodyEncoding encoding_of_content_type(std::string_view content_type) noexcept {
  std::string_view media = content_type;
  const std::size_t semicolon = media.find(';');
  if (semicolon != std::string_view::npos) media = media.substr(0, semicolon);
  media = trim(media);
  if (media.empty()) return BodyEncoding::kNone;
  if (iequals(media, "application/json")) return BodyEncoding::kJson;
  if (iequals(media, "application/x-protobuf")) return BodyEncoding::kProtobuf;
  if (iequals(media, "application/recordio")) return BodyEncoding::kRecordIo;
  if (iequals(media, "application/x-www-form-urlencoded")) return BodyEncoding::kForm;
  return BodyEncoding::kOther;
}

void set_request_line(std::string_view method, std::string_view target, std::uint8_t version_minor,
                      MesosRequestHead& head) noexcept {
  head.method.assign(method);
  head.target.assign(target);
  head.version_minor = version_minor;
}

void note_request_header(std::string_view name, std::string_view value, MesosRequestHead& head) noexcept {
  const std::string_view v = trim(value);
  if (iequals(name, "User-Agent")) {
    head.user_agent.assign(v);
    head.has_user_agent = true;
  } else if (iequals(name, "Libprocess-From")) {
    head.libprocess_from.assign(v);
    head.has_libprocess_from = true;
  } else if (iequals(name, "Content-Type")) {
    head.content_type.assign(v);
  } else if (iequals(name, "Content-Encoding")) {
    head.content_encoding.assign(v);
  } else if (iequals(name, "Message-Content-Type")) {
    head.message_content_type.assign(v);
  } else if (iequals(name, "Accept")) {
    head.accept.assign(v);
  } else if (iequals(name, "Message-Accept")) {
    head.message_accept.assign(v);
  } else if (iequals(name, "Mesos-Stream-Id")) {
    head.stream_id.assign(v);
  } else if (iequals(name, "Host")) {
    head.host.assign(v);
    head.has_host = true;
  } else if (iequals(name, "Authorization")) {
    head.auth = auth_scheme_of(v);  // the credentials are not kept
  }
}

void note_response_header(std::string_view name, std::string_view value, MesosResponseHead& head) noexcept {
  const std::string_view v = trim(value);
  if (iequals(name, "Content-Type")) {
    head.content_type.assign(v);
    head.recordio = encoding_of_content_type(v) == BodyEncoding::kRecordIo;
  } else if (iequals(name, "Message-Content-Type")) {
    head.message_content_type.assign(v);
  } else if (iequals(name, "Content-Encoding")) {
    head.content_encoding.assign(v);
  } else if (iequals(name, "Mesos-Stream-Id")) {
    head.stream_id.assign(v);
  } else if (iequals(name, "Location")) {
    head.location.assign(v);
  }
}

BodyEncoding response_record_encoding(const MesosEvent& request, const MesosResponseHead& response) noexcept {
  if (response.status != 200 || compressed(response.content_encoding.view())) return BodyEncoding::kNone;
  const std::string_view call = request.call.view();
  bool stream = response.recordio;
  if (request.kind == MesosKind::kApi) {
    switch (request.api) {
      case ApiFamily::kScheduler:
      case ApiFamily::kExecutor:
      case ApiFamily::kMasterOperator: stream = stream || call == "SUBSCRIBE"; break;
      case ApiFamily::kAgentOperator:
        stream = stream || call == "ATTACH_CONTAINER_OUTPUT" || call == "LAUNCH_NESTED_CONTAINER_SESSION";
        break;
      case ApiFamily::kResourceProvider: stream = stream || call == "SUBSCRIBE"; break;
      case ApiFamily::kNone: break;
    }
  }
  if (!stream) return BodyEncoding::kNone;
  const BodyEncoding inner = encoding_of_content_type(
      response.recordio ? response.message_content_type.view() : response.content_type.view());
  return inner == BodyEncoding::kProtobuf ? BodyEncoding::kProtobuf : BodyEncoding::kJson;
}

RequestRoute route_request(const MesosRequestHead& head, std::uint16_t server_port) noexcept {
  RequestRoute route;
  const std::string_view method = head.method.view();
  const std::string_view target = head.target.view();
  EndpointMatch match;
  match_endpoint(target, method, server_port, match);
  route.flags = match.flags;

  const std::string_view agent = head.user_agent.view();
  const bool libprocess_agent = head.has_user_agent && agent.substr(0, kLibprocessAgent.size()) == kLibprocessAgent;
  const bool message = method == "POST" && (libprocess_agent || head.has_libprocess_from);

  if (message) {
    route.kind = MesosKind::kLibprocess;
    route.is_mesos = true;
    route.encoding = BodyEncoding::kProtobuf;
    // The sender: Libprocess-From, else what follows "libprocess/" in the User-Agent.
    if (head.has_libprocess_from) {
      route.from_pid.assign(trim(head.libprocess_from.view()));
      if (head.libprocess_from.truncated) route.from_pid.truncated = true;
      if (libprocess_agent && trim(agent.substr(kLibprocessAgent.size())) != route.from_pid.view()) {
        set(route.flags, MesosFlag::kPidHeaderMismatch);
      }
    } else {
      const std::size_t at = agent.find(kLibprocessAgent);
      if (at != std::string_view::npos) route.from_pid.assign(agent.substr(at + kLibprocessAgent.size()));
      if (head.user_agent.truncated) route.from_pid.truncated = true;
      set(route.flags, MesosFlag::kPre022Libprocess);
    }
    // "/<receiver>/<message name>": the receiver percent-decoded, the name as is.
    const std::string_view path = match.path;
    if (!path.empty() && path.front() == '/') {
      const std::size_t slash = path.find('/', 1);
      const std::string_view raw_receiver = path.substr(1, slash == std::string_view::npos ? std::string_view::npos : slash - 1);
      if (slash != std::string_view::npos) route.message.assign(path.substr(slash + 1));
      if (!percent_decode(raw_receiver, route.receiver)) {
        route.receiver.assign(raw_receiver);
        set(route.flags, MesosFlag::kBadPercentEscape);
        append_detail(route.detail, "invalid percent escape in the receiver (CVE-2017-7687)");
      }
    }
    route.endpoint.assign("/");
    route.endpoint.append(route.receiver.view());
    if (route.receiver.truncated) route.endpoint.truncated = true;
    const LibprocessMessageType* type = route.message.truncated ? nullptr : find_libprocess_message(route.message.view());
    if (type != nullptr) {
      route.message_type = static_cast<std::int16_t>(type - libprocess_message_types().data());
      route.endpoint_class = type->cls;
      route.wants_body = !type->node->fields.empty();
      if (type->node == &schema::kSchedulerCallV0Node) route.api = ApiFamily::kScheduler;
    }
  } else {
    route.kind = match.kind;
    route.api = match.api;
    route.endpoint_class = match.cls;
    copy_text(match.endpoint, route.endpoint);
    route.is_mesos = server_port == 5050 || server_port == 5051 || (match.known && match.mesos_specific);
    route.encoding = encoding_of_content_type(head.content_type.view());
    const bool reads = method == "GET" || method == "HEAD";
    if (route.kind == MesosKind::kApi) {
      route.wants_body = true;
    } else if (!reads && (match.body != LegacyBody::kNone || route.encoding == BodyEncoding::kJson)) {
      route.wants_body = true;
      route.legacy_body = static_cast<std::uint8_t>(match.body);
    }
  }

  if (has_flag(route.flags, MesosFlag::kTargetNotOriginForm)) {
    append_detail(route.detail, "request target does not start with '/' (CVE-2017-9790)");
  }
  if (compressed(head.content_encoding.view())) {
    set(route.flags, MesosFlag::kCompressedBody);
    route.wants_body = false;
  }
  if (!route.is_mesos) route.wants_body = false;
  return route;
}

void decode_request(const MesosRequestHead& head, const RequestRoute& route, std::span<const std::uint8_t> body,
                    bool body_complete, const net::IpAddress& source_ip, MesosEvent& out) noexcept {
  out.reset();
  out.kind = route.kind;
  out.api = route.api;
  out.endpoint_class = route.endpoint_class;
  out.auth_scheme = head.auth;
  out.flags = route.flags;
  // Text is copied by value, never as whole objects: no padding byte of the
  // caller's structs reaches the event.
  copy_text(route.message, out.message);
  copy_text(route.endpoint, out.endpoint);
  copy_text(route.receiver, out.receiver);
  copy_text(route.from_pid, out.from_pid);
  copy_text(head.stream_id, out.stream_id);
  copy_text(route.detail, out.detail);
  copy_text(head.method, out.http.method);
  copy_text(head.target, out.http.uri);
  out.body_bytes = static_cast<std::uint32_t>(body.size() > UINT32_MAX ? UINT32_MAX : body.size());
  if (route.kind == MesosKind::kLibprocess) out.pid_check = check_pid(route.from_pid.view(), source_ip);
  if (!route.is_mesos) return;

  if (has_flag(route.flags, MesosFlag::kCompressedBody)) {
    out.status = DecodeStatus::kCompressedBody;
    out.body_encoding = route.encoding;
    BoundedText<64> note;
    note.assign(trim(head.content_encoding.view()));
    note.append(" body not decoded");
    append_detail(out.detail, note.view());
    return;
  }

  switch (route.kind) {
    case MesosKind::kLibprocess: decode_libprocess_body(route, body, out); break;
    case MesosKind::kApi: decode_api_body(head, route, body, out); break;
    case MesosKind::kLegacy:
      if (route.wants_body) decode_legacy_body(route, body, out);
      break;
  }

  if (!body_complete && route.wants_body && out.status != DecodeStatus::kUnknownMessage) {
    out.status = DecodeStatus::kBodyTooLarge;
  }
}

}  // namespace segward::mesos
