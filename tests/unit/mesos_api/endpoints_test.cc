// Request targets: v1 API routes, legacy endpoints and their classes,
// normalisation as libprocess routes, and plain HTTP that is not Mesos.
#include <gtest/gtest.h>

#include "decoders/mesos_api/endpoints.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;

EndpointMatch match(std::string_view target, std::uint16_t port = 5050, std::string_view method = "GET") {
  EndpointMatch m;
  match_endpoint(target, method, port, m);
  return m;
}

TEST(Endpoints, V1ApiRoutes) {
  const struct {
    const char* target;
    std::uint16_t port;
    ApiFamily api;
    const char* endpoint;
  } cases[] = {
      {"/api/v1/scheduler", 5050, ApiFamily::kScheduler, "/api/v1/scheduler"},
      {"/master/api/v1/scheduler", 5050, ApiFamily::kScheduler, "/master/api/v1/scheduler"},
      {"/api/v1/scheduler", 5051, ApiFamily::kScheduler, "/api/v1/scheduler"},
      {"/api/v1/scheduler/", 5050, ApiFamily::kScheduler, "/api/v1/scheduler"},
      {"/api/v1/scheduler?x=1", 5050, ApiFamily::kScheduler, "/api/v1/scheduler"},
      {"/%6Daster/api/v1/scheduler", 5050, ApiFamily::kScheduler, "/master/api/v1/scheduler"},
      {"//api//v1/scheduler", 5050, ApiFamily::kScheduler, "/api/v1/scheduler"},
      {"/api/v1/executor", 5051, ApiFamily::kExecutor, "/api/v1/executor"},
      {"/api/v1/executor", 5050, ApiFamily::kExecutor, "/api/v1/executor"},
      {"/slave(1)/api/v1/executor", 5051, ApiFamily::kExecutor, "/slave(1)/api/v1/executor"},
      {"/slave%281%29/api/v1/executor", 5051, ApiFamily::kExecutor, "/slave(1)/api/v1/executor"},
      {"/master/api/v1", 5050, ApiFamily::kMasterOperator, "/master/api/v1"},
      {"/master/api/v1/", 5051, ApiFamily::kMasterOperator, "/master/api/v1"},
      {"/slave(1)/api/v1", 5051, ApiFamily::kAgentOperator, "/slave(1)/api/v1"},
      {"/slave(2)/api/v1", 5050, ApiFamily::kAgentOperator, "/slave(2)/api/v1"},
      {"/api/v1", 5051, ApiFamily::kAgentOperator, "/api/v1"},
      {"/api/v1", 5050, ApiFamily::kMasterOperator, "/api/v1"},
      {"/api/v1", 15050, ApiFamily::kMasterOperator, "/api/v1"},
      {"/api/v1/", 5051, ApiFamily::kAgentOperator, "/api/v1"},
      {"/api/v1?jsonp=x", 5050, ApiFamily::kMasterOperator, "/api/v1"},
      {"/slave(1)/api/v1/resource_provider", 5051, ApiFamily::kResourceProvider, "/slave(1)/api/v1/resource_provider"},
      // longest prefix: the master has no executor route, so its operator API answers
      {"/master/api/v1/executor", 5050, ApiFamily::kMasterOperator, "/master/api/v1"},
  };
  for (const auto& c : cases) {
    const EndpointMatch m = match(c.target, c.port, "POST");
    EXPECT_EQ(m.kind, MesosKind::kApi) << c.target;
    EXPECT_EQ(m.api, c.api) << c.target << " on " << c.port;
    EXPECT_EQ(m.endpoint.view(), c.endpoint) << c.target;
    EXPECT_TRUE(m.known && m.mesos_specific) << c.target;
  }
}

