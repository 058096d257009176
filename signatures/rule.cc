#include "signatures/rule.h"

namespace segward::signatures {

const std::vector<std::string>& threat_names() {
  // The threats of ../shared/seeds, by the names rules use.
  static const std::vector<std::string> names{
      "master_compromise",    "master_dos",          "election_tampering", "rogue_framework",
      "agent_compromise",     "container_escape",    "framework_compromise", "credential_exposure",
      "executor_compromise",  "zookeeper_compromise", "zookeeper_dos",     "zookeeper_tampering",
      "mitm"};
  return names;
}

std::string_view rule_app_name(RuleApp app) noexcept {
  switch (app) {
    case RuleApp::kAny: return "any";
    case RuleApp::kMesos: return "mesos";
    case RuleApp::kZookeeper: return "zookeeper";
    case RuleApp::kTls: return "tls";
    case RuleApp::kHttp: return "http";
  }
  return "any";
}

}  // namespace segward::signatures
