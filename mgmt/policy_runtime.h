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
  // Compiles `policy` (throws policy::PolicyError) and publishes it into
  // `handle` (which the sensor owns: the signature rules use it too).
  PolicyRuntime(const policy::Policy& policy, std::string path, policy::PolicyHandle& handle, int socket_id);

  [[nodiscard]] policy::PolicyHandle& handle() { return handle_; }

  // SIGHUP (and POST /api/v1/policy/reload): reads, validates and compiles
  // the policy file again and, if all went well, swaps it in. `counts`: the
  // counters now, so per-rule figures restart from the swap. Returns "" or,
  // when the file was refused (and the running policy stays), why: the
  // located error.
  std::string reload(const StatsSnapshot& counts);
  // PUT /api/v1/policy: the same for YAML text, located as if it were the
  // policy file (whose name it is given). Once validated and compiled, the
  // text replaces the policy file (written aside and renamed, so a SIGHUP
  // or a restart runs what was applied), then the policy is swapped in.
  // Returns "" or why it was refused (the running policy and file stay).
  std::string apply(const std::string& text, const StatsSnapshot& counts);

  // The running policy's YAML as loaded ("" when it came from no file) and
  // the first 16 hex digits of its SHA-256.
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] std::string version() const;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::uint8_t generation() const { return handle_.generation(); }
  // Frees policies no worker uses any more (each management loop pass).
  void reclaim() { handle_.reclaim(); }

  // The policy that was running as `generation` (null: unknown or too old).
  [[nodiscard]] const policy::CompiledPolicy* by_generation(std::uint8_t generation) const;
  [[nodiscard]] const policy::CompiledPolicy& current() const { return *by_generation(handle_.generation()); }

  void render_stats(const StatsSnapshot& counts, events::PolicyStats& out) const;

 private:
  std::uint8_t publish(std::shared_ptr<const policy::CompiledPolicy> compiled, const StatsSnapshot* counts);

  // Validates, compiles and swaps in `text`; `persist`: write it to path_ first.
  std::string swap_in(const std::string& text, const StatsSnapshot& counts, bool persist, const char* how);

  std::string path_;
  std::string text_;
  int socket_id_;
  policy::PolicyHandle& handle_;
  // By generation: the policies recently run (alerts of the old one may
  // still be in the rings when a reload happens).
  std::array<std::shared_ptr<const policy::CompiledPolicy>, 256> generations_;
  std::uint64_t reloads_ = 0, reload_failures_ = 0;
  std::vector<std::uint64_t> base_flows_, base_packets_;  // per-rule counts at the last swap
};

}  // namespace segward::mgmt
