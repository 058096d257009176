#pragma once
// v1 HTTP API bodies: calls (requests) and the records of SUBSCRIBE event
// streams (responses), in either of Mesos's encodings. The fields read are
// those of v1_schema.h; see decoders/mesos_api/README.md for the list and
// for how each call type is classified.
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/schema.h"

namespace segward::mesos {

/// The encoding to decode a body as: `declared` when it is kJson or
/// kProtobuf, otherwise by the first non-blank byte ('{': JSON, else protobuf).
[[nodiscard]] BodyEncoding resolve_body_encoding(BodyEncoding declared, std::span<const std::uint8_t> body) noexcept;

/// Decodes `body` as a `root` message in `encoding` (resolved as above)
/// into `out`: fields, out.body_encoding, out.status (kBadJson/kBadProtobuf
/// on a malformed body; what came before the error is kept) and the JSON
/// CVE-shape flags. `call_class` (optional) gets the class of the call type
/// found. Does not reset `out`.
DecodeStatus decode_schema_body(const schema::Node& root, BodyEncoding encoding, std::span<const std::uint8_t> body,
                                MesosEvent& out, EndpointClass* call_class = nullptr) noexcept;

/// One v1 call of `api`: `call` gets the type name (GET_FLAGS, SUBSCRIBE,
/// ...), `endpoint_class` the type's class, the other fields what the body
/// carries. Does not reset `out`. Returns out.status.
DecodeStatus decode_v1_call(ApiFamily api, BodyEncoding encoding, std::span<const std::uint8_t> body,
                            MesosEvent& out) noexcept;

/// One record of a SUBSCRIBE response stream of `api` (scheduler, executor,
/// master operator; other APIs' records are not decoded: kUnknownMessage).
/// Resets `out`, then: kind kApi, api, is_response, call = event type name
/// (SUBSCRIBED, HEARTBEAT, UPDATE, ...), and the event's fields: framework id
/// and master_info (detail) for SUBSCRIBED, task id/state for UPDATE, the
/// error message (detail) for ERROR, tasks for executor LAUNCH(_GROUP), ...
void decode_stream_event(ApiFamily api, std::span<const std::uint8_t> record, BodyEncoding encoding,
                         MesosEvent& out) noexcept;

/// decode_stream_event for the scheduler API.
void decode_scheduler_event(std::span<const std::uint8_t> record, BodyEncoding encoding, MesosEvent& out) noexcept;

/// The class of call type `call` of `api` (kUnclassified if unknown).
[[nodiscard]] EndpointClass classify_call(ApiFamily api, std::string_view call) noexcept;

}  // namespace segward::mesos
