// Requests: framing by Content-Length, chunked (extensions, trailers), none;
// pipelining; keep-alive; libprocess and mesos-go messages as they are sent
// (/work/shared/research/mesos-wire.md §2.1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/http/http_test_support.h"

namespace segward::http {
namespace {

using namespace std::string_literals;
using namespace segward::http::testing;
using ::testing::ElementsAre;

// A RegisterFrameworkMessage body: FrameworkInfo{user "root", name
// "marathon", failover_timeout 604800, checkpoint, hostname, principal}.
// It holds 0x0a (LF) and NUL bytes, which must not look like framing.
const std::string kRegisterFramework =
    "\x0a\x2f\x0a\x04"
    "root"
    "\x12\x08"
    "marathon"
    "\x21\x00\x00\x00\x00\x00\x75\x22\x41\x28\x01\x3a\x08"
    "10.0.0.3"
    "\x42\x08"
    "marathon"s;
const std::string kRegisterFrameworkEscaped = escaped(kRegisterFramework);

TEST(HttpRequest, GetWithoutBodyEndsAtTheBlankLine) {
  EXPECT_THAT(parse_requests("GET /master/state HTTP/1.1\r\n"
                             "Host: 10.0.0.1:5050\r\n"
                             "Accept: application/json\r\n"
                             "\r\n"),
              ElementsAre("request GET /master/state HTTP/1.1 GET", "header Host: [10.0.0.1:5050]",
                          "header Accept: [application/json]", "done none keep-alive", "message_done"));
}

TEST(HttpRequest, PostWithContentLength) {
  EXPECT_THAT(parse_requests("POST /api/v1/scheduler HTTP/1.1\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: 19\r\n"
                             "\r\n"
                             "{\"type\":\"TEARDOWN\"}"),
              ElementsAre("request POST /api/v1/scheduler HTTP/1.1 POST", "header Content-Type: [application/json]",
                          "header Content-Length: [19]", "done length cl=19 keep-alive",
                          "body [{\"type\":\"TEARDOWN\"}]", "message_done"));
}

TEST(HttpRequest, ContentLengthZeroHasNoBody) {
  EXPECT_THAT(parse_requests("POST /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
              ElementsAre("request POST /x HTTP/1.1 POST", "header Content-Length: [0]", "done none cl=0 keep-alive",
                          "message_done"));
}

TEST(HttpRequest, ChunkedWithExtensionsAndTrailers) {
  EXPECT_THAT(parse_requests("POST /upload HTTP/1.1\r\n"
                             "Transfer-Encoding: chunked\r\n"
                             "Trailer: Expires\r\n"
                             "\r\n"
                             "5;name=value;quoted=\"a b\"\r\n"
                             "hello\r\n"
                             "1A ; ext\r\n"
                             "abcdefghijklmnopqrstuvwxyz\r\n"
                             "0;last\r\n"
                             "Expires: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
                             "X-Checksum:  abc \r\n"
                             "\r\n"),
              ElementsAre("request POST /upload HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "header Trailer: [Expires]", "done chunked keep-alive",
                          "body [helloabcdefghijklmnopqrstuvwxyz]", "trailer Expires: [Wed, 21 Oct 2015 07:28:00 GMT]",
                          "trailer X-Checksum: [abc]", "message_done"));
}

TEST(HttpRequest, ChunkedWithBareLfLineEndings) {
  // RFC 9112 §2.2: a recipient may take a bare LF as a line end; libprocess's
  // parser does.
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [abc]", "message_done"));
}

TEST(HttpRequest, ChunkSizesWithLeadingZerosAndUpperCaseHex) {
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n000A\r\n0123456789\r\n0000\r\n\r\n"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [0123456789]", "message_done"));
}

TEST(HttpRequest, EmptyHostHeaderIsAHeader) {
  EXPECT_THAT(parse_requests("GET / HTTP/1.1\r\nHost: \r\nX-Empty:\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.1 GET", "header Host: []", "header X-Empty: []",
                          "done none keep-alive", "message_done"));
}

TEST(HttpRequest, HeaderValuesAreTrimmedAndKeepInnerSpace) {
  EXPECT_THAT(parse_requests("GET / HTTP/1.1\r\nUser-Agent: \t curl/7.88 (x86_64)  \t\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.1 GET", "header User-Agent: [curl/7.88 (x86_64)]",
                          "done none keep-alive", "message_done"));
}

TEST(HttpRequest, PipelinedRequestsInOneBuffer) {
  EXPECT_THAT(parse_requests("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                             "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz"
                             "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
                             "HEAD /d HTTP/1.1\r\n\r\n"),
              ElementsAre("request GET /a HTTP/1.1 GET", "header Host: [h]", "done none keep-alive", "message_done",
                          "request POST /b HTTP/1.1 POST", "header Content-Length: [3]",
                          "done length cl=3 keep-alive", "body [xyz]", "message_done",
                          "request POST /c HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [ok]", "message_done", "request HEAD /d HTTP/1.1 HEAD",
                          "done none keep-alive", "message_done"));
}

TEST(HttpRequest, EmptyLinesBetweenMessagesAreSkipped) {
  // RFC 9112 §2.2: some clients send a CRLF after a POST body.
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\nx\r\n\r\nGET /b HTTP/1.1\r\n\r\n"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Content-Length: [1]",
                          "done length cl=1 keep-alive", "body [x]", "message_done", "request GET /b HTTP/1.1 GET",
                          "done none keep-alive", "message_done"));
}

