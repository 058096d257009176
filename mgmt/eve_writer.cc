#include "mgmt/eve_writer.h"

#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <set>
#include <stdexcept>

namespace segward::mgmt {
namespace {

void collect_int64_names(const google::protobuf::Descriptor* d, std::set<std::string>& names,
                         std::set<const google::protobuf::Descriptor*>& seen) {
  if (!seen.insert(d).second) return;
  using FD = google::protobuf::FieldDescriptor;
  for (int i = 0; i < d->field_count(); ++i) {
    const FD* f = d->field(i);
    switch (f->cpp_type()) {
      case FD::CPPTYPE_INT64:
      case FD::CPPTYPE_UINT64: names.insert('"' + f->name() + "\":\""); break;
      case FD::CPPTYPE_MESSAGE: collect_int64_names(f->message_type(), names, seen); break;
      default: break;
    }
    // map<string, uint64> values print as "key":"123" under arbitrary keys.
    if (f->is_map() && f->message_type()->map_value()->cpp_type() == FD::CPPTYPE_UINT64) {
      names.insert("map:" + f->name());
    }
  }
}

const std::set<std::string>& int64_field_prefixes() {
  static const std::set<std::string> names = [] {
    std::set<std::string> n;
    std::set<const google::protobuf::Descriptor*> seen;
    collect_int64_names(events::Event::descriptor(), n, seen);
    return n;
  }();
  return names;
}

// Removes the quotes around a run of digits starting at json[pos] (just past
// an opening quote), if the string is all digits.
bool unquote_digits_at(std::string& json, std::size_t pos) {
  std::size_t end = pos;
  while (end < json.size() && json[end] >= '0' && json[end] <= '9') ++end;
  if (end == pos || end >= json.size() || json[end] != '"') return false;
  json.erase(end, 1);
  json.erase(pos - 1, 1);
  return true;
}

}  // namespace

void unquote_int64_fields(std::string& json) {
  for (const std::string& prefix : int64_field_prefixes()) {
    if (prefix.starts_with("map:")) {
      // "errors":{"a":"1","b":"2"}: unquote every value inside the object.
      const std::string key = '"' + prefix.substr(4) + "\":{";
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
      continue;
    }
    for (std::size_t at = json.find(prefix); at != std::string::npos; at = json.find(prefix, at + 1)) {
      unquote_digits_at(json, at + prefix.size());
    }
  }
}

std::string format_eve_time(std::uint64_t ns) {
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000ULL);
  const unsigned micros = static_cast<unsigned>((ns % 1'000'000'000ULL) / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  const std::size_t len = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + len, sizeof buf - len, ".%06u+0000", micros);
  return buf;
}

EveWriter::EveWriter(const std::string& path) : path_(path) {
  if (path == "-") {
    out_ = stdout;
  } else {
    out_ = std::fopen(path.c_str(), "a");
    if (out_ == nullptr) throw std::runtime_error(path + ": cannot open EVE output: " + std::strerror(errno));
    owned_ = true;
  }
}

EveWriter::~EveWriter() {
  flush();
  if (owned_) std::fclose(out_);
}

void EveWriter::write(const events::Event& event) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // Absent top-level fields stay absent; counters are `optional` in the schema,
  // so zero counters still print.
  options.always_print_primitive_fields = false;
  line_.clear();
  (void)google::protobuf::util::MessageToJsonString(event, &line_, options);
  unquote_int64_fields(line_);
  line_.push_back('\n');
  std::fwrite(line_.data(), 1, line_.size(), out_);
  ++written_;
}

void EveWriter::flush() { std::fflush(out_); }

}  // namespace segward::mgmt
