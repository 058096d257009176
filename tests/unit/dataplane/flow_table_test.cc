// FlowTable on a real rte_hash: keys, directions, TCP states, engine-time
// timeouts, eviction order and TCP port reuse.
#include "dataplane/flow_table.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <vector>

namespace segward::dataplane {
namespace {

constexpr std::uint64_t kSec = 1'000'000'000ULL;
namespace tf = net::tcp_flags;

net::PacketLayers tcp_packet(std::uint8_t src_last, std::uint16_t sport, std::uint8_t dst_last, std::uint16_t dport) {
  net::PacketLayers p;
  p.l3 = net::L3::kIpv4;
  p.l4 = net::L4::kTcp;
  p.ip_proto = 6;
  p.src_ip.bytes = {192, 0, 2, src_last};
  p.dst_ip.bytes = {192, 0, 2, dst_last};
  p.src_port = sport;
  p.dst_port = dport;
  return p;
}

struct Harness {
  FlowTable table;
  std::vector<FlowRecord> ended;

  explicit Harness(std::uint32_t capacity, FlowTimeouts t = {}) : table(next_name(), capacity, t, 1, 0) {}

  static std::string next_name() {
    static std::atomic<int> n{0};
    return "test_flows_" + std::to_string(n++);
  }

  // Feeds one packet like the worker does; returns the direction index.
  int feed(const net::PacketLayers& p, std::uint8_t flags, std::uint64_t now, std::uint32_t bytes = 60) {
    FlowKey key;
    const bool from_lo = !make_flow_key(p, key);
    auto emit = [this](const FlowRecord& r) { ended.push_back(r); };
    std::int32_t pos = table.lookup(key);
    if (pos < 0) pos = table.create(key, from_lo, flags, 0, now, emit);
    EXPECT_GE(pos, 0);
    return table.account(pos, from_lo, p.l4 == net::L4::kTcp, flags, bytes, 0, now, emit);
  }
  void expire(std::uint64_t now) {
    table.expire(now, 1'000'000, [this](const FlowRecord& r) { ended.push_back(r); });
  }
  void flush() {
    table.flush([this](const FlowRecord& r) { ended.push_back(r); });
  }
};

TEST(FlowKey, BothDirectionsGiveTheSameKey) {
  FlowKey a, b;
  const bool ra = make_flow_key(tcp_packet(1, 40000, 2, 2181), a);
  const bool rb = make_flow_key(tcp_packet(2, 2181, 1, 40000), b);
  EXPECT_EQ(0, std::memcmp(&a, &b, sizeof a));
  EXPECT_NE(ra, rb);
}

TEST(FlowKey, VlanSeparatesFlows) {
  auto p = tcp_packet(1, 40000, 2, 2181);
  FlowKey a, b;
  make_flow_key(p, a);
  p.vlan_count = 1;
  p.vlan_ids[0] = 100;
  make_flow_key(p, b);
  EXPECT_NE(0, std::memcmp(&a, &b, sizeof a));
}

TEST(FlowTable, CountsPacketsAndBytesPerDirectionFromTheInitiator) {
  Harness h(1024);
  const auto c2s = tcp_packet(9, 40000, 2, 2181);  // client has the higher address
  const auto s2c = tcp_packet(2, 2181, 9, 40000);
  EXPECT_EQ(kToServer, h.feed(c2s, tf::kSyn, 1 * kSec, 74));
  EXPECT_EQ(kToClient, h.feed(s2c, tf::kSyn | tf::kAck, 1 * kSec, 74));
  EXPECT_EQ(kToServer, h.feed(c2s, tf::kAck, 2 * kSec, 66));
  h.flush();
  ASSERT_EQ(1u, h.ended.size());
  const FlowRecord& r = h.ended[0];
  EXPECT_EQ(2u, r.pkts[kToServer]);
  EXPECT_EQ(1u, r.pkts[kToClient]);
  EXPECT_EQ(140u, r.bytes[kToServer]);
  EXPECT_EQ(74u, r.bytes[kToClient]);
  EXPECT_FALSE(r.client_is_lo);  // 192.0.2.9 initiated
  EXPECT_EQ(FlowState::kEstablished, r.state);
  EXPECT_EQ(FlowEndReason::kShutdown, r.reason);
  EXPECT_EQ(1 * kSec, r.first_ns);
  EXPECT_EQ(2 * kSec, r.last_ns);
}

TEST(FlowTable, SynAckSeenFirstMakesItsReceiverTheClient) {
  Harness h(1024);
  h.feed(tcp_packet(2, 2181, 9, 40000), tf::kSyn | tf::kAck, kSec);
  h.flush();
  ASSERT_EQ(1u, h.ended.size());
  EXPECT_FALSE(h.ended[0].client_is_lo);  // 192.0.2.9 is the client
  EXPECT_EQ(1u, h.ended[0].pkts[kToClient]);
}

TEST(FlowTable, IdleFlowsExpireOnEngineTimeWithPerStateTimeouts) {
  FlowTimeouts t;
  t.new_ns = 10 * kSec;
  t.established_ns = 100 * kSec;
  t.closed_ns = 5 * kSec;
  Harness h(1024, t);
  h.feed(tcp_packet(1, 1000, 2, 80), tf::kSyn, 0);                      // stays new
  h.feed(tcp_packet(1, 1001, 2, 80), tf::kSyn, 0);                      // becomes established
  h.feed(tcp_packet(2, 80, 1, 1001), tf::kSyn | tf::kAck, 0);
  h.expire(9 * kSec);
  EXPECT_TRUE(h.ended.empty());
  h.expire(10 * kSec);
  ASSERT_EQ(1u, h.ended.size());
  EXPECT_EQ(1000, h.ended[0].client_is_lo ? h.ended[0].key.port_lo : h.ended[0].key.port_hi);
  EXPECT_EQ(FlowEndReason::kTimeout, h.ended[0].reason);
  EXPECT_EQ(FlowState::kNew, h.ended[0].state);
  h.expire(99 * kSec);
  EXPECT_EQ(1u, h.ended.size());
  h.expire(100 * kSec);
  ASSERT_EQ(2u, h.ended.size());
  EXPECT_EQ(FlowState::kEstablished, h.ended[1].state);
  EXPECT_EQ(0u, h.table.stats().active);
}

TEST(FlowTable, TrafficKeepsAFlowAliveAndExpiryIsAtMostOneGranularityLate) {
  FlowTimeouts t;
  t.established_ns = 30 * kSec;
  Harness h(1024, t);
  const auto c2s = tcp_packet(1, 1000, 2, 80);
  const auto s2c = tcp_packet(2, 80, 1, 1000);
  h.feed(c2s, tf::kSyn, 0);
  h.feed(s2c, tf::kSyn | tf::kAck, 0);
  // A packet every 500 ms for 100 s: never idle for 30 s.
  for (std::uint64_t ms = 500; ms <= 100'000; ms += 500) {
    h.feed(c2s, tf::kAck, ms * 1'000'000ULL);
    h.expire(ms * 1'000'000ULL);
  }
  EXPECT_TRUE(h.ended.empty());
  h.expire(129 * kSec);
  EXPECT_TRUE(h.ended.empty());
  h.expire(130 * kSec + FlowTable::kTouchGranularityNs);
  ASSERT_EQ(1u, h.ended.size());
  EXPECT_EQ(100 * kSec, h.ended[0].last_ns);
}

TEST(FlowTable, FinBothWaysOrRstClosesTheFlow) {
  FlowTimeouts t;
  t.closed_ns = 2 * kSec;
  Harness h(1024, t);
  const auto c2s = tcp_packet(1, 1000, 2, 80);
  const auto s2c = tcp_packet(2, 80, 1, 1000);
  h.feed(c2s, tf::kSyn, 0);
  h.feed(s2c, tf::kSyn | tf::kAck, 0);
  h.feed(c2s, tf::kFin | tf::kAck, kSec);
  h.expire(4 * kSec);
  EXPECT_TRUE(h.ended.empty()) << "one FIN does not close";
  h.feed(s2c, tf::kFin | tf::kAck, 5 * kSec);
  h.feed(c2s, tf::kAck, 5 * kSec);  // the last ACK still counts in the same flow
  h.expire(7 * kSec);
  ASSERT_EQ(1u, h.ended.size());
  EXPECT_EQ(FlowState::kClosed, h.ended[0].state);
  EXPECT_EQ(3u, h.ended[0].pkts[kToServer]);

  h.feed(tcp_packet(1, 2000, 2, 80), tf::kSyn, 10 * kSec);
  h.feed(tcp_packet(2, 80, 1, 2000), tf::kRst | tf::kAck, 10 * kSec);
  h.expire(12 * kSec);
  ASSERT_EQ(2u, h.ended.size());
  EXPECT_EQ(FlowState::kClosed, h.ended[1].state);
}

TEST(FlowTable, SynOnAClosedFlowStartsANewOne) {
  Harness h(1024);
  const auto c2s = tcp_packet(1, 1000, 2, 80);
  h.feed(c2s, tf::kSyn, 0);
  h.feed(tcp_packet(2, 80, 1, 1000), tf::kRst | tf::kAck, 0);
  h.feed(c2s, tf::kSyn, kSec);
  ASSERT_EQ(1u, h.ended.size());
  EXPECT_EQ(FlowEndReason::kTcpReuse, h.ended[0].reason);
  h.flush();
  ASSERT_EQ(2u, h.ended.size());
  EXPECT_EQ(1u, h.ended[1].pkts[kToServer]);
  EXPECT_EQ(0u, h.ended[1].pkts[kToClient]);
  EXPECT_NE(h.ended[0].flow_id, h.ended[1].flow_id);
}

TEST(FlowTable, AFullTableEvictsUnansweredFlowsFirstAndCountsIt) {
  Harness h(1024);
  // One answered (established) flow, then unanswered ones until full.
  h.feed(tcp_packet(1, 1, 2, 80), tf::kSyn, 0);
  h.feed(tcp_packet(2, 80, 1, 1), tf::kSyn | tf::kAck, 0);
  const std::uint32_t cap = h.table.capacity();
  for (std::uint32_t i = 0; i < cap + 10; ++i) {
    h.feed(tcp_packet(3, static_cast<std::uint16_t>(1000 + i), 4, 80), tf::kSyn, kSec);
  }
  ASSERT_EQ(11u, h.ended.size());
  for (const auto& r : h.ended) {
    EXPECT_EQ(FlowEndReason::kForced, r.reason);
    EXPECT_EQ(FlowState::kNew, r.state);
  }
  EXPECT_EQ(11u, h.table.stats().ended[static_cast<int>(FlowEndReason::kForced)]);
  EXPECT_EQ(cap, h.table.stats().active);
  h.flush();
  bool established_survived = false;
  for (const auto& r : h.ended) established_survived |= r.state == FlowState::kEstablished;
  EXPECT_TRUE(established_survived);
}

TEST(FlowTable, FlowIdsAreUniqueAndJsonSafe) {
  Harness h(1024);
  for (std::uint16_t i = 0; i < 100; ++i) h.feed(tcp_packet(1, static_cast<std::uint16_t>(i + 1), 2, 80), tf::kSyn, 0);
  h.flush();
  std::set<std::uint64_t> ids;
  for (const auto& r : h.ended) {
    ids.insert(r.flow_id);
    EXPECT_LT(r.flow_id, 1ULL << 53);
  }
  EXPECT_EQ(100u, ids.size());
}

}  // namespace
}  // namespace segward::dataplane
