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

enum class L7EventKind : std::uint32_t { kMesos = 1, kZookeeper, kTls, kAnomaly };

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
  // One of these, by `kind`. The events are trivially copyable values the
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
