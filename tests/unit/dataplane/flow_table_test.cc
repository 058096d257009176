// FlowTable: keys, directions, TCP states, engine-time timeouts, eviction
// order and TCP port reuse; and its FlowIndex under forced collisions, a full
// table, deletion and reinsertion, and IPv6 keys.
#include "dataplane/flow_table.h"

#include <gtest/gtest.h>
#include <rte_mbuf.h>

#include "dataplane/event_ring.h"
#include "dataplane/worker.h"
#include "tests/unit/net/frame_builder.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <random>
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

net::PacketLayers tcp6_packet(std::uint64_t src_hi, std::uint64_t src_lo, std::uint16_t sport, std::uint64_t dst_hi,
                               std::uint64_t dst_lo, std::uint16_t dport) {
  net::PacketLayers p;
  p.l3 = net::L3::kIpv6;
  p.l4 = net::L4::kTcp;
  p.ip_proto = 6;
  p.src_ip.v6 = p.dst_ip.v6 = true;
  for (int i = 0; i < 8; ++i) {
    p.src_ip.bytes[i] = static_cast<std::uint8_t>(src_hi >> (56 - 8 * i));
    p.src_ip.bytes[8 + i] = static_cast<std::uint8_t>(src_lo >> (56 - 8 * i));
    p.dst_ip.bytes[i] = static_cast<std::uint8_t>(dst_hi >> (56 - 8 * i));
    p.dst_ip.bytes[8 + i] = static_cast<std::uint8_t>(dst_lo >> (56 - 8 * i));
  }
  p.src_port = sport;
  p.dst_port = dport;
  return p;
}

TEST(FlowKey, BothDirectionsGiveTheSameKey) {
  FlowKey a, b;
  const bool ra = make_flow_key(tcp_packet(1, 40000, 2, 2181), a);
  const bool rb = make_flow_key(tcp_packet(2, 2181, 1, 40000), b);
  EXPECT_EQ(0, std::memcmp(&a, &b, sizeof a));
  EXPECT_NE(ra, rb);
}

TEST(FlowKey, TheHashMadeWithTheKeyIsTheKeysHashInBothDirections) {
  const std::uint64_t net = 0x20010db800000000ULL;
  for (const auto& [a, b] : {std::pair{tcp_packet(1, 40000, 2, 2181), tcp_packet(2, 2181, 1, 40000)},
                             std::pair{tcp6_packet(net, 9, 40000, net, 2, 2181), tcp6_packet(net, 2, 2181, net, 9, 40000)}}) {
    FlowKey ka, kb;
    std::uint32_t ha = 0, hb = 1;
    make_flow_key(a, ka, ha);
    make_flow_key(b, kb, hb);
    EXPECT_EQ(flow_hash(ka), ha);
    EXPECT_EQ(ha, hb);
  }
}

