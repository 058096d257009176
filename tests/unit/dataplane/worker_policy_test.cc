// The allowlist on a real Worker: frames in mbufs through process_burst with
// a compiled policy published through the PolicyHandle, inline and tap;
// verdicts, alerts in the event ring, L7 violations from real ZooKeeper
// frames, TCP resets sent to ring-backed ports, and reloads that re-judge
// existing flows.
#include <gtest/gtest.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_tcp.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/flow_table.h"
#include "dataplane/l7_engine.h"
#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy_handle.h"
#include "dataplane/worker.h"
#include "dataplane/worker_policy.h"
#include "platform/mbuf_clock.h"
#include "tests/support/unique_name.h"
#include "tests/unit/net/frame_builder.h"
#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::dataplane {
namespace {

namespace nt = net::testing;
namespace zt = zookeeper::testing;
using policy::Action;

constexpr auto unique = test::unique_name;

rte_mempool* test_pool() {
  static rte_mempool* pool = rte_pktmbuf_pool_create("policy_test_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
  return pool;
}

policy::Cidr host(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return policy::Cidr{net::IpAddress::v4_from(a, b, c, d), 32};
}

// 10.0.0.1 (frame_builder's client) is "masters", 10.0.0.3 "rogue",
// 10.0.0.2 (its server) "zk"; ZooKeeper on 2181.
policy::Policy zk_policy(Action rogue_action = Action::kAllow, Action violation = Action::kDrop) {
  policy::Policy p;
  p.source = "test-policy.yaml";
  p.segments = {{"masters", {host(10, 0, 0, 1)}, {}, {}, {3, 3}},
                {"rogue", {host(10, 0, 0, 3)}, {}, {}, {4, 3}},
                {"zk", {host(10, 0, 0, 2)}, {}, {}, {5, 3}}};
  policy::Service zk;
  zk.name = "zookeeper";
  zk.ports = {{2181, 2181}};
  zk.app = policy::ServiceApp::kZookeeper;
  p.services = {zk};
  policy::Rule masters;
  masters.name = "masters-write";
  masters.id = 10;
  masters.from = {"masters"};
  masters.to = {"zk"};
  masters.service = "zookeeper";
  masters.action = Action::kAllow;
  masters.zookeeper.write_paths = std::vector<std::string>{"/mesos/**"};
  masters.at = {20, 5};
  policy::Rule rogue = masters;
  rogue.name = "rogue-read-only";
  rogue.id = 11;
  rogue.from = {"rogue"};
  rogue.action = rogue_action;
  rogue.violation = violation;
  rogue.zookeeper.write_paths = std::vector<std::string>{};
  rogue.at = {30, 5};
  p.rules = {masters, rogue};
  p.default_action = Action::kDrop;
  return p;
}

nt::Bytes from_host(nt::Bytes frame, std::uint8_t last_octet) {
  frame[29] = last_octet;  // 14 (Ethernet) + 12: the IPv4 source's last byte
  return frame;
}

struct PolicyWorker : ::testing::Test {
  WorkerCounters counters;
  std::unique_ptr<FlowTable> flows;
  std::unique_ptr<EventRing> events;
  std::unique_ptr<L7EventRing> l7_events;
  std::unique_ptr<L7Engine> l7;
  std::unique_ptr<policy::PolicyHandle> handle;
  std::unique_ptr<WorkerPolicy> wp;
  std::unique_ptr<Worker> worker;
  platform::MbufClock clock;
  PortLink link{};
  std::uint64_t now = 1'000'000'000;
  // Ring-backed ports for the resets: tx_rings[0] is the peer port's TX
  // (toward the server), tx_rings[1] the RX port's (back to the client).
  rte_ring* tx_rings[2] = {nullptr, nullptr};
  std::uint16_t ports[2] = {0, 0};

  Verdict pass_verdict = Verdict::kForward;  // what an allowed packet gets in the mode started
  bool lossless = true;  // replay: alerts wait for the ring; false: live, a full ring folds them into summaries

  void start(const policy::Policy& p, Mode mode, bool with_ports = false) {
    pass_verdict = mode == Mode::kInline ? Verdict::kForward : Verdict::kObserve;
    flows = std::make_unique<FlowTable>(unique("policy_flows_"), 1024, FlowTimeouts{}, 0, 0);
    events = std::make_unique<EventRing>(unique("policy_ev_"), 1024, 0);
    l7_events = std::make_unique<L7EventRing>(unique("policy_l7_"), 256, 0);
    L7Limits limits;
    limits.sessions = 4;
    limits.zookeeper_sessions = 4;
    limits.tls_sessions = 4;
    limits.reassembly_bytes = 1 << 20;
    limits.body_bytes = 1 << 20;
    limits.body_limit = 64 * 1024;
    l7 = std::make_unique<L7Engine>(limits, 0, *l7_events, counters, true);
    handle = std::make_unique<policy::PolicyHandle>(1);
    handle->publish(policy::CompiledPolicy::compile(p, 0));
    if (with_ports) {
      for (int i = 0; i < 2; ++i) {
        tx_rings[i] = rte_ring_create(unique("policy_tx_").c_str(), 64, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
        rte_ring* rx = rte_ring_create(unique("policy_rx_").c_str(), 64, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
        const int port = rte_eth_from_rings(unique("policy_port_").c_str(), &rx, 1, &tx_rings[i], 1, 0);
        ASSERT_GE(port, 0);
        ports[i] = static_cast<std::uint16_t>(port);
        rte_eth_conf conf{};
        ASSERT_EQ(rte_eth_dev_configure(ports[i], 1, 1, &conf), 0);
        ASSERT_EQ(rte_eth_rx_queue_setup(ports[i], 0, 64, 0, nullptr, test_pool()), 0);
        ASSERT_EQ(rte_eth_tx_queue_setup(ports[i], 0, 64, 0, nullptr), 0);
        ASSERT_EQ(rte_eth_dev_start(ports[i]), 0);
      }
      link = PortLink{ports[1], ports[0], 0};
    } else {
      link = PortLink{0, mode == Mode::kInline ? std::uint16_t{1} : kNoTxPort, 0};
    }
    wp = std::make_unique<WorkerPolicy>(0, mode == Mode::kInline, 0, l7_events.get(), counters, test_pool(), lossless);
    WorkerSetup setup;
    setup.mode = mode;
    setup.links = {link};
    worker = std::make_unique<Worker>(setup, *flows, *events, counters, clock, l7.get(), wp.get(), handle.get());
    handle->worker_online(0);
    pass();
  }
  void TearDown() override {
    if (handle) handle->worker_offline(0);
    for (int i = 0; i < 2; ++i) {
      if (tx_rings[i] == nullptr) continue;
      rte_eth_dev_stop(ports[i]);
      rte_eth_dev_close(ports[i]);
    }
  }
  // A worker loop pass boundary: quiescent, then the policy now published.
  void pass() {
    handle->quiescent(0);
    wp->begin_pass(handle->current());
  }

  Verdict send(const nt::Bytes& frame) {
    rte_mbuf* m = rte_pktmbuf_alloc(test_pool());
    EXPECT_NE(m, nullptr);
    auto* data = reinterpret_cast<std::uint8_t*>(rte_pktmbuf_append(m, static_cast<std::uint16_t>(frame.size())));
    std::memcpy(data, frame.data(), frame.size());
    Verdict v = Verdict::kObserve;
    now += 1000;
    const std::uint16_t forwarded = worker->process_burst(&m, 1, link, now, &v);
    // What the loop hands to TX: the packets whose verdict is kForward.
    EXPECT_EQ(forwarded, v == Verdict::kForward ? 1 : 0);
    rte_pktmbuf_free(m);
    return v;
  }

  std::vector<L7EventRecord> alerts() {
    std::vector<L7EventRecord> out;
    auto rec = std::make_unique<L7EventRecord>();
    while (l7_events->pop(rec.get(), 1) == 1) {
      if (rec->kind == L7EventKind::kAlert) out.push_back(*rec);
    }
    return out;
  }
};

// A ZooKeeper client at 10.0.0.<octet>:<port> talking to 10.0.0.2:2181.
struct ZkClient {
  PolicyWorker& t;
  std::uint8_t octet;
  std::uint16_t port;
  std::uint32_t cseq = 1000, sseq = 5000;

  nt::Bytes frame(bool from_client, const zt::Bytes& payload, std::uint8_t flags) {
    nt::TcpFields f{.src_port = from_client ? port : std::uint16_t{2181},
                    .dst_port = from_client ? std::uint16_t{2181} : port,
                    .seq = from_client ? cseq : sseq,
                    .ack = from_client ? sseq : cseq,
                    .flags = flags};
    nt::Bytes out = nt::tcp_v4_frame(f, payload);
    if (from_client) return from_host(out, octet);
    // The server speaks: 10.0.0.2 -> 10.0.0.<octet>.
    std::swap_ranges(out.begin() + 26, out.begin() + 30, out.begin() + 30);
    out[33] = octet;
    return out;
  }
  Verdict syn() {
    auto f = frame(true, {}, net::tcp_flags::kSyn);
    f[29] = octet;
    ++cseq;
    return t.send(f);
  }
  Verdict client(const zt::Bytes& payload) {
    const Verdict v = t.send(frame(true, payload, net::tcp_flags::kAck | net::tcp_flags::kPsh));
    cseq += static_cast<std::uint32_t>(payload.size());
    return v;
  }
  Verdict server(const zt::Bytes& payload) {
    const Verdict v = t.send(frame(false, payload, net::tcp_flags::kAck | net::tcp_flags::kPsh));
    sseq += static_cast<std::uint32_t>(payload.size());
    return v;
  }
  void connect() {
    ASSERT_EQ(client(zt::connect_request()), t.pass_verdict);
    ASSERT_EQ(server(zt::connect_response()), t.pass_verdict);
  }
};

zt::Bytes create_request(std::int32_t xid, const std::string& path) {
  return zt::request(xid, zookeeper::opcode::kCreate)
      .ustring(path)
      .buffer("leader")
      .i32(1)
      .acl(31, "world", "anyone")
      .i32(3)  // EPHEMERAL_SEQUENTIAL
      .frame();
}

zt::Bytes get_data_request(std::int32_t xid, const std::string& path) {
  return zt::request(xid, zookeeper::opcode::kGetData).ustring(path).boolean(false).frame();
}

TEST_F(PolicyWorker, FirstMatchAllowsAndTheDefaultDropsWithOneAlertPerFlow) {
  start(zk_policy(), Mode::kInline);
  ZkClient master{*this, 1, 40001};
  EXPECT_EQ(master.syn(), Verdict::kForward);
  // 10.0.0.9 is in no segment: the default (drop), alerted once.
  ZkClient stranger{*this, 9, 40002};
  EXPECT_EQ(stranger.syn(), Verdict::kDrop);
  EXPECT_EQ(stranger.client(get_data_request(1, "/mesos")), Verdict::kDrop);
  const auto a = alerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].alert.rule, policy::kDefaultRule);
  EXPECT_TRUE(a[0].alert.blocked);
  EXPECT_EQ(a[0].alert.action, static_cast<std::uint8_t>(Action::kDrop));
  EXPECT_EQ(a[0].endpoints.src_ip[3], 9);
  EXPECT_EQ(counters.policy.packets_dropped.get(), 2u);
  EXPECT_EQ(counters.policy.rule_flows[0].get(), 1u);  // masters-write
  EXPECT_EQ(counters.policy.rule_flows[WorkerCounters::Policy::kRuleSlots - 1].get(), 1u);
}

TEST_F(PolicyWorker, RogueWriteIsDroppedInlineWithTheRequestInTheAlertAndTheFlowStaysBlocked) {
  start(zk_policy(), Mode::kInline);
  ZkClient master{*this, 1, 40001};
  master.syn();
  master.connect();
  EXPECT_EQ(master.client(create_request(1, "/mesos/json.info_")), Verdict::kForward);

  ZkClient rogue{*this, 3, 40003};
  EXPECT_EQ(rogue.syn(), Verdict::kForward);
  rogue.connect();
  EXPECT_EQ(rogue.client(get_data_request(1, "/mesos/json.info_0000000001")), Verdict::kForward);
  EXPECT_EQ(rogue.client(create_request(2, "/mesos/json.info_")), Verdict::kDrop);
  // Its retransmission, and anything after, stays dropped.
  rogue.cseq -= static_cast<std::uint32_t>(create_request(2, "/mesos/json.info_").size());
  EXPECT_EQ(rogue.client(create_request(2, "/mesos/json.info_")), Verdict::kDrop);
  EXPECT_EQ(rogue.server(zt::Bytes{}), Verdict::kDrop);
  // The master is not affected.
  EXPECT_EQ(master.client(get_data_request(2, "/mesos")), Verdict::kForward);

  const auto a = alerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].alert.condition, static_cast<std::uint8_t>(policy::Condition::kZookeeperWritePath));
  EXPECT_EQ(a[0].alert.trigger, static_cast<std::uint8_t>(L7EventKind::kZookeeper));
  EXPECT_EQ(a[0].alert.rule_id, 11u);
  EXPECT_TRUE(a[0].alert.blocked);
  EXPECT_EQ(a[0].zookeeper.opcode, zookeeper::opcode::kCreate);
  EXPECT_EQ(a[0].zookeeper.path.view(), "/mesos/json.info_");
  EXPECT_EQ(a[0].endpoints.src_ip[3], 3);
  EXPECT_EQ(counters.policy.violations[static_cast<int>(policy::Condition::kZookeeperWritePath)].get(), 1u);
}

