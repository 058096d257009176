// Gaps from the reassembler: skipped inside a body of known length,
// otherwise the parser resyncs on the next plausible message start.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/http/http_test_support.h"

namespace segward::http {
namespace {

using namespace std::string_literals;
using namespace segward::http::testing;
using ::testing::ElementsAre;

TEST(HttpGap, InsideAContentLengthBodyIsSkipped) {
  const Result r = parse_steps(Role::kRequests, {bytes("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"), gap(4),
                                                 bytes("xyzGET /b HTTP/1.1\r\n\r\n")});
  EXPECT_THAT(r.log, ElementsAre("request POST /a HTTP/1.1 POST", "header Content-Length: [10]",
                                 "done length cl=10 keep-alive", "body [abc]", "warning body_gap", "body [xyz]",
                                 "message_done", "request GET /b HTTP/1.1 GET", "done none keep-alive",
                                 "message_done"));
  EXPECT_EQ(r.stats.gaps, 1u);
  EXPECT_EQ(r.stats.errors, 0u);
}

TEST(HttpGap, EndingExactlyAtTheBodyEndCompletesTheMessage) {
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"), gap(3),
                                            bytes("GET /b HTTP/1.1\r\n\r\n")})
                  .log,
              ElementsAre("request POST /a HTTP/1.1 POST", "header Content-Length: [5]", "done length cl=5 keep-alive",
                          "body [ab]", "warning body_gap", "message_done", "request GET /b HTTP/1.1 GET",
                          "done none keep-alive", "message_done"));
}

TEST(HttpGap, RunningPastTheBodyCompletesItThenResyncs) {
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("POST /a HTTP/1.1\r\nContent-Length: 4\r\n\r\nab"), gap(30),
                                            bytes("ost: h\r\n\r\nGET /c HTTP/1.1\r\n\r\n")})
                  .log,
              ElementsAre("request POST /a HTTP/1.1 POST", "header Content-Length: [4]", "done length cl=4 keep-alive",
                          "body [ab]", "warning body_gap", "message_done", "error gap", "warning resynced",
                          "request GET /c HTTP/1.1 GET", "done none keep-alive", "message_done"));
}

TEST(HttpGap, InTheHeadAbandonsTheMessage) {
  const Result r = parse_steps(Role::kRequests, {bytes("GET /a HTTP/1.1\r\nHo"), gap(100),
                                                 bytes("er-Agent: x\r\n\r\nGET /b HTTP/1.1\r\n\r\n")});
  EXPECT_THAT(r.log, ElementsAre("request GET /a HTTP/1.1 GET", "error gap", "warning resynced",
                                 "request GET /b HTTP/1.1 GET", "done none keep-alive", "message_done"));
  EXPECT_EQ(r.stats.resyncs, 1u);
  EXPECT_EQ(r.stats.bytes_discarded, std::string("er-Agent: x\r\n\r\n").size());
}

TEST(HttpGap, InsideAChunkIsSkipped) {
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\na\r\nab"),
                                            gap(3), bytes("fghij\r\n0\r\n\r\n")})
                  .log,
              ElementsAre("request POST /a HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [ab]", "warning body_gap", "body [fghij]", "message_done"));
  // To the chunk's last byte: the CRLF after it is still expected.
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab"),
                                            gap(2), bytes("\r\n0\r\n\r\n")})
                  .log,
              ElementsAre("request POST /a HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [ab]", "warning body_gap", "message_done"));
}

TEST(HttpGap, OverChunkFramingResyncs) {
  // A libprocess message whose end is lost; the next message on the
  // persistent socket is found again.
  EXPECT_THAT(parse_steps(Role::kRequests,
                          {bytes("POST /master/mesos.internal.StatusUpdateMessage HTTP/1.1\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n4\r\nab"),
                           gap(9),
                           bytes("\r\nPOST /master/mesos.internal.ExitedExecutorMessage HTTP/1.1\r\nHost: \r\n\r\n")})
                  .log,
              ElementsAre("request POST /master/mesos.internal.StatusUpdateMessage HTTP/1.1 POST",
                          "header Transfer-Encoding: [chunked]", "done chunked keep-alive", "body [ab]", "error gap",
                          "warning resynced", "request POST /master/mesos.internal.ExitedExecutorMessage HTTP/1.1 POST",
                          "header Host: []", "done none keep-alive", "message_done"));
}

TEST(HttpGap, EndingAtAMessageStartResyncsAtOnce) {
  // The byte after a gap is taken as the start of a line: a lost segment
  // often ends where a message ends.
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("GET /a HTTP/1.1\r\nHost: h\r\n"), gap(2),
                                            bytes("GET /b HTTP/1.1\r\n\r\n")})
                  .log,
              ElementsAre("request GET /a HTTP/1.1 GET", "header Host: [h]", "error gap", "warning resynced",
                          "request GET /b HTTP/1.1 GET", "done none keep-alive", "message_done"));
}

