#pragma once
// The signature side of a running sensor, on the management thread: loads
// and compiles the configured rule files, publishes the rule set to the
// workers (beside the policy, through the same handle), reloads it on SIGHUP
// and POST /api/v1/rules/reload (a refused file leaves the running rules in
// place), remembers recent rule sets so alerts raised under an older one
// still render with their rule, and renders stats.signatures.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/policy/policy_handle.h"
#include "mgmt/proto/events.pb.h"
#include "mgmt/rule_file.h"
#include "mgmt/stats_snapshot.h"

namespace segward::mgmt {

class RulesRuntime {
 public:
  // Loads `paths` (throws signatures::RuleError listing every error) for
  // `workers` workers and publishes the set into `handle`.
  RulesRuntime(std::vector<std::string> paths, unsigned workers, policy::PolicyHandle& handle);

  // Reads, checks and compiles the rule files again and, if all went well,
  // swaps them in. Returns "" or, when refused (the running rules stay),
  // every error, one per line.
  std::string reload(const StatsSnapshot& counts);

  [[nodiscard]] const signatures::RuleSet& current() const { return *generations_[handle_.rules_generation()]; }
  [[nodiscard]] const signatures::RuleSet* by_generation(std::uint8_t generation) const {
    return generations_[generation].get();
  }
  [[nodiscard]] std::uint8_t generation() const { return handle_.rules_generation(); }
  [[nodiscard]] const std::string& version() const { return current().version(); }
  [[nodiscard]] const std::vector<std::string>& files() const { return files_; }

  void render_stats(const StatsSnapshot& counts, events::SignatureStats& out) const;

 private:
  void publish(LoadedRules loaded, const StatsSnapshot* counts);

  std::vector<std::string> paths_;
  unsigned workers_;
  policy::PolicyHandle& handle_;
  std::vector<std::string> files_;
  std::array<std::shared_ptr<const signatures::RuleSet>, 256> generations_;
  std::uint64_t reloads_ = 0, reload_failures_ = 0;
  std::vector<std::uint64_t> base_matches_;  // per-rule matches at the last swap
};

}  // namespace segward::mgmt
