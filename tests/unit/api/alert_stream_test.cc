// GET /api/v1/alerts/stream: alerts added on the management side arrive as
// Server-Sent Events with their sequence as id, and a reconnecting client
// (Last-Event-ID) gets exactly what it missed.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>
#include <vector>

#include "mgmt/api/alert_stream.h"
#include "tests/unit/api/api_test_support.h"

namespace segward::api::testing {
namespace {

events::Event alert(std::uint64_t id, std::uint32_t severity = 2) {
  events::Event e;
  e.set_event_type("alert");
  e.set_timestamp("2026-12-01T10:00:00.000000+0000");
  e.mutable_alert()->set_id(id);
  e.mutable_alert()->set_severity(severity);
  return e;
}

// Reads the stream until `count` alert events arrived (or 10 s passed);
// calls `on_open` once the stream has begun. Returns "SEQ:ALERT_ID " per event.
std::string read_events(httplib::Client& c, const httplib::Headers& headers, const std::string& path, int count,
                        const std::function<void()>& on_open = {}) {
  std::string text, out;
  int seen = 0;
  bool opened = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  static const std::regex event(R"(id: (\d+)\nevent: alert\ndata: (\{[^\n]*\})\n\n)");
  (void)c.Get(path, headers, [&](const char* data, std::size_t n) {
    text.append(data, n);
    if (!opened && on_open) on_open();
    opened = true;
    for (std::smatch m; std::regex_search(text, m, event); text = m.suffix()) {
      const auto e = parse<events::Event>(m[2].str());
      out += m[1].str() + ":" + std::to_string(e.alert().id()) + " ";
      ++seen;
    }
    return seen < count && std::chrono::steady_clock::now() < deadline;
  });
  return out;
}

using AlertStreamTest = ApiFixture;

TEST_F(AlertStreamTest, DeliversNewAlertsAndResumesFromLastEventId) {
  state.add_alert(alert(1));  // before the stream: not sent (it starts from now)
  auto c = client(kReadToken);
  const std::string first = read_events(c, {}, "/api/v1/alerts/stream", 2, [&] {
    EXPECT_EQ(state.counters.stream_clients.load(), 1u);
    state.add_alert(alert(20));
    state.add_alert(alert(30));
  });
  EXPECT_EQ(first, "2:20 3:30 ");

  state.add_alert(alert(40));  // while disconnected
  state.add_alert(alert(50, 3));
  const std::string resumed = read_events(c, {{"Last-Event-ID", "3"}}, "/api/v1/alerts/stream", 2);
  EXPECT_EQ(resumed, "4:40 5:50 ");
  // since= and severity= too; Last-Event-ID from an earlier run (beyond the
  // newest) starts from now instead of waiting for sequences to catch up.
  EXPECT_EQ(read_events(c, {}, "/api/v1/alerts/stream?since=1&severity=2", 3), "2:20 3:30 4:40 ");
  EXPECT_EQ(read_events(c, {{"Last-Event-ID", "999"}}, "/api/v1/alerts/stream", 1, [&] { state.add_alert(alert(60)); }),
            "6:60 ");
}

TEST_F(AlertStreamTest, KeepaliveCommentWhenIdle) {
  AlertStream stream(state, 0, 0, std::chrono::milliseconds(50));
  std::string written;
  httplib::DataSink sink;
  sink.write = [&](const char* d, std::size_t n) {
    written.append(d, n);
    return true;
  };
  ASSERT_TRUE(stream.pump(sink));  // the opening comment
  EXPECT_EQ(written, ": alerts after sequence 0\n\n");
  written.clear();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(stream.pump(sink));
  EXPECT_EQ(written, ": keepalive\n\n");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(40));
  state.close();
  EXPECT_FALSE(stream.pump(sink));  // segward stops: the stream ends
}

TEST_F(AlertStreamTest, StreamsEndWhenTheServerStopsAndTheGaugeFalls) {
  auto c = client(kReadToken);
  std::thread stopper;
  const auto start = std::chrono::steady_clock::now();
  (void)read_events(c, {}, "/api/v1/alerts/stream", 1, [&] {
    stopper = std::thread([this] { server->stop(); });
  });
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(state.counters.stream_clients.load(), 0u);
}

TEST_F(AlertStreamTest, StreamsAreCappedAndDoNotStarveOtherRequests) {
  std::atomic<bool> done{false};
  std::vector<std::thread> readers;
  for (int i = 0; i < 16; ++i) {
    readers.emplace_back([this, &done] {
      auto c = client(kReadToken);
      (void)c.Get("/api/v1/alerts/stream", [&](const char*, std::size_t) { return !done; });
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (state.counters.stream_clients.load() < 16 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(state.counters.stream_clients.load(), 16u);
  auto extra = client(kReadToken).Get("/api/v1/alerts/stream");
  ASSERT_TRUE(extra);
  EXPECT_EQ(extra->status, 503);
  for (int i = 0; i < 8; ++i) {  // the pool keeps threads for requests beside the streams
    auto r = client(kReadToken).Get("/api/v1/status");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  done = true;
  state.add_alert(alert(1));  // each stream writes, its reader then hangs up
  for (auto& t : readers) t.join();
}

TEST_F(AlertStreamTest, BadLastEventIdIs400) {
  auto r = client(kReadToken).Get("/api/v1/alerts/stream", {{"Last-Event-ID", "abc"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(state.counters.stream_clients.load(), 0u);
}

}  // namespace
}  // namespace segward::api::testing
