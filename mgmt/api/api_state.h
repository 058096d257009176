#pragma once
// What the management thread shares with the REST API's HTTP threads: the
// latest status and counters, the recent alerts (for GET /api/v1/alerts and
// the Server-Sent Events stream), the API's own counters, and a queue of
// commands (policy apply, reload, learn) that must run on the management
// thread because the policy runtime and the learner live there.
//
// Writers: the management thread (set_status, set_stats, add_alert,
// run_commands). Readers: any thread. Everything is copied out under one
// mutex; bodies are small (a stats reply is a few KiB).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "mgmt/proto/api.pb.h"
#include "mgmt/proto/events.pb.h"

namespace segward::api {

// The management thread did not take a command in time (it is stopping, or
// stuck): the API answers 503.
struct Unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ApiState {
 public:
  explicit ApiState(std::size_t alert_capacity = 10000);

  // --- management thread
  void set_status(const Status& status);
  void set_stats(const StatsReply& stats);  // `api` is filled in by stats()
  // Alerts in EVE order. Each gets a buffer sequence (since=, next_since)
  // and wakes the streams; the oldest leaves when the buffer is full.
  void add_alert(const events::Event& alert);
  // Runs the commands HTTP threads have posted (each loop pass).
  void run_commands();
  // Shutdown: streams end, waiting commands fail with Unavailable.
  void close();

  // --- any thread
  [[nodiscard]] Status status() const;
  [[nodiscard]] StatsReply stats() const;  // with counters() filled in
  // Alerts with sequence > since and severity <= max_severity (0: any; 1
  // high .. 3 low), oldest first, at most `limit` (the newest `limit` when
  // more match).
  [[nodiscard]] AlertList alerts(std::uint64_t since, std::uint32_t max_severity, std::size_t limit) const;
  // Alerts are also selectable by time: the sequence of the first alert
  // whose timestamp is >= `eve_timestamp` (EVE format or RFC 3339), minus one.
  [[nodiscard]] std::uint64_t sequence_before(const std::string& eve_timestamp) const;
  // Blocks until an alert with sequence > since arrives, `timeout` passes
  // or close() is called; returns what arrived (maybe nothing).
  [[nodiscard]] AlertList wait_alerts(std::uint64_t since, std::uint32_t max_severity,
                                      std::chrono::milliseconds timeout) const;
  [[nodiscard]] bool closed() const;

  // Runs `task` on the management thread and returns its result (or
  // rethrows its exception). Throws Unavailable when the management thread
  // has not run it within `timeout` (the task is then abandoned: it will not run).
  template <class R>
  R call(std::function<R()> task, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // The API's own counters (HTTP threads increment them).
  struct Counters {
    std::atomic<std::uint64_t> requests{0}, unauthorized{0}, forbidden{0}, bad_requests{0}, not_found{0},
        server_errors{0}, stream_clients{0};
  } counters;

 private:
  struct Command {
    std::function<void()> run;  // fulfils its own promise
    std::shared_ptr<std::atomic<bool>> abandoned;
  };
  void post(Command command);

  mutable std::mutex mutex_;
  mutable std::condition_variable alert_arrived_;
  Status status_;
  StatsReply stats_;
  std::size_t alert_capacity_;
  std::deque<std::pair<std::uint64_t, events::Event>> alerts_;  // (sequence, alert)
  std::uint64_t next_sequence_ = 1;
  std::uint64_t alerts_evicted_ = 0;
  std::deque<Command> commands_;
  bool closed_ = false;
};

template <class R>
R ApiState::call(std::function<R()> task, std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<R>>();
  std::future<R> result = promise->get_future();
  auto abandoned = std::make_shared<std::atomic<bool>>(false);
  post({[task = std::move(task), promise]() {
          try {
            promise->set_value(task());
          } catch (...) {
            promise->set_exception(std::current_exception());
          }
        },
        abandoned});
  if (result.wait_for(timeout) != std::future_status::ready) {
    abandoned->store(true);
    throw Unavailable("the management thread did not answer within " + std::to_string(timeout.count()) + " ms");
  }
  try {
    return result.get();
  } catch (const std::future_error&) {  // close() dropped the command unrun
    throw Unavailable("segward is shutting down");
  }
}

}  // namespace segward::api