TEST(Endpoints, NormalisationFlags) {
  EXPECT_EQ(match("/master/state").flags, 0u);
  EXPECT_TRUE(has_flag(match("/master/state/").flags, MesosFlag::kNonCanonicalPath));
  EXPECT_TRUE(has_flag(match("/master/state/x").flags, MesosFlag::kNonCanonicalPath));
  EXPECT_EQ(match("/master/state/x").endpoint.view(), "/master/state");
  EXPECT_TRUE(has_flag(match("/%6Daster/state").flags, MesosFlag::kNonCanonicalPath));
  EXPECT_TRUE(has_flag(match("//master/state").flags, MesosFlag::kNonCanonicalPath));
  EXPECT_TRUE(has_flag(match("/master/../master/flags").flags, MesosFlag::kPathDotDot));
  EXPECT_TRUE(has_flag(match("/master/state?jsonp=steal").flags, MesosFlag::kJsonp));
  EXPECT_TRUE(has_flag(match("/master/state?a=1&jsonp").flags, MesosFlag::kJsonp));
  EXPECT_FALSE(has_flag(match("/master/state?notjsonp=1").flags, MesosFlag::kJsonp));
  EXPECT_TRUE(has_flag(match("/mas%zzter/state").flags, MesosFlag::kBadPercentEscape));
  EXPECT_TRUE(has_flag(match("/master/st%zte").flags, MesosFlag::kBadPercentEscape));
  EXPECT_TRUE(has_flag(match("*").flags, MesosFlag::kTargetNotOriginForm));
  EXPECT_EQ(match("/master/state?x").query, "x");
  EXPECT_EQ(match("/master/state?x#frag").path, "/master/state");

  // libprocess decodes only the actor id: the route part must match as sent.
  const EndpointMatch encoded_route = match("/master/st%61te");
  EXPECT_EQ(encoded_route.cls, EndpointClass::kUnclassified);
  EXPECT_EQ(encoded_route.endpoint.view(), "/master/st%61te");
  // A bad escape in the actor: not an actor, so delegated, and no route.
  EXPECT_EQ(match("/mas%zzter/state").endpoint.view(), "/mas%zzter/state");
}

