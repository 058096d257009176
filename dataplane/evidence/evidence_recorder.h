#pragma once
// Evidence capture on one worker: keeps the recent packets of the flows that
// may alert (those with an L7 session, and any flow once it alerted) in a
// PacketHistory and, when one of them raises an alert, hands the flow's
// packets before it, the alerting packet and the next `packets_after` ones
// (both directions) to the management thread through an EvidenceRing, which
// writes them as the alert's pcapng file.
//
// Cost: a flow is recorded when Flow::policy_flags has kPolicyEvidence; any
// other packet pays the worker's one test of that bit. A recorded packet
// costs a copy of its frame into the history. The memory is the history's,
// taken at start-up; a flow that finds it full is not recorded (counted) and
// an alert on it still gets its alerting packet and nothing more.
#include <array>
#include <cstdint>
#include <vector>

#include "dataplane/evidence/evidence_record.h"
#include "dataplane/evidence/packet_history.h"
#include "dataplane/flow.h"
#include "dataplane/worker_counters.h"

namespace segward::dataplane {

struct EvidenceLimits {
  std::uint32_t packets_before = 16;  // the alerting packet included
  std::uint32_t packets_after = 16;
  std::size_t memory_bytes = 16u << 20;
};

class EvidenceRecorder {
 public:
  // `lossless`: wait for the management thread when the ring is full
  // (replay) instead of dropping and counting (live).
  EvidenceRecorder(const EvidenceLimits& limits, std::uint32_t flow_capacity, unsigned worker, EvidenceRing& ring,
                   WorkerCounters& counters, bool lossless, int socket_id);

  // WorkerPolicy raised alert `alert_id` (signature `rule_id`) on `flow`,
  // on the packet being processed or, from the L7 engine's last words, as
  // the flow ends: its evidence starts with the next on_packet or
  // flow_ended of this flow, whichever comes first (one always does). False
  // when this alert gets no evidence (too many alerts on one packet).
  bool alerted(Flow& flow, std::uint64_t alert_id, std::uint32_t rule_id);

  // A packet of `flow` (table position `position`) with kPolicyEvidence set,
  // after its verdict: `frame_len` bytes at `frame` of `orig_len` on the wire.
  void on_packet(std::uint32_t position, Flow& flow, const std::uint8_t* frame, std::uint32_t frame_len,
                 std::uint32_t orig_len, std::uint64_t timestamp_ns, int dir);

  // The flow at `position` ended (after the L7 engine closed its session):
  // its open evidence is complete and its slot free.
  void flow_ended(std::uint32_t position, std::uint64_t flow_id);

  // After the loop stopped: records are never dropped any more.
  void set_stopping() { lossless_ = true; }

  [[nodiscard]] const PacketHistory& history() const { return history_; }

 private:
  struct Pending {
    std::uint64_t alert_id;
    std::uint32_t rule_id;
  };
  // The evidence a slot's flow is writing after its alert.
  struct Open {
    std::uint64_t alert_id = 0;
    std::uint64_t flow_id = 0;
    std::uint32_t rule_id = 0;
    std::uint32_t after_left = 0;  // 0: none open
  };
  static constexpr unsigned kMaxPending = 4;

  // Starts the evidence of every pending alert from `slot`'s history
  // (kNoSlot: only `alerting`, if any), the newest packet being `alerting`.
  void start_pending(std::uint32_t slot, std::uint64_t flow_id, const CapturedPacket* alerting);
  void send(const Open& to, const CapturedPacket* packet, std::uint8_t flags);
  void finish(Open& open);

  EvidenceLimits limits_;
  unsigned worker_;
  EvidenceRing& ring_;
  WorkerCounters& counters_;
  bool lossless_;
  PacketHistory history_;
  std::vector<Open> open_;  // by slot
  CapturedPacket alone_{};  // the alerting packet of a flow the history has no room for
  std::array<Pending, kMaxPending> pending_{};
  unsigned pending_count_ = 0;
};

}  // namespace segward::dataplane
