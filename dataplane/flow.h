#pragma once
// One tracked flow, and the record it leaves behind when it ends.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dataplane/flow_key.h"

namespace segward::dataplane {

inline constexpr std::uint32_t kNoSession = UINT32_MAX;

// What a flow carries, as far as the sensor could tell (EVE app_proto).
enum class AppProto : std::uint8_t {
  kUnknown = 0,  // not decided yet: payload is still being probed
  kNone,         // probed: not a protocol segward decodes (or no session was free)
  kHttp,         // HTTP that is not Mesos (so far)
  kMesos,        // at least one Mesos request
  kZookeeper,    // the ZooKeeper client protocol (or a four-letter word)
  kTls,          // TLS records
};

std::string_view app_proto_name(AppProto app);  // "" for kUnknown/kNone

// The timeout class of a flow; each has its own timeout and its own list.
enum class FlowState : std::uint8_t { kNew = 0, kEstablished = 1, kClosed = 2 };
inline constexpr std::size_t kFlowStateCount = 3;

// Why a flow record was written. Names follow Suricata's EVE `flow.reason`.
enum class FlowEndReason : std::uint8_t { kTimeout = 0, kForced = 1, kShutdown = 2, kTcpReuse = 3 };
inline constexpr std::size_t kFlowEndReasonCount = 4;

std::string_view flow_state_name(FlowState state);
std::string_view flow_end_reason_name(FlowEndReason reason);

inline constexpr std::uint32_t kNoFlow = UINT32_MAX;

// Direction index into per-direction counters: 0 toward the server (from the
// connection's initiator), 1 toward the client.
inline constexpr int kToServer = 0;
inline constexpr int kToClient = 1;

// Two cache lines: the first holds everything a packet updates, so the
// per-packet path touches (and prefetches) one line; the second what only
// creation, list moves and expiry read.
struct alignas(64) Flow {
  // hot: written per packet
  std::uint64_t last_ns = 0;
  std::uint64_t touched_ns = 0;  // when it last moved to its list's tail
  std::uint64_t pkts[2] = {0, 0};
  std::uint64_t bytes[2] = {0, 0};
  FlowState state = FlowState::kNew;
  bool client_is_lo = true;      // the initiator is key.addr_lo/port_lo
  std::uint8_t tcp_flags[2] = {0, 0};  // flags seen per direction (toserver, toclient)
  std::uint8_t port_index = 0;   // port the first packet arrived on
  AppProto app = AppProto::kUnknown;
  std::uint8_t probes = 0;       // payload packets probed for an application protocol
  std::uint8_t policy_generation = 0;  // the policy `rule` was classified by (worker_policy.h)
  std::uint32_t session = kNoSession;  // L7 session (l7_engine.h), if any
  std::uint16_t rule = 0;              // policy rule index (compiled_policy.h), valid for policy_generation
  std::uint8_t enforcement = 0;        // policy::Action now applied to the flow's packets
  std::uint8_t policy_flags = 0;       // kPolicy* below
  // cold
  alignas(64) FlowKey key;
  std::uint64_t flow_id = 0;
  std::uint64_t first_ns = 0;
  std::uint32_t prev = kNoFlow;  // neighbours in its timeout list
  std::uint32_t next = kNoFlow;
};
static_assert(sizeof(Flow) == 128, "two cache lines");
static_assert(offsetof(Flow, policy_flags) == 63, "the policy fields fill the first line");

// Flow::policy_flags.
inline constexpr std::uint8_t kPolicyClassified = 0x01;  // `rule` was set by a policy
inline constexpr std::uint8_t kPolicyAlerted = 0x02;     // the rule's alert for this flow was raised
inline constexpr std::uint8_t kPolicyViolated = 0x04;    // an L7 message broke the rule: sticky across reloads
inline constexpr std::uint8_t kPolicyResetSent = 0x08;   // TCP resets were sent to both ends
// Not a policy state, but the one spare bit of the hot line: the flow's packets
// go to the evidence recorder (dataplane/evidence/evidence_recorder.h).
inline constexpr std::uint8_t kPolicyEvidence = 0x10;
static_assert(offsetof(Flow, key) == 64, "per-packet fields fit the first line");

// What a worker hands to the management thread when a flow ends.
struct FlowRecord {
  FlowKey key;
  std::uint64_t flow_id;
  std::uint64_t first_ns;
  std::uint64_t last_ns;
  std::uint64_t pkts[2];
  std::uint64_t bytes[2];
  FlowState state;
  FlowEndReason reason;
  bool client_is_lo;
  std::uint8_t port_index;
  std::uint8_t tcp_flags[2];
  AppProto app;
  std::uint8_t reserved;
  std::uint32_t session;  // kNoSession, or the L7 session the worker must close with this flow
  std::uint32_t position;  // the flow's entry in its table (kNoFlow: not from a table)
};
static_assert(sizeof(FlowRecord) % 4 == 0, "ring elements must be a multiple of 4 bytes");

inline FlowRecord make_flow_record(const Flow& f, FlowEndReason reason, std::uint32_t position = kNoFlow) {
  return FlowRecord{f.key,
                    f.flow_id,
                    f.first_ns,
                    f.last_ns,
                    {f.pkts[0], f.pkts[1]},
                    {f.bytes[0], f.bytes[1]},
                    f.state,
                    reason,
                    f.client_is_lo,
                    f.port_index,
                    {f.tcp_flags[0], f.tcp_flags[1]},
                    f.app,
                    0,
                    f.session,
                    position};
}

}  // namespace segward::dataplane
