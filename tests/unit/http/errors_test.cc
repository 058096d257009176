// Refused input: each error by name, at the point a user relies on, and
// that the parser goes on with the next message afterwards.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

#include "tests/unit/http/http_test_support.h"

namespace segward::http {
namespace {

using namespace std::string_literals;
using namespace segward::http::testing;
using ::testing::ElementsAre;
using ::testing::Contains;

const std::string kNext = "GET /next HTTP/1.1\r\n\r\n";
const Log kNextLog = {"warning resynced", "request GET /next HTTP/1.1 GET", "done none keep-alive", "message_done"};

TEST(HttpErrors, NamesAreStableSnakeCaseAndUnique) {
  EXPECT_EQ(http_error_name(HttpError::kNone), "none");
  EXPECT_EQ(http_error_name(HttpError::kBadRequestLine), "bad_request_line");
  EXPECT_EQ(http_error_name(HttpError::kBadChunk), "bad_chunk");
  EXPECT_EQ(http_error_name(HttpError::kGap), "gap");
  EXPECT_EQ(http_error_name(HttpError::kCount), "unknown");
  EXPECT_EQ(http_warning_name(HttpWarning::kResynced), "resynced");
  EXPECT_EQ(http_warning_name(HttpWarning::kCount), "unknown");
  std::set<std::string_view> names;
  auto check = [&](std::string_view name) {
    ASSERT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name;
    for (const char c : name) {
      EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '_') << name;
    }
  };
  for (std::size_t i = 0; i < kHttpErrorCount; ++i) {
    check(http_error_name(static_cast<HttpError>(i)));
    EXPECT_FALSE(http_error_description(static_cast<HttpError>(i)).empty());
  }
  for (std::size_t i = 0; i < kHttpWarningCount; ++i) check(http_warning_name(static_cast<HttpWarning>(i)));
}

TEST(HttpErrors, MalformedRequestLines) {
  for (const std::string& line : {"GET /\r\n"s,                  // HTTP/0.9
                                 "GET  / HTTP/1.1\r\n"s,        // two spaces
                                 "GET / HTTP/1.1 \r\n"s,        // trailing space
                                 " GET / HTTP/1.1\r\n"s,        // leading space
                                 "GET / http/1.1\r\n"s,         // lower-case version
                                 "GE(T / HTTP/1.1\r\n"s,        // not a token
                                 "GET /a\x01 HTTP/1.1\r\n"s,    // control in the target
                                 "GET / HTTP/1.1\rX\r\n"s,      // bare CR
                                 "\x16\x03\x01\x02\x00\x01\r\n"s}) {  // TLS on a plaintext port
    EXPECT_EQ(parse_requests(line + "Host: h\r\n\r\n" + kNext), Log{"error bad_request_line"} + kNextLog)
        << escaped(line);
  }
}

TEST(HttpErrors, OtherHttpVersions) {
  EXPECT_EQ(parse_requests("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + kNext), Log{"error bad_version"} + kNextLog);
  EXPECT_EQ(parse_requests("GET / HTTP/0.9\r\n\r\n" + kNext), Log{"error bad_version"} + kNextLog);
  EXPECT_THAT(parse_responses("HTTP/2.0 200 OK\r\n\r\n"), ElementsAre("error bad_version"));
  // Not the shape of a version at all.
  EXPECT_EQ(parse_requests("GET / HTTP/1.10\r\n\r\n" + kNext), Log{"error bad_request_line"} + kNextLog);
  EXPECT_THAT(parse_responses("HTTP/2 200\r\n\r\n"), ElementsAre("error bad_status_line"));
}

TEST(HttpErrors, MalformedStatusLines) {
  const std::string next = "HTTP/1.1 204 No Content\r\n\r\n";
  const Log next_log = {"warning resynced", "status 204 HTTP/1.1 [No Content]", "done none keep-alive",
                        "message_done"};
  for (const std::string line : {"HTTP/1.1 20 OK\r\n", "HTTP/1.1 2000 OK\r\n", "HTTP/1.1 099 Low\r\n",
                                 "HTTP/1.1  200 OK\r\n", "HTTP/1.1 200\tOK\r\n", "HTTP/1.1 200 O\x01K\r\n",
                                 "ICY 200 OK\r\n", "HTTP/1.1\r\n"}) {
    EXPECT_EQ(parse_responses(line + "\r\n" + next), Log{"error bad_status_line"} + next_log) << escaped(line);
  }
}

TEST(HttpErrors, MalformedHeaderLines) {
  for (const std::string& header : {"NoColon\r\n"s, ": empty-name\r\n"s, "Space Before: x\r\n"s,
                                   "Space-Before-Colon : x\r\n"s, "Bad\x01Name: x\r\n"s,
                                   "Nul: a\x00"
                                   "b\r\n"s,
                                   "Bare-Cr: a\rb\r\n"s}) {
    EXPECT_EQ(parse_requests("GET / HTTP/1.1\r\n" + header + "\r\n" + kNext),
              (Log{"request GET / HTTP/1.1 GET", "error bad_header"} + kNextLog))
        << escaped(header);
  }
}

TEST(HttpErrors, ObsFoldIsRefused) {
  EXPECT_EQ(parse_requests("GET / HTTP/1.1\r\nX-Long: part one\r\n  part two\r\n\r\n" + kNext),
            (Log{"request GET / HTTP/1.1 GET", "header X-Long: [part one]", "error header_obs_fold"} + kNextLog));
}

TEST(HttpErrors, TooManyHeaders) {
  Options options;
  options.limits.max_headers = 3;
  EXPECT_EQ(parse_requests("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", options),
            (Log{"request GET / HTTP/1.1 GET", "header A: [1]", "header B: [2]", "header C: [3]",
                 "done none keep-alive", "message_done"}));
  EXPECT_EQ(parse_requests("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n" + kNext, options),
            (Log{"request GET / HTTP/1.1 GET", "header A: [1]", "header B: [2]", "header C: [3]",
                 "error too_many_headers"} +
             kNextLog));
}

TEST(HttpErrors, DefaultHeaderCountLimit) {
  std::string wire = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) wire += "X-" + std::to_string(i) + ": v\r\n";
  const Log log = parse_requests(wire + "\r\n");
  ASSERT_EQ(log.size(), 1u + 100u + 1u);
  EXPECT_EQ(log.back(), "error too_many_headers");
}

TEST(HttpErrors, HeadTooLarge) {
  // The limit counts the start line, the header lines and the blank line,
  // CRLFs included: this head is exactly 57 bytes.
  const std::string head = "GET / HTTP/1.1\r\nX-Pad: " + std::string(24, 'p') + "\r\n" + "Y: z\r\n\r\n";
  ASSERT_EQ(head.size(), 57u);
  Options options;
  options.limits.max_head_bytes = 57;
  EXPECT_EQ(parse_requests(head, options).back(), "message_done");
  options.limits.max_head_bytes = 56;
  EXPECT_EQ(parse_requests(head + kNext, options),
            (Log{"request GET / HTTP/1.1 GET", "header X-Pad: [" + std::string(24, 'p') + "]", "header Y: [z]",
                 "error head_too_large"} +
             kNextLog));
}

TEST(HttpErrors, HeadTooLargeIsFoundBeforeTheLineEnds) {
  // A header line that never ends is refused once it passes the budget, not
  // buffered or waited for.
  Options options;
  options.limits.max_head_bytes = 1000;
  options.end_of_stream = false;
  EXPECT_THAT(parse_requests("GET / HTTP/1.1\r\nX-Flood: " + std::string(5000, 'a'), options),
              ElementsAre("request GET / HTTP/1.1 GET", "error head_too_large"));
  // The default budget, 16 KiB, with long lines.
  std::string wire = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 20; ++i) wire += "X-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
  const Log log = parse_requests(wire + "\r\n");
  EXPECT_EQ(log.back(), "error head_too_large");
}

TEST(HttpErrors, StartLineTooLong) {
  // The line buffer holds 2048 bytes before LF, CR included.
  const std::string fits = "GET /" + std::string(2048 - 15, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_EQ(parse_requests(fits).back(), "message_done");
  const std::string over = "GET /" + std::string(2048 - 14, 'a') + " HTTP/1.1\r\n\r\n";
  EXPECT_EQ(parse_requests(over + kNext), Log{"error start_line_too_long"} + kNextLog);
}

TEST(HttpErrors, LongHeaderLineIsDeliveredTruncatedWithAWarning) {
  // A header line over the line buffer: its value is cut at 2048 bytes of
  // line, with a warning, and parsing goes on.
  const std::string value(3000, 'x');
  const Log log = parse_requests("GET / HTTP/1.1\r\nCookie: " + value + "\r\nHost: h\r\n\r\n");
  EXPECT_THAT(log, ElementsAre("request GET / HTTP/1.1 GET", "warning header_truncated",
                               "header Cookie: [" + std::string(2048 - 8, 'x') + "]", "header Host: [h]",
                               "done none keep-alive", "message_done"));
}

TEST(HttpErrors, TruncatedFramingHeaderIsNotTrusted) {
  // A Content-Length or Transfer-Encoding seen only in part cannot frame.
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nContent-Length: " + std::string(3000, '1') + "\r\n\r\n"),
              ElementsAre("request POST / HTTP/1.1 POST", "warning header_truncated",
                          "header Content-Length: [" + std::string(2048 - 16, '1') + "]", "error bad_content_length"));
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: " + std::string(3000, ' ') + "chunked\r\n\r\n"),
              ElementsAre("request POST / HTTP/1.1 POST", "warning header_truncated", "header Transfer-Encoding: []",
                          "error bad_transfer_encoding"));
}

