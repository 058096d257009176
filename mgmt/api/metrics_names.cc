#include "mgmt/api/metrics_names.h"

#include <algorithm>
#include <array>

namespace segward::api {

namespace {

// The `path` members of a table, for the tests' look-ups.
template <class Entry, std::size_t N>
constexpr std::array<std::string_view, N> paths_of(const std::array<Entry, N>& table) {
  std::array<std::string_view, N> p{};
  for (std::size_t i = 0; i < N; ++i) p[i] = table[i].path;
  return p;
}

struct Gauge {
  std::string_view path;
  std::string_view unit;  // Prometheus base unit suffix, or empty
};

// Fields that go down as well as up. Everything else in events.Stats is a
// counter that only resets when the sensor restarts (or, for the policy's
// per-rule counters, when the policy is reloaded). Keep this short: a new
// field is a counter unless it is listed here.
constexpr std::array kGauges = {
    Gauge{"uptime", "seconds"},
    Gauge{"flow.active", ""},
    Gauge{"l7.sessions_active", ""},
    Gauge{"l7.zookeeper_sessions_active", ""},
    Gauge{"l7.tls_sessions_active", ""},
    Gauge{"l7.reassembly_memory", "bytes"},
    Gauge{"l7.body_memory", "bytes"},
    Gauge{"policy.generation", ""},
    Gauge{"policy.rules", ""},
    Gauge{"policy.classifier_entries", ""},
    Gauge{"signatures.generation", ""},
    Gauge{"signatures.rules", ""},
};
constexpr auto kGaugePaths = paths_of(kGauges);

struct Renamed {
  std::string_view path;
  std::string_view stem;  // the name without segward_ and _total
  std::string_view help;
};

// The packet and byte counters under the names one searches for first.
constexpr std::array kRenamed = {
    Renamed{"decoder.pkts", "rx_packets", "Packets the workers received from the ports (EVE stats.decoder.pkts)"},
    Renamed{"decoder.bytes", "rx_bytes", "Bytes of the packets the workers received (EVE stats.decoder.bytes)"},
};
constexpr auto kRenamedPaths = paths_of(kRenamed);

struct MapLabel {
  std::string_view path;
  std::string_view label;
};
// Maps not listed are decoder counters by stable name: label "counter".
constexpr std::array kMapLabels = {
    MapLabel{"decoder.errors", "error"},
    MapLabel{"l7.http_errors", "error"},
    MapLabel{"l7.http_warnings", "warning"},
    MapLabel{"policy.violations", "condition"},
};
constexpr auto kMapLabelPaths = paths_of(kMapLabels);

// Per worker: the load balance (packets, bytes, flows) and where events are
// lost, which a total hides.
constexpr std::array<std::string_view, 6> kWorkerPaths = {
    "decoder.pkts", "decoder.bytes", "flow.created", "flow.active", "events_dropped", "l7.events_dropped",
};

constexpr std::array kApi = {
    ApiMetric{"requests", "segward_api_requests_total", "", false, "REST API requests received"},
    ApiMetric{"unauthorized", "segward_api_refused_total", "unauthorized", false,
              "REST API requests refused, by reason (HTTP 401, 403, 400, 404, 5xx)"},
    ApiMetric{"forbidden", "segward_api_refused_total", "forbidden", false, ""},
    ApiMetric{"bad_requests", "segward_api_refused_total", "bad_request", false, ""},
    ApiMetric{"not_found", "segward_api_refused_total", "not_found", false, ""},
    ApiMetric{"server_errors", "segward_api_refused_total", "server_error", false, ""},
    ApiMetric{"stream_clients", "segward_api_stream_clients", "", true, "Alert streams (Server-Sent Events) open now"},
    ApiMetric{"alerts_buffered", "segward_api_alerts_buffered", "", true, "Alerts held for GET /api/v1/alerts"},
    ApiMetric{"alerts_evicted", "segward_api_alerts_evicted_total", "", false,
              "Alerts that left the API's buffer to make room (EVE still has them)"},
};

std::string underscored(std::string_view path) {
  std::string s(path);
  std::replace(s.begin(), s.end(), '.', '_');
  return s;
}

}  // namespace

MetricName stats_metric_name(std::string_view path) {
  for (const Renamed& r : kRenamed) {
    if (r.path == path) return {std::string(r.stem) + "_total", std::string(r.help), false};
  }
  for (const Gauge& g : kGauges) {
    if (g.path != path) continue;
    std::string name = underscored(path);
    if (!g.unit.empty() && !name.ends_with(g.unit)) name += "_" + std::string(g.unit);
    return {name, "EVE stats." + std::string(path) + " (gauge)", true};
  }
  return {underscored(path) + "_total", "EVE stats." + std::string(path), false};
}

std::string map_label_name(std::string_view path) {
  for (const MapLabel& m : kMapLabels) {
    if (m.path == path) return std::string(m.label);
  }
  return "counter";
}

RowNames row_names(std::string_view path) {
  if (path == "policy.rules_hit") return {"policy_rule", "rule"};
  if (path == "signatures.rules_matched") return {"signature_rule", "rule"};
  // Another repeated field takes its own name less its plural s, as family
  // and label: outputs -> segward_output_sent_total{output="syslog"}.
  std::string stem = underscored(path);
  if (stem.ends_with('s')) stem.pop_back();
  const auto dot = path.rfind('.');
  std::string noun = dot == std::string_view::npos ? stem : stem.substr(dot + 1);
  return {stem, noun};
}

std::span<const std::string_view> gauge_paths() { return kGaugePaths; }
std::span<const std::string_view> renamed_paths() { return kRenamedPaths; }
std::span<const std::string_view> map_label_paths() { return kMapLabelPaths; }
std::span<const std::string_view> worker_metric_paths() { return kWorkerPaths; }
std::span<const ApiMetric> api_metrics() { return kApi; }

}  // namespace segward::api