TEST_F(PolicyWorker, TapModeNeverDropsButStillAlerts) {
  start(zk_policy(), Mode::kTap);
  ZkClient rogue{*this, 3, 40003};
  EXPECT_EQ(rogue.syn(), Verdict::kObserve);
  rogue.connect();
  EXPECT_EQ(rogue.client(create_request(2, "/mesos/json.info_")), Verdict::kObserve);
  ZkClient stranger{*this, 9, 40002};
  EXPECT_EQ(stranger.syn(), Verdict::kObserve);
  const auto a = alerts();
  ASSERT_EQ(a.size(), 2u);
  EXPECT_FALSE(a[0].alert.blocked);
  EXPECT_FALSE(a[1].alert.blocked);
  EXPECT_EQ(counters.policy.packets_dropped.get(), 0u);
}

TEST_F(PolicyWorker, ViolationActionAlertLetsTheWriteThrough) {
  start(zk_policy(Action::kAllow, Action::kAlert), Mode::kInline);
  ZkClient rogue{*this, 3, 40003};
  rogue.syn();
  rogue.connect();
  EXPECT_EQ(rogue.client(create_request(2, "/mesos/json.info_")), Verdict::kForward);
  const auto a = alerts();
  ASSERT_EQ(a.size(), 1u);
  EXPECT_FALSE(a[0].alert.blocked);
}

