#pragma once
// The one channel from a worker to the management thread: a single-producer
// single-consumer rte_ring of fixed-size events, copied in place (no
// allocation, no pointers into worker memory).
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include <cstdint>
#include <string>

#include "dataplane/flow.h"

namespace segward::dataplane {

enum class EventKind : std::uint32_t { kFlowEnd = 1 };

struct DataplaneEvent {
  EventKind kind;
  std::uint32_t worker;
  FlowRecord flow;
};
static_assert(sizeof(DataplaneEvent) % 4 == 0);

class EventRing {
 public:
  EventRing(const std::string& name, unsigned size, int socket_id);
  ~EventRing();
  EventRing(const EventRing&) = delete;
  EventRing& operator=(const EventRing&) = delete;

  bool try_push(const DataplaneEvent& e) {
    return rte_ring_sp_enqueue_elem(ring_, const_cast<DataplaneEvent*>(&e), sizeof(DataplaneEvent)) == 0;
  }
  unsigned pop(DataplaneEvent* out, unsigned max) {
    return rte_ring_sc_dequeue_burst_elem(ring_, out, sizeof(DataplaneEvent), max, nullptr);
  }

 private:
  rte_ring* ring_ = nullptr;
};

}  // namespace segward::dataplane
