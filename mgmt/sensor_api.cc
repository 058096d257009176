#include "mgmt/sensor_api.h"

#include <rte_ethdev.h>

#include <algorithm>
#include <chrono>

#include "mgmt/event_renderer.h"
#include "mgmt/eve_writer.h"
#include "mgmt/learn/policy_writer.h"
#include "mgmt/policy_file.h"
#include "mgmt/text_files.h"
#include "mgmt/yaml_reader.h"

namespace segward::mgmt {
namespace {

std::string config_version_of(const Config& config) {
  try {
    return short_sha256(read_text_file(config.source, "configuration file"));
  } catch (const std::exception&) {
    return "";  // the built-in defaults: no file
  }
}

api::PolicyValidation summary_of(const policy::Policy& p) {
  api::PolicyValidation v;
  v.set_valid(true);
  v.set_source(p.source);
  v.set_segments(p.segments.size());
  v.set_services(p.services.size());
  v.set_rules(p.rules.size());
  v.set_default_action(std::string(policy::action_name(p.default_action)));
  return v;
}

}  // namespace

SensorApi::SensorApi(const api::ApiConfig& config, SensorView view)
    : view_(std::move(view)), state_(config.alert_buffer), config_version_(config_version_of(*view_.config)) {
  publish(wall_now_ns());
  server_ = std::make_unique<api::ApiServer>(config, state_, handlers());
  server_->start();
}

SensorApi::~SensorApi() { stop(); }

void SensorApi::stop() {
  if (server_ == nullptr) return;
  publish(wall_now_ns());
  state_.close();
  server_->stop();
  server_.reset();
}

void SensorApi::tick(std::uint64_t now_wall_ns) {
  state_.run_commands();
  if (now_wall_ns >= next_refresh_ns_) publish(now_wall_ns);
}

void SensorApi::on_event(const events::Event& event) {
  if (event.event_type() == "alert") state_.add_alert(event);
  if (learning_) learner_->observe(event);
}

void SensorApi::publish(std::uint64_t now) {
  next_refresh_ns_ = now + kRefreshNs;
  api::Status status;
  status.set_version(view_.version);
  status.set_mode(view_.mode == dataplane::Mode::kInline ? "inline" : "tap");
  for (std::size_t i = 0; i < view_.opened.size(); ++i) {
    api::PortInfo& p = *status.add_ports();
    p.set_name(view_.ports[i].name);
    p.set_device(view_.ports[i].device);
    p.set_port_id(view_.opened[i].port_id);
    p.set_queues(view_.opened[i].queues);
    if (view_.mode == dataplane::Mode::kInline && view_.opened.size() == 2) p.set_tx_to(view_.ports[1 - i].name);
  }
  status.set_workers(static_cast<std::uint32_t>(view_.counters.size()));
  status.set_uptime((now - view_.start_wall_ns) / 1'000'000'000ULL);
  status.set_started(format_eve_time(view_.start_wall_ns));
  status.set_config_source(view_.config->source);
  status.set_config_version(config_version_);
  if (view_.policy != nullptr) {
    status.set_policy_source(view_.policy->current().source());
    status.set_policy_generation(view_.policy->generation());
    status.set_policy_version(view_.policy->version());
    status.set_policy_rules(view_.policy->current().rule_count());
  }
  if (view_.rules != nullptr) {
    status.set_rules_version(view_.rules->version());
    status.set_rules_generation(view_.rules->generation());
    status.set_rules_count(view_.rules->current().size());
  }
  status.set_learning(learning_);
  state_.set_status(status);

  api::StatsReply reply;
  reply.set_timestamp(format_eve_time(now));
  const StatsSnapshot totals = view_.totals();
  events::Event e;
  render_stats_event(totals, now, e);
  if (view_.policy != nullptr) view_.policy->render_stats(totals, *e.mutable_stats()->mutable_policy());
  if (view_.rules != nullptr) view_.rules->render_stats(totals, *e.mutable_stats()->mutable_signatures());
  *reply.mutable_totals() = e.stats();
  for (std::size_t w = 0; w < view_.counters.size(); ++w) {
    StatsSnapshot one;
    add_worker_counters(*view_.counters[w], one);
    one.uptime_s = totals.uptime_s;
    render_stats_event(one, now, e);
    api::WorkerStats& ws = *reply.add_workers();
    ws.set_worker(static_cast<std::uint32_t>(w));
    *ws.mutable_stats() = e.stats();
    ws.mutable_stats()->clear_capture();  // port statistics are per port, below
  }
  for (std::size_t i = 0; i < view_.opened.size(); ++i) {
    rte_eth_stats st{};
    if (rte_eth_stats_get(view_.opened[i].port_id, &st) != 0) continue;
    api::PortStats& p = *reply.add_ports();
    p.set_name(view_.ports[i].name);
    p.set_rx_packets(st.ipackets);
    p.set_rx_bytes(st.ibytes);
    p.set_rx_missed(st.imissed + st.rx_nombuf);
    p.set_rx_errors(st.ierrors);
    p.set_tx_packets(st.opackets);
    p.set_tx_bytes(st.obytes);
    p.set_tx_errors(st.oerrors);
  }
  state_.set_stats(reply);
}

api::FlowList SensorApi::flows(std::uint32_t top, const std::string& sort) {
  const dataplane::FlowSort by = sort == "packets" ? dataplane::FlowSort::kPackets
                                 : sort == "age"   ? dataplane::FlowSort::kAge
                                                   : dataplane::FlowSort::kBytes;
  struct Chosen {
    std::uint32_t worker;
    dataplane::FlowSnapshotEntry entry;
  };
  std::vector<Chosen> chosen;
  std::uint64_t active = 0;
  {
    const std::lock_guard lock(flows_mutex_);
    for (std::size_t w = 0; w < view_.flow_snapshots.size(); ++w) {
      dataplane::FlowSnapshot& s = *view_.flow_snapshots[w];
      if (!s.ask(top, by, std::chrono::seconds(2))) {
        throw api::Unavailable("worker " + std::to_string(w) + " did not answer (stopping?)");
      }
      active += s.active();
      for (const auto& entry : s.entries()) chosen.push_back({static_cast<std::uint32_t>(w), entry});
    }
  }
  std::stable_sort(chosen.begin(), chosen.end(),
                   [](const Chosen& a, const Chosen& b) { return a.entry.key > b.entry.key; });
  if (chosen.size() > top) chosen.resize(top);

  // Rule names belong to the policy runtime, on the management thread.
  std::vector<std::string> rule_names(chosen.size());
  if (view_.policy != nullptr && !chosen.empty()) {
    rule_names = state_.call<std::vector<std::string>>([&]() {
      std::vector<std::string> names(chosen.size());
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        const auto& e = chosen[i].entry;
        if ((e.policy_flags & dataplane::kPolicyClassified) == 0) continue;
        const policy::CompiledPolicy* p = view_.policy->by_generation(e.policy_generation);
        names[i] = p != nullptr ? p->rule(e.rule).name : "";
      }
      return names;
    });
  }

  std::vector<std::string> port_names;
  for (const auto& p : view_.ports) port_names.push_back(p.name);
  api::FlowList list;
  list.set_sort(by == dataplane::FlowSort::kPackets ? "packets" : by == dataplane::FlowSort::kAge ? "age" : "bytes");
  list.set_top(top);
  list.set_active(active);
  events::Event e;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    render_flow_event(chosen[i].entry.record, port_names, e);
    api::FlowEntry& f = *list.add_flows();
    f.set_flow_id(e.flow_id());
    f.set_worker(chosen[i].worker);
    f.set_src_ip(e.src_ip());
    f.set_src_port(e.src_port());
    f.set_dest_ip(e.dest_ip());
    f.set_dest_port(e.dest_port());
    f.set_proto(e.proto());
    f.set_app_proto(e.app_proto());
    for (const auto v : e.vlan()) f.add_vlan(v);
    f.set_pkts_toserver(e.flow().pkts_toserver());
    f.set_pkts_toclient(e.flow().pkts_toclient());
    f.set_bytes_toserver(e.flow().bytes_toserver());
    f.set_bytes_toclient(e.flow().bytes_toclient());
    f.set_start(e.flow().start());
    f.set_last_seen(e.flow().end());
    f.set_state(e.flow().state());
    f.set_policy_rule(rule_names[i]);
  }
  return list;
}

