// Alert evidence on the worker: the per-flow packet history (ring order,
// snap length, slots reclaimed, exhaustion), the recorder's records for an
// alert (packets before, the alerting one, packets after, the end), and on a
// real Worker inline: the packet an alert blocks is in its evidence.
#include <gtest/gtest.h>
#include <rte_mbuf.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/evidence/evidence_recorder.h"
#include "dataplane/evidence/packet_history.h"
#include "dataplane/flow_table.h"
#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy_handle.h"
#include "dataplane/worker.h"
#include "dataplane/worker_policy.h"
#include "platform/mbuf_clock.h"
#include "tests/support/unique_name.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::dataplane {
namespace {

namespace nt = net::testing;

constexpr auto unique = test::unique_name;

constexpr std::size_t kSlotBytes3 = 3 * sizeof(CapturedPacket);  // one slot of depth 3

std::vector<std::uint8_t> frame_of(std::uint8_t tag, std::size_t size = 60) {
  std::vector<std::uint8_t> f(size, tag);
  return f;
}

std::vector<std::uint64_t> times_in(const PacketHistory& h, std::uint32_t slot) {
  std::vector<std::uint64_t> out;
  h.for_each(slot, [&](const CapturedPacket& p) { out.push_back(p.timestamp_ns); });
  return out;
}

TEST(PacketHistory, KeepsTheLastDepthFramesOldestFirst) {
  PacketHistory h(16, 3, kSlotBytes3, 0);
  ASSERT_EQ(h.slots(), 1u);
  const std::uint32_t slot = h.acquire(5);
  ASSERT_NE(slot, PacketHistory::kNoSlot);
  EXPECT_EQ(h.slot_of(5), slot);
  for (std::uint64_t t = 1; t <= 5; ++t) {
    const auto f = frame_of(static_cast<std::uint8_t>(t));
    const CapturedPacket& p = h.record(slot, f.data(), static_cast<std::uint32_t>(f.size()), 60, t, kToServer, 0);
    EXPECT_EQ(p.bytes[0], t);
  }
  EXPECT_EQ(h.count(slot), 3u);
  EXPECT_EQ(times_in(h, slot), (std::vector<std::uint64_t>{3, 4, 5}));
}

TEST(PacketHistory, CutsFramesAtTheSnapLengthAndKeepsTheirLength) {
  PacketHistory h(4, 1, sizeof(CapturedPacket), 0);
  const std::uint32_t slot = h.acquire(0);
  const auto big = frame_of(7, 9000);
  const CapturedPacket& p = h.record(slot, big.data(), 9000, 9000, 1, kToClient, 2);
  EXPECT_EQ(p.cap_len, kEvidenceSnapBytes);
  EXPECT_EQ(p.orig_len, 9000u);
  EXPECT_EQ(p.dir, kToClient);
  EXPECT_EQ(p.port_index, 2);
}

TEST(PacketHistory, SlotsRunOutAndComeBackWhenTheirFlowEnds) {
  PacketHistory h(64, 3, 2 * kSlotBytes3 + 100, 0);
  ASSERT_EQ(h.slots(), 2u);
  const std::uint32_t a = h.acquire(10);
  const std::uint32_t b = h.acquire(11);
  ASSERT_NE(a, PacketHistory::kNoSlot);
  ASSERT_NE(b, PacketHistory::kNoSlot);
  EXPECT_EQ(h.acquire(12), PacketHistory::kNoSlot);
  const auto f = frame_of(1);
  h.record(a, f.data(), 60, 60, 1, kToServer, 0);
  h.release(10);
  EXPECT_EQ(h.slot_of(10), PacketHistory::kNoSlot);
  h.release(10);  // twice is harmless
  EXPECT_EQ(h.slots_free(), 1u);
  const std::uint32_t c = h.acquire(12);
  EXPECT_EQ(c, a);
  EXPECT_EQ(h.count(c), 0u) << "a reclaimed slot starts empty";
}

// The recorder alone, driven as the worker drives it.
struct Recorder : ::testing::Test {
  WorkerCounters counters;
  std::unique_ptr<EvidenceRing> ring = std::make_unique<EvidenceRing>(unique("evidence_test_"), 256, 0);
  std::unique_ptr<EvidenceRecorder> rec;
  Flow flows[4];
  std::uint64_t now = 1000;

