#include "mgmt/stats_snapshot.h"

#include <numeric>

namespace segward::mgmt {

std::uint64_t StatsSnapshot::decode_error_total() const {
  return std::accumulate(decode_errors.begin() + 1, decode_errors.end(), std::uint64_t{0});
}

void add_worker_counters(const dataplane::WorkerCounters& c, StatsSnapshot& out) {
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
}

}  // namespace segward::mgmt
