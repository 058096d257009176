#pragma once
// The REST API's JSON bodies: api.proto messages printed by protobuf's JSON
// printer with the proto field names (as EVE is) and plain numbers for
// 64-bit integers, and the api.Error body every 4xx/5xx answer carries.
#include <stdexcept>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

namespace segward::api {

// with_defaults: print zero, false and "" fields too, so that clients see
// every field of a Status or a PolicyValidation{valid: false}. Off for
// alerts, which must be the same objects as their EVE lines.
std::string to_json(const google::protobuf::Message& message, bool with_defaults = true);

// {"status":404,"error":"not_found","message":"..."}; `error` defaults to
// the short name of the status (error_name).
std::string error_json(int status, std::string_view message, std::string_view error = {});

// Thrown by a route to answer with an Error body (bad query parameters, a
// refused policy): `error` empty means error_name(status).
struct HttpError : std::runtime_error {
  HttpError(int status_code, const std::string& message, std::string error_code = {})
      : std::runtime_error(message), status(status_code), error(std::move(error_code)) {}
  int status;
  std::string error;
};

// not_found, unauthorized, ... ("http_NNN" for the unusual ones).
std::string error_name(int status);

}  // namespace segward::api
