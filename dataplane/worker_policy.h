#pragma once
// The allowlist and the signatures on one worker: gives each flow its rule
// once (on its first packet, and again after a reload), turns the rule's
// action into each packet's verdict, raises alerts, and sends TCP resets.
// The L7 engine reports the messages that break a rule's L7 conditions here
// (violation), and hands every decoded message to the signature rules
// (inspect).
//
// Per packet of a classified flow this costs a generation compare, a switch
// on the flow's action and one counter; classification (rte_acl) runs once
// per flow. Tap mode never drops or resets: every decision is an alert with
// action "allowed".
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <cstdint>

#include "dataplane/alert_summaries.h"
#include "dataplane/event_ring.h"
#include "dataplane/evidence/evidence_recorder.h"
#include "dataplane/flow.h"
#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy_handle.h"
#include "dataplane/worker_counters.h"
#include "decoders/net/packet_layers.h"
#include "signatures/rule_set.h"
#include "signatures/threshold_table.h"

namespace segward::dataplane {

struct PortLink;

class WorkerPolicy {
 public:
  // `alerts` may be null only when no policy is ever published. `pool`
  // gives the mbufs of TCP resets (inline).
  WorkerPolicy(unsigned worker, bool inline_mode, std::uint16_t queue, L7EventRing* alerts, WorkerCounters& counters,
               rte_mempool* pool, bool lossless);

  // Once per loop pass, with what the policy handle holds now.
  void begin_pass(const policy::PolicySnapshot* snapshot) {
    snapshot_ = snapshot;
    policy_ = snapshot != nullptr ? snapshot->policy : nullptr;
    generation_ = snapshot != nullptr ? snapshot->generation : 0;
    rules_ = snapshot != nullptr ? snapshot->rules : nullptr;
    if (snapshot != nullptr && snapshot->rules_generation != rules_generation_) [[unlikely]] rules_changed();
    if (!summaries_.empty()) [[unlikely]] flush_summaries();
  }
  [[nodiscard]] bool active() const { return policy_ != nullptr; }
  [[nodiscard]] const policy::CompiledPolicy& policy() const { return *policy_; }
  // From now on alerts wait for room in the ring; pending summaries go first.
  void set_stopping() {
    lossless_ = true;
    flush_summaries();
  }
  // Alerts get evidence from `evidence` (null: none).
  void set_evidence(EvidenceRecorder* evidence) { evidence_ = evidence; }

  // Before the flow's L7 decoding: a flow without a rule under the running
  // policy gets one (and its alert, if the rule's action is not allow).
  // `layers()`: the packet being processed, decoded (on demand: a packet of
  // a classified flow never needs it); `from_client`: it travels from the
  // flow's client to its server.
  template <class Layers>
  void judge_flow(Flow& flow, Layers&& layers, bool from_client, std::uint64_t now_ns) {
    if ((flow.policy_flags & kPolicyClassified) != 0 && flow.policy_generation == generation_) [[likely]] return;
    classify(flow, layers(), from_client, now_ns);
  }

  // The flow's rule has L7 conditions the L7 engine must check.
  [[nodiscard]] bool wants_l7(const Flow& flow) const {
    return policy_ != nullptr && (flow.policy_flags & kPolicyViolated) == 0 &&
           (flow.policy_flags & kPolicyClassified) != 0 && policy_->rule(flow.rule).has_l7;
  }

  // A decoded message of `flow` broke `condition` of its rule: the flow
  // turns to the rule's violation action from this packet on, and an alert
  // carrying the message (written by `fill(L7EventRecord&)` into the union,
  // `trigger` saying which member) is raised.
  template <class Fill>
  void violation(Flow& flow, policy::Condition condition, L7EventKind trigger, const L7Endpoints& from,
                 std::uint64_t now_ns, Fill&& fill);

  // After L7 decoding: what happens to the packet. Sends the resets of a
  // reset flow (inline, TCP, once). Inline here for the common case, an
  // allowed flow: a call per packet cost more than the decision. `layers()`
  // as for judge_flow: only a blocked packet needs it.
  template <class Layers>
  Verdict verdict(Flow& flow, Layers&& layers, const std::uint8_t* frame, const PortLink& link) {
    rule_packets_[rule_slot(flow.rule)].add();
    if (!inline_) return Verdict::kObserve;
    if (flow.enforcement <= static_cast<std::uint8_t>(policy::Action::kAlert)) [[likely]] return Verdict::kForward;
    return block(flow, layers(), frame, link);
  }

