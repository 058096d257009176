#pragma once
// Turns what the dataplane hands over (flow records, counter snapshots) into
// schema events. Management thread only.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dataplane/flow.h"
#include "dataplane/l7_event.h"
#include "dataplane/policy/compiled_policy.h"
#include "signatures/rule_set.h"
#include "mgmt/proto/events.pb.h"
#include "mgmt/stats_snapshot.h"

namespace segward::mgmt {

// `port_names[i]` names the configured port i (EVE in_iface).
void render_flow_event(const dataplane::FlowRecord& record, const std::vector<std::string>& port_names,
                       events::Event& out);

// One EVE `mesos` event.
void render_mesos_event(const dataplane::L7EventRecord& record, const std::vector<std::string>& port_names,
                        events::Event& out);

// One EVE `zookeeper` event (client port, four-letter word, AdminServer).
void render_zookeeper_event(const dataplane::L7EventRecord& record, const std::vector<std::string>& port_names,
                            events::Event& out);

// One EVE `tls` event: a connection's clear-text handshake.
void render_tls_event(const dataplane::L7EventRecord& record, const std::vector<std::string>& port_names,
                      events::Event& out);

// One EVE `anomaly` event: a port that carried another protocol than l7.expected says.
void render_anomaly_event(const dataplane::L7EventRecord& record, const std::vector<std::string>& port_names,
                          events::Event& out);

// An `alert`: `policy` is the policy of the alert's generation (null when
// no longer known: the rule is then named by its id only).
void render_alert_event(const dataplane::L7EventRecord& record, const std::vector<std::string>& port_names,
                        const policy::CompiledPolicy* policy, events::Event& out);
// A signature rule that fired (alert.source "signature"): the message that
// made it fire rides along (`mesos`, `zookeeper`, `tls`). `rules`: the rule
// set it was raised under (null: too many reloads ago; only its id is known).
void render_signature_alert(const dataplane::L7EventRecord& record, const std::vector<std::string>& port_names,
                            const signatures::RuleSet* rules, events::Event& out);

void render_stats_event(const StatsSnapshot& snapshot, std::uint64_t now_ns, events::Event& out);

// An address as the flow key and L7 events store it (IPv4 in the first 4 bytes).
std::string format_address(const std::array<std::uint8_t, 16>& bytes, bool v6);

// "TCP", "UDP", "ICMP", "IPv6-ICMP" or the protocol number, as Suricata names them.
std::string ip_proto_name(std::uint8_t proto);

}  // namespace segward::mgmt
