// Every HTTP request of a real capture made by tests/data/make-mesos-capture.sh:
// mesos-go 0.0.6's libprocess messenger and v0 scheduler driver (CRAM-MD5,
// registration, offers, a launch, a status update and its acknowledgement,
// a v1 ACCEPT), curl spoofing scheduler PIDs, and curl against the v1 APIs
// and legacy endpoints. data/mesos_capture_requests.txt holds the client
// bytes of each request as tshark reassembled them:
//   "<source ip> <destination port> <length>\n" <raw request> "\n"
// The expectations come from the capture's sent.jsonl (what the programs
// logged they sent).
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decoders/net/packet_layers.h"
#include "decoders/libprocess/upid.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;

struct Captured {
  net::IpAddress source;
  std::uint16_t port = 0;
  std::string raw;
};

std::vector<Captured> load() {
  std::ifstream in(std::string(SEGWARD_SOURCE_DIR) + "/tests/unit/libprocess/data/mesos_capture_requests.txt",
                   std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<Captured> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t nl = data.find('\n', pos);
    const std::string line = data.substr(pos, nl - pos);
    char ip[32] = {};
    unsigned port = 0;
    std::size_t length = 0;
    if (std::sscanf(line.c_str(), "%31s %u %zu", ip, &port, &length) != 3) break;
    Captured c;
    std::array<std::uint8_t, 4> v4{};
    EXPECT_TRUE(parse_ipv4(ip, v4));
    c.source = net::IpAddress::v4_from(v4[0], v4[1], v4[2], v4[3]);
    c.port = static_cast<std::uint16_t>(port);
    c.raw = data.substr(nl + 1, length);
    out.push_back(std::move(c));
    pos = nl + 1 + length + 1;
  }
  return out;
}

// What an HTTP parser hands the decoder: request line, headers, body
// (these requests carry Content-Length or no body).
MesosEvent decode_captured(const Captured& c, RequestRoute* route_out = nullptr) {
  const std::size_t head_end = c.raw.find("\r\n\r\n");
  const std::string head_text = c.raw.substr(0, head_end);
  const std::string body = c.raw.substr(head_end + 4);
  MesosRequestHead head;
  std::size_t line_end = head_text.find("\r\n");
  const std::string request_line = head_text.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = request_line.rfind(' ');
  set_request_line(request_line.substr(0, sp1), request_line.substr(sp1 + 1, sp2 - sp1 - 1), 1, head);
  while (line_end != std::string::npos) {
    const std::size_t next = head_text.find("\r\n", line_end + 2);
    const std::string line = head_text.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
    const std::size_t colon = line.find(':');
    note_request_header(line.substr(0, colon), line.substr(colon + 1), head);
    line_end = next;
  }
  const RequestRoute route = route_request(head, c.port);
  if (route_out != nullptr) *route_out = route;
  MesosEvent e;
  decode_request(head, route, span_of(body), true, c.source, e);
  return e;
}

constexpr std::string_view kFrameworkId = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0000";
constexpr std::string_view kAgentId = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-S0";

class RealTraffic : public ::testing::Test {
 protected:
  void SetUp() override {
    requests_ = load();
    ASSERT_EQ(requests_.size(), 30u);
    for (const Captured& c : requests_) events_.push_back(decode_captured(c));
  }
  const MesosEvent& event(std::size_t i) const { return events_.at(i); }
  std::vector<Captured> requests_;
  std::vector<MesosEvent> events_;
};

TEST_F(RealTraffic, EveryRequestIsMesosAndDecodesCleanly) {
  for (std::size_t i = 0; i < events_.size(); ++i) {
    RequestRoute route;
    decode_captured(requests_[i], &route);
    EXPECT_TRUE(route.is_mesos) << i;
    EXPECT_EQ(event(i).status, DecodeStatus::kOk) << i << " " << event(i).http.uri.view();
  }
}

