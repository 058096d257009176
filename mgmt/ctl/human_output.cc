#include "mgmt/ctl/human_output.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

#include "mgmt/ctl/table.h"

namespace segward::ctl {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string endpoint(const std::string& ip, std::uint32_t port) {
  if (ip.empty()) return "";
  const bool v6 = ip.find(':') != std::string::npos;
  if (port == 0) return ip;
  return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

// Numbers of a stats message as dotted paths, zeros left out (a sensor has
// a hundred counters, most of them zero); maps as path[key].
void flatten(const Message& m, const std::string& path, std::vector<std::pair<std::string, std::uint64_t>>& out) {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    const std::string p = path.empty() ? f->name() : path + "." + f->name();
    if (f->is_map()) {
      std::vector<std::pair<std::string, std::uint64_t>> entries;
      for (int j = 0; j < r->FieldSize(m, f); ++j) {
        const Message& e = r->GetRepeatedMessage(m, f, j);
        const auto* er = e.GetReflection();
        const auto* ed = e.GetDescriptor();
        if (ed->field(1)->cpp_type() != FieldDescriptor::CPPTYPE_UINT64) continue;
        const std::uint64_t v = er->GetUInt64(e, ed->field(1));
        if (v != 0) entries.emplace_back(p + "[" + er->GetString(e, ed->field(0)) + "]", v);
      }
      std::sort(entries.begin(), entries.end());
      out.insert(out.end(), entries.begin(), entries.end());
    } else if (f->is_repeated()) {
      continue;  // policy.rules_hit: a table of its own
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      flatten(r->GetMessage(m, f), p, out);
    } else {
      std::uint64_t v = 0;
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_UINT64) v = r->GetUInt64(m, f);
      else if (f->cpp_type() == FieldDescriptor::CPPTYPE_UINT32) v = r->GetUInt32(m, f);
      else continue;
      if (v != 0) out.emplace_back(p, v);
    }
  }
}

}  // namespace

std::string format_duration(std::uint64_t seconds) {
  char buf[48];
  const auto d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
  if (d > 0) {
    std::snprintf(buf, sizeof buf, "%llud %02llu:%02llu:%02llu", static_cast<unsigned long long>(d),
                  static_cast<unsigned long long>(h), static_cast<unsigned long long>(m),
                  static_cast<unsigned long long>(s));
  } else {
    std::snprintf(buf, sizeof buf, "%02llu:%02llu:%02llu", static_cast<unsigned long long>(h),
                  static_cast<unsigned long long>(m), static_cast<unsigned long long>(s));
  }
  return buf;
}

void print_status(const api::Status& s, std::ostream& out) {
  Table t({"", ""});
  t.row({"version", s.version()});
  t.row({"mode", s.mode()});
  t.row({"started", s.started() + " (up " + format_duration(s.uptime()) + ")"});
  t.row({"workers", std::to_string(s.workers())});
  t.row({"config", s.config_source() + (s.config_version().empty() ? "" : " (" + s.config_version() + ")")});
  if (s.policy_source().empty()) {
    t.row({"policy", "none"});
  } else {
    t.row({"policy", s.policy_source() + " (" + s.policy_version() + "), generation " +
                         std::to_string(s.policy_generation()) + ", " + std::to_string(s.policy_rules()) + " rules"});
  }
  t.row({"learning", s.learning() ? "yes" : "no"});
  if (!s.rules_version().empty()) {
    t.row({"signatures", std::to_string(s.rules_count()) + " rules (" + s.rules_version() + "), generation " +
                             std::to_string(s.rules_generation())});
  } else {
    t.row({"signatures", "none"});
  }
  // Key-value lines: no header row.
  std::ostringstream kv;
  t.print(kv);
  const std::string text = kv.str();
  out << text.substr(text.find('\n') + 1);
  if (s.ports_size() > 0) {
    out << '\n';
    Table p({"PORT", "DEVICE", "ID>", "QUEUES>", "TX_TO"});
    for (const auto& port : s.ports()) {
      p.row({port.name(), port.device(), std::to_string(port.port_id()), std::to_string(port.queues()),
             or_dash(port.tx_to())});
    }
    p.print(out);
  }
}

