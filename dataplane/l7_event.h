#pragma once
// An application-layer event on its way from a worker to the management
// thread: the decoder's typed event plus where it was seen. Fixed size,
// copied whole into the L7 event ring.
#include <array>
#include <cstdint>

#include "decoders/libprocess/mesos_event.h"

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

enum class L7EventKind : std::uint32_t { kMesos = 1 };

struct L7EventRecord {
  L7EventKind kind = L7EventKind::kMesos;
  std::uint32_t worker = 0;
  std::uint64_t timestamp_ns = 0;
  std::uint64_t flow_id = 0;
  L7Endpoints endpoints;
  mesos::MesosEvent mesos;
};

}  // namespace segward::dataplane