// The worker keys a common-case frame from its headers alone
// (net::decode_common_case_headers) and every other frame from its layers: a
// flow's packets must find one entry whichever way each was keyed.
TEST(FlowKey, TheKeyFromCommonCaseHeadersIsTheKeyFromTheFullDecode) {
  using namespace net::testing;
  const Bytes data = payload_bytes(10);
  const std::vector<Bytes> frames = {
      tcp_v4_frame({.flags = 0x10}),
      tcp_v4_frame({.flags = 0x18, .options = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}}, data),
      ethernet(0x0800, ipv4(tcp({.flags = 0x11})), {{0x8100, 4094}}),
      ethernet(0x0800, ipv4(tcp({.flags = 0x10})), {{0x8100, 0}}),  // a priority tag: VID 0
      ethernet(0x0800, ipv4(udp(5000, 53, data), {.proto = 17})),
      ethernet(0x0800, ipv4(udp(53, 53, data), {.proto = 17}), {{0x8100, 7}}),
  };
  std::mt19937 rng(20261204);
  int compared = 0;
  for (const Bytes& original : frames) {
    const std::size_t l3 = original[12] == 0x81 ? 18 : 14;
    for (int round = 0; round < 500; ++round) {
      Bytes f = original;
      // Addresses and ports, often equal so the port breaks the tie.
      for (std::size_t at = l3 + 12; at < l3 + 24; ++at) f[at] = static_cast<std::uint8_t>(rng() % 3);
      net::CommonCaseHeaders h;
      ASSERT_TRUE(net::decode_common_case_headers(f, h));
      net::PacketLayers p;
      ASSERT_EQ(net::decode_packet_layered(f, p), net::DecodeError::kNone);
      FlowKey from_headers, from_layers;
      std::uint32_t hash_headers = 0, hash_layers = 1;
      const bool reverse_headers = make_flow_key(h, from_headers, hash_headers);
      const bool reverse_layers = make_flow_key(p, from_layers, hash_layers);
      ASSERT_EQ(0, std::memcmp(&from_headers, &from_layers, sizeof from_headers)) << "round " << round;
      ASSERT_EQ(hash_headers, hash_layers);
      ASSERT_EQ(flow_hash(from_headers), hash_headers);
      ASSERT_EQ(reverse_headers, reverse_layers);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 3000);
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

TEST(FlowTable, Ipv6FlowsAreTrackedBothWaysAndKeptApartByEveryAddressWord) {
  Harness h(1024);
  const std::uint64_t net = 0x20010db800000000ULL;
  // Client and server differ in the low word; the second flow's client only
  // in the high word of its address, the third only in its port.
  const auto c2s = tcp6_packet(net, 9, 40000, net, 2, 2181);
  const auto s2c = tcp6_packet(net, 2, 2181, net, 9, 40000);
  EXPECT_EQ(kToServer, h.feed(c2s, tf::kSyn, kSec, 86));
  EXPECT_EQ(kToClient, h.feed(s2c, tf::kSyn | tf::kAck, kSec, 86));
  EXPECT_EQ(kToServer, h.feed(c2s, tf::kAck, kSec, 74));
  h.feed(tcp6_packet(net | 1, 9, 40000, net, 2, 2181), tf::kSyn, kSec);
  h.feed(tcp6_packet(net, 9, 40001, net, 2, 2181), tf::kSyn, kSec);
  // An IPv4 flow whose address bytes equal the IPv6 ones' first bytes.
  auto v4 = tcp_packet(1, 40000, 2, 2181);
  v4.src_ip.bytes = {0x20, 0x01, 0x0d, 0xb8};
  h.feed(v4, tf::kSyn, kSec);
  EXPECT_EQ(4u, h.table.stats().active);
  h.flush();
  ASSERT_EQ(4u, h.ended.size());
  std::uint64_t v6_flows = 0;
  for (const auto& r : h.ended) v6_flows += r.key.v6;
  EXPECT_EQ(3u, v6_flows);
  // Flushed new flows first: the answered one is last.
  const FlowRecord& first = h.ended[3];
  EXPECT_EQ(FlowState::kEstablished, first.state);
  EXPECT_EQ(1u, first.key.v6);
  EXPECT_FALSE(first.client_is_lo);  // ...::9 initiated
  EXPECT_EQ(2u, first.pkts[kToServer]);
  EXPECT_EQ(1u, first.pkts[kToClient]);
  EXPECT_EQ(160u, first.bytes[kToServer]);
}

TEST(FlowTable, EndedFlowsLeaveTheIndexAndTheirKeysCanComeBack) {
  FlowTimeouts t;
  t.new_ns = 10 * kSec;
  Harness h(1024, t);
  for (std::uint16_t i = 0; i < 1024; ++i) h.feed(tcp_packet(1, static_cast<std::uint16_t>(1000 + i), 2, 80), tf::kSyn, 0);
  EXPECT_EQ(1024u, h.table.index().size());
  h.expire(10 * kSec);
  ASSERT_EQ(1024u, h.ended.size());
  EXPECT_EQ(0u, h.table.index().size());
  EXPECT_EQ(0u, h.table.index().extension_buckets_in_use());
  for (std::uint16_t i = 0; i < 1024; ++i) {
    FlowKey key;
    make_flow_key(tcp_packet(1, static_cast<std::uint16_t>(1000 + i), 2, 80), key);
    EXPECT_LT(h.table.lookup(key), 0);
  }
  // The same keys again: new flows, found both ways.
  for (std::uint16_t i = 0; i < 1024; ++i) {
    h.feed(tcp_packet(1, static_cast<std::uint16_t>(1000 + i), 2, 80), tf::kSyn, 20 * kSec);
    EXPECT_EQ(kToClient, h.feed(tcp_packet(2, 80, 1, static_cast<std::uint16_t>(1000 + i)), tf::kSyn | tf::kAck,
                                20 * kSec));
  }
  EXPECT_EQ(1024u, h.table.stats().active);
  EXPECT_EQ(0u, h.table.stats().insert_failed);
  h.flush();
  ASSERT_EQ(2048u, h.ended.size());
  for (std::size_t i = 1024; i < 2048; ++i) {
    EXPECT_EQ(FlowState::kEstablished, h.ended[i].state);
    EXPECT_EQ(1u, h.ended[i].pkts[kToClient]);
  }
}

TEST(FlowTable, ForcedEvictionKeepsEveryOtherFlowFindable) {
  Harness h(1024);
  std::vector<FlowKey> keys;
  for (std::uint32_t i = 0; i < 3000; ++i) {
    const auto p = tcp_packet(static_cast<std::uint8_t>(i % 200), static_cast<std::uint16_t>(1000 + i), 2, 80);
    h.feed(p, tf::kSyn, kSec + i);
    keys.emplace_back();
    make_flow_key(p, keys.back());
  }
  // The oldest 3000 - 1024 were evicted, in order; the newest 1024 are found.
  ASSERT_EQ(3000u - 1024u, h.ended.size());
  for (std::uint32_t i = 0; i < 3000; ++i) {
    if (i < 3000 - 1024) {
      EXPECT_EQ(0, std::memcmp(&keys[i], &h.ended[i].key, sizeof(FlowKey))) << i;
      EXPECT_LT(h.table.lookup(keys[i]), 0) << i;
    } else {
      EXPECT_GE(h.table.lookup(keys[i]), 0) << i;
    }
  }
  EXPECT_EQ(1024u, h.table.index().size());
}

// The index on its own, with hashes chosen by the test.
struct IndexHarness {
  std::vector<Flow> flows;
  FlowIndex index;
  explicit IndexHarness(std::uint32_t capacity) : flows(capacity), index(capacity, flows.data(), 0) {}

  static FlowKey key(std::uint32_t i) {
    FlowKey k;
    std::memcpy(k.addr_lo.data(), &i, sizeof i);
    k.port_lo = static_cast<std::uint16_t>(i);
    k.proto = 6;
    return k;
  }
  // Every lookup path must agree: single, bulk, and bulk in a mixed burst.
  std::int32_t find(const FlowKey& k, std::uint32_t hash) const {
    const std::uint32_t one = index.find(k, hash);
    std::int32_t bulk = -2;
    index.find_bulk(&k, &hash, 1, &bulk);
    EXPECT_EQ(one == kNoFlow ? -1 : static_cast<std::int32_t>(one), bulk);
    return bulk;
  }
};

TEST(FlowIndex, KeysWithOneHashShareABucketChainAndAreToldApartByKey) {
  IndexHarness h(64);
  constexpr std::uint32_t kHash = 0x12345678;
  for (std::uint32_t i = 0; i < 64; ++i) {
    h.flows[i].key = IndexHarness::key(i);
    ASSERT_TRUE(h.index.insert(kHash, i));
  }
  // 64 keys in one chain: the bucket and 7 extensions, all full.
  EXPECT_EQ(7u, h.index.extension_buckets_in_use());
  for (std::uint32_t i = 0; i < 64; ++i) EXPECT_EQ(static_cast<std::int32_t>(i), h.find(IndexHarness::key(i), kHash));
  EXPECT_EQ(-1, h.find(IndexHarness::key(64), kHash));
  // A key under another hash is not found even though its bucket matches.
  EXPECT_EQ(-1, h.find(IndexHarness::key(3), kHash ^ 0x00010000));
  EXPECT_EQ(-1, h.find(IndexHarness::key(3), kHash ^ 1));
}

TEST(FlowIndex, TheFullIndexRefusesOneMoreAndErasingRefillsChains) {
  IndexHarness h(64);
  constexpr std::uint32_t kHash = 0xdeadbeef;
  for (std::uint32_t i = 0; i < 64; ++i) {
    h.flows[i].key = IndexHarness::key(i);
    ASSERT_TRUE(h.index.insert(kHash, i));
  }
  EXPECT_FALSE(h.index.insert(kHash + 1, 0));
  EXPECT_EQ(64u, h.index.size());
  // Erase from the head bucket, the middle and the tail of the chain.
  for (std::uint32_t i : {0u, 5u, 30u, 63u, 62u, 7u}) ASSERT_TRUE(h.index.erase(kHash, i));
  EXPECT_FALSE(h.index.erase(kHash, 5));        // already gone
  EXPECT_FALSE(h.index.erase(kHash ^ 0x4, 6));  // wrong hash: not where it is
  EXPECT_EQ(58u, h.index.size());
  EXPECT_EQ(7u, h.index.extension_buckets_in_use());  // 58 keys: 8 buckets, the last one part full
  for (std::uint32_t i = 0; i < 64; ++i) {
    const bool erased = i == 0 || i == 5 || i == 30 || i == 63 || i == 62 || i == 7;
    EXPECT_EQ(erased ? -1 : static_cast<std::int32_t>(i), h.find(IndexHarness::key(i), kHash)) << i;
  }
  for (std::uint32_t i = 0; i < 64; ++i) ASSERT_EQ(i == 0 || i == 5 || i == 30 || i == 63 || i == 62 || i == 7 ? false : true,
                                                   h.index.erase(kHash, i));
  EXPECT_EQ(0u, h.index.size());
  EXPECT_EQ(0u, h.index.extension_buckets_in_use());
  // Reinserted, under a different hash each.
  for (std::uint32_t i = 0; i < 64; ++i) ASSERT_TRUE(h.index.insert(i * 0x9e3779b1u, i));
  for (std::uint32_t i = 0; i < 64; ++i) EXPECT_EQ(static_cast<std::int32_t>(i), h.find(IndexHarness::key(i), i * 0x9e3779b1u));
}

TEST(FlowIndex, SignatureZeroIsNotAFreeSlot) {
  IndexHarness h(16);
  h.flows[3].key = IndexHarness::key(3);
  ASSERT_TRUE(h.index.insert(0x0000abcd, 3));  // high 16 bits zero
  EXPECT_EQ(3, h.find(IndexHarness::key(3), 0x0000abcd));
  h.flows[4].key = IndexHarness::key(4);
  ASSERT_TRUE(h.index.insert(0x0000abcd, 4));
  EXPECT_EQ(3, h.find(IndexHarness::key(3), 0x0000abcd));
  EXPECT_EQ(4, h.find(IndexHarness::key(4), 0x0000abcd));
}

// Random inserts and erases against a std::map, with hashes drawn from a few
// values so that chains, signature collisions and bucket collisions abound.
TEST(FlowIndex, AgreesWithAMapUnderHeavyCollisions) {
  constexpr std::uint32_t kCap = 512;
  IndexHarness h(kCap);
  std::mt19937 rng(7);
  const std::uint32_t hashes[] = {0x11110001, 0x22220001, 0x11110002, 0x00000001, 0xffff0001, 0x3333007f};
  std::map<std::uint32_t, std::uint32_t> live;  // position -> hash
  std::vector<std::uint32_t> free_pos;
  for (std::uint32_t i = 0; i < kCap; ++i) free_pos.push_back(i);
  std::uint32_t next_key = 0;
  for (int step = 0; step < 20000; ++step) {
    const bool add = live.empty() || (!free_pos.empty() && rng() % 100 < 55);
    if (add) {
      const std::uint32_t pos = free_pos.back();
      free_pos.pop_back();
      const std::uint32_t hash = hashes[rng() % 6];
      h.flows[pos].key = IndexHarness::key(next_key++);
      ASSERT_TRUE(h.index.insert(hash, pos));
      live[pos] = hash;
    } else {
      auto it = live.begin();
      std::advance(it, static_cast<long>(rng() % live.size()));
      ASSERT_TRUE(h.index.erase(it->second, it->first));
      free_pos.push_back(it->first);
      live.erase(it);
    }
    ASSERT_EQ(live.size(), h.index.size());
    ASSERT_LE(h.index.extension_buckets_in_use(), kCap / FlowIndex::kSlots + 1);
    if (step % 97 == 0) {
      // A burst of every live key plus misses, through the bulk path.
      std::vector<FlowKey> keys;
      std::vector<std::uint32_t> hs;
      std::vector<std::int32_t> want;
      for (const auto& [pos, hash] : live) {
        if (keys.size() == FlowIndex::kMaxBulk) break;
        keys.push_back(h.flows[pos].key);
        hs.push_back(hash);
        want.push_back(static_cast<std::int32_t>(pos));
        if (keys.size() % 5 == 0 && keys.size() < FlowIndex::kMaxBulk) {
          keys.push_back(IndexHarness::key(next_key + 1000000));  // never inserted
          hs.push_back(hash);
          want.push_back(-1);
        }
      }
      std::vector<std::int32_t> got(keys.size(), -2);
      h.index.find_bulk(keys.data(), hs.data(), static_cast<unsigned>(keys.size()), got.data());
      ASSERT_EQ(want, got) << "step " << step;
    }
  }
  for (const auto& [pos, hash] : live) EXPECT_EQ(static_cast<std::int32_t>(pos), h.find(h.flows[pos].key, hash));
}

TEST(FlowIndex, ACapacityOfCraftedCollisionsStillFits) {
  // Every key under one hash: the chain is the whole table.
  constexpr std::uint32_t kCap = 1000;
  IndexHarness h(kCap);
  for (std::uint32_t i = 0; i < kCap; ++i) {
    h.flows[i].key = IndexHarness::key(i);
    ASSERT_TRUE(h.index.insert(42, i)) << i;
  }
  EXPECT_EQ(kCap / FlowIndex::kSlots - 1, h.index.extension_buckets_in_use());
  for (std::uint32_t i = 0; i < kCap; i += 37) EXPECT_EQ(static_cast<std::int32_t>(i), h.find(IndexHarness::key(i), 42));
  // Holes anywhere, then refilled: no extension leaks.
  for (std::uint32_t i = 0; i < kCap; i += 3) ASSERT_TRUE(h.index.erase(42, i));
  for (std::uint32_t i = 0; i < kCap; i += 3) ASSERT_TRUE(h.index.insert(42, i));
  EXPECT_EQ(kCap / FlowIndex::kSlots - 1, h.index.extension_buckets_in_use());
  for (std::uint32_t i = 0; i < kCap; ++i) EXPECT_EQ(static_cast<std::int32_t>(i), h.find(IndexHarness::key(i), 42));
}

// The flow part of Worker::process_burst: candidates looked up for the whole
// burst, then resolved packet by packet while flows are created and evicted.
struct BurstHarness {
  FlowTable table;
  EventRing events;
  WorkerCounters counters;
  platform::MbufClock clock;
  Worker worker;
  rte_mempool* pool;

  static std::string next_name(const char* what) {
    static std::atomic<int> n{0};
    return std::string(what) + std::to_string(n++);
  }
  explicit BurstHarness(std::uint32_t capacity, Mode mode = Mode::kTap, bool drop_malformed = true)
      : table(next_name("burst_flows_"), capacity, {}, 1, 0),
        events(next_name("burst_events_"), 4096, 0),
        worker(setup(mode, drop_malformed), table, events, counters, clock),
        pool(rte_pktmbuf_pool_create(next_name("burst_mbufs_").c_str(), 255, 0, 0, 256, 0)) {}
  ~BurstHarness() { rte_mempool_free(pool); }

  static WorkerSetup setup(Mode mode = Mode::kTap, bool drop_malformed = true) {
    WorkerSetup s;
    s.mode = mode;
    s.drop_malformed = drop_malformed;
    s.links = {{0, kNoTxPort, 0}};
    return s;
  }

  // An Ethernet/IPv4/TCP frame, 60 bytes.
  rte_mbuf* frame(std::uint32_t src, std::uint16_t sport, std::uint32_t dst, std::uint16_t dport, std::uint8_t flags) {
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    EXPECT_NE(nullptr, m);
    auto* b = reinterpret_cast<std::uint8_t*>(rte_pktmbuf_append(m, 60));
    std::memset(b, 0, 60);
    b[12] = 0x08;  // IPv4
    std::uint8_t* ip = b + 14;
    ip[0] = 0x45;
    ip[3] = 40;  // total length
    ip[8] = 64;
    ip[9] = 6;
    for (int i = 0; i < 4; ++i) {
      ip[12 + i] = static_cast<std::uint8_t>(src >> (24 - 8 * i));
      ip[16 + i] = static_cast<std::uint8_t>(dst >> (24 - 8 * i));
    }
    std::uint8_t* tcp = ip + 20;
    tcp[0] = static_cast<std::uint8_t>(sport >> 8);
    tcp[1] = static_cast<std::uint8_t>(sport);
    tcp[2] = static_cast<std::uint8_t>(dport >> 8);
    tcp[3] = static_cast<std::uint8_t>(dport);
    tcp[12] = 5 << 4;
    tcp[13] = flags;
    return m;
  }

  // Returns the verdicts; checks that process_burst's count of forwarded
  // packets (what the loop sends without looking at each verdict) agrees.
  std::vector<Verdict> burst(std::vector<rte_mbuf*> pkts, std::uint64_t now) {
    EXPECT_LE(pkts.size(), Worker::kBurst);
    std::array<Verdict, Worker::kBurst> verdicts;
    const std::uint16_t forwarded = worker.process_burst(pkts.data(), static_cast<std::uint16_t>(pkts.size()),
                                                         setup().links[0], now, verdicts.data());
    std::vector<Verdict> out(verdicts.begin(), verdicts.begin() + static_cast<std::ptrdiff_t>(pkts.size()));
    EXPECT_EQ(forwarded, std::count(out.begin(), out.end(), Verdict::kForward));
    rte_pktmbuf_free_bulk(pkts.data(), static_cast<unsigned>(pkts.size()));
    return out;
  }
  // A frame cut inside its IPv4 header: it does not decode.
  rte_mbuf* truncated() {
    rte_mbuf* m = frame(kTruncSrc, 1, kTruncSrc + 1, 2, 0);
    rte_pktmbuf_trim(m, 60 - 20);
    return m;
  }
  static constexpr std::uint32_t kTruncSrc = 0xcb007100;  // 203.0.113.0
  std::vector<FlowRecord> evicted() {
    std::vector<FlowRecord> out;
    DataplaneEvent e;
    while (events.pop(&e, 1) == 1) out.push_back(e.flow);
    return out;
  }
  std::vector<FlowRecord> flush() {
    std::vector<FlowRecord> out;
    table.flush([&](const FlowRecord& r) { out.push_back(r); });
    return out;
  }
};

constexpr std::uint32_t kClient = 0xc0000200;  // 192.0.2.0
constexpr std::uint32_t kServer = 0xc6336400;  // 198.51.100.0

TEST(WorkerBurst, BothPacketsOfAFlowBornInOneBurstCountInThatFlow) {
  BurstHarness h(1024);
  std::vector<rte_mbuf*> pkts;
  for (std::uint16_t i = 0; i < 32; ++i) {
    pkts.push_back(h.frame(kClient + i, static_cast<std::uint16_t>(1024 + i), kServer + 1, 2181, tf::kSyn));
    pkts.push_back(h.frame(kServer + 1, 2181, kClient + i, static_cast<std::uint16_t>(1024 + i), tf::kSyn | tf::kAck));
  }
  h.burst(pkts, kSec);
  EXPECT_EQ(32u, h.table.stats().created);
  const auto records = h.flush();
  ASSERT_EQ(32u, records.size());
  for (const auto& r : records) {
    EXPECT_EQ(FlowState::kEstablished, r.state);
    EXPECT_EQ(1u, r.pkts[kToServer]);
    EXPECT_EQ(1u, r.pkts[kToClient]);
    EXPECT_EQ(60u, r.bytes[kToServer]);
  }
}

// Without a policy, every frame that decodes gets the mode's verdict and one
// that does not gets the malformed one: the verdict counters and the count
// of forwarded packets (what the loop sends as one burst when it is all of
// them) must say the same as the verdicts, in each mode.
TEST(WorkerBurst, VerdictCountsAndForwardedCountAgreeWithTheVerdicts) {
  struct Case {
    Mode mode;
    bool drop_malformed;
    Verdict good, bad;
  };
  for (const Case c : {Case{Mode::kInline, true, Verdict::kForward, Verdict::kDrop},
                       Case{Mode::kInline, false, Verdict::kForward, Verdict::kForward},
                       Case{Mode::kTap, true, Verdict::kObserve, Verdict::kObserve}}) {
    SCOPED_TRACE(std::string(c.mode == Mode::kInline ? "inline" : "tap") +
                 (c.drop_malformed ? ", drop_malformed" : ", forward malformed"));
    BurstHarness h(1024, c.mode, c.drop_malformed);
    std::vector<rte_mbuf*> pkts;
    for (std::uint16_t i = 0; i < 5; ++i) {
      pkts.push_back(h.frame(kClient + i, 4000, kServer + 1, 2181, tf::kAck));
      if (i % 2 == 0) pkts.push_back(h.truncated());
    }
    const std::vector<Verdict> verdicts = h.burst(pkts, kSec);
    ASSERT_EQ(8u, verdicts.size());
    std::array<std::uint64_t, kVerdictCount> want{};
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
      const bool is_bad = i == 1 || i == 4 || i == 7;
      EXPECT_EQ(is_bad ? c.bad : c.good, verdicts[i]) << "packet " << i;
      ++want[static_cast<std::size_t>(is_bad ? c.bad : c.good)];
    }
    for (std::size_t v = 0; v < kVerdictCount; ++v) EXPECT_EQ(want[v], h.counters.verdicts[v].get()) << "verdict " << v;
    EXPECT_EQ(8u, h.counters.rx_packets.get());
  }
}

