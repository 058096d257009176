#include "mgmt/output_file.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "platform/log.h"

namespace segward::mgmt {
namespace {

std::uint64_t wall_s() { return static_cast<std::uint64_t>(std::time(nullptr)); }

}  // namespace

OutputFile::OutputFile(std::string path, RotationPolicy rotation, std::string what)
    : path_(std::move(path)), rotation_(rotation), what_(std::move(what)) {
  if (path_ == "-") {
    out_ = stdout;
    return;
  }
  out_ = std::fopen(path_.c_str(), "a");
  if (out_ == nullptr) throw std::runtime_error(path_ + ": cannot open " + what_ + ": " + std::strerror(errno));
  owned_ = true;
  struct stat st {};
  if (::fstat(fileno(out_), &st) == 0) bytes_ = static_cast<std::uint64_t>(st.st_size);
  opened_s_ = wall_s();
}

OutputFile::~OutputFile() {
  flush();
  if (owned_) std::fclose(out_);
}

bool OutputFile::write(std::string_view data, std::uint64_t now_s) {
  if (owned_ && rotation_.max_bytes != 0 && bytes_ != 0 && bytes_ + data.size() > rotation_.max_bytes) rotate(now_s);
  const std::size_t n = std::fwrite(data.data(), 1, data.size(), out_);
  bytes_ += n;
  if (n != data.size()) return failed("write");
  return true;
}

bool OutputFile::flush() {
  if (std::fflush(out_) != 0) return failed("flush");
  // Only a flush shows the bytes reached the file: a write may just have
  // gone into stdio's buffer, and logging a recovery then would alternate
  // with the next flush's failure.
  succeeded();
  return true;
}

bool OutputFile::failed(const char* doing) {
  ++write_errors_;
  if (!failing_) {
    platform::log_error(path_ + ": cannot " + doing + " " + what_ + " (" + std::strerror(errno) +
                        "); what it could not write is lost, and counted, until writing works again");
  }
  failing_ = true;
  std::clearerr(out_);  // so that the next write tries again
  return false;
}

void OutputFile::succeeded() {
  if (failing_) {
    platform::log_warning(path_ + ": " + what_ + " writable again after " + std::to_string(write_errors_) +
                          " write errors so far");
  }
  failing_ = false;
}

void OutputFile::tick(std::uint64_t now_s) {
  if (owned_ && rotation_.max_age_s != 0 && bytes_ != 0 && now_s >= opened_s_ + rotation_.max_age_s) rotate(now_s);
}

bool OutputFile::reopen() {
  if (!owned_) return true;
  std::fflush(out_);
  std::FILE* fresh = std::fopen(path_.c_str(), "a");
  if (fresh == nullptr) {
    platform::log_error(path_ + ": cannot reopen " + what_ + " (" + std::strerror(errno) +
                        "); still writing to the file it had open");
    return false;
  }
  std::fclose(out_);
  out_ = fresh;
  struct stat st {};
  bytes_ = ::fstat(fileno(out_), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
  opened_s_ = wall_s();
  return true;
}

void OutputFile::rotate(std::uint64_t now_s) {
  std::fflush(out_);
  // PATH.(keep-1) -> PATH.keep (the oldest, PATH.keep, is replaced), ..., PATH -> PATH.1.
  const std::uint32_t keep = rotation_.keep == 0 ? 1 : rotation_.keep;
  for (std::uint32_t i = keep; i > 1; --i) {
    const std::string from = path_ + "." + std::to_string(i - 1);
    std::rename(from.c_str(), (path_ + "." + std::to_string(i)).c_str());  // absent files: nothing to move
  }
  if (std::rename(path_.c_str(), (path_ + ".1").c_str()) != 0) {
    platform::log_error(path_ + ": cannot rotate " + what_ + " (" + std::strerror(errno) + "); appending on");
    opened_s_ = now_s;  // try again after another period, not on every write
    return;
  }
  if (!reopen()) return;
  opened_s_ = now_s;
  ++rotations_;
}

}  // namespace segward::mgmt
