#pragma once
// EVE events as the sensor renders them, built for the learn-mode tests.
#include <cstdint>
#include <string>
#include <vector>

#include "mgmt/proto/events.pb.h"

namespace segward::learn::test {

inline events::Event base_event(const char* type, const std::string& src, std::uint32_t sport, const std::string& dst,
                                std::uint32_t dport, std::uint64_t flow_id, const char* ts) {
  events::Event e;
  e.set_timestamp(ts);
  e.set_flow_id(flow_id);
  e.set_in_iface("pcap0");
  e.set_event_type(type);
  e.set_src_ip(src);
  e.set_src_port(sport);
  e.set_dest_ip(dst);
  e.set_dest_port(dport);
  e.set_proto("TCP");
  return e;
}

inline events::Event flow_event(const std::string& client, std::uint32_t cport, const std::string& server,
                                std::uint32_t sport, std::uint64_t flow_id, const char* app,
                                const char* proto = "TCP") {
  events::Event e = base_event("flow", client, cport, server, sport, flow_id, "2026-12-01T10:00:09.000000+0000");
  e.set_proto(proto);
  if (*app != '\0') e.set_app_proto(app);
  e.mutable_flow()->set_start("2026-12-01T10:00:00.000000+0000");
  e.mutable_flow()->set_end("2026-12-01T10:00:09.000000+0000");
  e.mutable_flow()->set_pkts_toserver(10);
  return e;
}

inline events::Event zk_request(const std::string& client, std::uint32_t cport, const std::string& server,
                                std::uint64_t flow_id, const char* op, const std::string& path,
                                const char* mode = "", const char* ts = "2026-12-01T10:00:01.000000+0000") {
  events::Event e = base_event("zookeeper", client, cport, server, 2181, flow_id, ts);
  e.set_app_proto("zookeeper");
  auto* z = e.mutable_zookeeper();
  z->set_kind("request");
  z->set_op(op);
  if (!path.empty()) z->set_path(path);
  if (*mode != '\0') z->set_mode(mode);
  z->set_replied(true);
  z->set_err("OK");
  return e;
}

inline events::Event zk_word(const std::string& client, std::uint32_t cport, const std::string& server,
                             std::uint64_t flow_id, const char* word) {
  events::Event e = base_event("zookeeper", client, cport, server, 2181, flow_id, "2026-12-01T10:00:02.000000+0000");
  e.set_app_proto("zookeeper");
  e.mutable_zookeeper()->set_kind("four_letter_word");
  e.mutable_zookeeper()->set_four_letter_word(word);
  return e;
}

inline events::Event zk_notification(const std::string& server, const std::string& client, std::uint32_t cport,
                                     std::uint64_t flow_id, const std::string& path) {
  events::Event e = base_event("zookeeper", server, 2181, client, cport, flow_id, "2026-12-01T10:00:03.000000+0000");
  e.set_app_proto("zookeeper");
  e.mutable_zookeeper()->set_kind("notification");
  e.mutable_zookeeper()->set_path(path);
  return e;
}

struct MesosRequest {
  const char* kind = "libprocess";
  const char* message = "";
  const char* call = "";
  const char* endpoint = "";
  const char* api = "";
  const char* receiver = "";
  const char* from_pid = "";
  const char* principal = "";
  std::vector<std::string> roles;
  const char* direction = "request";
};

inline events::Event mesos_event(const std::string& src, std::uint32_t sport, const std::string& dst,
                                 std::uint32_t dport, std::uint64_t flow_id, const MesosRequest& r) {
  events::Event e = base_event("mesos", src, sport, dst, dport, flow_id, "2026-12-01T10:00:04.000000+0000");
  e.set_app_proto("mesos");
  auto* m = e.mutable_mesos();
  m->set_kind(r.kind);
  if (*r.message != '\0') m->set_message(r.message);
  if (*r.call != '\0') m->set_call(r.call);
  if (*r.endpoint != '\0') m->set_endpoint(r.endpoint);
  if (*r.api != '\0') m->set_api(r.api);
  if (*r.receiver != '\0') m->set_receiver(r.receiver);
  if (*r.from_pid != '\0') m->set_from_pid(r.from_pid);
  if (*r.principal != '\0') m->mutable_framework()->set_principal(r.principal);
  for (const auto& role : r.roles) m->mutable_framework()->add_roles(role);
  m->set_direction(r.direction);
  return e;
}

}  // namespace segward::learn::test