TEST(HttpGap, BetweenMessagesLosesSyncToo) {
  // The hole may have held the start of a message: nothing can be assumed.
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("GET /a HTTP/1.1\r\n\r\n"), gap(50),
                                            bytes("ding\r\n\r\nGET /b HTTP/1.1\r\n\r\n")})
                  .log,
              ElementsAre("request GET /a HTTP/1.1 GET", "done none keep-alive", "message_done", "error gap",
                          "warning resynced", "request GET /b HTTP/1.1 GET", "done none keep-alive", "message_done"));
}

TEST(HttpGap, InABodyUntilCloseIsSkipped) {
  EXPECT_THAT(parse_steps(Role::kResponses, {bytes("HTTP/1.0 200 OK\r\n\r\nab"), gap(1000), bytes("cd")}).log,
              ElementsAre("status 200 HTTP/1.0 [OK]", "done until_close close", "body [ab]", "warning body_gap",
                          "body [cd]", "message_done"));
}

TEST(HttpGap, ResponsesResyncOnAStatusLine) {
  EXPECT_THAT(parse_steps(Role::kResponses,
                          {bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123"), gap(40),
                           bytes("456789\r\nHTTP/1.1 404\r\n0\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n")})
                  .log,
              ElementsAre("status 200 HTTP/1.1 [OK]", "header Transfer-Encoding: [chunked]", "done chunked keep-alive",
                          "body [0123]", "error gap",
                          // "HTTP/1.1 404" is a plausible status line: resync takes it.
                          "warning resynced", "status 404 HTTP/1.1 []", "error bad_header", "warning resynced",
                          "status 202 HTTP/1.1 [Accepted]", "header Content-Length: [0]", "done none cl=0 keep-alive",
                          "message_done"));
}

TEST(HttpGap, BinaryAfterAGapIsSkippedWithoutErrors) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk += static_cast<char>((i * 37) % 251 == 10 ? 11 : (i * 37) % 251);
  // Text that only starts like a request line is not taken either.
  junk += "\nGET\nGET /\nGET / HTTP/1.1 x\nGET /p HTTP/3.0\nHTTP/1.1 200 OK\nPOSTXXXXXXXXXXXXXXXXXXXXXXXX / HTTP/1.1\n";
  const Result r = parse_steps(Role::kRequests, {bytes("GET /a HTTP/1.1\r\n"), gap(7), bytes(junk),
                                                 bytes("DELETE /api/v1 HTTP/1.1\r\n\r\n")});
  EXPECT_THAT(r.log, ElementsAre("request GET /a HTTP/1.1 GET", "error gap", "warning resynced",
                                 "request DELETE /api/v1 HTTP/1.1 DELETE", "done none keep-alive", "message_done"));
  EXPECT_EQ(r.stats.bytes_discarded, junk.size());
  EXPECT_EQ(r.stats.errors, 1u);
}

TEST(HttpGap, DuringResyncStartsANewCandidate) {
  // A candidate line cut by a second gap is dropped; the byte after the gap
  // is a line start again.
  EXPECT_THAT(parse_steps(Role::kRequests, {bytes("GET /a HTTP/1.1\r\nX"), gap(5), bytes("GET /sta"), gap(5),
                                            bytes("GET /b HTTP/1.1\r\n\r\n")})
                  .log,
              ElementsAre("request GET /a HTTP/1.1 GET", "error gap", "warning resynced",
                          "request GET /b HTTP/1.1 GET", "done none keep-alive", "message_done"));
}

TEST(HttpGap, TellsWhatItDid) {
  HttpParser parser(HttpParser::Role::kRequests);
  Recorder sink;
  const HttpLimits limits;
  EXPECT_EQ(parser.gap(0), HttpParser::GapEffect::kIgnored);
  feed_exact(parser, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n", limits, sink);
  EXPECT_EQ(parser.gap(4, sink), HttpParser::GapEffect::kBodySkipped);
  EXPECT_TRUE(parser.in_message());
  EXPECT_EQ(parser.gap(7, sink), HttpParser::GapEffect::kLostSync);
  EXPECT_FALSE(parser.synchronised());
  EXPECT_EQ(parser.gap(1, sink), HttpParser::GapEffect::kLostSync);
  feed_exact(parser, "GET / HTTP/1.1\r\n\r\n", limits, sink);
  EXPECT_TRUE(parser.synchronised());
  EXPECT_EQ(parser.stats().gaps, 3u);
  EXPECT_EQ(parser.stats().resyncs, 1u);
  EXPECT_EQ(parser.stats().messages, 2u);
  parser.enter_tunnel();
  EXPECT_EQ(parser.gap(10), HttpParser::GapEffect::kIgnored);
}

}  // namespace
}  // namespace segward::http
