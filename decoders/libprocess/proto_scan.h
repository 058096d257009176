#pragma once
// A zero-allocation protobuf wire scanner driven by a schema::Node table.
//
// Reads one serialized message with google::protobuf::io::CodedInputStream
// over the caller's contiguous bytes: strings and bytes are handed to the
// FieldWriter as views into those bytes (never copied into protobuf
// objects, which would allocate). Fields the schema does not name are
// skipped unread, whatever they hold (secrets, opaque data).
//
// Errors stop the scan; what was handed to the writer before stays there:
//  - a truncated varint, tag, fixed field, string or sub-message;
//  - a length beyond the enclosing message;
//  - wire type 6 or 7, a stray end-group, a zero field number;
//  - a known field with a wire type other than its declared one (protobuf
//    itself would file it under unknown fields; on the Mesos wire it is a
//    sign of a hand-made or corrupted body);
//  - nesting deeper than kMaxProtoDepth (the schema itself is shallower;
//    unknown groups are skipped with protobuf's recursion limit set to it).
#include <cstddef>
#include <cstdint>
#include <span>

#include "decoders/libprocess/field_writer.h"
#include "decoders/libprocess/schema.h"

namespace segward::mesos {

inline constexpr int kMaxProtoDepth = 24;

struct ProtoScanResult {
  bool ok = true;
  std::size_t error_offset = 0;  // where the scan stopped, when !ok
};

/// Scans `body` as one `root` message. Calls writer.begin() for the root
/// first and writer.end() when the whole body was read.
ProtoScanResult scan_protobuf(std::span<const std::uint8_t> body, const schema::Node& root,
                              FieldWriter& writer) noexcept;

}  // namespace segward::mesos
