// Replays a capture of real traffic through the real EAL, net_pcap and a
// dataplane Worker on its own lcore, counting heap allocations made by the
// worker thread: the per-packet path must make none.
#include <gtest/gtest.h>
#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include <pcap/pcap.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "dataplane/event_ring.h"
#include "dataplane/flow_table.h"
#include "dataplane/l7_engine.h"
#include "dataplane/worker.h"
#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy_handle.h"
#include "dataplane/worker_policy.h"
#include "mgmt/capture_file.h"
#include "mgmt/policy_file.h"
#include "mgmt/rule_file.h"
#include "platform/mbuf_clock.h"
#include "platform/ports.h"
#include "tests/support/alloc_counter.h"

namespace segward {
namespace {

struct WorkerRun {
  dataplane::Worker* worker;
  const std::atomic<bool>* stop;
  std::uint64_t allocations = 0;
};

int run_counted(void* arg) {
  auto* run = static_cast<WorkerRun*>(arg);
  test::arm_alloc_counter();
  run->worker->run(*run->stop);
  run->allocations = test::disarm_alloc_counter();
  return 0;
}

// What a replay with signature rules saw: signature alerts by rule id, and
// by rule set generation.
struct SignatureTally {
  std::map<std::uint32_t, std::uint64_t> by_rule;
  std::map<std::uint32_t, std::uint64_t> by_generation;
};

// Returns the events the L7 engine produced (Mesos, ZooKeeper, TLS,
// anomalies, and alerts when `policy_file` names a policy to judge by).
// `evidence`: alerts also get their packets recorded and handed over.
// `rules`: signature rule files to match every decoded message against.
// `mid_run`: called once the worker has handed over 4,000 L7 events and,
// nobody draining them, waits for ring space (it is then mid-capture);
// draining starts after it returns.
std::uint64_t replay_and_count(const std::string& capture, const std::string& vdev_name, std::uint32_t flow_capacity,
                               const std::string& policy_file = "", bool evidence = false,
                               const std::string& rules = "",
                               const std::function<void(policy::PolicyHandle&)>& mid_run = {},
                               SignatureTally* tally = nullptr) {
  const mgmt::CaptureScan scan = mgmt::scan_capture(capture);
  EXPECT_GT(scan.packets, 0u);
  EXPECT_EQ(0, rte_vdev_init(vdev_name.c_str(), ("rx_pcap=" + capture).c_str()));
  static rte_mempool* pool = platform::create_mbuf_pool(4095, 128);
  const platform::OpenedPort port = platform::open_port({"pcap", vdev_name, 512, 512}, 1, pool);
  platform::MbufClock clock;
  clock.init();

  // A small table, so the replay also exercises eviction.
  dataplane::FlowTable flows("flows_" + vdev_name.substr(vdev_name.size() - 1), flow_capacity, {}, 1, 0);
  dataplane::EventRing events("events_" + vdev_name.substr(vdev_name.size() - 1), 1024, 0);
  dataplane::WorkerCounters counters;
  // Application-layer decoding on, with small pools: every packet of the
  // Mesos capture goes through reassembly, HTTP and the Mesos decoders.
  dataplane::L7Limits l7_limits;
  l7_limits.sessions = 64;
  l7_limits.zookeeper_sessions = 64;
  l7_limits.tls_sessions = 64;
  l7_limits.reassembly_bytes = 4 << 20;
  l7_limits.body_bytes = 4 << 20;
  dataplane::L7EventRing l7_events("l7_" + vdev_name.substr(vdev_name.size() - 1), 4096, 0);
  dataplane::L7Engine l7(l7_limits, 0, l7_events, counters, true);
  dataplane::WorkerSetup setup;
  setup.links = {{port.port_id, dataplane::kNoTxPort, 0}};
  setup.replay = true;
  setup.replay_packets = scan.packets;
  std::unique_ptr<policy::PolicyHandle> handle;
  std::unique_ptr<dataplane::WorkerPolicy> judge;
  if (!policy_file.empty()) {
    handle = std::make_unique<policy::PolicyHandle>(1);
    handle->publish(policy::CompiledPolicy::compile(mgmt::load_policy_file(policy_file), 0));
    judge = std::make_unique<dataplane::WorkerPolicy>(0, false, 0, &l7_events, counters, pool, true);
  }
  if (!rules.empty()) {
    if (handle == nullptr) handle = std::make_unique<policy::PolicyHandle>(1);
    handle->publish_rules(mgmt::load_rule_files({rules}, 1).set);
    if (judge == nullptr) judge = std::make_unique<dataplane::WorkerPolicy>(0, false, 0, &l7_events, counters, pool, true);
  }
  dataplane::Worker worker(setup, flows, events, counters, clock, &l7, judge.get(), handle.get());
  std::unique_ptr<dataplane::EvidenceRing> evidence_ring;
  std::unique_ptr<dataplane::EvidenceRecorder> recorder;
  if (evidence && judge != nullptr) {
    evidence_ring = std::make_unique<dataplane::EvidenceRing>("evidence_" + vdev_name.substr(vdev_name.size() - 1), 256, 0);
    // A small history: slots run out, which must not allocate either.
    recorder = std::make_unique<dataplane::EvidenceRecorder>(dataplane::EvidenceLimits{16, 16, 1 << 20}, flow_capacity,
                                                             0, *evidence_ring, counters, true, 0);
    judge->set_evidence(recorder.get());
    l7.record_session_flows(true);
    worker.set_evidence(recorder.get());
  }
  std::uint64_t evidence_records = 0;
  auto evidence_record = std::make_unique<dataplane::EvidenceRecord>();

  std::atomic<bool> stop{false};
  WorkerRun run{&worker, &stop};
  const unsigned lcore = rte_get_next_lcore(-1, 1, 0);
  EXPECT_LT(lcore, RTE_MAX_LCORE) << "needs a worker lcore (-l 0-1)";
  EXPECT_EQ(0, rte_eal_remote_launch(run_counted, &run, lcore));
  std::uint64_t flow_events = 0;
  std::uint64_t mesos_events = 0;
  auto l7_record = std::make_unique<dataplane::L7EventRecord>();
  std::uint64_t packets_in_flows = 0;
  std::vector<dataplane::DataplaneEvent> batch(64);
  if (mid_run) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (counters.l7.zookeeper_events.get() < 4000 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_GE(counters.l7.zookeeper_events.get(), 4000u);
    EXPECT_NE(rte_eal_get_lcore_state(lcore), WAIT) << "the worker should still be mid-capture";
    mid_run(*handle);
  }
  auto count_l7 = [&]() {
    ++mesos_events;
    const dataplane::L7EventRecord& r = *l7_record;
    if (tally != nullptr && r.kind == dataplane::L7EventKind::kAlert &&
        r.alert.source == dataplane::AlertSource::kSignature) {
      ++tally->by_rule[r.alert.rule_id];
      ++tally->by_generation[r.alert.generation];
    }
  };
  for (;;) {
    if (handle != nullptr) handle->reclaim();
    const bool done = rte_eal_get_lcore_state(lcore) == WAIT;
    for (unsigned n; (n = events.pop(batch.data(), 64)) != 0;) {
      for (unsigned i = 0; i < n; ++i) {
        ++flow_events;
        packets_in_flows += batch[i].flow.pkts[0] + batch[i].flow.pkts[1];
      }
    }
    while (l7_events.pop(l7_record.get(), 1) == 1) count_l7();
    while (evidence_ring != nullptr && evidence_ring->pop(evidence_record.get(), 1) == 1) ++evidence_records;
    if (done) break;
    std::this_thread::yield();
  }
  rte_eal_wait_lcore(lcore);
  platform::close_port(port);

  EXPECT_EQ(0u, run.allocations) << "the worker allocated on the packet path";
  EXPECT_EQ(scan.packets, counters.rx_packets.get());
  EXPECT_GT(flow_events, 0u);
  EXPECT_EQ(counters.flows_created.get(), flow_events) << "every created flow is reported exactly once";
  EXPECT_LE(packets_in_flows, scan.packets);
  while (l7_events.pop(l7_record.get(), 1) == 1) count_l7();
  const auto& l7c = counters.l7;
  EXPECT_EQ(l7c.mesos_events.get() + l7c.zookeeper_events.get() + l7c.tls_events.get() + l7c.protocol_mismatches.get() +
                counters.policy.alerts.get() + counters.signatures.alerts.get(),
            mesos_events);
  if (!rules.empty()) {
    // Every capture has decoded messages for the rules; which fire is the caller's to check.
    EXPECT_GT(counters.signatures.messages.get() + counters.signatures.payload_bytes.get(), 0u);
    EXPECT_EQ(counters.signatures.alerts_dropped.get(), 0u);
  }
  if (!policy_file.empty()) {
    EXPECT_GT(counters.policy.alerts.get(), 0u);
  }
  if (recorder != nullptr) {
    while (evidence_ring->pop(evidence_record.get(), 1) == 1) ++evidence_records;
    EXPECT_EQ(counters.evidence.alerts.get(), counters.policy.alerts.get()) << "every alert got evidence";
    EXPECT_GT(counters.evidence.packets_recorded.get(), 0u);
    EXPECT_GE(evidence_records, counters.evidence.alerts.get());
    EXPECT_EQ(counters.evidence.records_dropped.get(), 0u);
  }
  return mesos_events;
}

TEST(ReplayNoAlloc, BundledCaptureOfRealTraffic) {
  // Real ZooKeeper traffic: every connection through the ZooKeeper decoder.
  EXPECT_GT(replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/zk-cluster.pcap", "net_pcap_noalloc0", 65536), 50u);
}

TEST(ReplayNoAlloc, PolicyJudgingAndAlertsAllocateNothing) {
  // The built-in baseline policy on real ZooKeeper traffic: every flow
  // classified (rte_acl), every request checked, alerts raised.
  EXPECT_GT(replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/zk-cluster.pcap", "net_pcap_noalloc5", 65536,
                             SEGWARD_SOURCE_DIR "/mgmt/policies/default.yaml"),
            50u);
}

TEST(ReplayNoAlloc, EvidenceRecordingAllocatesNothing) {
  // The same with evidence on: every ZooKeeper flow's packets recorded,
  // each alert's handed to the management side.
  EXPECT_GT(replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/zk-cluster.pcap", "net_pcap_noalloc6", 65536,
                             SEGWARD_SOURCE_DIR "/mgmt/policies/default.yaml", true),
            50u);
}

TEST(ReplayNoAlloc, SignatureMatchingAllocatesNothing) {
  // The built-in rule pack on all three bundled captures: every decoded
  // message matched (Hyperscan scans, conditions, thresholds), alerts raised.
  SignatureTally tally;
  for (const auto& [capture, vdev] : {std::pair{"zk-cluster.pcap", "net_pcap_noalloc7"},
                                      std::pair{"mesos-cluster.pcap", "net_pcap_noalloc8"},
                                      std::pair{"tls-handshakes.pcap", "net_pcap_noalloc9"}}) {
    replay_and_count(std::string(SEGWARD_SOURCE_DIR "/tests/data/") + capture, vdev, 65536, "", false,
                     SEGWARD_SOURCE_DIR "/signatures/rules", {}, &tally);
  }
  EXPECT_GE(tally.by_rule.size(), 3u) << "the pack fires several rules on the bundled captures";
}

TEST(ReplayNoAlloc, PayloadPatternsAllocateNothing) {
  // Streaming payload patterns on every reassembled byte of the Mesos and
  // ZooKeeper connections: stream states from the rule set's pool.
  const std::string file = ::testing::TempDir() + "/segward-payload-rules.yaml";
  std::ofstream(file) << "rules:\n"
                         "  - id: 41\n    msg: libprocess message type\n    threat: framework_compromise\n"
                         "    payload:\n      - literal: mesos.internal.\n        direction: to_server\n"
                         "  - id: 42\n    msg: election znode\n    threat: election_tampering\n"
                         "    payload:\n      - regex: '/mesos/json\\.info_'\n";
  SignatureTally tally;
  replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/mesos-cluster.pcap", "net_pcap_noalloc10", 65536, "", false, file,
                   {}, &tally);
  replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/zk-cluster.pcap", "net_pcap_noalloc11", 65536, "", false, file, {},
                   &tally);
  EXPECT_GT(tally.by_rule[41], 0u);
  EXPECT_GT(tally.by_rule[42], 0u);
}