TEST(Endpoints, LegacyTableSamples) {
  const struct {
    const char* target;
    const char* method;
    std::uint16_t port;
    EndpointClass cls;
    const char* endpoint;
  } cases[] = {
      {"/master/flags", "GET", 5050, EndpointClass::kSecretLeaking, "/master/flags"},
      {"/flags", "GET", 5050, EndpointClass::kSecretLeaking, "/flags"},
      {"/slave(1)/flags", "GET", 5051, EndpointClass::kSecretLeaking, "/slave(1)/flags"},
      {"/master/state", "GET", 5050, EndpointClass::kSecretLeaking, "/master/state"},
      {"/%6Daster/state/", "GET", 5050, EndpointClass::kSecretLeaking, "/master/state"},
      {"/state", "GET", 5051, EndpointClass::kSecretLeaking, "/state"},
      {"/master/state.json", "GET", 5050, EndpointClass::kSecretLeaking, "/master/state.json"},
      {"/files/read?path=/master/log", "GET", 5050, EndpointClass::kSecretLeaking, "/files/read"},
      {"/files/download?path=/var/lib/mesos/x", "GET", 5051, EndpointClass::kSecretLeaking, "/files/download"},
      {"/files/browse?path=/", "GET", 5051, EndpointClass::kRead, "/files/browse"},
      {"/master/teardown", "POST", 5050, EndpointClass::kMutating, "/master/teardown"},
      {"/teardown", "POST", 5050, EndpointClass::kMutating, "/teardown"},
      {"/master/machine/down", "POST", 5050, EndpointClass::kMutating, "/master/machine/down"},
      {"/machine/up", "POST", 5050, EndpointClass::kMutating, "/machine/up"},
      {"/master/maintenance/schedule", "POST", 5050, EndpointClass::kMutating, "/master/maintenance/schedule"},
      {"/master/maintenance/schedule", "GET", 5050, EndpointClass::kRead, "/master/maintenance/schedule"},
      {"/master/maintenance/status", "GET", 5050, EndpointClass::kRead, "/master/maintenance/status"},
      {"/master/quota", "POST", 5050, EndpointClass::kMutating, "/master/quota"},
      {"/master/quota", "DELETE", 5050, EndpointClass::kMutating, "/master/quota"},
      {"/master/quota", "GET", 5050, EndpointClass::kRead, "/master/quota"},
      {"/master/weights", "PUT", 5050, EndpointClass::kMutating, "/master/weights"},
      {"/master/weights", "GET", 5050, EndpointClass::kRead, "/master/weights"},
      {"/master/reserve", "POST", 5050, EndpointClass::kMutating, "/master/reserve"},
      {"/master/unreserve", "POST", 5050, EndpointClass::kMutating, "/master/unreserve"},
      {"/master/create-volumes", "POST", 5050, EndpointClass::kMutating, "/master/create-volumes"},
      {"/master/destroy-volumes", "POST", 5050, EndpointClass::kMutating, "/master/destroy-volumes"},
      {"/logging/toggle?level=3&duration=1mins", "GET", 5050, EndpointClass::kMutating, "/logging/toggle"},
      {"/profiler/start", "GET", 5050, EndpointClass::kMutating, "/profiler/start"},
      {"/memory-profiler/download/raw", "GET", 5051, EndpointClass::kMutating, "/memory-profiler/download/raw"},
      {"/health", "GET", 5050, EndpointClass::kRead, "/health"},
      {"/master/health", "GET", 5050, EndpointClass::kRead, "/master/health"},
      {"/version", "GET", 5050, EndpointClass::kRead, "/version"},
      {"/master/redirect", "GET", 5050, EndpointClass::kRead, "/master/redirect"},
      {"/metrics/snapshot", "GET", 5050, EndpointClass::kRead, "/metrics/snapshot"},
      {"/master/state-summary", "GET", 5050, EndpointClass::kRead, "/master/state-summary"},
      {"/master/frameworks", "GET", 5050, EndpointClass::kRead, "/master/frameworks"},
      {"/master/slaves", "GET", 5050, EndpointClass::kRead, "/master/slaves"},
      {"/master/tasks", "GET", 5050, EndpointClass::kRead, "/master/tasks"},
      {"/master/roles", "GET", 5050, EndpointClass::kRead, "/master/roles"},
      {"/__processes__", "GET", 5050, EndpointClass::kRead, "/__processes__"},
      {"/slave(1)/monitor/statistics", "GET", 5051, EndpointClass::kRead, "/slave(1)/monitor/statistics"},
      {"/slave(1)/containers", "GET", 5051, EndpointClass::kRead, "/slave(1)/containers"},
      {"/system/stats.json", "GET", 5051, EndpointClass::kRead, "/system/stats.json"},
      {"/", "GET", 5050, EndpointClass::kRead, "/"},
      {"/master/unknown-route", "GET", 5050, EndpointClass::kUnclassified, "/master/unknown-route"},
  };
  for (const auto& c : cases) {
    const EndpointMatch m = match(c.target, c.port, c.method);
    EXPECT_EQ(m.kind, MesosKind::kLegacy) << c.target;
    EXPECT_EQ(m.cls, c.cls) << c.method << " " << c.target;
    EXPECT_EQ(m.endpoint.view(), c.endpoint) << c.target;
  }
}

TEST(Endpoints, PlainHttpThatIsNotMesos) {
  auto is_mesos = [](std::string target, std::uint16_t port, std::string method = "GET",
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.port = port;
    r.headers = std::move(headers);
    return route_of(r).is_mesos;
  };
  EXPECT_FALSE(is_mesos("/", 80));
  EXPECT_FALSE(is_mesos("/index.html", 8080));
  EXPECT_FALSE(is_mesos("/health", 8080));
  EXPECT_FALSE(is_mesos("/version", 8080));
  EXPECT_FALSE(is_mesos("/state", 8080));
  EXPECT_FALSE(is_mesos("/api/v2/things", 8080, "POST"));
  EXPECT_TRUE(is_mesos("/", 5050));
  EXPECT_TRUE(is_mesos("/index.html", 5051));
  EXPECT_TRUE(is_mesos("/health", 5050));
  EXPECT_TRUE(is_mesos("/master/state", 8080));
  EXPECT_TRUE(is_mesos("/slave(1)/state", 15051));
  EXPECT_TRUE(is_mesos("/api/v1/scheduler", 8080, "POST"));
  EXPECT_TRUE(is_mesos("/files/read?path=x", 8080));
  EXPECT_TRUE(is_mesos("/__processes__", 8080));
  EXPECT_TRUE(is_mesos("/x/y", 31000, "POST", {{"Libprocess-From", "executor(1)@10.0.0.2:33000"}}));

  Request web;
  web.method = "GET";
  web.target = "/";
  web.port = 80;
  const RequestRoute route = route_of(web);
  EXPECT_FALSE(route.wants_body);
  MesosEvent e;
  decode_request(head_of(web), route, {}, true, kAgentIp, e);
  EXPECT_EQ(e.endpoint.view(), "/");
}

