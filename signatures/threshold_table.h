#pragma once
// Per-worker counts behind rule thresholds (`threshold: {count, seconds,
// track}`): how often a rule matched for one address in the current
// window of engine time. Fixed size, allocated once; an entry that a new
// (rule, address) pair needs is taken over, which restarts that pair's
// count (counted by the caller as an eviction). Counts are per worker: with
// symmetric RSS all of one connection's messages reach one worker, but one
// source's connections may spread over several.
#include <array>
#include <cstdint>
#include <vector>

#include "signatures/rule.h"

namespace segward::signatures {

class ThresholdTable {
 public:
  explicit ThresholdTable(unsigned slots = 4096);  // rounded up to a power of two

  // One match of rule `rule` (its index) for `address` at `now_ns`: true
  // when it fires (the `count`-th match since the window opened; the next
  // match opens a new window). `evicted`: another pair's count was dropped.
  bool admit(std::uint32_t rule, const std::array<std::uint8_t, 16>& address, const Threshold& t,
             std::uint64_t now_ns, bool& evicted);
  // A new rule set: rule indices mean other rules now.
  void clear();

 private:
  struct Entry {
    std::uint32_t rule_plus_one = 0;  // 0: free
    std::uint32_t count = 0;
    std::uint64_t window_start_ns = 0;
    std::array<std::uint8_t, 16> address{};
  };
  std::vector<Entry> slots_;
  std::uint32_t mask_;
};

}  // namespace segward::signatures
