// Pairing of responses with requests on one connection: pipelining, HEAD,
// interim responses, overflow of the queue, gaps, tunnels.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/http/http_test_support.h"

namespace segward::http {
namespace {

using namespace segward::http::testing;
using ::testing::ElementsAre;

struct ExchangeResult {
  Log requests;
  Log responses;
  HttpExchangeStats stats;
};

template <class Feed, class Gap>
void run_direction(const std::vector<Step>& steps, const Cut& cut, Feed feed, Gap gap) {
  for (const Step& step : steps) {
    if (step.gap != 0) {
      gap(step.gap);
      continue;
    }
    for (const std::string_view piece : pieces(step.bytes, cut)) feed(piece);
  }
}

// All request steps, then all response steps (a request precedes its
// answer on the wire), each cut the same way.
ExchangeResult run_once(const std::vector<Step>& requests, const std::vector<Step>& responses, const Cut& cut) {
  HttpExchange exchange;
  Recorder req, resp;
  const HttpLimits limits;
  auto feed = [&](std::string_view piece, bool requests_side) {
    std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[piece.size()]);
    std::copy(piece.begin(), piece.end(), copy.get());
    const std::span<const std::uint8_t> span(copy.get(), piece.size());
    if (requests_side) {
      exchange.feed_requests(span, limits, req);
    } else {
      exchange.feed_responses(span, limits, resp);
    }
  };
  run_direction(requests, cut, [&](std::string_view p) { feed(p, true); },
                [&](std::uint32_t n) { exchange.gap_requests(n, req); });
  run_direction(responses, cut, [&](std::string_view p) { feed(p, false); },
                [&](std::uint32_t n) { exchange.gap_responses(n, resp); });
  exchange.end_of_requests(req);
  exchange.end_of_responses(resp);
  return ExchangeResult{req.take(), resp.take(), exchange.stats()};
}

ExchangeResult run_exchange(const std::vector<Step>& requests, const std::vector<Step>& responses) {
  const ExchangeResult whole = run_once(requests, responses, Cut{});
  for (const Cut cut : {Cut{Cut::kBytewise, 0}, Cut{Cut::kRandom, 1}, Cut{Cut::kRandom, 2}, Cut{Cut::kRandom, 3}}) {
    const ExchangeResult other = run_once(requests, responses, cut);
    EXPECT_EQ(other.requests, whole.requests) << cut.kind;
    EXPECT_EQ(other.responses, whole.responses) << cut.kind;
  }
  return whole;
}

TEST(HttpExchange, PipelinedRequestsArePairedInOrder) {
  const ExchangeResult r = run_exchange(
      {bytes("GET /master/state HTTP/1.1\r\n\r\nHEAD /files/download?path=/x HTTP/1.1\r\n\r\n"
             "POST /api/v1 HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")},
      {bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
             "HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n"  // HEAD: no body follows
             "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")});
  EXPECT_THAT(r.requests, ElementsAre("index 0", "request GET /master/state HTTP/1.1 GET", "done none keep-alive",
                                      "message_done", "index 1", "request HEAD /files/download?path=/x HTTP/1.1 HEAD",
                                      "done none keep-alive", "message_done", "index 2",
                                      "request POST /api/v1 HTTP/1.1 POST", "header Content-Length: [2]",
                                      "done length cl=2 keep-alive", "body [{}]", "message_done"));
  EXPECT_THAT(r.responses,
              ElementsAre("answers 0 GET", "status 200 HTTP/1.1 [OK]", "header Content-Length: [2]",
                          "done length cl=2 keep-alive", "body [ok]", "message_done", "answers 1 HEAD",
                          "status 200 HTTP/1.1 [OK]", "header Content-Length: [4096]", "done none cl=4096 keep-alive",
                          "message_done", "answers 2 POST", "status 202 HTTP/1.1 [Accepted]",
                          "header Content-Length: [0]", "done none cl=0 keep-alive", "message_done"));
  EXPECT_EQ(r.stats.requests, 3u);
  EXPECT_EQ(r.stats.responses, 3u);
}

TEST(HttpExchange, InterleavedAsOnTheWire) {
  // Each request followed by its answer, pieces cut mid-message.
  HttpExchange exchange;
  Recorder req, resp;
  const HttpLimits limits;
  auto feed = [&](bool requests_side, std::string_view piece) {
    const std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size());
    if (requests_side) {
      exchange.feed_requests(span, limits, req);
    } else {
      exchange.feed_responses(span, limits, resp);
    }
  };
  feed(true, "HEAD / HTTP/1.1\r\n\r\nGET /");
  feed(false, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nHTTP/1.1 2");
  feed(true, "b HTTP/1.1\r\n\r\n");
  feed(false, "00 OK\r\nContent-Length: 1\r\n\r\nz");
  EXPECT_THAT(resp.take(), ElementsAre("answers 0 HEAD", "status 200 HTTP/1.1 [OK]", "header Content-Length: [10]",
                                       "done none cl=10 keep-alive", "message_done", "answers 1 GET",
                                       "status 200 HTTP/1.1 [OK]", "header Content-Length: [1]",
                                       "done length cl=1 keep-alive", "body [z]", "message_done"));
  EXPECT_EQ(exchange.outstanding(), 0u);
}

