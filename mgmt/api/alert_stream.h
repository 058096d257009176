#pragma once
// GET /api/v1/alerts/stream: Server-Sent Events, one message per alert
//   id: SEQUENCE\nevent: alert\ndata: {the EVE alert object}\n\n
// so that a client that reconnects with Last-Event-ID resumes after the
// last alert it saw, and a `: keepalive` comment when nothing arrived for
// kKeepalive, so that proxies keep the connection and a gone client is
// noticed (the write fails).
#include <chrono>
#include <cstdint>
#include <string>

#include <httplib.h>

#include "mgmt/api/api_state.h"

namespace segward::api {

class AlertStream {
 public:
  static constexpr std::chrono::seconds kKeepalive{10};

  // Alerts with buffer sequence > since and severity <= max_severity (0 any).
  // A `since` beyond the newest alert (a Last-Event-ID from an earlier run
  // of segward, whose sequences started again at 1) starts from now.
  AlertStream(const ApiState& state, std::uint64_t since, std::uint32_t max_severity,
              std::chrono::milliseconds keepalive = kKeepalive);

  // One step of the body: waits for alerts and writes them, or the
  // keepalive comment once the interval passed without any. false: the
  // stream is over (segward is stopping, or the client is gone).
  bool pump(httplib::DataSink& sink);

  [[nodiscard]] std::uint64_t since() const { return since_; }

 private:
  const ApiState& state_;
  std::uint64_t since_;
  std::uint32_t max_severity_;
  std::chrono::milliseconds keepalive_;
  std::chrono::steady_clock::time_point last_write_;
  bool greeted_ = false;
};

}  // namespace segward::api
