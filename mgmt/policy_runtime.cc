#include "mgmt/policy_runtime.h"

#include "mgmt/config.h"
#include "mgmt/policy_file.h"
#include "mgmt/text_files.h"
#include "platform/log.h"

namespace segward::mgmt {

namespace {
constexpr std::size_t kDefaultSlot = dataplane::WorkerCounters::Policy::kRuleSlots - 1;
constexpr unsigned kKeptGenerations = 8;  // how many older policies' rule names stay known
}  // namespace

PolicyRuntime::PolicyRuntime(const policy::Policy& policy, std::string path, policy::PolicyHandle& handle,
                             int socket_id)
    : path_(std::move(path)), socket_id_(socket_id), handle_(handle) {
  if (!path_.empty()) text_ = read_text_file(path_, "policy file");
  publish(policy::CompiledPolicy::compile(policy, socket_id_), nullptr);
  const policy::CompiledPolicy& p = current();
  platform::log_notice("policy " + p.source() + ": " + std::to_string(p.rule_count()) + " rules, " +
                       std::to_string(p.classifier_entries()) + " classifier entries, default " +
                       std::string(policy::action_name(p.rule(policy::kDefaultRule).action)));
}

std::uint8_t PolicyRuntime::publish(std::shared_ptr<const policy::CompiledPolicy> compiled,
                                    const StatsSnapshot* counts) {
  const std::uint8_t generation = handle_.publish(compiled);
  generations_[generation] = std::move(compiled);
  generations_[static_cast<std::uint8_t>(generation - kKeptGenerations)].reset();
  base_flows_.clear();
  base_packets_.clear();
  if (counts != nullptr) {
    base_flows_ = counts->policy.rule_flows;
    base_packets_ = counts->policy.rule_packets;
  }
  return generation;
}

std::string PolicyRuntime::reload(const StatsSnapshot& counts) {
  if (path_.empty()) {
    ++reload_failures_;
    const std::string why = "the policy was not loaded from a file; nothing to reload";
    platform::log_warning("policy reload: " + why);
    return why;
  }
  std::string text;
  try {
    text = read_text_file(path_, "policy file");
  } catch (const std::exception& e) {
    ++reload_failures_;
    platform::log_error(std::string("policy reload refused, the running policy stays: ") + e.what());
    return e.what();
  }
  return swap_in(text, counts, false, "reloaded from");
}

std::string PolicyRuntime::apply(const std::string& text, const StatsSnapshot& counts) {
  return swap_in(text, counts, !path_.empty(), "applied to");
}

std::string PolicyRuntime::swap_in(const std::string& text, const StatsSnapshot& counts, bool persist,
                                   const char* how) {
  try {
    const std::string source = path_.empty() ? std::string("policy") : path_;
    const policy::Policy model = parse_policy(text, source);
    auto compiled = policy::CompiledPolicy::compile(model, socket_id_);
    if (persist) write_file_atomically(path_, text);
    const std::size_t rules = compiled->rule_count();
    const std::uint8_t generation = publish(std::move(compiled), &counts);
    text_ = text;
    ++reloads_;
    platform::log_notice(std::string("policy ") + how + " " + source + ": " + std::to_string(rules) +
                         " rules, generation " + std::to_string(generation));
    return "";
  } catch (const std::exception& e) {
    ++reload_failures_;
    platform::log_error(std::string("policy refused, the running policy stays: ") + e.what());
    return e.what();
  }
}

std::string PolicyRuntime::version() const { return short_sha256(text_); }

const policy::CompiledPolicy* PolicyRuntime::by_generation(std::uint8_t generation) const {
  return generations_[generation].get();
}

void PolicyRuntime::render_stats(const StatsSnapshot& counts, events::PolicyStats& out) const {
  const policy::CompiledPolicy& p = current();
  const auto& c = counts.policy;
  out.set_source(p.source());
  out.set_generation(handle_.generation());
  out.set_rules(p.rule_count());
  out.set_classifier_entries(p.classifier_entries());
  out.set_reloads(reloads_);
  out.set_reload_failures(reload_failures_);
  out.set_flows_classified(c.flows_classified);
  out.set_packets_unclassified(c.packets_unclassified);
  out.set_packets_dropped(c.packets_dropped);
  out.set_resets_sent(c.resets_sent);
  out.set_resets_failed(c.resets_failed);
  out.set_alerts(c.alerts);
  out.set_alerts_dropped(c.alerts_dropped);
  out.set_alerts_suppressed(c.alerts_suppressed);
  out.set_alert_summaries(c.alert_summaries);
  for (std::size_t i = 1; i < policy::kConditionCount; ++i) {
    if (c.violations[i] != 0) {
      (*out.mutable_violations())[std::string(policy::condition_name(static_cast<policy::Condition>(i)))] =
          c.violations[i];
    }
  }
  if (c.rule_flows.empty()) return;
  auto since_swap = [](const std::vector<std::uint64_t>& now, const std::vector<std::uint64_t>& base, std::size_t i) {
    return now[i] - (i < base.size() ? std::min(base[i], now[i]) : 0);
  };
  auto add_rule = [&](std::size_t slot, std::uint16_t index) {
    const std::uint64_t flows = since_swap(c.rule_flows, base_flows_, slot);
    if (flows == 0) return;
    const policy::CompiledRule& r = p.rule(index);
    events::PolicyRuleStats& s = *out.add_rules_hit();
    s.set_name(r.name);
    s.set_id(r.id);
    s.set_flows(flows);
    s.set_packets(since_swap(c.rule_packets, base_packets_, slot));
  };
  for (std::size_t i = 0; i < p.rule_count(); ++i) add_rule(i, static_cast<std::uint16_t>(i));
  add_rule(kDefaultSlot, policy::kDefaultRule);
}

}  // namespace segward::mgmt
