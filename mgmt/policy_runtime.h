#pragma once
// The policy side of a running sensor, on the management thread: compiles
// the configured policy, publishes it to the workers, reloads it on SIGHUP
// (a refused file leaves the running policy in place), remembers the rule
// names of recent generations so alerts raised under an older policy still
// render with their rule, and renders stats.policy.
#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy_handle.h"
#include "mgmt/proto/events.pb.h"
#include "mgmt/stats_snapshot.h"

namespace segward::mgmt {

class PolicyRuntime {
 public:
  // Compiles `policy` (throws policy::PolicyError) for `workers` workers.
  PolicyRuntime(const policy::Policy& policy, std::string path, unsigned workers, int socket_id);

  [[nodiscard]] policy::PolicyHandle& handle() { return handle_; }

  // SIGHUP: reads, validates and compiles the policy file again and, if all
  // went well, swaps it in. `counts`: the counters now, so per-rule
  // figures restart from the swap. Returns false (and logs why) when the
  // file was refused.
  bool reload(const StatsSnapshot& counts);
  // Frees policies no worker uses any more (each management loop pass).
  void reclaim() { handle_.reclaim(); }

  // The policy that was running as `generation` (null: unknown or too old).
  [[nodiscard]] const policy::CompiledPolicy* by_generation(std::uint8_t generation) const;
  [[nodiscard]] const policy::CompiledPolicy& current() const { return *by_generation(handle_.generation()); }

  void render_stats(const StatsSnapshot& counts, events::PolicyStats& out) const;

 private:
  std::uint8_t publish(std::shared_ptr<const policy::CompiledPolicy> compiled, const StatsSnapshot* counts);

  std::string path_;
  int socket_id_;
  policy::PolicyHandle handle_;
  // By generation: the policies recently run (alerts of the old one may
  // still be in the rings when a reload happens).
  std::array<std::shared_ptr<const policy::CompiledPolicy>, 256> generations_;
  std::uint64_t reloads_ = 0, reload_failures_ = 0;
  std::vector<std::uint64_t> base_flows_, base_packets_;  // per-rule counts at the last swap
};

}  // namespace segward::mgmt
