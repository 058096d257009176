#pragma once
// An append-only output file (EVE lines, protobuf records) that can be
// reopened (SIGHUP, after logrotate moved it) and rotates itself by size
// and/or age: PATH -> PATH.1 -> PATH.2 ... up to `keep` old files, then a
// fresh PATH. "-" is standard output, never rotated.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace segward::mgmt {

struct RotationPolicy {
  std::uint64_t max_bytes = 0;    // 0: no size limit
  std::uint64_t max_age_s = 0;    // 0: no time limit
  std::uint32_t keep = 10;        // rotated files kept (PATH.1 newest)
};

class OutputFile {
 public:
  // Throws std::runtime_error naming the path if it cannot open.
  OutputFile(std::string path, RotationPolicy rotation, std::string what);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Appends `data`; records (lines) are never split across files: a
  // rotation happens before a write that would pass the size limit.
  // False when the record could not be written whole (disk full, I/O
  // error): counted in write_errors(), and logged once per run of failures.
  bool write(std::string_view data, std::uint64_t now_s);
  // False when buffered records could not be written; counted likewise.
  bool flush();
  // Closes and opens PATH again (a moved file is left to whoever moved it).
  // On failure keeps writing to the old descriptor and returns false.
  bool reopen();
  // Rotates now if the age limit has passed (the management loop calls it
  // each pass, so an idle file rotates too).
  void tick(std::uint64_t now_s);

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::uint64_t rotations() const { return rotations_; }
  // Writes and flushes that failed since start-up (each a lost record or more).
  [[nodiscard]] std::uint64_t write_errors() const { return write_errors_; }

 private:
  void open_fresh(std::uint64_t now_s);
  void rotate(std::uint64_t now_s);
  bool failed(const char* doing);  // counts, logs the first of a run, clears the stream's error
  void succeeded();

  std::string path_;
  RotationPolicy rotation_;
  std::string what_;
  std::FILE* out_ = nullptr;
  bool owned_ = false;
  std::uint64_t bytes_ = 0;       // in the current file
  std::uint64_t opened_s_ = 0;
  std::uint64_t rotations_ = 0;
  std::uint64_t write_errors_ = 0;
  bool failing_ = false;  // the last write or flush failed
};

}  // namespace segward::mgmt
