#include "mgmt/api/http_json.h"

#include <google/protobuf/util/json_util.h>

#include <map>
#include <memory>
#include <mutex>

#include "mgmt/api/json_numbers.h"
#include "mgmt/proto/api.pb.h"

namespace segward::api {
namespace {

// One field list per message type, built on first use (HTTP threads share it).
const Int64JsonFields& int64_fields(const google::protobuf::Descriptor* type) {
  static std::mutex mutex;
  static std::map<const google::protobuf::Descriptor*, std::unique_ptr<Int64JsonFields>> by_type;
  const std::lock_guard lock(mutex);
  auto& fields = by_type[type];
  if (!fields) fields = std::make_unique<Int64JsonFields>(type);
  return *fields;
}

}  // namespace

std::string to_json(const google::protobuf::Message& message, bool with_defaults) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = with_defaults;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  int64_fields(message.GetDescriptor()).unquote(json);
  return json;
}

std::string error_name(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 416: return "range_not_satisfiable";
    case 500: return "internal_error";
    case 503: return "unavailable";
    default: return "http_" + std::to_string(status);
  }
}

std::string error_json(int status, std::string_view message, std::string_view error) {
  Error body;
  body.set_status(static_cast<std::uint32_t>(status));
  body.set_error(error.empty() ? error_name(status) : std::string(error));
  body.set_message(std::string(message));
  return to_json(body);
}

}  // namespace segward::api
