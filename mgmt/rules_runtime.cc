#include "mgmt/rules_runtime.h"

#include <algorithm>

#include "platform/log.h"

namespace segward::mgmt {

namespace {
constexpr unsigned kKeptGenerations = 8;  // how many older rule sets stay known to the renderer
}  // namespace

RulesRuntime::RulesRuntime(std::vector<std::string> paths, unsigned workers, policy::PolicyHandle& handle)
    : paths_(std::move(paths)), workers_(workers), handle_(handle) {
  publish(load_rule_files(paths_, workers_), nullptr);
}

void RulesRuntime::publish(LoadedRules loaded, const StatsSnapshot* counts) {
  const std::size_t rules = loaded.set->size();
  const std::string version = loaded.set->version();
  files_ = std::move(loaded.files);
  const std::uint8_t generation = handle_.publish_rules(loaded.set);
  generations_[generation] = std::move(loaded.set);
  generations_[static_cast<std::uint8_t>(generation - kKeptGenerations)].reset();
  base_matches_.clear();
  if (counts != nullptr) base_matches_ = counts->signatures.rule_matches;
  platform::log_notice("signatures: " + std::to_string(rules) + " rules from " + std::to_string(files_.size()) +
                       " files, version " + version + ", generation " + std::to_string(generation));
}

std::string RulesRuntime::reload(const StatsSnapshot& counts) {
  try {
    publish(load_rule_files(paths_, workers_), &counts);
    ++reloads_;
    return "";
  } catch (const std::exception& e) {
    ++reload_failures_;
    platform::log_error(std::string("signature rules refused, the running rules stay: ") + e.what());
    return e.what();
  }
}

void RulesRuntime::render_stats(const StatsSnapshot& counts, events::SignatureStats& out) const {
  const signatures::RuleSet& set = current();
  const auto& c = counts.signatures;
  out.set_version(set.version());
  out.set_generation(generation());
  out.set_rules(set.size());
  for (const std::string& f : files_) out.add_files(f);
  out.set_reloads(reloads_);
  out.set_reload_failures(reload_failures_);
  out.set_messages(c.messages);
  out.set_matches(c.matches);
  out.set_thresholded(c.thresholded);
  out.set_threshold_evictions(c.threshold_evictions);
  out.set_alerts(c.alerts);
  out.set_alerts_dropped(c.alerts_dropped);
  out.set_alerts_suppressed(c.alerts_suppressed);
  out.set_alert_summaries(c.alert_summaries);
  out.set_payload_bytes(c.payload_bytes);
  out.set_payload_no_stream(c.payload_no_stream);
  // Per rule, since the swap; rules past the last slot share it and are not listed.
  const std::size_t listed = std::min(set.size(), c.rule_matches.empty() ? 0 : c.rule_matches.size() - 1);
  for (std::size_t i = 0; i < listed; ++i) {
    const std::uint64_t base = i < base_matches_.size() ? std::min(base_matches_[i], c.rule_matches[i]) : 0;
    const std::uint64_t matches = c.rule_matches[i] - base;
    if (matches == 0) continue;
    events::SignatureRuleStats& r = *out.add_rules_matched();
    r.set_id(set.rule(i).id);
    r.set_msg(set.rule(i).msg);
    r.set_matches(matches);
  }
}

}  // namespace segward::mgmt
