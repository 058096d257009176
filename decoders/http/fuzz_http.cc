// Fuzz target: arbitrary bytes into a request parser, a response parser and
// an exchange. Invariants: no crash, no read outside the input (ASan), every
// string_view inside the current input piece or the parser's own object,
// body bytes never more than input bytes, every started message ends once,
// and the callbacks (and stats) for the input fed whole equal those for the
// same input cut into pieces at positions taken from the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "decoders/http/http_exchange.h"
#include "decoders/http/http_parser.h"

namespace {

using segward::http::HeadersDone;
using segward::http::HttpError;
using segward::http::HttpExchange;
using segward::http::HttpLimits;
using segward::http::HttpParser;
using segward::http::HttpWarning;
using segward::http::Method;
using segward::http::PairedRequest;
using segward::http::RequestLine;
using segward::http::StatusLine;

void check(bool invariant) {
  if (!invariant) std::abort();
}

// Digests the callbacks (FNV-1a) and checks every view it is handed.
class CheckingSink {
 public:
  CheckingSink(const void* owner, std::size_t owner_size, Method answer)
      : owner_(static_cast<const std::uint8_t*>(owner)), owner_size_(owner_size), answer_(answer) {}

  void set_piece(std::span<const std::uint8_t> piece) { piece_ = piece; }

  void on_request_line(const RequestLine& r) {
    start();
    text(r.method_text);
    text(r.target);
    mix(r.version_minor);
    mix(static_cast<std::uint8_t>(r.method));
    check(!r.method_text.empty() && !r.target.empty());
  }
  void on_status_line(const StatusLine& s) {
    start();
    mix(s.status);
    mix(s.version_minor);
    text(s.reason);
    check(s.status >= 100 && s.status <= 999);
  }
  Method request_method() const { return answer_; }
  void on_header(std::string_view name, std::string_view value) {
    check(in_message_);
    mix('H');
    text(name);
    text(value);
    check(!name.empty());
  }
  void on_trailer(std::string_view name, std::string_view value) {
    check(in_message_);
    mix('T');
    text(name);
    text(value);
  }
  void on_headers_done(const HeadersDone& d) {
    check(in_message_);
    mix('D');
    mix(static_cast<std::uint64_t>(d.content_length));
    mix(static_cast<std::uint8_t>(d.framing));
    mix(static_cast<std::uint8_t>(d.keep_alive));
    check(d.chunked == (d.framing == segward::http::BodyFraming::kChunked));
    check(d.content_length >= -1);
  }
  void on_body(std::span<const std::uint8_t> bytes) {
    check(in_message_);
    // Body bytes are never buffered: always inside the piece being fed.
    check(bytes.empty() || (bytes.data() >= piece_.data() && bytes.data() + bytes.size() <= piece_.data() + piece_.size()));
    body_bytes_ += bytes.size();
    for (const std::uint8_t b : bytes) mix(b);  // not framed per call: pieces may cut the body anywhere
  }
  void on_message_done() {
    check(in_message_);
    in_message_ = false;
    mix('M');
  }
  void on_error(HttpError e) {
    check(e != HttpError::kNone && static_cast<std::size_t>(e) < segward::http::kHttpErrorCount);
    check(!segward::http::http_error_name(e).empty());
    in_message_ = false;
    mix('E');
    mix(static_cast<std::uint8_t>(e));
  }
  void on_warning(HttpWarning w) {
    check(static_cast<std::size_t>(w) < segward::http::kHttpWarningCount);
    mix('W');
    mix(static_cast<std::uint8_t>(w));
  }
  void on_response_to(const PairedRequest& r) { mix(r.index_known ? r.index : ~std::uint64_t{0}); }

  [[nodiscard]] std::uint64_t digest() const { return hash_; }
  [[nodiscard]] std::size_t body_bytes() const { return body_bytes_; }

 private:
  void start() {
    in_message_ = true;
    mix('S');
  }
  void text(std::string_view v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
    const bool in_piece = p >= piece_.data() && p + v.size() <= piece_.data() + piece_.size();
    const bool in_owner = p >= owner_ && p + v.size() <= owner_ + owner_size_;
    check(v.empty() || in_piece || in_owner);
    mix(v.size());
    for (const char c : v) mix(static_cast<std::uint8_t>(c));
  }
  template <class T>
  void mix(T v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < static_cast<int>(sizeof(T)); ++i) {
      hash_ ^= (u >> (8 * i)) & 0xff;
      hash_ *= 1099511628211ULL;
    }
  }

  const std::uint8_t* owner_;
  std::size_t owner_size_;
  Method answer_;
  std::span<const std::uint8_t> piece_;
  std::uint64_t hash_ = 14695981039346656037ULL;
  std::size_t body_bytes_ = 0;
  bool in_message_ = false;
};

