#include "mgmt/api/json_numbers.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace segward::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

void collect(const Descriptor* d, std::set<std::string, std::less<>>& names,
             std::set<std::string, std::less<>>& map_names, std::set<const Descriptor*>& seen) {
  if (!seen.insert(d).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT64: names.insert(f->name()); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: collect(f->message_type(), names, map_names, seen); break;
      default: break;
    }
    // map<string, uint64> values print as "key":"123" under arbitrary keys.
    if (f->is_map() && f->message_type()->map_value()->cpp_type() == FieldDescriptor::CPPTYPE_UINT64) {
      map_names.insert(f->name());
    }
  }
}

// The index of the quote that closes the string whose opening quote is at
// `open`, or `n` if it is not closed.
std::size_t string_end(const char* s, std::size_t open, std::size_t n) {
  for (std::size_t i = open + 1; i < n; ++i) {
    if (s[i] == '\\') {
      ++i;  // the escaped character, whatever it is
    } else if (s[i] == '"') {
      return i;
    }
  }
  return n;
}

bool all_digits(std::string_view v) {
  if (v.empty()) return false;
  for (const char c : v) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Int64JsonFields::Int64JsonFields(const Descriptor* root) {
  std::set<const Descriptor*> seen;
  collect(root, names_, map_names_, seen);
}

void Int64JsonFields::unquote(std::string& json) const {
  // Removing quotes only shortens the text, so it is rewritten in place: `r`
  // reads, `w` writes, w <= r. Looking each key up as the pass meets it
  // costs the same for 10 fields or 300 (searching the text for every
  // field's name cost ~0.5 M instructions per EVE line).
  char* s = json.data();
  const std::size_t n = json.size();
  std::size_t r = 0, w = 0;
  bool int64_value = false;  // the last key names a 64-bit field: its value is next
  bool map_opens = false;    // the last key names a uint64 map: the next '{' opens it
  // Per open object (64 levels kept; the schema nests far less), whether it
  // is a uint64 map, whose every value is a number.
  std::uint64_t map_levels = 0;
  unsigned depth = 0;
  while (r < n) {
    const char c = s[r];
    if (c != '"') {
      if (c == '{') {
        if (depth < 64 && map_opens) map_levels |= std::uint64_t{1} << depth;
        ++depth;
      } else if (c == '}' && depth > 0) {
        --depth;
        if (depth < 64) map_levels &= ~(std::uint64_t{1} << depth);
      }
      if (c != ':' && c != ' ') int64_value = map_opens = false;
      s[w++] = c;
      ++r;
      continue;
    }
    const std::size_t end = string_end(s, r, n);
    if (end == n) {  // unterminated: copy the rest as it is
      std::memmove(s + w, s + r, n - r);
      w += n - r;
      break;
    }
    const std::string_view body(s + r + 1, end - r - 1);
    const bool is_key = end + 1 < n && s[end + 1] == ':';
    const bool in_map = depth > 0 && depth <= 64 && (map_levels >> (depth - 1) & 1) != 0;
    const bool unquoted = !is_key && (int64_value || in_map) && all_digits(body);
    // Before the move, which may overwrite the text `body` points into.
    int64_value = is_key && names_.contains(body);
    map_opens = is_key && map_names_.contains(body);
    if (unquoted) {
      std::memmove(s + w, body.data(), body.size());
      w += body.size();
    } else {
      std::memmove(s + w, s + r, end + 1 - r);
      w += end + 1 - r;
    }
    r = end + 1;
  }
  json.resize(w);
}

}  // namespace segward::api
