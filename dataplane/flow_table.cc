#include "dataplane/flow_table.h"

#include <string>

namespace segward::dataplane {
FlowTable::FlowTable(const std::string& name, std::uint32_t capacity, FlowTimeouts timeouts,
                     unsigned worker_index, int socket_id)
    : capacity_(capacity),
      flow_memory_(("flow entries of " + name).c_str(), sizeof(Flow) * capacity, socket_id),
      flows_(static_cast<Flow*>(flow_memory_.get())),
      index_(capacity, flows_, socket_id),
      free_memory_("flow free list", sizeof(std::uint32_t) * capacity, socket_id),
      free_positions_(static_cast<std::uint32_t*>(free_memory_.get())) {
  static_assert(alignof(Flow) <= 128, "FlowMemory aligns to 128 bytes");
  // Popped from the top: entries are handed out from 0 upwards, so a small
  // working set stays in few pages.
  for (std::uint32_t i = 0; i < capacity; ++i) free_positions_[i] = capacity - 1 - i;
  free_count_ = capacity;
  timeout_ns_[static_cast<int>(FlowState::kNew)] = timeouts.new_ns;
  timeout_ns_[static_cast<int>(FlowState::kEstablished)] = timeouts.established_ns;
  timeout_ns_[static_cast<int>(FlowState::kClosed)] = timeouts.closed_ns;
  // Flow ids stay below 2^53 so JSON consumers read them exactly.
  flow_id_base_ = static_cast<std::uint64_t>(worker_index & 0x1f) << 48;
}

void FlowTable::link_tail(std::uint32_t pos, FlowState state, std::uint64_t touched_ns) {
  Flow& f = flows_[pos];
  List& list = lists_[static_cast<int>(state)];
  f.state = state;
  f.touched_ns = touched_ns;
  f.prev = list.tail;
  f.next = kNoFlow;
  if (list.tail != kNoFlow) {
    flows_[list.tail].next = pos;
  } else {
    list.head = pos;
  }
  list.tail = pos;
}

void FlowTable::unlink(std::uint32_t pos) {
  Flow& f = flows_[pos];
  List& list = lists_[static_cast<int>(f.state)];
  if (f.prev != kNoFlow) {
    flows_[f.prev].next = f.next;
  } else {
    list.head = f.next;
  }
  if (f.next != kNoFlow) {
    flows_[f.next].prev = f.prev;
  } else {
    list.tail = f.prev;
  }
  f.prev = f.next = kNoFlow;
}

void FlowTable::init_flow(std::uint32_t pos, const FlowKey& key, bool packet_from_lo,
                          std::uint8_t tcp_flags, std::uint8_t port_index, std::uint64_t now_ns) {
  Flow& f = flows_[pos];
  const FlowKey saved = key;  // `key` may alias f.key on tcp reuse
  f = Flow{};
  f.key = saved;
  f.flow_id = flow_id_base_ | (++next_flow_id_ & ((1ULL << 48) - 1));
  f.first_ns = f.last_ns = now_ns;
  // The initiator sends the first packet, except that a SYN-ACK seen first
  // (capture started mid-handshake) comes from the server.
  namespace tf = net::tcp_flags;
  const bool syn_ack = (tcp_flags & (tf::kSyn | tf::kAck)) == (tf::kSyn | tf::kAck);
  f.client_is_lo = syn_ack ? !packet_from_lo : packet_from_lo;
  f.port_index = port_index;
  link_tail(pos, FlowState::kNew, now_ns);
  ++stats_.created;
  ++stats_.active;
}

void FlowTable::remove(std::uint32_t pos) {
  unlink(pos);
  index_.erase(flow_hash(flows_[pos].key), pos);
  free_positions_[free_count_++] = pos;
  --stats_.active;
}

std::uint32_t FlowTable::eviction_candidate() const {
  for (FlowState s : {FlowState::kNew, FlowState::kClosed, FlowState::kEstablished}) {
    if (lists_[static_cast<int>(s)].head != kNoFlow) return lists_[static_cast<int>(s)].head;
  }
  return kNoFlow;
}

}  // namespace segward::dataplane
