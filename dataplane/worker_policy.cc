#include "dataplane/worker_policy.h"

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include <cstring>

#include "dataplane/worker.h"

namespace segward::dataplane {

using policy::Action;

WorkerPolicy::WorkerPolicy(unsigned worker, bool inline_mode, std::uint16_t queue, L7EventRing* alerts,
                           WorkerCounters& counters, rte_mempool* pool, bool lossless)
    : worker_(worker),
      inline_(inline_mode),
      queue_(queue),
      alerts_(alerts),
      counters_(counters),
      pool_(pool),
      lossless_(lossless),
      rule_packets_(counters.policy.rule_packets.get()) {}

void WorkerPolicy::classify(Flow& flow, const net::PacketLayers& p, bool from_client, std::uint64_t now_ns) {
  // From the flow's key, so that a flow judged again after a reload on a
  // packet of its server gets the same answer as on its client's.
  const L7Endpoints from = endpoints_from(flow, flow.client_is_lo);
  policy::FlowTuple t;
  t.src.bytes = from.src_ip;
  t.src.v6 = from.v6;
  t.dst.bytes = from.dst_ip;
  t.dst.v6 = from.v6;
  t.src_port = from.src_port;
  t.dst_port = from.dst_port;
  t.ip_proto = flow.key.proto;
  t.vlan = flow.key.vlan;
  t.src_mac = from_client ? p.src_mac : p.dst_mac;
  t.dst_mac = from_client ? p.dst_mac : p.src_mac;
  const std::uint16_t rule = policy_->classify(t);
  const Action action = policy_->rule(rule).action;
  const bool again = (flow.policy_flags & kPolicyClassified) != 0;
  const Action before = static_cast<Action>(flow.enforcement);
  flow.rule = rule;
  flow.policy_generation = snapshot_->generation;
  flow.policy_flags |= kPolicyClassified;
  counters_.policy.flows_classified.add();
  counters_.policy.rule_flows[rule_slot(rule)].add();
  if ((flow.policy_flags & kPolicyViolated) != 0) {
    // A message of this flow was held back: it stays blocked whatever the
    // new rule says (its retransmission must not pass).
    if (before < action) flow.enforcement = static_cast<std::uint8_t>(action);
    return;
  }
  flow.enforcement = static_cast<std::uint8_t>(action);
  if (action == Action::kAllow) return;
  if (again && before == action && (flow.policy_flags & kPolicyAlerted) != 0) return;
  flow.policy_flags |= kPolicyAlerted;
  raise(flow, from, now_ns, action, policy::Condition::kNone, static_cast<L7EventKind>(0),
        [](L7EventRecord& r) { r.clear_payload(); });
}

Verdict WorkerPolicy::block(Flow& flow, const net::PacketLayers& p, const std::uint8_t* frame,
                            const PortLink& link) {
  if (static_cast<Action>(flow.enforcement) == Action::kReset && p.l4 == net::L4::kTcp &&
      (flow.policy_flags & kPolicyResetSent) == 0 && (p.tcp_flags & net::tcp_flags::kRst) == 0) {
    flow.policy_flags |= kPolicyResetSent;
    send_resets(p, frame, link);
  }
  counters_.policy.packets_dropped.add();
  return Verdict::kDrop;
}

void WorkerPolicy::flush_summaries() {
  if (alerts_ == nullptr) return;
  summaries_.flush([this](const AlertSummaries::Pending& p) {
    const bool sent = alerts_->emplace(lossless_, [&](L7EventRecord& r) {
      r.kind = L7EventKind::kAlert;
      r.worker = worker_;
      r.timestamp_ns = p.last_ns;
      r.flow_id = p.flow_id;
      r.endpoints = p.from;
      r.alert = p.alert;
      r.clear_payload();
    });
    if (sent) tally(p.alert.source).summaries.add();
    return sent;
  });
}

void WorkerPolicy::rules_changed() {
  rules_generation_ = snapshot_->rules_generation;
  counters_.signatures.generation.set(rules_generation_);
  // Rule indices now name other rules: counts toward thresholds start over.
  thresholds_.clear();
}

void WorkerPolicy::send_resets(const net::PacketLayers& p, const std::uint8_t* frame, const PortLink& link) {
  // One toward where the packet was going (in place of it), one back to
  // its sender, so both ends drop the connection at once.
  const bool ahead = send_reset(p, frame, false, link.tx_port);
  const bool back = send_reset(p, frame, true, link.rx_port);
  counters_.policy.resets_sent.add(static_cast<unsigned>(ahead) + static_cast<unsigned>(back));
  counters_.policy.resets_failed.add(2 - static_cast<unsigned>(ahead) - static_cast<unsigned>(back));
}

bool WorkerPolicy::send_reset(const net::PacketLayers& p, const std::uint8_t* frame, bool toward_sender,
                              std::uint16_t port) {
  if (pool_ == nullptr || port == kNoTxPort) return false;
  const bool v6 = p.l3 == net::L3::kIpv6;
  const std::uint16_t l2 = p.l3_offset;
  const std::uint16_t ip_len = v6 ? sizeof(rte_ipv6_hdr) : sizeof(rte_ipv4_hdr);
  const std::uint16_t total = static_cast<std::uint16_t>(l2 + ip_len + sizeof(rte_tcp_hdr));
  rte_mbuf* m = rte_pktmbuf_alloc(pool_);
  if (m == nullptr) return false;
  auto* out = reinterpret_cast<std::uint8_t*>(rte_pktmbuf_append(m, total));
  if (out == nullptr) {
    rte_pktmbuf_free(m);
    return false;
  }
  // Ethernet and VLAN tags as the packet had them; addresses swapped when
  // going back to its sender.
  std::memcpy(out, frame, l2);
  if (toward_sender) {
    std::memcpy(out, p.src_mac.data(), 6);
    std::memcpy(out + 6, p.dst_mac.data(), 6);
  }
  const net::IpAddress& src = toward_sender ? p.dst_ip : p.src_ip;
  const net::IpAddress& dst = toward_sender ? p.src_ip : p.dst_ip;
  auto* tcp = reinterpret_cast<rte_tcp_hdr*>(out + l2 + ip_len);
  std::memset(tcp, 0, sizeof *tcp);
  tcp->src_port = rte_cpu_to_be_16(toward_sender ? p.dst_port : p.src_port);
  tcp->dst_port = rte_cpu_to_be_16(toward_sender ? p.src_port : p.dst_port);
  tcp->data_off = static_cast<std::uint8_t>((sizeof(rte_tcp_hdr) / 4) << 4);
  // Sequence numbers each receiver accepts as an exact match (RFC 5961):
  // ahead, the packet's own (it never arrives); back, what the sender
  // acknowledged, or for a packet without ACK (a SYN) an ACK of it.
  if (!toward_sender) {
    tcp->sent_seq = rte_cpu_to_be_32(p.tcp_seq);
    tcp->tcp_flags = RTE_TCP_RST_FLAG;
  } else if ((p.tcp_flags & net::tcp_flags::kAck) != 0) {
    tcp->sent_seq = rte_cpu_to_be_32(p.tcp_ack);
    tcp->tcp_flags = RTE_TCP_RST_FLAG;
  } else {
    const std::uint32_t length = p.payload_len + ((p.tcp_flags & net::tcp_flags::kSyn) != 0 ? 1 : 0) +
                                 ((p.tcp_flags & net::tcp_flags::kFin) != 0 ? 1 : 0);
    tcp->recv_ack = rte_cpu_to_be_32(p.tcp_seq + length);
    tcp->tcp_flags = RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG;
  }
  if (v6) {
    auto* ip = reinterpret_cast<rte_ipv6_hdr*>(out + l2);
    std::memset(ip, 0, sizeof *ip);
    ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
    ip->payload_len = rte_cpu_to_be_16(sizeof(rte_tcp_hdr));
    ip->proto = IPPROTO_TCP;
    ip->hop_limits = 64;
    std::memcpy(ip->src_addr, src.bytes.data(), 16);
    std::memcpy(ip->dst_addr, dst.bytes.data(), 16);
    tcp->cksum = rte_ipv6_udptcp_cksum(ip, tcp);
  } else {
    auto* ip = reinterpret_cast<rte_ipv4_hdr*>(out + l2);
    std::memset(ip, 0, sizeof *ip);
    ip->version_ihl = RTE_IPV4_VHL_DEF;
    ip->total_length = rte_cpu_to_be_16(sizeof(rte_ipv4_hdr) + sizeof(rte_tcp_hdr));
    ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
    ip->time_to_live = 64;
    ip->next_proto_id = IPPROTO_TCP;
    std::memcpy(&ip->src_addr, src.bytes.data(), 4);
    std::memcpy(&ip->dst_addr, dst.bytes.data(), 4);
    ip->hdr_checksum = rte_ipv4_cksum(ip);
    tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
  }
  if (rte_eth_tx_burst(port, queue_, &m, 1) == 1) return true;
  rte_pktmbuf_free(m);
  return false;
}

}  // namespace segward::dataplane
