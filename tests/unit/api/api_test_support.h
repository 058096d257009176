#pragma once
// The REST API over real HTTP on loopback: an ApiServer on 127.0.0.1:0 with
// a fresh 0600 token file, a thread standing in for the management thread
// (running the posted commands), and handlers that record what they got.
#include <gtest/gtest.h>
#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>

#include "mgmt/api/api_server.h"

namespace segward::api::testing {

inline constexpr const char* kReadToken = "read-token-0123456789";
inline constexpr const char* kAdminToken = "admin-token-0123456789";

// A private directory under the test temp dir, removed at the end.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::path(::testing::TempDir()) / ("segward-api-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

  // Writes `text` to NAME with `mode`; returns the path.
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
    const std::string p = file(name);
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    ::chmod(p.c_str(), mode);
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string token_file_text() {
  return std::string("# REST API tokens\n\nread ") + kReadToken + "\nadmin " + kAdminToken + "\n";
}

// Runs ApiState's commands as segward's management thread does each loop pass.
class MgmtThread {
 public:
  explicit MgmtThread(ApiState& state)
      : thread_([this, &state] {
          while (!stop_) {
            state.run_commands();
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
          }
        }) {}
  ~MgmtThread() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// What the fake handlers were asked (HTTP and management threads write it).
struct HandlerLog {
  std::mutex mutex;
  std::string applied_yaml;
  std::uint32_t flows_top = 0;
  std::string flows_sort;
  int reloads = 0;
};

// Handlers standing in for the sensor: a policy is "valid" unless it
// contains "bad:", whose error is located as the sensor's are.
inline ApiHandlers fake_handlers(HandlerLog& log, const std::string& evidence_file) {
  ApiHandlers h;
  h.flows = [&log](std::uint32_t top, const std::string& sort) {
    const std::lock_guard lock(log.mutex);
    log.flows_top = top;
    log.flows_sort = sort;
    FlowList list;
    list.set_top(top);
    list.set_sort(sort);
    list.set_active(1);
    FlowEntry& f = *list.add_flows();
    f.set_flow_id(1234567890123ULL);  // beyond 2^32: must print as a JSON number
    f.set_bytes_toserver(99);
    return list;
  };
  const auto check = [](const std::string& yaml) {
    PolicyValidation v;
    v.set_source("policy.yaml");
    if (yaml.find("bad:") != std::string::npos) {
      v.set_valid(false);
      v.set_error("policy.yaml:3:5: rules[0].from: unknown segment 'bad'");
    } else {
      v.set_valid(true);
      v.set_rules(2);
    }
    return v;
  };
  h.validate_policy = check;
  h.apply_policy = [&log, check](const std::string& yaml) {
    const std::lock_guard lock(log.mutex);
    log.applied_yaml = yaml;
    return check(yaml);
  };
  h.get_policy = [] {
    PolicyReply p;
    p.set_source("policy.yaml");
    p.set_generation(1);
    p.set_text("rules: []\n");
    return p;
  };
  h.reload_policy = [&log, check] {
    const std::lock_guard lock(log.mutex);
    ++log.reloads;
    return check("");
  };
  h.learn_status = [] { return LearnStatus{}; };
  h.learn_proposal = []() -> std::string { throw std::runtime_error("no learn run has ended yet"); };
  h.evidence_path = [evidence_file](std::uint64_t id) { return id == 7 ? evidence_file : std::string(); };
  return h;
}

// An ApiServer with fake handlers, started on an ephemeral loopback port.
class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override { start(fake_handlers(log, evidence_file)); }

  void start(ApiHandlers handlers, const std::string& cert = {}, const std::string& key = {}) {
    server.reset();
    config.listen = {"127.0.0.1", 0};
    config.tokens_path = dir.write("tokens", token_file_text());
    config.tls_cert = cert;
    config.tls_key = key;
    server = std::make_unique<ApiServer>(config, state, std::move(handlers));
    server->start();
    ASSERT_NE(server->port(), 0);
  }

  // A client; `token` empty: none sent.
  [[nodiscard]] httplib::Client client(const std::string& token = {}) const {
    httplib::Client c("127.0.0.1", server->port());
    c.set_connection_timeout(5);
    c.set_read_timeout(15);
    if (!token.empty()) c.set_bearer_token_auth(token.c_str());
    return c;
  }

  TempDir dir{::testing::UnitTest::GetInstance()->current_test_info()->name()};
  std::string evidence_file = dir.file("alert-7.pcapng");
  HandlerLog log;
  ApiConfig config;
  ApiState state{100};
  MgmtThread mgmt{state};
  std::unique_ptr<ApiServer> server;
};

// Parses a JSON body into `M`; fails the test when it does not parse.
template <class M>
M parse(const std::string& json) {
  M m;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &m);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return m;
}

}  // namespace segward::api::testing
