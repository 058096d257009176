#include "mgmt/evidence_writer.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <vector>

#include "mgmt/pcapng_file.h"
#include "platform/log.h"
#include "platform/startup_error.h"

namespace segward::mgmt {
namespace fs = std::filesystem;
namespace {

// An evidence file's name: digits, ".pcapng", perhaps ".part".
bool is_evidence_name(const std::string& name) {
  const std::size_t digits = name.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string::npos) return false;
  const std::string rest = name.substr(digits);
  return rest == ".pcapng" || rest == ".pcapng.part";
}

std::string utc_now_compact() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Alert ids start again with each run: what an earlier run left must not
// pass for this run's evidence, nor be overwritten by it.
void move_earlier_run(const std::string& dir) {
  std::vector<fs::path> earlier;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && is_evidence_name(entry.path().filename().string())) earlier.push_back(entry.path());
  }
  if (earlier.empty()) return;
  fs::path aside = fs::path(dir) / ("earlier-" + utc_now_compact());
  for (int n = 1; fs::exists(aside); ++n) aside = fs::path(dir) / ("earlier-" + utc_now_compact() + "-" + std::to_string(n));
  fs::create_directory(aside);
  for (const auto& p : earlier) fs::rename(p, aside / p.filename());
  platform::log_notice("evidence: " + std::to_string(earlier.size()) + " files of an earlier run moved to " +
                       aside.string());
}

}  // namespace

std::string evidence_file_name(std::uint64_t alert_id) { return std::to_string(alert_id) + ".pcapng"; }

EvidenceWriter::EvidenceWriter(std::string dir) : dir_(std::move(dir)) {
  try {
    fs::create_directories(dir_);
    if (!fs::is_directory(dir_)) throw StartupError("evidence.dir " + dir_ + ": not a directory");
    if (::access(dir_.c_str(), W_OK | X_OK) != 0) {
      throw StartupError("evidence.dir " + dir_ + ": cannot write there: " + std::strerror(errno));
    }
    move_earlier_run(dir_);
  } catch (const fs::filesystem_error& e) {
    throw StartupError("evidence.dir " + dir_ + ": " + e.code().message() +
                       (e.path1().empty() ? std::string() : " (" + e.path1().string() + ")"));
  }
}

EvidenceWriter::~EvidenceWriter() { finish_all(); }

std::string EvidenceWriter::part_path(std::uint64_t alert_id) const {
  return (fs::path(dir_) / (evidence_file_name(alert_id) + ".part")).string();
}

std::string EvidenceWriter::evidence_path(std::uint64_t alert_id) const {
  const fs::path path = fs::path(dir_) / evidence_file_name(alert_id);
  std::error_code ec;
  return fs::is_regular_file(path, ec) ? path.string() : std::string();
}

unsigned EvidenceWriter::drain(dataplane::EvidenceRing& ring, unsigned limit) {
  unsigned moved = 0;
  while (moved < limit) {
    const unsigned n = ring.pop(batch_.get(), kBatch);
    for (unsigned i = 0; i < n; ++i) add(batch_[i]);
    moved += n;
    if (n < kBatch) break;
  }
  return moved;
}

void EvidenceWriter::add(const dataplane::EvidenceRecord& r) {
  File& file = file_for(r);
  if (!file.failed && (r.flags & dataplane::kEvidenceNoPacket) == 0 && reopen(r.alert_id, file)) {
    const dataplane::CapturedPacket& p = r.packet;
    const std::string comment = (r.flags & dataplane::kEvidenceAlerting) != 0
                                    ? "the packet alert " + std::to_string(r.alert_id) + " was raised on"
                                    : std::string();
    if (!pcapng::write_packet(file.handle, 0, p.timestamp_ns, p.orig_len, {p.bytes, p.cap_len}, comment)) {
      fail(r.alert_id, file, "cannot write");
    }
  }
  if ((r.flags & dataplane::kEvidenceLast) != 0) complete(r.alert_id, file);
}

EvidenceWriter::File& EvidenceWriter::file_for(const dataplane::EvidenceRecord& r) {
  const auto [it, created] = files_.try_emplace(r.alert_id);
  File& file = it->second;
  file.last_used = ++uses_;
  if (!created) return file;
  if (!reopen(r.alert_id, file)) return file;
  const std::string comment = "segward evidence of alert " + std::to_string(r.alert_id) + " (signature_id " +
                              std::to_string(r.rule_id) + ", flow_id " + std::to_string(r.flow_id) + ")";
  if (!pcapng::write_section_header(file.handle, comment, "segward") ||
      !pcapng::write_interface(file.handle, pcapng::kLinkEthernet, dataplane::kEvidenceSnapBytes, "segward")) {
    fail(r.alert_id, file, "cannot write");
  }
  return file;
}

bool EvidenceWriter::reopen(std::uint64_t alert_id, File& file) {
  if (file.failed) return false;
  if (file.handle != nullptr) return true;
  if (handles_ >= kMaxHandles) {
    // The one least recently written to gives its descriptor up.
    File* oldest = nullptr;
    for (auto& [id, f] : files_) {
      if (f.handle != nullptr && (oldest == nullptr || f.last_used < oldest->last_used)) oldest = &f;
    }
    if (oldest != nullptr) {
      std::fclose(oldest->handle);
      oldest->handle = nullptr;
      --handles_;
    }
  }
  // A new file starts empty; one closed for lack of descriptors is continued.
  file.handle = std::fopen(part_path(alert_id).c_str(), file.opened ? "ab" : "wb");
  if (file.handle == nullptr) {
    fail(alert_id, file, "cannot open");
    return false;
  }
  file.opened = true;
  ++handles_;
  return true;
}

void EvidenceWriter::fail(std::uint64_t alert_id, File& file, const std::string& what) {
  platform::log_warning("evidence: " + what + " " + part_path(alert_id) + ": " + std::strerror(errno));
  write_errors_.fetch_add(1, std::memory_order_relaxed);
  file.failed = true;
  if (file.handle != nullptr) {
    std::fclose(file.handle);
    file.handle = nullptr;
    --handles_;
  }
}

void EvidenceWriter::complete(std::uint64_t alert_id, File& file) {
  const std::string part = part_path(alert_id);
  if (file.handle != nullptr) {
    const bool closed = std::fclose(file.handle) == 0;
    file.handle = nullptr;
    --handles_;
    if (!closed && !file.failed) fail(alert_id, file, "cannot write");
  }
  std::error_code ec;
  if (file.failed) {
    fs::remove(part, ec);  // half a file is no evidence
  } else {
    fs::rename(part, fs::path(dir_) / evidence_file_name(alert_id), ec);
    if (ec) {
      platform::log_warning("evidence: cannot rename " + part + ": " + ec.message());
      write_errors_.fetch_add(1, std::memory_order_relaxed);
    } else {
      files_written_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  files_.erase(alert_id);
}

void EvidenceWriter::finish_all() {
  std::vector<std::uint64_t> open;
  open.reserve(files_.size());
  for (const auto& [id, f] : files_) open.push_back(id);
  for (const std::uint64_t id : open) complete(id, files_.at(id));
}

}  // namespace segward::mgmt
