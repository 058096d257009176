#include "mgmt/cli/rules_commands.h"

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <map>
#include <set>

#include "mgmt/proto/events.pb.h"
#include "mgmt/rule_file.h"
#include "mgmt/sensor.h"
#include "signatures/fields.h"

namespace segward::mgmt {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitRules = 2;

void print_errors(const signatures::RuleError& e) {
  for (const std::string& line : e.errors()) std::fprintf(stderr, "%s\n", line.c_str());
  std::fprintf(stderr, "%zu error%s: no rule was loaded\n", e.errors().size(), e.errors().size() == 1 ? "" : "s");
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (b < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", b);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

int rules_check(const std::vector<std::string>& paths) {
  try {
    const LoadedRules loaded = load_rule_files(paths, 1);
    std::map<std::string, std::size_t> per_file;
    for (const auto& r : loaded.set->rules()) ++per_file[r.file];
    for (const std::string& f : loaded.files) {
      std::printf("%s: ok: %zu rule%s\n", f.c_str(), per_file[f], per_file[f] == 1 ? "" : "s");
    }
    std::printf("%zu rules, version %s\n", loaded.set->size(), loaded.set->version().c_str());
    return kExitOk;
  } catch (const signatures::RuleError& e) {
    print_errors(e);
    return kExitRules;
  }
}

int rules_test(Config config, const std::vector<std::string>& paths, const std::vector<std::string>& captures,
               bool json, const std::string& eve_path) {
  // Refused rules are reported here, before any EAL start-up.
  std::shared_ptr<const signatures::RuleSet> set;
  try {
    set = load_rule_files(paths, 1).set;
  } catch (const signatures::RuleError& e) {
    print_errors(e);
    return kExitRules;
  }
  config.signature_rules = paths;
  config.policy.reset();
  config.policy_path.clear();
  config.l7.enabled = true;
  config.eve.path = eve_path.empty() ? "/dev/null" : eve_path;
  config.eve.stats_interval_s = 0;

  struct Fired {
    std::uint64_t alerts = 0;
    std::set<std::uint64_t> flows;
    std::string msg;
  };
  std::map<std::uint32_t, Fired> fired;
  std::string lines;
  SensorOptions options;
  options.replay_captures = captures;
  options.observer = [&](const events::Event& e) {
    if (e.event_type() != "alert" || e.alert().source() != "signature") return;
    const events::Alert& a = e.alert();
    Fired& f = fired[a.signature_id()];
    ++f.alerts;
    f.flows.insert(e.flow_id());
    f.msg = a.signature();
    char line[512];
    if (json) {
      std::snprintf(line, sizeof line,
                    "{\"rule\": %u, \"flow_id\": %llu, \"src_ip\": %s, \"src_port\": %u, \"dest_ip\": %s, "
                    "\"dest_port\": %u, \"app_proto\": %s}\n",
                    a.signature_id(), static_cast<unsigned long long>(e.flow_id()), json_string(e.src_ip()).c_str(),
                    e.src_port(), json_string(e.dest_ip()).c_str(), e.dest_port(),
                    json_string(e.app_proto()).c_str());
    } else {
      const std::string from = e.src_ip() + ":" + std::to_string(e.src_port());
      const std::string to = e.dest_ip() + ":" + std::to_string(e.dest_port());
      std::snprintf(line, sizeof line, "  %-8u %-18llu %-22s -> %-22s %-10s %s\n", a.signature_id(),
                    static_cast<unsigned long long>(e.flow_id()), from.c_str(), to.c_str(), e.app_proto().c_str(),
                    a.signature().c_str());
    }
    std::fputs(line, stdout);
  };
  if (!json) {
    std::printf("rules test: %zu rules (version %s) on %zu capture%s\n", set->size(), set->version().c_str(),
                captures.size(), captures.size() == 1 ? "" : "s");
    std::printf("  %-8s %-18s %-22s    %-22s %-10s %s\n", "RULE", "FLOW", "SOURCE", "DESTINATION", "APP", "MESSAGE");
  }
  (void)run_sensor(config, options);

  std::uint64_t alerts = 0;
  for (const auto& [id, f] : fired) alerts += f.alerts;
  if (json) {
    std::string summary = "{\"summary\": [";
    bool first = true;
    for (const auto& [id, f] : fired) {
      summary += (first ? "" : ", ") + std::string("{\"rule\": ") + std::to_string(id) +
                 ", \"fired\": " + std::to_string(f.alerts) + ", \"flows\": " + std::to_string(f.flows.size()) + "}";
      first = false;
    }
    std::printf("%s]}\n", summary.c_str());
    return kExitOk;
  }
  std::printf("\nsummary\n  %-8s %8s %8s  %s\n", "RULE", "ALERTS", "FLOWS", "MESSAGE");
  for (const auto& [id, f] : fired) {
    std::printf("  %-8u %8llu %8zu  %s\n", id, static_cast<unsigned long long>(f.alerts), f.flows.size(), f.msg.c_str());
  }
  std::printf("%zu of %zu rules fired, %llu alert%s\n", fired.size(), set->size(),
              static_cast<unsigned long long>(alerts), alerts == 1 ? "" : "s");
  return kExitOk;
}

int rules_fields() {
  for (const signatures::FieldInfo& f : signatures::field_catalog()) {
    const char* type = f.type == signatures::FieldType::kText ? "text" : f.type == signatures::FieldType::kNumber ? "number" : "bool";
    std::printf("%-34s %-10s %-7s %s\n", std::string(f.name).c_str(), std::string(signatures::subject_name(f.subject)).c_str(),
                type, std::string(f.help).c_str());
  }
  return kExitOk;
}

}  // namespace segward::mgmt
