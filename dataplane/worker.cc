#include "dataplane/worker.h"

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>

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
  // Per tracked packet, beside keys_/times_: its key's hash, its candidate
  // flow (FlowTable::lookup_candidate), and what the flow part needs of its
  // mbuf, read here while the mbuf's first line is in cache.
  std::uint32_t hashes[kBurst];
  std::uint32_t candidates[kBurst];
  std::uint32_t frame_bytes[kBurst];
  const std::uint8_t* frames[kBurst];

  if (kBenchCut == kCutIo) {  // receive and forward only, as testpmd io does
    for (std::uint16_t i = 0; i < n; ++i) verdicts[i] = pass;
    counters_.rx_packets.add(n);
    counters_.verdicts[static_cast<int>(pass)].add(n);
    return pass == Verdict::kForward ? n : 0;
  }
  // In locals: the decoder's byte stores may alias any member, so the
  // compiler would reload these after every one of them.
  const bool replay = setup_.replay;
  std::uint64_t engine_now = engine_now_ns_;
  for (std::uint16_t i = 0; i < n; ++i) {
    if (i + 4 < n) rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 4], void*));
    rte_mbuf* m = pkts[i];
    bytes += m->pkt_len;
    verdicts[i] = pass;
    std::uint64_t ts = now_ns;
    if (replay) {
      if (std::uint64_t stamped = clock_.packet_time_ns(m); stamped != 0) ts = stamped;
      if (ts > engine_now) engine_now = ts;
    }
    net::PacketLayers& p = layers_[i];
    const net::DecodeError err =
        net::decode_packet_inline({rte_pktmbuf_mtod(m, const std::uint8_t*), m->data_len}, p);
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
    from_lo_[tracked] = !make_flow_key(p, keys_[tracked], hashes[tracked]);
    if (kBenchCut == kCutKey) continue;
    // The index bucket is fetched while the rest of the burst decodes.
    flows_.prefetch(hashes[tracked]);
    tracked_[tracked] = static_cast<std::uint8_t>(i);
    times_[tracked] = ts;
    frame_bytes[tracked] = m->pkt_len;
    frames[tracked] = rte_pktmbuf_mtod(m, const std::uint8_t*);
    ++tracked;
  }
  engine_now_ns_ = engine_now;
  // The buckets have had the decoding of the burst to arrive; now start
  // fetching every candidate flow before the first is touched. (Doing this a
  // few packets behind the decoding instead made no measurable difference.)
  for (unsigned t = 0; t < tracked; ++t) candidates[t] = flows_.lookup_candidate(hashes[t]);
  auto add_if = [](Counter& c, unsigned v) {
    if (v != 0) c.add(v);
  };
  add_if(counters_.ipv4, by_l3[static_cast<std::size_t>(net::L3::kIpv4)]);
  add_if(counters_.ipv6, by_l3[static_cast<std::size_t>(net::L3::kIpv6)]);
  add_if(counters_.arp, by_l3[static_cast<std::size_t>(net::L3::kArp)]);
  add_if(counters_.other_l3, by_l3[static_cast<std::size_t>(net::L3::kOther)]);
  add_if(counters_.fragments, fragments);
  add_if(counters_.tcp, by_l4[static_cast<std::size_t>(net::L4::kTcp)]);
  add_if(counters_.udp, by_l4[static_cast<std::size_t>(net::L4::kUdp)]);
  add_if(counters_.icmp, by_l4[static_cast<std::size_t>(net::L4::kIcmp)] +
                             by_l4[static_cast<std::size_t>(net::L4::kIcmpv6)]);
  add_if(counters_.other_l4, by_l4[static_cast<std::size_t>(net::L4::kOther)]);
  counters_.rx_packets.add(n);
  counters_.rx_bytes.add(bytes);

  const bool judged = policy_ != nullptr && policy_->active();
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
      std::int32_t pos = evicted ? -1 : flows_.resolve(keys_[t], hashes[t], candidates[t]);
      if (pos < 0 && created) pos = flows_.lookup(keys_[t], hashes[t]);
      const net::PacketLayers& p = layers_[tracked_[t]];
      const bool is_tcp = p.l4 == net::L4::kTcp;
      if (pos < 0) {
        pos = flows_.create(keys_[t], hashes[t], from_lo_[t], p.tcp_flags, link.rx_index, times_[t], emit_record);
        created = true;
        evicted = flows_.stats().ended[static_cast<int>(FlowEndReason::kForced)] != evicted_before;
        if (pos < 0) continue;  // counted by the table
      }
      if (kBenchCut == kCutLookup) continue;
      const int dir = flows_.account(pos, from_lo_[t], is_tcp, p.tcp_flags, frame_bytes[t], link.rx_index, times_[t],
                                     emit_record);
      Flow& flow = flows_.at(pos);
      if (kBenchCut == kCutAccount) continue;
      if (judged) policy_->judge_flow(flow, p, dir == kToServer, times_[t]);
      // Inline, a blocked flow's bytes never reach its server: nothing to decode.
      const bool blocked = enforces && flow.enforcement >= static_cast<std::uint8_t>(policy::Action::kDrop);
      if (is_tcp && l7_ != nullptr && !blocked) l7_->on_tcp_packet(flow, dir, p, frames[t], times_[t]);
      if (judged) {
        const Verdict v = policy_->verdict(flow, p, frames[t], link);
        if (v != pass) [[unlikely]] {
          verdicts[tracked_[t]] = v;
          ++tally[static_cast<std::size_t>(v)];
          ++n_overridden;
        }
      }
      // After the verdict, so that a packet the alert blocks is evidence too.
      if ((flow.policy_flags & kPolicyEvidence) != 0 && evidence_ != nullptr) [[unlikely]] {
        const rte_mbuf* m = pkts[tracked_[t]];
        evidence_->on_packet(static_cast<std::uint32_t>(pos), flow, frames[t], m->data_len, m->pkt_len, times_[t], dir);
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