TEST(RuleReload, NewRulesApplyMidCaptureAndNoPacketIsLost) {
  // 10,000 pipelined getData requests on one ZooKeeper session. Rule set A
  // knows only connects; while the worker is mid-capture (blocked on a full
  // event ring, 4,000 requests in), rule set B, which flags getData, is
  // published. Every packet is still processed (net_pcap replays each
  // once), the flow's packets are all accounted, and B's rule fires on the
  // requests decoded after the swap, under generation 2, A's never again.
  const std::string dir = ::testing::TempDir() + "/segward-reload-rules";
  std::filesystem::create_directories(dir);
  const std::string head = "rules:\n  - id: 900001\n    msg: connect\n    threat: zookeeper_compromise\n"
                           "    match:\n      - field: zookeeper.kind\n        equals: connect\n";
  std::ofstream(dir + "/a.yaml") << head;
  SignatureTally tally;
  const std::uint64_t events = replay_and_count(
      SEGWARD_SOURCE_DIR "/tests/data/zk-getdata-flood.pcap", "net_pcap_reload0", 65536, "", false, dir + "/a.yaml",
      [&](policy::PolicyHandle& handle) {
        std::ofstream(dir + "/b.yaml") << "rules:\n  - id: 900002\n    msg: getData\n"
                                          "    threat: zookeeper_compromise\n    match:\n"
                                          "      - field: zookeeper.op\n        equals: getData\n";
        EXPECT_EQ(handle.publish_rules(mgmt::load_rule_files({dir + "/b.yaml"}, 1).set), 2);
      },
      &tally);
  EXPECT_GT(events, 10000u);
  EXPECT_EQ(tally.by_rule[900001], 1u) << "the connect came before the swap";
  EXPECT_GT(tally.by_rule[900002], 1000u) << "B fires after the swap";
  EXPECT_LT(tally.by_rule[900002], 10000u) << "but not on requests decoded before it";
  EXPECT_EQ(tally.by_generation[1], 1u);
  EXPECT_EQ(tally.by_generation[2], tally.by_rule[900002]);
  std::filesystem::remove_all(dir);
}

