// The REST API's routes, roles and error answers over real HTTP.
#include <gtest/gtest.h>

#include <google/protobuf/struct.pb.h>

#include <cctype>
#include <fstream>
#include <set>

#include "tests/unit/api/api_test_support.h"

namespace segward::api::testing {
namespace {

// An answer's Error body, checked to be one.
Error error_of(const httplib::Result& r) {
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const Error e = parse<Error>(r->body);
  EXPECT_EQ(static_cast<int>(e.status()), r->status);
  EXPECT_FALSE(e.error().empty());
  EXPECT_FALSE(e.message().empty());
  return e;
}

using ApiServerTest = ApiFixture;

TEST_F(ApiServerTest, HealthNeedsNoToken) {
  auto r = client().Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"status":"ok"})");
}

TEST_F(ApiServerTest, NoTokenAndUnknownTokenAre401WithChallenge) {
  for (const std::string token : {"", "not-a-token-of-the-file"}) {
    auto r = client(token).Get("/api/v1/status");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << token;
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer realm=\"segward\"");
    EXPECT_EQ(error_of(r).error(), "unauthorized");
  }
  // Another scheme is no token either.
  auto r = client().Get("/api/v1/status", {{"Authorization", std::string("Basic ") + kReadToken}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

TEST_F(ApiServerTest, ReadTokenReadsAndAdminImpliesRead) {
  Status s;
  s.set_version("9.9");
  s.set_uptime(5000000000ULL);
  state.set_status(s);
  for (const char* token : {kReadToken, kAdminToken}) {
    auto r = client(token).Get("/api/v1/status");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << token;
    EXPECT_EQ(parse<Status>(r->body).version(), "9.9");
    EXPECT_NE(r->body.find("\"uptime\":5000000000"), std::string::npos) << "64-bit integers are numbers: " << r->body;
    // Defaults print: a client sees every field.
    EXPECT_NE(r->body.find("\"learning\":false"), std::string::npos) << r->body;
  }
}

TEST_F(ApiServerTest, ReadTokenOnAdminRouteIs403AndNothingRuns) {
  auto r = client(kReadToken).Put("/api/v1/policy", "rules: []\n", "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(error_of(r).error(), "forbidden");
  EXPECT_TRUE(log.applied_yaml.empty());
  auto reload = client(kReadToken).Post("/api/v1/policy/reload");
  ASSERT_TRUE(reload);
  EXPECT_EQ(reload->status, 403);
  EXPECT_EQ(log.reloads, 0);
}

TEST_F(ApiServerTest, AdminAppliesPolicyThroughTheManagementThread) {
  auto r = client(kAdminToken).Put("/api/v1/policy", "rules: []\n", "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  const auto v = parse<PolicyValidation>(r->body);
  EXPECT_TRUE(v.valid());
  EXPECT_EQ(v.rules(), 2u);
  const std::lock_guard lock(log.mutex);
  EXPECT_EQ(log.applied_yaml, "rules: []\n");
}

TEST_F(ApiServerTest, RefusedPolicyIs400WithTheLocatedErrorAndTheHandlerSawIt) {
  const std::string yaml = "rules:\n  - from: x\n    bad: 1\n";
  auto r = client(kAdminToken).Put("/api/v1/policy", yaml, "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const Error e = error_of(r);
  EXPECT_EQ(e.error(), "invalid_policy");
  EXPECT_EQ(e.message(), "policy.yaml:3:5: rules[0].from: unknown segment 'bad'");
  {
    const std::lock_guard lock(log.mutex);
    EXPECT_EQ(log.applied_yaml, yaml);
  }
  // validate: the same answer without applying.
  auto v = client(kReadToken).Post("/api/v1/policy/validate", yaml, "application/yaml");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->status, 400);
  EXPECT_EQ(error_of(v).message(), e.message());
  auto ok = client(kReadToken).Post("/api/v1/policy/validate", "rules: []\n", "application/yaml");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_TRUE(parse<PolicyValidation>(ok->body).valid());
}

TEST_F(ApiServerTest, CountersCountEachOutcome) {
  auto c = client();
  ASSERT_TRUE(c.Get("/api/v1/stats"));                                        // 401
  ASSERT_TRUE(client("wrong-token-0123456789").Get("/api/v1/stats"));         // 401
  ASSERT_TRUE(client(kReadToken).Put("/api/v1/policy", "x", "text/yaml"));    // 403
  ASSERT_TRUE(client(kReadToken).Get("/api/v1/nothing-here"));                // 404
  ASSERT_TRUE(client(kReadToken).Get("/api/v1/flows?top=0"));                 // 400
  auto r = client(kReadToken).Get("/api/v1/stats");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const ApiCounters api = parse<StatsReply>(r->body).api();
  EXPECT_EQ(api.unauthorized(), 2u);
  EXPECT_EQ(api.forbidden(), 1u);
  EXPECT_EQ(api.not_found(), 1u);
  EXPECT_EQ(api.bad_requests(), 1u);
  EXPECT_EQ(api.server_errors(), 0u);
  EXPECT_EQ(api.requests(), 5u);  // the ones before this one
  // This one too, once answered: counted before its answer is written.
  EXPECT_EQ(state.counters.requests.load(), 6u);
}

TEST_F(ApiServerTest, UnknownRouteIs404AndWrongMethodIs405) {
  auto nf = client(kReadToken).Get("/api/v2/status");
  ASSERT_TRUE(nf);
  EXPECT_EQ(nf->status, 404);
  EXPECT_EQ(error_of(nf).error(), "not_found");

  auto del = client(kAdminToken).Delete("/api/v1/policy");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, PUT");
  EXPECT_EQ(error_of(del).error(), "method_not_allowed");

  auto post = client(kReadToken).Post("/api/v1/status", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET");
}

TEST_F(ApiServerTest, MissingFeatureIs404SayingWhy) {
  ApiHandlers none;  // e.g. no policy configured
  start(std::move(none));
  auto r = client(kReadToken).Get("/api/v1/policy");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(error_of(r).message().find("no policy is configured"), std::string::npos);
}

TEST_F(ApiServerTest, BadQueryParametersAre400SayingWhich) {
  for (const char* query : {"top=0", "top=1001", "top=ten", "sort=size", "tpo=5", "top=5&top=6"}) {
    auto r = client(kReadToken).Get(std::string("/api/v1/flows?") + query);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << query;
    EXPECT_EQ(error_of(r).error(), "bad_request");
  }
  for (const char* query : {"severity=4", "limit=0", "limit=10001", "since=yesterday", "since=2026-13-01T00:00:00"}) {
    auto r = client(kReadToken).Get(std::string("/api/v1/alerts?") + query);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << query;
  }
  auto ok = client(kReadToken).Get("/api/v1/flows?top=3&sort=age");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(log.flows_top, 3u);
  EXPECT_EQ(log.flows_sort, "age");
  EXPECT_NE(ok->body.find("\"flow_id\":1234567890123"), std::string::npos) << ok->body;
  auto defaults = client(kReadToken).Get("/api/v1/flows");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(log.flows_top, 20u);
  EXPECT_EQ(log.flows_sort, "bytes");
}

TEST_F(ApiServerTest, BodyOver1MiBIs413AndNotApplied) {
  const std::string big((1 << 20) + 1, 'x');
  auto r = client(kAdminToken).Put("/api/v1/policy", big, "application/yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(error_of(r).error(), "payload_too_large");
  // Chunked (no Content-Length): httplib does not limit these itself.
  auto chunked = client(kAdminToken).Put(
      "/api/v1/policy",
      [&big](std::size_t offset, httplib::DataSink& sink) {
        if (offset < big.size()) {
          sink.write(big.data() + offset, std::min<std::size_t>(65536, big.size() - offset));
        } else {
          sink.done();
        }
        return true;
      },
      "application/yaml");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 413);
  const std::lock_guard lock(log.mutex);
  EXPECT_TRUE(log.applied_yaml.empty());
  EXPECT_EQ(state.counters.bad_requests.load(), 2u);
}

TEST_F(ApiServerTest, AlertsSelectBySequenceTimeAndSeverity) {
  for (int i = 1; i <= 4; ++i) {
    events::Event e;
    e.set_event_type("alert");
    e.set_timestamp("2026-12-01T10:00:0" + std::to_string(i) + ".000000+0000");
    e.mutable_alert()->set_id(100 + i);
    e.mutable_alert()->set_severity(i % 2 == 0 ? 1 : 3);
    state.add_alert(e);
  }
  const auto ids = [&](const std::string& query) {
    auto r = client(kReadToken).Get("/api/v1/alerts" + query);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << query << " " << r->body;
    const auto list = parse<AlertList>(r->body);
    EXPECT_EQ(list.next_since(), 4u);
    std::string out;
    for (const auto& a : list.alerts()) out += std::to_string(a.alert().id()) + " ";
    return out;
  };
  EXPECT_EQ(ids(""), "101 102 103 104 ");
  EXPECT_EQ(ids("?since=2"), "103 104 ");
  EXPECT_EQ(ids("?since=2026-12-01T10:00:03"), "103 104 ");
  EXPECT_EQ(ids("?since=2026-12-01T10:00:03Z"), "103 104 ");
  EXPECT_EQ(ids("?since=2026-12-01T10:00:02.5"), "103 104 ");
  EXPECT_EQ(ids("?severity=1"), "102 104 ");
  EXPECT_EQ(ids("?limit=1"), "104 ");
  // Alerts print as in EVE: 64-bit ids as numbers, absent fields absent.
  auto r = client(kReadToken).Get("/api/v1/alerts?limit=1");
  EXPECT_NE(r->body.find("\"id\":104"), std::string::npos) << r->body;
  EXPECT_EQ(r->body.find("\"src_port\""), std::string::npos) << r->body;
}

TEST_F(ApiServerTest, EvidenceIsServedByteExactOr404SayingWhy) {
  std::string pcapng;
  for (int i = 0; i < 200000; ++i) pcapng.push_back(static_cast<char>((i * 7919) & 0xff));  // NULs included
  std::ofstream(evidence_file, std::ios::binary) << pcapng;
  auto r = client(kReadToken).Get("/api/v1/evidence/7.pcapng");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/x-pcapng");
  EXPECT_TRUE(r->body == pcapng) << "got " << r->body.size() << " bytes of " << pcapng.size();

  auto none = client(kReadToken).Get("/api/v1/evidence/8.pcapng");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_NE(error_of(none).message().find("no evidence for alert 8"), std::string::npos);
  auto bad = client(kReadToken).Get("/api/v1/evidence/x7.pcapng");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto unauthorized = client().Get("/api/v1/evidence/7.pcapng");
  ASSERT_TRUE(unauthorized);
  EXPECT_EQ(unauthorized->status, 401);
}

TEST_F(ApiServerTest, LearnProposalWithoutOneIs404WithTheHandlersReason) {
  auto r = client(kReadToken).Get("/api/v1/learn/proposal");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(error_of(r).message(), "no learn run has ended yet");
}

TEST_F(ApiServerTest, ManagementThreadGoneIs503) {
  state.close();  // as at shutdown: commands are refused
  auto r = client(kReadToken).Get("/api/v1/policy");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(error_of(r).error(), "unavailable");
  EXPECT_EQ(state.counters.server_errors.load(), 1u);
}

TEST_F(ApiServerTest, MetricsNeedAReadTokenOnTheApiListener) {
  auto no = client().Get("/metrics");
  ASSERT_TRUE(no);
  EXPECT_EQ(no->status, 401);
  auto r = client(kReadToken).Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("segward_api_requests_total"), std::string::npos) << r->body;
}

TEST_F(ApiServerTest, MetricsListenerServesMetricsWithoutTokenAndNothingElse) {
  server.reset();
  config.metrics_listener = true;
  config.metrics_listen = {"127.0.0.1", 0};
  server = std::make_unique<ApiServer>(config, state, fake_handlers(log, evidence_file));
  server->start();
  ASSERT_NE(server->metrics_port(), 0);
  ASSERT_NE(server->metrics_port(), server->port());
  httplib::Client m("127.0.0.1", server->metrics_port());
  auto r = m.Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(m.Get("/healthz")->status, 200);
  EXPECT_EQ(m.Get("/api/v1/status")->status, 404);
}

TEST_F(ApiServerTest, RoutesAreExactlyTheOpenApiDocumentsPathsAndMethods) {
  const auto doc = parse<google::protobuf::Struct>(openapi_document());
  EXPECT_EQ(doc.fields().at("openapi").string_value(), "3.0.3");
  std::set<std::string> documented;
  for (const auto& [path, item] : doc.fields().at("paths").struct_value().fields()) {
    for (const auto& [method, operation] : item.struct_value().fields()) {
      std::string m = method;
      for (char& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      // The role is documented too, and matches the security requirement.
      const auto& fields = operation.struct_value().fields();
      const std::string role = fields.at("x-segward-role").string_value();
      EXPECT_EQ(fields.at("security").list_value().values_size() == 0, role == "none") << path;
      documented.insert(m + " " + path + " " + role);
    }
  }
  std::set<std::string> served;
  for (const Route& r : ApiServer::routes()) served.insert(r.method + " " + r.path + " " + r.role);
  EXPECT_EQ(served, documented);
  EXPECT_GE(served.size(), 17u);

  auto r = client(kReadToken).Get("/api/v1/openapi.json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, openapi_document());
  EXPECT_EQ(client().Get("/api/v1/openapi.json")->status, 401);
}

}  // namespace
}  // namespace segward::api::testing
