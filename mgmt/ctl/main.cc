// segwardctl: the command-line client of segward's REST API. The commands
// and their help are declared here; what each does is in commands.cc.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>

#include "mgmt/ctl/api_client.h"
#include "mgmt/ctl/bash_completion.h"
#include "mgmt/ctl/commands.h"
#include "mgmt/ctl/exit_codes.h"
#include "mgmt/ctl/token_file.h"

namespace {

using namespace segward::ctl;

constexpr const char* kDefaultTokenFile = "/etc/segward/token";

constexpr const char* kFooter =
    "\nEnvironment:\n"
    "  SEGWARD_URL         the sensor's API (--url), e.g. https://sensor1:8443\n"
    "  SEGWARD_TOKEN_FILE  the token file (--token-file); default /etc/segward/token\n"
    "The token file holds the bare token, or the server's own 'ROLE TOKEN' lines (the\n"
    "first one is used). Read commands (policy validate among them) need a read or admin\n"
    "token; policy apply, policy reload and learn start/stop need an admin token.\n"
    "\nExamples:\n"
    "  segwardctl status\n"
    "  segwardctl --url https://sensor1:8443 --cacert ca.pem flows --top 20 --sort packets\n"
    "  segwardctl alerts --severity 1 --follow\n"
    "  segwardctl policy validate new.yaml && segwardctl policy apply new.yaml\n"
    "  source <(segwardctl completion bash)\n\n";

// Each command records what to run once the whole line has parsed, so
// that errors from the server are reported outside CLI11's parse.
using Action = std::function<int(ApiClient&, const Output&)>;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"segwardctl: talk to a running segward sensor through its REST API."};
  app.set_version_flag("--version", SEGWARD_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options also after the command

  ClientOptions client;
  std::string token_file;
  bool json = false;
  app.add_option("--url", client.url, "The sensor's REST API: http://HOST:PORT or https://HOST:PORT")
      ->envname("SEGWARD_URL")
      ->capture_default_str();
  app.add_option("--token-file", token_file, "File with the bearer token (default /etc/segward/token)")
      ->envname("SEGWARD_TOKEN_FILE");
  app.add_option("--cacert", client.cacert, "PEM file of the CA that signed the sensor's certificate (https)")
      ->check(CLI::ExistingFile);
  app.add_flag("--insecure", client.insecure, "https: do not verify the sensor's certificate");
  app.add_option("--timeout", client.timeout_s, "Seconds to wait for a connection or an answer")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_flag("--json", json, "Print the server's JSON instead of a table");

  Action action;

  app.add_subcommand("health", "Is the sensor's API up (GET /healthz, no token needed)")
      ->callback([&] { action = [](ApiClient& c, const Output& o) { return cmd_health(c, o); }; });

  app.add_subcommand("status", "Version, mode, ports, workers, config and policy in force")
      ->footer("\nExample:\n  segwardctl status\n  segwardctl --json status | jq .policy_version\n")
      ->callback([&] { action = [](ApiClient& c, const Output& o) { return cmd_status(c, o); }; });

  app.add_subcommand("stats", "Counters: totals (non-zero), per worker, per port, and the API's own")
      ->footer("\nExample:\n  segwardctl stats\n  segwardctl --json stats | jq .totals.decoder.pkts\n")
      ->callback([&] { action = [](ApiClient& c, const Output& o) { return cmd_stats(c, o); }; });

  std::uint32_t top = 20;
  std::string sort = "bytes";
  auto* flows = app.add_subcommand("flows", "The largest (or oldest) flows in the flow tables now");
  flows->add_option("--top", top, "How many flows")->capture_default_str()->check(CLI::Range(1, 10000));
  flows->add_option("--sort", sort, "Order: bytes, packets or age (oldest first)")
      ->capture_default_str()
      ->check(CLI::IsMember({"bytes", "packets", "age"}));
  flows->footer("\nExample:\n  segwardctl flows --top 10 --sort packets\n");
  flows->callback([&] { action = [&](ApiClient& c, const Output& o) { return cmd_flows(c, o, top, sort); }; });

  AlertQuery alert_query;
  bool follow = false;
  auto* alerts = app.add_subcommand("alerts", "Recent alerts (kept by the sensor), or follow new ones");
  alerts->add_option("--since", alert_query.since,
                     "Only alerts after this one: the next_since of an earlier answer, or a timestamp "
                     "(2024-05-01T10:00:00Z)");
  alerts->add_option("--severity", alert_query.severity, "Only this severity and more severe (1 high .. 3 low)")
      ->check(CLI::Range(1, 3));
  alerts->add_option("--limit", alert_query.limit, "At most this many (the newest)")->check(CLI::Range(1, 1000000));
  alerts->add_flag("-f,--follow", follow,
                   "Print alerts as they are raised (Server-Sent Events) until interrupted; reconnects "
                   "after a drop without losing any");
  alerts->footer(
      "\nExamples:\n  segwardctl alerts --limit 20\n  segwardctl alerts --severity 1 --follow\n"
      "  segwardctl --json alerts --follow | jq -c '.alert | {id, signature}'\n");
  alerts->callback([&] {
    action = [&](ApiClient& c, const Output& o) {
      return follow ? cmd_alerts_follow(c, o, alert_query) : cmd_alerts(c, o, alert_query);
    };
  });

  std::uint64_t alert_id = 0;
  std::string evidence_out;
  auto* evidence = app.add_subcommand("evidence", "Download an alert's evidence: the flow's packets as pcapng");
  evidence->add_option("ALERT_ID", alert_id, "The alert's id (alert.id in alerts)")->required();
  evidence->add_option("-o,--output", evidence_out, "Where to write it ('-': standard output)")->required();
  evidence->footer("\nExample:\n  segwardctl evidence 42 -o alert42.pcapng && tshark -r alert42.pcapng\n");
  evidence->callback([&] {
    action = [&](ApiClient& c, const Output& o) { return cmd_evidence(c, o, alert_id, evidence_out); };
  });

  auto* policy = app.add_subcommand("policy", "The segmentation policy in force: get, validate, apply, reload");
  policy->require_subcommand(1);
  std::string policy_out, policy_file;
  auto* get = policy->add_subcommand("get", "Print the running policy's YAML");
  get->add_option("-o,--output", policy_out, "Write it to this file instead");
  get->footer("\nExample:\n  segwardctl policy get -o running.yaml\n");
  get->callback([&] { action = [&](ApiClient& c, const Output& o) { return cmd_policy_get(c, o, policy_out); }; });
  auto* validate = policy->add_subcommand("validate", "Check a policy file against the sensor (nothing changes)");
  validate->add_option("FILE", policy_file, "The policy YAML")->required()->check(CLI::ExistingFile);
  validate->footer("\nExit 5 with the located error when the policy is refused.\nExample:\n"
                   "  segwardctl policy validate new.yaml\n");
  validate->callback(
      [&] { action = [&](ApiClient& c, const Output& o) { return cmd_policy_validate(c, o, policy_file); }; });
  auto* apply = policy->add_subcommand("apply", "Validate a policy file, put it in force and save it on the sensor");
  apply->add_option("FILE", policy_file, "The policy YAML")->required()->check(CLI::ExistingFile);
  apply->footer("\nA refused policy (exit 5) leaves the running one in place. Needs an admin token.\n"
                "Example:\n  segwardctl policy apply new.yaml\n");
  apply->callback([&] { action = [&](ApiClient& c, const Output& o) { return cmd_policy_apply(c, o, policy_file); }; });
  policy->add_subcommand("reload", "Read the sensor's policy file again (as SIGHUP does)")
      ->footer("\nExit 5 when the file is refused (the running policy stays).\nExample:\n"
               "  segwardctl policy reload\n")
      ->callback([&] { action = [](ApiClient& c, const Output& o) { return cmd_policy_reload(c, o); }; });

  auto* rules = app.add_subcommand("rules", "The signature rules in force: reload them");
  rules->require_subcommand(1);
  rules->add_subcommand("reload", "Read the sensor's signature rule files again (as SIGHUP does)")
      ->footer("\nExit 5 with every located error when the files are refused (the running rules stay).\n"
               "Needs an admin token.\nExample:\n  segwardctl rules reload\n")
      ->callback([&] { action = [](ApiClient& c, const Output& o) { return cmd_rules_reload(c, o); }; });

  auto* learn = app.add_subcommand("learn", "Learn mode on live traffic: start, stop, status, show the proposal");
  learn->require_subcommand(1);
  for (const char* what : {"start", "stop", "status"}) {
    const std::string name = what;
    const char* help = name == "start"  ? "Start learning from the traffic (admin)"
                       : name == "stop" ? "Stop learning; the proposal stays available (admin)"
                                        : "Whether a learn run is active, and how much it has seen";
    learn->add_subcommand(name, help)->callback(
        [&action, name] { action = [name](ApiClient& c, const Output& o) { return cmd_learn(c, o, name); }; });
  }
  std::string proposal_out;
  auto* show = learn->add_subcommand("show", "Print the proposed policy YAML of the learn run");
  show->add_option("-o,--output", proposal_out, "Write it to this file instead");
  show->footer("\nExample:\n  segwardctl learn stop && segwardctl learn show -o proposal.yaml\n"
               "  segwardctl policy validate proposal.yaml\n");
  show->callback([&] { action = [&](ApiClient& c, const Output& o) { return cmd_learn_show(c, o, proposal_out); }; });

  auto* completion = app.add_subcommand("completion", "Print a shell completion script");
  bool offline = false;  // needs no sensor, nor a token
  completion->add_subcommand("bash", "Bash: source <(segwardctl completion bash)")->callback([&] {
    offline = true;
    std::cout << bash_completion(app);
  });
  completion->require_subcommand(1);

  // Set last: subcommands created before copy their parent's footer.
  app.footer(std::string(kFooter) + kExitCodesHelp);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kUsage;
  }

  if (offline) return kOk;
  try {
    // The token: the file named, else the default one if it exists, else
    // none (health needs none; the server's 401 then says so).
    if (!token_file.empty()) {
      client.token = read_token_file(token_file);
      client.token_source = token_file;
    } else if (std::error_code ec; std::filesystem::exists(kDefaultTokenFile, ec)) {
      client.token = read_token_file(kDefaultTokenFile);
      client.token_source = kDefaultTokenFile;
    }
    ApiClient c(client);
    return action(c, Output{json, std::cout});
  } catch (const CtlError& e) {
    std::cout.flush();
    std::cerr << "segwardctl: " << e.what() << '\n';
    return e.code;
  }
}
