#pragma once
// A zero-allocation JSON scanner for Mesos's JSON form of protobuf messages
// (stout protobuf.hpp): object keys are proto field names, enums are their
// value names, bytes are base64, numbers may also be given as strings.
//
// One pass, no tree: a tokenizer plus a fixed stack of open containers, each
// holding the schema::Node it stands for (or none: an unknown subtree,
// which is still checked for well-formedness and skipped). Values of known
// fields go to a FieldWriter, strings unescaped (\uXXXX and surrogate pairs
// included) into a fixed scratch buffer, cut with a truncation mark when
// longer. Following stout:
//  - a field's duplicate key: the last value wins (scalars), the last array
//    wins (repeated fields);
//  - a single value for a repeated field is one element;
//  - null is an unset field; values of the wrong JSON type are ignored
//    (Mesos would reject the call; the rest is still reported);
//  - unknown enum names are dropped (the call type is kept as sent).
//
// Errors (JsonError) stop the scan; everything handed to the writer before
// stays. Nesting deeper than kMaxJsonDepth is an error (kTooDeep): Mesos
// allows 200, but no legitimate call comes near 32, and CVE-2018-11793 was a
// stack overflow on depth.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/libprocess/field_writer.h"
#include "decoders/libprocess/schema.h"

namespace segward::mesos::json {

inline constexpr std::size_t kMaxJsonDepth = 32;
inline constexpr std::size_t kMaxStringBytes = 1024;  // longer values reach the writer cut, marked truncated

enum class JsonError : std::uint8_t {
  kNone,
  kEmpty,         // no value at all (only whitespace)
  kNotObject,     // the top-level value is not an object (when one is required)
  kSyntax,        // unexpected character
  kBadString,     // bad escape, bad \u, lone surrogate, raw control character
  kBadNumber,     // a number that does not follow the JSON grammar
  kTooDeep,       // more than kMaxJsonDepth open containers
  kTrailingData,  // something after the top-level value
  kTruncated,     // the input ends inside a value
};
[[nodiscard]] std::string_view json_error_name(JsonError error) noexcept;

struct JsonScanResult {
  JsonError error = JsonError::kNone;
  std::size_t offset = 0;      // where the error was found
  bool huge_number = false;    // a number beyond int64 (integers) or double range (CVE-2018-1330)
  std::size_t max_depth = 0;   // deepest nesting seen
  [[nodiscard]] bool ok() const noexcept { return error == JsonError::kNone; }
};

/// Scans `body` as one JSON value. With `root` and `writer`, the top-level
/// value must be an object and its fields are decoded as `root`; with
/// neither, any value is accepted and only checked (for the CVE shapes).
JsonScanResult scan_json(std::span<const std::uint8_t> body, const schema::Node* root, FieldWriter* writer) noexcept;

}  // namespace segward::mesos::json