TEST(HttpRequest, Http10KeepAliveSemantics) {
  // HTTP/1.0 persists only with Connection: keep-alive; HTTP/1.1 unless close.
  EXPECT_THAT(parse_requests("GET / HTTP/1.0\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.0 GET", "done none close", "message_done"));
  EXPECT_THAT(parse_requests("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.0 GET", "header Connection: [Keep-Alive]", "done none keep-alive",
                          "message_done"));
  EXPECT_THAT(parse_requests("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.1 GET", "header Connection: [close]", "done none close",
                          "message_done"));
  EXPECT_THAT(parse_requests("GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.1 GET", "header Connection: [Upgrade, CLOSE]", "done none close",
                          "message_done"));
  EXPECT_THAT(parse_requests("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.0 GET", "header Connection: [keep-alive, close]", "done none close",
                          "message_done"));
}

TEST(HttpRequest, ChunkedWinsOverContentLength) {
  // RFC 9112 §6.1: Transfer-Encoding overrides Content-Length; the pair is
  // flagged as the request-smuggling shape it is.
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                             "3\r\nabc\r\n0\r\n\r\n"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Content-Length: [100]",
                          "header Transfer-Encoding: [chunked]", "done chunked cl=100 keep-alive conflict",
                          "body [abc]", "message_done"));
  // Even a Content-Length that would be refused on its own.
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: abc\r\n\r\n0\r\n\r\n"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "header Content-Length: [abc]", "done chunked keep-alive conflict", "message_done"));
}

TEST(HttpRequest, TransferCodingsAccumulateOverHeaderLines) {
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n"
                             "1\r\nz\r\n0\r\n\r\n"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Transfer-Encoding: [gzip]",
                          "header Transfer-Encoding: [Chunked]", "done chunked keep-alive", "body [z]",
                          "message_done"));
}

TEST(HttpRequest, IdenticalDuplicateContentLengthsAreOneLength) {
  // RFC 9110 §8.6 lets a recipient accept a list of one repeated value.
  EXPECT_THAT(parse_requests("POST /a HTTP/1.1\r\nContent-Length: 2, 2\r\ncontent-length: 2\r\n\r\nok"),
              ElementsAre("request POST /a HTTP/1.1 POST", "header Content-Length: [2, 2]",
                          "header content-length: [2]", "done length cl=2 keep-alive", "body [ok]", "message_done"));
}

TEST(HttpRequest, MethodsAndTargetForms) {
  EXPECT_THAT(parse_requests("OPTIONS * HTTP/1.1\r\n\r\n"
                             "CONNECT 10.0.0.1:5050 HTTP/1.1\r\n\r\n"
                             "DELETE http://10.0.0.1/x?y=1 HTTP/1.1\r\n\r\n"
                             "PUT /p HTTP/1.1\r\n\r\nPATCH /p HTTP/1.1\r\n\r\nTRACE / HTTP/1.1\r\n\r\n"
                             "PROPFIND /dav HTTP/1.1\r\n\r\nget / HTTP/1.1\r\n\r\n"),
              ElementsAre("request OPTIONS * HTTP/1.1 OPTIONS", "done none keep-alive", "message_done",
                          "request CONNECT 10.0.0.1:5050 HTTP/1.1 CONNECT", "done none keep-alive", "message_done",
                          "request DELETE http://10.0.0.1/x?y=1 HTTP/1.1 DELETE", "done none keep-alive",
                          "message_done", "request PUT /p HTTP/1.1 PUT", "done none keep-alive", "message_done",
                          "request PATCH /p HTTP/1.1 PATCH", "done none keep-alive", "message_done",
                          "request TRACE / HTTP/1.1 TRACE", "done none keep-alive", "message_done",
                          "request PROPFIND /dav HTTP/1.1 OTHER", "done none keep-alive", "message_done",
                          // Methods are case-sensitive (RFC 9110 §9.1).
                          "request get / HTTP/1.1 OTHER", "done none keep-alive", "message_done"));
}

