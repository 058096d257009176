#include "dataplane/flow.h"

namespace segward::dataplane {

std::string_view flow_state_name(FlowState state) {
  switch (state) {
    case FlowState::kNew: return "new";
    case FlowState::kEstablished: return "established";
    case FlowState::kClosed: return "closed";
  }
  return "unknown";
}

std::string_view flow_end_reason_name(FlowEndReason reason) {
  switch (reason) {
    case FlowEndReason::kTimeout: return "timeout";
    case FlowEndReason::kForced: return "forced";
    case FlowEndReason::kShutdown: return "shutdown";
    case FlowEndReason::kTcpReuse: return "tcp_reuse";
  }
  return "unknown";
}

std::string_view app_proto_name(AppProto app) {
  switch (app) {
    case AppProto::kHttp: return "http";
    case AppProto::kMesos: return "mesos";
    case AppProto::kZookeeper: return "zookeeper";
    case AppProto::kTls: return "tls";
    case AppProto::kUnknown:
    case AppProto::kNone: return "";
  }
  return "";
}

}  // namespace segward::dataplane
