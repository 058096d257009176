#pragma once
// The `api:` and `metrics:` sections of segward.yaml (parsed in mgmt/config.cc).
#include <cstdint>
#include <string>

namespace segward::api {

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests; the bound one is logged and in status)
};

struct ApiConfig {
  bool enabled = false;          // the `api:` section is present
  ListenAddress listen;          // api.listen: "HOST:PORT" ([v6]:PORT)
  std::string tokens_path;       // api.tokens: required; mode 0600 (or stricter), lines "ROLE TOKEN"
  std::string tls_cert, tls_key; // api.tls.cert / api.tls.key: both or neither; PEM
  std::uint32_t alert_buffer = 10000;  // api.alert_buffer: alerts kept for GET /api/v1/alerts
  // metrics.listen: a second, unauthenticated listener serving only
  // /metrics (and /healthz), for a Prometheus on a management network.
  // Absent: /metrics is served on the API listener and needs a read token.
  bool metrics_listener = false;
  ListenAddress metrics_listen;
};

}  // namespace segward::api