TEST_F(PolicyWorker, ResetSendsOneRstEachWayWithSequenceNumbersTheEndsAccept) {
  start(zk_policy(Action::kAllow, Action::kReset), Mode::kInline, true);
  ZkClient rogue{*this, 3, 40003};
  rogue.syn();
  rogue.connect();
  const std::uint32_t seq = rogue.cseq, ack = rogue.sseq;
  EXPECT_EQ(rogue.client(create_request(2, "/mesos/json.info_")), Verdict::kDrop);
  EXPECT_EQ(counters.policy.resets_sent.get(), 2u);
  for (int side = 0; side < 2; ++side) {
    rte_mbuf* m = nullptr;
    ASSERT_EQ(rte_ring_dequeue(tx_rings[side], reinterpret_cast<void**>(&m)), 0) << "side " << side;
    net::PacketLayers p;
    ASSERT_EQ(net::decode_packet({rte_pktmbuf_mtod(m, const std::uint8_t*), m->data_len}, p), net::DecodeError::kNone);
    EXPECT_TRUE((p.tcp_flags & net::tcp_flags::kRst) != 0);
    if (side == 0) {  // toward the server, in place of the dropped request
      EXPECT_EQ(p.src_ip.bytes[3], 3);
      EXPECT_EQ(p.dst_port, 2181);
      EXPECT_EQ(p.tcp_seq, seq);
    } else {  // back to the rogue, at what it acknowledged
      EXPECT_EQ(p.dst_ip.bytes[3], 3);
      EXPECT_EQ(p.src_port, 2181);
      EXPECT_EQ(p.tcp_seq, ack);
    }
    rte_pktmbuf_free(m);
  }
  // Once: later packets are dropped without more resets.
  EXPECT_EQ(rogue.server(zt::Bytes{}), Verdict::kDrop);
  EXPECT_EQ(counters.policy.resets_sent.get(), 2u);
}

