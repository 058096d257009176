#include "mgmt/stats_snapshot.h"

#include <numeric>

namespace segward::mgmt {

std::uint64_t StatsSnapshot::decode_error_total() const {
  return std::accumulate(decode_errors.begin() + 1, decode_errors.end(), std::uint64_t{0});
}

void add_worker_counters(const dataplane::WorkerCounters& c, StatsSnapshot& out, bool with_rules,
                         bool with_signatures) {
  out.rx_packets += c.rx_packets.get();
  out.rx_bytes += c.rx_bytes.get();
  for (std::size_t i = 0; i < net::kDecodeErrorCount; ++i) out.decode_errors[i] += c.decode_errors[i].get();
  out.ipv4 += c.ipv4.get();
  out.ipv6 += c.ipv6.get();
  out.arp += c.arp.get();
  out.other_l3 += c.other_l3.get();
  out.tcp += c.tcp.get();
  out.udp += c.udp.get();
  out.icmp += c.icmp.get();
  out.other_l4 += c.other_l4.get();
  out.fragments += c.fragments.get();
  for (std::size_t v = 0; v < dataplane::kVerdictCount; ++v) out.verdicts[v] += c.verdicts[v].get();
  out.tx_packets += c.tx_packets.get();
  out.tx_dropped += c.tx_dropped.get();
  out.flows_created += c.flows_created.get();
  out.flows_active += c.flows_active.get();
  out.flow_insert_failed += c.flow_insert_failed.get();
  for (std::size_t r = 0; r < dataplane::kFlowEndReasonCount; ++r) out.flows_ended[r] += c.flows_ended[r].get();
  out.events_dropped += c.events_dropped.get();

  const auto& in = c.l7;
  auto& l7 = out.l7;
  l7.sessions_created += in.sessions_created.get();
  l7.sessions_active += in.sessions_active.get();
  l7.sessions_exhausted += in.sessions_exhausted.get();
  l7.flows_not_http += in.flows_not_http.get();
  l7.http_requests += in.http_requests.get();
  l7.http_responses += in.http_responses.get();
  for (std::size_t i = 0; i < http::kHttpErrorCount; ++i) l7.http_errors[i] += in.http_errors[i].get();
  for (std::size_t i = 0; i < http::kHttpWarningCount; ++i) l7.http_warnings[i] += in.http_warnings[i].get();
  l7.mesos_events += in.mesos_events.get();
  l7.mesos_libprocess += in.mesos_libprocess.get();
  l7.mesos_api += in.mesos_api.get();
  l7.mesos_legacy += in.mesos_legacy.get();
  l7.mesos_stream_records += in.mesos_stream_records.get();
  l7.mesos_body_too_large += in.mesos_body_too_large.get();
  l7.mesos_body_no_memory += in.mesos_body_no_memory.get();
  l7.events_dropped += in.events_dropped.get();
  l7.reassembly_pool_bytes += in.reassembly_pool_bytes.get();
  l7.body_pool_bytes += in.body_pool_bytes.get();
  for (std::size_t i = 0; i < l7.stream.size(); ++i) l7.stream[i] += in.stream[i].get();
  l7.zookeeper_sessions_created += in.zookeeper_sessions_created.get();
  l7.zookeeper_sessions_active += in.zookeeper_sessions_active.get();
  l7.zookeeper_sessions_exhausted += in.zookeeper_sessions_exhausted.get();
  l7.zookeeper_events += in.zookeeper_events.get();
  for (std::size_t i = 0; i < l7.zookeeper.size(); ++i) l7.zookeeper[i] += in.zookeeper[i].get();
  l7.tls_sessions_created += in.tls_sessions_created.get();
  l7.tls_sessions_active += in.tls_sessions_active.get();
  l7.tls_sessions_exhausted += in.tls_sessions_exhausted.get();
  l7.tls_events += in.tls_events.get();
  for (std::size_t i = 0; i < l7.tls.size(); ++i) l7.tls[i] += in.tls[i].get();
  l7.tls_midstream += in.tls_midstream.get();
  l7.protocol_mismatches += in.protocol_mismatches.get();

  const auto& pin = c.policy;
  auto& pol = out.policy;
  pol.flows_classified += pin.flows_classified.get();
  pol.packets_unclassified += pin.packets_unclassified.get();
  pol.packets_dropped += pin.packets_dropped.get();
  pol.resets_sent += pin.resets_sent.get();
  pol.resets_failed += pin.resets_failed.get();
  pol.alerts += pin.alerts.get();
  pol.alerts_dropped += pin.alerts_dropped.get();
  pol.alerts_suppressed += pin.alerts_suppressed.get();
  pol.alert_summaries += pin.alert_summaries.get();
  for (std::size_t i = 0; i < pol.violations.size(); ++i) pol.violations[i] += pin.violations[i].get();
  const auto& sin = c.signatures;
  auto& sig = out.signatures;
  sig.messages += sin.messages.get();
  sig.matches += sin.matches.get();
  sig.thresholded += sin.thresholded.get();
  sig.threshold_evictions += sin.threshold_evictions.get();
  sig.alerts += sin.alerts.get();
  sig.alerts_dropped += sin.alerts_dropped.get();
  sig.alerts_suppressed += sin.alerts_suppressed.get();
  sig.alert_summaries += sin.alert_summaries.get();
  sig.payload_bytes += sin.payload_bytes.get();
  sig.payload_no_stream += sin.payload_no_stream.get();
  if (with_signatures) {
    sig.rule_matches.resize(dataplane::WorkerCounters::Signatures::kRuleSlots);
    for (std::size_t i = 0; i < sig.rule_matches.size(); ++i) sig.rule_matches[i] += sin.rule_matches[i].get();
  }
  out.evidence.packets_recorded += c.evidence.packets_recorded.get();
  out.evidence.alerts += c.evidence.alerts.get();
  out.evidence.no_slot += c.evidence.no_slot.get();
  out.evidence.records_dropped += c.evidence.records_dropped.get();
  if (!with_rules) return;
  constexpr std::size_t kSlots = dataplane::WorkerCounters::Policy::kRuleSlots;
  pol.rule_flows.resize(kSlots);
  pol.rule_packets.resize(kSlots);
  for (std::size_t i = 0; i < kSlots; ++i) {
    pol.rule_flows[i] += pin.rule_flows[i].get();
    pol.rule_packets[i] += pin.rule_packets[i].get();
  }
}

}  // namespace segward::mgmt
