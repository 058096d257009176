// api.tls: the API over HTTPS with a certificate made here by the openssl
// CLI; unusable certificate files refuse to start.
#include <gtest/gtest.h>

#include <cstdlib>

#include "platform/startup_error.h"
#include "tests/unit/api/api_test_support.h"

namespace segward::api::testing {
namespace {

class ApiTlsTest : public ApiFixture {
 protected:
  void SetUp() override {
    cert = dir.file("cert.pem");
    key = dir.file("key.pem");
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout '" +
                                key + "' -out '" + cert + "' 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  std::string cert, key;
};

TEST_F(ApiTlsTest, AnswersOverHttpsWithTheCertificate) {
  start(fake_handlers(log, evidence_file), cert, key);
  httplib::SSLClient c("localhost", server->port());
  c.set_ca_cert_path(cert.c_str());
  c.enable_server_certificate_verification(true);
  c.set_bearer_token_auth(kReadToken);
  auto r = c.Get("/api/v1/status");
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(c.Get("/healthz")->body, R"({"status":"ok"})");
  // Plain HTTP on the TLS port gets no answer.
  httplib::Client plain("127.0.0.1", server->port());
  plain.set_read_timeout(3);
  EXPECT_FALSE(plain.Get("/healthz"));
}

TEST_F(ApiTlsTest, UnusableCertificateFilesRefuseToStart) {
  config.listen = {"127.0.0.1", 0};
  config.tokens_path = dir.write("tokens", token_file_text());
  config.tls_cert = dir.file("missing.pem");
  config.tls_key = key;
  {
    ApiServer s(config, state, {});
    EXPECT_THROW(s.start(), StartupError);
  }
  config.tls_cert = dir.write("garbage.pem", "not a certificate\n");
  ApiServer s(config, state, {});
  try {
    s.start();
    FAIL() << "started with a garbage certificate";
  } catch (const StartupError& e) {
    EXPECT_NE(std::string(e.what()).find("garbage.pem"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace segward::api::testing
