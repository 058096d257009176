#include "dataplane/flow_table.h"

#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include <cstring>

#include "platform/startup_error.h"

namespace segward::dataplane {
namespace {

// rte_hash calls this on its own copies of the keys too, which it stores at
// 4-byte alignment; rte_hash_crc would read them as uint64_t (undefined
// behaviour, flagged by UBSan). memcpy loads compile to the same unaligned
// moves without the UB.
std::uint32_t hash_flow_key(const void* key, std::uint32_t /*len*/, std::uint32_t init) {
  const auto* bytes = static_cast<const std::uint8_t*>(key);
  std::uint32_t h = init;
  for (std::size_t off = 0; off < sizeof(FlowKey); off += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes + off, sizeof word);
    h = rte_hash_crc_8byte(word, h);
  }
  return h;
}
static_assert(sizeof(FlowKey) % 8 == 0);

}  // namespace

FlowTable::FlowTable(const std::string& name, std::uint32_t capacity, FlowTimeouts timeouts,
                     unsigned worker_index, int socket_id)
    : capacity_(capacity) {
  rte_hash_parameters params{};
  params.name = name.c_str();
  params.entries = capacity;
  params.key_len = sizeof(FlowKey);
  params.hash_func = hash_flow_key;
  params.socket_id = socket_id;
  // The extendable bucket table lets the table fill to `capacity` instead of
  // failing early when a cuckoo path cannot be found.
  params.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
  hash_ = rte_hash_create(&params);
  if (hash_ == nullptr) {
    throw StartupError("cannot create flow table '" + name + "' for " + std::to_string(capacity) +
                       " flows (lower flow.capacity or give the EAL more memory with -m)");
  }
  slots_ = static_cast<std::uint32_t>(rte_hash_max_key_id(hash_)) + 1;
  flows_ = static_cast<Flow*>(rte_zmalloc_socket("segward_flows", sizeof(Flow) * slots_, alignof(Flow), socket_id));
  if (flows_ == nullptr) {
    rte_hash_free(hash_);
    throw StartupError("cannot allocate " + std::to_string(slots_) + " flow entries");
  }
  timeout_ns_[static_cast<int>(FlowState::kNew)] = timeouts.new_ns;
  timeout_ns_[static_cast<int>(FlowState::kEstablished)] = timeouts.established_ns;
  timeout_ns_[static_cast<int>(FlowState::kClosed)] = timeouts.closed_ns;
  // Flow ids stay below 2^53 so JSON consumers read them exactly.
  flow_id_base_ = static_cast<std::uint64_t>(worker_index & 0x1f) << 48;
}

FlowTable::~FlowTable() {
  rte_free(flows_);
  rte_hash_free(hash_);
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
  rte_hash_del_key(hash_, &flows_[pos].key);
  --stats_.active;
}

std::uint32_t FlowTable::eviction_candidate() const {
  for (FlowState s : {FlowState::kNew, FlowState::kClosed, FlowState::kEstablished}) {
    if (lists_[static_cast<int>(s)].head != kNoFlow) return lists_[static_cast<int>(s)].head;
  }
  return kNoFlow;
}

}  // namespace segward::dataplane
