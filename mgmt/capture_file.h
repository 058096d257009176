#pragma once
// Checks a capture file before it is replayed, so a damaged or foreign file
// gets a located one-line error instead of a silent partial replay.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace segward::mgmt {

class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CaptureScan {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t first_ns = 0;
  std::uint64_t last_ns = 0;
};

// Reads every record with libpcap (pcap and pcapng). Throws CaptureError for
// an unreadable file, a non-capture file, a link type other than Ethernet, or
// a truncated record ("FILE: record N at byte B: ...").
CaptureScan scan_capture(const std::string& path);

}  // namespace segward::mgmt
