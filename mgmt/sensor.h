#pragma once
// Runs the sensor: EAL, ports, one worker per lcore, and on the main thread
// the management loop that drains worker events into outputs until a stop.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dataplane/l7_event.h"
#include "mgmt/config.h"
#include "mgmt/proto/events.pb.h"
#include "mgmt/stats_snapshot.h"

namespace segward::mgmt {

struct SensorOptions {
  // Replay these captures through net_pcap in tap mode with capture
  // timestamps as engine time, instead of the configured ports.
  std::vector<std::string> replay_captures;
  // Live run: stop by itself after this many seconds (0: only on a signal).
  std::uint32_t stop_after_s = 0;
  // Sees every event after it was written to the outputs (management
  // thread; e.g. the learn mode).
  std::function<void(const events::Event&)> observer;
  // Sees every application-layer record (the decoders' typed events, as
  // the workers handed them over) before it is rendered: benchmarks and
  // tests that need the raw values (management thread).
  std::function<void(const dataplane::L7EventRecord&)> record_observer;
  // segward's version, for the REST API's status.
  std::string version;
};

// What a run saw, for the human summary printed at the end.
struct ServiceTally {
  std::uint64_t flows = 0, packets = 0, bytes = 0;
  std::uint64_t mesos_flows = 0;  // flows that carried Mesos requests
};

struct SensorReport {
  StatsSnapshot totals;
  std::uint64_t flow_events = 0;
  std::uint64_t events_written = 0;
  std::uint64_t eve_write_errors = 0;  // failed writes and flushes of the EVE file (lost events)
  double dataplane_seconds = 0;   // worker launch until every worker finished, flows ended and handed over
  double forwarding_seconds = 0;  // worker launch until the last worker's polling loop ended: packets/s divide by this
  std::uint64_t capture_packets = 0;   // replay: records in the files
  std::uint64_t capture_first_ns = 0, capture_last_ns = 0;
  std::map<std::pair<std::string, std::uint16_t>, ServiceTally> by_service;  // (proto, server port)
  // Application-layer events by EVE event_type ("mesos", "zookeeper", "tls", "anomaly").
  struct L7Tally {
    std::uint64_t events = 0;
    std::map<std::string, std::uint64_t> by_name;  // a short description of the event -> events
  };
  std::map<std::string, L7Tally> l7;
  std::string policy_source;  // the policy file applied ("" none)
  std::string signatures;     // "N signature rules from DIR (version V)" ("" none)
};

// Throws StartupError, ConfigError or CaptureError before any packet flows.
SensorReport run_sensor(const Config& config, const SensorOptions& options);

}  // namespace segward::mgmt