struct Run {
  std::uint64_t digest;
  segward::http::HttpParserStats stats;
};

// Cuts from a small xorshift seeded by the input, so a crash reproduces.
std::size_t next_cut(std::uint32_t& state, std::size_t left) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return 1 + state % (left < 64 ? left : 64);
}

constexpr std::uint32_t kWhole = 0;
constexpr std::uint32_t kByteAtATime = ~std::uint32_t{0};

Run run(HttpParser& parser, std::span<const std::uint8_t> input, const HttpLimits& limits, Method answer,
        std::uint32_t seed) {
  parser.reset();
  CheckingSink sink(&parser, sizeof(parser), answer);
  std::size_t at = 0;
  while (at < input.size()) {
    const std::size_t n = seed == kWhole ? input.size() : seed == kByteAtATime ? 1 : next_cut(seed, input.size() - at);
    const auto piece = input.subspan(at, n);
    sink.set_piece(piece);
    parser.feed(piece, limits, sink);
    at += n;
  }
  sink.set_piece({});
  parser.end_of_stream(sink);
  check(sink.body_bytes() <= input.size());
  check(!parser.in_message());
  return Run{sink.digest(), parser.stats()};
}

bool same(const Run& a, const Run& b) {
  return a.digest == b.digest && a.stats.messages == b.stats.messages && a.stats.errors == b.stats.errors &&
         a.stats.resyncs == b.stats.resyncs && a.stats.bytes_discarded == b.stats.bytes_discarded &&
         a.stats.tunnel_bytes == b.stats.tunnel_bytes;
}

void run_with_gap(HttpParser& parser, std::span<const std::uint8_t> input, const HttpLimits& limits, std::size_t cut,
                  std::uint32_t gap) {
  parser.reset();
  CheckingSink sink(&parser, sizeof(parser), Method::kGet);
  sink.set_piece(input.first(cut));
  parser.feed(input.first(cut), limits, sink);
  sink.set_piece({});
  parser.gap(gap, sink);
  sink.set_piece(input.subspan(cut));
  parser.feed(input.subspan(cut), limits, sink);
  parser.end_of_stream(sink);
  check(sink.body_bytes() <= input.size());
}

void run_exchange(std::span<const std::uint8_t> requests, std::span<const std::uint8_t> responses,
                  const HttpLimits& limits, std::uint32_t seed) {
  HttpExchange exchange;
  CheckingSink req(&exchange, sizeof(exchange), Method::kGet);
  CheckingSink resp(&exchange, sizeof(exchange), Method::kGet);
  std::size_t a = 0, b = 0;
  while (a < requests.size() || b < responses.size()) {
    if (a < requests.size()) {
      const auto piece = requests.subspan(a, next_cut(seed, requests.size() - a));
      req.set_piece(piece);
      exchange.feed_requests(piece, limits, req);
      a += piece.size();
    }
    if (b < responses.size()) {
      const auto piece = responses.subspan(b, next_cut(seed, responses.size() - b));
      resp.set_piece(piece);
      exchange.feed_responses(piece, limits, resp);
      b += piece.size();
    }
    if ((seed & 0xff) == 0x5a) exchange.gap_requests(seed >> 20);
  }
  exchange.end_of_requests(req);
  exchange.end_of_responses(resp);
  check(exchange.outstanding() <= HttpExchange::kMaxOutstanding);
  check(req.body_bytes() <= requests.size() && resp.body_bytes() <= responses.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t control = data[0];
  const std::span<const std::uint8_t> input(data + 2, size - 2);
  const std::uint32_t seed = 0x9e3779b9u ^ (std::uint32_t{control} << 8) ^ data[1];
  // Small limits some of the time, so the limit paths are reached.
  HttpLimits limits;
  if (control & 0x01) limits = HttpLimits{static_cast<std::uint32_t>(64 + data[1] * 8), static_cast<std::uint16_t>(1 + (data[1] & 7))};
  const Method answer = (control & 0x02) ? Method::kHead : (control & 0x04) ? Method::kConnect : Method::kGet;

  static HttpParser parser(HttpParser::Role::kRequests);  // static: as the dataplane, one object reset and reused
  for (const auto role : {HttpParser::Role::kRequests, HttpParser::Role::kResponses}) {
    parser.reset(role);
    const Run whole = run(parser, input, limits, answer, kWhole);
    check(same(whole, run(parser, input, limits, answer, seed | 1)));  // xorshift needs a non-zero state
    if (input.size() <= 4096) check(same(whole, run(parser, input, limits, answer, kByteAtATime)));
    if (!input.empty()) run_with_gap(parser, input, limits, data[1] % input.size(), seed % 4096);
  }
  const std::size_t mid = input.empty() ? 0 : control % input.size();
  run_exchange(input.first(mid), input.subspan(mid), limits, seed);
  return 0;
}