  // A decoded message `m` of flow `flow_id` (`flow`: null once the flow
  // has ended), sent by `from`: every signature rule that fires on it
  // raises an alert carrying the message (`fill(L7EventRecord&)` writes it
  // into the union, `trigger` says which member). Costs nothing without rules.
  template <class Fill>
  void inspect(const signatures::MessageView& m, signatures::FlowDirection direction, Flow* flow, AppProto app,
               const L7Endpoints& from, std::uint64_t flow_id, std::uint64_t now_ns, L7EventKind trigger,
               Fill&& fill) {
    if (rules_ == nullptr || !rules_->tests(m.subject)) return;
    counters_.signatures.messages.add();
    rules_->match(m, direction, worker_, [&](std::uint32_t index) {
      fire(index, flow, app, from, flow_id, now_ns, trigger, fill);
    });
  }
  [[nodiscard]] const signatures::RuleSet* rules() const { return rules_; }
  [[nodiscard]] std::uint8_t rules_generation() const { return rules_generation_; }
  // A payload pattern of rule `index` was found in a connection's bytes.
  void payload_match(std::uint32_t index, Flow* flow, AppProto app, const L7Endpoints& from, std::uint64_t flow_id,
                     std::uint64_t now_ns) {
    fire(index, flow, app, from, flow_id, now_ns, static_cast<L7EventKind>(0),
         [](L7EventRecord& r) { r.clear_payload(); });
  }

  // A packet that belongs to no flow (ARP, non-IP, later fragments).
  void unclassified(unsigned packets) {
    if (policy_ != nullptr && packets != 0) counters_.policy.packets_unclassified.add(packets);
  }

 private:
  void classify(Flow& flow, const net::PacketLayers& p, bool from_client, std::uint64_t now_ns);
  // verdict() for a flow whose enforcement is drop or reset (inline).
  Verdict block(Flow& flow, const net::PacketLayers& p, const std::uint8_t* frame, const PortLink& link);
  template <class Fill>
  void raise(Flow& flow, const L7Endpoints& from, std::uint64_t now_ns, policy::Action action,
             policy::Condition condition, L7EventKind trigger, Fill&& fill);
  template <class Fill>
  void fire(std::uint32_t index, Flow* flow, AppProto app, const L7Endpoints& from, std::uint64_t flow_id,
            std::uint64_t now_ns, L7EventKind trigger, Fill&& fill);
  // Writes `alert` into the ring, or folds it into a summary when the ring is full.
  template <class Fill>
  void emit(const PolicyAlert& alert, const L7Endpoints& from, std::uint64_t flow_id, std::uint64_t now_ns,
            Fill&& fill);
  struct AlertTally {
    Counter& alerts;
    Counter& dropped;
    Counter& suppressed;
    Counter& summaries;
  };
  AlertTally tally(AlertSource source) {
    if (source == AlertSource::kSignature) {
      auto& c = counters_.signatures;
      return {c.alerts, c.alerts_dropped, c.alerts_suppressed, c.alert_summaries};
    }
    auto& c = counters_.policy;
    return {c.alerts, c.alerts_dropped, c.alerts_suppressed, c.alert_summaries};
  }
  // Unique in the run without coordination: workers number their own (at most 256 of them).
  std::uint64_t next_alert_id() { return (++alerts_raised_ << 8) | (worker_ & 0xff); }
  void rules_changed();
  void flush_summaries();
  void send_resets(const net::PacketLayers& p, const std::uint8_t* frame, const PortLink& link);
  bool send_reset(const net::PacketLayers& p, const std::uint8_t* frame, bool toward_sender, std::uint16_t port);
  [[nodiscard]] static std::size_t rule_slot(std::uint16_t rule) {
    return rule == policy::kDefaultRule ? WorkerCounters::Policy::kRuleSlots - 1 : rule;
  }

