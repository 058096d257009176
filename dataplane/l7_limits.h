#pragma once
// The memory and size limits of application-layer decoding on one worker,
// from the config's `l7:` section. Everything here is allocated once at
// start-up; under pressure, decoding gives up coverage (counted), never
// grows.
#include <cstdint>
#include <utility>
#include <vector>

#include "dataplane/flow.h"

#include "decoders/http/http_message.h"
#include "decoders/stream/stream_reassembler.h"
#include "decoders/zookeeper/zk_connection.h"

namespace segward::dataplane {

struct L7Limits {
  bool enabled = true;
  std::uint32_t sessions = 4096;                       // TCP connections decoded at once, per worker
  std::uint64_t reassembly_bytes = 64ULL << 20;        // out-of-order bytes held, per worker
  stream::ReassemblyLimits per_direction;              // out-of-order bytes held, per direction
  std::uint64_t body_bytes = 32ULL << 20;              // message bodies held until complete, per worker
  std::uint32_t body_limit = 1U << 20;                 // one message body; larger: mesos.body_too_large
  http::HttpLimits http;
  std::uint8_t probe_packets = 8;  // payload packets a flow may show before it is judged undecodable

  std::uint32_t zookeeper_sessions = 512;   // ZooKeeper connections decoded at once, per worker
  zookeeper::ZkLimits zookeeper;
  std::uint32_t tls_sessions = 1024;        // TLS handshakes decoded at once, per worker (freed once encrypted)

  // Server ports and the protocol they are meant to carry; a connection that
  // shows another one is reported (EVE anomaly). Replaced whole by the
  // config's l7.expected.
  std::vector<std::pair<std::uint16_t, AppProto>> expected = {
      {443, AppProto::kTls}, {2281, AppProto::kTls}, {8443, AppProto::kTls}, {2181, AppProto::kZookeeper}};
};

}  // namespace segward::dataplane
