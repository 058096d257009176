#include "decoders/libprocess/proto_scan.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <bit>
#include <climits>
#include <string_view>

namespace segward::mesos {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;
using schema::Field;
using schema::Kind;
using schema::Node;

WireFormatLite::WireType wire_type_of(Kind kind) noexcept {
  switch (kind) {
    case Kind::kBool:
    case Kind::kEnum:
    case Kind::kInt: return WireFormatLite::WIRETYPE_VARINT;
    case Kind::kDouble: return WireFormatLite::WIRETYPE_FIXED64;
    case Kind::kMessage:
    case Kind::kString:
    case Kind::kBytes: break;
  }
  return WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
}

class Scanner {
 public:
  Scanner(std::span<const std::uint8_t> body, FieldWriter& writer) noexcept
      : base_(body.data()),
        size_(static_cast<int>(body.size() > INT_MAX ? INT_MAX : body.size())),
        in_(body.data(), size_),
        writer_(writer) {
    in_.SetRecursionLimit(kMaxProtoDepth);
  }

  // Scans fields until `end` (a position in the body) is reached.
  bool message(const Node& node, int end, int depth) noexcept {
    if (depth > kMaxProtoDepth) return false;
    while (in_.CurrentPosition() < end) {
      const std::uint32_t tag = in_.ReadTagNoLastTag();
      if (tag == 0) return false;  // truncated or malformed tag, or field number 0
      const int number = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
      const auto wire = WireFormatLite::GetTagWireType(tag);
      if (number == 0) return false;
      const Field* field = schema::find_field(node, number);
      if (field == nullptr) {
        if (wire == WireFormatLite::WIRETYPE_END_GROUP) return false;
        if (!WireFormatLite::SkipField(&in_, tag)) return false;
        if (in_.CurrentPosition() > end) return false;
        continue;
      }
      if (wire != wire_type_of(field->kind)) return false;
      if (!value(*field, end, depth)) return false;
    }
    return in_.CurrentPosition() == end;
  }

  [[nodiscard]] int position() const noexcept { return in_.CurrentPosition(); }
  [[nodiscard]] int size() const noexcept { return size_; }

 private:
  bool value(const Field& field, int end, int depth) noexcept {
    switch (field.kind) {
      case Kind::kBool:
      case Kind::kEnum:
      case Kind::kInt: {
        std::uint64_t v = 0;
        if (!in_.ReadVarint64(&v) || in_.CurrentPosition() > end) return false;
        writer_.on_varint(field, v);
        return true;
      }
      case Kind::kDouble: {
        std::uint64_t bits = 0;
        if (!in_.ReadLittleEndian64(&bits) || in_.CurrentPosition() > end) return false;
        writer_.on_double(field, std::bit_cast<double>(bits));
        return true;
      }
      case Kind::kString:
      case Kind::kBytes:
      case Kind::kMessage:
        break;
    }
    std::uint64_t length = 0;
    if (!in_.ReadVarint64(&length)) return false;
    const int start = in_.CurrentPosition();
    if (start > end) return false;
    const auto room = static_cast<std::uint64_t>(end - start);
    if (field.kind != Kind::kMessage) {
      if (length > room) return false;
      const int n = static_cast<int>(length);
      const std::string_view text(reinterpret_cast<const char*>(base_ + start), static_cast<std::size_t>(n));
      if (!in_.Skip(n)) return false;
      writer_.on_text(field, text, false);
      return true;
    }
    // A sub-message cut by the end of its parent: decode what is there, so
    // the fields before the cut are kept, then report the cut.
    const bool cut = length > room;
    const int sub_end = start + static_cast<int>(cut ? room : length);
    const auto limit = in_.PushLimit(sub_end - start);
    writer_.begin(field);
    const bool ok = message(*field.child, sub_end, depth + 1);
    in_.PopLimit(limit);
    if (!ok || cut) return false;
    writer_.end(field);
    return true;
  }

  const std::uint8_t* base_;
  int size_;
  CodedInputStream in_;
  FieldWriter& writer_;
};

}  // namespace

ProtoScanResult scan_protobuf(std::span<const std::uint8_t> body, const Node& root, FieldWriter& writer) noexcept {
  Scanner scanner(body, writer);
  const Field root_field = schema::message(0, "", root);
  writer.begin(root_field);
  ProtoScanResult result;
  result.ok = scanner.message(root, scanner.size(), 0);
  if (result.ok) {
    writer.end(root_field);
  } else {
    result.error_offset = static_cast<std::size_t>(scanner.position());
  }
  return result;
}

}  // namespace segward::mesos
