#pragma once
// segwardctl's default output: the REST API's replies as aligned tables for
// people (--json prints the server's JSON instead, for scripts).
#include <ostream>
#include <string>

#include "mgmt/proto/api.pb.h"

namespace segward::ctl {

void print_status(const api::Status& s, std::ostream& out);
// Non-zero counters of the totals, then per-worker, per-port and API tables.
void print_stats(const api::StatsReply& s, std::ostream& out);
void print_flows(const api::FlowList& f, std::ostream& out);
void print_alerts(const api::AlertList& a, std::ostream& out);
// One alert on one line, for alerts --follow (no table to align against).
std::string alert_line(const events::Event& e);
void print_validation(const api::PolicyValidation& v, std::ostream& out);
void print_learn(const api::LearnStatus& l, std::ostream& out);

// "1d 02:03:04" / "02:03:04"
std::string format_duration(std::uint64_t seconds);

}  // namespace segward::ctl