TEST_F(PolicyWorker, ReloadRejudgesExistingFlowsButAViolationStaysBlocked) {
  start(zk_policy(), Mode::kInline);
  ZkClient master{*this, 1, 40001};
  master.syn();
  master.connect();
  ZkClient rogue{*this, 3, 40003};
  rogue.syn();
  rogue.connect();
  EXPECT_EQ(rogue.client(create_request(2, "/mesos/json.info_")), Verdict::kDrop);
  alerts();

  // The new policy drops the masters and lets anyone write.
  policy::Policy next = zk_policy();
  next.rules[0].action = Action::kDrop;
  next.rules[1].zookeeper.write_paths.reset();
  handle->publish(policy::CompiledPolicy::compile(next, 0));
  pass();
  EXPECT_EQ(master.client(get_data_request(3, "/mesos")), Verdict::kDrop);
  EXPECT_EQ(rogue.client(get_data_request(3, "/mesos")), Verdict::kDrop);
  const auto a = alerts();
  ASSERT_EQ(a.size(), 1u);  // the master's flow, under its new rule
  EXPECT_EQ(a[0].alert.rule_id, 10u);
  EXPECT_EQ(a[0].alert.generation, handle->generation());
  EXPECT_TRUE(handle->reclaim());
}

TEST_F(PolicyWorker, AClassifiedFlowIsJudgedOnceNotPerPacket) {
  // rte_acl runs once per flow; each packet after costs one rule counter.
  start(zk_policy(), Mode::kInline);
  ZkClient master{*this, 1, 40001};
  master.syn();
  const std::uint64_t classified = counters.policy.flows_classified.get();
  for (int i = 0; i < 10; ++i) master.client(get_data_request(i + 1, "/mesos"));
  EXPECT_EQ(counters.policy.flows_classified.get(), classified);
  EXPECT_EQ(counters.policy.rule_packets[0].get(), 11u);
}

