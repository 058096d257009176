#include "dataplane/flow_memory.h"

#include <rte_malloc.h>

#include <string>

#include "platform/startup_error.h"

namespace segward::dataplane {

FlowMemory::FlowMemory(const char* what, std::size_t bytes, int socket_id, const char* knob)
    : data_(rte_zmalloc_socket(what, bytes == 0 ? 128 : bytes, 128, socket_id)) {
  if (data_ == nullptr) {
    throw StartupError(std::string("cannot allocate ") + std::to_string(bytes) + " bytes for the " + what +
                       " (lower " + knob + " or give the EAL more memory with -m)");
  }
}

FlowMemory::~FlowMemory() { rte_free(data_); }

}  // namespace segward::dataplane
