#include "mgmt/sensor.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "dataplane/event_ring.h"
#include "dataplane/flow_table.h"
#include "dataplane/worker.h"
#include "decoders/libprocess/mesos_event.h"
#include "mgmt/capture_file.h"
#include "mgmt/event_renderer.h"
#include "mgmt/evidence_writer.h"
#include "mgmt/eve_writer.h"
#include "mgmt/event_outputs.h"
#include "mgmt/policy_runtime.h"
#include "mgmt/rules_runtime.h"
#include "mgmt/sensor_api.h"
#include "platform/eal_session.h"
#include "platform/log.h"
#include "platform/mbuf_clock.h"
#include "platform/ports.h"
#include "platform/signals.h"
#include "platform/startup_error.h"

namespace segward::mgmt {
namespace {

// Everything one lcore owns. Replay runs one stage per capture file, in order,
// on the same flow table.
struct WorkerSlot {
  std::unique_ptr<dataplane::FlowTable> flows;
  std::unique_ptr<dataplane::EventRing> events;
  std::unique_ptr<dataplane::L7EventRing> l7_events;
  std::unique_ptr<dataplane::L7Engine> l7;
  std::unique_ptr<dataplane::WorkerPolicy> policy;
  std::unique_ptr<dataplane::EvidenceRing> evidence_ring;
  std::unique_ptr<dataplane::EvidenceRecorder> evidence;
  std::unique_ptr<dataplane::FlowSnapshot> flow_snapshot = std::make_unique<dataplane::FlowSnapshot>();
  dataplane::WorkerCounters counters;
  std::vector<std::unique_ptr<dataplane::Worker>> stages;
  std::atomic<bool> stop{false};
  std::atomic<bool> finished{false};
};

int worker_main(void* arg) {
  auto* slot = static_cast<WorkerSlot*>(arg);
  for (auto& stage : slot->stages) stage->run(slot->stop);
  slot->finished.store(true, std::memory_order_release);
  return 0;
}

std::vector<std::string> eal_args_for(const Config& config, const std::vector<platform::PortSpec>& ports) {
  std::vector<std::string> args = config.eal_args;
  const bool any_pci = std::any_of(ports.begin(), ports.end(),
                                   [](const auto& p) { return platform::is_pci_address(p.device); });
  if (any_pci) std::erase(args, std::string("--no-pci"));
  const auto devices = platform::eal_device_args(ports);
  args.insert(args.end(), devices.begin(), devices.end());
  return args;
}

class EventDrain {
 public:
  EventDrain(EveWriter& eve, EventOutputs& outputs, std::vector<std::string> port_names, SensorReport& report,
             std::function<void(const events::Event&)> observer, const PolicyRuntime* policy,
             const RulesRuntime* rules)
      : eve_(eve),
        outputs_(outputs),
        port_names_(std::move(port_names)),
        report_(report),
        observer_(std::move(observer)),
        policy_(policy),
        rules_(rules) {}

  // Moves pending events of a worker's rings to the outputs, at most
  // `limit` of each, so a worker that produces faster than we write cannot
  // keep the control loop from seeing a stop request. Application events go
  // first: a worker queues a flow's L7 events before its flow record.
  // Returns how many it moved.
  unsigned drain(dataplane::L7EventRing* l7, dataplane::EventRing& ring, unsigned limit = 8192) {
    const unsigned moved = l7 != nullptr ? drain_ring(*l7, l7_batch_.get(), kL7Batch, limit) : 0;
    return moved + drain_ring(ring, batch_.data(), static_cast<unsigned>(batch_.size()), limit);
  }

  // The REST API, when configured: sees every event written.
  void set_api(SensorApi* api) { api_ = api; }
  // Sees every application-layer record before it is rendered (SensorOptions::record_observer).
  void set_record_observer(std::function<void(const dataplane::L7EventRecord&)> observer) {
    record_observer_ = std::move(observer);
  }

  // Everything left, once the workers have finished.
  void drain_all(dataplane::L7EventRing* l7, dataplane::EventRing& ring) {
    while (drain(l7, ring) != 0) {
    }
  }

 private:
  template <class Ring, class Event>
  unsigned drain_ring(Ring& ring, Event* batch, unsigned batch_size, unsigned limit) {
    unsigned moved = 0;
    while (moved < limit) {
      const unsigned n = ring.pop(batch, batch_size);
      for (unsigned i = 0; i < n; ++i) handle(batch[i]);
      moved += n;
      if (n < batch_size) break;
    }
    return moved;
  }

