#pragma once
// An application-layer event on its way from a worker to the management
// thread: the decoder's typed event plus where it was seen. Fixed size,
// copied whole into the L7 event ring.
#include <algorithm>
#include <array>
#include <cstring>
#include <cstdint>

#include "dataplane/flow.h"
#include "decoders/libprocess/mesos_event.h"
#include "decoders/tls/tls_event.h"
#include "decoders/zookeeper/zk_event.h"

namespace segward::dataplane {

// Who spoke: the sender of the message the event describes (a request's
// client; for a response-stream event, the server).
struct L7Endpoints {
  std::array<std::uint8_t, 16> src_ip{};
  std::array<std::uint8_t, 16> dst_ip{};
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint16_t vlan = 0;
  bool v6 = false;
  std::uint8_t port_index = 0;  // in_iface
};

enum class L7EventKind : std::uint32_t { kMesos = 1, kZookeeper, kTls, kAnomaly, kAlert };

// Client -> server endpoints of `flow`, the client being the lower address
// of the key when `client_is_lo`.
inline L7Endpoints endpoints_from(const Flow& flow, bool client_is_lo) {
  const FlowKey& k = flow.key;
  L7Endpoints from;
  from.src_ip = client_is_lo ? k.addr_lo : k.addr_hi;
  from.dst_ip = client_is_lo ? k.addr_hi : k.addr_lo;
  from.src_port = client_is_lo ? k.port_lo : k.port_hi;
  from.dst_port = client_is_lo ? k.port_hi : k.port_lo;
  from.vlan = k.vlan;
  from.v6 = k.v6 != 0;
  from.port_index = flow.port_index;
  return from;
}

// Who raised an alert: the allowlist or a signature rule.
enum class AlertSource : std::uint8_t { kPolicy = 0, kSignature = 1 };

// A policy decision worth an alert (kind kAlert): a flow that met an alert,
// drop or reset rule (or default), or a decoded message that broke its
// rule's L7 conditions; then the union holds that message (`trigger`).
// Or (source kSignature) a signature rule that fired on a decoded message:
// rule_id is the signature's id, rule its index in the rule set of
// `generation`, action kAlert.
struct PolicyAlert {
  std::uint32_t rule_id = 0;      // the rule's id (signature_id)
  std::uint16_t rule = 0;         // its index in the policy of `generation` (policy::kDefaultRule: the default)
  std::uint8_t generation = 0;    // which loaded policy (the management thread keeps their rule names)
  std::uint8_t action = 0;        // policy::Action the rule (or violation) asks for
  std::uint8_t condition = 0;     // policy::Condition broken; 0: an L3/L4 decision
  bool blocked = false;           // inline and the flow's packets are dropped from this one on
  AppProto app = AppProto::kUnknown;  // what the flow carries so far
  std::uint8_t trigger = 0;       // L7EventKind of the message in the union (kMesos, kZookeeper), 0: none
  bool evidence = false;          // its packets are being written as evidence (mgmt/evidence_writer.h)
  std::uint64_t id = 0;           // unique in the run: (per-worker sequence << 8) | worker
  // A summary (alert_summaries.h): this many alerts like this one (same
  // rule, generation, condition, action) found the ring full between
  // `first_ns` and the record's time; the record's flow is the first of them.
  std::uint32_t suppressed = 0;
  std::uint64_t first_ns = 0;
  AlertSource source = AlertSource::kPolicy;
};

// A connection to a port configured to carry one protocol (l7.expected)
// turned out to carry another (or none segward knows).
struct ProtocolMismatch {
  AppProto expected;
  AppProto detected;  // kNone: no protocol segward decodes
};

struct L7EventRecord {
  L7EventKind kind = L7EventKind::kMesos;
  std::uint32_t worker = 0;
  std::uint64_t timestamp_ns = 0;
  std::uint64_t flow_id = 0;
  L7Endpoints endpoints;
  PolicyAlert alert;  // kind kAlert only
  // One of these, by `kind` (kAlert: by alert.trigger). The events are trivially copyable values the
  // workers write whole (padding included) into the ring slot.
  union {
    mesos::MesosEvent mesos;
    zookeeper::ZkEvent zookeeper;
    tls::TlsEvent tls;
    ProtocolMismatch mismatch;
  };
  static constexpr std::size_t kPayloadBytes =
      std::max({sizeof(mesos::MesosEvent), sizeof(zookeeper::ZkEvent), sizeof(tls::TlsEvent)});
  void clear_payload() { std::memset(static_cast<void*>(&mesos), 0, kPayloadBytes); }
  L7EventRecord() : mesos() {}
};

}  // namespace segward::dataplane