  unsigned worker_;
  bool inline_;
  std::uint16_t queue_;
  L7EventRing* alerts_;
  WorkerCounters& counters_;
  rte_mempool* pool_;
  bool lossless_;
  const policy::PolicySnapshot* snapshot_ = nullptr;
  const policy::CompiledPolicy* policy_ = nullptr;
  std::uint8_t generation_ = 0;  // snapshot_->generation, one load nearer
  Counter* rule_packets_;        // counters_.policy.rule_packets, likewise
  EvidenceRecorder* evidence_ = nullptr;
  const signatures::RuleSet* rules_ = nullptr;
  std::uint8_t rules_generation_ = 0;
  signatures::ThresholdTable thresholds_;
  std::uint64_t alerts_raised_ = 0;  // this worker's alert sequence
  AlertSummaries summaries_;         // alerts the full ring could not take, until it can
};

template <class Fill>
void WorkerPolicy::raise(Flow& flow, const L7Endpoints& from, std::uint64_t now_ns, policy::Action action,
                         policy::Condition condition, L7EventKind trigger, Fill&& fill) {
  if (alerts_ == nullptr) return;
  const bool blocked = inline_ && (action == policy::Action::kDrop || action == policy::Action::kReset);
  const std::uint64_t id = next_alert_id();
  const std::uint32_t rule_id = policy_->rule(flow.rule).id;
  const bool evidence = evidence_ != nullptr && evidence_->alerted(flow, id, rule_id);
  const PolicyAlert alert{rule_id,
                          flow.rule,
                          snapshot_->generation,
                          static_cast<std::uint8_t>(action),
                          static_cast<std::uint8_t>(condition),
                          blocked,
                          flow.app,
                          static_cast<std::uint8_t>(trigger),
                          evidence,
                          id};
  emit(alert, from, flow.flow_id, now_ns, fill);
}

template <class Fill>
void WorkerPolicy::fire(std::uint32_t index, Flow* flow, AppProto app, const L7Endpoints& from,
                        std::uint64_t flow_id, std::uint64_t now_ns, L7EventKind trigger, Fill&& fill) {
  auto& c = counters_.signatures;
  c.matches.add();
  c.rule_matches[std::min<std::size_t>(index, WorkerCounters::Signatures::kRuleSlots - 1)].add();
  const signatures::Rule& rule = rules_->rule(index);
  if (rule.threshold.count > 1) {
    bool evicted = false;
    const auto& address =
        rule.threshold.track == signatures::ThresholdTrack::kBySource ? from.src_ip : from.dst_ip;
    const bool admitted = thresholds_.admit(index, address, rule.threshold, now_ns, evicted);
    if (evicted) c.threshold_evictions.add();
    if (!admitted) {
      c.thresholded.add();
      return;
    }
  }
  if (alerts_ == nullptr) return;
  const std::uint64_t id = next_alert_id();
  const bool evidence = evidence_ != nullptr && flow != nullptr && evidence_->alerted(*flow, id, rule.id);
  PolicyAlert alert{rule.id,
                    static_cast<std::uint16_t>(index),
                    rules_generation_,
                    static_cast<std::uint8_t>(policy::Action::kAlert),
                    0,
                    false,
                    app,
                    static_cast<std::uint8_t>(trigger),
                    evidence,
                    id};
  alert.source = AlertSource::kSignature;
  emit(alert, from, flow_id, now_ns, fill);
}

template <class Fill>
void WorkerPolicy::emit(const PolicyAlert& alert, const L7Endpoints& from, std::uint64_t flow_id,
                        std::uint64_t now_ns, Fill&& fill) {
  const AlertTally counts = tally(alert.source);
  // Behind pending summaries the ring is full anyway: fold this one in too,
  // so that a summary never reports alerts older than one written after it.
  const bool written = summaries_.empty() && alerts_->emplace(lossless_, [&](L7EventRecord& r) {
    r.kind = L7EventKind::kAlert;
    r.worker = worker_;
    r.timestamp_ns = now_ns;
    r.flow_id = flow_id;
    r.endpoints = from;
    r.alert = alert;
    fill(r);
  });
  if (written) {
    counts.alerts.add();
  } else if (summaries_.add(alert, from, flow_id, now_ns)) {
    counts.suppressed.add();
  } else {
    counts.dropped.add();
  }
}

template <class Fill>
void WorkerPolicy::violation(Flow& flow, policy::Condition condition, L7EventKind trigger, const L7Endpoints& from,
                             std::uint64_t now_ns, Fill&& fill) {
  const policy::Action action = policy_->rule(flow.rule).violation;
  counters_.policy.violations[static_cast<std::size_t>(condition)].add();
  if (action != policy::Action::kAlert) {
    flow.policy_flags |= kPolicyViolated;
    // Sticky: once a message was held back, letting the flow go on would let
    // its retransmission through.
    if (static_cast<policy::Action>(flow.enforcement) < action) flow.enforcement = static_cast<std::uint8_t>(action);
  }
  raise(flow, from, now_ns, action, condition, trigger, fill);
}

}  // namespace segward::dataplane
