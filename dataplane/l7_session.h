#pragma once
// The application-layer state of one TCP connection that looks like HTTP:
// both directions' reassembly, the HTTP request/response pair, and the Mesos
// request being collected. Sessions come from a fixed pool (l7_engine.h);
// a Flow names its session by index.
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

namespace segward::dataplane {

struct L7Session {
  // Index 0: the direction that carries requests (usually the connection's
  // initiator to the server), 1: responses.
  std::array<stream::StreamReassembler, 2> streams{};
  stream::DirectionCounters stream_counters{};  // this connection's, summed into the worker's at the end
  http::HttpExchange http;
  int requests_dir = 0;  // the flow direction (kToServer/kToClient) that carries requests

  // Where events of this connection come from: the request sender -> server
  // (dst_port is the server's port, which routing needs).
  L7Endpoints requests_from;
  std::uint64_t flow_id = 0;
  std::uint64_t now_ns = 0;  // engine time of the packet being processed

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
  std::uint32_t next_free = kNoSession;
};

}  // namespace segward::dataplane
