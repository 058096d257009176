#pragma once
// The REST API's query parameters, checked strictly: an unknown, repeated,
// malformed or out-of-range parameter answers 400 (HttpError) saying which,
// instead of being ignored, so that a typo does not silently change a query.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <httplib.h>

#include "mgmt/api/api_state.h"

namespace segward::api {

// Throws HttpError(400) for a parameter not in `known`, or given twice.
void check_params(const httplib::Request& req, std::initializer_list<std::string_view> known);

// ?name= as an integer in [min, max]; `fallback` when absent.
std::uint64_t uint_param(const httplib::Request& req, const std::string& name, std::uint64_t fallback,
                         std::uint64_t min, std::uint64_t max);

// ?name= as one of `choices`; `fallback` when absent.
std::string choice_param(const httplib::Request& req, const std::string& name, const std::string& fallback,
                         std::initializer_list<std::string_view> choices);

// An alert position: a buffer sequence (digits) or a UTC time
// (2026-12-01T10:00:00, optionally .fraction and Z or +00:00), which selects
// the alerts from that time on. `what` names the input in the error.
std::uint64_t parse_since(const std::string& text, const ApiState& state, std::string_view what);

}  // namespace segward::api