  void start(std::uint32_t before, std::uint32_t after, std::size_t slots = 4) {
    rec = std::make_unique<EvidenceRecorder>(EvidenceLimits{before, after, slots * before * sizeof(CapturedPacket)},
                                             4, 3, *ring, counters, false, 0);
    for (std::uint32_t i = 0; i < 4; ++i) {
      flows[i] = Flow{};
      flows[i].flow_id = 100 + i;
      flows[i].policy_flags = kPolicyEvidence;  // as for a flow with an L7 session
    }
  }
  // One packet of flow `pos`, as the worker hands it over (only when the flag is set).
  void packet(std::uint32_t pos, std::uint8_t tag) {
    const auto f = frame_of(tag);
    ++now;
    if ((flows[pos].policy_flags & kPolicyEvidence) == 0) return;
    rec->on_packet(pos, flows[pos], f.data(), 60, 60, now, kToServer);
  }
  std::vector<EvidenceRecord> records() {
    std::vector<EvidenceRecord> out;
    auto r = std::make_unique<EvidenceRecord>();
    while (ring->pop(r.get(), 1) == 1) out.push_back(*r);
    return out;
  }
};

TEST_F(Recorder, AnAlertGetsThePacketsBeforeItTheAlertingOneAndThoseAfter) {
  start(3, 2);
  for (std::uint8_t t = 1; t <= 4; ++t) packet(0, t);
  EXPECT_TRUE(records().empty()) << "nothing leaves the history without an alert";
  ASSERT_TRUE(rec->alerted(flows[0], 0x103, 11));
  packet(0, 5);  // the alerting packet
  auto r = records();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].packet.bytes[0], 3);
  EXPECT_EQ(r[1].packet.bytes[0], 4);
  EXPECT_EQ(r[2].packet.bytes[0], 5);
  EXPECT_EQ(r[2].flags, kEvidenceAlerting);
  for (const auto& e : r) {
    EXPECT_EQ(e.alert_id, 0x103u);
    EXPECT_EQ(e.rule_id, 11u);
    EXPECT_EQ(e.flow_id, 100u);
    EXPECT_EQ(e.worker, 3);
    EXPECT_EQ(e.packet.cap_len, 60);
  }
  packet(0, 6);
  packet(0, 7);
  packet(0, 8);
  r = records();
  ASSERT_EQ(r.size(), 2u) << "packets_after, then the evidence is complete";
  EXPECT_EQ(r[0].packet.bytes[0], 6);
  EXPECT_EQ(r[0].flags, 0);
  EXPECT_EQ(r[1].packet.bytes[0], 7);
  EXPECT_EQ(r[1].flags, kEvidenceLast);
  rec->flow_ended(0, 100);
  EXPECT_TRUE(records().empty());
  EXPECT_EQ(counters.evidence.alerts.get(), 1u);
  EXPECT_EQ(counters.evidence.packets_recorded.get(), 8u);
  EXPECT_EQ(rec->history().slots_free(), rec->history().slots()) << "the flow's slot is free again";
}

TEST_F(Recorder, TheFlowEndingEndsItsEvidence) {
  start(2, 10);
  packet(1, 1);
  rec->alerted(flows[1], 0x200, 1);
  packet(1, 2);
  packet(1, 3);
  rec->flow_ended(1, 101);
  const auto r = records();
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1].flags, kEvidenceAlerting);
  EXPECT_EQ(r[3].flags, kEvidenceLast | kEvidenceNoPacket);
}

TEST_F(Recorder, NoPacketsAfterMeansTheAlertingPacketIsTheLast) {
  start(2, 0);
  rec->alerted(flows[0], 0x300, 1);
  packet(0, 1);
  const auto r = records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].flags, kEvidenceAlerting | kEvidenceLast);
}

TEST_F(Recorder, ASecondAlertEndsTheFirstsEvidenceAndStartsItsOwn) {
  start(2, 5);
  packet(0, 1);
  rec->alerted(flows[0], 0x400, 1);
  packet(0, 2);
  rec->alerted(flows[0], 0x500, 2);
  packet(0, 3);
  const auto r = records();
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[2].alert_id, 0x400u);
  EXPECT_EQ(r[2].flags, kEvidenceLast | kEvidenceNoPacket);
  EXPECT_EQ(r[3].alert_id, 0x500u);
  EXPECT_EQ(r[3].packet.bytes[0], 2);
  EXPECT_EQ(r[4].packet.bytes[0], 3);
  EXPECT_EQ(r[4].flags, kEvidenceAlerting);
}

TEST_F(Recorder, AFullHistoryIsCountedAndAnAlertThereStillGetsItsPacket) {
  start(2, 4, 1);
  packet(0, 1);  // takes the only slot
  packet(1, 1);
  EXPECT_EQ(counters.evidence.no_slot.get(), 1u);
  EXPECT_EQ(flows[1].policy_flags & kPolicyEvidence, 0) << "not tried again on every packet";
  packet(1, 2);
  EXPECT_EQ(counters.evidence.no_slot.get(), 1u);
  rec->alerted(flows[1], 0x600, 1);
  packet(1, 3);
  const auto r = records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].packet.bytes[0], 3);
  EXPECT_EQ(r[0].flags, kEvidenceAlerting | kEvidenceLast);
}

