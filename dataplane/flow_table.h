#pragma once
// A worker's flow table: a fixed array of Flow entries, allocated once, found
// through a FlowIndex (flow_index.h: one-line buckets of signatures and flow
// positions, the key compared in the entry itself). Single writer, no locks.
//
// Timeouts run on engine time. Each FlowState has its own list, ordered by
// when a flow was last moved to the list's tail. A flow moves on a state
// change and at most once per `kTouchGranularityNs` of traffic, so a busy
// flow costs no list work per packet; expiry pops from the heads, re-queuing
// flows that saw traffic since. A flow expires at most one granularity late.
// When the table is full, a new flow evicts the oldest unanswered (kNew)
// flow first, then the oldest closed one, then the oldest established one.
#include <array>
#include <cstdint>
#include <string>

#include "dataplane/flow.h"
#include "dataplane/flow_index.h"
#include "dataplane/flow_memory.h"

namespace segward::dataplane {

struct FlowTimeouts {
  std::uint64_t new_ns = 30'000'000'000ULL;
  std::uint64_t established_ns = 300'000'000'000ULL;
  std::uint64_t closed_ns = 5'000'000'000ULL;
};

struct FlowTableStats {
  std::uint64_t created = 0;
  std::uint64_t ended[kFlowEndReasonCount] = {};
  std::uint64_t insert_failed = 0;  // no entry could be freed for a new flow
  std::uint64_t active = 0;
};

class FlowTable {
 public:
  static constexpr std::uint64_t kTouchGranularityNs = 1'000'000'000ULL;
  static constexpr unsigned kMaxBulk = FlowIndex::kMaxBulk;

  // `name` names the table in errors and in DPDK's memory statistics.
  FlowTable(const std::string& name, std::uint32_t capacity, FlowTimeouts timeouts,
            unsigned worker_index, int socket_id);
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // The hash every lookup and creation of `key` takes (computed once per packet).
  static std::uint32_t hash(const FlowKey& key) { return flow_hash(key); }

  // Starts fetching the index bucket of `hash`, well before the lookup.
  void prefetch(std::uint32_t hash) const { index_.prefetch(hash); }

  // Finds the flows of up to kMaxBulk keys at once; positions[i] < 0 on a miss.
  void lookup_bulk(const FlowKey* keys, const std::uint32_t* hashes, unsigned n, std::int32_t* positions) const {
    index_.find_bulk(keys, hashes, n, positions);
  }

  // The same in two steps, so that the flows of a burst arrive while the
  // packets before them are accounted (FlowIndex::find_candidate, resolve).
  // Candidates describe the table when they were taken: once a flow was
  // created since, a miss from resolve needs a lookup(); once one was removed
  // (evicted by create), use lookup() instead of resolve.
  [[nodiscard]] std::uint32_t lookup_candidate(std::uint32_t hash) const { return index_.find_candidate(hash); }
  [[nodiscard]] std::int32_t resolve(const FlowKey& key, std::uint32_t hash, std::uint32_t candidate) const {
    const std::uint32_t pos = index_.resolve(key, hash, candidate);
    return pos == kNoFlow ? -1 : static_cast<std::int32_t>(pos);
  }

  [[nodiscard]] std::int32_t lookup(const FlowKey& key, std::uint32_t hash) const {
    const std::uint32_t pos = index_.find(key, hash);
    return pos == kNoFlow ? -1 : static_cast<std::int32_t>(pos);
  }
  [[nodiscard]] std::int32_t lookup(const FlowKey& key) const { return lookup(key, flow_hash(key)); }

  // Creates the flow for `key` (after a miss), evicting if the table is full.
  // Returns its position, or -1 when nothing could be freed. Ended flows are
  // handed to `emit(const FlowRecord&)`.
  template <class Emit>
  std::int32_t create(const FlowKey& key, std::uint32_t hash, bool packet_from_lo, std::uint8_t tcp_flags,
                      std::uint8_t port_index, std::uint64_t now_ns, Emit&& emit);
  template <class Emit>
  std::int32_t create(const FlowKey& key, bool packet_from_lo, std::uint8_t tcp_flags, std::uint8_t port_index,
                      std::uint64_t now_ns, Emit&& emit) {
    return create(key, flow_hash(key), packet_from_lo, tcp_flags, port_index, now_ns, emit);
  }

