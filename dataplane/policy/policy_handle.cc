#include "dataplane/policy/policy_handle.h"

#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include <string>

#include "platform/startup_error.h"

namespace segward::policy {

PolicyHandle::PolicyHandle(unsigned workers) {
  const unsigned threads = workers == 0 ? 1 : workers;
  const std::size_t bytes = rte_rcu_qsbr_get_memsize(threads);
  qsbr_ = static_cast<rte_rcu_qsbr*>(rte_zmalloc("segward_policy_qsbr", bytes, RTE_CACHE_LINE_SIZE));
  if (qsbr_ == nullptr || rte_rcu_qsbr_init(qsbr_, threads) != 0) {
    rte_free(qsbr_);
    throw StartupError("cannot set up the policy's RCU state for " + std::to_string(threads) + " workers");
  }
  live_ = std::make_unique<Published>();
  current_.store(&live_->snapshot, std::memory_order_release);
}

PolicyHandle::~PolicyHandle() {
  current_.store(nullptr, std::memory_order_release);
  rte_free(qsbr_);
}

void PolicyHandle::worker_online(unsigned worker) {
  rte_rcu_qsbr_thread_register(qsbr_, worker);
  rte_rcu_qsbr_thread_online(qsbr_, worker);
}

void PolicyHandle::worker_offline(unsigned worker) {
  rte_rcu_qsbr_thread_offline(qsbr_, worker);
  rte_rcu_qsbr_thread_unregister(qsbr_, worker);
}

void PolicyHandle::quiescent(unsigned worker) { rte_rcu_qsbr_quiescent(qsbr_, worker); }

std::uint8_t PolicyHandle::publish(std::shared_ptr<const CompiledPolicy> next) {
  auto published = std::make_unique<Published>(*live_);
  published->snapshot.policy = next.get();
  published->snapshot.generation = static_cast<std::uint8_t>(live_->snapshot.generation + 1);
  published->owner = std::move(next);
  swap_in(std::move(published));
  return live_->snapshot.generation;
}

std::uint8_t PolicyHandle::publish_rules(std::shared_ptr<const signatures::RuleSet> next) {
  auto published = std::make_unique<Published>(*live_);
  published->snapshot.rules = next.get();
  published->snapshot.rules_generation = static_cast<std::uint8_t>(live_->snapshot.rules_generation + 1);
  published->rules_owner = std::move(next);
  swap_in(std::move(published));
  return live_->snapshot.rules_generation;
}

void PolicyHandle::swap_in(std::unique_ptr<Published> next) {
  current_.store(&next->snapshot, std::memory_order_release);
  // Workers that read the old snapshot hold it until their next quiescent
  // report, which this token waits for.
  retired_.push_back({std::move(live_), rte_rcu_qsbr_start(qsbr_)});
  live_ = std::move(next);
  reclaim();
}

bool PolicyHandle::reclaim() {
  std::erase_if(retired_, [this](const Retired& r) { return rte_rcu_qsbr_check(qsbr_, r.token, false) == 1; });
  return retired_.empty();
}

}  // namespace segward::policy