  void handle(const dataplane::DataplaneEvent& e) {
    if (e.kind != dataplane::EventKind::kFlowEnd) return;
    render_flow_event(e.flow, port_names_, event_);
    write();
    ++report_.flow_events;
    const std::uint16_t server_port = e.flow.client_is_lo ? e.flow.key.port_hi : e.flow.key.port_lo;
    auto& tally = report_.by_service[{event_.proto(), server_port}];
    ++tally.flows;
    tally.packets += e.flow.pkts[0] + e.flow.pkts[1];
    tally.bytes += e.flow.bytes[0] + e.flow.bytes[1];
    if (e.flow.app == dataplane::AppProto::kMesos) ++tally.mesos_flows;
  }

  void handle(const dataplane::L7EventRecord& e) {
    if (record_observer_) record_observer_(e);
    std::string name;
    switch (e.kind) {
      case dataplane::L7EventKind::kMesos: {
        render_mesos_event(e, port_names_, event_);
        const mesos::MesosEvent& m = e.mesos;
        name = std::string(mesos::mesos_kind_name(m.kind)) + " " +
               std::string(!m.message.empty() ? m.message.view() : !m.call.empty() ? m.call.view() : m.endpoint.view());
        break;
      }
      case dataplane::L7EventKind::kZookeeper: {
        render_zookeeper_event(e, port_names_, event_);
        const events::Zookeeper& z = event_.zookeeper();
        name = z.kind() == "request" ? z.op() + (z.has_err() && z.err() != "OK" ? " " + z.err() : "")
               : z.kind() == "four_letter_word" ? "four_letter_word " + z.four_letter_word()
               : z.kind() == "admin_command"    ? "admin_command " + z.admin_command()
                                                : z.kind();
        break;
      }
      case dataplane::L7EventKind::kTls: {
        render_tls_event(e, port_names_, event_);
        const events::Tls& t = event_.tls();
        name = (t.has_version() ? t.version() : std::string("no ServerHello")) + (t.has_sni() ? " " + t.sni() : "");
        break;
      }
      case dataplane::L7EventKind::kAlert: {
        if (e.alert.source == dataplane::AlertSource::kSignature) {
          render_signature_alert(e, port_names_,
                                 rules_ != nullptr ? rules_->by_generation(e.alert.generation) : nullptr, event_);
        } else {
          render_alert_event(e, port_names_,
                             policy_ != nullptr ? policy_->by_generation(e.alert.generation) : nullptr, event_);
        }
        const events::Alert& a = event_.alert();
        if (a.source() == "signature") {
          name = "signature " + std::to_string(a.signature_id()) + ": " + a.signature();
        } else {
          name = a.signature() + " (" + a.action() + (a.has_condition() ? ", " + a.condition() : std::string()) + ")";
        }
        break;
      }
      case dataplane::L7EventKind::kAnomaly:
        render_anomaly_event(e, port_names_, event_);
        name = event_.anomaly().detected() + " on a port expecting " + event_.anomaly().expected();
        break;
      default: return;
    }
    write();
    auto& tally = report_.l7[event_.event_type()];
    ++tally.events;
    ++tally.by_name[name];
  }

  void write() {
    eve_.write(event_);
    if (outputs_.any()) outputs_.write(event_, eve_.last_json(), wall_now_ns());
    if (observer_) observer_(event_);
    if (api_ != nullptr) api_->on_event(event_);
  }

