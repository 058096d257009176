#include "mgmt/api/metrics.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mgmt/api/metrics_names.h"
#include "mgmt/api/prometheus_text.h"

namespace segward::api {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;
using Type = PrometheusText::Type;
using Labels = PrometheusText::Labels;

// A numeric field's value, or false for a field that is not a number
// (strings are names, not measurements: they go to info gauges or labels).
bool numeric_value(const Message& m, const FieldDescriptor* f, std::uint64_t& out) {
  const Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    // Negative values never occur in counters: clamped rather than wrapped.
    case FieldDescriptor::CPPTYPE_UINT64:
      out = r->GetUInt64(m, f);
      return true;
    case FieldDescriptor::CPPTYPE_UINT32:
      out = r->GetUInt32(m, f);
      return true;
    case FieldDescriptor::CPPTYPE_INT64:
      out = static_cast<std::uint64_t>(std::max<std::int64_t>(0, r->GetInt64(m, f)));
      return true;
    case FieldDescriptor::CPPTYPE_INT32:
      out = static_cast<std::uint64_t>(std::max<std::int32_t>(0, r->GetInt32(m, f)));
      return true;
    case FieldDescriptor::CPPTYPE_BOOL:
      out = r->GetBool(m, f) ? 1 : 0;
      return true;
    default:
      return false;
  }
}

std::string label_text(const Message& m, const FieldDescriptor* f) {
  const Reflection* r = m.GetReflection();
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) return r->GetString(m, f);
  std::uint64_t v = 0;
  numeric_value(m, f, v);
  return std::to_string(v);
}

std::string join(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : std::string(path) + "." + std::string(name);
}

// Walks an events.Stats (or a sub-message) with reflection, so that a
// counter added to events.proto appears here without being listed. `prefix`
// is segward_ (totals) or segward_worker_; `only` limits the walk to some
// paths (the per-worker series); `labels` go on every sample.
class StatsWalker {
 public:
  StatsWalker(PrometheusText& out, std::string prefix, Labels labels, const std::vector<std::string_view>* only)
      : out_(out), prefix_(std::move(prefix)), labels_(std::move(labels)), only_(only) {}

  void walk(const Message& m, const std::string& path) {
    const auto* d = m.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const std::string p = join(path, f->name());
      if (f->is_map()) {
        if (wanted(p)) map_field(m, f, p);
      } else if (f->is_repeated()) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && wanted(p)) rows_field(m, f, p);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        walk(m.GetReflection()->GetMessage(m, f), p);
      } else if (wanted(p)) {
        std::uint64_t v = 0;
        if (numeric_value(m, f, v)) scalar(p, labels_, v);
      }
    }
  }

 private:
  [[nodiscard]] bool wanted(const std::string& path) const {
    return only_ == nullptr || std::find(only_->begin(), only_->end(), path) != only_->end();
  }

  void scalar(const std::string& path, const Labels& labels, std::uint64_t value) {
    const MetricName n = stats_metric_name(path);
    out_.add(prefix_ + n.name, n.gauge ? Type::kGauge : Type::kCounter, n.help, labels, value);
  }

  // map<string, uint64>: one series per key, the key a label; sorted, so
  // that the output does not follow the map's hash order.
  void map_field(const Message& m, const FieldDescriptor* f, const std::string& path) {
    const Reflection* r = m.GetReflection();
    std::vector<std::pair<std::string, std::uint64_t>> entries;
    for (int i = 0, n = r->FieldSize(m, f); i < n; ++i) {
      const Message& e = r->GetRepeatedMessage(m, f, i);
      const auto* ed = e.GetDescriptor();
      std::uint64_t v = 0;
      if (!numeric_value(e, ed->field(1), v)) continue;
      entries.emplace_back(label_text(e, ed->field(0)), v);
    }
    std::sort(entries.begin(), entries.end());
    const std::string label = map_label_name(path);
    for (const auto& [key, value] : entries) {
      Labels l = labels_;
      l.emplace_back(label, key);
      scalar(path, l, value);
    }
  }

  // repeated messages (policy.rules_hit): string fields and `id` are
  // labels, numbers are series of their own.
  void rows_field(const Message& m, const FieldDescriptor* f, const std::string& path) {
    const Reflection* r = m.GetReflection();
    const RowNames rn = row_names(path);
    for (int i = 0, n = r->FieldSize(m, f); i < n; ++i) {
      const Message& row = r->GetRepeatedMessage(m, f, i);
      const auto* rd = row.GetDescriptor();
      Labels l = labels_;
      for (int j = 0; j < rd->field_count(); ++j) {
        const FieldDescriptor* rf = rd->field(j);
        if (rf->cpp_type() == FieldDescriptor::CPPTYPE_STRING || rf->name() == "id") {
          l.emplace_back(rf->name() == "name" ? rn.noun : rf->name(), label_text(row, rf));
        }
      }
      for (int j = 0; j < rd->field_count(); ++j) {
        const FieldDescriptor* rf = rd->field(j);
        std::uint64_t v = 0;
        if (rf->cpp_type() == FieldDescriptor::CPPTYPE_STRING || rf->name() == "id" || !numeric_value(row, rf, v)) {
          continue;
        }
        out_.add(prefix_ + rn.family + "_" + rf->name() + "_total", Type::kCounter,
                 "events.Stats." + path + "[]." + rf->name() + ", by " + rn.noun, l, v);
      }
    }
  }

  PrometheusText& out_;
  std::string prefix_;
  Labels labels_;
  const std::vector<std::string_view>* only_;
};

