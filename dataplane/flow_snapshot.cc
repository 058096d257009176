#include "dataplane/flow_snapshot.h"

#include <rte_pause.h>

#include <algorithm>
#include <thread>

namespace segward::dataplane {
namespace {

// Larger is better: the key the top N are chosen by.
std::uint64_t sort_key(const Flow& f, FlowSort sort) {
  switch (sort) {
    case FlowSort::kPackets: return f.pkts[0] + f.pkts[1];
    case FlowSort::kAge: return UINT64_MAX - f.first_ns;  // the oldest first
    case FlowSort::kBytes: break;
  }
  return f.bytes[0] + f.bytes[1];
}

}  // namespace

bool FlowSnapshot::ask(unsigned top, FlowSort sort, std::chrono::milliseconds timeout) {
  top_.store(std::min(top, kMaxTop), std::memory_order_relaxed);
  sort_.store(sort, std::memory_order_relaxed);
  const std::uint32_t ticket = asked_.load(std::memory_order_relaxed) + 1;
  asked_.store(ticket, std::memory_order_release);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (answered_.load(std::memory_order_acquire) != ticket) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

void FlowSnapshot::answer(const FlowTable& table) {
  const std::uint32_t ticket = asked_.load(std::memory_order_acquire);
  const unsigned top = top_.load(std::memory_order_relaxed);
  const FlowSort sort = sort_.load(std::memory_order_relaxed);
  // A min-heap of the best `top_` so far, on (key, position in entries_):
  // no allocation, N log top.
  std::array<std::pair<std::uint64_t, std::uint16_t>, kMaxTop> heap;
  unsigned size = 0;
  auto worse = [](const auto& a, const auto& b) { return a.first > b.first; };
  std::uint64_t active = 0;
  table.for_each_flow([&](const Flow& f) {
    ++active;
    if (top == 0) return;
    const std::uint64_t key = sort_key(f, sort);
    std::uint16_t slot;
    if (size < top) {
      slot = static_cast<std::uint16_t>(size);
      heap[size++] = {key, slot};
    } else if (key > heap[0].first) {
      std::pop_heap(heap.begin(), heap.begin() + size, worse);
      slot = heap[size - 1].second;
      heap[size - 1] = {key, slot};
    } else {
      return;
    }
    std::push_heap(heap.begin(), heap.begin() + size, worse);
    FlowSnapshotEntry& e = entries_[slot];
    e.record = make_flow_record(f, FlowEndReason::kShutdown);
    e.key = key;
    e.rule = f.rule;
    e.policy_generation = f.policy_generation;
    e.policy_flags = f.policy_flags;
  });
  // Best first: sort the chosen slots by key, then lay them out in order.
  std::sort(heap.begin(), heap.begin() + size, worse);
  for (unsigned i = 0; i < size; ++i) scratch_[i] = entries_[heap[i].second];
  std::copy(scratch_.begin(), scratch_.begin() + size, entries_.begin());
  count_ = size;
  active_ = active;
  answered_.store(ticket, std::memory_order_release);
}

}  // namespace segward::dataplane
