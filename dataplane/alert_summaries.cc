#include "dataplane/alert_summaries.h"

namespace segward::dataplane {

bool AlertSummaries::add(const PolicyAlert& alert, const L7Endpoints& from, std::uint64_t flow_id,
                         std::uint64_t now_ns) {
  Pending* free_slot = nullptr;
  for (Pending& p : slots_) {
    if (!p.used) {
      if (free_slot == nullptr) free_slot = &p;
      continue;
    }
    const PolicyAlert& a = p.alert;
    if (a.source == alert.source && a.rule_id == alert.rule_id && a.rule == alert.rule && a.generation == alert.generation &&
        a.condition == alert.condition && a.action == alert.action && a.blocked == alert.blocked) {
      ++p.alert.suppressed;
      p.last_ns = now_ns;
      return true;
    }
  }
  if (free_slot == nullptr) return false;
  free_slot->alert = alert;
  free_slot->alert.suppressed = 1;
  free_slot->alert.first_ns = now_ns;
  free_slot->alert.trigger = 0;  // the summary carries no message (its evidence file, if any, is the first one's)
  free_slot->from = from;
  free_slot->flow_id = flow_id;
  free_slot->last_ns = now_ns;
  free_slot->used = true;
  ++pending_;
  return true;
}

}  // namespace segward::dataplane
