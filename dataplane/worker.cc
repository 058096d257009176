#include "dataplane/worker.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>

#include <cstring>
#include <utility>

#include "decoders/net/decode_common_case.h"

namespace segward::dataplane {
namespace {

// A benchmark instrument (tests/bench/stage-costs.sh): a build configured
// with -DSEGWARD_BENCH_CUT=N stops each packet's work after stage N, so that
// the rate each stage costs can be measured on its own. The default, 0, runs
// everything; the comparisons below then fold away.
#ifndef SEGWARD_BENCH_CUT
#define SEGWARD_BENCH_CUT 0
#endif
enum BenchCut : int { kCutNone = 0, kCutIo = 1, kCutDecode = 2, kCutKey = 3, kCutLookup = 4, kCutAccount = 5 };
constexpr int kBenchCut = SEGWARD_BENCH_CUT;
static_assert(kBenchCut >= kCutNone && kBenchCut <= kCutAccount, "SEGWARD_BENCH_CUT: 0 to 5");

}  // namespace

Worker::Worker(WorkerSetup setup, FlowTable& flows, EventRing& events, WorkerCounters& counters,
               const platform::MbufClock& clock, L7Engine* l7, WorkerPolicy* policy,
               policy::PolicyHandle* policy_handle)
    : setup_(std::move(setup)),
      flows_(flows),
      events_(events),
      counters_(counters),
      clock_(clock),
      l7_(l7),
      policy_(policy),
      policy_handle_(policy_handle) {
  if (l7_ != nullptr) l7_->set_policy(policy_);
}

void Worker::emit(const FlowRecord& record) {
  DataplaneEvent event{EventKind::kFlowEnd, setup_.index, record};
  // The flow's application-layer events come first, then its flow record.
  if (record.session != kNoSession && l7_ != nullptr) event.flow.app = l7_->end_session(record.app, record.session);
  // After the session closed: an alert its last messages raised still gets the history.
  if (evidence_ != nullptr) evidence_->flow_ended(record.position, record.flow_id);
  if (events_.try_push(event)) return;
  if (!setup_.replay && !stopping_) {
    counters_.events_dropped.add();
    return;
  }
  // On replay, and for the flows ended at shutdown, no record may be lost:
  // the management thread drains until this worker has finished, so waiting
  // here always ends.
  while (!events_.try_push(event)) rte_pause();
}

std::uint16_t Worker::process_burst(rte_mbuf** pkts, std::uint16_t n, const PortLink& link, std::uint64_t now_ns,
                                    Verdict* verdicts) {
  const Verdict pass = setup_.mode == Mode::kInline ? Verdict::kForward : Verdict::kObserve;
  const Verdict malformed = (setup_.mode == Mode::kInline && setup_.drop_malformed) ? Verdict::kDrop : pass;
  unsigned tracked = 0;
  std::uint64_t bytes = 0;
  // Tallied in registers and added to the shared counters once per burst.
  std::array<std::uint16_t, static_cast<std::size_t>(net::L3::kOther) + 1> by_l3{};
  std::array<std::uint16_t, static_cast<std::size_t>(net::L4::kOther) + 1> by_l4{};
  unsigned fragments = 0;
  unsigned undecoded = 0;

  if (kBenchCut == kCutIo) {  // receive and forward only, as testpmd io does
    std::memset(verdicts, static_cast<int>(pass), n);
    counters_.rx_packets.add(n);
    counters_.verdicts[static_cast<int>(pass)].add(n);
    return pass == Verdict::kForward ? n : 0;
  }
  // In locals: the decoder's byte stores may alias any member, so the
  // compiler would reload these after every one of them.
  const bool replay = setup_.replay;
  std::uint64_t engine_now = engine_now_ns_;
  // Every verdict starts as `pass`; only the exceptions are written later.
  static_assert(sizeof(Verdict) == 1);
  std::memset(verdicts, static_cast<int>(pass), n);
  // IPv4 TCP/UDP frames the common-case decode took: counted apart from
  // by_l3/by_l4, in registers.
  unsigned common = 0;
  unsigned common_tcp = 0;
  for (std::uint16_t i = 0; i < n; ++i) {
    if (i + 4 < n) rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void*));
    rte_mbuf* m = pkts[i];
    bytes += m->pkt_len;
    std::uint64_t ts = now_ns;
    if (replay) {
      if (std::uint64_t stamped = clock_.packet_time_ns(m); stamped != 0) ts = stamped;
      if (ts > engine_now) engine_now = ts;
    }
    const std::uint8_t* frame = rte_pktmbuf_mtod(m, const std::uint8_t*);
    TrackedPacket& tp = tracked_[tracked];
    // The common case (IPv4 TCP/UDP) goes from the frame to its flow key
    // without filling PacketLayers; the rest is decoded layer by layer.
    net::CommonCaseHeaders h;
    if (net::decode_common_case_headers({frame, m->data_len}, h)) [[likely]] {
      tp.is_tcp = h.ip_proto == net::ip_proto::kTcp;
      ++common;
      common_tcp += tp.is_tcp ? 1 : 0;
      if (kBenchCut == kCutDecode) continue;
      tp.from_lo = !make_flow_key(h, tp.key, tp.hash);
      tp.tcp_flags = h.tcp_flags;
      tp.payload_len = h.payload_len;
      tp.decoded = false;
    } else {
      net::PacketLayers& p = layers_[i];
      const net::DecodeError err = net::decode_packet_layered({frame, m->data_len}, p);
      if (err != net::DecodeError::kNone) {
        counters_.decode_errors[static_cast<std::size_t>(err)].add();
        verdicts[i] = malformed;
        ++undecoded;
        continue;
      }
      ++by_l3[static_cast<std::size_t>(p.l3)];
      if (p.l3 != net::L3::kIpv4 && p.l3 != net::L3::kIpv6) continue;
      fragments += p.is_fragment ? 1 : 0;
      ++by_l4[static_cast<std::size_t>(p.l4)];
      if (p.l4 == net::L4::kNone) continue;  // a later fragment: no ports to key on
      if (kBenchCut == kCutDecode) continue;
      tp.from_lo = !make_flow_key(p, tp.key, tp.hash);
      tp.is_tcp = p.l4 == net::L4::kTcp;
      tp.tcp_flags = p.tcp_flags;
      tp.payload_len = p.payload_len;
      tp.decoded = true;
    }
    if (kBenchCut == kCutKey) continue;
    // The index bucket is fetched while the rest of the burst decodes.
    flows_.prefetch(tp.hash);
    tp.frame = frame;
    tp.time_ns = ts;
    tp.frame_bytes = m->pkt_len;
    tp.data_len = m->data_len;
    tp.index = static_cast<std::uint8_t>(i);
    ++tracked;
  }
  engine_now_ns_ = engine_now;
  // The buckets have had the decoding of the burst to arrive; now start
  // fetching every candidate flow before the first is touched. (Doing this a
  // few packets behind the decoding instead made no measurable difference.)
  for (unsigned t = 0; t < tracked; ++t) tracked_[t].candidate = flows_.lookup_candidate(tracked_[t].hash);
  auto add_if = [](Counter& c, unsigned v) {
    if (v != 0) c.add(v);
  };
  add_if(counters_.ipv4, by_l3[static_cast<std::size_t>(net::L3::kIpv4)] + common);
  add_if(counters_.ipv6, by_l3[static_cast<std::size_t>(net::L3::kIpv6)]);
  add_if(counters_.arp, by_l3[static_cast<std::size_t>(net::L3::kArp)]);
  add_if(counters_.other_l3, by_l3[static_cast<std::size_t>(net::L3::kOther)]);
  add_if(counters_.fragments, fragments);
  add_if(counters_.tcp, by_l4[static_cast<std::size_t>(net::L4::kTcp)] + common_tcp);
  add_if(counters_.udp, by_l4[static_cast<std::size_t>(net::L4::kUdp)] + (common - common_tcp));
  add_if(counters_.icmp, by_l4[static_cast<std::size_t>(net::L4::kIcmp)] +
                             by_l4[static_cast<std::size_t>(net::L4::kIcmpv6)]);
  add_if(counters_.other_l4, by_l4[static_cast<std::size_t>(net::L4::kOther)]);
  counters_.rx_packets.add(n);
  counters_.rx_bytes.add(bytes);

  const bool judged = policy_ != nullptr && policy_->active();
  const bool l7_active = l7_ != nullptr && l7_->enabled();
  const bool enforces = judged && setup_.mode == Mode::kInline;  // blocked flows' bytes never reach their server
  // Per verdict: first those the policy gave other than `pass` (the rest of
  // the burst is `pass`, or `malformed`), then, at the end, all of them.
  std::array<std::uint16_t, kVerdictCount> tally{};
  unsigned n_overridden = 0;
  if (tracked != 0) {
    const std::uint64_t evicted_before = flows_.stats().ended[static_cast<int>(FlowEndReason::kForced)];
    bool created = false;  // in this burst: a miss may have become a hit
    bool evicted = false;  // in this burst: a candidate may name a removed flow
    auto emit_record = [this](const FlowRecord& r) { emit(r); };
    for (unsigned t = 0; t < tracked; ++t) {
      TrackedPacket& tp = tracked_[t];
      std::int32_t pos = evicted ? -1 : flows_.resolve(tp.key, tp.hash, tp.candidate);
      if (pos < 0 && created) pos = flows_.lookup(tp.key, tp.hash);
      if (pos < 0) {
        pos = flows_.create(tp.key, tp.hash, tp.from_lo, tp.tcp_flags, link.rx_index, tp.time_ns, emit_record);
        created = true;
        evicted = flows_.stats().ended[static_cast<int>(FlowEndReason::kForced)] != evicted_before;
        if (pos < 0) continue;  // counted by the table
      }
      if (kBenchCut == kCutLookup) continue;
      const int dir = flows_.account(pos, tp.from_lo, tp.is_tcp, tp.tcp_flags, tp.frame_bytes, link.rx_index,
                                     tp.time_ns, emit_record);
      Flow& flow = flows_.at(pos);
      if (kBenchCut == kCutAccount) continue;
      auto layers = [this, &tp]() -> const net::PacketLayers& { return full_layers(tp); };
      if (judged) policy_->judge_flow(flow, layers, dir == kToServer, tp.time_ns);
      // Inline, a blocked flow's bytes never reach its server: nothing to decode.
      const bool blocked = enforces && flow.enforcement >= static_cast<std::uint8_t>(policy::Action::kDrop);
      if (l7_active && tp.is_tcp && L7Engine::wants_packet(flow, tp.payload_len) && !blocked) {
        l7_->on_tcp_packet(flow, dir, full_layers(tp), tp.frame, tp.time_ns);
      }
      if (judged) {
        const Verdict v = policy_->verdict(flow, layers, tp.frame, link);
        if (v != pass) [[unlikely]] {
          verdicts[tp.index] = v;
          ++tally[static_cast<std::size_t>(v)];
          ++n_overridden;
        }
      }
      // After the verdict, so that a packet the alert blocks is evidence too.
      if ((flow.policy_flags & kPolicyEvidence) != 0 && evidence_ != nullptr) [[unlikely]] {
        evidence_->on_packet(static_cast<std::uint32_t>(pos), flow, tp.frame, tp.data_len, tp.frame_bytes,
                             tp.time_ns, dir);
      }
    }
  }
  if (judged) policy_->unclassified(n - tracked);
  const std::uint16_t passed = static_cast<std::uint16_t>(n - undecoded - n_overridden);
  if (n_overridden == 0) {
    // The common case: every verdict is `pass`, or `malformed` for a frame
    // that did not decode.
    counters_.verdicts[static_cast<int>(pass)].add(passed);
    if (undecoded != 0) counters_.verdicts[static_cast<int>(malformed)].add(undecoded);
    if (pass != Verdict::kForward) return 0;
    return malformed == Verdict::kForward ? n : passed;
  }
  tally[static_cast<std::size_t>(pass)] += passed;
  tally[static_cast<std::size_t>(malformed)] += undecoded;
  for (std::size_t v = 0; v < kVerdictCount; ++v) {
    if (tally[v] != 0) counters_.verdicts[v].add(tally[v]);
  }
  return tally[static_cast<std::size_t>(Verdict::kForward)];
}