TEST(Endpoints, LegacyBodies) {
  Request teardown;
  teardown.target = "/master/teardown";
  teardown.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  teardown.body = to_bytes("frameworkId=fw%2D0001&x=1");
  RequestRoute route = route_of(teardown);
  EXPECT_TRUE(route.wants_body);
  MesosEvent e = decode(teardown);
  EXPECT_EQ(e.kind, MesosKind::kLegacy);
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.framework.id.view(), "fw-0001");
  EXPECT_EQ(e.body_encoding, BodyEncoding::kForm);

  Request reserve;
  reserve.target = "/master/reserve";
  reserve.body = to_bytes("slaveId=S7&resources=%5B%5D");
  e = decode(reserve);
  EXPECT_EQ(e.agent.id.view(), "S7");

  Request down;
  down.target = "/master/machine/down";
  down.headers = {{"Content-Type", "application/json"}};
  down.body = to_bytes("[{\"hostname\":\"agent-7\",\"ip\":\"10.0.0.7\"}]");
  e = decode(down);
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.body_encoding, BodyEncoding::kJson);

  Request quota;
  quota.target = "/master/quota";
  quota.headers = {{"Content-Type", "application/json"}};
  quota.body = to_bytes("{\"role\":\"x\",\"guarantee\":[{\"scalar\":{\"value\":1e999}}]}");
  e = decode(quota);
  EXPECT_TRUE(has_flag(e.flags, MesosFlag::kJsonHugeNumber));

  Request get_state;  // a GET body is not read
  get_state.method = "GET";
  get_state.target = "/master/state";
  EXPECT_FALSE(route_of(get_state).wants_body);
}

TEST(Endpoints, PercentDecode) {
  BoundedText<64> out;
  EXPECT_TRUE(percent_decode("slave%281%29", out));
  EXPECT_EQ(out.view(), "slave(1)");
  out.clear();
  EXPECT_TRUE(percent_decode("a+b%2Bc", out));
  EXPECT_EQ(out.view(), "a b+c");
  for (const char* bad : {"%", "%4", "%zz", "a%g1", "%%41"}) {
    BoundedText<64> o;
    EXPECT_FALSE(percent_decode(bad, o)) << bad;
    EXPECT_FALSE(percent_escapes_valid(bad)) << bad;
  }
  EXPECT_TRUE(percent_escapes_valid("%41%42"));
}

TEST(Endpoints, EveryRowIsReachable) {
  for (const RouteRow& row : route_table()) {
    std::string target = "/";
    if (row.scope == RouteScope::kMaster) target += "master";
    if (row.scope == RouteScope::kAgent) target += "slave(1)";
    if (row.scope == RouteScope::kGlobal) target += std::string(row.actor);
    if (!row.route.empty()) target += "/" + std::string(row.route);
    const EndpointMatch m = match(target, row.scope == RouteScope::kAgent ? 5051 : 5050, "POST");
    EXPECT_TRUE(m.known) << target;
    EXPECT_EQ(m.kind, row.kind) << target;
    EXPECT_EQ(m.api, row.api) << target;
    EXPECT_EQ(m.cls, row.on_other) << target;
    EXPECT_EQ(m.endpoint.view(), target) << target;
  }
}

}  // namespace
}  // namespace segward::mesos