TEST_F(RealTraffic, MesosGoCramMd5Exchange) {
  const MesosEvent& authenticate = event(0);
  EXPECT_EQ(authenticate.kind, MesosKind::kLibprocess);
  EXPECT_EQ(authenticate.message.view(), "mesos.internal.AuthenticateMessage");
  EXPECT_EQ(authenticate.receiver.view(), "master");
  EXPECT_EQ(authenticate.from_pid.view(), "sasl_authenticatee(2)@192.0.2.20:40091");
  EXPECT_EQ(authenticate.pid_check, PidCheck::kMatches);
  EXPECT_EQ(authenticate.detail.view(), "pid=scheduler(1)@192.0.2.20:35993");
  EXPECT_EQ(authenticate.flags, 0u);  // mesos-go: Libprocess-From, Go's User-Agent

  EXPECT_EQ(event(1).auth_mechanism.view(), "CRAM-MD5");
  EXPECT_EQ(event(2).auth_principal.view(), "segward-principal");
  EXPECT_FALSE(event_contains(event(2), "5a109b2423edbc89271515818e3b7a72"));
  EXPECT_EQ(event(3).auth_mechanism.view(), "CRAM-MD5");
  EXPECT_EQ(event(3).receiver.view(), "sasl_authenticatee(2)");
  EXPECT_EQ(event(3).pid_check, PidCheck::kMatches);
  EXPECT_EQ(event(4).detail.view(), "challenge=<1804289383.1796117530@master.segward.test>");
  EXPECT_EQ(event(5).message.view(), "mesos.internal.AuthenticationCompletedMessage");
}

TEST_F(RealTraffic, MesosGoSchedulerDriver) {
  const MesosEvent& reg = event(6);
  EXPECT_EQ(reg.message.view(), "mesos.internal.RegisterFrameworkMessage");
  EXPECT_EQ(reg.framework.name.view(), "segward-test-framework");
  EXPECT_EQ(reg.framework.user.view(), "nobody");
  EXPECT_EQ(reg.framework.principal.view(), "segward-principal");
  EXPECT_EQ(reg.framework.roles.view(), "segward-role");
  EXPECT_EQ(reg.framework.hostname.view(), "scheduler.segward.test");
  EXPECT_EQ(reg.endpoint_class, EndpointClass::kMutating);

  const MesosEvent& launch = event(7);
  EXPECT_EQ(launch.message.view(), "mesos.internal.LaunchTasksMessage");
  EXPECT_EQ(launch.framework.id.view(), kFrameworkId);
  EXPECT_EQ(launch.task.count, 1);
  EXPECT_EQ(launch.task.name.view(), "segward-task");
  EXPECT_EQ(launch.task.id.view(), "segward-task-0001");
  EXPECT_EQ(launch.task.command.view(), "sleep 1");
  EXPECT_EQ(launch.task.image.view(), "library/busybox:1.36");
  EXPECT_EQ(launch.agent.id.view(), kAgentId);

  EXPECT_EQ(event(8).task.id.view(), "segward-task-0001");
  EXPECT_EQ(event(8).framework.id.view(), kFrameworkId);

  const MesosEvent& accept = event(9);  // the driver's v1 call
  EXPECT_EQ(accept.kind, MesosKind::kApi);
  EXPECT_EQ(accept.api, ApiFamily::kScheduler);
  EXPECT_EQ(accept.call.view(), "ACCEPT");
  EXPECT_EQ(accept.body_encoding, BodyEncoding::kProtobuf);
  EXPECT_EQ(accept.framework.id.view(), kFrameworkId);
  EXPECT_EQ(accept.task.name.view(), "segward-task-accepted");
  EXPECT_EQ(accept.task.id.view(), "segward-task-0002");
  EXPECT_EQ(accept.task.command.view(), "sleep 2");
  EXPECT_EQ(accept.task.image.view(), "library/busybox:1.36");
  EXPECT_EQ(accept.endpoint_class, EndpointClass::kMutating);

  EXPECT_EQ(event(14).message.view(), "mesos.internal.UnregisterFrameworkMessage");
  EXPECT_EQ(event(14).framework.id.view(), kFrameworkId);
  EXPECT_EQ(event(14).pid_check, PidCheck::kMatches);
}

TEST_F(RealTraffic, MesosGoMasterToScheduler) {
  const MesosEvent& registered = event(10);
  EXPECT_EQ(registered.receiver.view(), "scheduler(1)");
  EXPECT_EQ(registered.framework.id.view(), kFrameworkId);
  EXPECT_NE(registered.detail.view().find("master_pid=master@192.0.2.10:5050"), std::string_view::npos);
  EXPECT_EQ(registered.pid_check, PidCheck::kMatches);

  EXPECT_EQ(event(11).message.view(), "mesos.internal.ResourceOffersMessage");
  EXPECT_EQ(event(11).framework.id.view(), kFrameworkId);
  EXPECT_EQ(event(11).agent.id.view(), kAgentId);

  const MesosEvent& update = event(12);
  EXPECT_EQ(update.task.id.view(), "segward-task-0001");
  EXPECT_EQ(update.task.state.view(), "TASK_RUNNING");
  EXPECT_EQ(update.agent.id.view(), kAgentId);
}

