// EVE `mesos` events: Suricata's envelope, the mesos object with only the
// fields the request carried, PID checks, cut fields, and app_proto on flows.
#include <gtest/gtest.h>

#include <memory>

#include "mgmt/event_renderer.h"
#include "tests/unit/mgmt/eve_test_support.h"

namespace segward::mgmt {
namespace {

using testing::eve_line;

std::unique_ptr<dataplane::L7EventRecord> spoofed_unregister() {
  auto r = std::make_unique<dataplane::L7EventRecord>();
  r->timestamp_ns = 1795519869'123456000ULL;
  r->flow_id = 7;
  r->endpoints.src_ip = {192, 0, 2, 20};
  r->endpoints.dst_ip = {192, 0, 2, 10};
  r->endpoints.src_port = 50088;
  r->endpoints.dst_port = 5050;
  mesos::MesosEvent& m = r->mesos;
  m.kind = mesos::MesosKind::kLibprocess;
  m.endpoint_class = mesos::EndpointClass::kMutating;
  m.pid_check = mesos::PidCheck::kDiffers;
  m.body_encoding = mesos::BodyEncoding::kProtobuf;
  m.message.assign("mesos.internal.UnregisterFrameworkMessage");
  m.endpoint.assign("/master");
  m.receiver.assign("master");
  m.from_pid.assign("scheduler(1)@203.0.113.66:36483");
  m.http.method.assign("POST");
  m.http.uri.assign("/master/mesos.internal.UnregisterFrameworkMessage");
  m.http.status = 202;
  m.framework.present = true;
  m.framework.id.assign("f-0000");
  m.body_bytes = 45;
  return r;
}

TEST(MesosEve, LibprocessMessageWithASpoofedPid) {
  events::Event e;
  render_mesos_event(*spoofed_unregister(), {"outside"}, e);
  EXPECT_EQ(
      R"({"timestamp":"2026-11-24T11:31:09.123456+0000","flow_id":7,"in_iface":"outside","event_type":"mesos",)"
      R"("src_ip":"192.0.2.20","src_port":50088,"dest_ip":"192.0.2.10","dest_port":5050,"proto":"TCP",)"
      R"("app_proto":"mesos","mesos":{"kind":"libprocess","message":"mesos.internal.UnregisterFrameworkMessage",)"
      R"("endpoint":"/master","endpoint_class":"mutating","receiver":"master",)"
      R"("from_pid":"scheduler(1)@203.0.113.66:36483","pid_ip_matches_source":false,"pid_check":"differs",)"
      R"("framework":{"id":"f-0000"},"auth_scheme":"none",)"
      R"("http":{"method":"POST","uri":"/master/mesos.internal.UnregisterFrameworkMessage","status":202},)"
      R"("decode_status":"ok","body_bytes":45,"direction":"request","body_encoding":"protobuf"}})",
      eve_line(e, "mesos_spoof.json"));
}

TEST(MesosEve, NoPidMeansNoPidVerdict) {
  auto r = spoofed_unregister();
  r->mesos.kind = mesos::MesosKind::kApi;
  r->mesos.pid_check = mesos::PidCheck::kNotApplicable;
  r->mesos.from_pid.clear();
  events::Event e;
  render_mesos_event(*r, {}, e);
  EXPECT_FALSE(e.mesos().has_pid_ip_matches_source());
  EXPECT_FALSE(e.mesos().has_pid_check());
  EXPECT_FALSE(e.mesos().has_from_pid());
  EXPECT_TRUE(e.in_iface().empty());  // port index outside the list: no name invented
}

TEST(MesosEve, CutFieldsRolesCapabilitiesAndFlags) {
  auto r = spoofed_unregister();
  mesos::MesosEvent& m = r->mesos;
  m.framework.roles.assign("web,batch");
  m.framework.capabilities = (1u << 5) | (1u << 6);  // PARTITION_AWARE, MULTI_ROLE
  m.task.present = true;
  m.task.command.assign(std::string(400, 'x'));
  m.flags = static_cast<std::uint32_t>(mesos::MesosFlag::kBadPercentEscape);
  m.status = mesos::DecodeStatus::kBodyTooLarge;
  events::Event e;
  render_mesos_event(*r, {}, e);
  const events::Mesos& out = e.mesos();
  ASSERT_EQ(2, out.framework().roles_size());
  EXPECT_EQ("batch", out.framework().roles(1));
  ASSERT_EQ(2, out.framework().capabilities_size());
  EXPECT_EQ("PARTITION_AWARE", out.framework().capabilities(0));
  EXPECT_EQ("MULTI_ROLE", out.framework().capabilities(1));
  EXPECT_EQ(256u, out.task().command().size());
  ASSERT_EQ(1, out.truncated_size());
  EXPECT_EQ("task.command", out.truncated(0));
  ASSERT_EQ(1, out.flags_size());
  EXPECT_EQ(std::string(mesos::mesos_flag_name(mesos::MesosFlag::kBadPercentEscape)), out.flags(0));
  EXPECT_TRUE(out.body_too_large());
  EXPECT_EQ("body_too_large", out.decode_status());
}

TEST(MesosEve, FlowEventsNameTheirApplicationProtocol) {
  dataplane::FlowRecord f{};
  f.key.proto = 6;
  f.session = dataplane::kNoSession;
  events::Event e;
  f.app = dataplane::AppProto::kMesos;
  render_flow_event(f, {}, e);
  EXPECT_EQ("mesos", e.app_proto());
  f.app = dataplane::AppProto::kNone;
  render_flow_event(f, {}, e);
  EXPECT_EQ("", e.app_proto());
}

}  // namespace
}  // namespace segward::mgmt
