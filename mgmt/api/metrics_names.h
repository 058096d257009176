#pragma once
// The few decisions render_metrics() cannot take from events.proto alone:
// which fields are gauges (they go down), which get a name a user looks for,
// what a map's key is called as a label, and the API counters' names. Kept
// as tables so that the unit test can check each entry still names a field.
#include <span>
#include <string>
#include <string_view>

namespace segward::api {

struct MetricName {
  std::string name;  // without the segward_ / segward_worker_ prefix; counters end in _total
  std::string help;
  bool gauge = false;
};

// `path`: a field of events.Stats, dotted ("decoder.pkts", "uptime").
MetricName stats_metric_name(std::string_view path);

// The label a map field's keys become ("decoder.errors" -> "error").
std::string map_label_name(std::string_view path);

// A repeated message field (policy.rules_hit): its family name stem
// ("policy_rule") and the label its `name` field becomes ("rule").
struct RowNames {
  std::string family;
  std::string noun;
};
RowNames row_names(std::string_view path);

// Paths of events.Stats with an entry in the tables above (for the test).
std::span<const std::string_view> gauge_paths();
std::span<const std::string_view> renamed_paths();
std::span<const std::string_view> map_label_paths();

// The events.Stats fields also reported per worker.
std::span<const std::string_view> worker_metric_paths();

struct ApiMetric {
  std::string_view field;   // of api.ApiCounters
  std::string_view name;    // the full metric name
  std::string_view reason;  // the reason="..." label; empty: none
  bool gauge;
  std::string_view help;
};
// Every field of api.ApiCounters, once.
std::span<const ApiMetric> api_metrics();

}  // namespace segward::api