TEST(HttpRequest, HigherMinorVersionIsHttp11) {
  EXPECT_THAT(parse_requests("GET / HTTP/1.2\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.2 GET", "done none keep-alive", "message_done"));
}

// mesos-wire.md §2.1: libprocess 0.22-1.11, a message with a body: fixed
// header order, empty Host, one chunk, then the last chunk.
TEST(HttpRequest, LibprocessRegisterFrameworkMessage) {
  const std::string wire =
      "POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\n"
      "User-Agent: libprocess/scheduler-4f6d7c1e-3a2b-4c5d-9e8f-0a1b2c3d4e5f@10.0.0.3:41000\r\n"
      "Libprocess-From: scheduler-4f6d7c1e-3a2b-4c5d-9e8f-0a1b2c3d4e5f@10.0.0.3:41000\r\n"
      "Connection: Keep-Alive\r\n"
      "Host: \r\n"
      "Transfer-Encoding: chunked\r\n"
      "\r\n"
      "31\r\n" +
      kRegisterFramework + "\r\n0\r\n\r\n";
  EXPECT_THAT(parse_requests(wire),
              ElementsAre("request POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1 POST",
                          "header User-Agent: [libprocess/scheduler-4f6d7c1e-3a2b-4c5d-9e8f-0a1b2c3d4e5f@10.0.0.3:41000]",
                          "header Libprocess-From: [scheduler-4f6d7c1e-3a2b-4c5d-9e8f-0a1b2c3d4e5f@10.0.0.3:41000]",
                          "header Connection: [Keep-Alive]", "header Host: []", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [" + kRegisterFrameworkEscaped + "]", "message_done"));
}

// A message with no body (PongSlaveMessage): no TE, no Content-Length; the
// next message on the persistent socket follows at once.
TEST(HttpRequest, LibprocessMessagesWithoutBodyOnOneConnection) {
  const std::string pong =
      "POST /slave-observer(7)/mesos.internal.PongSlaveMessage HTTP/1.1\r\n"
      "User-Agent: libprocess/slave(1)@10.0.0.2:5051\r\n"
      "Libprocess-From: slave(1)@10.0.0.2:5051\r\n"
      "Connection: Keep-Alive\r\n"
      "Host: \r\n"
      "\r\n";
  const Log one = {"request POST /slave-observer(7)/mesos.internal.PongSlaveMessage HTTP/1.1 POST",
                   "header User-Agent: [libprocess/slave(1)@10.0.0.2:5051]",
                   "header Libprocess-From: [slave(1)@10.0.0.2:5051]",
                   "header Connection: [Keep-Alive]",
                   "header Host: []",
                   "done none keep-alive",
                   "message_done"};
  EXPECT_EQ(parse_requests(pong + pong + pong), one + one + one);
}

// libprocess before 0.22: HTTP/1.0 with chunked and only User-Agent. RFC
// 9112 §6.1 says such framing is faulty; it is what those senders did, so
// it parses, and the connection is not kept.
TEST(HttpRequest, OldLibprocessHttp10Chunked) {
  EXPECT_THAT(parse_requests("POST /master/mesos.internal.ReregisterFrameworkMessage HTTP/1.0\r\n"
                             "User-Agent: libprocess/scheduler(1)@10.0.0.3:41000\r\n"
                             "Transfer-Encoding: chunked\r\n"
                             "\r\n"
                             "2\r\n\x08\x01\r\n0\r\n\r\n"),
              ElementsAre("request POST /master/mesos.internal.ReregisterFrameworkMessage HTTP/1.0 POST",
                          "header User-Agent: [libprocess/scheduler(1)@10.0.0.3:41000]",
                          "header Transfer-Encoding: [chunked]", "done chunked close", "body [\\x08\\x01]",
                          "message_done"));
}

// mesos-wire.md §2.1: mesos-go 0.0.6 (Go net/http): Content-Length, no
// chunking, a real Host, protobuf content type.
TEST(HttpRequest, MesosGoMessage) {
  const std::string wire =
      "POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\n"
      "Host: 10.0.0.1:5050\r\n"
      "User-Agent: Go-http-client/1.1\r\n"
      "Content-Length: 49\r\n"
      "Connection: Keep-Alive\r\n"
      "Content-Type: application/x-protobuf\r\n"
      "Libprocess-From: scheduler(1)@10.0.0.3:41000\r\n"
      "Accept-Encoding: gzip\r\n"
      "\r\n" +
      kRegisterFramework;
  EXPECT_THAT(parse_requests(wire),
              ElementsAre("request POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1 POST",
                          "header Host: [10.0.0.1:5050]", "header User-Agent: [Go-http-client/1.1]",
                          "header Content-Length: [49]", "header Connection: [Keep-Alive]",
                          "header Content-Type: [application/x-protobuf]",
                          "header Libprocess-From: [scheduler(1)@10.0.0.3:41000]", "header Accept-Encoding: [gzip]",
                          "done length cl=49 keep-alive", "body [" + kRegisterFrameworkEscaped + "]",
                          "message_done"));
}

TEST(HttpRequest, RawActorIdInTheTarget) {
  // libprocess writes the receiver id unescaped, parentheses and all.
  EXPECT_THAT(parse_requests("POST /slave(1)/mesos.internal.RunTaskMessage HTTP/1.1\r\n\r\n"),
              ElementsAre("request POST /slave(1)/mesos.internal.RunTaskMessage HTTP/1.1 POST",
                          "done none keep-alive", "message_done"));
}

TEST(HttpRequest, HeadersSplitAcrossPiecesArriveWhole) {
  // parse_requests() already cuts at every byte; this states the case
  // plainly: a name and a value cut in the middle come out whole.
  HttpParser parser(HttpParser::Role::kRequests);
  Recorder sink;
  const HttpLimits limits;
  for (const std::string_view piece : {"GET / HTTP/1.1\r\nLibprocess-Fr", "om: master@10.0", ".0.1:5050\r", "\n\r\n"}) {
    feed_exact(parser, piece, limits, sink);
  }
  EXPECT_THAT(sink.take(), ElementsAre("request GET / HTTP/1.1 GET", "header Libprocess-From: [master@10.0.0.1:5050]",
                                       "done none keep-alive", "message_done"));
}

TEST(HttpRequest, ViewsPointIntoTheInputOrTheParser) {
  // A line whole in the input is read in place; a line cut across pieces is
  // read from the parser's own buffer.
  struct Where {
    const char* lo;
    const char* hi;
    const HttpParser* parser;
    int in_input = 0, in_parser = 0;
    void note(std::string_view v) {
      const auto* p = reinterpret_cast<const char*>(parser);
      if (v.data() >= lo && v.data() + v.size() <= hi) ++in_input;
      if (v.data() >= p && v.data() + v.size() <= p + sizeof(HttpParser)) ++in_parser;
    }
    void on_request_line(const RequestLine& r) { note(r.target); }
    void on_status_line(const StatusLine&) {}
    void on_header(std::string_view n, std::string_view) { note(n); }
    void on_headers_done(const HeadersDone&) {}
    void on_body(std::span<const std::uint8_t>) {}
    void on_message_done() {}
    void on_error(HttpError) {}
  };
  HttpParser parser(HttpParser::Role::kRequests);
  const std::string a = "GET /x HTTP/1.1\r\nHost: h\r\nAcc", b = "ept: */*\r\n\r\n";
  Where where{a.data(), a.data() + a.size(), &parser};
  parser.feed({reinterpret_cast<const std::uint8_t*>(a.data()), a.size()}, HttpLimits{}, where);
  where.lo = b.data();
  where.hi = b.data() + b.size();
  parser.feed({reinterpret_cast<const std::uint8_t*>(b.data()), b.size()}, HttpLimits{}, where);
  EXPECT_EQ(where.in_input, 2);   // target, Host
  EXPECT_EQ(where.in_parser, 1);  // Accept
}

}  // namespace
}  // namespace segward::http
