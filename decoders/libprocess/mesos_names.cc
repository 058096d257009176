// Stable names of the MesosEvent enums (EVE keys, counter labels, REST).
#include <bit>

#include "decoders/libprocess/mesos_event.h"

namespace segward::mesos {

std::string_view mesos_kind_name(MesosKind kind) noexcept {
  switch (kind) {
    case MesosKind::kLibprocess: return "libprocess";
    case MesosKind::kApi: return "api";
    case MesosKind::kLegacy: return "legacy";
  }
  return "unknown";
}

std::string_view api_family_name(ApiFamily api) noexcept {
  switch (api) {
    case ApiFamily::kNone: return "none";
    case ApiFamily::kScheduler: return "scheduler";
    case ApiFamily::kExecutor: return "executor";
    case ApiFamily::kMasterOperator: return "master_operator";
    case ApiFamily::kAgentOperator: return "agent_operator";
    case ApiFamily::kResourceProvider: return "resource_provider";
  }
  return "unknown";
}

std::string_view auth_scheme_name(AuthScheme scheme) noexcept {
  switch (scheme) {
    case AuthScheme::kNone: return "none";
    case AuthScheme::kBasic: return "basic";
    case AuthScheme::kBearer: return "bearer";
    case AuthScheme::kOther: return "other";
  }
  return "unknown";
}

std::string_view endpoint_class_name(EndpointClass cls) noexcept {
  switch (cls) {
    case EndpointClass::kUnclassified: return "unclassified";
    case EndpointClass::kRead: return "read";
    case EndpointClass::kMutating: return "mutating";
    case EndpointClass::kSecretLeaking: return "secret-leaking";
  }
  return "unknown";
}

std::string_view pid_check_name(PidCheck check) noexcept {
  switch (check) {
    case PidCheck::kNotApplicable: return "not_applicable";
    case PidCheck::kMatches: return "matches";
    case PidCheck::kDiffers: return "differs";
    case PidCheck::kHostname: return "hostname";
    case PidCheck::kUnparsable: return "unparsable";
  }
  return "unknown";
}

std::string_view body_encoding_name(BodyEncoding encoding) noexcept {
  switch (encoding) {
    case BodyEncoding::kNone: return "none";
    case BodyEncoding::kProtobuf: return "protobuf";
    case BodyEncoding::kJson: return "json";
    case BodyEncoding::kRecordIo: return "recordio";
    case BodyEncoding::kForm: return "form";
    case BodyEncoding::kOther: return "other";
  }
  return "unknown";
}

std::string_view decode_status_name(DecodeStatus status) noexcept {
  switch (status) {
    case DecodeStatus::kOk: return "ok";
    case DecodeStatus::kBodyTooLarge: return "body_too_large";
    case DecodeStatus::kBodyTruncated: return "body_truncated";
    case DecodeStatus::kBadProtobuf: return "bad_protobuf";
    case DecodeStatus::kBadJson: return "bad_json";
    case DecodeStatus::kUnknownMessage: return "unknown_message";
    case DecodeStatus::kCompressedBody: return "compressed_body";
    case DecodeStatus::kBadRecordIo: return "bad_recordio";
  }
  return "unknown";
}

std::string_view mesos_flag_name(MesosFlag flag) noexcept {
  switch (flag) {
    case MesosFlag::kTargetNotOriginForm: return "target_not_origin_form";
    case MesosFlag::kBadPercentEscape: return "bad_percent_escape";
    case MesosFlag::kPathDotDot: return "path_dot_dot";
    case MesosFlag::kNonCanonicalPath: return "non_canonical_path";
    case MesosFlag::kJsonp: return "jsonp";
    case MesosFlag::kJsonHugeNumber: return "json_huge_number";
    case MesosFlag::kJsonTooDeep: return "json_too_deep";
    case MesosFlag::kCompressedBody: return "compressed_body";
    case MesosFlag::kPidHeaderMismatch: return "pid_header_mismatch";
    case MesosFlag::kPre022Libprocess: return "pre_0_22_libprocess";
  }
  return "unknown";
}

static_assert(std::bit_width(static_cast<std::uint32_t>(MesosFlag::kPre022Libprocess)) == kMesosFlagCount);

}  // namespace segward::mesos
