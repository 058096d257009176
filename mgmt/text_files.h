#pragma once
// Small file and text helpers the management plane shares.
#include <string>

namespace segward::mgmt {

// Replaces `path` with `text`: written to PATH.tmp, flushed, renamed over
// PATH, so a reader (or a restart) sees the old file or the new, never half.
// Throws std::runtime_error with the path and the system's reason.
void write_file_atomically(const std::string& path, const std::string& text);

// The first 16 hex digits of the SHA-256 of `text`: a version to compare.
std::string short_sha256(const std::string& text);

}  // namespace segward::mgmt
