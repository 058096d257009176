#pragma once
// The flow table's index: FlowKey -> position of the flow in the table's
// entry array, in buckets of one cache line.
//
// A bucket holds 8 slots as {16-bit signature x 8, 32-bit flow position x 8}
// in one line; the key itself is compared in the Flow entry, which the packet
// reads anyway. A hit costs the bucket line plus the Flow's two lines (one
// 128-byte block, one page), and a burst fetches all its buckets, then all its
// candidate flows, before comparing any key (find_candidates, then resolve).
//
// Why not DPDK's tables (Debian's libdpdk-dev 22.11 ships and links librte_hash
// and librte_table; both were checked for issue 2):
// - rte_hash (what the table used before) reads a primary and a secondary
//   bucket on every bulk lookup, then a key slot in a separate key store, then
//   the Flow: 4 lines in 4 pages per packet.
// - librte_table's rte_table_hash_key16/key32 (lru, ext) take keys of exactly
//   16 or 32 bytes (ours is 40, for IPv6 addresses), read each key from its
//   mbuf at a fixed offset, and spread a 4-key bucket over a signature line,
//   one or two key lines and the data lines: 3-4 lines per hit before the
//   Flow. The _lru variants also drop a key when its bucket is full, which
//   our capacity and eviction order forbid. rte_table_hash_ext keeps keys and
//   data out of the bucket, rte_table_hash_cuckoo is rte_hash, and
//   rte_swx_table_em likewise keeps keys and data apart from its buckets.
//
// Collisions: a bucket that is full chains extension buckets from a pool
// sized so that `capacity` flows always fit, whatever their hashes (every
// bucket of a chain but the last is kept full, so a chain of k keys uses
// ceil(k/8) - 1 extensions, at most capacity/8 in all). There is no cuckoo
// displacement: at 2-4 keys per bucket when full, at most about 0.8 % of keys
// overflow, and displacement would not help against keys crafted to collide
// (a CRC's collisions do not depend on its seed), which cost chain walks here
// as they did in rte_hash's extendable table. Signatures are the hash's high
// 16 bits and buckets its low bits, so above 2^16 buckets (capacity >
// 262,144) they overlap and a bucket's signatures tell fewer keys apart: more
// key compares (a Flow line each), never a wrong answer.
//
// Single writer, no locks; all memory is allocated by the constructor.
#include <rte_prefetch.h>

#include <cstdint>
#include <cstring>

#if defined(__SSE4_1__)
#include <smmintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dataplane/flow.h"
#include "dataplane/flow_key.h"
#include "dataplane/flow_memory.h"

namespace segward::dataplane {

inline bool flow_key_equal(const FlowKey& a, const FlowKey& b) {
  const auto* x = reinterpret_cast<const unsigned char*>(&a);
  const auto* y = reinterpret_cast<const unsigned char*>(&b);
  std::uint64_t x4, y4;
  std::memcpy(&x4, x + 32, 8);
  std::memcpy(&y4, y + 32, 8);
#if defined(__SSE4_1__)
  const __m128i d = _mm_or_si128(
      _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x)), _mm_loadu_si128(reinterpret_cast<const __m128i*>(y))),
      _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + 16)),
                    _mm_loadu_si128(reinterpret_cast<const __m128i*>(y + 16))));
  return (_mm_testz_si128(d, d) != 0) & (x4 == y4);
#else
  std::uint64_t diff = x4 ^ y4;
  for (int off = 0; off < 32; off += 8) {
    std::uint64_t xw, yw;
    std::memcpy(&xw, x + off, 8);
    std::memcpy(&yw, y + off, 8);
    diff |= xw ^ yw;
  }
  return diff == 0;
#endif
}

class FlowIndex {
 public:
  static constexpr unsigned kSlots = 8;
  static constexpr unsigned kMaxBulk = 64;

  // Room for `capacity` keys whose flows live in `flows[0, capacity)`; the
  // index compares keys against flows[position].key. Throws StartupError.
  FlowIndex(std::uint32_t capacity, const Flow* flows, int socket_id);
  FlowIndex(const FlowIndex&) = delete;
  FlowIndex& operator=(const FlowIndex&) = delete;

  // Starts fetching the bucket of `hash`, ahead of a lookup.
  void prefetch(std::uint32_t hash) const { rte_prefetch0(&buckets_[hash & mask_]); }

  // The position of `key`, or kNoFlow.
  [[nodiscard]] std::uint32_t find(const FlowKey& key, std::uint32_t hash) const;

  // A lookup in two steps, for a burst. First, for a hash, the candidate
  // position (the first signature match in its bucket, or kNoFlow), whose
  // flow it starts fetching (both lines: the key and what a packet updates);
  // the bucket should have been prefetched well before.
  [[nodiscard]] std::uint32_t find_candidate(std::uint32_t hash) const;
  void find_candidates(const std::uint32_t* hashes, unsigned n, std::uint32_t* candidates) const {
    for (unsigned i = 0; i < n; ++i) candidates[i] = find_candidate(hashes[i]);
  }
  // Then, once the flow had time to arrive, the position of `key` (or
  // kNoFlow). `candidate` must come from find_candidates with no erase since.
  [[nodiscard]] std::uint32_t resolve(const FlowKey& key, std::uint32_t hash, std::uint32_t candidate) const;