TEST_F(Recorder, AFullRingDropsAndCountsLive) {
  start(64, 0);
  ring = std::make_unique<EvidenceRing>(unique("evidence_small_"), 16, 0);
  rec = std::make_unique<EvidenceRecorder>(EvidenceLimits{64, 0, 64 * sizeof(CapturedPacket)}, 4, 0, *ring, counters,
                                           false, 0);
  for (std::uint8_t t = 0; t < 40; ++t) packet(0, t);
  rec->alerted(flows[0], 0x700, 1);
  packet(0, 40);
  EXPECT_EQ(records().size(), 15u);  // the ring's usable size
  EXPECT_EQ(counters.evidence.records_dropped.get(), 41u - 15u);
}

// On a real Worker, inline: the default drops a stranger's flow; the
// dropped SYN is the alerting packet of its evidence.
TEST(EvidenceOnWorker, ThePacketAnAlertBlocksIsInItsEvidence) {
  rte_mempool* pool = rte_pktmbuf_pool_create("evidence_test_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  ASSERT_NE(pool, nullptr);
  WorkerCounters counters;
  FlowTable flows(unique("evidence_flows_"), 64, FlowTimeouts{}, 0, 0);
  EventRing events(unique("evidence_ev_"), 64, 0);
  L7EventRing alerts(unique("evidence_l7_"), 64, 0);
  EvidenceRing ring(unique("evidence_ring_"), 64, 0);
  EvidenceRecorder rec(EvidenceLimits{4, 2, 1 << 20}, flows.capacity(), 0, ring, counters, true, 0);
  policy::Policy p;
  p.source = "evidence-test.yaml";
  p.default_action = policy::Action::kDrop;
  policy::PolicyHandle handle(1);
  handle.publish(policy::CompiledPolicy::compile(p, 0));
  WorkerPolicy judge(0, true, 0, &alerts, counters, pool, true);
  judge.set_evidence(&rec);
  WorkerSetup setup;
  setup.mode = Mode::kInline;
  const PortLink link{0, 1, 0};
  setup.links = {link};
  platform::MbufClock clock;
  Worker worker(setup, flows, events, counters, clock, nullptr, &judge, &handle);
  worker.set_evidence(&rec);
  handle.worker_online(0);
  handle.quiescent(0);
  judge.begin_pass(handle.current());

  std::uint64_t now = 5'000'000'000;
  std::vector<Verdict> verdicts;
  for (std::uint8_t flags : {std::uint8_t{0x02}, std::uint8_t{0x02}, std::uint8_t{0x02}, std::uint8_t{0x02}}) {
    const nt::Bytes frame = nt::tcp_v4_frame({.flags = flags});
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    std::memcpy(rte_pktmbuf_append(m, static_cast<std::uint16_t>(frame.size())), frame.data(), frame.size());
    Verdict v = Verdict::kForward;
    now += 1000;
    worker.process_burst(&m, 1, link, now, &v);
    verdicts.push_back(v);
    rte_pktmbuf_free(m);
  }
  handle.worker_offline(0);
  EXPECT_EQ(verdicts, std::vector<Verdict>(4, Verdict::kDrop));
  auto alert = std::make_unique<L7EventRecord>();
  ASSERT_EQ(alerts.pop(alert.get(), 1), 1u);
  EXPECT_TRUE(alert->alert.evidence);
  EXPECT_EQ(alert->alert.id, 1u << 8);
  std::vector<EvidenceRecord> r(8);
  ASSERT_EQ(ring.pop(r.data(), 8), 3u) << "the alerting packet and the two after it";
  EXPECT_EQ(r[0].flags, kEvidenceAlerting);
  EXPECT_EQ(r[0].packet.timestamp_ns, 5'000'001'000u);
  EXPECT_EQ(r[0].alert_id, alert->alert.id);
  EXPECT_EQ(r[2].flags, kEvidenceLast);
  EXPECT_EQ(r[2].packet.timestamp_ns, 5'000'003'000u);
  const nt::Bytes syn = nt::tcp_v4_frame({.flags = 0x02});
  ASSERT_EQ(r[0].packet.cap_len, syn.size());
  EXPECT_EQ(0, std::memcmp(r[0].packet.bytes, syn.data(), syn.size()));
  rte_mempool_free(pool);
}

}  // namespace
}  // namespace segward::dataplane
