#pragma once
// What the Mesos decoders (decoders/libprocess, decoders/mesos_api) report
// about one Mesos request: a fixed-size value with bounded text fields, so a
// dataplane worker can fill it without allocating and copy it whole into
// the event ring to the management thread. Every text field keeps at most
// its capacity and says whether the wire value was longer.
//
// Secrets never enter this struct: Authorization headers are reduced to
// their scheme, CRAM-MD5 responses to their principal, Credential.secret and
// Secret values are not decoded at all.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "decoders/common/bounded_text.h"

namespace segward::mesos {

using decoders::BoundedText;


// EVE `mesos.kind`.
enum class MesosKind : std::uint8_t {
  kLibprocess,  // POST /<receiver>/<message type> from a libprocess sender
  kApi,         // v1 HTTP API: /api/v1/scheduler, /api/v1/executor, /api/v1
  kLegacy,      // any other request to a Mesos endpoint (/master/flags, /files/read, ...)
};

// Which v1 API a call went to (the enum numbers differ between them).
// mesos.scheduler.Call sent as a libprocess message is kScheduler too.
enum class ApiFamily : std::uint8_t {
  kNone,
  kScheduler,
  kExecutor,
  kMasterOperator,
  kAgentOperator,
  kResourceProvider,  // /slave(1)/api/v1/resource_provider (no authenticator installed by Mesos)
};

enum class AuthScheme : std::uint8_t { kNone, kBasic, kBearer, kOther };

// How the README's table classifies an endpoint or call.
enum class EndpointClass : std::uint8_t { kUnclassified, kRead, kMutating, kSecretLeaking };

// `pid_ip_matches_source`: the IP in the sender's claimed PID against the TCP
// source address. kHostname: the PID names a host, not an IP (the receiver
// resolves it; nothing to compare on the wire).
enum class PidCheck : std::uint8_t { kNotApplicable, kMatches, kDiffers, kHostname, kUnparsable };

enum class BodyEncoding : std::uint8_t { kNone, kProtobuf, kJson, kRecordIo, kForm, kOther };

// Why a body was not (fully) decoded. Stable names: see decode_status_name().
enum class DecodeStatus : std::uint8_t {
  kOk,
  kBodyTooLarge,   // over the configured cap: skipped, not buffered (EVE mesos.body_too_large)
  kBodyTruncated,  // the stream lost bytes inside the body
  kBadProtobuf,
  kBadJson,
  kUnknownMessage,  // a message type segward reports by name only
  kCompressedBody,  // Content-Encoding gzip/deflate/...: the body is not decoded (detail says which)
  kBadRecordIo,     // a RecordIO-framed body whose length line is not a decimal length
};

// Anomalies of one request, as bits of MesosEvent::flags; most are the
// wire shapes of known Mesos CVEs or of evasion attempts. Stable names: see
// mesos_flag_name().
enum class MesosFlag : std::uint32_t {
  kTargetNotOriginForm = 1u << 0,  // request target does not start with '/' (CVE-2017-9790)
  kBadPercentEscape = 1u << 1,     // '%' not followed by two hex digits in the path (CVE-2017-7687 in a receiver)
  kPathDotDot = 1u << 2,           // "/.." in the path: libprocess answers 404
  kNonCanonicalPath = 1u << 3,     // escapes, '+', empty segments, trailing '/' or segments past the endpoint
  kJsonp = 1u << 4,                // ?jsonp= in the query (cross-site read of a GET endpoint)
  kJsonHugeNumber = 1u << 5,       // a JSON number beyond int64 or double range (CVE-2018-1330)
  kJsonTooDeep = 1u << 6,          // JSON nested deeper than the scanner's limit (CVE-2018-11793)
  kCompressedBody = 1u << 7,       // request Content-Encoding other than identity
  kPidHeaderMismatch = 1u << 8,    // Libprocess-From and the User-Agent's libprocess/<pid> differ
  kPre022Libprocess = 1u << 9,     // libprocess message with only User-Agent: libprocess/ (sender < 0.22)
};
inline constexpr std::size_t kMesosFlagCount = 10;
[[nodiscard]] constexpr bool has_flag(std::uint32_t flags, MesosFlag f) noexcept {
  return (flags & static_cast<std::uint32_t>(f)) != 0;
}

struct FrameworkFields {
  BoundedText<128> name;
  BoundedText<64> user;
  BoundedText<128> principal;
  BoundedText<192> roles;  // comma-separated: FrameworkInfo.roles, else .role
  BoundedText<128> id;
  BoundedText<128> hostname;
  std::uint32_t capabilities = 0;  // bit n set: FrameworkInfo.Capability.Type n
  bool checkpoint = false;
  bool failover = false;  // ReregisterFrameworkMessage.failover
  bool present = false;   // the message carried FrameworkInfo or a FrameworkID
};

struct AgentFields {
  BoundedText<128> hostname;
  BoundedText<128> id;
  std::int32_t port = 0;
  double cpus = 0, mem_mb = 0, disk_mb = 0;  // scalar resources, summed
  bool present = false;
};

struct TaskFields {
  BoundedText<128> name;
  BoundedText<128> id;
  BoundedText<256> command;   // CommandInfo.value, then its arguments, joined by spaces
  BoundedText<192> image;     // DockerInfo.image or Image.docker.name / appc.name
  BoundedText<128> host_path; // first volume with a host path, of any task or executor
  BoundedText<32> state;      // TaskStatus.state name for status updates (TASK_RUNNING)
  BoundedText<64> user;       // CommandInfo.user (the OS user the command runs as)
  std::uint16_t count = 0;    // TaskInfos in the message (name, id, command, image, user are the first one's)
  bool privileged = false;    // DockerInfo.privileged on any task or executor
  bool present = false;
};

struct MesosEvent {
  MesosKind kind = MesosKind::kLegacy;
  ApiFamily api = ApiFamily::kNone;
  EndpointClass endpoint_class = EndpointClass::kUnclassified;
  AuthScheme auth_scheme = AuthScheme::kNone;
  PidCheck pid_check = PidCheck::kNotApplicable;
  BodyEncoding body_encoding = BodyEncoding::kNone;
  DecodeStatus status = DecodeStatus::kOk;
  bool is_response = false;  // decoded from a response body (scheduler event stream)

