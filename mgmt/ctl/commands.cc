#include "mgmt/ctl/commands.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "mgmt/ctl/human_output.h"
#include "mgmt/proto/api.pb.h"

namespace segward::ctl {

namespace {

template <class T>
T parse(const Reply& r, const std::string& what) {
  T m;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;  // a newer server may say more
  const auto st = google::protobuf::util::JsonStringToMessage(r.body, &m, opts);
  if (!st.ok()) {
    throw CtlError(kServerError, what + ": the reply is not the JSON expected: " + std::string(st.message()));
  }
  return m;
}

void print_json(const Output& o, const std::string& body) {
  o.out << body;
  if (!body.ends_with('\n')) o.out << '\n';
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CtlError(kUsage, "cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_output(const std::string& path, const std::string& data, const Output& o) {
  if (path.empty() || path == "-") {
    o.out << data;
    o.out.flush();
    return;
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f || !f.write(data.data(), static_cast<std::streamsize>(data.size())) || !f.flush()) {
    throw CtlError(kUsage, "cannot write " + path + ": " + std::strerror(errno));
  }
}

// policy validate / apply / reload: 200 with valid, or a refusal (400 with
// an api.Error, or valid=false) that exits 5 with the located message.
int policy_answer(ApiClient& c, const Output& o, const Reply& r, const std::string& what) {
  if (r.status == 400) {
    if (o.json) print_json(o, r.body);
    const CtlError e = c.error_for(r, what);
    throw CtlError(kValidationRefused, e.what());
  }
  if (r.status >= 400) throw c.error_for(r, what);
  const auto v = parse<api::PolicyValidation>(r, what);
  if (o.json) {
    print_json(o, r.body);
  } else if (v.valid()) {
    print_validation(v, o.out);
  }
  if (!v.valid()) throw CtlError(kValidationRefused, what + ": refused: " + v.error());
  return kOk;
}

// --json: the server's body as it came; else parsed and printed as a table.
template <class T>
int show(const Output& o, const Reply& r, const std::string& what, void (*print)(const T&, std::ostream&)) {
  if (o.json) {
    print_json(o, r.body);
  } else {
    print(parse<T>(r, what), o.out);
  }
  return kOk;
}

httplib::Params alert_params(const AlertQuery& q) {
  httplib::Params p;
  if (!q.since.empty()) p.emplace("since", q.since);
  if (q.severity != 0) p.emplace("severity", std::to_string(q.severity));
  if (q.limit != 0) p.emplace("limit", std::to_string(q.limit));
  return p;
}

}  // namespace

int cmd_health(ApiClient& c, const Output& o) {
  const Reply r = c.call("GET", "/healthz");
  print_json(o, r.body);
  return kOk;
}

int cmd_status(ApiClient& c, const Output& o) {
  return show<api::Status>(o, c.call("GET", "/api/v1/status"), "status", print_status);
}

int cmd_stats(ApiClient& c, const Output& o) {
  return show<api::StatsReply>(o, c.call("GET", "/api/v1/stats"), "stats", print_stats);
}

int cmd_flows(ApiClient& c, const Output& o, std::uint32_t top, const std::string& sort) {
  const Reply r = c.call("GET", "/api/v1/flows", {{"top", std::to_string(top)}, {"sort", sort}});
  return show<api::FlowList>(o, r, "flows", print_flows);
}

int cmd_alerts(ApiClient& c, const Output& o, const AlertQuery& q) {
  return show<api::AlertList>(o, c.call("GET", "/api/v1/alerts", alert_params(q)), "alerts", print_alerts);
}

int cmd_alerts_follow(ApiClient& c, const Output& o, const AlertQuery& q) {
  // Interrupting a follow is how it ends: exit 0. Each alert was flushed
  // when printed, so nothing is lost by leaving at once.
  std::signal(SIGINT, [](int) { std::_Exit(kOk); });
  std::signal(SIGTERM, [](int) { std::_Exit(kOk); });
  SseParser parser;
  // A numeric --since resumes after that alert, as a reconnect does.
  if (!q.since.empty() && q.since.find_first_not_of("0123456789") == std::string::npos) {
    parser.set_last_event_id(q.since);
  }
  httplib::Params params;
  if (q.severity != 0) params.emplace("severity", std::to_string(q.severity));
  if (!q.since.empty() && parser.last_event_id().empty()) params.emplace("since", q.since);
  bool connected = false;
  int backoff_s = 1;
  for (;;) {
    try {
      c.stream("/api/v1/alerts/stream", params, parser, [&](const SseEvent& e) {
        connected = true;
        backoff_s = 1;
        if (e.event != "alert") return true;
        if (o.json) {
          o.out << e.data << '\n';
        } else {
          Reply r{200, e.data, ""};
          o.out << alert_line(parse<events::Event>(r, "alert stream")) << '\n';
        }
        o.out.flush();
        return true;
      });
    } catch (const CtlError& e) {
      // The first connection must work (a wrong URL or token is reported);
      // after that a sensor restart is waited out.
      if (!connected || e.code != kCannotConnect) throw;
    }
    connected = true;
    std::cerr << "segwardctl: alert stream ended; reconnecting in " << backoff_s << " s"
              << (parser.last_event_id().empty() ? "" : " (after alert " + parser.last_event_id() + ")") << '\n';
    std::this_thread::sleep_for(std::chrono::seconds(backoff_s));
    backoff_s = std::min(backoff_s * 2, 30);
  }
}

int cmd_evidence(ApiClient& c, const Output& o, std::uint64_t alert_id, const std::string& path) {
  const Reply r = c.call("GET", "/api/v1/evidence/" + std::to_string(alert_id) + ".pcapng");
  write_output(path, r.body, o);
  if (path != "-") std::cerr << "wrote " << r.body.size() << " bytes to " << path << '\n';
  return kOk;
}

int cmd_policy_get(ApiClient& c, const Output& o, const std::string& path) {
  const Reply r = c.call("GET", "/api/v1/policy");
  if (o.json) {
    print_json(o, r.body);
    return kOk;
  }
  const auto p = parse<api::PolicyReply>(r, "policy");
  write_output(path, p.text(), o);
  if (!path.empty() && path != "-") {
    std::cerr << "wrote " << p.source() << " (generation " << p.generation() << ", version " << p.version() << ") to "
              << path << '\n';
  }
  return kOk;
}

int cmd_policy_validate(ApiClient& c, const Output& o, const std::string& file) {
  const std::string text = read_file(file);
  return policy_answer(c, o, c.request("POST", "/api/v1/policy/validate", {}, text, "application/yaml"),
                       "policy validate " + file);
}

int cmd_policy_apply(ApiClient& c, const Output& o, const std::string& file) {
  const std::string text = read_file(file);
  return policy_answer(c, o, c.request("PUT", "/api/v1/policy", {}, text, "application/yaml"),
                       "policy apply " + file);
}

int cmd_policy_reload(ApiClient& c, const Output& o) {
  return policy_answer(c, o, c.request("POST", "/api/v1/policy/reload"), "policy reload");
}

int cmd_rules_reload(ApiClient& c, const Output& o) {
  const Reply r = c.request("POST", "/api/v1/rules/reload");
  if (r.status == 400) {
    if (o.json) print_json(o, r.body);
    throw CtlError(kValidationRefused, c.error_for(r, "rules reload").what());
  }
  if (r.status >= 400) throw c.error_for(r, "rules reload");
  const auto v = parse<api::RulesReply>(r, "rules reload");
  if (o.json) {
    print_json(o, r.body);
  } else {
    o.out << "rules reloaded: " << v.rules() << " rules from " << v.files_size() << " files, version " << v.version()
          << ", generation " << v.generation() << "\n";
  }
  return kOk;
}

int cmd_learn(ApiClient& c, const Output& o, const std::string& action) {
  const Reply r = action == "status" ? c.call("GET", "/api/v1/learn") : c.call("POST", "/api/v1/learn/" + action);
  return show<api::LearnStatus>(o, r, "learn " + action, print_learn);
}

int cmd_learn_show(ApiClient& c, const Output& o, const std::string& path) {
  const Reply r = c.call("GET", "/api/v1/learn/proposal");
  write_output(path, r.body, o);
  return kOk;
}

}  // namespace segward::ctl
