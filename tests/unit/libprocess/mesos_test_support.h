#pragma once
// Helpers for the Mesos decoder tests (tests/unit/libprocess, tests/unit/mesos_api):
// message bodies built with the generated classes, requests pushed through
// the public entry points, and a scan of a MesosEvent's bytes for secrets.
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/mesos_request.h"
#include "decoders/net/packet_layers.h"

namespace segward::mesos::testing {

using Bytes = std::vector<std::uint8_t>;

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

inline Bytes serialize(const google::protobuf::Message& m) { return to_bytes(m.SerializeAsString()); }

/// Mesos's JSON form: proto field names, enums as names.
inline std::string to_json(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  const auto status = google::protobuf::util::MessageToJsonString(m, &out, options);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return out;
}

inline std::span<const std::uint8_t> span_of(const Bytes& b) { return {b.data(), b.size()}; }
inline std::span<const std::uint8_t> span_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline const net::IpAddress kAgentIp = net::IpAddress::v4_from(10, 0, 0, 2);
inline const net::IpAddress kMasterIp = net::IpAddress::v4_from(10, 0, 0, 1);

struct Request {
  std::string method = "POST";
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  Bytes body;
  std::uint16_t port = 5050;
  net::IpAddress source = kAgentIp;
  bool body_complete = true;
};

inline MesosRequestHead head_of(const Request& r) {
  MesosRequestHead head;
  set_request_line(r.method, r.target, 1, head);
  for (const auto& [name, value] : r.headers) note_request_header(name, value, head);
  return head;
}

inline RequestRoute route_of(const Request& r) { return route_request(head_of(r), r.port); }

inline MesosEvent decode(const Request& r) {
  const MesosRequestHead head = head_of(r);
  const RequestRoute route = route_request(head, r.port);
  MesosEvent event;
  decode_request(head, route, span_of(r.body), r.body_complete, r.source, event);
  return event;
}

/// A libprocess message as libprocess 0.22+ sends it: POST /<receiver>/<name>
/// with User-Agent and Libprocess-From.
inline Request libprocess(std::string receiver, std::string name, Bytes body,
                          std::string from = "slave(1)@10.0.0.2:5051") {
  Request r;
  r.target = "/" + receiver + "/" + name;
  r.headers = {{"User-Agent", "libprocess/" + from}, {"Libprocess-From", from}, {"Connection", "Keep-Alive"},
               {"Host", ""}};
  r.body = std::move(body);
  return r;
}

inline Request libprocess(std::string receiver, const google::protobuf::Message& m,
                          std::string from = "slave(1)@10.0.0.2:5051") {
  return libprocess(std::move(receiver), m.GetTypeName(), serialize(m), std::move(from));
}

/// A v1 API call.
inline Request api_call(std::string target, Bytes body, std::string content_type, std::uint16_t port = 5050) {
  Request r;
  r.target = std::move(target);
  r.headers = {{"Host", "10.0.0.1:5050"}, {"Content-Type", content_type}, {"Accept", "application/json"}};
  r.body = std::move(body);
  r.port = port;
  return r;
}

/// True when `needle` occurs anywhere in the bytes of `event`.
inline bool event_contains(const MesosEvent& event, std::string_view needle) {
  const auto* bytes = reinterpret_cast<const char*>(&event);
  const std::string_view haystack(bytes, sizeof(MesosEvent));
  return haystack.find(needle) != std::string_view::npos;
}

/// Every field a decoder fills, compared (the JSON and protobuf paths must agree).
inline void expect_same_fields(const MesosEvent& a, const MesosEvent& b) {
  EXPECT_EQ(a.call.view(), b.call.view());
  EXPECT_EQ(a.endpoint_class, b.endpoint_class);
  EXPECT_EQ(a.detail.view(), b.detail.view());
  EXPECT_EQ(a.auth_mechanism.view(), b.auth_mechanism.view());
  EXPECT_EQ(a.auth_principal.view(), b.auth_principal.view());
  EXPECT_EQ(a.framework.name.view(), b.framework.name.view());
  EXPECT_EQ(a.framework.user.view(), b.framework.user.view());
  EXPECT_EQ(a.framework.principal.view(), b.framework.principal.view());
  EXPECT_EQ(a.framework.roles.view(), b.framework.roles.view());
  EXPECT_EQ(a.framework.id.view(), b.framework.id.view());
  EXPECT_EQ(a.framework.hostname.view(), b.framework.hostname.view());
  EXPECT_EQ(a.framework.capabilities, b.framework.capabilities);
  EXPECT_EQ(a.framework.checkpoint, b.framework.checkpoint);
  EXPECT_EQ(a.framework.failover, b.framework.failover);
  EXPECT_EQ(a.framework.present, b.framework.present);
  EXPECT_EQ(a.agent.hostname.view(), b.agent.hostname.view());
  EXPECT_EQ(a.agent.id.view(), b.agent.id.view());
  EXPECT_EQ(a.agent.port, b.agent.port);
  EXPECT_EQ(a.agent.cpus, b.agent.cpus);
  EXPECT_EQ(a.agent.mem_mb, b.agent.mem_mb);
  EXPECT_EQ(a.agent.disk_mb, b.agent.disk_mb);
  EXPECT_EQ(a.agent.present, b.agent.present);
  EXPECT_EQ(a.task.name.view(), b.task.name.view());
  EXPECT_EQ(a.task.id.view(), b.task.id.view());
  EXPECT_EQ(a.task.command.view(), b.task.command.view());
  EXPECT_EQ(a.task.image.view(), b.task.image.view());
  EXPECT_EQ(a.task.host_path.view(), b.task.host_path.view());
  EXPECT_EQ(a.task.state.view(), b.task.state.view());
  EXPECT_EQ(a.task.user.view(), b.task.user.view());
  EXPECT_EQ(a.task.count, b.task.count);
  EXPECT_EQ(a.task.privileged, b.task.privileged);
  EXPECT_EQ(a.task.present, b.task.present);
}

}  // namespace segward::mesos::testing