TEST(HttpExchange, InterimResponsesDoNotConsumeTheRequest) {
  const ExchangeResult r = run_exchange(
      {bytes("PUT /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"
             "HEAD /b HTTP/1.1\r\n\r\n")},
      {bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
             "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n")});
  EXPECT_THAT(r.responses, ElementsAre("answers 0 PUT", "status 100 HTTP/1.1 [Continue]", "done none keep-alive",
                                       "message_done", "answers 0 PUT", "status 201 HTTP/1.1 [Created]",
                                       "header Content-Length: [0]", "done none cl=0 keep-alive", "message_done",
                                       "answers 1 HEAD", "status 200 HTTP/1.1 [OK]", "header Content-Length: [7]",
                                       "done none cl=7 keep-alive", "message_done"));
}

TEST(HttpExchange, OverflowIsCountedAndKeepsTheIndex) {
  std::string requests, responses;
  for (int i = 0; i < 20; ++i) {
    requests += (i == 18 ? "HEAD /" : "GET /") + std::to_string(i) + " HTTP/1.1\r\n\r\n";
    responses += "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  }
  const ExchangeResult r = run_exchange({bytes(requests)}, {bytes(responses)});
  EXPECT_EQ(r.stats.overflows, 4u);
  EXPECT_EQ(r.stats.requests, 20u);
  EXPECT_EQ(r.stats.responses, 20u);
  std::vector<std::string> answers;
  for (const std::string& line : r.responses) {
    if (line.starts_with("answers")) answers.push_back(line);
  }
  ASSERT_EQ(answers.size(), 20u);
  EXPECT_EQ(answers[0], "answers 0 GET");
  EXPECT_EQ(answers[15], "answers 15 GET");
  // Past the 16 queued, the index is still right; the method is not known
  // (the HEAD at 18 is then framed as GET would be).
  EXPECT_EQ(answers[16], "answers 16 ?");
  EXPECT_EQ(answers[18], "answers 18 ?");
  EXPECT_EQ(answers[19], "answers 19 ?");
}

TEST(HttpExchange, QueueRefillsAfterOverflow) {
  HttpExchange exchange;
  Recorder req, resp;
  const HttpLimits limits;
  auto feed = [&](bool requests_side, const std::string& piece) {
    const std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(piece.data()), piece.size());
    if (requests_side) {
      exchange.feed_requests(span, limits, req);
    } else {
      exchange.feed_responses(span, limits, resp);
    }
  };
  for (int i = 0; i < 17; ++i) feed(true, "GET / HTTP/1.1\r\n\r\n");  // 16 queued, one over
  EXPECT_EQ(exchange.outstanding(), 16u);
  feed(false, "HTTP/1.1 204 No Content\r\n\r\n");
  feed(true, "HEAD / HTTP/1.1\r\n\r\n");  // request 17 fits again
  for (int i = 0; i < 17; ++i) feed(false, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  const Log log = resp.take();
  std::vector<std::string> answers;
  for (const std::string& line : log) {
    if (line.starts_with("answers")) answers.push_back(line);
  }
  ASSERT_EQ(answers.size(), 18u);
  EXPECT_EQ(answers[16], "answers 16 ?");
  EXPECT_EQ(answers[17], "answers 17 HEAD");  // so its "hello" is not read as a body
  EXPECT_TRUE(exchange.responses().in_message());
  EXPECT_EQ(exchange.stats().overflows, 1u);
  EXPECT_EQ(exchange.outstanding(), 0u);
}

TEST(HttpExchange, RefusedRequestLineStillTakesAnIndex) {
  const ExchangeResult r = run_exchange({bytes("BREW /pot HTCPCP/1.0\r\n\r\nGET /ok HTTP/1.1\r\n\r\n")},
                                        {bytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                                               "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")});
  EXPECT_THAT(r.requests, ElementsAre("error bad_request_line", "warning resynced", "index 1",
                                      "request GET /ok HTTP/1.1 GET", "done none keep-alive", "message_done"));
  EXPECT_EQ(r.responses[0], "answers 0 ?");
  EXPECT_EQ(r.responses[5], "answers 1 GET");
}

