#include "signatures/threshold_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace segward::signatures {

ThresholdTable::ThresholdTable(unsigned slots)
    : slots_(std::bit_ceil(std::max(slots, 16u))), mask_(static_cast<std::uint32_t>(slots_.size() - 1)) {}

void ThresholdTable::clear() { std::fill(slots_.begin(), slots_.end(), Entry{}); }

bool ThresholdTable::admit(std::uint32_t rule, const std::array<std::uint8_t, 16>& address, const Threshold& t,
                           std::uint64_t now_ns, bool& evicted) {
  evicted = false;
  // FNV-1a over the rule and the address: cheap, and spreads neighbouring addresses.
  std::uint32_t h = 2166136261u ^ rule;
  for (const std::uint8_t b : address) h = (h ^ b) * 16777619u;
  Entry& e = slots_[h & mask_];
  const std::uint64_t window_ns = static_cast<std::uint64_t>(t.seconds) * 1'000'000'000ULL;
  const bool same = e.rule_plus_one == rule + 1 && e.address == address;
  if (!same) {
    evicted = e.rule_plus_one != 0 && e.count != 0;
    e.rule_plus_one = rule + 1;
    e.address = address;
    e.count = 0;
  }
  if (e.count == 0 || now_ns - e.window_start_ns > window_ns || now_ns < e.window_start_ns) {
    e.count = 0;
    e.window_start_ns = now_ns;
  }
  if (++e.count < t.count) return false;
  e.count = 0;  // fired: the next match opens a new window
  return true;
}

}  // namespace segward::signatures
