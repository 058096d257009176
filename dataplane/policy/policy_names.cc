// Stable names of the policy's enums: policy files, EVE alerts, counters and
// the REST API use them (never rename one); "unknown" for a value out of range.
#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy.h"

namespace segward::policy {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::kAllow: return "allow";
    case Action::kAlert: return "alert";
    case Action::kDrop: return "drop";
    case Action::kReset: return "reset";
  }
  return "unknown";
}

std::string_view service_app_name(ServiceApp app) {
  switch (app) {
    case ServiceApp::kAny: return "any";
    case ServiceApp::kMesos: return "mesos";
    case ServiceApp::kZookeeper: return "zookeeper";
    case ServiceApp::kTls: return "tls";
    case ServiceApp::kHttp: return "http";
  }
  return "unknown";
}

std::string_view tls_requirement_name(TlsRequirement tls) {
  switch (tls) {
    case TlsRequirement::kOptional: return "optional";
    case TlsRequirement::kRequired: return "required";
    case TlsRequirement::kForbidden: return "forbidden";
  }
  return "unknown";
}

std::string_view condition_name(Condition condition) {
  switch (condition) {
    case Condition::kNone: return "none";
    case Condition::kServiceApp: return "service.app";
    case Condition::kServiceTls: return "service.tls";
    case Condition::kMesosMessage: return "mesos.messages";
    case Condition::kMesosCall: return "mesos.calls";
    case Condition::kMesosPrincipal: return "mesos.framework.principals";
    case Condition::kMesosRole: return "mesos.framework.roles";
    case Condition::kMesosEndpoint: return "mesos.endpoints";
    case Condition::kZookeeperOp: return "zookeeper.ops";
    case Condition::kZookeeperPath: return "zookeeper.paths";
    case Condition::kZookeeperWritePath: return "zookeeper.write_paths";
    case Condition::kZookeeperFourLetterWord: return "zookeeper.four_letter_words";
    case Condition::kZookeeperAuth: return "zookeeper.auth";
  }
  return "unknown";
}

}  // namespace segward::policy