TEST(HttpExchange, AGapThatLosesSyncEndsPairing) {
  const ExchangeResult r = run_exchange(
      {bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nHo"), gap(200), bytes("GET /c HTTP/1.1\r\n\r\n")},
      {bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")});
  EXPECT_THAT(r.responses, ElementsAre("answers ? ?", "status 200 HTTP/1.1 [OK]", "header Content-Length: [0]",
                                       "done none cl=0 keep-alive", "message_done", "answers ? ?",
                                       "status 200 HTTP/1.1 [OK]", "header Content-Length: [0]",
                                       "done none cl=0 keep-alive", "message_done"));
  EXPECT_EQ(r.stats.unpaired, 2u);
}

TEST(HttpExchange, AGapInsideABodyKeepsPairing) {
  const ExchangeResult r = run_exchange(
      {bytes("POST /a HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"), gap(97), bytes("HEAD /b HTTP/1.1\r\n\r\n")},
      {bytes("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n")});
  EXPECT_EQ(r.responses[0], "answers 0 POST");
  EXPECT_EQ(r.responses[5], "answers 1 HEAD");
  EXPECT_EQ(r.responses.back(), "message_done");
  EXPECT_EQ(r.stats.unpaired, 0u);
}

TEST(HttpExchange, ResponseGapEndsPairingToo) {
  const ExchangeResult r = run_exchange(
      {bytes("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n")},
      {bytes("HTTP/1.1 200 OK\r\nContent-Len"), gap(60), bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")});
  EXPECT_THAT(r.responses, ElementsAre("answers 0 GET", "status 200 HTTP/1.1 [OK]", "error gap", "warning resynced",
                                       "answers ? ?", "status 200 HTTP/1.1 [OK]", "header Content-Length: [0]",
                                       "done none cl=0 keep-alive", "message_done"));
}

TEST(HttpExchange, ConnectTunnelStopsParsingBothSides) {
  HttpExchange exchange;
  Recorder req, resp;
  const HttpLimits limits;
  const std::string request = "CONNECT 10.0.0.1:443 HTTP/1.1\r\nHost: 10.0.0.1:443\r\n\r\n";
  const std::string response = "HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03";
  exchange.feed_requests({reinterpret_cast<const std::uint8_t*>(request.data()), request.size()}, limits, req);
  exchange.feed_responses({reinterpret_cast<const std::uint8_t*>(response.data()), response.size()}, limits, resp);
  const std::string client_hello = "\x16\x03\x01\x00\x05hello";
  exchange.feed_requests({reinterpret_cast<const std::uint8_t*>(client_hello.data()), client_hello.size()}, limits,
                         req);
  EXPECT_TRUE(exchange.requests().in_tunnel());
  EXPECT_TRUE(exchange.responses().in_tunnel());
  EXPECT_THAT(req.take(), ElementsAre("index 0", "request CONNECT 10.0.0.1:443 HTTP/1.1 CONNECT",
                                      "header Host: [10.0.0.1:443]", "done none keep-alive", "message_done"));
  EXPECT_THAT(resp.take(), ElementsAre("answers 0 CONNECT", "status 200 HTTP/1.1 [Connection established]",
                                       "done tunnel close", "message_done"));
  EXPECT_EQ(exchange.requests().stats().errors, 0u);
}

TEST(HttpExchange, ResponseBeforeItsRequestKeepsTheCount) {
  // A server may answer (e.g. 408, or 400 to bytes it could not read)
  // before the sensor has seen the request; the next pair still matches.
  HttpExchange exchange;
  Recorder req, resp;
  const HttpLimits limits;
  const std::string early = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n";
  const std::string requests = "GET /late HTTP/1.1\r\n\r\nHEAD /next HTTP/1.1\r\n\r\n";
  const std::string later = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n";
  exchange.feed_responses({reinterpret_cast<const std::uint8_t*>(early.data()), early.size()}, limits, resp);
  exchange.feed_requests({reinterpret_cast<const std::uint8_t*>(requests.data()), requests.size()}, limits, req);
  exchange.feed_responses({reinterpret_cast<const std::uint8_t*>(later.data()), later.size()}, limits, resp);
  const Log log = resp.take();
  EXPECT_EQ(log[0], "answers 0 ?");
  EXPECT_EQ(log[5], "answers 1 HEAD");
  EXPECT_EQ(log.back(), "message_done");
  EXPECT_EQ(exchange.outstanding(), 0u);
}

TEST(HttpExchange, ResetForReuse) {
  HttpExchange exchange;
  Recorder req, resp;
  const HttpLimits limits;
  const std::string request = "GET / HTTP/1.1\r\n\r\nGET /x HTTP/1.1\r\nHo";
  exchange.feed_requests({reinterpret_cast<const std::uint8_t*>(request.data()), request.size()}, limits, req);
  exchange.gap_requests(10);
  EXPECT_TRUE(exchange.pairing_lost());
  exchange.reset();
  EXPECT_FALSE(exchange.pairing_lost());
  EXPECT_EQ(exchange.outstanding(), 0u);
  EXPECT_EQ(exchange.stats().requests, 0u);
  EXPECT_TRUE(exchange.requests().synchronised());
  EXPECT_FALSE(exchange.requests().in_message());
}

}  // namespace
}  // namespace segward::http