TEST(ReplayNoAlloc, TlsDecodingAllocatesNothing) {
  // Real openssl handshakes (TLS 1.2 with certificates, 1.3) and mismatches.
  EXPECT_GT(replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/tls-handshakes.pcap", "net_pcap_noalloc3", 65536), 4u);
}

TEST(ReplayNoAlloc, MesosDecodingAllocatesNothing) {
  // Real libprocess, v1 API and legacy traffic (mesos-go, curl): reassembly,
  // HTTP, protobuf and JSON scanning, RecordIO streams, event hand-off.
  const std::uint64_t events =
      replay_and_count(SEGWARD_SOURCE_DIR "/tests/data/mesos-cluster.pcap", "net_pcap_noalloc2", 65536);
  EXPECT_GE(events, 30u);
}

// Writes `flows` TCP SYNs from distinct source ports, 192.0.2.1 -> 198.51.100.1:5050.
std::string write_syn_flood_capture(unsigned flows) {
  const std::string path = ::testing::TempDir() + "/noalloc_syn_flood.pcap";
  pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
  pcap_dumper_t* dump = pcap_dump_open(dead, path.c_str());
  EXPECT_NE(nullptr, dump);
  std::uint8_t frame[60] = {0};
  const std::uint8_t head[] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,  // Ethernet
                               0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0,              // IPv4
                               192, 0, 2, 1, 198, 51, 100, 1};
  std::memcpy(frame, head, sizeof head);
  for (unsigned i = 0; i < flows; ++i) {
    std::uint8_t* tcp = frame + 34;
    const std::uint16_t sport = static_cast<std::uint16_t>(10000 + i);
    tcp[0] = sport >> 8;
    tcp[1] = sport & 0xff;
    tcp[2] = 5050 >> 8;
    tcp[3] = 5050 & 0xff;
    tcp[12] = 5 << 4;
    tcp[13] = 0x02;  // SYN
    pcap_pkthdr h{};
    h.ts.tv_sec = 1795519869 + i / 1000;
    h.ts.tv_usec = i % 1000;
    h.caplen = h.len = sizeof frame;
    pcap_dump(reinterpret_cast<u_char*>(dump), &h, frame);
  }
  pcap_dump_close(dump);
  pcap_close(dead);
  return path;
}

TEST(ReplayNoAlloc, FlowTableEvictionAllocatesNothingEither) {
  // 5,000 flows into a 1,024-flow table: most creations evict.
  replay_and_count(write_syn_flood_capture(5000), "net_pcap_noalloc1", 1024);
}

TEST(ReplayNoAlloc, CounterSeesAllocationsOnTheWorkerThread) {
  // The instrument itself must be able to fail: an allocation on a worker
  // lcore is counted.
  struct Probe {
    std::uint64_t count = 0;
  } probe;
  const unsigned lcore = rte_get_next_lcore(-1, 1, 0);
  ASSERT_EQ(0, rte_eal_remote_launch(
                   [](void* arg) {
                     test::arm_alloc_counter();
                     auto* v = new std::vector<int>(100);
                     asm volatile("" : : "r"(v) : "memory");  // keep the allocation
                     delete v;
                     static_cast<Probe*>(arg)->count = test::disarm_alloc_counter();
                     return 0;
                   },
                   &probe, lcore));
  rte_eal_wait_lcore(lcore);
  EXPECT_GE(probe.count, 1u);
}

}  // namespace
}  // namespace segward
