// render_metrics(): the Prometheus text a scrape of /metrics gets. Checks
// the series a dashboard is built on, that every counter of events.Stats is
// exposed without being listed, and that promtool (the reference linter,
// Debian's prometheus package) accepts the output with no complaint.
#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

#include "mgmt/api/metrics.h"
#include "mgmt/api/metrics_names.h"
#include "mgmt/api/prometheus_text.h"

namespace segward::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

StatsReply populated() {
  StatsReply r;
  r.set_timestamp("2024-05-01T10:00:00.000000+0000");
  events::Stats& t = *r.mutable_totals();
  t.set_uptime(42);
  t.mutable_decoder()->set_pkts(1234);
  t.mutable_decoder()->set_bytes(98765);
  (*t.mutable_decoder()->mutable_errors())["ipv4_truncated"] = 3;
  (*t.mutable_decoder()->mutable_errors())["tcp_bad_offset"] = 1;
  t.mutable_flow()->set_created(20);
  t.mutable_flow()->set_active(7);
  t.mutable_l7()->set_reassembly_memory(4096);
  (*t.mutable_l7()->mutable_zookeeper())["frames"] = 11;
  t.mutable_policy()->set_source("/etc/segward/policy.yaml");
  t.mutable_policy()->set_generation(2);
  t.mutable_policy()->set_alerts(4);
  (*t.mutable_policy()->mutable_violations())["write_paths"] = 2;
  auto* rule = t.mutable_policy()->add_rules_hit();
  rule->set_name("zk-readers-to-zk-servers");
  rule->set_id(3);
  rule->set_flows(5);
  rule->set_packets(50);
  auto* odd = t.mutable_policy()->add_rules_hit();
  odd->set_name("say \"hi\"\\now\n");  // a label value that needs every escape
  odd->set_id(4);
  odd->set_flows(1);
  auto* syslog = t.add_outputs();
  syslog->set_name("syslog");
  syslog->set_sent(9);
  for (std::uint32_t w = 0; w < 2; ++w) {
    WorkerStats& ws = *r.add_workers();
    ws.set_worker(w);
    ws.mutable_stats()->mutable_decoder()->set_pkts(600 + 34 * w);
    ws.mutable_stats()->mutable_flow()->set_active(3 + w);
    (*ws.mutable_stats()->mutable_decoder()->mutable_errors())["ipv4_truncated"] = 1;
  }
  PortStats& p = *r.add_ports();
  p.set_name("wire");
  p.set_rx_packets(1240);
  p.set_rx_missed(6);
  ApiCounters& a = *r.mutable_api();
  a.set_requests(17);
  a.set_unauthorized(2);
  a.set_forbidden(1);
  a.set_stream_clients(1);
  return r;
}

Status status() {
  Status s;
  s.set_version("0.6.0");
  s.set_mode("tap");
  s.set_workers(2);
  s.set_policy_source("/etc/segward/policy.yaml");
  s.set_policy_version("0123456789abcdef");
  PortInfo& p = *s.add_ports();
  p.set_name("wire");
  p.set_device("net_pcap0,rx_pcap=x.pcap");
  return s;
}

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l == line) return true;
  }
  return false;
}

// promtool's verdict on `text`: its output (empty when clean) and exit code.
std::pair<std::string, int> promtool_check(const std::string& text) {
  char path[] = "/tmp/metrics_test.XXXXXX";
  const int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  std::ofstream(path) << text;
  close(fd);
  const std::string cmd = "promtool check metrics < " + std::string(path) + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr) out += buf;
  const int rc = p != nullptr ? pclose(p) : -1;
  unlink(path);
  return {out, WIFEXITED(rc) ? WEXITSTATUS(rc) : -1};
}

