// The parser as an object the dataplane keeps per connection: its size, no
// heap after construction, reuse through reset(); and the line parsers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "tests/unit/http/http_test_support.h"

// Counts operator new while `counting` is set, to show the parser never
// allocates. Replacing the global operator is the only way to see it.
// noinline: inlined into callers, GCC takes malloc/free inside them for a
// mismatch with new/delete (-Wmismatched-new-delete at -O2 and up).
namespace {
std::atomic<bool> counting{false};
std::atomic<int> allocations{0};
}  // namespace

[[gnu::noinline]] void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t size) { return operator new(size); }
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace segward::http {
namespace {

using namespace segward::http::testing;
using ::testing::ElementsAre;

// A sink that allocates nothing itself.
struct CountingSink {
  int starts = 0, headers = 0, heads = 0, messages = 0, errors = 0, warnings = 0, trailers = 0;
  std::size_t body = 0;
  void on_request_line(const RequestLine&) { ++starts; }
  void on_status_line(const StatusLine&) { ++starts; }
  void on_header(std::string_view, std::string_view) { ++headers; }
  void on_trailer(std::string_view, std::string_view) { ++trailers; }
  void on_headers_done(const HeadersDone&) { ++heads; }
  void on_body(std::span<const std::uint8_t> b) { body += b.size(); }
  void on_message_done() { ++messages; }
  void on_error(HttpError) { ++errors; }
  void on_warning(HttpWarning) { ++warnings; }
};

std::span<const std::uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(HttpParserObject, IsSmall) {
  // Per connection per direction: the 2 KiB line buffer and a few words.
  EXPECT_LE(sizeof(HttpParser), HttpParser::kMaxLineBytes + 128);
  EXPECT_LE(sizeof(HttpExchange), 2 * sizeof(HttpParser) + 16 * 16 + 64);
}

TEST(HttpParserObject, AllocatesNothingAfterConstruction) {
  // Built before counting: the test's own strings allocate.
  const std::string requests =
      "POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\nUser-Agent: libprocess/x@10.0.0.3:1\r\n"
      "Host: \r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: v\r\n\r\n"
      "GET / HTTP/1.1\r\nCookie: " +
      std::string(5000, 'c') + "\r\n\r\nBAD LINE\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nabc";
  const std::string rest = "defghiGET /x HTTP/1.1\r\nHo";
  const std::string responses =
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.0 200 OK\r\n\r\nbody";
  HttpExchange exchange;
  HttpParser parser(HttpParser::Role::kRequests);
  CountingSink req, resp;
  const HttpLimits limits;
  counting = true;
  ::operator delete(::operator new(1));  // the counter works (a direct call is never elided)
  ASSERT_EQ(allocations.exchange(0), 1);
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < requests.size(); i += 7) {
      parser.feed(as_bytes(std::string_view(requests).substr(i, 7)), limits, req);
      exchange.feed_requests(as_bytes(std::string_view(requests).substr(i, 7)), limits, req);
    }
    parser.gap(3, req);
    parser.feed(as_bytes(rest), limits, req);
    parser.gap(1000, req);
    parser.end_of_stream(req);
    exchange.feed_responses(as_bytes(responses), limits, resp);
    exchange.gap_requests(10, req);
    exchange.end_of_responses(resp);
    parser.reset();
    exchange.reset();
  }
  counting = false;
  EXPECT_EQ(allocations.load(), 0);
  EXPECT_GT(req.messages, 0);
  EXPECT_GT(resp.messages, 0);
}

TEST(HttpParserObject, ResetMidMessageGivesAFreshParser) {
  HttpParser parser(HttpParser::Role::kRequests);
  Recorder sink;
  const HttpLimits limits;
  feed_exact(parser, "POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial", limits, sink);
  EXPECT_TRUE(parser.in_message());
  parser.reset();
  EXPECT_FALSE(parser.in_message());
  EXPECT_EQ(parser.stats().messages, 0u);
  sink.take();
  feed_exact(parser, "GET / HTTP/1.1\r\n\r\n", limits, sink);
  EXPECT_THAT(sink.take(), ElementsAre("request GET / HTTP/1.1 GET", "done none keep-alive", "message_done"));
  // A partial line does not leak into the next use either.
  feed_exact(parser, "GET /aaaa", limits, sink);
  parser.reset(HttpParser::Role::kResponses);
  EXPECT_EQ(parser.role(), HttpParser::Role::kResponses);
  feed_exact(parser, "HTTP/1.1 204 No Content\r\n\r\n", limits, sink);
  EXPECT_THAT(sink.take(), ElementsAre("status 204 HTTP/1.1 [No Content]", "done none keep-alive", "message_done"));
}

TEST(HttpParserObject, EmptyFeedsChangeNothing) {
  HttpParser parser(HttpParser::Role::kRequests);
  Recorder sink;
  const HttpLimits limits;
  parser.feed({}, limits, sink);
  feed_exact(parser, "GET / HTTP/1.1\r\n", limits, sink);
  parser.feed({}, limits, sink);
  feed_exact(parser, "\r\n", limits, sink);
  EXPECT_THAT(sink.take(), ElementsAre("request GET / HTTP/1.1 GET", "done none keep-alive", "message_done"));
}

