// EVE `alert` events: a policy decision. Field names follow Suricata's
// alert object; an alert raised by an L7 message carries that message's
// own object (`mesos`, `zookeeper`) beside it, as Suricata puts app-layer
// metadata next to its alerts.
#include "dataplane/flow.h"
#include "dataplane/policy/compiled_policy.h"
#include "mgmt/eve_writer.h"
#include "mgmt/event_renderer.h"
#include "mgmt/evidence_writer.h"
#include "mgmt/l7_event_common.h"

namespace segward::mgmt {

namespace {

// The envelope, the triggering message's object, and what every alert says.
events::Alert& render_alert_common(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                                   events::Event& out) {
  const dataplane::PolicyAlert& a = r.alert;
  switch (static_cast<dataplane::L7EventKind>(a.trigger)) {
    case dataplane::L7EventKind::kMesos: render_mesos_event(r, port_names, out); break;
    case dataplane::L7EventKind::kZookeeper: render_zookeeper_event(r, port_names, out); break;
    case dataplane::L7EventKind::kTls: render_tls_event(r, port_names, out); break;
    default: {
      const std::string_view app = dataplane::app_proto_name(a.app);
      render_l7_envelope(r, port_names, "alert", nullptr, out);
      if (!app.empty()) out.set_app_proto(std::string(app));
      break;
    }
  }
  out.set_event_type("alert");
  events::Alert& alert = *out.mutable_alert();
  alert.set_action(a.blocked ? "blocked" : "allowed");
  alert.set_signature_id(a.rule_id);
  alert.set_rev(a.generation);
  alert.set_id(a.id);
  // Named now, written once its packets after the alert have passed.
  if (a.evidence) alert.set_evidence(evidence_file_name(a.id));
  if (a.suppressed != 0) {
    alert.set_suppressed(a.suppressed);
    alert.set_suppressed_since(format_eve_time(a.first_ns));
  }
  return alert;
}

}  // namespace

void render_signature_alert(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                            const signatures::RuleSet* rules, events::Event& out) {
  events::Alert& alert = render_alert_common(r, port_names, out);
  // gid 2: the signature engine's ids are a space of their own, apart from the policy's rule ids (gid 1).
  alert.set_gid(2);
  alert.set_source("signature");
  alert.set_policy_action("alert");
  if (rules == nullptr || r.alert.rule >= rules->size()) {
    alert.set_signature("signature " + std::to_string(r.alert.rule_id));
    return;
  }
  const signatures::Rule& rule = rules->rule(r.alert.rule);
  alert.set_signature(rule.msg);
  alert.set_category(rule.threat);
  alert.set_severity(rule.severity);
  alert.set_rule(rule.file + ":" + std::to_string(rule.line));
  for (const std::string& ref : rule.references) alert.add_references(ref);
}

void render_alert_event(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                        const policy::CompiledPolicy* policy, events::Event& out) {
  const dataplane::PolicyAlert& a = r.alert;
  events::Alert& alert = render_alert_common(r, port_names, out);
  alert.set_gid(1);
  alert.set_source("policy");
  const auto action = static_cast<policy::Action>(a.action);
  alert.set_policy_action(std::string(policy::action_name(action)));
  const auto condition = static_cast<policy::Condition>(a.condition);
  if (condition != policy::Condition::kNone) alert.set_condition(std::string(policy::condition_name(condition)));
  if (policy == nullptr) {
    // A policy several reloads old: only its numbers are known.
    alert.set_signature("rule " + std::to_string(a.rule_id));
    return;
  }
  const policy::CompiledRule& rule = policy->rule(a.rule);
  alert.set_signature(rule.name);
  alert.set_category(rule.category);
  alert.set_severity(rule.severity);
  std::string where = policy->source();
  if (rule.at.line != 0) where += ":" + std::to_string(rule.at.line);
  alert.set_rule(where);
}

}  // namespace segward::mgmt
