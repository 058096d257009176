#pragma once
// The memory and size limits of application-layer decoding on one worker,
// from the config's `l7:` section. Everything here is allocated once at
// start-up; under pressure, decoding gives up coverage (counted), never
// grows.
#include <cstdint>

#include "decoders/http/http_message.h"
#include "decoders/stream/stream_reassembler.h"

namespace segward::dataplane {

struct L7Limits {
  bool enabled = true;
  std::uint32_t sessions = 4096;                       // TCP connections decoded at once, per worker
  std::uint64_t reassembly_bytes = 64ULL << 20;        // out-of-order bytes held, per worker
  stream::ReassemblyLimits per_direction;              // out-of-order bytes held, per direction
  std::uint64_t body_bytes = 32ULL << 20;              // message bodies held until complete, per worker
  std::uint32_t body_limit = 1U << 20;                 // one message body; larger: mesos.body_too_large
  http::HttpLimits http;
  std::uint8_t probe_packets = 8;  // payload packets a flow may show before it is judged not HTTP
};

}  // namespace segward::dataplane