  // Both steps for up to kMaxBulk keys; positions[i] < 0 on a miss.
  void find_bulk(const FlowKey* keys, const std::uint32_t* hashes, unsigned n, std::int32_t* positions) const;

  // Adds `position` under `hash`; its key (flows[position].key) must not be
  // in the index yet. False only when more than `capacity` keys were added.
  bool insert(std::uint32_t hash, std::uint32_t position);

  // Removes `position`, which was inserted under `hash`. False if it was not.
  bool erase(std::uint32_t hash, std::uint32_t position);

  [[nodiscard]] std::uint32_t size() const { return size_; }
  [[nodiscard]] std::uint32_t bucket_count() const { return mask_ + 1; }
  [[nodiscard]] std::uint32_t extension_buckets_in_use() const { return ext_in_use_; }

 private:
  struct alignas(64) Bucket {
    std::uint16_t sig[kSlots];  // 0: free slot
    std::uint32_t pos[kSlots];
    std::uint32_t next;  // extension bucket chained to this one, or kNoFlow
    std::uint32_t reserved[3];
  };
  static_assert(sizeof(Bucket) == 64, "one cache line");

  static std::uint16_t signature(std::uint32_t hash) {
    const auto s = static_cast<std::uint16_t>(hash >> 16);
    return static_cast<std::uint16_t>(s + (s == 0 ? 1 : 0));
  }
  // Bit 2*i set for each slot i whose signature is `sig`.
  static unsigned match(const Bucket& b, std::uint16_t sig);
  [[nodiscard]] std::uint32_t find_in_chain(const Bucket* b, const FlowKey& key, std::uint16_t sig) const;
  Bucket* next_of(const Bucket& b) const { return b.next == kNoFlow ? nullptr : &ext_[b.next]; }

  static std::uint32_t bucket_count_for(std::uint32_t capacity);
  static std::uint32_t extension_count_for(std::uint32_t capacity) { return capacity / kSlots + 1; }

  std::uint32_t mask_ = 0;
  std::uint32_t capacity_ = 0;
  FlowMemory bucket_memory_;
  FlowMemory ext_memory_;
  Bucket* buckets_ = nullptr;  // mask_ + 1 primary buckets
  Bucket* ext_ = nullptr;      // extension pool; free ones chained through `next`
  const Flow* flows_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t free_ext_ = kNoFlow;
  std::uint32_t ext_in_use_ = 0;
};

// ---- inline definitions: these run per packet ------------------------------

inline unsigned FlowIndex::match(const Bucket& b, std::uint16_t sig) {
#if defined(__SSE2__)
  const __m128i sigs = _mm_load_si128(reinterpret_cast<const __m128i*>(b.sig));
  const __m128i eq = _mm_cmpeq_epi16(sigs, _mm_set1_epi16(static_cast<short>(sig)));
  return static_cast<unsigned>(_mm_movemask_epi8(eq)) & 0x5555u;
#else
  unsigned m = 0;
  for (unsigned i = 0; i < kSlots; ++i) m |= (b.sig[i] == sig ? 1u : 0u) << (2 * i);
  return m;
#endif
}

inline std::uint32_t FlowIndex::find_in_chain(const Bucket* b, const FlowKey& key, std::uint16_t sig) const {
  for (; b != nullptr; b = next_of(*b)) {
    for (unsigned m = match(*b, sig); m != 0; m &= m - 1) {
      const std::uint32_t pos = b->pos[static_cast<unsigned>(__builtin_ctz(m)) >> 1];
      if (flow_key_equal(flows_[pos].key, key)) return pos;
    }
  }
  return kNoFlow;
}

inline std::uint32_t FlowIndex::find(const FlowKey& key, std::uint32_t hash) const {
  return find_in_chain(&buckets_[hash & mask_], key, signature(hash));
}

inline std::uint32_t FlowIndex::find_candidate(std::uint32_t hash) const {
  const Bucket& b = buckets_[hash & mask_];
  const unsigned m = match(b, signature(hash));
  if (m == 0) return kNoFlow;
  const std::uint32_t pos = b.pos[static_cast<unsigned>(__builtin_ctz(m)) >> 1];
  const auto* f = reinterpret_cast<const char*>(&flows_[pos]);
  rte_prefetch0(f);       // what the packet updates
  rte_prefetch0(f + 64);  // the key
  return pos;
}

inline std::uint32_t FlowIndex::resolve(const FlowKey& key, std::uint32_t hash, std::uint32_t candidate) const {
  if (candidate != kNoFlow && flow_key_equal(flows_[candidate].key, key)) return candidate;
  // No match in the bucket, a signature collision, or a key in an extension.
  if (candidate == kNoFlow && buckets_[hash & mask_].next == kNoFlow) return kNoFlow;
  return find(key, hash);
}

inline void FlowIndex::find_bulk(const FlowKey* keys, const std::uint32_t* hashes, unsigned n,
                                 std::int32_t* positions) const {
  std::uint32_t candidates[kMaxBulk];
  find_candidates(hashes, n, candidates);
  for (unsigned i = 0; i < n; ++i) {
    const std::uint32_t pos = resolve(keys[i], hashes[i], candidates[i]);
    positions[i] = pos == kNoFlow ? -1 : static_cast<std::int32_t>(pos);
  }
}

}  // namespace segward::dataplane