TEST(HttpParserObject, SinkWithoutOptionalCallbacks) {
  // Only the required seven: trailers are dropped, warnings not reported,
  // responses framed as answers to GET.
  struct Minimal {
    int messages = 0, errors = 0;
    std::size_t body = 0;
    void on_request_line(const RequestLine&) {}
    void on_status_line(const StatusLine&) {}
    void on_header(std::string_view, std::string_view) {}
    void on_headers_done(const HeadersDone&) {}
    void on_body(std::span<const std::uint8_t> b) { body += b.size(); }
    void on_message_done() { ++messages; }
    void on_error(HttpError) { ++errors; }
  } sink;
  HttpParser parser(HttpParser::Role::kResponses);
  parser.feed(as_bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX: y\r\n\r\n"
                       "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
              HttpLimits{}, sink);
  EXPECT_EQ(sink.messages, 2);
  EXPECT_EQ(sink.body, 4u);
  EXPECT_EQ(sink.errors, 0);
}

TEST(HttpLineParsers, RequestLine) {
  RequestLine r;
  ASSERT_EQ(detail::parse_request_line("POST /a?b=c HTTP/1.0", r), HttpError::kNone);
  EXPECT_EQ(r.method, Method::kPost);
  EXPECT_EQ(r.method_text, "POST");
  EXPECT_EQ(r.target, "/a?b=c");
  EXPECT_EQ(r.version_minor, 0);
  EXPECT_EQ(detail::parse_request_line("", r), HttpError::kBadRequestLine);
  EXPECT_EQ(detail::parse_request_line("GET / HTTP/3.0", r), HttpError::kBadVersion);
}

TEST(HttpLineParsers, StatusLine) {
  StatusLine s;
  ASSERT_EQ(detail::parse_status_line("HTTP/1.0 503 Service Unavailable", s), HttpError::kNone);
  EXPECT_EQ(s.status, 503);
  EXPECT_EQ(s.version_minor, 0);
  EXPECT_EQ(s.reason, "Service Unavailable");
  EXPECT_EQ(detail::parse_status_line("", s), HttpError::kBadStatusLine);
}

TEST(HttpLineParsers, ChunkSizeAndContentLength) {
  std::uint64_t size = 0;
  EXPECT_TRUE(detail::parse_chunk_size("ff", size));
  EXPECT_EQ(size, 255u);
  EXPECT_TRUE(detail::parse_chunk_size("7FFFFFFFFFFFFFFF", size));
  EXPECT_EQ(size, 0x7fffffffffffffffu);
  EXPECT_FALSE(detail::parse_chunk_size("8000000000000000", size));
  EXPECT_TRUE(detail::parse_chunk_size("1\t; a=b", size));
  std::int64_t length = 0;
  EXPECT_TRUE(detail::parse_content_length("007", length));
  EXPECT_EQ(length, 7);
  EXPECT_TRUE(detail::parse_content_length("3,,3 ,", length));
  EXPECT_FALSE(detail::parse_content_length("3,4", length));
}

TEST(HttpLineParsers, ResyncShapes) {
  EXPECT_TRUE(detail::start_line_plausible(true, "GET /x HTTP/1.1"));
  EXPECT_TRUE(detail::start_line_plausible(true, "M-SEARCH * HTTP/1.1"));
  EXPECT_FALSE(detail::start_line_plausible(true, "CONNECT host:443 HTTP/1.1"));  // authority-form: too loose to trust
  EXPECT_FALSE(detail::start_line_plausible(true, "get /x HTTP/1.1"));
  EXPECT_FALSE(detail::start_line_plausible(true, "GET /x HTTP/1.1 "));
  EXPECT_TRUE(detail::start_line_plausible(false, "HTTP/1.1 200 OK"));
  EXPECT_TRUE(detail::start_line_plausible(false, "HTTP/1.0 404"));
  EXPECT_FALSE(detail::start_line_plausible(false, "HTTP/1.1 2000"));
  EXPECT_FALSE(detail::start_line_plausible(false, "HTTP/2.0 200 OK"));
  EXPECT_TRUE(detail::start_prefix_plausible(true, "GE"));
  EXPECT_FALSE(detail::start_prefix_plausible(true, "GET x"));
  EXPECT_TRUE(detail::start_prefix_plausible(false, "HTTP/1"));
  EXPECT_FALSE(detail::start_prefix_plausible(false, "HTTP/1.1 20x"));
}

TEST(HttpMethods, NamesRoundTrip) {
  for (const Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kDelete, Method::kPatch,
                         Method::kOptions, Method::kConnect, Method::kTrace}) {
    EXPECT_EQ(method_from_text(method_name(m)), m);
  }
  EXPECT_EQ(method_name(Method::kOther), "OTHER");
  EXPECT_EQ(method_from_text("OTHER"), Method::kOther);
}

}  // namespace
}  // namespace segward::http
