#include "mgmt/eve_writer.h"

#include <google/protobuf/util/json_util.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "mgmt/api/json_numbers.h"

namespace segward::mgmt {

void unquote_int64_fields(std::string& json) {
  static const api::Int64JsonFields fields(events::Event::descriptor());
  fields.unquote(json);
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

std::uint64_t wall_now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

EveWriter::EveWriter(const std::string& path, RotationPolicy rotation)
    : file_(path, rotation, "EVE output") {}

EveWriter::~EveWriter() = default;

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
  if (file_.write(line_, static_cast<std::uint64_t>(std::time(nullptr)))) ++written_;
}


}  // namespace segward::mgmt
