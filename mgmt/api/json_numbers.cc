#include "mgmt/api/json_numbers.h"

namespace segward::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

void collect(const Descriptor* d, std::set<std::string>& keys, std::set<std::string>& map_keys,
             std::set<const Descriptor*>& seen) {
  if (!seen.insert(d).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT64:
      case FieldDescriptor::CPPTYPE_UINT64: keys.insert('"' + f->name() + "\":\""); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: collect(f->message_type(), keys, map_keys, seen); break;
      default: break;
    }
    // map<string, uint64> values print as "key":"123" under arbitrary keys.
    if (f->is_map() && f->message_type()->map_value()->cpp_type() == FieldDescriptor::CPPTYPE_UINT64) {
      map_keys.insert('"' + f->name() + "\":{");
    }
  }
}

// Removes the quotes around a run of digits starting at json[pos] (just past
// an opening quote), if the string is all digits.
void unquote_digits_at(std::string& json, std::size_t pos) {
  std::size_t end = pos;
  while (end < json.size() && json[end] >= '0' && json[end] <= '9') ++end;
  if (end == pos || end >= json.size() || json[end] != '"') return;
  json.erase(end, 1);
  json.erase(pos - 1, 1);
}

}  // namespace

Int64JsonFields::Int64JsonFields(const Descriptor* root) {
  std::set<const Descriptor*> seen;
  collect(root, keys_, map_keys_, seen);
}

void Int64JsonFields::unquote(std::string& json) const {
  // Scalars first, then maps: the order EVE output has always had.
  for (const std::string& key : keys_) {
    for (std::size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
      unquote_digits_at(json, at + key.size());
    }
  }
  for (const std::string& key : map_keys_) {
    // "errors":{"a":"1","b":"2"}: unquote every value inside the object.
    for (std::size_t at = json.find(key); at != std::string::npos; at = json.find(key, at + 1)) {
      std::size_t i = at + key.size();
      while (i < json.size() && json[i] != '}') {
        const std::size_t colon = json.find("\":\"", i);
        const std::size_t close = json.find('}', i);
        if (colon == std::string::npos || colon > close) break;
        unquote_digits_at(json, colon + 3);
        i = colon + 2;
      }
    }
  }
}

}  // namespace segward::api
