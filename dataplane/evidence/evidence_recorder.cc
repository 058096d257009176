#include "dataplane/evidence/evidence_recorder.h"

#include <rte_memcpy.h>

#include <cstddef>

namespace segward::dataplane {

EvidenceRecorder::EvidenceRecorder(const EvidenceLimits& limits, std::uint32_t flow_capacity, unsigned worker,
                                   EvidenceRing& ring, WorkerCounters& counters, bool lossless, int socket_id)
    : limits_(limits),
      worker_(worker),
      ring_(ring),
      counters_(counters),
      lossless_(lossless),
      history_(flow_capacity, limits.packets_before, limits.memory_bytes, socket_id),
      open_(history_.slots()) {}

bool EvidenceRecorder::alerted(Flow& flow, std::uint64_t alert_id, std::uint32_t rule_id) {
  if (pending_count_ == kMaxPending) return false;
  pending_[pending_count_++] = Pending{alert_id, rule_id};
  flow.policy_flags |= kPolicyEvidence;
  return true;
}

void EvidenceRecorder::on_packet(std::uint32_t position, Flow& flow, const std::uint8_t* frame,
                                 std::uint32_t frame_len, std::uint32_t orig_len, std::uint64_t timestamp_ns,
                                 int dir) {
  std::uint32_t slot = history_.slot_of(position);
  if (slot == PacketHistory::kNoSlot) {
    slot = history_.acquire(position);
    if (slot == PacketHistory::kNoSlot) {
      counters_.evidence.no_slot.add();
      // Not tried again until the flow alerts: a full history costs the
      // flows it cannot take nothing more than the bit test.
      flow.policy_flags &= static_cast<std::uint8_t>(~kPolicyEvidence);
      if (pending_count_ == 0) return;
      CapturedPacket& alone = alone_;
      alone.timestamp_ns = timestamp_ns;
      alone.orig_len = orig_len;
      alone.cap_len = static_cast<std::uint16_t>(frame_len < kEvidenceSnapBytes ? frame_len : kEvidenceSnapBytes);
      alone.dir = static_cast<std::uint8_t>(dir);
      alone.port_index = flow.port_index;
      rte_memcpy(alone.bytes, frame, alone.cap_len);
      start_pending(PacketHistory::kNoSlot, flow.flow_id, &alone);
      return;
    }
  }
  const CapturedPacket& p = history_.record(slot, frame, frame_len, orig_len, timestamp_ns, dir, flow.port_index);
  counters_.evidence.packets_recorded.add();
  if (pending_count_ != 0) {
    start_pending(slot, flow.flow_id, &p);
    return;
  }
  Open& open = open_[slot];
  if (open.after_left != 0) {
    --open.after_left;
    send(open, &p, open.after_left == 0 ? kEvidenceLast : 0);
  }
}

void EvidenceRecorder::flow_ended(std::uint32_t position, std::uint64_t flow_id) {
  const std::uint32_t slot = history_.slot_of(position);
  // Alerts raised as the flow's session closed: what the history holds is all there is.
  if (pending_count_ != 0) start_pending(slot, flow_id, nullptr);
  if (slot == PacketHistory::kNoSlot) return;
  finish(open_[slot]);
  history_.release(position);
}

void EvidenceRecorder::start_pending(std::uint32_t slot, std::uint64_t flow_id, const CapturedPacket* alerting) {
  // Without an alerting packet the flow has ended: nothing comes after.
  const bool complete = alerting == nullptr || limits_.packets_after == 0;
  for (unsigned i = 0; i < pending_count_; ++i) {
    const Open next{pending_[i].alert_id, flow_id, pending_[i].rule_id, complete ? 0 : limits_.packets_after};
    counters_.evidence.alerts.add();
    if (slot == PacketHistory::kNoSlot) {
      if (alerting != nullptr) {
        send(next, alerting, kEvidenceAlerting | kEvidenceLast);
      } else {
        send(next, nullptr, kEvidenceNoPacket | kEvidenceLast);
      }
      continue;
    }
    // A new alert on a flow whose earlier one still collects packets: that
    // one ends here, this one goes on from the same history.
    finish(open_[slot]);
    const std::uint32_t n = history_.count(slot);
    if (n == 0) send(next, nullptr, kEvidenceNoPacket | kEvidenceLast);
    std::uint32_t i_packet = 0;
    history_.for_each(slot, [&](const CapturedPacket& p) {
      std::uint8_t flags = &p == alerting ? kEvidenceAlerting : 0;
      if (++i_packet == n && complete) flags |= kEvidenceLast;
      send(next, &p, flags);
    });
    if (!complete) open_[slot] = next;
  }
  pending_count_ = 0;
}

void EvidenceRecorder::finish(Open& open) {
  if (open.after_left == 0) return;
  send(open, nullptr, kEvidenceNoPacket | kEvidenceLast);
  open.after_left = 0;
}

void EvidenceRecorder::send(const Open& to, const CapturedPacket* packet, std::uint8_t flags) {
  const bool written = ring_.emplace(lossless_, [&](EvidenceRecord& r) {
    r.alert_id = to.alert_id;
    r.flow_id = to.flow_id;
    r.rule_id = to.rule_id;
    r.flags = flags;
    r.worker = static_cast<std::uint8_t>(worker_);
    r.reserved = 0;
    if (packet != nullptr) {
      // The header and the captured bytes only, not the whole 2 KiB.
      rte_memcpy(&r.packet, packet, offsetof(CapturedPacket, bytes) + packet->cap_len);
    } else {
      r.packet.timestamp_ns = 0;
      r.packet.orig_len = 0;
      r.packet.cap_len = 0;
    }
  });
  if (!written) counters_.evidence.records_dropped.add();
}

}  // namespace segward::dataplane
