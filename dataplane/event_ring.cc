#include "dataplane/event_ring.h"

#include <rte_errno.h>

#include "platform/startup_error.h"

namespace segward::dataplane {

rte_ring* create_event_ring(const std::string& name, unsigned element_bytes, unsigned size, int socket_id) {
  rte_ring* ring = rte_ring_create_elem(name.c_str(), element_bytes, rte_align32pow2(size), socket_id,
                                        RING_F_SP_ENQ | RING_F_SC_DEQ);
  if (ring == nullptr) {
    throw StartupError("cannot create event ring '" + name + "': " + rte_strerror(rte_errno));
  }
  return ring;
}

}  // namespace segward::dataplane
