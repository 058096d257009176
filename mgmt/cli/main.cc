// segward: the sensor's command line.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "mgmt/capture_file.h"
#include "mgmt/cli/summary.h"
#include "mgmt/config.h"
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
#ifndef SEGWARD_DEFAULT_CAPTURE
#define SEGWARD_DEFAULT_CAPTURE ""
#endif

namespace {

// Exit codes, documented in --help and the README.
constexpr int kExitOk = 0;
constexpr int kExitRuntime = 1;
constexpr int kExitConfig = 2;
constexpr int kExitCapture = 3;

constexpr const char* kFooter = R"(
Exit codes:
  0  success (run: stopped by SIGINT/SIGTERM after draining and flushing)
  1  runtime failure (DPDK EAL, ports, memory, output files)
  2  bad command line or configuration (one line: FILE:LINE:COL: key.path: message)
  3  bad capture file (not pcap/pcapng, truncated, not Ethernet)

Examples:
  segward replay                                 replay the bundled ZooKeeper, Mesos and TLS captures
  segward replay --eve - trace.pcap | jq .       events of one capture on standard output
  segward replay --eve - zk.pcap | jq 'select(.event_type=="zookeeper") | .zookeeper'
  segward replay --config segward.yaml a.pcap b.pcap
  segward check-config /etc/segward/segward.yaml
  segward run --config /etc/segward/segward.yaml

Signals (run): SIGINT/SIGTERM stop RX, end every flow (reason shutdown),
flush outputs and exit 0.
Documentation: README.md (configuration and EVE event reference).)";

segward::mgmt::Config load_or_default(const std::string& path) {
  return path.empty() ? segward::mgmt::default_config() : segward::mgmt::load_config_file(path);
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
  std::vector<std::string> captures;
  bool quiet = false;

  auto* run = app.add_subcommand("run", "Run the appliance on the configured ports until SIGINT/SIGTERM");
  run->add_option("-c,--config", config_path, "Configuration file (YAML)")->required();

  auto* replay = app.add_subcommand(
      "replay", "Replay captures through the dataplane (net_pcap, tap mode, capture time as engine time)");
  replay->add_option("-c,--config", config_path, "Configuration file (YAML); ports and mode are ignored");
  replay->add_option("-e,--eve", eve_path, "EVE JSON output file, '-' for standard output (default: eve.json)");
  replay->add_flag("-q,--quiet", quiet, "Do not print the summary");
  replay->add_option("captures", captures,
                     "pcap or pcapng files (default: the bundled captures of real traffic, " SEGWARD_DEFAULT_CAPTURE
                     ", " SEGWARD_DEFAULT_MESOS_CAPTURE " and " SEGWARD_DEFAULT_TLS_CAPTURE ")");

  auto* check = app.add_subcommand("check-config", "Validate a configuration file and exit (2 if invalid)");
  check->add_option("file", config_path, "Configuration file (YAML)")->required();

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
      std::printf("%s: ok\n", config_path.c_str());
      return kExitOk;
    }
    auto config = load_or_default(config_path);
    if (*run) {
      const auto report = segward::mgmt::run_sensor(config, {});
      // One machine-readable line for operators and the benchmark script.
      const double secs = report.dataplane_seconds;
      std::fprintf(stderr, "dataplane: %llu packets in %.3f s (%.0f packets/s)\n",
                   static_cast<unsigned long long>(report.totals.rx_packets), secs,
                   secs > 0 ? static_cast<double>(report.totals.rx_packets) / secs : 0.0);
      return kExitOk;
    }
    // replay
    if (captures.empty()) captures = {SEGWARD_DEFAULT_CAPTURE, SEGWARD_DEFAULT_MESOS_CAPTURE, SEGWARD_DEFAULT_TLS_CAPTURE};
    if (!eve_path.empty()) config.eve.path = eve_path;
    const auto report = segward::mgmt::run_sensor(config, {captures});
    if (!quiet) print_replay_summary(config.eve.path == "-" ? stderr : stdout, captures, report, config.eve.path);
    return kExitOk;
  } catch (const segward::mgmt::ConfigError& e) {
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
