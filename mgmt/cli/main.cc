// segward: the sensor's command line.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/policy/compiled_policy.h"
#include "mgmt/cli/rules_commands.h"
#include "mgmt/rule_file.h"
#include "mgmt/api/token_store.h"
#include "mgmt/capture_file.h"
#include "mgmt/cli/summary.h"
#include "mgmt/config.h"
#include "mgmt/learn/learner.h"
#include "mgmt/learn/policy_diff.h"
#include "mgmt/learn/policy_writer.h"
#include "mgmt/policy_file.h"
#include "mgmt/sensor.h"
#include "platform/startup_error.h"

#ifndef SEGWARD_VERSION
#define SEGWARD_VERSION "0.0.0"
#endif
#ifndef SEGWARD_DEFAULT_MESOS_CAPTURE
#define SEGWARD_DEFAULT_MESOS_CAPTURE ""
#endif
#ifndef SEGWARD_DEFAULT_TLS_CAPTURE
#define SEGWARD_DEFAULT_TLS_CAPTURE ""
#endif
#ifndef SEGWARD_DEFAULT_POLICY
#define SEGWARD_DEFAULT_POLICY ""
#endif
#ifndef SEGWARD_DEFAULT_RULES
#define SEGWARD_DEFAULT_RULES ""
#endif
#ifndef SEGWARD_DEFAULT_CAPTURE
#define SEGWARD_DEFAULT_CAPTURE ""
#endif

namespace {

// Exit codes, documented in --help and the README.
constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitConfig = 2;
constexpr int kExitCapture = 3;
constexpr int kExitDifferent = 1;  // policy diff: the two policies differ

constexpr const char* kFooter = R"(
Exit codes:
  0  success (run: stopped by SIGINT/SIGTERM after draining and flushing; policy diff: the same policy)
  1  runtime failure (DPDK EAL, ports, memory, output files); policy diff: the policies differ
  2  bad command line, configuration or policy file (one line: FILE:LINE:COL: key.path: message)
  3  bad capture file (not pcap/pcapng, truncated, not Ethernet)

Examples:
  segward replay                                 replay the bundled ZooKeeper, Mesos and TLS captures
  segward replay --eve - trace.pcap | jq .       events of one capture on standard output
  segward replay --eve - zk.pcap | jq 'select(.event_type=="zookeeper") | .zookeeper'
  segward replay --config segward.yaml a.pcap b.pcap
  segward replay --policy policy.yaml --eve - cluster.pcap | jq 'select(.event_type=="alert")'
  segward replay --rules signatures/rules --no-policy cluster.pcap
                                                 signature alerts only, from the built-in rule pack
  segward rules check my-rules.yaml              compile rule files; located errors, exit 2 if refused
  segward rules test --rules my-rules.yaml attack.pcap
                                                 which rules fire on which flows, and a summary
  segward check-config /etc/segward/segward.yaml
  segward run --config /etc/segward/segward.yaml
  segward learn -o proposed.yaml healthy-cluster.pcap
                                                 propose an allowlist from what a capture shows
  segward learn --config segward.yaml --duration 3600 -o proposed.yaml
                                                 the same from an hour of live traffic (tap mode)
  segward policy check proposed.yaml             validate a policy file
  segward policy diff proposed.yaml /etc/segward/policy.yaml
                                                 what adopting the proposal would change

Signals (run): SIGINT/SIGTERM stop RX, end every flow (reason shutdown),
flush outputs and exit 0.
Documentation: README.md (configuration and EVE event reference).)";

constexpr const char* kLearnFooter = R"(
What learn proposes (on standard output, or -o FILE; EVE events are written as by replay/run):
  segments   one per role, a /32 (/128) per host: zk-servers; zk-election-writers (wrote under /mesos or
             created ephemeral sequential znodes), zk-writers, zk-readers, zk-admins (four-letter words
             only); mesos-masters, mesos-agents, framework-PRINCIPAL, mesos-operators; and for any other
             traffic SERVICE-clients / SERVICE-servers
  services   the server ports seen, with the app every flow carried (zookeeper, mesos, tls, http; else any)
  rules      one allow rule per (client role, server role, service) seen, with the L7 lists of what was
             said (zookeeper ops, paths, write_paths, four_letter_words, auth; mesos messages, calls,
             principals, roles, endpoints); sequence suffixes of sequential znodes become '*'
  default    drop: nothing the learn run did not see is allowed
