#include "dataplane/flow_memory.h"

#include <rte_eal.h>
#include <rte_malloc.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "platform/startup_error.h"

namespace segward::dataplane {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

}  // namespace

FlowMemory::FlowMemory(const char* what, std::size_t bytes, int socket_id) {
  if (bytes == 0) bytes = 64;
  if (rte_eal_has_hugepages() != 0) {
    data_ = rte_zmalloc_socket(what, bytes, 128, socket_id);  // a Flow in one 128-byte block
    if (data_ == nullptr) {
      throw StartupError(std::string("cannot allocate ") + std::to_string(bytes) + " bytes for the " + what +
                         " (lower flow.capacity or give the EAL more memory with -m)");
    }
    return;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  map_bytes_ = rounded + kHugePage;  // room to align the start to 2 MiB
  map_ = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    map_bytes_ = 0;
    throw StartupError(std::string("cannot map ") + std::to_string(bytes) + " bytes for the " + what + ": " +
                       std::strerror(errno) + " (lower flow.capacity)");
  }
  const auto start = (reinterpret_cast<std::uintptr_t>(map_) + kHugePage - 1) & ~(kHugePage - 1);
  data_ = reinterpret_cast<void*>(start);
  // Advice only: without transparent hugepages the arrays stay in 4 KiB pages.
  (void)madvise(data_, rounded, MADV_HUGEPAGE);
  std::memset(data_, 0, bytes);  // fault every page in now, not on the packet path
}

FlowMemory::~FlowMemory() {
  if (map_ != nullptr) {
    munmap(map_, map_bytes_);
  } else {
    rte_free(data_);
  }
}

}  // namespace segward::dataplane
