#pragma once
// Memory for the flow table's arrays (entries, index buckets, free list):
// DPDK memory on the worker's socket, allocated and zeroed once at start-up,
// freed with the table.
//
// (Backing them with transparent hugepages when the EAL runs --no-huge was
// tried for issue 2: no measurable difference at 10,000 or 60,000 flows, so
// the arrays stay in DPDK's heap.)
#include <cstddef>

namespace segward::dataplane {

class FlowMemory {
 public:
  // 128-byte aligned (a Flow is one 128-byte block). Throws StartupError
  // naming `what` and the setting to lower (`knob`) when the EAL has not
  // that much memory left.
  FlowMemory(const char* what, std::size_t bytes, int socket_id, const char* knob = "flow.capacity");
  ~FlowMemory();
  FlowMemory(const FlowMemory&) = delete;
  FlowMemory& operator=(const FlowMemory&) = delete;

  [[nodiscard]] void* get() const { return data_; }

 private:
  void* data_ = nullptr;
};

}  // namespace segward::dataplane