const net::PacketLayers& Worker::full_layers(TrackedPacket& t) {
  net::PacketLayers& p = layers_[t.index];
  // Only a common-case frame is left undecoded, so this cannot fail.
  if (!t.decoded) (void)net::decode_packet({t.frame, t.data_len}, p);
  t.decoded = true;
  return p;
}

void Worker::act(rte_mbuf** pkts, std::uint16_t n, const PortLink& link, const Verdict* verdicts,
                 std::uint16_t forwarded) {
  // The common case, every packet forwarded: the burst goes out as it came.
  if (forwarded == n) {
    transmit(pkts, n, link);
    return;
  }
  std::array<rte_mbuf*, kBurst> forward;
  std::array<rte_mbuf*, kBurst> release;
  std::uint16_t n_forward = 0;
  std::uint16_t n_release = 0;
  for (std::uint16_t i = 0; i < n; ++i) {
    if (verdicts[i] == Verdict::kForward) {
      forward[n_forward++] = pkts[i];
    } else {
      release[n_release++] = pkts[i];
    }
  }
  if (n_forward != 0) transmit(forward.data(), n_forward, link);
  if (n_release != 0) rte_pktmbuf_free_bulk(release.data(), n_release);
}

void Worker::transmit(rte_mbuf** pkts, std::uint16_t n, const PortLink& link) {
  std::uint16_t sent = rte_eth_tx_burst(link.tx_port, setup_.queue, pkts, n);
  if (sent < n) {
    // One more try: a virtual device's queue often frees up at once.
    sent += rte_eth_tx_burst(link.tx_port, setup_.queue, pkts + sent, n - sent);
  }
  counters_.tx_packets.add(sent);
  if (sent < n) {
    counters_.tx_dropped.add(n - sent);
    rte_pktmbuf_free_bulk(pkts + sent, n - sent);
  }
}

