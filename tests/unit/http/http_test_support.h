#pragma once
// Test-only helpers for decoders/http: a sink that writes each callback as
// one line of text, and parse helpers that feed the same bytes whole, one
// byte at a time, cut at every position and in random pieces, and expect the
// same lines every time. Every test message goes through them, so every test
// also checks that the result does not depend on how TCP cut the stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/http/http_exchange.h"
#include "decoders/http/http_parser.h"

namespace segward::http {

inline void PrintTo(HttpError error, std::ostream* os) { *os << http_error_name(error); }

}  // namespace segward::http

namespace segward::http::testing {

using Role = HttpParser::Role;
using Log = std::vector<std::string>;

inline std::string escaped(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && u != '\\') {
      out += c;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02x", u);
      out += hex;
    }
  }
  return out;
}

inline std::string_view framing_name(BodyFraming f) {
  switch (f) {
    case BodyFraming::kNone: return "none";
    case BodyFraming::kContentLength: return "length";
    case BodyFraming::kChunked: return "chunked";
    case BodyFraming::kUntilClose: return "until_close";
    case BodyFraming::kTunnel: return "tunnel";
  }
  return "?";
}

// One line per callback. The body bytes of one message are merged into one
// "body ..." line, since their cut into on_body calls is not part of the
// contract.
struct Recorder {
  Log events;
  std::string body;
  Method answer = Method::kGet;  // what request_method() returns

  void on_request_line(const RequestLine& r) {
    flush();
    events.push_back("request " + std::string(r.method_text) + " " + std::string(r.target) + " HTTP/1." +
                     std::to_string(r.version_minor) + " " + std::string(method_name(r.method)));
  }
  void on_status_line(const StatusLine& s) {
    flush();
    events.push_back("status " + std::to_string(s.status) + " HTTP/1." + std::to_string(s.version_minor) + " [" +
                     std::string(s.reason) + "]");
  }
  Method request_method() const { return answer; }
  void on_header(std::string_view name, std::string_view value) {
    flush();
    events.push_back("header " + std::string(name) + ": [" + escaped(value) + "]");
  }
  void on_trailer(std::string_view name, std::string_view value) {
    flush();
    events.push_back("trailer " + std::string(name) + ": [" + escaped(value) + "]");
  }
  void on_headers_done(const HeadersDone& d) {
    flush();
    std::string line = "done " + std::string(framing_name(d.framing));
    if (d.content_length >= 0) line += " cl=" + std::to_string(d.content_length);
    line += d.keep_alive ? " keep-alive" : " close";
    if (d.length_conflict) line += " conflict";
    EXPECT_EQ(d.chunked, d.framing == BodyFraming::kChunked);
    EXPECT_EQ(d.body_until_close, d.framing == BodyFraming::kUntilClose);
    events.push_back(line);
  }
  void on_body(std::span<const std::uint8_t> bytes) {
    body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  void on_message_done() {
    flush();
    events.push_back("message_done");
  }
  void on_error(HttpError e) {
    flush();
    events.push_back("error " + std::string(http_error_name(e)));
  }
  void on_warning(HttpWarning w) {
    flush();
    events.push_back("warning " + std::string(http_warning_name(w)));
  }
  void on_request_index(std::uint64_t index) { events.push_back("index " + std::to_string(index)); }
  void on_response_to(const PairedRequest& r) {
    std::string line = "answers ";
    line += r.index_known ? std::to_string(r.index) : std::string("?");
    line += " ";
    line += r.method_known ? std::string(method_name(r.method)) : std::string("?");
    events.push_back(line);
  }
  void flush() {
    if (body.empty()) return;
    events.push_back("body [" + escaped(body) + "]");
    body.clear();
  }
  Log take() {
    flush();
    return std::move(events);
  }
};

// A step of one direction's input: bytes, or a gap the reassembler reports.
struct Step {
  std::string bytes;
  std::uint32_t gap = 0;
};
inline Step bytes(std::string b) { return Step{std::move(b), 0}; }
inline Step gap(std::uint32_t n) { return Step{{}, n}; }

struct Options {
  HttpLimits limits{};
  Method answer = Method::kGet;
  bool end_of_stream = true;
};

// Feeds a piece from an exact-size heap copy, so ASan sees a one-byte over-read.
template <class Sink>
void feed_exact(HttpParser& parser, std::string_view piece, const HttpLimits& limits, Sink& sink) {
  std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[piece.size()]);
  std::copy(piece.begin(), piece.end(), copy.get());
  parser.feed(std::span<const std::uint8_t>(copy.get(), piece.size()), limits, sink);
}