  Flow& at(std::int32_t position) { return flows_[static_cast<std::uint32_t>(position)]; }

  // Counts one packet on flow `position` and moves its state on. Returns the
  // direction index (kToServer/kToClient). A SYN on a closed flow ends it
  // (tcp_reuse) and starts a new one in place.
  template <class Emit>
  int account(std::int32_t position, bool packet_from_lo, bool is_tcp, std::uint8_t tcp_flags,
              std::uint32_t frame_bytes, std::uint8_t port_index, std::uint64_t now_ns, Emit&& emit);

  // Ends flows whose timeout has passed at `now_ns`, at most `budget` of them.
  template <class Emit>
  void expire(std::uint64_t now_ns, unsigned budget, Emit&& emit);

  // Ends every flow (reason shutdown), for an orderly stop. Out of line:
  // it runs once, and tests/bench/steady-ir.sh finds it by name to leave
  // the shutdown out of the worker's instructions per packet.
  template <class Emit>
  [[gnu::noinline]] void flush(Emit&& emit);

  // Calls `visit(const Flow&)` for every flow in the table (the worker's
  // thread only: FlowSnapshot).
  template <class Visit>
  void for_each_flow(Visit&& visit) const {
    for (const List& list : lists_) {
      for (std::uint32_t pos = list.head; pos != kNoFlow; pos = flows_[pos].next) visit(flows_[pos]);
    }
  }

  [[nodiscard]] const FlowTableStats& stats() const { return stats_; }
  [[nodiscard]] std::uint32_t capacity() const { return capacity_; }
  [[nodiscard]] const FlowIndex& index() const { return index_; }

 private:

  struct List {
    std::uint32_t head = kNoFlow;
    std::uint32_t tail = kNoFlow;
  };

  void link_tail(std::uint32_t pos, FlowState state, std::uint64_t touched_ns);
  void unlink(std::uint32_t pos);
  void init_flow(std::uint32_t pos, const FlowKey& key, bool packet_from_lo, std::uint8_t tcp_flags,
                 std::uint8_t port_index, std::uint64_t now_ns);
  void remove(std::uint32_t pos);
  [[nodiscard]] std::uint64_t timeout_of(FlowState s) const { return timeout_ns_[static_cast<int>(s)]; }
  [[nodiscard]] std::uint32_t eviction_candidate() const;

