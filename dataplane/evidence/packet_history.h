#pragma once
// The recent packets of recorded flows on one worker: each flow given a slot
// keeps its last `depth` frames in a ring, so that when it raises an alert
// the packets that led up to it are still at hand. All memory is taken by
// the constructor (a fixed number of slots from the memory budget); a flow
// that finds every slot taken is simply not recorded (the caller counts it).
// Single writer, no locks.
#include <rte_memcpy.h>

#include <cstdint>
#include <vector>

#include "dataplane/evidence/evidence_record.h"
#include "dataplane/flow_memory.h"

namespace segward::dataplane {

class PacketHistory {
 public:
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;

  // `flow_capacity`: positions of the flow table slots are looked up by;
  // `depth`: frames kept per flow; `memory_bytes`: what the slots may take
  // (at least one slot is made). Throws StartupError when DPDK has not the memory.
  PacketHistory(std::uint32_t flow_capacity, std::uint32_t depth, std::size_t memory_bytes, int socket_id);

  [[nodiscard]] std::uint32_t slots() const { return static_cast<std::uint32_t>(rings_.size()); }
  [[nodiscard]] std::uint32_t slots_free() const { return static_cast<std::uint32_t>(free_.size()); }
  [[nodiscard]] std::uint32_t depth() const { return depth_; }

  // The slot of the flow at table position `position`, or kNoSlot.
  [[nodiscard]] std::uint32_t slot_of(std::uint32_t position) const { return slot_of_[position]; }
  // Gives the flow at `position` an empty slot; kNoSlot when none is free.
  std::uint32_t acquire(std::uint32_t position);
  // The flow ended: its slot (if any) is free again.
  void release(std::uint32_t position);

  // Appends a frame (cut at kEvidenceSnapBytes) to `slot`'s ring, replacing
  // its oldest once full; returns the stored copy.
  const CapturedPacket& record(std::uint32_t slot, const std::uint8_t* frame, std::uint32_t frame_len,
                               std::uint32_t orig_len, std::uint64_t timestamp_ns, int dir, std::uint8_t port_index) {
    Ring& r = rings_[slot];
    const std::uint32_t at = (r.first + r.count) % depth_;
    if (r.count < depth_) {
      ++r.count;
    } else {
      r.first = (r.first + 1) % depth_;
    }
    CapturedPacket& p = entries_[static_cast<std::size_t>(slot) * depth_ + at];
    p.timestamp_ns = timestamp_ns;
    p.orig_len = orig_len;
    p.cap_len = static_cast<std::uint16_t>(frame_len < kEvidenceSnapBytes ? frame_len : kEvidenceSnapBytes);
    p.dir = static_cast<std::uint8_t>(dir);
    p.port_index = port_index;
    // DPDK's copy: a variable-length std::memcpy became a byte loop for the tail here.
    rte_memcpy(p.bytes, frame, p.cap_len);
    return p;
  }

  // Calls `f(const CapturedPacket&)` for the frames of `slot`, oldest first.
  template <class F>
  void for_each(std::uint32_t slot, F&& f) const {
    const Ring& r = rings_[slot];
    for (std::uint32_t i = 0; i < r.count; ++i) {
      f(entries_[static_cast<std::size_t>(slot) * depth_ + (r.first + i) % depth_]);
    }
  }
  [[nodiscard]] std::uint32_t count(std::uint32_t slot) const { return rings_[slot].count; }

 private:
  struct Ring {
    std::uint32_t first = 0;  // oldest entry
    std::uint32_t count = 0;
  };

  std::uint32_t depth_;
  std::vector<Ring> rings_;              // by slot
  std::vector<std::uint32_t> free_;      // a stack of unused slots
  std::vector<std::uint32_t> slot_of_;   // by flow position
  FlowMemory memory_;
  CapturedPacket* entries_;              // slots x depth
};

}  // namespace segward::dataplane
