#pragma once
// EVE JSON lines: each event rendered by protobuf's JSON printer with the
// proto field names (Suricata's), one object per line.
#include <cstdint>
#include <string>
#include <string_view>

#include "mgmt/output_file.h"

#include "mgmt/proto/events.pb.h"

namespace segward::mgmt {

class EveWriter {
 public:
  // "-" writes to standard output. Throws std::runtime_error if it cannot open.
  explicit EveWriter(const std::string& path, RotationPolicy rotation = {});
  ~EveWriter();
  EveWriter(const EveWriter&) = delete;
  EveWriter& operator=(const EveWriter&) = delete;

  void write(const events::Event& event);
  void flush() { (void)file_.flush(); }
  // SIGHUP: open the path again (logrotate moved the file away).
  bool reopen() { return file_.reopen(); }
  // Each management loop pass: rotation by age.
  void tick(std::uint64_t now_s) { file_.tick(now_s); }
  // Events written whole (a failed write is counted in write_errors()).
  [[nodiscard]] std::uint64_t written() const { return written_; }
  [[nodiscard]] std::uint64_t write_errors() const { return file_.write_errors(); }
  // The JSON of the event written last (no newline), for the other outputs.
  [[nodiscard]] std::string_view last_json() const {
    return std::string_view(line_).substr(0, line_.empty() ? 0 : line_.size() - 1);
  }
  [[nodiscard]] const std::string& path() const { return file_.path(); }
  [[nodiscard]] std::uint64_t rotations() const { return file_.rotations(); }

 private:
  OutputFile file_;
  std::string line_;
  std::uint64_t written_ = 0;
};

// Protobuf's canonical JSON quotes 64-bit integers; EVE consumers expect
// numbers. Rewrites `"name":"123"` to `"name":123` for the 64-bit integer
// fields of events.proto (mgmt/api/json_numbers.h).
void unquote_int64_fields(std::string& json);

// Suricata's EVE timestamp: 2026-11-24T11:31:09.123456+0000 (UTC).
std::string format_eve_time(std::uint64_t ns_since_epoch);

// Now, as nanoseconds since the epoch (what format_eve_time takes).
std::uint64_t wall_now_ns();

}  // namespace segward::mgmt
