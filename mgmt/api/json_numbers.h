#pragma once
// Protobuf's canonical JSON quotes 64-bit integers ("bytes":"123") because
// JavaScript's numbers cannot hold them all; segward's readers (EVE
// consumers, the REST API's clients, jq) expect numbers, and counters stay
// far below 2^53 in practice. This rewrites `"name":"123"` to `"name":123`
// for the 64-bit integer fields of one message type and every message it
// contains, names taken from the descriptors, so a new field needs nothing.
#include <set>
#include <string>

#include <google/protobuf/descriptor.h>

namespace segward::api {

class Int64JsonFields {
 public:
  explicit Int64JsonFields(const google::protobuf::Descriptor* root);

  // `json`: the printer's output for a message of the root type. Only
  // all-digit strings are touched, so a string field that shares a name
  // with a 64-bit one elsewhere keeps its quotes unless it holds digits only.
  // One pass over the text, whatever the number of fields.
  void unquote(std::string& json) const;

 private:
  // std::less<>: looked up by string_view, straight from the text.
  std::set<std::string, std::less<>> names_;      // 64-bit integer fields
  std::set<std::string, std::less<>> map_names_;  // map<string, uint64> fields
};

}  // namespace segward::api