TEST(HttpErrors, BadContentLength) {
  for (const std::string value : {"abc", "-1", "+5", "1 2", "0x10", "", "12a", "9223372036854775808",
                                  "99999999999999999999999", "5, 6", ","}) {
    EXPECT_EQ(parse_requests("POST / HTTP/1.1\r\nContent-Length: " + value + "\r\n\r\nbody\r\n" + kNext),
              (Log{"request POST / HTTP/1.1 POST", "header Content-Length: [" + value + "]",
                   "error bad_content_length"} +
               kNextLog))
        << value;
  }
  // The largest accepted: 2^63-1.
  Options open;
  open.end_of_stream = false;
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nContent-Length: 9223372036854775807\r\n\r\n", open),
              ElementsAre("request POST / HTTP/1.1 POST", "header Content-Length: [9223372036854775807]",
                          "done length cl=9223372036854775807 keep-alive"));
}

TEST(HttpErrors, ConflictingDuplicateContentLengths) {
  EXPECT_EQ(parse_requests("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!\r\n" + kNext),
            (Log{"request POST / HTTP/1.1 POST", "header Content-Length: [5]", "header Content-Length: [6]",
                 "error bad_content_length"} +
             kNextLog));
  EXPECT_THAT(parse_responses("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"),
              ElementsAre("status 200 HTTP/1.1 [OK]", "header Content-Length: [1]", "header Content-Length: [2]",
                          "error bad_content_length"));
}

