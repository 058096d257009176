#pragma once
// What applying one policy (e.g. a learn proposal) instead of another (the
// running one) would change: segments, services and rules matched by name,
// compared by meaning: CIDR, port, VLAN and L7 lists as sets (order and
// duplicates do not matter, port ranges are merged), an absent L7 list
// ("anything") distinct from an empty one ("nothing"), rule order as the
// order of the rules both have (first match decides), and the default.
// Source locations and the file names are not compared.
#include <string>
#include <vector>

#include "dataplane/policy/policy.h"

namespace segward::learn {

struct PolicyChange {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  std::string section;  // "segment", "service", "rule", "default"
  std::string name;     // empty for the default
  // One line each, e.g. "cidrs: + 192.0.2.33/32, - 192.0.2.34/32",
  // "action: alert -> drop", "zookeeper.ops: any -> [create, getData]".
  std::vector<std::string> details;
};

// Changes from `running` to `proposed`: "added" is in `proposed` only.
std::vector<PolicyChange> diff_policies(const policy::Policy& proposed, const policy::Policy& running);

// Human-readable report, one block per change; a one-line verdict first.
std::string format_policy_diff(const std::vector<PolicyChange>& changes, const policy::Policy& proposed,
                               const policy::Policy& running);

}  // namespace segward::learn