api::PolicyValidation SensorApi::refused_or_ok(const std::string& error) {
  if (!error.empty()) {
    api::PolicyValidation v;
    v.set_valid(false);
    v.set_error(error);
    return v;
  }
  api::PolicyValidation v = summary_of(parse_policy(view_.policy->text(), view_.policy->current().source()));
  return v;
}

api::LearnStatus SensorApi::learn_status() const {
  api::LearnStatus s;
  s.set_active(learning_);
  if (learner_ != nullptr) {
    s.set_started(format_eve_time(learn_started_ns_));
    s.set_events(learner_->events_seen());
  }
  return s;
}

api::ApiHandlers SensorApi::handlers() {
  api::ApiHandlers h;
  h.flows = [this](std::uint32_t top, const std::string& sort) { return flows(top, sort); };
  h.validate_policy = [](const std::string& yaml) {
    try {
      return summary_of(parse_policy(yaml, "policy"));
    } catch (const std::exception& e) {
      api::PolicyValidation v;
      v.set_valid(false);
      v.set_error(e.what());
      return v;
    }
  };
  if (view_.policy != nullptr) {
    h.get_policy = [this]() {
      api::PolicyReply r;
      r.set_source(view_.policy->current().source());
      r.set_generation(view_.policy->generation());
      r.set_version(view_.policy->version());
      r.set_text(view_.policy->text());
      return r;
    };
    h.apply_policy = [this](const std::string& yaml) {
      api::PolicyValidation v = refused_or_ok(view_.policy->apply(yaml, view_.totals()));
      publish(wall_now_ns());  // the new generation shows in status at once
      return v;
    };
    h.reload_policy = [this]() {
      api::PolicyValidation v = refused_or_ok(view_.policy->reload(view_.totals()));
      publish(wall_now_ns());
      return v;
    };
  }
  if (view_.rules != nullptr) {
    h.reload_rules = [this]() {
      const std::string error = view_.rules->reload(view_.totals());
      api::RulesReply r;
      r.set_valid(error.empty());
      r.set_error(error);
      r.set_version(view_.rules->version());
      r.set_generation(view_.rules->generation());
      r.set_rules(view_.rules->current().size());
      for (const std::string& f : view_.rules->files()) r.add_files(f);
      publish(wall_now_ns());
      return r;
    };
  }
  h.learn_start = [this]() {
    if (!learning_) {
      learner_ = std::make_unique<learn::Learner>();
      learning_ = true;
      learn_started_ns_ = wall_now_ns();
    }
    return learn_status();
  };
  h.learn_stop = [this]() {
    learning_ = false;
    return learn_status();
  };
  h.learn_status = [this]() { return learn_status(); };
  h.learn_proposal = [this]() {
    if (learner_ == nullptr) throw std::runtime_error("no learn run: start one with POST /api/v1/learn/start");
    return learn::write_policy_yaml(learner_->propose(), "segward run, learn started " +
                                                            format_eve_time(learn_started_ns_) + " via the REST API");
  };
  h.evidence_path = view_.evidence_path;
  return h;
}

}  // namespace segward::mgmt
