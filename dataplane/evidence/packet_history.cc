#include "dataplane/evidence/packet_history.h"

#include <algorithm>

namespace segward::dataplane {
namespace {

std::uint32_t slots_for(std::uint32_t depth, std::size_t memory_bytes) {
  const std::size_t per_slot = static_cast<std::size_t>(depth) * sizeof(CapturedPacket);
  return static_cast<std::uint32_t>(std::max<std::size_t>(1, memory_bytes / per_slot));
}

}  // namespace

PacketHistory::PacketHistory(std::uint32_t flow_capacity, std::uint32_t depth, std::size_t memory_bytes,
                             int socket_id)
    : depth_(std::max<std::uint32_t>(depth, 1)),
      rings_(slots_for(depth_, memory_bytes)),
      slot_of_(flow_capacity, kNoSlot),
      memory_("evidence packet history", static_cast<std::size_t>(rings_.size()) * depth_ * sizeof(CapturedPacket),
              socket_id, "evidence.memory_mb"),
      entries_(static_cast<CapturedPacket*>(memory_.get())) {
  free_.reserve(rings_.size());
  // Popped from the top: slot 0 first, so few pages are touched while few flows are recorded.
  for (std::uint32_t s = slots(); s-- > 0;) free_.push_back(s);
}

std::uint32_t PacketHistory::acquire(std::uint32_t position) {
  if (free_.empty()) return kNoSlot;
  const std::uint32_t slot = free_.back();
  free_.pop_back();
  rings_[slot] = Ring{};
  slot_of_[position] = slot;
  return slot;
}

void PacketHistory::release(std::uint32_t position) {
  const std::uint32_t slot = slot_of_[position];
  if (slot == kNoSlot) return;
  slot_of_[position] = kNoSlot;
  free_.push_back(slot);  // within the reserved capacity: never allocates
}

}  // namespace segward::dataplane