// How each bytes step is cut: whole, one byte at a time, at one position, or
// at random positions.
struct Cut {
  enum Kind { kWhole, kBytewise, kAt, kRandom } kind = kWhole;
  std::size_t at = 0;  // kAt: first piece length; kRandom: seed
};

inline std::vector<std::string_view> pieces(std::string_view data, const Cut& cut) {
  std::vector<std::string_view> out;
  switch (cut.kind) {
    case Cut::kWhole:
      out.push_back(data);
      break;
    case Cut::kBytewise:
      for (std::size_t i = 0; i < data.size(); ++i) out.push_back(data.substr(i, 1));
      break;
    case Cut::kAt: {
      const std::size_t at = std::min(cut.at, data.size());
      out.push_back(data.substr(0, at));
      out.push_back(data.substr(at));
      break;
    }
    case Cut::kRandom: {
      std::mt19937 rng(static_cast<std::uint32_t>(cut.at));
      std::size_t at = 0;
      while (at < data.size()) {
        const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
        out.push_back(data.substr(at, n));
        at += n;
      }
      break;
    }
  }
  return out;
}

struct Result {
  Log log;
  HttpParserStats stats;
};

inline Result run_steps(HttpParser& parser, const std::vector<Step>& steps, const Options& options, const Cut& cut) {
  Recorder sink;
  sink.answer = options.answer;
  for (const Step& step : steps) {
    if (step.gap != 0) {
      parser.gap(step.gap, sink);
      continue;
    }
    for (const std::string_view piece : pieces(step.bytes, cut)) feed_exact(parser, piece, options.limits, sink);
  }
  if (options.end_of_stream) parser.end_of_stream(sink);
  return Result{sink.take(), parser.stats()};
}

inline void expect_same_stats(const HttpParserStats& a, const HttpParserStats& b, const std::string& how) {
  EXPECT_EQ(a.messages, b.messages) << how;
  EXPECT_EQ(a.errors, b.errors) << how;
  EXPECT_EQ(a.gaps, b.gaps) << how;
  EXPECT_EQ(a.resyncs, b.resyncs) << how;
  EXPECT_EQ(a.bytes_discarded, b.bytes_discarded) << how;
  EXPECT_EQ(a.tunnel_bytes, b.tunnel_bytes) << how;
}

// The log of `steps` fed whole; also expects the same log and stats when
// every bytes step is fed one byte at a time, cut at each position (when
// short enough) and in random pieces. One parser, reset between runs, as
// the dataplane reuses one per direction.
inline Result parse_steps(Role role, const std::vector<Step>& steps, const Options& options = {}) {
  HttpParser parser(role);
  const Result whole = run_steps(parser, steps, options, Cut{});
  std::size_t longest = 0;
  for (const Step& s : steps) longest = std::max(longest, s.bytes.size());
  std::vector<Cut> cuts{{Cut::kBytewise, 0}};
  if (longest <= 4096) {
    for (std::size_t at = 1; at < longest; ++at) cuts.push_back({Cut::kAt, at});
  }
  for (std::size_t seed = 1; seed <= 8; ++seed) cuts.push_back({Cut::kRandom, seed});
  for (const Cut& cut : cuts) {
    parser.reset();
    const Result other = run_steps(parser, steps, options, cut);
    const std::string how = "cut kind " + std::to_string(cut.kind) + " at " + std::to_string(cut.at);
    EXPECT_EQ(other.log, whole.log) << how;
    expect_same_stats(other.stats, whole.stats, how);
    if (other.log != whole.log) break;  // one report is enough
  }
  return whole;
}

inline Log parse(Role role, std::string wire, const Options& options = {}) {
  return parse_steps(role, {bytes(std::move(wire))}, options).log;
}
inline Log parse_requests(std::string wire, const Options& options = {}) {
  return parse(Role::kRequests, std::move(wire), options);
}
inline Log parse_responses(std::string wire, const Options& options = {}) {
  return parse(Role::kResponses, std::move(wire), options);
}

// Concatenation, for readable expectations.
inline Log operator+(Log a, const Log& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace segward::http::testing
