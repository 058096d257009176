#pragma once
// The REST API of a running sensor: owns the API's shared state and server,
// feeds them from the management loop (status, counters, alerts), and
// answers the API's commands with the sensor's parts (flow tables through
// FlowSnapshot, the policy runtime, a learn run). Management thread, except
// where the API's handlers say otherwise (api_server.h).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dataplane/flow_snapshot.h"
#include "dataplane/worker.h"
#include "dataplane/worker_counters.h"
#include "mgmt/api/api_server.h"
#include "mgmt/api/api_state.h"
#include "mgmt/config.h"
#include "mgmt/learn/learner.h"
#include "mgmt/policy_runtime.h"
#include "mgmt/rules_runtime.h"
#include "mgmt/stats_snapshot.h"
#include "platform/ports.h"

namespace segward::mgmt {

// What the API sees of the sensor; everything outlives the SensorApi.
struct SensorView {
  const Config* config = nullptr;
  std::string version;
  dataplane::Mode mode = dataplane::Mode::kTap;
  std::vector<platform::PortSpec> ports;
  std::vector<platform::OpenedPort> opened;
  std::vector<const dataplane::WorkerCounters*> counters;  // by worker
  std::vector<dataplane::FlowSnapshot*> flow_snapshots;     // by worker
  PolicyRuntime* policy = nullptr;                          // null: no policy
  RulesRuntime* rules = nullptr;                            // null: no signature rules
  std::function<StatsSnapshot()> totals;                    // the sensor's summed counters, ports included
  // The evidence file of an alert ("" none yet); null: evidence is off.
  std::function<std::string(std::uint64_t)> evidence_path;
  std::uint64_t start_wall_ns = 0;
};

class SensorApi {
 public:
  // Reads the token file and binds (throws StartupError).
  SensorApi(const api::ApiConfig& config, SensorView view);
  ~SensorApi();

  // Each management loop pass: runs the API's commands and, at most every
  // `kRefresh`, publishes status and counters.
  void tick(std::uint64_t now_wall_ns);
  // Every event the outputs were given: alerts go to the API's buffer and
  // stream, everything to an active learn run.
  void on_event(const events::Event& event);
  // Final counters published, streams ended, server stopped.
  void stop();

  static constexpr std::uint64_t kRefreshNs = 500'000'000ULL;

 private:
  api::ApiHandlers handlers();
  api::FlowList flows(std::uint32_t top, const std::string& sort);
  void publish(std::uint64_t now_wall_ns);
  api::PolicyValidation refused_or_ok(const std::string& error);
  api::LearnStatus learn_status() const;

  SensorView view_;
  api::ApiState state_;
  std::unique_ptr<api::ApiServer> server_;
  std::uint64_t next_refresh_ns_ = 0;
  std::string config_version_;
  std::mutex flows_mutex_;  // one top-flows request at a time (FlowSnapshot has one asker)
  // The learn run (POST /api/v1/learn/start); kept after stop for its proposal.
  std::unique_ptr<learn::Learner> learner_;
  bool learning_ = false;
  std::uint64_t learn_started_ns_ = 0;
};

}  // namespace segward::mgmt
