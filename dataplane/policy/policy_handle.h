#pragma once
// What the workers judge traffic by: the policy (allowlist) and the
// signature rule set. How the management thread replaces either
// without stopping them: publish() swaps a pointer, and the policy it
// replaced is freed only once every worker has passed a quiescent point
// (DPDK's rte_rcu_qsbr: each worker reports one per loop pass, after which
// it holds no pointer into the old policy). The management thread polls
// reclaim() instead of blocking in rte_rcu_qsbr_synchronize, so it keeps
// draining the workers' event rings meanwhile (a worker waiting for ring
// space would otherwise never reach its quiescent point).
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "dataplane/policy/compiled_policy.h"
#include "signatures/rule_set.h"

struct rte_rcu_qsbr;

namespace segward::policy {

// What a worker reads once per loop pass.
struct PolicySnapshot {
  const CompiledPolicy* policy = nullptr;  // null: no policy, everything passes
  std::uint8_t generation = 0;             // bumped per policy publish (wraps: see Flow::policy_generation)
  const signatures::RuleSet* rules = nullptr;  // null: no signatures
  std::uint8_t rules_generation = 0;           // bumped per rule set publish (wraps)
};

class PolicyHandle {
 public:
  explicit PolicyHandle(unsigned workers);
  ~PolicyHandle();
  PolicyHandle(const PolicyHandle&) = delete;
  PolicyHandle& operator=(const PolicyHandle&) = delete;

  // ---- workers (thread id = worker index)
  void worker_online(unsigned worker);
  void worker_offline(unsigned worker);
  [[nodiscard]] const PolicySnapshot* current() const { return current_.load(std::memory_order_acquire); }
  void quiescent(unsigned worker);

  // ---- management thread
  // Makes `next` (may be null: no policy) what workers read from their next
  // pass on. Returns the generation it got. The rule set stays.
  std::uint8_t publish(std::shared_ptr<const CompiledPolicy> next);
  // The same for the signature rule set (null: none); the policy stays.
  std::uint8_t publish_rules(std::shared_ptr<const signatures::RuleSet> next);
  // Frees the policies every worker has moved past. True when none is left
  // waiting.
  bool reclaim();
  [[nodiscard]] std::uint8_t generation() const { return current()->generation; }
  [[nodiscard]] std::uint8_t rules_generation() const { return current()->rules_generation; }

 private:
  struct Published {
    PolicySnapshot snapshot;
    std::shared_ptr<const CompiledPolicy> owner;
    std::shared_ptr<const signatures::RuleSet> rules_owner;
  };
  struct Retired {
    std::unique_ptr<Published> published;
    std::uint64_t token;
  };

  rte_rcu_qsbr* qsbr_ = nullptr;
  std::atomic<const PolicySnapshot*> current_{nullptr};
  // Makes `next` current; the one it replaces is freed once no worker can hold it.
  void swap_in(std::unique_ptr<Published> next);

  std::unique_ptr<Published> live_;
  std::vector<Retired> retired_;
};

}  // namespace segward::policy
