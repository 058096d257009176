#include "decoders/mesos_api/v1_call.h"

#include "decoders/libprocess/field_writer.h"
#include "decoders/libprocess/mesos_schema.h"
#include "decoders/libprocess/proto_scan.h"
#include "decoders/mesos_api/json_scan.h"
#include "decoders/mesos_api/v1_schema.h"

namespace segward::mesos {
namespace {

void set(std::uint32_t& flags, MesosFlag f) noexcept { flags |= static_cast<std::uint32_t>(f); }

void append_detail(MesosEvent& out, std::string_view text) noexcept {
  if (!out.detail.empty()) out.detail.append("; ");
  out.detail.append(text);
}

}  // namespace

BodyEncoding resolve_body_encoding(BodyEncoding declared, std::span<const std::uint8_t> body) noexcept {
  if (declared == BodyEncoding::kJson || declared == BodyEncoding::kProtobuf) return declared;
  for (const std::uint8_t c : body) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' ? BodyEncoding::kJson : BodyEncoding::kProtobuf;
  }
  return BodyEncoding::kProtobuf;  // empty: an empty protobuf message
}

DecodeStatus decode_schema_body(const schema::Node& root, BodyEncoding encoding, std::span<const std::uint8_t> body,
                                MesosEvent& out, EndpointClass* call_class) noexcept {
  FieldWriter writer(out);
  out.body_encoding = resolve_body_encoding(encoding, body);
  if (out.body_encoding == BodyEncoding::kJson) {
    const json::JsonScanResult result = json::scan_json(body, &root, &writer);
    if (result.huge_number) set(out.flags, MesosFlag::kJsonHugeNumber);
    if (result.error == json::JsonError::kTooDeep) {
      set(out.flags, MesosFlag::kJsonTooDeep);
      append_detail(out, "JSON nested deeper than 32");
    }
    if (!result.ok()) out.status = DecodeStatus::kBadJson;
  } else {
    if (!scan_protobuf(body, root, writer).ok) out.status = DecodeStatus::kBadProtobuf;
  }
  if (call_class != nullptr) *call_class = writer.call_class();
  return out.status;
}

DecodeStatus decode_v1_call(ApiFamily api, BodyEncoding encoding, std::span<const std::uint8_t> body,
                            MesosEvent& out) noexcept {
  const schema::Node* root = schema::v1_call_node(api);
  if (root == nullptr) return out.status;
  EndpointClass cls = EndpointClass::kUnclassified;
  decode_schema_body(*root, encoding, body, out, &cls);
  out.endpoint_class = cls;
  return out.status;
}

void decode_stream_event(ApiFamily api, std::span<const std::uint8_t> record, BodyEncoding encoding,
                         MesosEvent& out) noexcept {
  out.reset();
  out.kind = MesosKind::kApi;
  out.api = api;
  out.is_response = true;
  out.body_bytes = static_cast<std::uint32_t>(record.size() > UINT32_MAX ? UINT32_MAX : record.size());
  const schema::Node* root = schema::v1_event_node(api);
  if (root == nullptr) {
    out.status = DecodeStatus::kUnknownMessage;
    out.body_encoding = resolve_body_encoding(encoding, record);
    return;
  }
  decode_schema_body(*root, encoding, record, out);
}

void decode_scheduler_event(std::span<const std::uint8_t> record, BodyEncoding encoding, MesosEvent& out) noexcept {
  decode_stream_event(ApiFamily::kScheduler, record, encoding, out);
}

EndpointClass classify_call(ApiFamily api, std::string_view call) noexcept {
  const schema::EnumTable* table = schema::v1_call_types(api);
  if (table == nullptr) return EndpointClass::kUnclassified;
  const schema::EnumName* e = schema::find_enum(*table, call);
  return e != nullptr ? e->cls : EndpointClass::kUnclassified;
}

}  // namespace segward::mesos