TEST(Metrics, TheSeriesADashboardUses) {
  const std::string m = render_metrics(populated(), status());
  EXPECT_TRUE(has_line(m, "# TYPE segward_rx_packets_total counter")) << m;
  EXPECT_TRUE(has_line(m, "segward_rx_packets_total 1234"));
  EXPECT_TRUE(has_line(m, "segward_rx_bytes_total 98765"));
  EXPECT_TRUE(has_line(m, "segward_decoder_errors_total{error=\"ipv4_truncated\"} 3"));
  EXPECT_TRUE(has_line(m, "segward_decoder_errors_total{error=\"tcp_bad_offset\"} 1"));
  EXPECT_TRUE(has_line(m, "segward_flow_created_total 20"));
  EXPECT_TRUE(has_line(m, "# TYPE segward_flow_active gauge"));
  EXPECT_TRUE(has_line(m, "segward_flow_active 7"));
  EXPECT_TRUE(has_line(m, "segward_uptime_seconds 42"));
  EXPECT_TRUE(has_line(m, "segward_l7_reassembly_memory_bytes 4096"));
  EXPECT_TRUE(has_line(m, "segward_l7_zookeeper_total{counter=\"frames\"} 11"));
  EXPECT_TRUE(has_line(m, "segward_policy_generation 2"));
  EXPECT_TRUE(has_line(m, "segward_policy_alerts_total 4"));
  EXPECT_TRUE(has_line(m, "segward_policy_violations_total{condition=\"write_paths\"} 2"));
  EXPECT_TRUE(has_line(m, "segward_policy_rule_flows_total{rule=\"zk-readers-to-zk-servers\",id=\"3\"} 5"));
  EXPECT_TRUE(has_line(m, "segward_policy_rule_packets_total{rule=\"zk-readers-to-zk-servers\",id=\"3\"} 50"));
  EXPECT_TRUE(has_line(m, "segward_output_sent_total{output=\"syslog\"} 9"));
  EXPECT_TRUE(has_line(m, "segward_worker_rx_packets_total{worker=\"0\"} 600"));
  EXPECT_TRUE(has_line(m, "segward_worker_rx_packets_total{worker=\"1\"} 634"));
  EXPECT_TRUE(has_line(m, "segward_worker_flow_active{worker=\"1\"} 4"));
  EXPECT_TRUE(has_line(m, "segward_port_rx_packets_total{port=\"wire\"} 1240"));
  EXPECT_TRUE(has_line(m, "segward_port_rx_missed_total{port=\"wire\"} 6"));
  EXPECT_TRUE(has_line(m, "segward_api_requests_total 17"));
  EXPECT_TRUE(has_line(m, "segward_api_refused_total{reason=\"unauthorized\"} 2"));
  EXPECT_TRUE(has_line(m, "segward_api_refused_total{reason=\"forbidden\"} 1"));
  EXPECT_TRUE(has_line(m, "segward_api_refused_total{reason=\"server_error\"} 0"));
  EXPECT_TRUE(has_line(m, "segward_api_stream_clients 1"));
  EXPECT_TRUE(has_line(m, "segward_info{version=\"0.6.0\",mode=\"tap\",config_version=\"\",rules_version=\"\"} 1"));
  EXPECT_TRUE(has_line(m, "segward_policy_info{source=\"/etc/segward/policy.yaml\",version=\"0123456789abcdef\"} 1"));
  EXPECT_TRUE(has_line(m, "segward_workers 2"));
  // Per worker only the few listed: no per-worker decoder errors.
  EXPECT_EQ(m.find("segward_worker_decoder_errors"), std::string::npos);
  // Strings are not samples.
  EXPECT_EQ(m.find("segward_policy_source"), std::string::npos);
}

TEST(Metrics, LabelValuesAreEscaped) {
  const std::string m = render_metrics(populated(), status());
  EXPECT_TRUE(has_line(m, R"(segward_policy_rule_flows_total{rule="say \"hi\"\\now\n",id="4"} 1)")) << m;
}

// Sets every numeric leaf of `m` to a distinct value, recording path -> value.
void fill_numbers(Message& m, const std::string& path, std::uint64_t& next, std::map<std::string, std::uint64_t>& out) {
  const Descriptor* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string p = path.empty() ? f->name() : path + "." + f->name();
    if (f->is_repeated()) continue;
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      fill_numbers(*r->MutableMessage(&m, f), p, next, out);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_UINT64) {
      r->SetUInt64(&m, f, next);
      out[p] = next++;
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_UINT32) {
      r->SetUInt32(&m, f, static_cast<std::uint32_t>(next));
      out[p] = next++;
    }
  }
}

