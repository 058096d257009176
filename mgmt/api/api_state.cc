#include "mgmt/api/api_state.h"

#include <algorithm>

namespace segward::api {

ApiState::ApiState(std::size_t alert_capacity) : alert_capacity_(std::max<std::size_t>(alert_capacity, 1)) {}

void ApiState::set_status(const Status& status) {
  const std::lock_guard lock(mutex_);
  status_ = status;
}

void ApiState::set_stats(const StatsReply& stats) {
  const std::lock_guard lock(mutex_);
  stats_ = stats;
}

void ApiState::add_alert(const events::Event& alert) {
  {
    const std::lock_guard lock(mutex_);
    if (alerts_.size() == alert_capacity_) {
      alerts_.pop_front();
      ++alerts_evicted_;
    }
    alerts_.emplace_back(next_sequence_++, alert);
  }
  alert_arrived_.notify_all();
}

void ApiState::post(Command command) {
  const std::lock_guard lock(mutex_);
  if (closed_) throw Unavailable("segward is shutting down");
  commands_.push_back(std::move(command));
}

void ApiState::run_commands() {
  std::deque<Command> pending;
  {
    const std::lock_guard lock(mutex_);
    pending.swap(commands_);
  }
  for (Command& c : pending) {
    if (!c.abandoned->load()) c.run();
  }
}

void ApiState::close() {
  std::deque<Command> pending;
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    pending.swap(commands_);
  }
  // Abandoned unrun: their callers time out with Unavailable. Dropping the
  // closure breaks its promise, which wakes the caller at once instead.
  pending.clear();
  alert_arrived_.notify_all();
}

bool ApiState::closed() const {
  const std::lock_guard lock(mutex_);
  return closed_;
}

Status ApiState::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

StatsReply ApiState::stats() const {
  StatsReply reply;
  std::size_t buffered = 0;
  std::uint64_t evicted = 0;
  {
    const std::lock_guard lock(mutex_);
    reply = stats_;
    buffered = alerts_.size();
    evicted = alerts_evicted_;
  }
  ApiCounters& c = *reply.mutable_api();
  c.set_requests(counters.requests.load());
  c.set_unauthorized(counters.unauthorized.load());
  c.set_forbidden(counters.forbidden.load());
  c.set_bad_requests(counters.bad_requests.load());
  c.set_not_found(counters.not_found.load());
  c.set_server_errors(counters.server_errors.load());
  c.set_stream_clients(counters.stream_clients.load());
  c.set_alerts_buffered(buffered);
  c.set_alerts_evicted(evicted);
  return reply;
}

namespace {

// Caller holds the mutex.
AlertList select_alerts(const std::deque<std::pair<std::uint64_t, events::Event>>& alerts, std::uint64_t since,
                        std::uint32_t max_severity, std::size_t limit, std::uint64_t next_sequence) {
  AlertList out;
  // Sequences are consecutive: the first one newer than `since` is found by offset.
  const std::uint64_t first = alerts.empty() ? next_sequence : alerts.front().first;
  std::size_t start = since < first ? 0 : static_cast<std::size_t>(since - first + 1);
  std::vector<const events::Event*> chosen;
  for (std::size_t i = start; i < alerts.size(); ++i) {
    const events::Event& e = alerts[i].second;
    if (max_severity != 0 && e.alert().severity() > max_severity) continue;
    chosen.push_back(&e);
  }
  const std::size_t skip = chosen.size() > limit ? chosen.size() - limit : 0;
  for (std::size_t i = skip; i < chosen.size(); ++i) *out.add_alerts() = *chosen[i];
  out.set_next_since(next_sequence - 1);
  return out;
}

}  // namespace

AlertList ApiState::alerts(std::uint64_t since, std::uint32_t max_severity, std::size_t limit) const {
  const std::lock_guard lock(mutex_);
  return select_alerts(alerts_, since, max_severity, limit, next_sequence_);
}

std::uint64_t ApiState::sequence_before(const std::string& eve_timestamp) const {
  // EVE timestamps (2026-11-24T11:31:09.123456+0000) and RFC 3339 ones with
  // a Z compare correctly as text up to the seconds' fraction when both are
  // UTC; the API documents UTC only.
  const std::string key = eve_timestamp.substr(0, std::min<std::size_t>(eve_timestamp.size(), 26));
  const std::lock_guard lock(mutex_);
  for (const auto& [sequence, e] : alerts_) {
    if (e.timestamp().substr(0, key.size()) >= key) return sequence - 1;
  }
  return next_sequence_ - 1;
}

AlertList ApiState::wait_alerts(std::uint64_t since, std::uint32_t max_severity,
                                std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  alert_arrived_.wait_for(lock, timeout, [&] { return closed_ || next_sequence_ - 1 > since; });
  return select_alerts(alerts_, since, max_severity, SIZE_MAX, next_sequence_);
}

}  // namespace segward::api
