#pragma once
// What each segwardctl command does, given a connected client: the REST call,
// then the reply as a table (or the server's JSON with --json).
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "mgmt/ctl/api_client.h"

namespace segward::ctl {

struct Output {
  bool json = false;
  std::ostream& out;
};

int cmd_health(ApiClient& c, const Output& o);
int cmd_status(ApiClient& c, const Output& o);
int cmd_stats(ApiClient& c, const Output& o);
int cmd_flows(ApiClient& c, const Output& o, std::uint32_t top, const std::string& sort);

struct AlertQuery {
  std::string since;     // an alert sequence (next_since) or a timestamp; empty: from the oldest kept
  std::uint32_t severity = 0;  // 1 high .. 3 low: that and more severe; 0 any
  std::uint32_t limit = 0;     // 0: the server's default
};
int cmd_alerts(ApiClient& c, const Output& o, const AlertQuery& q);
// Prints alerts as they are raised until interrupted; reconnects (with
// Last-Event-ID, so none is missed or repeated) when the stream drops.
int cmd_alerts_follow(ApiClient& c, const Output& o, const AlertQuery& q);

// `path` "-": standard output.
int cmd_evidence(ApiClient& c, const Output& o, std::uint64_t alert_id, const std::string& path);

int cmd_policy_get(ApiClient& c, const Output& o, const std::string& path);
int cmd_policy_validate(ApiClient& c, const Output& o, const std::string& file);
int cmd_policy_apply(ApiClient& c, const Output& o, const std::string& file);
int cmd_policy_reload(ApiClient& c, const Output& o);
int cmd_rules_reload(ApiClient& c, const Output& o);

// action: start | stop | status
int cmd_learn(ApiClient& c, const Output& o, const std::string& action);
int cmd_learn_show(ApiClient& c, const Output& o, const std::string& path);

}  // namespace segward::ctl