// Port statistics: every numeric field of PortStats as a counter with the
// port's name as label.
void add_ports(PrometheusText& out, const StatsReply& stats) {
  for (const PortStats& port : stats.ports()) {
    const auto* d = port.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      std::uint64_t v = 0;
      if (!numeric_value(port, f, v)) continue;
      out.add("segward_port_" + f->name() + "_total", Type::kCounter,
              "segward.api.PortStats." + f->name() + ", by port", {{"port", port.name()}}, v);
    }
  }
}

void add_api(PrometheusText& out, const ApiCounters& api) {
  const auto* d = api.GetDescriptor();
  for (const ApiMetric& a : api_metrics()) {
    std::uint64_t v = 0;
    numeric_value(api, d->FindFieldByName(std::string(a.field)), v);
    Labels l;
    if (!a.reason.empty()) l.emplace_back("reason", std::string(a.reason));
    out.add(a.name, a.gauge ? Type::kGauge : Type::kCounter, a.help, l, v);
  }
}

void add_status(PrometheusText& out, const Status& status) {
  out.add("segward_info", Type::kGauge, "The sensor's version and mode (always 1)",
          {{"version", status.version()},
           {"mode", status.mode()},
           {"config_version", status.config_version()},
           {"rules_version", status.rules_version()}},
          std::uint64_t{1});
  out.add("segward_workers", Type::kGauge, "Worker threads (lcores) running the dataplane", {},
          std::uint64_t{status.workers()});
  out.add("segward_learning", Type::kGauge, "1 while a learn run is active", {},
          std::uint64_t{status.learning() ? 1u : 0u});
  if (!status.policy_source().empty()) {
    out.add("segward_policy_info", Type::kGauge, "The running policy file and its version (always 1)",
            {{"source", status.policy_source()}, {"version", status.policy_version()}}, std::uint64_t{1});
  }
  for (const PortInfo& p : status.ports()) {
    out.add("segward_port_info", Type::kGauge, "A configured port (always 1)",
            {{"port", p.name()}, {"device", p.device()}, {"tx_to", p.tx_to()}}, std::uint64_t{1});
  }
}

}  // namespace

std::string render_metrics(const StatsReply& stats, const Status& status) {
  PrometheusText out;
  add_status(out, status);
  StatsWalker(out, "segward_", {}, nullptr).walk(stats.totals(), "");
  // Per worker only what shows an imbalance or a loss; the rest is in the
  // totals (per-worker copies of every counter would multiply the series
  // by the worker count for little use).
  const std::vector<std::string_view> per_worker(worker_metric_paths().begin(), worker_metric_paths().end());
  for (const WorkerStats& w : stats.workers()) {
    StatsWalker(out, "segward_worker_", {{"worker", std::to_string(w.worker())}}, &per_worker).walk(w.stats(), "");
  }
  add_ports(out, stats);
  add_api(out, stats.api());
  return out.str();
}

}  // namespace segward::api
