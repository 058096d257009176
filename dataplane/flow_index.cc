#include "dataplane/flow_index.h"

#include <algorithm>
#include <bit>

namespace segward::dataplane {

std::uint32_t FlowIndex::bucket_count_for(std::uint32_t capacity) {
  // 2 to 4 keys per bucket when the table is full, so at most about 0.8 % of
  // them land in extension buckets (Poisson with mean 4: E[(X - 8)+] / 4).
  return std::bit_ceil(std::max<std::uint32_t>(1, (capacity + 3) / 4));
}

// A chain of k keys uses ceil(k/8) - 1 <= k/8 extensions, so capacity/8 + 1
// of them always suffice (extension_count_for).
FlowIndex::FlowIndex(std::uint32_t capacity, const Flow* flows, int socket_id)
    : mask_(bucket_count_for(capacity) - 1),
      capacity_(capacity),
      bucket_memory_("flow index", sizeof(Bucket) * bucket_count_for(capacity), socket_id),
      ext_memory_("flow index extensions", sizeof(Bucket) * extension_count_for(capacity), socket_id),
      buckets_(static_cast<Bucket*>(bucket_memory_.get())),
      ext_(static_cast<Bucket*>(ext_memory_.get())),
      flows_(flows) {
  for (std::uint32_t b = 0; b <= mask_; ++b) buckets_[b].next = kNoFlow;
  const std::uint32_t extensions = extension_count_for(capacity);
  for (std::uint32_t e = 0; e < extensions; ++e) ext_[e].next = e + 1 < extensions ? e + 1 : kNoFlow;
  free_ext_ = 0;
}

bool FlowIndex::insert(std::uint32_t hash, std::uint32_t position) {
  if (size_ >= capacity_) return false;
  // Every bucket of a chain but the last is full: add to the last.
  Bucket* b = &buckets_[hash & mask_];
  while (b->next != kNoFlow) b = &ext_[b->next];
  unsigned free = match(*b, 0);
  if (free == 0) {
    if (free_ext_ == kNoFlow) return false;  // cannot happen within capacity (see the constructor)
    const std::uint32_t e = free_ext_;
    free_ext_ = ext_[e].next;
    ext_[e] = Bucket{};
    ext_[e].next = kNoFlow;
    b->next = e;
    b = &ext_[e];
    free = 0x5555u;
    ++ext_in_use_;
  }
  const unsigned slot = static_cast<unsigned>(std::countr_zero(free)) >> 1;
  b->sig[slot] = signature(hash);
  b->pos[slot] = position;
  ++size_;
  return true;
}

bool FlowIndex::erase(std::uint32_t hash, std::uint32_t position) {
  Bucket* const first = &buckets_[hash & mask_];
  const std::uint16_t sig = signature(hash);
  Bucket* hole = nullptr;
  unsigned hole_slot = 0;
  for (Bucket* b = first; b != nullptr && hole == nullptr; b = next_of(*b)) {
    for (unsigned m = match(*b, sig); m != 0; m &= m - 1) {
      const unsigned s = static_cast<unsigned>(std::countr_zero(m)) >> 1;
      if (b->pos[s] == position) {
        hole = b;
        hole_slot = s;
        break;
      }
    }
  }
  if (hole == nullptr) return false;
  --size_;
  if (first->next == kNoFlow) {
    hole->sig[hole_slot] = 0;
    return true;
  }
  // Keep every bucket but the last full: fill the hole from the last bucket,
  // and give that back to the pool once it is empty.
  Bucket* before_last = first;
  Bucket* last = &ext_[first->next];
  while (last->next != kNoFlow) {
    before_last = last;
    last = &ext_[last->next];
  }
  const unsigned used = ~match(*last, 0) & 0x5555u;  // never 0: an empty extension is freed at once
  const unsigned j = static_cast<unsigned>(31 - std::countl_zero(used)) >> 1;
  if (hole != last || hole_slot != j) {
    hole->sig[hole_slot] = last->sig[j];
    hole->pos[hole_slot] = last->pos[j];
  }
  last->sig[j] = 0;
  if (match(*last, 0) == 0x5555u) {
    const std::uint32_t e = before_last->next;
    before_last->next = kNoFlow;
    last->next = free_ext_;
    free_ext_ = e;
    --ext_in_use_;
  }
  return true;
}

}  // namespace segward::dataplane
