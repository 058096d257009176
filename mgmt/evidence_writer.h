#pragma once
// Alert evidence on the management thread: the packets workers hand over
// (dataplane/evidence/evidence_recorder.h) become one pcapng file per alert,
// `<dir>/<alert id>.pcapng`. A file is written as its packets arrive under
// `<id>.pcapng.part` and renamed when the evidence is complete (the
// `packets_after` packets seen, the flow ended or segward stopped), so that
// `<id>.pcapng` is always whole. The alert's EVE line names that file as
// soon as the alert is raised; it appears once complete.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>

#include "dataplane/evidence/evidence_record.h"

namespace segward::mgmt {

// "<alert id>.pcapng": the name of an alert's evidence in the evidence directory.
std::string evidence_file_name(std::uint64_t alert_id);

class EvidenceWriter {
 public:
  // Creates `dir` if needed. Evidence files of an earlier run there (whose
  // alert ids this run reuses) are moved into a subdirectory
  // `earlier-<time>`. Throws StartupError when `dir` cannot be made or written.
  explicit EvidenceWriter(std::string dir);
  ~EvidenceWriter();
  EvidenceWriter(const EvidenceWriter&) = delete;
  EvidenceWriter& operator=(const EvidenceWriter&) = delete;

  // Writes one record to its alert's file (opening it first if need be).
  void add(const dataplane::EvidenceRecord& record);
  // Moves up to `limit` records from a worker's ring to their files; returns how many.
  unsigned drain(dataplane::EvidenceRing& ring, unsigned limit = 4096);
  // Completes every evidence still open (at exit, after the workers ended).
  void finish_all();

  // The complete evidence file of `alert_id`, or "" when there is none
  // (yet). Safe from any thread: reads only the file system.
  [[nodiscard]] std::string evidence_path(std::uint64_t alert_id) const;
  [[nodiscard]] const std::string& dir() const { return dir_; }

  [[nodiscard]] std::uint64_t files_written() const { return files_written_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t write_errors() const { return write_errors_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::size_t files_open() const { return files_.size(); }

 private:
  struct File {
    std::FILE* handle = nullptr;  // null: closed to save descriptors (reopened to append), or failed
    bool failed = false;
    bool opened = false;          // the file exists: reopen to append
    std::uint64_t last_used = 0;
  };
  // Descriptors kept at most; an evidence beyond them is closed between its
  // records (a burst of alerts must not run the process out of descriptors).
  static constexpr std::size_t kMaxHandles = 64;

  File& file_for(const dataplane::EvidenceRecord& record);
  bool reopen(std::uint64_t alert_id, File& file);
  void complete(std::uint64_t alert_id, File& file);
  void fail(std::uint64_t alert_id, File& file, const std::string& what);
  [[nodiscard]] std::string part_path(std::uint64_t alert_id) const;

  std::string dir_;
  std::unordered_map<std::uint64_t, File> files_;  // by alert id: the evidence being written
  std::size_t handles_ = 0;
  std::uint64_t uses_ = 0;
  std::atomic<std::uint64_t> files_written_{0};
  std::atomic<std::uint64_t> write_errors_{0};
  static constexpr unsigned kBatch = 32;
  std::unique_ptr<dataplane::EvidenceRecord[]> batch_ = std::make_unique<dataplane::EvidenceRecord[]>(kBatch);
};

}  // namespace segward::mgmt