void print_stats(const api::StatsReply& s, std::ostream& out) {
  std::vector<std::pair<std::string, std::uint64_t>> counters;
  flatten(s.totals(), "", counters);
  Table t({"COUNTER", "VALUE>"});
  for (const auto& [name, value] : counters) t.row({name, std::to_string(value)});
  out << "Totals at " << s.timestamp() << " (zero counters not shown; --json for all):\n";
  t.print(out);

  if (s.totals().policy().rules_hit_size() > 0) {
    out << '\n';
    Table r({"RULE", "ID>", "FLOWS>", "PACKETS>"});
    for (const auto& rule : s.totals().policy().rules_hit()) {
      r.row({rule.name(), std::to_string(rule.id()), std::to_string(rule.flows()), std::to_string(rule.packets())});
    }
    r.print(out);
  }
  if (s.workers_size() > 0) {
    out << '\n';
    Table w({"WORKER>", "PACKETS>", "BYTES>", "FLOWS>", "ACTIVE>", "EVENTS_DROPPED>"});
    for (const auto& ws : s.workers()) {
      const auto& st = ws.stats();
      w.row({std::to_string(ws.worker()), std::to_string(st.decoder().pkts()), std::to_string(st.decoder().bytes()),
             std::to_string(st.flow().created()), std::to_string(st.flow().active()),
             std::to_string(st.events_dropped() + st.l7().events_dropped())});
    }
    w.print(out);
  }
  if (s.ports_size() > 0) {
    out << '\n';
    Table p({"PORT", "RX_PACKETS>", "RX_BYTES>", "RX_MISSED>", "RX_ERRORS>", "TX_PACKETS>", "TX_BYTES>", "TX_ERRORS>"});
    for (const auto& port : s.ports()) {
      p.row({port.name(), std::to_string(port.rx_packets()), std::to_string(port.rx_bytes()),
             std::to_string(port.rx_missed()), std::to_string(port.rx_errors()), std::to_string(port.tx_packets()),
             std::to_string(port.tx_bytes()), std::to_string(port.tx_errors())});
    }
    p.print(out);
  }
  const auto& a = s.api();
  out << "\nAPI: " << a.requests() << " requests, refused " << a.unauthorized() << " unauthorized, " << a.forbidden()
      << " forbidden, " << a.bad_requests() << " bad, " << a.not_found() << " not found, " << a.server_errors()
      << " server errors; " << a.stream_clients() << " alert streams, " << a.alerts_buffered() << " alerts buffered\n";
}

void print_flows(const api::FlowList& f, std::ostream& out) {
  Table t({"FLOW_ID", "WORKER>", "PROTO", "SRC", "DEST", "APP", "PKTS>", "BYTES>", "STATE", "LAST_SEEN", "RULE"});
  for (const auto& e : f.flows()) {
    t.row({std::to_string(e.flow_id()), std::to_string(e.worker()), e.proto(), endpoint(e.src_ip(), e.src_port()),
           endpoint(e.dest_ip(), e.dest_port()), or_dash(e.app_proto()),
           std::to_string(e.pkts_toserver() + e.pkts_toclient()),
           std::to_string(e.bytes_toserver() + e.bytes_toclient()), e.state(), e.last_seen(),
           or_dash(e.policy_rule())});
  }
  t.print(out);
  out << f.flows_size() << " of " << f.active() << " active flows, by " << (f.sort().empty() ? "bytes" : f.sort())
      << '\n';
}

namespace {

std::vector<std::string> alert_cells(const events::Event& e) {
  const auto& a = e.alert();
  return {std::to_string(a.id()),
          e.timestamp(),
          std::to_string(a.severity()),
          a.action(),
          a.signature(),
          endpoint(e.src_ip(), e.src_port()),
          endpoint(e.dest_ip(), e.dest_port()),
          or_dash(e.app_proto()),
          or_dash(a.condition())};
}

}  // namespace

void print_alerts(const api::AlertList& a, std::ostream& out) {
  Table t({"ID>", "TIME", "SEV>", "ACTION", "RULE", "SRC", "DEST", "APP", "CONDITION"});
  for (const auto& e : a.alerts()) t.row(alert_cells(e));
  t.print(out);
  out << a.alerts_size() << " alerts; newer ones: --since " << a.next_since() << '\n';
}

std::string alert_line(const events::Event& e) {
  const auto c = alert_cells(e);
  return c[0] + "  " + c[1] + "  sev " + c[2] + "  " + c[3] + "  " + c[4] + "  " + c[5] + " -> " + c[6] + "  " + c[7] +
         "  " + c[8];
}

void print_validation(const api::PolicyValidation& v, std::ostream& out) {
  if (!v.valid()) {
    out << "invalid: " << v.error() << '\n';
    return;
  }
  out << "valid: " << (v.source().empty() ? "" : v.source() + ": ") << v.segments() << " segments, " << v.services()
      << " services, " << v.rules() << " rules, default " << v.default_action() << '\n';
}

void print_learn(const api::LearnStatus& l, std::ostream& out) {
  if (!l.active() && l.started().empty()) {
    out << "no learn run\n";
    return;
  }
  out << (l.active() ? "learning since " : "learn run stopped; it started ") << l.started() << ", " << l.events()
      << " events observed\n";
  if (!l.active()) out << "the proposal: segwardctl learn show\n";
}

}  // namespace segward::ctl
