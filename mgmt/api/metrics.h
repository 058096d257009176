#pragma once
// Prometheus text exposition (format 0.0.4) of a StatsReply: every counter
// of events.Stats as segward_<section>_<name>_total, per-kind maps as
// labels (segward_decoder_errors_total{error="ipv4_truncated"}), gauges
// (active flows and sessions, memory in use, uptime) without _total,
// per-worker series with a worker="N" label, ports with port="NAME", and the
// API's own counters (segward_api_requests_total, segward_api_refused_total{reason="unauthorized"}).
// `promtool check metrics` must accept the output.
#include <string>

#include "mgmt/proto/api.pb.h"

namespace segward::api {

std::string render_metrics(const StatsReply& stats, const Status& status);

}  // namespace segward::api
