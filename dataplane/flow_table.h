#pragma once
// A worker's flow table: an rte_hash cuckoo table (single writer, no locks)
// whose key positions index a fixed array of Flow entries, allocated once.
//
// Timeouts run on engine time. Each FlowState has its own list, ordered by
// when a flow was last moved to the list's tail. A flow moves on a state
// change and at most once per `kTouchGranularityNs` of traffic, so a busy
// flow costs no list work per packet; expiry pops from the heads, re-queuing
// flows that saw traffic since. A flow expires at most one granularity late.
// When the table is full, a new flow evicts the oldest unanswered (kNew)
// flow first, then the oldest closed one, then the oldest established one.
#include <rte_hash.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "dataplane/flow.h"

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
  static constexpr unsigned kMaxBulk = 64;  // RTE_HASH_LOOKUP_BULK_MAX

  // `name` must be unique per process (rte_hash names are global).
  FlowTable(const std::string& name, std::uint32_t capacity, FlowTimeouts timeouts,
            unsigned worker_index, int socket_id);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Finds the flows of up to kMaxBulk keys at once; positions[i] < 0 on a miss.
  void lookup_bulk(const FlowKey** keys, unsigned n, std::int32_t* positions) const {
    rte_hash_lookup_bulk(hash_, reinterpret_cast<const void**>(keys), n, positions);
  }

  [[nodiscard]] std::int32_t lookup(const FlowKey& key) const { return rte_hash_lookup(hash_, &key); }

  // Creates the flow for `key` (after a miss), evicting if the table is full.
  // Returns its position, or -1 when nothing could be freed. Ended flows are
  // handed to `emit(const FlowRecord&)`.
  template <class Emit>
  std::int32_t create(const FlowKey& key, bool packet_from_lo, std::uint8_t tcp_flags,
                      std::uint8_t port_index, std::uint64_t now_ns, Emit&& emit);

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

  // Ends every flow (reason shutdown), for an orderly stop.
  template <class Emit>
  void flush(Emit&& emit);

  [[nodiscard]] const FlowTableStats& stats() const { return stats_; }
  [[nodiscard]] std::uint32_t capacity() const { return capacity_; }

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

  rte_hash* hash_ = nullptr;
  Flow* flows_ = nullptr;  // rte_zmalloc'd, capacity_ slots (+ rte_hash's slack)
  std::uint32_t slots_ = 0;
  std::uint32_t capacity_ = 0;
  std::array<std::uint64_t, kFlowStateCount> timeout_ns_{};
  std::array<List, kFlowStateCount> lists_{};
  std::uint64_t next_flow_id_ = 0;
  std::uint64_t flow_id_base_ = 0;
  FlowTableStats stats_;
};

// ---- inline definitions: these run per packet ------------------------------

template <class Emit>
std::int32_t FlowTable::create(const FlowKey& key, bool packet_from_lo, std::uint8_t tcp_flags,
                               std::uint8_t port_index, std::uint64_t now_ns, Emit&& emit) {
  std::int32_t pos = rte_hash_add_key(hash_, &key);
  if (pos == -ENOSPC) {
    const std::uint32_t victim = eviction_candidate();
    if (victim == kNoFlow) {
      ++stats_.insert_failed;
      return -1;
    }
    emit(make_flow_record(flows_[victim], FlowEndReason::kForced));
    ++stats_.ended[static_cast<int>(FlowEndReason::kForced)];
    remove(victim);
    pos = rte_hash_add_key(hash_, &key);
  }
  if (pos < 0 || static_cast<std::uint32_t>(pos) >= slots_) {
    ++stats_.insert_failed;
    return -1;
  }
  init_flow(static_cast<std::uint32_t>(pos), key, packet_from_lo, tcp_flags, port_index, now_ns);
  return pos;
}

template <class Emit>
int FlowTable::account(std::int32_t position, bool packet_from_lo, bool is_tcp, std::uint8_t tcp_flags,
                       std::uint32_t frame_bytes, std::uint8_t port_index, std::uint64_t now_ns,
                       Emit&& emit) {
  const auto pos = static_cast<std::uint32_t>(position);
  Flow* f = &flows_[pos];
  namespace tf = net::tcp_flags;
  if (is_tcp && f->state == FlowState::kClosed && (tcp_flags & (tf::kSyn | tf::kAck)) == tf::kSyn) {
    // A fresh connection on the same 5-tuple: the old one is over.
    emit(make_flow_record(*f, FlowEndReason::kTcpReuse));
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
  if (is_tcp) {
    if ((tcp_flags & tf::kRst) != 0 ||
        ((f->tcp_flags[0] & tf::kFin) != 0 && (f->tcp_flags[1] & tf::kFin) != 0)) {
      next = FlowState::kClosed;
    } else if (f->state == FlowState::kNew && f->pkts[kToClient] != 0) {
      next = FlowState::kEstablished;
    }
  } else if (f->state == FlowState::kNew && f->pkts[kToClient] != 0) {
    next = FlowState::kEstablished;
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
        emit(make_flow_record(f, FlowEndReason::kTimeout));
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
      emit(make_flow_record(flows_[pos], FlowEndReason::kShutdown));
      ++stats_.ended[static_cast<int>(FlowEndReason::kShutdown)];
      remove(pos);
    }
  }
}

}  // namespace segward::dataplane
