#include "dataplane/event_ring.h"

#include <rte_errno.h>

#include "platform/startup_error.h"

namespace segward::dataplane {

EventRing::EventRing(const std::string& name, unsigned size, int socket_id) {
  ring_ = rte_ring_create_elem(name.c_str(), sizeof(DataplaneEvent), rte_align32pow2(size), socket_id,
                               RING_F_SP_ENQ | RING_F_SC_DEQ);
  if (ring_ == nullptr) {
    throw StartupError("cannot create event ring '" + name + "': " + rte_strerror(rte_errno));
  }
}

EventRing::~EventRing() { rte_ring_free(ring_); }

}  // namespace segward::dataplane