TEST(HttpErrors, BadTransferEncodingInRequests) {
  // A request must end its codings with chunked, once (RFC 9112 §6.3).
  for (const std::string te : {"gzip", "chunked, gzip", "chunked, chunked", "identity", ""}) {
    EXPECT_EQ(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: " + te + "\r\n\r\n" + kNext),
              (Log{"request POST / HTTP/1.1 POST", "header Transfer-Encoding: [" + te + "]",
                   "error bad_transfer_encoding"} +
               kNextLog))
        << te;
  }
}

TEST(HttpErrors, BadChunkSizes) {
  const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  const Log head_log = {"request POST / HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                        "done chunked keep-alive"};
  for (const std::string chunk : {"zz\r\n", "\r\n", "-1\r\n", " 5\r\n", "5 x\r\n", "0x5\r\n",
                                  "8000000000000000\r\n",          // 2^63
                                  "10000000000000000\r\n",         // 2^64
                                  "ffffffffffffffffffffffff\r\n",  // past 64 bits
                                  "5;\x01\r\n"}) {
    EXPECT_EQ(parse_requests(head + chunk + "hello\r\n0\r\n\r\n" + kNext), head_log + Log{"error bad_chunk"} + kNextLog)
        << escaped(chunk);
  }
  Options open;
  open.end_of_stream = false;
  // The largest accepted chunk: 2^63-1, leading zeros not counted.
  EXPECT_EQ(parse_requests(head + "00007fffffffffffffff\r\nab", open), head_log + Log{"body [ab]"});
}

TEST(HttpErrors, ChunkDataNotFollowedByCrlf) {
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n"),
              ElementsAre("request POST / HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [abc]", "error bad_chunk"));
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\rX0\r\n\r\n"),
              ElementsAre("request POST / HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "body [abc]", "error bad_chunk"));
}

TEST(HttpErrors, ChunkSizeLineTooLong) {
  Options open;
  open.end_of_stream = false;
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;" + std::string(3000, 'e'), open),
              ElementsAre("request POST / HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "error bad_chunk"));
}

TEST(HttpErrors, TrailersHaveLimitsOfTheirOwn) {
  Options options;
  options.limits.max_headers = 2;
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nA: 1\r\n\r\n"
                             "0\r\nT1: a\r\nT2: b\r\nT3: c\r\n\r\n",
                             options),
              ElementsAre("request POST / HTTP/1.1 POST", "header Transfer-Encoding: [chunked]", "header A: [1]",
                          "done chunked keep-alive", "trailer T1: [a]", "trailer T2: [b]", "error too_many_headers"));
  EXPECT_THAT(parse_requests("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer\r\n\r\n"),
              ElementsAre("request POST / HTTP/1.1 POST", "header Transfer-Encoding: [chunked]",
                          "done chunked keep-alive", "error bad_header"));
}