Comments above each segment, service and rule give the evidence: hosts, flows, requests, first and last seen.
)";

segward::mgmt::Config load_or_default(const std::string& path) {
  return path.empty() ? segward::mgmt::default_config() : segward::mgmt::load_config_file(path);
}

std::string counted(std::uint64_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// segward learn: replay the captures (or run live on the configured ports)
// with a Learner watching every event, then write its proposal.
int run_learn(segward::mgmt::Config& config, const std::vector<std::string>& captures, std::uint32_t duration_s,
              const std::string& proposal_path, const std::string& eve_path) {
  if (!eve_path.empty()) config.eve.path = eve_path;
  if (!captures.empty() && duration_s != 0) {
    std::fprintf(stderr, "learn: --duration is for a live run; with captures the learn run is the captures\n");
    return kExitConfig;
  }
  if (proposal_path.empty() && config.eve.path == "-") {
    std::fprintf(stderr, "learn: the proposal and the EVE output cannot both go to standard output (use -o FILE)\n");
    return kExitConfig;
  }
  if (captures.empty()) segward::mgmt::validate_for_run(config);
  // A bad output path fails now, not after a long live run; what the file
  // held stays until the proposal replaces it, and a file made only for
  // this check goes again if the run fails.
  struct OutputProbe {
    std::string path;
    bool created = false, done = false;
    ~OutputProbe() {
      if (created && !done) std::filesystem::remove(path);
    }
  } probe{proposal_path};
  if (!proposal_path.empty()) {
    std::error_code ec;
    probe.created = !std::filesystem::exists(proposal_path, ec);
    if (!std::ofstream(proposal_path, std::ios::out | std::ios::app)) {
      probe.created = false;
      std::fprintf(stderr, "segward: %s: cannot write the proposal\n", proposal_path.c_str());
      return kExitRuntime;
    }
  }
  segward::learn::Learner learner;
  segward::mgmt::SensorOptions options;
  options.replay_captures = captures;
  options.stop_after_s = duration_s;
  options.observer = [&learner](const segward::events::Event& e) { learner.observe(e); };
  const auto report = segward::mgmt::run_sensor(config, options);

  const auto proposal = learner.propose();
  std::string origin;
  if (captures.empty()) {
    origin = "from a live run of " + std::to_string(static_cast<long long>(report.dataplane_seconds + 0.5)) +
             " s on " + config.source;
  } else {
    origin = "from " + std::to_string(captures.size()) + (captures.size() == 1 ? " capture:" : " captures:");
    for (const auto& c : captures) origin += " " + c;
  }
  const std::string text = segward::learn::write_policy_yaml(proposal, origin);
  if (proposal_path.empty()) {
    std::fputs(text.c_str(), stdout);
    std::fflush(stdout);
  } else {
    std::ofstream file(proposal_path, std::ios::out | std::ios::trunc);
    file << text;
    file.close();
    probe.done = true;
    if (!file) {
      std::fprintf(stderr, "segward: %s: cannot write the proposal\n", proposal_path.c_str());
      return kExitRuntime;
    }
  }
  // One line for the operator: what was seen, what is proposed.
  std::fprintf(stderr, "learn: %s, %s, %s -> %s, %s, %s, default drop%s%s\n",
               counted(proposal.events, "event").c_str(), counted(proposal.flows, "flow").c_str(),
               counted(proposal.requests, "request").c_str(), counted(proposal.policy.segments.size(), "segment").c_str(),
               counted(proposal.policy.services.size(), "service").c_str(),
               counted(proposal.policy.rules.size(), "rule").c_str(), proposal_path.empty() ? "" : " -> ",
               proposal_path.c_str());
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"segward " SEGWARD_VERSION
               ": a DPDK network sensor that guards the segments of Apache Mesos clusters.\n"
               "It forwards or drops between two ports (inline) or observes a tap, tracks every flow\n"
               "and writes EVE JSON events."};
  app.footer(kFooter);
  app.set_version_flag("--version", "segward " SEGWARD_VERSION);
  app.require_subcommand(1);

  std::string config_path;
  std::string eve_path;
  std::string policy_path;
  std::vector<std::string> captures;
  bool quiet = false;

  auto* run = app.add_subcommand("run", "Run the appliance on the configured ports until SIGINT/SIGTERM");
  run->add_option("-c,--config", config_path, "Configuration file (YAML)")->required();

  auto* replay = app.add_subcommand(
      "replay", "Replay captures through the dataplane (net_pcap, tap mode, capture time as engine time)");
  replay->add_option("-c,--config", config_path, "Configuration file (YAML); ports and mode are ignored");
  replay->add_option("-e,--eve", eve_path, "EVE JSON output file, '-' for standard output (default: eve.json)");
  bool no_policy = false;
  auto* policy_option = replay->add_option(
      "-p,--policy", policy_path,
      "Policy file (YAML) to judge the replay by (tap mode: alerts); replaces the config's `policy`. Default "
      "without --config: the built-in baseline " SEGWARD_DEFAULT_POLICY);
  replay->add_flag("--no-policy", no_policy, "Judge nothing: no policy, not even the built-in baseline")
      ->excludes(policy_option);
  std::vector<std::string> rule_paths;
  bool no_rules = false;
  auto* rules_option = replay->add_option(
      "-r,--rules", rule_paths,
      "Signature rule file or directory (repeatable); replaces the config's `signatures.rules`. Default without "
      "--config: the built-in rule pack " SEGWARD_DEFAULT_RULES)
                           ->allow_extra_args(false);
  replay->add_flag("--no-rules", no_rules, "Run no signature rules, not even the built-in pack")->excludes(rules_option);
  replay->add_flag("-q,--quiet", quiet, "Do not print the summary");
  replay->add_option("captures", captures,
                     "pcap or pcapng files (default: the bundled captures of real traffic, " SEGWARD_DEFAULT_CAPTURE
                     ", " SEGWARD_DEFAULT_MESOS_CAPTURE " and " SEGWARD_DEFAULT_TLS_CAPTURE ")");

  auto* check = app.add_subcommand("check-config", "Validate a configuration file and exit (2 if invalid)");
  check->add_option("file", config_path, "Configuration file (YAML)")->required();

  std::uint32_t duration_s = 0;
  std::string proposal_path;
  auto* learn = app.add_subcommand(
      "learn", "Propose a policy from what a healthy cluster does (captures, or the configured ports live)");
  learn->footer(std::string(kLearnFooter) + kFooter);
  learn->add_option("-c,--config", config_path,
                    "Configuration file (YAML): the ports for a live run; a replay ignores ports and mode");
  learn->add_option("-d,--duration", duration_s,
                    "Live run: learn for this many seconds, then write the proposal (default: until SIGINT/SIGTERM)")
      ->check(CLI::Range(1u, 31u * 24u * 3600u));
  learn->add_option("-o,--output", proposal_path, "Write the proposed policy here (default: standard output)");
  learn->add_option("-e,--eve", eve_path, "EVE JSON output file, '-' for standard output (default: the config's)");
  learn->add_option("captures", captures, "pcap or pcapng files to learn from (none: a live run on the config's ports)");
  std::vector<std::string> learn_pcaps;
  learn->add_option("-p,--pcap", learn_pcaps, "A capture to learn from (repeatable; the same as listing it)");

  auto* policy_cmd = app.add_subcommand("policy", "Policy files: validate one, or compare two");
  policy_cmd->require_subcommand(1);
  std::string policy_a, policy_b;
  auto* policy_check = policy_cmd->add_subcommand(
      "check", "Parse and validate a policy file; print a one-line summary (exit 2 with the located error if bad)");
  policy_check->add_option("file", policy_a, "Policy file (YAML)")->required();
  auto* policy_diff = policy_cmd->add_subcommand(
      "diff", "Show what using PROPOSED instead of RUNNING would change (exit 0 same, 1 different, 2 bad file)");
  policy_diff->add_option("proposed", policy_a, "Policy file, e.g. from segward learn")->required();
  policy_diff->add_option("running", policy_b, "Policy file in force")->required();

  auto* rules_cmd = app.add_subcommand("rules", "Signature rule files: check them, test them on captures, list fields");
  rules_cmd->require_subcommand(1);
  rules_cmd->footer(R"(
Rule format: signatures/README.md. Errors are located: FILE:LINE[:COL]: rule ID: what, one per line, all of
them (a file with any error is refused whole).
Exit codes: 0 ok (test: also when rules fired), 2 refused rules or bad command line, 3 bad capture.

Examples:
  segward rules check signatures/rules local.yaml
  segward rules test -r signatures/rules -r local.yaml suspicious.pcap
  segward rules test -r local.yaml --json cluster.pcap | jq -c 'select(.rule)'
  segward rules fields | grep '^zookeeper'
A running sensor reloads its rules on SIGHUP or POST /api/v1/rules/reload (segwardctl rules reload).)");
  std::vector<std::string> check_paths;
  auto* rules_check = rules_cmd->add_subcommand("check", "Parse and compile rule files; print every located error");
  rules_check->add_option("files", check_paths, "Rule files or directories of *.yaml")->required();
  std::vector<std::string> test_rules;
  bool test_json = false;
  auto* rules_test = rules_cmd->add_subcommand(
      "test", "Replay captures with the rules (no policy): which rules fired on which flows, then a summary");
  rules_test->add_option("-r,--rules", test_rules, "Rule file or directory (repeatable: -r A -r B)")
      ->required()
      ->allow_extra_args(false);
  rules_test->add_option("-c,--config", config_path, "Configuration file for the dataplane settings (optional)");
  rules_test->add_option("-e,--eve", eve_path, "Also write the EVE events here ('-' is not allowed; default: none)");
  rules_test->add_flag("--json", test_json,
                       "One JSON object per alert {rule, flow_id, src_ip, src_port, dest_ip, dest_port, app_proto}, "
                       "then {\"summary\": [{rule, fired, flows}]}");
  rules_test->add_option("captures", captures, "pcap or pcapng files")->required();
  auto* rules_fields = rules_cmd->add_subcommand("fields", "List the fields rules can test");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitConfig;
  }

  try {
    if (*check) {
      const auto config = segward::mgmt::load_config_file(config_path);
      segward::mgmt::validate_for_run(config);
      if (config.policy != nullptr) {
        // Parsed and validated; compiling it (rte_acl) needs the EAL and happens at `run`.
        const auto& p = *config.policy;
        std::printf("%s: ok (policy %s: %s, %s, %s, default %s)\n", config_path.c_str(), config.policy_path.c_str(),
                    counted(p.segments.size(), "segment").c_str(), counted(p.services.size(), "service").c_str(),
                    counted(p.rules.size(), "rule").c_str(), std::string(segward::policy::action_name(p.default_action)).c_str());
      } else {
        std::printf("%s: ok (no policy)\n", config_path.c_str());
      }
      if (!config.signature_rules.empty()) {
        const auto loaded = segward::mgmt::load_rule_files(config.signature_rules, 1);
        std::printf("signatures: %s from %s, version %s\n", counted(loaded.set->size(), "rule").c_str(),
                    counted(loaded.files.size(), "file").c_str(), loaded.set->version().c_str());
      }
      if (config.api.enabled) {
        // The token file is read (and its mode checked) as `run` would.
        try {
          const auto tokens = segward::api::TokenStore::load(config.api.tokens_path);
          std::printf("api: %s://%s:%u, %s\n", config.api.tls_cert.empty() ? "http" : "https",
                      config.api.listen.host.c_str(), static_cast<unsigned>(config.api.listen.port),
                      counted(tokens.size(), "token").c_str());
        } catch (const segward::StartupError& e) {
          std::fprintf(stderr, "segward: %s\n", e.what());
          return kExitConfig;
        }
      }
      return kExitOk;
    }
    if (*rules_check) return segward::mgmt::rules_check(check_paths);
    if (*rules_fields) return segward::mgmt::rules_fields();
    if (*rules_test) {
      if (eve_path == "-") {
        std::fprintf(stderr, "rules test: --eve - would mix EVE with the report on standard output\n");
        return kExitConfig;
      }
      return segward::mgmt::rules_test(load_or_default(config_path), test_rules, captures, test_json, eve_path);
    }
    if (*policy_check) {
      const auto p = segward::mgmt::load_policy_file(policy_a);
      std::printf("%s: ok: %s, %s, %s, default %s\n", policy_a.c_str(), counted(p.segments.size(), "segment").c_str(),
                  counted(p.services.size(), "service").c_str(), counted(p.rules.size(), "rule").c_str(),
                  std::string(segward::policy::action_name(p.default_action)).c_str());
      return kExitOk;
    }
    if (*policy_diff) {
      const auto proposed = segward::mgmt::load_policy_file(policy_a);
      const auto running = segward::mgmt::load_policy_file(policy_b);
      const auto changes = segward::learn::diff_policies(proposed, running);
      std::fputs(segward::learn::format_policy_diff(changes, proposed, running).c_str(), stdout);
      return changes.empty() ? kExitOk : kExitDifferent;
    }
    auto config = load_or_default(config_path);
    if (*learn) {
      captures.insert(captures.end(), learn_pcaps.begin(), learn_pcaps.end());
      return run_learn(config, captures, duration_s, proposal_path, eve_path);
    }
    if (*run) {
      segward::mgmt::SensorOptions options;
      options.version = SEGWARD_VERSION;
      const auto report = segward::mgmt::run_sensor(config, options);
      // One machine-readable line for operators and the benchmark script:
      // packets over the time the workers polled, then how long ending the
      // flows and handing over their events took after the stop.
      const double secs = report.forwarding_seconds;
      std::fprintf(stderr, "dataplane: %llu packets in %.3f s (%.0f packets/s); %.3f s more to end flows and hand over their events\n",
                   static_cast<unsigned long long>(report.totals.rx_packets), secs,
                   secs > 0 ? static_cast<double>(report.totals.rx_packets) / secs : 0.0,
                   std::max(0.0, report.dataplane_seconds - secs));
      return kExitOk;
    }
    // replay
    if (captures.empty()) captures = {SEGWARD_DEFAULT_CAPTURE, SEGWARD_DEFAULT_MESOS_CAPTURE, SEGWARD_DEFAULT_TLS_CAPTURE};
    if (!eve_path.empty()) config.eve.path = eve_path;
    // No config and no --policy: the built-in baseline policy (alerts only).
    if (policy_path.empty() && config_path.empty() && !no_policy) policy_path = SEGWARD_DEFAULT_POLICY;
    if (no_policy) {
      config.policy.reset();
      config.policy_path.clear();
    } else if (!policy_path.empty()) {
      config.policy = std::make_shared<const segward::policy::Policy>(segward::mgmt::load_policy_file(policy_path));
      config.policy_path = policy_path;
    }
    // No config and no --rules: the built-in rule pack.
    if (rule_paths.empty() && config_path.empty() && !no_rules) rule_paths = {SEGWARD_DEFAULT_RULES};
    if (no_rules) {
      config.signature_rules.clear();
    } else if (!rule_paths.empty()) {
      config.signature_rules = rule_paths;
    }
    segward::mgmt::SensorOptions options;
    options.replay_captures = captures;
    const auto report = segward::mgmt::run_sensor(config, options);
    if (!quiet) print_replay_summary(config.eve.path == "-" ? stderr : stdout, captures, report, config.eve.path);
    return kExitOk;
  } catch (const segward::mgmt::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitConfig;
  } catch (const segward::policy::PolicyError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitConfig;
  } catch (const segward::signatures::RuleError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitConfig;
  } catch (const segward::mgmt::CaptureError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kExitCapture;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "segward: %s\n", e.what());
    return kExitRuntime;
  }
}