  std::uint32_t capacity_ = 0;
  FlowMemory flow_memory_;  // capacity_ entries
  Flow* flows_ = nullptr;
  FlowIndex index_;
  FlowMemory free_memory_;
  std::uint32_t* free_positions_ = nullptr;  // a stack of the unused entries
  std::uint32_t free_count_ = 0;
  std::array<std::uint64_t, kFlowStateCount> timeout_ns_{};
  std::array<List, kFlowStateCount> lists_{};
  std::uint64_t next_flow_id_ = 0;
  std::uint64_t flow_id_base_ = 0;
  FlowTableStats stats_;
};

// ---- inline definitions: these run per packet ------------------------------

template <class Emit>
std::int32_t FlowTable::create(const FlowKey& key, std::uint32_t hash, bool packet_from_lo, std::uint8_t tcp_flags,
                               std::uint8_t port_index, std::uint64_t now_ns, Emit&& emit) {
  if (free_count_ == 0) {
    const std::uint32_t victim = eviction_candidate();
    if (victim == kNoFlow) {
      ++stats_.insert_failed;
      return -1;
    }
    emit(make_flow_record(flows_[victim], FlowEndReason::kForced, victim));
    ++stats_.ended[static_cast<int>(FlowEndReason::kForced)];
    remove(victim);
  }
  const std::uint32_t pos = free_positions_[free_count_ - 1];
  if (!index_.insert(hash, pos)) {  // cannot happen: the index has room for every entry
    ++stats_.insert_failed;
    return -1;
  }
  --free_count_;
  init_flow(pos, key, packet_from_lo, tcp_flags, port_index, now_ns);
  return static_cast<std::int32_t>(pos);
}

template <class Emit>
int FlowTable::account(std::int32_t position, bool packet_from_lo, bool is_tcp, std::uint8_t tcp_flags,
                       std::uint32_t frame_bytes, std::uint8_t port_index, std::uint64_t now_ns,
                       Emit&& emit) {
  const auto pos = static_cast<std::uint32_t>(position);
  Flow* f = &flows_[pos];
  namespace tf = net::tcp_flags;
  // Flags first: a bare SYN is rare, and UDP's flags are 0.
  if ((tcp_flags & (tf::kSyn | tf::kAck)) == tf::kSyn && is_tcp && f->state == FlowState::kClosed) [[unlikely]] {
    // A fresh connection on the same 5-tuple: the old one is over.
    emit(make_flow_record(*f, FlowEndReason::kTcpReuse, pos));
    ++stats_.ended[static_cast<int>(FlowEndReason::kTcpReuse)];
    unlink(pos);
    --stats_.active;
    init_flow(pos, f->key, packet_from_lo, tcp_flags, port_index, now_ns);
  }
  const int dir = (packet_from_lo == f->client_is_lo) ? kToServer : kToClient;
  f->pkts[dir] += 1;
  f->bytes[dir] += frame_bytes;
  if (now_ns > f->last_ns) f->last_ns = now_ns;
  f->tcp_flags[dir] |= tcp_flags;

  FlowState next = f->state;
  // Only a new flow, or a TCP packet with RST or FIN, can change the state:
  // an established flow whose FINs had both been seen would be closed already.
  if (f->state == FlowState::kNew || (is_tcp && (tcp_flags & (tf::kRst | tf::kFin)) != 0)) [[unlikely]] {
    if (is_tcp && ((tcp_flags & tf::kRst) != 0 ||
                   ((f->tcp_flags[0] & tf::kFin) != 0 && (f->tcp_flags[1] & tf::kFin) != 0))) {
      next = FlowState::kClosed;
    } else if (f->state == FlowState::kNew && f->pkts[kToClient] != 0) {
      next = FlowState::kEstablished;
    }
  }
  if (next != f->state) {
    unlink(pos);
    link_tail(pos, next, now_ns);
  } else if (now_ns >= f->touched_ns + kTouchGranularityNs) {
    unlink(pos);
    link_tail(pos, f->state, now_ns);
  }
  return dir;
}

template <class Emit>
void FlowTable::expire(std::uint64_t now_ns, unsigned budget, Emit&& emit) {
  for (std::size_t s = 0; s < kFlowStateCount; ++s) {
    const std::uint64_t timeout = timeout_ns_[s];
    List& list = lists_[s];
    while (budget > 0 && list.head != kNoFlow) {
      const std::uint32_t pos = list.head;
      Flow& f = flows_[pos];
      if (f.touched_ns + timeout > now_ns) break;  // nothing behind it is due either
      --budget;
      if (f.last_ns + timeout <= now_ns) {
        emit(make_flow_record(f, FlowEndReason::kTimeout, pos));
        ++stats_.ended[static_cast<int>(FlowEndReason::kTimeout)];
        remove(pos);
      } else {
        unlink(pos);
        link_tail(pos, f.state, f.last_ns);
      }
    }
  }
}

template <class Emit>
void FlowTable::flush(Emit&& emit) {
  for (std::size_t s = 0; s < kFlowStateCount; ++s) {
    while (lists_[s].head != kNoFlow) {
      const std::uint32_t pos = lists_[s].head;
      emit(make_flow_record(flows_[pos], FlowEndReason::kShutdown, pos));
      ++stats_.ended[static_cast<int>(FlowEndReason::kShutdown)];
      remove(pos);
    }
  }
}

}  // namespace segward::dataplane
