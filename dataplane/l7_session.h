#pragma once
// The application-layer state of one TCP connection, by protocol. Every
// session starts with the same part (both directions' reassembly, who the
// client is, the flow id); the rest is its decoder's state. Sessions come
// from fixed pools, one per protocol (session_pool.h); a Flow names its
// session by index and its AppProto says which pool.
#include <hs/hs.h>

#include <array>
#include <cstdint>

#include "dataplane/body_buffer.h"
#include "dataplane/flow.h"
#include "dataplane/l7_event.h"
#include "decoders/http/http_exchange.h"
#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/mesos_request.h"
#include "decoders/mesos_api/recordio.h"
#include "decoders/mesos_api/v1_call.h"
#include "decoders/stream/stream_reassembler.h"
#include "decoders/tls/tls_connection.h"
#include "decoders/zookeeper/zk_connection.h"

namespace segward::dataplane {

struct L7SessionBase {
  // Index 0: the direction the client speaks in (HTTP: the one that carries
  // requests), 1: the server's.
  std::array<stream::StreamReassembler, 2> streams{};
  stream::DirectionCounters stream_counters{};  // this connection's, summed into the worker's at the end
  int requests_dir = 0;  // the flow direction (kToServer/kToClient) the client speaks in

  // Where events of this connection come from: the client -> the server
  // (dst_port is the server's port, which routing needs).
  L7Endpoints requests_from;
  std::uint64_t flow_id = 0;
  std::uint64_t now_ns = 0;  // engine time of the packet being processed
  std::uint32_t next_free = kNoSession;
  // Signature payload patterns: each side's stream state, from the pool of
  // the rule set of `payload_generation` (stale after a reload: forgotten).
  std::array<hs_stream_t*, 2> payload_streams{};
  std::uint8_t payload_generation = 0;
  std::uint8_t payload_refused = 0;  // bit per side: no stream state was free (counted once)
};

// A ZooKeeper client-port connection (or a four-letter word).
struct ZkSession : L7SessionBase {
  zookeeper::ZkConnection zk;
  bool authenticated = false;  // an AuthPacket or SASL request was seen (zookeeper.auth: required)
};

// A TLS connection, until its clear-text handshake is decoded.
struct TlsSession : L7SessionBase {
  tls::TlsConnection tls;
};

// An HTTP connection: the request/response pair and the Mesos request being
// collected.
struct HttpSession : L7SessionBase {
  http::HttpExchange http;
  bool x_forwarded_for = false;  // the request being parsed carries X-Forwarded-For (ZooKeeper AdminServer)
  // The request being parsed.
  mesos::MesosRequestHead request;
  mesos::RequestRoute route{};
  std::uint64_t request_index = 0;
  std::uint64_t request_ns = 0;
  bool headers_done = false;
  bool body_gap = false;  // bytes of this body were lost
  BodyBuffer request_body;

  // The last decoded request, held until its response status arrives (or
  // the next request completes, or the connection ends).
  mesos::MesosEvent pending{};
  bool pending_valid = false;
  std::uint64_t pending_index = 0;
  std::uint64_t pending_ns = 0;

  // Responses: which request is being answered, and whether it streams
  // RecordIO records (an answer to a v1 SUBSCRIBE).
  http::PairedRequest answering{};
  mesos::MesosResponseHead response;
  bool response_streams = false;
  mesos::ApiFamily stream_api = mesos::ApiFamily::kNone;  // whose event stream it is
  mesos::BodyEncoding stream_encoding = mesos::BodyEncoding::kJson;
  mesos::RecordIoReader recordio;

  bool mesos_seen = false;
};

}  // namespace segward::dataplane