TEST(HttpErrors, StreamEndingInsideAMessage) {
  for (const std::string cut : {"GET / HTT", "GET / HTTP/1.1\r\nHost", "GET / HTTP/1.1\r\n",
                                "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc",
                                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde",
                                "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"}) {
    const Log log = parse_requests(cut);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back(), "error truncated_message") << cut;
  }
  // Between messages (even after empty lines) the end of the stream is clean.
  EXPECT_THAT(parse_requests("GET / HTTP/1.1\r\n\r\n\r\n"),
              ElementsAre("request GET / HTTP/1.1 GET", "done none keep-alive", "message_done"));
}

TEST(HttpErrors, AnErrorIsReportedOnceThenTheParserLooksForTheNextMessage) {
  // Junk after the error is skipped without further errors; a line that
  // only looks like a start from afar (lower-case method, no version) is
  // not taken.
  const Log log = parse_requests("GET / HTTP/1.1\r\nBad\r\n\r\nmore junk\r\nget / HTTP/1.1\r\nGET /x\r\n" + kNext);
  EXPECT_EQ(log, (Log{"request GET / HTTP/1.1 GET", "error bad_header"} + kNextLog));
}

TEST(HttpErrors, ErrorStatsCount) {
  HttpParser parser(HttpParser::Role::kRequests);
  Recorder sink;
  feed_exact(parser, "BAD\r\n\r\nGET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", HttpLimits{}, sink);
  EXPECT_EQ(parser.stats().errors, 2u);
  EXPECT_EQ(parser.stats().messages, 1u);
  EXPECT_EQ(parser.stats().resyncs, 1u);
  EXPECT_EQ(parser.stats().bytes_discarded, 2u);  // the empty line after BAD
  EXPECT_FALSE(parser.synchronised());
}

}  // namespace
}  // namespace segward::http
