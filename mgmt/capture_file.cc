#include "mgmt/capture_file.h"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <memory>

namespace segward::mgmt {

CaptureScan scan_capture(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw CaptureError(path + ": no such capture file");
  if (!S_ISREG(st.st_mode)) throw CaptureError(path + ": not a regular file");
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, decltype(&pcap_close)> pcap(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err), &pcap_close);
  if (!pcap) throw CaptureError(path + ": byte 0: not a readable pcap or pcapng capture (" + err + ")");
  if (pcap_datalink(pcap.get()) != DLT_EN10MB) {
    const char* name = pcap_datalink_val_to_name(pcap_datalink(pcap.get()));
    throw CaptureError(path + ": link type " + (name ? name : std::to_string(pcap_datalink(pcap.get()))) +
                       " is not supported: segward replays Ethernet captures (capture on an interface, not 'any')");
  }
  CaptureScan scan;
  std::FILE* file = pcap_file(pcap.get());
  for (;;) {
    const long offset = file ? std::ftell(file) : -1;
    pcap_pkthdr* header = nullptr;
    const std::uint8_t* data = nullptr;
    const int rc = pcap_next_ex(pcap.get(), &header, &data);
    if (rc == PCAP_ERROR_BREAK) break;  // end of file
    if (rc != 1) {
      throw CaptureError(path + ": record " + std::to_string(scan.packets + 1) + " at byte " +
                         std::to_string(offset) + ": " + pcap_geterr(pcap.get()));
    }
    const std::uint64_t ns = static_cast<std::uint64_t>(header->ts.tv_sec) * 1'000'000'000ULL +
                             static_cast<std::uint64_t>(header->ts.tv_usec);  // nanosecond precision
    if (scan.packets == 0) scan.first_ns = ns;
    scan.last_ns = ns;
    ++scan.packets;
    scan.bytes += header->len;
  }
  return scan;
}

}  // namespace segward::mgmt