  EveWriter& eve_;
  EventOutputs& outputs_;
  std::vector<std::string> port_names_;
  SensorReport& report_;
  std::function<void(const events::Event&)> observer_;
  std::function<void(const dataplane::L7EventRecord&)> record_observer_;
  const PolicyRuntime* policy_;
  const RulesRuntime* rules_;
  SensorApi* api_ = nullptr;
  events::Event event_;
  std::array<dataplane::DataplaneEvent, 256> batch_{};
  static constexpr unsigned kL7Batch = 32;
  std::unique_ptr<dataplane::L7EventRecord[]> l7_batch_ = std::make_unique<dataplane::L7EventRecord[]>(kL7Batch);
};

}  // namespace

SensorReport run_sensor(const Config& config, const SensorOptions& options) {
  SensorReport report;
  const bool replay = !options.replay_captures.empty();

  // Ports: the configured ones, or one net_pcap device per capture file.
  std::vector<platform::PortSpec> ports;
  std::vector<std::uint64_t> replay_packets;
  if (replay) {
    for (std::size_t i = 0; i < options.replay_captures.size(); ++i) {
      const std::string& file = options.replay_captures[i];
      if (file.find(',') != std::string::npos) {
        throw CaptureError(file + ": capture file names with a comma cannot be passed to net_pcap; rename it");
      }
      const CaptureScan scan = scan_capture(file);
      replay_packets.push_back(scan.packets);
      report.capture_packets += scan.packets;
      // Files need not be in time order: the span is earliest to latest.
      if (scan.packets != 0 && (report.capture_first_ns == 0 || scan.first_ns < report.capture_first_ns)) {
        report.capture_first_ns = scan.first_ns;
      }
      report.capture_last_ns = std::max(report.capture_last_ns, scan.last_ns);
      ports.push_back({"pcap" + std::to_string(i), "net_pcap_replay" + std::to_string(i) + ",rx_pcap=" + file, 1024, 1024});
    }
  } else {
    validate_for_run(config);
    ports = config.ports;
  }
  const dataplane::Mode mode = replay ? dataplane::Mode::kTap : config.mode;

  EveWriter eve(config.eve.path, config.eve.rotation);
  EventOutputs outputs(config.syslog, config.protobuf);
  // Alert evidence: its directory is made (or refused) before anything starts.
  std::unique_ptr<EvidenceWriter> evidence;
  if (config.evidence.enabled) evidence = std::make_unique<EvidenceWriter>(config.evidence.dir);
  platform::EalSession eal(eal_args_for(config, ports));
  std::vector<unsigned> lcores = eal.worker_lcores();
  if (lcores.empty()) {
    throw StartupError("the EAL has no worker lcore: give it at least two, e.g. eal.args: [..., -l, 0-1]");
  }
  const std::uint32_t workers = replay ? 1 : std::min<std::uint32_t>(config.workers, static_cast<std::uint32_t>(lcores.size()));
  if (!replay && workers < config.workers) {
    platform::log_warning("dataplane.workers is " + std::to_string(config.workers) + " but the EAL has " +
                          std::to_string(lcores.size()) + " worker lcores; running " + std::to_string(workers));
  }

  rte_mempool* pool = platform::create_mbuf_pool(config.mbufs, config.mbuf_cache);
  std::vector<platform::OpenedPort> opened;
  struct PortCloser {
    std::vector<platform::OpenedPort>& ports;
    ~PortCloser() {
      for (const auto& p : ports) platform::close_port(p);
    }
  } closer{opened};
  for (const auto& spec : ports) opened.push_back(platform::open_port(spec, static_cast<std::uint16_t>(workers), pool));

  platform::MbufClock clock;
  clock.init();

  // What the workers judge by: the policy and the signature rules, swapped through one handle.
  std::unique_ptr<policy::PolicyHandle> judge_handle;
  if (config.policy != nullptr || !config.signature_rules.empty()) {
    judge_handle = std::make_unique<policy::PolicyHandle>(workers);
  }
  std::unique_ptr<PolicyRuntime> policy;
  if (config.policy != nullptr) {
    policy = std::make_unique<PolicyRuntime>(*config.policy, config.policy_path, *judge_handle,
                                             static_cast<int>(rte_lcore_to_socket_id(lcores[0])));
  }
  std::unique_ptr<RulesRuntime> rules;
  if (!config.signature_rules.empty()) {
    rules = std::make_unique<RulesRuntime>(config.signature_rules, workers, *judge_handle);
  }

  std::vector<std::unique_ptr<WorkerSlot>> slots;
  for (std::uint32_t w = 0; w < workers; ++w) {
    auto slot = std::make_unique<WorkerSlot>();
    const int socket = static_cast<int>(rte_lcore_to_socket_id(lcores[w]));
    slot->flows = std::make_unique<dataplane::FlowTable>("segward_flows_" + std::to_string(w), config.flow_capacity,
                                                         config.flow_timeouts, w, socket);
    slot->events = std::make_unique<dataplane::EventRing>("segward_events_" + std::to_string(w), config.event_ring, socket);
    // Application events and alerts share one ring.
    if (config.l7.enabled || judge_handle != nullptr) {
      slot->l7_events = std::make_unique<dataplane::L7EventRing>("segward_l7_" + std::to_string(w),
                                                                 config.l7_event_ring, socket);
    }
    if (config.l7.enabled) {
      slot->l7 = std::make_unique<dataplane::L7Engine>(config.l7, w, *slot->l7_events, slot->counters, replay);
    }
    if (judge_handle != nullptr) {
      slot->policy = std::make_unique<dataplane::WorkerPolicy>(w, mode == dataplane::Mode::kInline,
                                                               static_cast<std::uint16_t>(w), slot->l7_events.get(),
                                                               slot->counters, pool, replay);
    }
    // Evidence needs alerts, and alerts a policy or signatures.
    if (evidence != nullptr && slot->policy != nullptr) {
      // Enough for a few alerts' worth of packets before the management thread drains it.
      constexpr unsigned kEvidenceRing = 1024;
      slot->evidence_ring =
          std::make_unique<dataplane::EvidenceRing>("segward_evidence_" + std::to_string(w), kEvidenceRing, socket);
      const dataplane::EvidenceLimits limits{config.evidence.packets_before, config.evidence.packets_after,
                                             std::size_t{config.evidence.memory_mb} << 20};
      slot->evidence = std::make_unique<dataplane::EvidenceRecorder>(limits, config.flow_capacity, w,
                                                                     *slot->evidence_ring, slot->counters, replay, socket);
      slot->policy->set_evidence(slot->evidence.get());
      if (slot->l7 != nullptr) slot->l7->record_session_flows(true);
    }
    auto make_stage = [&](std::vector<dataplane::PortLink> links, std::uint64_t packets, bool flush) {
      dataplane::WorkerSetup setup;
      setup.index = w;
      setup.queue = static_cast<std::uint16_t>(w);
      setup.mode = mode;
      setup.links = std::move(links);
      setup.drop_malformed = config.drop_malformed;
      setup.replay = replay;
      setup.replay_packets = packets;
      setup.flush_on_exit = flush;
      slot->stages.push_back(std::make_unique<dataplane::Worker>(
          std::move(setup), *slot->flows, *slot->events, slot->counters, clock, slot->l7.get(), slot->policy.get(),
          judge_handle.get()));
      slot->stages.back()->set_flow_snapshot(slot->flow_snapshot.get());
      slot->stages.back()->set_evidence(slot->evidence.get());
    };
    if (replay) {
      for (std::size_t i = 0; i < opened.size(); ++i) {
        make_stage({{opened[i].port_id, dataplane::kNoTxPort, static_cast<std::uint8_t>(i)}}, replay_packets[i],
                   i + 1 == opened.size());
      }
    } else {
      std::vector<dataplane::PortLink> links;
      for (std::size_t i = 0; i < opened.size(); ++i) {
        dataplane::PortLink link{opened[i].port_id, dataplane::kNoTxPort, static_cast<std::uint8_t>(i)};
        if (mode == dataplane::Mode::kInline) link.tx_port = opened[1 - i].port_id;
        links.push_back(link);
      }
      make_stage(std::move(links), 0, true);
    }
    slots.push_back(std::move(slot));
  }

  std::vector<std::string> port_names;
  for (const auto& p : ports) port_names.push_back(p.name);
  EventDrain drain(eve, outputs, port_names, report, options.observer, policy.get(), rules.get());
  drain.set_record_observer(options.record_observer);

  platform::install_signal_handlers();
  const std::uint64_t start_tsc = rte_rdtsc();
  const std::uint64_t start_wall = wall_now_ns();
  for (std::uint32_t w = 0; w < workers; ++w) {
    if (rte_eal_remote_launch(worker_main, slots[w].get(), lcores[w]) != 0) {
      throw StartupError("cannot launch worker " + std::to_string(w) + " on lcore " + std::to_string(lcores[w]));
    }
  }

  auto snapshot = [&]() {
    StatsSnapshot s;
    for (const auto& slot : slots) add_worker_counters(slot->counters, s, policy != nullptr, rules != nullptr);
    for (const auto& p : opened) {
      rte_eth_stats st{};
      if (rte_eth_stats_get(p.port_id, &st) == 0) {
        s.port_packets += st.ipackets;
        s.port_missed += st.imissed + st.rx_nombuf;
        s.port_errors += st.ierrors;
      }
    }
    s.uptime_s = (wall_now_ns() - start_wall) / 1'000'000'000ULL;
    if (evidence != nullptr) {
      s.evidence.files_written = evidence->files_written();
      s.evidence.write_errors = evidence->write_errors();
    }
    return s;
  };
  std::unique_ptr<SensorApi> api;
  if (config.api.enabled && !replay) {
    SensorView view;
    view.config = &config;
    view.version = options.version;
    view.mode = mode;
    view.ports = ports;
    view.opened = opened;
    for (const auto& slot : slots) {
      view.counters.push_back(&slot->counters);
      view.flow_snapshots.push_back(slot->flow_snapshot.get());
    }
    view.policy = policy.get();
    view.rules = rules.get();
    view.totals = snapshot;
    if (evidence != nullptr) {
      view.evidence_path = [writer = evidence.get()](std::uint64_t id) { return writer->evidence_path(id); };
    }
    view.start_wall_ns = start_wall;
    try {
      api = std::make_unique<SensorApi>(config.api, std::move(view));
    } catch (...) {
      // A refused token file or a busy address: stop the workers first.
      for (auto& slot : slots) slot->stop.store(true, std::memory_order_relaxed);
      rte_eal_mp_wait_lcore();
      throw;
    }
    drain.set_api(api.get());
  }
  events::Event stats_event;
  auto write_stats = [&]() {
    const StatsSnapshot counts = snapshot();
    render_stats_event(counts, wall_now_ns(), stats_event);
    if (policy != nullptr) policy->render_stats(counts, *stats_event.mutable_stats()->mutable_policy());
    if (rules != nullptr) rules->render_stats(counts, *stats_event.mutable_stats()->mutable_signatures());
    outputs.render_stats(*stats_event.mutable_stats());
    eve.write(stats_event);
    if (outputs.any()) outputs.write(stats_event, eve.last_json(), wall_now_ns());
    eve.flush();
    outputs.flush();
  };

  std::uint64_t next_stats = config.eve.stats_interval_s == 0
                                 ? UINT64_MAX
                                 : start_wall + config.eve.stats_interval_s * 1'000'000'000ULL;
  std::uint64_t last_flush = start_wall;
  for (;;) {
    unsigned moved = 0;
    for (auto& slot : slots) moved += drain.drain(slot->l7_events.get(), *slot->events);
    for (auto& slot : slots) {
      if (slot->evidence_ring != nullptr) moved += evidence->drain(*slot->evidence_ring);
    }
    const bool all_finished = std::all_of(slots.begin(), slots.end(),
                                          [](const auto& s) { return s->finished.load(std::memory_order_acquire); });
    if (all_finished) break;
    const bool timed_out = options.stop_after_s != 0 && !replay &&
                           wall_now_ns() - start_wall >= std::uint64_t{options.stop_after_s} * 1'000'000'000ULL;
    if (platform::stop_requested() || timed_out) {
      for (auto& slot : slots) slot->stop.store(true, std::memory_order_relaxed);
    }
    if (platform::take_reload_request()) {
      // SIGHUP also reopens the EVE file, for logrotate's move-then-signal.
      if (eve.reopen()) platform::log_notice("SIGHUP: reopened " + eve.path());
      (void)outputs.reopen();
      if (policy != nullptr) (void)policy->reload(snapshot());
      if (rules != nullptr) (void)rules->reload(snapshot());
    }
    if (judge_handle != nullptr) judge_handle->reclaim();
    const std::uint64_t now = wall_now_ns();
    if (api != nullptr) api->tick(now);
    eve.tick(now / 1'000'000'000ULL);
    outputs.tick(now / 1'000'000'000ULL);
    if (now >= next_stats) {
      write_stats();
      next_stats = now + config.eve.stats_interval_s * 1'000'000'000ULL;
    } else if (now - last_flush > 1'000'000'000ULL) {
      eve.flush();
      outputs.flush();
      last_flush = now;
    }
    if (moved == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  rte_eal_mp_wait_lcore();
  const std::uint64_t end_tsc = rte_rdtsc();
  for (auto& slot : slots) drain.drain_all(slot->l7_events.get(), *slot->events);
  // The workers ended every flow, so every evidence got its last record;
  // finish_all completes any whose last record a full ring lost (live).
  for (auto& slot : slots) {
    if (slot->evidence_ring == nullptr) continue;
    while (evidence->drain(*slot->evidence_ring) != 0) {
    }
  }
  if (evidence != nullptr) evidence->finish_all();
  report.totals = snapshot();
  write_stats();
  if (api != nullptr) api->stop();
  report.dataplane_seconds = static_cast<double>(end_tsc - start_tsc) / static_cast<double>(rte_get_tsc_hz());
  // The forwarding part of that: until the last polling loop ended. After it
  // no packet arrives; the workers end their flows and sessions and wait for
  // this thread to take every event (seconds on L7 traffic).
  std::uint64_t loops_end_tsc = start_tsc;
  for (const auto& slot : slots) {
    for (const auto& stage : slot->stages) loops_end_tsc = std::max(loops_end_tsc, stage->loop_end_tsc());
  }
  report.forwarding_seconds = static_cast<double>(loops_end_tsc - start_tsc) / static_cast<double>(rte_get_tsc_hz());
  report.events_written = eve.written();
  report.eve_write_errors = eve.write_errors();
  if (policy != nullptr) report.policy_source = policy->current().source();
  if (rules != nullptr) {
    std::string where;
    for (const std::string& p : config.signature_rules) where += (where.empty() ? "" : ", ") + p;
    report.signatures = std::to_string(rules->current().size()) + " signature rules from " + where + " (version " +
                        rules->version() + ")";
  }
  return report;
}

}  // namespace segward::mgmt