TEST(Metrics, EveryNumberOfEventsStatsIsExposed) {
  StatsReply r;
  std::uint64_t next = 1000;
  std::map<std::string, std::uint64_t> values;
  fill_numbers(*r.mutable_totals(), "", next, values);
  ASSERT_GT(values.size(), 60u);  // the walk reached the sub-messages
  const std::string m = render_metrics(r, Status());
  for (const auto& [path, value] : values) {
    const std::string name = "segward_" + stats_metric_name(path).name;
    EXPECT_TRUE(has_line(m, name + " " + std::to_string(value))) << path << " as " << name;
  }
}

TEST(Metrics, EachFamilyHasOneHelpAndType) {
  const std::string m = render_metrics(populated(), status());
  std::set<std::string> typed;
  std::istringstream in(m);
  std::string current;
  for (std::string l; std::getline(in, l);) {
    if (l.starts_with("# TYPE ")) {
      const std::string name = l.substr(7, l.find(' ', 7) - 7);
      EXPECT_TRUE(typed.insert(name).second) << "family printed twice: " << name;
      current = name;
    } else if (!l.starts_with("#")) {
      // A sample belongs to the family above it.
      EXPECT_EQ(l.substr(0, l.find_first_of("{ ")), current) << l;
    }
  }
}

TEST(Metrics, PromtoolAcceptsTheOutput) {
  for (const auto& [name, text] : {std::pair{"populated", render_metrics(populated(), status())},
                                   std::pair{"empty", render_metrics(StatsReply(), Status())}}) {
    const auto [out, rc] = promtool_check(text);
    // Not skipped when promtool is missing: platform/install-deps.sh installs it.
    EXPECT_EQ(rc, 0) << name << ": " << out;
    EXPECT_EQ(out, "") << name << ":\n" << text;
  }
}

// The tables name fields that exist: a renamed proto field must not turn a
// gauge into a counter silently.
TEST(MetricsNames, TablesNameRealFields) {
  const Descriptor* stats = events::Stats::descriptor();
  auto find = [&](std::string_view path) -> const FieldDescriptor* {
    const Descriptor* d = stats;
    const FieldDescriptor* f = nullptr;
    std::string rest(path);
    while (d != nullptr) {
      const auto dot = rest.find('.');
      f = d->FindFieldByName(rest.substr(0, dot));
      if (f == nullptr || dot == std::string::npos) return f;
      rest = rest.substr(dot + 1);
      d = f->message_type();
    }
    return nullptr;
  };
  for (auto p : gauge_paths()) EXPECT_NE(find(p), nullptr) << p;
  for (auto p : renamed_paths()) EXPECT_NE(find(p), nullptr) << p;
  for (auto p : worker_metric_paths()) EXPECT_NE(find(p), nullptr) << p;
  for (auto p : map_label_paths()) {
    const FieldDescriptor* f = find(p);
    ASSERT_NE(f, nullptr) << p;
    EXPECT_TRUE(f->is_map()) << p;
  }
  std::set<std::string> api_fields;
  for (const ApiMetric& a : api_metrics()) {
    EXPECT_NE(ApiCounters::descriptor()->FindFieldByName(std::string(a.field)), nullptr) << a.field;
    EXPECT_TRUE(api_fields.insert(std::string(a.field)).second) << a.field;
  }
  EXPECT_EQ(api_fields.size(), static_cast<std::size_t>(ApiCounters::descriptor()->field_count()));
}

TEST(PrometheusText, AFamilyKeepsItsType) {
  PrometheusText t;
  t.add("x_total", PrometheusText::Type::kCounter, "x", {}, std::uint64_t{1});
  EXPECT_THROW(t.add("x_total", PrometheusText::Type::kGauge, "x", {}, std::uint64_t{1}), std::logic_error);
}

TEST(PrometheusText, SamplesAddedApartArePrintedTogether) {
  PrometheusText t;
  t.add("a_total", PrometheusText::Type::kCounter, "a\\b\nc", {{"k", "1"}}, std::uint64_t{1});
  t.add("b", PrometheusText::Type::kGauge, "b", {}, 0.5);
  t.add("a_total", PrometheusText::Type::kCounter, "ignored", {{"k", "2"}}, std::uint64_t{2});
  EXPECT_EQ(t.str(),
            "# HELP a_total a\\\\b\\nc\n# TYPE a_total counter\na_total{k=\"1\"} 1\na_total{k=\"2\"} 2\n"
            "# HELP b b\n# TYPE b gauge\nb 0.5\n");
}

}  // namespace
}  // namespace segward::api
