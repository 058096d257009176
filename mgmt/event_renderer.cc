#include "mgmt/event_renderer.h"

#include <arpa/inet.h>

#include <cstdio>

#include "mgmt/eve_writer.h"

namespace segward::mgmt {
namespace {

std::string hex_flags(std::uint8_t flags) {
  char buf[4];
  std::snprintf(buf, sizeof buf, "%02x", flags);
  return buf;
}

}  // namespace

std::string format_address(const std::array<std::uint8_t, 16>& bytes, bool v6) {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::string ip_proto_name(std::uint8_t proto) {
  switch (proto) {
    case 6: return "TCP";
    case 17: return "UDP";
    case 1: return "ICMP";
    case 58: return "IPv6-ICMP";
    case 132: return "SCTP";
    default: return std::to_string(proto);
  }
}

void render_flow_event(const dataplane::FlowRecord& r, const std::vector<std::string>& port_names,
                       events::Event& out) {
  out.Clear();
  const bool v6 = r.key.v6 != 0;
  const auto& client_addr = r.client_is_lo ? r.key.addr_lo : r.key.addr_hi;
  const auto& server_addr = r.client_is_lo ? r.key.addr_hi : r.key.addr_lo;
  out.set_timestamp(format_eve_time(r.last_ns));
  out.set_flow_id(r.flow_id);
  if (r.port_index < port_names.size()) out.set_in_iface(port_names[r.port_index]);
  out.set_event_type("flow");
  out.set_src_ip(format_address(client_addr, v6));
  out.set_dest_ip(format_address(server_addr, v6));
  const bool has_ports = r.key.proto == 6 || r.key.proto == 17 || r.key.proto == 132;
  if (has_ports) {
    out.set_src_port(r.client_is_lo ? r.key.port_lo : r.key.port_hi);
    out.set_dest_port(r.client_is_lo ? r.key.port_hi : r.key.port_lo);
  }
  out.set_proto(ip_proto_name(r.key.proto));
  if (const std::string_view app = dataplane::app_proto_name(r.app); !app.empty()) out.set_app_proto(std::string(app));
  if (r.key.vlan != 0) out.add_vlan(r.key.vlan);

  auto* flow = out.mutable_flow();
  flow->set_pkts_toserver(r.pkts[dataplane::kToServer]);
  flow->set_pkts_toclient(r.pkts[dataplane::kToClient]);
  flow->set_bytes_toserver(r.bytes[dataplane::kToServer]);
  flow->set_bytes_toclient(r.bytes[dataplane::kToClient]);
  flow->set_start(format_eve_time(r.first_ns));
  flow->set_end(format_eve_time(r.last_ns));
  flow->set_age((r.last_ns - r.first_ns) / 1'000'000'000ULL);
  flow->set_state(std::string(dataplane::flow_state_name(r.state)));
  flow->set_reason(std::string(dataplane::flow_end_reason_name(r.reason)));

  if (r.key.proto == 6) {
    namespace tf = net::tcp_flags;
    const std::uint8_t all = r.tcp_flags[0] | r.tcp_flags[1];
    auto* tcp = out.mutable_tcp();
    tcp->set_tcp_flags(hex_flags(all));
    tcp->set_tcp_flags_ts(hex_flags(r.tcp_flags[0]));
    tcp->set_tcp_flags_tc(hex_flags(r.tcp_flags[1]));
    tcp->set_syn((all & tf::kSyn) != 0);
    tcp->set_fin((all & tf::kFin) != 0);
    tcp->set_rst((all & tf::kRst) != 0);
  }
}

void render_stats_event(const StatsSnapshot& s, std::uint64_t now_ns, events::Event& out) {
  out.Clear();
  out.set_timestamp(format_eve_time(now_ns));
  out.set_event_type("stats");
  auto* stats = out.mutable_stats();
  stats->set_uptime(s.uptime_s);
  auto* capture = stats->mutable_capture();
  capture->set_kernel_packets(s.port_packets);
  capture->set_kernel_drops(s.port_missed);
  capture->set_errors(s.port_errors);
  auto* d = stats->mutable_decoder();
  d->set_pkts(s.rx_packets);
  d->set_bytes(s.rx_bytes);
  d->set_invalid(s.decode_error_total());
  d->set_ipv4(s.ipv4);
  d->set_ipv6(s.ipv6);
  d->set_arp(s.arp);
  d->set_other_l3(s.other_l3);
  d->set_tcp(s.tcp);
  d->set_udp(s.udp);
  d->set_icmp(s.icmp);
  d->set_other_l4(s.other_l4);
  d->set_fragments(s.fragments);
  for (std::size_t i = 1; i < net::kDecodeErrorCount; ++i) {
    (*d->mutable_errors())[std::string(net::decode_error_name(static_cast<net::DecodeError>(i)))] = s.decode_errors[i];
  }
  auto* f = stats->mutable_flow();
  f->set_created(s.flows_created);
  f->set_active(s.flows_active);
  f->set_timeout(s.flows_ended[static_cast<int>(dataplane::FlowEndReason::kTimeout)]);
  f->set_forced(s.flows_ended[static_cast<int>(dataplane::FlowEndReason::kForced)]);
  f->set_shutdown(s.flows_ended[static_cast<int>(dataplane::FlowEndReason::kShutdown)]);
  f->set_tcp_reuse(s.flows_ended[static_cast<int>(dataplane::FlowEndReason::kTcpReuse)]);
  f->set_insert_failed(s.flow_insert_failed);
  auto* v = stats->mutable_verdict();
  v->set_forward(s.verdicts[static_cast<int>(dataplane::Verdict::kForward)]);
  v->set_drop(s.verdicts[static_cast<int>(dataplane::Verdict::kDrop)]);
  v->set_observe(s.verdicts[static_cast<int>(dataplane::Verdict::kObserve)]);
  v->set_tx_packets(s.tx_packets);
  v->set_tx_dropped(s.tx_dropped);
  stats->set_events_dropped(s.events_dropped);

  const StatsSnapshot::L7& in = s.l7;
  auto* l7 = stats->mutable_l7();
  l7->set_sessions_created(in.sessions_created);
  l7->set_sessions_active(in.sessions_active);
  l7->set_sessions_exhausted(in.sessions_exhausted);
  l7->set_flows_not_http(in.flows_not_http);
  l7->set_http_requests(in.http_requests);
  l7->set_http_responses(in.http_responses);
  for (std::size_t i = 1; i < http::kHttpErrorCount; ++i) {
    (*l7->mutable_http_errors())[std::string(http::http_error_name(static_cast<http::HttpError>(i)))] = in.http_errors[i];
  }
  for (std::size_t i = 0; i < http::kHttpWarningCount; ++i) {
    (*l7->mutable_http_warnings())[std::string(http::http_warning_name(static_cast<http::HttpWarning>(i)))] =
        in.http_warnings[i];
  }
  l7->set_mesos_events(in.mesos_events);
  l7->set_mesos_libprocess(in.mesos_libprocess);
  l7->set_mesos_api(in.mesos_api);
  l7->set_mesos_legacy(in.mesos_legacy);
  l7->set_mesos_stream_records(in.mesos_stream_records);
  l7->set_mesos_body_too_large(in.mesos_body_too_large);
  l7->set_mesos_body_no_memory(in.mesos_body_no_memory);
  l7->set_events_dropped(in.events_dropped);
  l7->set_reassembly_memory(in.reassembly_pool_bytes);
  l7->set_body_memory(in.body_pool_bytes);
  for (std::size_t i = 0; i < stream::kDirectionCounterFields.size(); ++i) {
    (*l7->mutable_reassembly())[std::string(stream::kDirectionCounterFields[i].name)] = in.stream[i];
  }
  l7->set_zookeeper_sessions_created(in.zookeeper_sessions_created);
  l7->set_zookeeper_sessions_active(in.zookeeper_sessions_active);
  l7->set_zookeeper_sessions_exhausted(in.zookeeper_sessions_exhausted);
  l7->set_zookeeper_events(in.zookeeper_events);
  for (std::size_t i = 0; i < zookeeper::kZkCounterFields.size(); ++i) {
    (*l7->mutable_zookeeper())[std::string(zookeeper::kZkCounterFields[i].name)] = in.zookeeper[i];
  }
  l7->set_tls_sessions_created(in.tls_sessions_created);
  l7->set_tls_sessions_active(in.tls_sessions_active);
  l7->set_tls_sessions_exhausted(in.tls_sessions_exhausted);
  l7->set_tls_events(in.tls_events);
  for (std::size_t i = 0; i < tls::kTlsCounterFields.size(); ++i) {
    (*l7->mutable_tls())[std::string(tls::kTlsCounterFields[i].name)] = in.tls[i];
  }
  l7->set_tls_midstream(in.tls_midstream);
  l7->set_protocol_mismatches(in.protocol_mismatches);

  auto* e = stats->mutable_evidence();
  e->set_packets_recorded(s.evidence.packets_recorded);
  e->set_alerts(s.evidence.alerts);
  e->set_files_written(s.evidence.files_written);
  e->set_no_slot(s.evidence.no_slot);
  e->set_records_dropped(s.evidence.records_dropped);
  e->set_write_errors(s.evidence.write_errors);
}

}  // namespace segward::mgmt