void Worker::publish_flow_stats() {
  if (l7_ != nullptr) l7_->publish();
  const FlowTableStats& s = flows_.stats();
  counters_.flows_created.set(s.created);
  for (std::size_t r = 0; r < kFlowEndReasonCount; ++r) counters_.flows_ended[r].set(s.ended[r]);
  counters_.flows_active.set(s.active);
  counters_.flow_insert_failed.set(s.insert_failed);
  if (policy_handle_ != nullptr) counters_.policy.generation.set(policy_handle_->generation());
}

template <Mode kMode>
void Worker::loop(const std::atomic<bool>& stop) {
  std::array<rte_mbuf*, kBurst> pkts;
  std::array<Verdict, kBurst> verdicts;
  auto emit_record = [this](const FlowRecord& r) { emit(r); };
  std::uint64_t received = 0;
  std::uint64_t idle_since_tsc = 0;
  const std::uint64_t replay_idle_limit = rte_get_tsc_hz() * 2;

  if (policy_handle_ != nullptr) policy_handle_->worker_online(setup_.index);
  while (!stop.load(std::memory_order_relaxed)) {
    if (policy_handle_ != nullptr) policy_->begin_pass(policy_handle_->current());
    std::uint16_t polled = 0;
    const std::uint64_t now = setup_.replay ? 0 : clock_.now_ns();
    for (const PortLink& link : setup_.links) {
      const std::uint16_t n = rte_eth_rx_burst(link.rx_port, setup_.queue, pkts.data(), kBurst);
      if (n == 0) continue;
      polled += n;
      const std::uint16_t forwarded = process_burst(pkts.data(), n, link, now, verdicts.data());
      if constexpr (kMode == Mode::kInline) {
        act(pkts.data(), n, link, verdicts.data(), forwarded);
      } else {
        rte_pktmbuf_free_bulk(pkts.data(), n);
      }
    }
    if (!setup_.replay) engine_now_ns_ = now;
    flows_.expire(engine_now_ns_, kExpireBudget, emit_record);
    // The gauges (some fifty stores) on every idle pass, and on every
    // kPublishEvery-th busy one: at full rate that is still thousands of
    // times a second, and no longer ~10 instructions per packet.
    if (polled == 0 || ++passes_unpublished_ >= kPublishEvery) {
      publish_flow_stats();
      passes_unpublished_ = 0;
    }
    if (flow_snapshot_ != nullptr && flow_snapshot_->asked()) flow_snapshot_->answer(flows_);
    // This pass holds no pointer into the policy any more.
    if (policy_handle_ != nullptr) policy_handle_->quiescent(setup_.index);
    received += polled;
    if (setup_.replay) {
      if (received >= setup_.replay_packets) break;
      // A driver that delivers fewer packets than the file holds must not
      // hang the replay: give up after two idle seconds.
      if (polled != 0) {
        idle_since_tsc = 0;
      } else if (idle_since_tsc == 0) {
        idle_since_tsc = rte_rdtsc();
      } else if (rte_rdtsc() - idle_since_tsc > replay_idle_limit) {
        break;
      }
    }
  }
  loop_end_tsc_ = rte_rdtsc();
  stopping_ = true;
  if (policy_ != nullptr) policy_->set_stopping();
  if (l7_ != nullptr) l7_->set_stopping();
  if (evidence_ != nullptr) evidence_->set_stopping();
  if (setup_.flush_on_exit) flows_.flush(emit_record);
  publish_flow_stats();
  if (policy_handle_ != nullptr) policy_handle_->worker_offline(setup_.index);
}

void Worker::run(const std::atomic<bool>& stop) {
  if (setup_.mode == Mode::kInline) {
    loop<Mode::kInline>(stop);
  } else {
    loop<Mode::kTap>(stop);
  }
}

}  // namespace segward::dataplane