  BoundedText<128> message;    // libprocess: full type name, e.g. mesos.internal.RegisterFrameworkMessage
  BoundedText<48> call;        // v1 / mesos.scheduler.Call type name, e.g. TEARDOWN, GET_FLAGS
  BoundedText<160> endpoint;   // normalised path, e.g. /master/teardown, /api/v1/scheduler; libprocess: /<receiver>
  BoundedText<160> receiver;   // libprocess: receiver actor id, e.g. master, slave(1)
  BoundedText<192> from_pid;   // libprocess: Libprocess-From (or the User-Agent's libprocess/<pid>)
  BoundedText<128> stream_id;  // Mesos-Stream-Id header
  BoundedText<64> auth_mechanism;  // authentication exchange: CRAM-MD5, ...
  BoundedText<128> auth_principal; // authentication exchange: the principal (never the response)
  BoundedText<256> detail;     // message-specific text: ShutdownMessage.message, READ_FILE path, error text
  std::uint32_t flags = 0;     // MesosFlag bits

  struct Http {
    BoundedText<16> method;
    BoundedText<512> uri;
    std::uint16_t status = 0;  // 0: no response seen (yet)
  } http;

  FrameworkFields framework;
  AgentFields agent;
  TaskFields task;
  std::uint32_t body_bytes = 0;  // the body's length on the wire

  // Back to the defaults with every byte of the object rewritten, padding
  // included: the struct is copied whole into the event ring, so no stale
  // stack bytes (earlier payloads) may ride along in it. The decoders reset
  // their output this way. One pass: every default is all-zero bytes but
  // `kind` (a unit test holds this to the member initializers above).
  void reset() noexcept {
    std::memset(static_cast<void*>(this), 0, sizeof(*this));
    kind = MesosKind::kLegacy;
  }
};

// Stable names for EVE, counters and the REST API (never rename one);
// "unknown" for a value out of range.
[[nodiscard]] std::string_view mesos_kind_name(MesosKind kind) noexcept;            // libprocess, api, legacy
[[nodiscard]] std::string_view api_family_name(ApiFamily api) noexcept;             // none, scheduler, executor, master_operator, agent_operator, resource_provider
[[nodiscard]] std::string_view auth_scheme_name(AuthScheme scheme) noexcept;        // none, basic, bearer, other
[[nodiscard]] std::string_view endpoint_class_name(EndpointClass cls) noexcept;     // unclassified, read, mutating, secret-leaking
[[nodiscard]] std::string_view pid_check_name(PidCheck check) noexcept;             // not_applicable, matches, differs, hostname, unparsable
[[nodiscard]] std::string_view body_encoding_name(BodyEncoding encoding) noexcept;  // none, protobuf, json, recordio, form, other
[[nodiscard]] std::string_view decode_status_name(DecodeStatus status) noexcept;    // ok, body_too_large, body_truncated, bad_protobuf, bad_json, unknown_message, compressed_body, bad_recordio
/// One flag bit's name (target_not_origin_form, ...); "unknown" for 0, several bits or an unknown bit.
[[nodiscard]] std::string_view mesos_flag_name(MesosFlag flag) noexcept;

}  // namespace segward::mesos