TEST(WorkerBurst, EvictionsWithinABurstNeverLeaveAStaleOrDoubleFlow) {
  BurstHarness h(1024);
  // Fill the table with unanswered flows, 64 per burst.
  for (std::uint32_t b = 0; b < 16; ++b) {
    std::vector<rte_mbuf*> pkts;
    for (std::uint32_t i = 0; i < 64; ++i) {
      const std::uint32_t f = b * 64 + i;
      pkts.push_back(h.frame(kClient + f, 1000, kServer, 80, tf::kSyn));
    }
    h.burst(pkts, kSec);
  }
  ASSERT_EQ(1024u, h.table.stats().active);
  // One burst: new flows (each evicts the oldest) interleaved with packets
  // of the oldest flows, whose candidates the evictions make stale, and
  // second packets of the new flows.
  std::vector<rte_mbuf*> pkts;
  for (std::uint32_t i = 0; i < 16; ++i) {
    pkts.push_back(h.frame(kClient + 5000 + i, 1000, kServer, 80, tf::kSyn));    // new: evicts flow i
    pkts.push_back(h.frame(kServer, 80, kClient + i, 1000, tf::kSyn | tf::kAck));  // flow i: gone, so a new flow
    pkts.push_back(h.frame(kServer, 80, kClient + 5000 + i, 1000, tf::kSyn | tf::kAck));  // the new flow's answer
    pkts.push_back(h.frame(kClient + 1000 - i, 1000, kServer, 80, tf::kAck));  // a survivor
  }
  h.burst(pkts, 2 * kSec);
  const auto evicted = h.evicted();
  // 16 new flows and 16 re-created ones each evicted one of the oldest.
  EXPECT_EQ(32u, evicted.size());
  EXPECT_EQ(1024u + 32u, h.table.stats().created);
  const auto records = h.flush();
  ASSERT_EQ(1024u, records.size());
  std::set<std::vector<std::uint8_t>> keys;
  std::uint64_t packets = 0;
  for (const auto& r : records) {
    const auto* k = reinterpret_cast<const std::uint8_t*>(&r.key);
    EXPECT_TRUE(keys.insert(std::vector<std::uint8_t>(k, k + sizeof r.key)).second) << "one flow per key";
    packets += r.pkts[0] + r.pkts[1];
  }
  for (const auto& r : evicted) packets += r.pkts[0] + r.pkts[1];
  EXPECT_EQ(1024u + 64u, packets) << "every packet counted in exactly one flow";
  // The 16 new flows were answered; the 16 re-created ones began with a
  // SYN-ACK, which counts toward the client: both are established.
  std::uint64_t established = 0;
  for (const auto& r : records) established += r.state == FlowState::kEstablished ? 1 : 0;
  EXPECT_EQ(32u, established);
}

}  // namespace
}  // namespace segward::dataplane
