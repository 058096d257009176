#pragma once
// The sum of all workers' counters at one moment, plus the ports' own
// statistics: what the management plane reports as `stats`.
#include <array>
#include <cstdint>
#include <vector>

#include "dataplane/worker_counters.h"

namespace segward::mgmt {

struct StatsSnapshot {
  std::uint64_t uptime_s = 0;
  std::uint64_t rx_packets = 0;
  std::uint64_t rx_bytes = 0;
  std::array<std::uint64_t, net::kDecodeErrorCount> decode_errors{};
  std::uint64_t ipv4 = 0, ipv6 = 0, arp = 0, other_l3 = 0;
  std::uint64_t tcp = 0, udp = 0, icmp = 0, other_l4 = 0, fragments = 0;
  std::array<std::uint64_t, dataplane::kVerdictCount> verdicts{};
  std::uint64_t tx_packets = 0, tx_dropped = 0;
  std::uint64_t flows_created = 0, flows_active = 0, flow_insert_failed = 0;
  std::array<std::uint64_t, dataplane::kFlowEndReasonCount> flows_ended{};
  std::uint64_t events_dropped = 0;
  std::uint64_t port_packets = 0, port_missed = 0, port_errors = 0;

  struct L7 {
    std::uint64_t sessions_created = 0, sessions_active = 0, sessions_exhausted = 0, flows_not_http = 0;
    std::uint64_t http_requests = 0, http_responses = 0;
    std::array<std::uint64_t, http::kHttpErrorCount> http_errors{};
    std::array<std::uint64_t, http::kHttpWarningCount> http_warnings{};
    std::uint64_t mesos_events = 0, mesos_libprocess = 0, mesos_api = 0, mesos_legacy = 0;
    std::uint64_t mesos_stream_records = 0, mesos_body_too_large = 0, mesos_body_no_memory = 0;
    std::uint64_t events_dropped = 0, reassembly_pool_bytes = 0, body_pool_bytes = 0;
    std::array<std::uint64_t, stream::kDirectionCounterFields.size()> stream{};
    std::uint64_t zookeeper_sessions_created = 0, zookeeper_sessions_active = 0, zookeeper_sessions_exhausted = 0;
    std::uint64_t zookeeper_events = 0;
    std::array<std::uint64_t, zookeeper::kZkCounterFields.size()> zookeeper{};
    std::uint64_t tls_sessions_created = 0, tls_sessions_active = 0, tls_sessions_exhausted = 0, tls_events = 0;
    std::array<std::uint64_t, tls::kTlsCounterFields.size()> tls{};
    std::uint64_t tls_midstream = 0, protocol_mismatches = 0;
  } l7;

  struct Policy {
    std::uint64_t flows_classified = 0, packets_unclassified = 0, packets_dropped = 0;
    std::uint64_t resets_sent = 0, resets_failed = 0, alerts = 0, alerts_dropped = 0;
    std::uint64_t alerts_suppressed = 0, alert_summaries = 0;
    std::array<std::uint64_t, 16> violations{};
    std::vector<std::uint64_t> rule_flows, rule_packets;  // by rule slot (WorkerCounters::Policy); empty without a policy
  } policy;

  struct Signatures {
    std::uint64_t messages = 0, matches = 0, thresholded = 0, threshold_evictions = 0;
    std::uint64_t alerts = 0, alerts_dropped = 0, alerts_suppressed = 0, alert_summaries = 0;
    std::uint64_t payload_bytes = 0, payload_no_stream = 0;
    std::vector<std::uint64_t> rule_matches;  // by rule index (WorkerCounters::Signatures); empty without rules
  } signatures;

  struct Evidence {
    std::uint64_t packets_recorded = 0, alerts = 0, no_slot = 0, records_dropped = 0;
    std::uint64_t files_written = 0, write_errors = 0;  // the management thread's (mgmt/evidence_writer.h)
  } evidence;

  [[nodiscard]] std::uint64_t decode_error_total() const;
};

// Sums per-worker counters (each written by one worker, read here racily but
// atomically per counter). `with_rules`: also the per-rule policy counters;
// `with_signatures`: the per-rule signature counters.
void add_worker_counters(const dataplane::WorkerCounters& c, StatsSnapshot& out, bool with_rules = false,
                         bool with_signatures = false);

}  // namespace segward::mgmt
