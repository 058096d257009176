#pragma once
// The channels from a worker to the management thread: single-producer
// single-consumer rte_rings of fixed-size events, copied in place (no
// allocation, no pointers into worker memory). One ring per event type, so
// a 100-byte flow record does not pay for a 4 KiB Mesos event's slot.
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>
#include <rte_ring_peek_zc.h>

#include <cstdint>
#include <string>

#include "dataplane/flow.h"
#include "dataplane/l7_event.h"

namespace segward::dataplane {

enum class EventKind : std::uint32_t { kFlowEnd = 1 };

struct DataplaneEvent {
  EventKind kind;
  std::uint32_t worker;
  FlowRecord flow;
};
static_assert(sizeof(DataplaneEvent) % 4 == 0);

// Creates the rte_ring behind a TypedRing; throws StartupError.
rte_ring* create_event_ring(const std::string& name, unsigned element_bytes, unsigned size, int socket_id);

template <class Event>
class TypedRing {
  static_assert(sizeof(Event) % 4 == 0, "rte_ring elements are multiples of 4 bytes");

 public:
  TypedRing(const std::string& name, unsigned size, int socket_id)
      : ring_(create_event_ring(name, sizeof(Event), size, socket_id)) {}
  ~TypedRing() { rte_ring_free(ring_); }
  TypedRing(const TypedRing&) = delete;
  TypedRing& operator=(const TypedRing&) = delete;

  bool try_push(const Event& e) {
    return rte_ring_sp_enqueue_elem(ring_, const_cast<Event*>(&e), sizeof(Event)) == 0;
  }
  // Reserves one slot and lets `fill(Event&)` write the event straight into
  // the ring (DPDK's zero-copy enqueue), so a 4 KiB event is copied once,
  // not built aside and copied again. False when the ring is full.
  template <class Fill>
  bool try_emplace(Fill&& fill) {
    static_assert(sizeof(Event) % alignof(Event) == 0 && alignof(Event) <= RTE_CACHE_LINE_SIZE);
    rte_ring_zc_data zc;
    if (rte_ring_enqueue_zc_bulk_elem_start(ring_, sizeof(Event), 1, &zc, nullptr) != 1) return false;
    fill(*static_cast<Event*>(zc.ptr1));
    rte_ring_enqueue_zc_elem_finish(ring_, 1);
    return true;
  }
  // try_emplace, and when the ring is full and `wait`, again until a slot
  // frees up (replay and shutdown: the management thread drains until the
  // worker has finished, so the wait ends). False: full, not written.
  template <class Fill>
  bool emplace(bool wait, Fill&& fill) {
    if (try_emplace(fill)) return true;
    if (!wait) return false;
    while (!try_emplace(fill)) rte_pause();
    return true;
  }
  unsigned pop(Event* out, unsigned max) {
    return rte_ring_sc_dequeue_burst_elem(ring_, out, sizeof(Event), max, nullptr);
  }

 private:
  rte_ring* ring_ = nullptr;
};

using EventRing = TypedRing<DataplaneEvent>;
using L7EventRing = TypedRing<L7EventRecord>;

}  // namespace segward::dataplane
