#include "mgmt/api/query_params.h"

#include <algorithm>
#include <charconv>
#include <regex>

#include "mgmt/api/http_json.h"

namespace segward::api {
namespace {

[[noreturn]] void refuse(std::string_view what, const std::string& why) {
  throw HttpError(400, std::string(what) + ": " + why);
}

std::string joined(std::initializer_list<std::string_view> words) {
  std::string out;
  for (const std::string_view w : words) out += (out.empty() ? "" : ", ") + std::string(w);
  return out;
}

}  // namespace

void check_params(const httplib::Request& req, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : req.params) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      refuse(name, known.size() == 0 ? "this route takes no query parameters"
                                     : "unknown query parameter (known: " + joined(known) + ")");
    }
    if (req.params.count(name) > 1) refuse(name, "given more than once");
  }
}

std::uint64_t uint_param(const httplib::Request& req, const std::string& name, std::uint64_t fallback,
                         std::uint64_t min, std::uint64_t max) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    refuse(name, "'" + text + "' is not an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

std::string choice_param(const httplib::Request& req, const std::string& name, const std::string& fallback,
                         std::initializer_list<std::string_view> choices) {
  if (!req.has_param(name)) return fallback;
  const std::string value = req.get_param_value(name);
  if (std::find(choices.begin(), choices.end(), value) == choices.end()) {
    refuse(name, "'" + value + "' is not one of " + joined(choices));
  }
  return value;
}

std::uint64_t parse_since(const std::string& text, const ApiState& state, std::string_view what) {
  std::uint64_t sequence = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), sequence);
  if (!text.empty() && ec == std::errc{} && end == text.data() + text.size()) return sequence;
  // ApiState compares the text with EVE timestamps, so the zone is dropped
  // (UTC only) and the fraction kept to EVE's microseconds.
  static const std::regex utc(R"((\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d)(\.(\d{1,6})\d*)?(Z|\+00:?00)?)");
  std::smatch m;
  if (!std::regex_match(text, m, utc)) {
    refuse(what, "'" + text + "' is neither a sequence number nor a UTC time like 2026-12-01T10:00:00");
  }
  return state.sequence_before(m[1].str() + (m[6].matched ? "." + m[6].str() : ""));
}

}  // namespace segward::api
