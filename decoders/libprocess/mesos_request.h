#pragma once
// The Mesos decoders' entry points for one HTTP request (and its response)
// on a flow to or from a Mesos component. Usage, per request:
//
//   MesosRequestHead head;                     // reused: head.reset()
//   set_request_line(method, target, minor, head);
//   for each header: note_request_header(name, value, head);
//   RequestRoute route = route_request(head, server_port);
//   if (!route.is_mesos) -> plain HTTP, no Mesos event;
//   collect the body if route.wants_body (up to the configured cap);
//   decode_request(head, route, body, body_complete, source_ip, event);
//
// What makes a request a libprocess message, how endpoints are normalised
// and classified, and what is read from each body: decoders/mesos_api/README.md.
//
// Every function here is noexcept, allocates nothing and reads only the
// spans and strings it is given. Secrets never reach any struct here: an
// Authorization header is reduced to its scheme.
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/net/packet_layers.h"

namespace segward::mesos {

// The parts of a request head the decoders use. Filled header by header;
// header names compare case-insensitively; a repeated header: the last one
// wins (as libprocess's header map). Values are stored with surrounding
// blanks trimmed, cut to their capacity (truncated set).
struct MesosRequestHead {
  BoundedText<16> method;
  BoundedText<1024> target;
  std::uint8_t version_minor = 1;
  BoundedText<256> user_agent;
  bool has_user_agent = false;
  BoundedText<256> libprocess_from;
  bool has_libprocess_from = false;
  BoundedText<96> content_type;
  BoundedText<32> content_encoding;
  BoundedText<96> message_content_type;  // Message-Content-Type: records of a RecordIO request
  BoundedText<96> accept;
  BoundedText<96> message_accept;        // Message-Accept: records of a streamed response
  BoundedText<128> stream_id;            // Mesos-Stream-Id
  BoundedText<256> host;
  bool has_host = false;
  AuthScheme auth = AuthScheme::kNone;   // Authorization: its scheme only, never the credentials

  // Every byte rewritten, padding included (see MesosEvent::reset); every
  // default is all-zero bytes but version_minor.
  void reset() noexcept {
    std::memset(static_cast<void*>(this), 0, sizeof(*this));
    version_minor = 1;
  }
};

void set_request_line(std::string_view method, std::string_view target, std::uint8_t version_minor,
                      MesosRequestHead& head) noexcept;
void note_request_header(std::string_view name, std::string_view value, MesosRequestHead& head) noexcept;

struct MesosResponseHead {
  std::uint16_t status = 0;
  BoundedText<96> content_type;
  BoundedText<96> message_content_type;
  BoundedText<32> content_encoding;
  BoundedText<128> stream_id;   // Mesos-Stream-Id (SUBSCRIBE answers)
  BoundedText<256> location;    // 307 redirects to the leading master
  bool recordio = false;        // Content-Type: application/recordio

  void reset() noexcept { std::memset(static_cast<void*>(this), 0, sizeof(*this)); }
};

void note_response_header(std::string_view name, std::string_view value, MesosResponseHead& head) noexcept;

/// Whether the response to `request` (the decoded request event) is a
/// RecordIO stream of events, and what its records are encoded in: kJson or
/// kProtobuf; kNone when it is not a stream (not a 200, not a SUBSCRIBE or
/// agent streaming call, or compressed). Decode its records with
/// RecordIoReader and decode_stream_event(request.api, ...).
[[nodiscard]] BodyEncoding response_record_encoding(const MesosEvent& request,
                                                    const MesosResponseHead& response) noexcept;

// What a request is, decided once its head is complete.
struct RequestRoute {
  MesosKind kind = MesosKind::kLegacy;
  ApiFamily api = ApiFamily::kNone;
  EndpointClass endpoint_class = EndpointClass::kUnclassified;  // v1 calls: refined by the call type
  BodyEncoding encoding = BodyEncoding::kNone;  // from Content-Type (libprocess: always protobuf)
  bool is_mesos = false;    // false: plain HTTP that is not Mesos; no event
  bool wants_body = false;  // the body has fields segward decodes (or CVE shapes to check)
  std::uint8_t legacy_body = 0;  // internal: what a legacy endpoint's body carries
  std::int16_t message_type = -1;  // internal: row of the libprocess message table, -1 unknown
  std::uint32_t flags = 0;  // MesosFlag bits of the head
  BoundedText<160> receiver;  // libprocess: the receiver actor id (percent-decoded)
  BoundedText<128> message;   // libprocess: the message type name
  BoundedText<160> endpoint;  // normalised endpoint (libprocess: /<receiver>)
  BoundedText<192> from_pid;  // libprocess: the sender's claimed PID
  BoundedText<256> detail;    // anomalies of the head, in words (CVE shapes)
};

/// Classifies a complete request head. `server_port`: the TCP port the
/// request was sent to (5050 master, 5051 agent decide bare paths; both
/// always count as Mesos).
[[nodiscard]] RequestRoute route_request(const MesosRequestHead& head, std::uint16_t server_port) noexcept;

/// Fills `out` for one complete request (out is reset first). `body`: the
/// whole body when `body_complete`, else the part that was kept (decoded
/// as far as it goes; status kBodyTooLarge, which the caller may replace
/// with kBodyTruncated when the stream lost bytes). body_bytes is
/// body.size(): the caller sets the wire length when it kept less.
/// `source_ip`: the TCP source address, for the PID check.
void decode_request(const MesosRequestHead& head, const RequestRoute& route, std::span<const std::uint8_t> body,
                    bool body_complete, const net::IpAddress& source_ip, MesosEvent& out) noexcept;

/// Media type of a Content-Type value ("application/json; charset=utf-8" -> kJson).
[[nodiscard]] BodyEncoding encoding_of_content_type(std::string_view content_type) noexcept;

}  // namespace segward::mesos
