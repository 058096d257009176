// Names of errors, warnings and methods: stable strings for counters and events.
#include "decoders/http/http_message.h"

#include <array>

namespace segward::http {
namespace {

constexpr std::array<std::string_view, kHttpErrorCount> kErrorNames = {
    "none",
#define SEGWARD_HTTP_ERROR(id, name, description) name,
#include "decoders/http/http_errors.def"
#undef SEGWARD_HTTP_ERROR
};

constexpr std::array<std::string_view, kHttpErrorCount> kErrorDescriptions = {
    "parsed without error",
#define SEGWARD_HTTP_ERROR(id, name, description) description,
#include "decoders/http/http_errors.def"
#undef SEGWARD_HTTP_ERROR
};

constexpr std::array<std::string_view, kHttpWarningCount> kWarningNames = {
    "header_truncated",
    "body_gap",
    "resynced",
};

struct MethodText {
  std::string_view text;
  Method method;
};
constexpr std::array<MethodText, 9> kMethods = {{
    {"GET", Method::kGet},
    {"HEAD", Method::kHead},
    {"POST", Method::kPost},
    {"PUT", Method::kPut},
    {"DELETE", Method::kDelete},
    {"PATCH", Method::kPatch},
    {"OPTIONS", Method::kOptions},
    {"CONNECT", Method::kConnect},
    {"TRACE", Method::kTrace},
}};

}  // namespace

std::string_view http_error_name(HttpError error) noexcept {
  const auto i = static_cast<std::size_t>(error);
  return i < kErrorNames.size() ? kErrorNames[i] : std::string_view("unknown");
}

std::string_view http_error_description(HttpError error) noexcept {
  const auto i = static_cast<std::size_t>(error);
  return i < kErrorDescriptions.size() ? kErrorDescriptions[i] : std::string_view("unknown HTTP error");
}

std::string_view http_warning_name(HttpWarning warning) noexcept {
  const auto i = static_cast<std::size_t>(warning);
  return i < kWarningNames.size() ? kWarningNames[i] : std::string_view("unknown");
}

Method method_from_text(std::string_view text) noexcept {
  for (const MethodText& m : kMethods) {
    if (m.text == text) return m.method;
  }
  return Method::kOther;
}

std::string_view method_name(Method method) noexcept {
  for (const MethodText& m : kMethods) {
    if (m.method == method) return m.text;
  }
  return "OTHER";
}

}  // namespace segward::http