TEST_F(RealTraffic, SpoofedPids) {
  const MesosEvent& via_header = event(15);
  EXPECT_EQ(via_header.kind, MesosKind::kLibprocess);
  EXPECT_EQ(via_header.from_pid.view(), "scheduler(1)@203.0.113.66:35993");
  EXPECT_EQ(via_header.pid_check, PidCheck::kDiffers);
  EXPECT_EQ(via_header.framework.id.view(), kFrameworkId);

  const MesosEvent& via_agent = event(16);
  EXPECT_EQ(via_agent.message.view(), "mesos.internal.DeactivateFrameworkMessage");
  EXPECT_EQ(via_agent.from_pid.view(), "scheduler(1)@203.0.113.66:35993");
  EXPECT_EQ(via_agent.pid_check, PidCheck::kDiffers);
  EXPECT_TRUE(has_flag(via_agent.flags, MesosFlag::kPre022Libprocess));
}

TEST_F(RealTraffic, CurlV1Calls) {
  const MesosEvent& subscribe = event(17);
  EXPECT_EQ(subscribe.kind, MesosKind::kApi);
  EXPECT_EQ(subscribe.call.view(), "SUBSCRIBE");
  EXPECT_EQ(subscribe.auth_scheme, AuthScheme::kBasic);
  EXPECT_EQ(subscribe.framework.name.view(), "segward-v1-framework");
  EXPECT_EQ(subscribe.framework.principal.view(), "segward-principal");
  EXPECT_EQ(subscribe.framework.roles.view(), "segward-role");
  EXPECT_EQ(subscribe.body_encoding, BodyEncoding::kJson);
  EXPECT_EQ(event(18).auth_scheme, AuthScheme::kNone);

  const MesosEvent& teardown = event(19);
  EXPECT_EQ(teardown.call.view(), "TEARDOWN");
  EXPECT_EQ(teardown.framework.id.view(), kFrameworkId);
  EXPECT_EQ(teardown.stream_id.view(), "9b1f6c2e-4d3a-4f5b-8e7c-0a1b2c3d4e5f");

  for (std::size_t i : {21u, 22u, 23u}) {
    EXPECT_EQ(event(i).api, ApiFamily::kMasterOperator) << i;
    EXPECT_EQ(event(i).call.view(), "GET_FLAGS") << i;
    EXPECT_EQ(event(i).endpoint_class, EndpointClass::kSecretLeaking) << i;
  }
  EXPECT_EQ(event(23).auth_scheme, AuthScheme::kBearer);
  EXPECT_EQ(event(24).call.view(), "TEARDOWN");
  EXPECT_EQ(event(24).framework.id.view(), kFrameworkId);
  EXPECT_EQ(event(24).endpoint_class, EndpointClass::kMutating);

  // The capture's credentials: segward-principal:segward-secret and a JWT.
  for (const MesosEvent& e : events_) {
    EXPECT_FALSE(event_contains(e, "segward-secret"));
    EXPECT_FALSE(event_contains(e, "c2Vnd2FyZC1wcmluY2lwYWw6c2Vnd2FyZC1zZWNyZXQ"));
    EXPECT_FALSE(event_contains(e, "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"));
  }
}

TEST_F(RealTraffic, CurlLegacyEndpoints) {
  EXPECT_EQ(event(26).kind, MesosKind::kLegacy);
  EXPECT_EQ(event(26).endpoint.view(), "/master/flags");
  EXPECT_EQ(event(26).endpoint_class, EndpointClass::kSecretLeaking);
  EXPECT_EQ(event(27).endpoint.view(), "/files/read");
  EXPECT_EQ(event(27).endpoint_class, EndpointClass::kSecretLeaking);
  EXPECT_EQ(event(28).endpoint.view(), "/master/teardown");
  EXPECT_EQ(event(28).endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(event(28).framework.id.view(), kFrameworkId);
  EXPECT_EQ(event(29).endpoint.view(), "/master/state");
  EXPECT_EQ(event(29).endpoint_class, EndpointClass::kSecretLeaking);
}

}  // namespace
}  // namespace segward::mesos