TEST_F(PolicyWorker, LiveAlertsThatFindTheRingFullBecomeOneSummaryAlert) {
  lossless = false;
  start(zk_policy(), Mode::kInline);
  // 300 rogue connections, each dropped by the default with an alert; the
  // ring (256 slots) takes 255 of them.
  for (int i = 0; i < 300; ++i) {
    ZkClient rogue{*this, static_cast<std::uint8_t>(100 + i % 100), static_cast<std::uint16_t>(40000 + i)};
    ASSERT_EQ(Verdict::kDrop, rogue.syn());
  }
  EXPECT_EQ(255u, counters.policy.alerts.get());
  EXPECT_EQ(45u, counters.policy.alerts_suppressed.get());
  EXPECT_EQ(0u, counters.policy.alerts_dropped.get());
  const auto first = alerts();
  ASSERT_EQ(255u, first.size());
  for (const auto& a : first) EXPECT_EQ(0u, a.alert.suppressed);

  pass();  // the next loop pass finds room: the summary goes
  const auto summary = alerts();
  ASSERT_EQ(1u, summary.size());
  const PolicyAlert& s = summary[0].alert;
  EXPECT_EQ(45u, s.suppressed);
  EXPECT_EQ(policy::kDefaultRule, s.rule);
  EXPECT_TRUE(s.blocked);
  EXPECT_LT(s.first_ns, summary[0].timestamp_ns);  // the first and the last of the 45
  EXPECT_GT(s.first_ns, first.back().timestamp_ns);
  EXPECT_EQ(1u, counters.policy.alert_summaries.get());

  // The ring has room again: the next alert is written on its own.
  ZkClient late{*this, 250, 50000};
  ASSERT_EQ(Verdict::kDrop, late.syn());
  ASSERT_EQ(1u, alerts().size());
  EXPECT_EQ(256u, counters.policy.alerts.get());
}


}  // namespace
}  // namespace segward::dataplane
