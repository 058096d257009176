// FlowSnapshot: the top-N flows a worker copies out of its table when the
// REST API asks, by bytes, packets or age; the active count; and an ask
// nobody answers timing out instead of hanging.
#include "dataplane/flow_snapshot.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tests/support/unique_name.h"

namespace segward::dataplane {
namespace {

constexpr std::uint64_t kSec = 1'000'000'000ULL;
using test::unique_name;

// Flow i: 192.0.2.i:1000+i -> 198.51.100.1:2181, `packets` packets of `bytes` each, starting at second `start`.
void add_flow(FlowTable& table, std::uint8_t i, unsigned packets, std::uint32_t bytes, std::uint64_t start) {
  net::PacketLayers p;
  p.l3 = net::L3::kIpv4;
  p.l4 = net::L4::kUdp;
  p.ip_proto = 17;
  p.src_ip.bytes = {192, 0, 2, i};
  p.dst_ip.bytes = {198, 51, 100, 1};
  p.src_port = static_cast<std::uint16_t>(1000 + i);
  p.dst_port = 2181;
  FlowKey key;
  const bool from_lo = !make_flow_key(p, key);
  auto ignore = [](const FlowRecord&) {};
  const std::int32_t pos = table.create(key, from_lo, 0, 0, start * kSec, ignore);
  ASSERT_GE(pos, 0);
  for (unsigned n = 0; n < packets; ++n) table.account(pos, from_lo, false, 0, bytes, 0, start * kSec + n, ignore);
}

// Plays the worker: answers every ask until told to stop.
struct FakeWorker {
  FlowSnapshot& snapshot;
  const FlowTable& table;
  std::atomic<bool> stop{false};
  std::thread thread{[this] {
    while (!stop.load()) {
      if (snapshot.asked()) snapshot.answer(table);
      std::this_thread::yield();
    }
  }};
  ~FakeWorker() {
    stop = true;
    thread.join();
  }
};

TEST(FlowSnapshot, TopFlowsByBytesPacketsAndAge) {
  FlowTable table(unique_name("snapshot_flows_"), 1024, {}, 0, 0);
  add_flow(table, 1, 10, 100, 5);   // 1,000 bytes, 10 packets, started at 5 s
  add_flow(table, 2, 2, 1400, 3);   // 2,800 bytes, 2 packets, 3 s
  add_flow(table, 3, 50, 60, 9);    // 3,000 bytes, 50 packets, 9 s
  add_flow(table, 4, 1, 60, 1);     // 60 bytes, 1 packet, the oldest
  auto snapshot = std::make_unique<FlowSnapshot>();
  FakeWorker worker{*snapshot, table};

  auto sources = [&]() {
    std::vector<int> out;
    for (const auto& e : snapshot->entries()) {
      out.push_back(e.record.client_is_lo ? e.record.key.addr_lo[3] : e.record.key.addr_hi[3]);
    }
    return out;
  };
  ASSERT_TRUE(snapshot->ask(2, FlowSort::kBytes, std::chrono::seconds(5)));
  EXPECT_EQ((std::vector<int>{3, 2}), sources());
  EXPECT_EQ(4u, snapshot->active());
  EXPECT_EQ(3000u, snapshot->entries()[0].record.bytes[0] + snapshot->entries()[0].record.bytes[1]);
  EXPECT_EQ(3000u, snapshot->entries()[0].key);  // what the sensor merges workers by

  ASSERT_TRUE(snapshot->ask(3, FlowSort::kPackets, std::chrono::seconds(5)));
  EXPECT_EQ((std::vector<int>{3, 1, 2}), sources());

  ASSERT_TRUE(snapshot->ask(10, FlowSort::kAge, std::chrono::seconds(5)));
  EXPECT_EQ((std::vector<int>{4, 2, 1, 3}), sources());  // all four, the oldest first

  ASSERT_TRUE(snapshot->ask(0, FlowSort::kBytes, std::chrono::seconds(5)));
  EXPECT_TRUE(snapshot->entries().empty());
  EXPECT_EQ(4u, snapshot->active());
}

TEST(FlowSnapshot, KeepsTheBestOfMoreFlowsThanItReturns) {
  FlowTable table(unique_name("snapshot_flows_"), 1024, {}, 0, 0);
  // Bytes rise and fall so that the heap must replace entries it already holds.
  for (std::uint8_t i = 1; i <= 200; ++i) add_flow(table, i, 1, (i * 37u) % 1000 + 1, 1);
  auto snapshot = std::make_unique<FlowSnapshot>();
  FakeWorker worker{*snapshot, table};
  ASSERT_TRUE(snapshot->ask(5, FlowSort::kBytes, std::chrono::seconds(5)));
  std::vector<std::uint64_t> got;
  for (const auto& e : snapshot->entries()) got.push_back(e.record.bytes[0] + e.record.bytes[1]);
  std::vector<std::uint64_t> all;
  for (unsigned i = 1; i <= 200; ++i) all.push_back((i * 37u) % 1000 + 1);
  std::sort(all.rbegin(), all.rend());
  EXPECT_EQ(std::vector<std::uint64_t>(all.begin(), all.begin() + 5), got);
}

TEST(FlowSnapshot, AnAskNobodyAnswersTimesOut) {
  auto snapshot = std::make_unique<FlowSnapshot>();
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(snapshot->ask(10, FlowSort::kBytes, std::chrono::milliseconds(50)));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
  EXPECT_TRUE(snapshot->asked());  // still pending: the worker answers it whenever it next looks
}

}  // namespace
}  // namespace segward::dataplane
