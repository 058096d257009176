#pragma once
// EVE JSON lines: each event rendered by protobuf's JSON printer with the
// proto field names (Suricata's), one object per line.
#include <cstdio>
#include <string>

#include "mgmt/proto/events.pb.h"

namespace segward::mgmt {

class EveWriter {
 public:
  // "-" writes to standard output. Throws std::runtime_error if it cannot open.
  explicit EveWriter(const std::string& path);
  ~EveWriter();
  EveWriter(const EveWriter&) = delete;
  EveWriter& operator=(const EveWriter&) = delete;

  void write(const events::Event& event);
  void flush();
  [[nodiscard]] std::uint64_t written() const { return written_; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::FILE* out_ = nullptr;
  bool owned_ = false;
  std::string line_;
  std::uint64_t written_ = 0;
};

// Protobuf's canonical JSON quotes 64-bit integers; EVE consumers expect
// numbers. Rewrites `"name":"123"` to `"name":123` for the 64-bit integer
// fields of events.proto (names taken from its descriptors).
void unquote_int64_fields(std::string& json);

// Suricata's EVE timestamp: 2026-11-24T11:31:09.123456+0000 (UTC).
std::string format_eve_time(std::uint64_t ns_since_epoch);

}  // namespace segward::mgmt
