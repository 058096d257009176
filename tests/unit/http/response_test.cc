// Responses: Content-Length, chunked, no body (1xx/204/304, HEAD), until
// close, tunnels; libprocess and mesos-go replies (mesos-wire.md §2.2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/http/http_test_support.h"

namespace segward::http {
namespace {

using namespace segward::http::testing;
using ::testing::ElementsAre;

TEST(HttpResponse, OkWithContentLength) {
  EXPECT_THAT(parse_responses("HTTP/1.1 200 OK\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: 13\r\n"
                              "\r\n"
                              "{\"leader\":1}\n"),
              ElementsAre("status 200 HTTP/1.1 [OK]", "header Content-Type: [application/json]",
                          "header Content-Length: [13]", "done length cl=13 keep-alive", "body [{\"leader\":1}\\x0a]",
                          "message_done"));
}

// libprocess answers every message: 202, Date, Content-Length: 0.
TEST(HttpResponse, LibprocessAcceptedReplies) {
  const std::string accepted =
      "HTTP/1.1 202 Accepted\r\n"
      "Date: Tue, 01 Oct 2024 10:00:00 GMT\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  const Log one = {"status 202 HTTP/1.1 [Accepted]", "header Date: [Tue, 01 Oct 2024 10:00:00 GMT]",
                   "header Content-Length: [0]", "done none cl=0 keep-alive", "message_done"};
  EXPECT_EQ(parse_responses(accepted + accepted), one + one);
}

TEST(HttpResponse, LibprocessNotFoundWithTextBody) {
  EXPECT_THAT(parse_responses("HTTP/1.1 404 Not Found\r\n"
                              "Date: Tue, 01 Oct 2024 10:00:00 GMT\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "Content-Length: 14\r\n"
                              "\r\n"
                              "404 Not Found."),
              ElementsAre("status 404 HTTP/1.1 [Not Found]", "header Date: [Tue, 01 Oct 2024 10:00:00 GMT]",
                          "header Content-Type: [text/plain; charset=utf-8]", "header Content-Length: [14]",
                          "done length cl=14 keep-alive", "body [404 Not Found.]", "message_done"));
}

// mesos-go's 202 has no Date (mesos-wire.md §2.2).
TEST(HttpResponse, MesosGoAccepted) {
  EXPECT_THAT(parse_responses("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"),
              ElementsAre("status 202 HTTP/1.1 [Accepted]", "header Content-Length: [0]", "done none cl=0 keep-alive",
                          "message_done"));
}

// The v1 scheduler API's SUBSCRIBE answer: a chunked stream of RecordIO
// records, records straddling chunks.
TEST(HttpResponse, ChunkedRecordIoStream) {
  EXPECT_THAT(parse_responses("HTTP/1.1 200 OK\r\n"
                              "Content-Type: application/json\r\n"
                              "Mesos-Stream-Id: 130ae4e3-6b13-4ef4-baa9-9f2e85c3e9af\r\n"
                              "Transfer-Encoding: chunked\r\n"
                              "\r\n"
                              "a\r\n20\n{\"type\"\r\n"
                              "14\r\n:\"HEARTBEAT\"}20\n{\"ty\r\n"
                              "0\r\n\r\n"),
              ElementsAre("status 200 HTTP/1.1 [OK]", "header Content-Type: [application/json]",
                          "header Mesos-Stream-Id: [130ae4e3-6b13-4ef4-baa9-9f2e85c3e9af]",
                          "header Transfer-Encoding: [chunked]", "done chunked keep-alive",
                          "body [20\\x0a{\"type\":\"HEARTBEAT\"}20\\x0a{\"ty]", "message_done"));
}

TEST(HttpResponse, NoContentAndNotModifiedHaveNoBodyWhateverTheHeadersSay) {
  EXPECT_THAT(parse_responses("HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"
                              "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"),
              ElementsAre("status 204 HTTP/1.1 [No Content]", "header Content-Length: [10]",
                          "done none cl=10 keep-alive", "message_done", "status 304 HTTP/1.1 [Not Modified]",
                          "header Transfer-Encoding: [chunked]", "done none keep-alive", "message_done",
                          "status 200 HTTP/1.1 [OK]", "header Content-Length: [1]", "done length cl=1 keep-alive",
                          "body [x]", "message_done"));
}

TEST(HttpResponse, InterimResponsesThenTheFinalOne) {
  EXPECT_THAT(parse_responses("HTTP/1.1 100 Continue\r\n\r\n"
                              "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                              "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok"),
              ElementsAre("status 100 HTTP/1.1 [Continue]", "done none keep-alive", "message_done",
                          "status 103 HTTP/1.1 [Early Hints]", "header Link: [</style.css>; rel=preload]",
                          "done none keep-alive", "message_done", "status 201 HTTP/1.1 [Created]",
                          "header Content-Length: [2]", "done length cl=2 keep-alive", "body [ok]", "message_done"));
}

TEST(HttpResponse, HeadResponseHasNoBody) {
  Options head;
  head.answer = Method::kHead;
  EXPECT_THAT(parse_responses("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
                              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                              head),
              ElementsAre("status 200 HTTP/1.1 [OK]", "header Content-Length: [1234]", "done none cl=1234 keep-alive",
                          "message_done", "status 200 HTTP/1.1 [OK]", "header Transfer-Encoding: [chunked]",
                          "done none keep-alive", "message_done"));
}

TEST(HttpResponse, WithoutLengthTheBodyRunsUntilClose) {
  EXPECT_THAT(parse_responses("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nline one\r\nHTTP/1.1 200 OK\r\n\r\nstill body"),
              ElementsAre("status 200 HTTP/1.0 [OK]", "header Server: [old]", "done until_close close",
                          "body [line one\\x0d\\x0aHTTP/1.1 200 OK\\x0d\\x0a\\x0d\\x0astill body]", "message_done"));
}

TEST(HttpResponse, UntilCloseWithoutEndOfStreamStaysOpen) {
  Options open;
  open.end_of_stream = false;
  EXPECT_THAT(parse_responses("HTTP/1.1 200 OK\r\n\r\nabc", open),
              ElementsAre("status 200 HTTP/1.1 [OK]", "done until_close close", "body [abc]"));
}

TEST(HttpResponse, TransferEncodingNotEndingInChunkedRunsUntilClose) {
  // RFC 9112 §6.3 rule 4, for responses only.
  EXPECT_THAT(parse_responses("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 3\r\n\r\nabcdef"),
              ElementsAre("status 200 HTTP/1.1 [OK]", "header Transfer-Encoding: [chunked, gzip]",
                          "header Content-Length: [3]", "done until_close cl=3 close conflict", "body [abcdef]",
                          "message_done"));
}

TEST(HttpResponse, StatusLineWithoutReason) {
  EXPECT_THAT(parse_responses("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 500 \r\nContent-Length: 0\r\n\r\n"),
              ElementsAre("status 200 HTTP/1.1 []", "header Content-Length: [0]", "done none cl=0 keep-alive",
                          "message_done", "status 500 HTTP/1.1 []", "header Content-Length: [0]",
                          "done none cl=0 keep-alive", "message_done"));
}

TEST(HttpResponse, SwitchingProtocolsStartsATunnel) {
  HttpParser parser(HttpParser::Role::kResponses);
  Recorder sink;
  feed_exact(parser, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello",
             HttpLimits{}, sink);
  parser.end_of_stream(sink);
  EXPECT_THAT(sink.take(), ElementsAre("status 101 HTTP/1.1 [Switching Protocols]", "header Upgrade: [websocket]",
                                       "header Connection: [Upgrade]", "done tunnel close", "message_done"));
  EXPECT_EQ(parser.stats().tunnel_bytes, 7u);
  EXPECT_EQ(parser.stats().messages, 1u);
}

TEST(HttpResponse, ConnectSuccessStartsATunnel) {
  Options connect;
  connect.answer = Method::kConnect;
  EXPECT_THAT(parse_responses("HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01\x02\x00", connect),
              ElementsAre("status 200 HTTP/1.1 [Connection established]", "done tunnel close", "message_done"));
}

TEST(HttpResponse, KeepAliveOfResponses) {
  EXPECT_THAT(parse_responses("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"
                              "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"
                              "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
              ElementsAre("status 200 HTTP/1.0 [OK]", "header Content-Length: [0]", "done none cl=0 close",
                          "message_done", "status 200 HTTP/1.0 [OK]", "header Connection: [keep-alive]",
                          "header Content-Length: [0]", "done none cl=0 keep-alive", "message_done",
                          "status 200 HTTP/1.1 [OK]", "header Connection: [close]", "header Content-Length: [0]",
                          "done none cl=0 close", "message_done"));
}

TEST(HttpResponse, PipelinedResponsesBackToBack) {
  EXPECT_THAT(parse_responses("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n"
                              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nwxyz\r\n0\r\n\r\n"
                              "HTTP/1.1 307 Temporary Redirect\r\nLocation: //10.0.0.2:5050/master/state\r\n"
                              "Content-Length: 0\r\n\r\n"),
              ElementsAre("status 202 HTTP/1.1 [Accepted]", "header Content-Length: [0]", "done none cl=0 keep-alive",
                          "message_done", "status 200 HTTP/1.1 [OK]", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [wxyz]", "message_done",
                          "status 307 HTTP/1.1 [Temporary Redirect]",
                          "header Location: [//10.0.0.2:5050/master/state]", "header Content-Length: [0]",
                          "done none cl=0 keep-alive", "message_done"));
}

}  // namespace
}  // namespace segward::http
