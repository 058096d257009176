#pragma once
// Alerts that found the alert ring full (live mode: the management thread
// fell behind, e.g. a flood of new flows each meeting an alerting default),
// folded into one summary per (source, rule, generation, condition, action): a
// flood of 30,000 alerts becomes a handful of EVE alerts saying "this, and
// N more like it", instead of 30,000 silent drops. The worker hands the
// summaries over once the ring has room again (each loop pass) and, at
// shutdown, waits until it has. Fixed size, no allocation; when more kinds
// are pending than it holds, the excess is dropped and counted.
#include <array>
#include <cstdint>

#include "dataplane/l7_event.h"

namespace segward::dataplane {

class AlertSummaries {
 public:
  static constexpr unsigned kKinds = 64;

  struct Pending {
    PolicyAlert alert;       // the first suppressed one's (id, rule, ...); suppressed = count
    L7Endpoints from;
    std::uint64_t flow_id = 0;
    std::uint64_t last_ns = 0;
    bool used = false;
  };

  // Counts one alert that was not written; false when no slot is free for
  // its kind (then it is lost: the caller counts it as dropped).
  bool add(const PolicyAlert& alert, const L7Endpoints& from, std::uint64_t flow_id, std::uint64_t now_ns);
  [[nodiscard]] bool empty() const { return pending_ == 0; }

  // Offers each pending summary to `emit(const Pending&) -> bool` (false:
  // no room now, keep it); returns how many went.
  template <class Emit>
  unsigned flush(Emit&& emit) {
    unsigned sent = 0;
    for (Pending& p : slots_) {
      if (!p.used) continue;
      if (!emit(p)) break;  // the ring is full again: the rest next time
      p.used = false;
      --pending_;
      ++sent;
    }
    return sent;
  }

 private:
  std::array<Pending, kKinds> slots_{};
  unsigned pending_ = 0;
};

}  // namespace segward::dataplane
