#pragma once
// The busiest flows of one worker's table, on request (GET /api/v1/flows).
// The table has a single writer, its worker, so the worker itself copies the
// top N out between two loop passes when asked; the asking thread waits for
// it. The request costs the worker one relaxed load per loop pass when
// nobody asks, and one walk of its table when someone does.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>

#include "dataplane/flow.h"
#include "dataplane/flow_table.h"

namespace segward::dataplane {

enum class FlowSort : std::uint8_t { kBytes, kPackets, kAge };

struct FlowSnapshotEntry {
  FlowRecord record;  // reason unused
  std::uint64_t key = 0;  // what it was ranked by (larger first), to merge workers' answers
  std::uint16_t rule = 0;              // Flow::rule (valid for policy_generation)
  std::uint8_t policy_generation = 0;
  std::uint8_t policy_flags = 0;       // Flow::policy_flags (worker_policy.h kPolicy*)
};

class FlowSnapshot {
 public:
  static constexpr unsigned kMaxTop = 1000;

  // --- asking thread (one at a time: callers serialise)
  // Asks for the `top` flows by `sort` and waits up to `timeout` for the
  // worker. Returns false on timeout (the worker is stopped or stuck); the
  // next ask supersedes an unanswered one.
  bool ask(unsigned top, FlowSort sort, std::chrono::milliseconds timeout);
  // After ask() returned true: the answer, best first.
  [[nodiscard]] std::span<const FlowSnapshotEntry> entries() const { return {entries_.data(), count_}; }
  [[nodiscard]] std::uint64_t active() const { return active_; }

  // --- worker, between loop passes
  [[nodiscard]] bool asked() const {
    return asked_.load(std::memory_order_relaxed) != answered_.load(std::memory_order_relaxed);
  }
  void answer(const FlowTable& table);

 private:
  std::atomic<std::uint32_t> asked_{0}, answered_{0};
  // Written before asked_ is released; atomic because a worker may still be
  // answering an ask that timed out when the next one writes them.
  std::atomic<unsigned> top_{0};
  std::atomic<FlowSort> sort_{FlowSort::kBytes};
  unsigned count_ = 0;
  std::uint64_t active_ = 0;
  std::array<FlowSnapshotEntry, kMaxTop> entries_{};
  std::array<FlowSnapshotEntry, kMaxTop> scratch_{};  // answer()'s reordering
};

}  // namespace segward::dataplane
