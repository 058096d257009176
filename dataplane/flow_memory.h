#pragma once
// Memory for the flow table's arrays (entries, index buckets), allocated once
// at start-up and zeroed.
//
// With hugepages, this is DPDK memory on the worker's socket. Without them
// (the EAL's --no-huge, e.g. in a container), DPDK's heap sits in 4 KiB pages
// and every flow lookup is a TLB miss or two (a 65,536-flow table spans 2,300
// pages); there the arrays are mapped by us instead, aligned to 2 MiB and
// madvise(MADV_HUGEPAGE)d so the kernel backs them with transparent
// hugepages where it has them, and written once so no page is faulted in on
// the packet path.
#include <cstddef>

namespace segward::dataplane {

class FlowMemory {
 public:
  // Throws StartupError naming `what` when the memory cannot be had.
  FlowMemory(const char* what, std::size_t bytes, int socket_id);
  ~FlowMemory();
  FlowMemory(const FlowMemory&) = delete;
  FlowMemory& operator=(const FlowMemory&) = delete;

  [[nodiscard]] void* get() const { return data_; }
  // True when the kernel was asked for transparent hugepages (no-huge EAL).
  [[nodiscard]] bool mapped() const { return map_bytes_ != 0; }

 private:
  void* data_ = nullptr;
  void* map_ = nullptr;  // the mapping, when not from DPDK
  std::size_t map_bytes_ = 0;
};

}  // namespace segward::dataplane
