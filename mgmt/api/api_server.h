#pragma once
// The REST API (cpp-httplib on its own threads): bearer tokens with two
// roles, JSON bodies rendered from mgmt/proto/api.proto, Server-Sent Events
// for alerts, Prometheus text on /metrics, the OpenAPI document on
// /api/v1/openapi.json. Routes and their roles: see routes() and
// mgmt/api/openapi.json.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mgmt/api/api_config.h"
#include "mgmt/api/api_state.h"

namespace segward::api {

// What the sensor provides. `mgmt` ones are run on the management thread
// (through ApiState::call); the others on the HTTP thread. A null function:
// the feature is not available in this run (the route answers 404 with why,
// e.g. "no policy is configured").
struct ApiHandlers {
  std::function<FlowList(std::uint32_t top, const std::string& sort)> flows;  // HTTP thread; throws Unavailable
  std::function<PolicyReply()> get_policy;                                 // mgmt
  std::function<PolicyValidation(const std::string& yaml)> validate_policy;  // HTTP thread (pure)
  // Validate, compile, swap in, and write to the policy file; valid=false
  // (with the located error) leaves the running policy in place.
  std::function<PolicyValidation(const std::string& yaml)> apply_policy;  // mgmt
  std::function<PolicyValidation()> reload_policy;                        // mgmt: the policy file again (SIGHUP)
  std::function<RulesReply()> reload_rules;                               // mgmt: the signature rule files again (SIGHUP)
  std::function<LearnStatus()> learn_start, learn_stop, learn_status;      // mgmt
  std::function<std::string()> learn_proposal;                            // mgmt: YAML; throws std::runtime_error if none
  // The evidence file of an alert: "" when there is none (yet).
  std::function<std::string(std::uint64_t alert_id)> evidence_path;        // HTTP thread
};

struct Route {
  std::string method;  // GET | PUT | POST
  std::string path;    // as in the OpenAPI document, e.g. /api/v1/evidence/{alert_id}.pcapng
  std::string role;    // none | read | admin
};

class ApiServer {
 public:
  // Reads the token file (throws StartupError with the reason: missing,
  // mode too open, malformed line N). Does not listen yet.
  ApiServer(const ApiConfig& config, ApiState& state, ApiHandlers handlers);
  ~ApiServer();  // stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds (throws StartupError: address in use, TLS files unreadable) and
  // serves on background threads.
  void start();
  // Ends streams (state.close() must have been called or is called here)
  // and joins the threads.
  void stop();

  [[nodiscard]] std::uint16_t port() const;          // the bound API port
  [[nodiscard]] std::uint16_t metrics_port() const;  // 0 without metrics.listen

  // Every route the server answers (the OpenAPI document must list them all).
  [[nodiscard]] static std::vector<Route> routes();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3 document (mgmt/api/openapi.json, embedded at build time).
const std::string& openapi_document();

}  // namespace segward::api
