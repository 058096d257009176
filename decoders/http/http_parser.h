#pragma once
// Incremental HTTP/1.0 and HTTP/1.1 parser for one direction of one TCP
// connection (RFC 9112 framing).
//
// Input is the in-order bytes of that direction, in pieces of any size; the
// callbacks a sink receives do not depend on where the pieces were cut (body
// bytes may arrive in a different number of on_body calls). The parser
// allocates nothing after construction, throws nothing, and reads only the
// bytes of the span it is given. One object is ~2.1 KiB, most of it the
// buffer that holds a line cut across pieces; reset() makes it reusable.
//
// Sink (a template parameter: no virtual calls). Every string_view is valid
// only during the call.
//   void on_request_line(const RequestLine&);                // role kRequests
//   void on_status_line(const StatusLine&);                  // role kResponses
//   void on_header(std::string_view name, std::string_view value);  // whole, value trimmed
//   void on_headers_done(const HeadersDone&);
//   void on_body(std::span<const std::uint8_t>);             // de-chunked, into the input
//   void on_message_done();
//   void on_error(HttpError);                                // then resync, see below
// Optional (detected at compile time):
//   void on_trailer(std::string_view name, std::string_view value);  // after the last chunk
//   void on_warning(HttpWarning);                            // non-fatal anomalies
//   Method request_method();  // role kResponses: called right after on_status_line, the
//                             // method of the request it answers (HEAD, CONNECT change
//                             // the framing); absent = GET
//
// A message that reported its start line ends with exactly one of
// on_message_done or on_error. After on_error the parser discards bytes until
// the next plausible message start at the beginning of a line (request role:
// `TOKEN SP /... SP HTTP/1.x`, response role: `HTTP/1.x SP ddd`), reports
// on_warning(kResynced) and parses from there; it never stops for good.
//
// Thread-safety: one parser per direction per connection, one thread.
#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "decoders/http/http_message.h"

namespace segward::http {

struct HttpParserStats {
  std::uint32_t messages = 0;         // on_message_done calls
  std::uint32_t errors = 0;           // on_error calls
  std::uint32_t gaps = 0;             // gap() calls with bytes > 0
  std::uint32_t resyncs = 0;          // message starts found after loss of sync
  std::uint64_t bytes_discarded = 0;  // bytes skipped while resynchronising, and a line refused for its length
  std::uint64_t tunnel_bytes = 0;     // bytes after 101 / 2xx-to-CONNECT, not parsed
};

namespace detail {

template <class S>
concept SinkHasTrailer = requires(S& s, std::string_view v) { s.on_trailer(v, v); };
template <class S>
concept SinkHasWarning = requires(S& s) { s.on_warning(HttpWarning::kResynced); };
template <class S>
concept SinkHasRequestMethod = requires(S& s) {
  { s.request_method() } -> std::convertible_to<Method>;
};

// A sink that ignores everything, for gap() without a sink.
struct NullSink {
  void on_request_line(const RequestLine&) noexcept {}
  void on_status_line(const StatusLine&) noexcept {}
  void on_header(std::string_view, std::string_view) noexcept {}
  void on_headers_done(const HeadersDone&) noexcept {}
  void on_body(std::span<const std::uint8_t>) noexcept {}
  void on_message_done() noexcept {}
  void on_error(HttpError) noexcept {}
};

// Pure line parsers, exposed for tests. Each takes one line without its
// CRLF and returns kNone or the reason it is refused.
HttpError parse_request_line(std::string_view line, RequestLine& out) noexcept;
HttpError parse_status_line(std::string_view line, StatusLine& out) noexcept;
// name ":" OWS value OWS; value comes back trimmed.
HttpError parse_field_line(std::string_view line, std::string_view& name, std::string_view& value) noexcept;
// 1*HEXDIG [BWS ";" chunk-ext]; false on junk or a size above 2^63-1.
bool parse_chunk_size(std::string_view line, std::uint64_t& size) noexcept;
// 1*DIGIT, or a list of identical ones ("42, 42", RFC 9110 §8.6); false on
// junk, a sign, differing values or a value above 2^63-1.
bool parse_content_length(std::string_view value, std::int64_t& out) noexcept;
// Could a line starting with `prefix` be a message start the parser resyncs on?
bool start_prefix_plausible(bool requests, std::string_view prefix) noexcept;
// Is the whole line (no CRLF) a message start the parser resyncs on?
bool start_line_plausible(bool requests, std::string_view line) noexcept;

}  // namespace detail

class HttpParser {
 public:
  enum class Role : std::uint8_t { kRequests, kResponses };
  // What gap() did: skipped body bytes and stayed in sync, lost sync (the
  // parser resyncs on the next message start), or nothing (tunnel).
  enum class GapEffect : std::uint8_t { kIgnored, kBodySkipped, kLostSync };

  // A line cut across pieces is kept here. Longer lines (bytes before LF,
  // CR included): a header/trailer line is delivered cut to this size with
  // on_warning(kHeaderTruncated); a start line is kStartLineTooLong, a chunk
  // size line kBadChunk.
  static constexpr std::size_t kMaxLineBytes = 2048;

  explicit HttpParser(Role role) noexcept : role_(role) {}

  /// Back to the state after construction (stats zeroed), keeping the role.
  void reset() noexcept { reset(role_); }
  void reset(Role role) noexcept;

  template <class Sink>
  void feed(std::span<const std::uint8_t> bytes, const HttpLimits& limits, Sink& sink);

  /// The reassembler lost `bytes` bytes here. Inside a body of known length
  /// (Content-Length, the current chunk, until-close) they are skipped with
  /// on_warning(kBodyGap); anywhere else the current message is abandoned
  /// with on_error(kGap) and the parser resyncs.
  template <class Sink>
  GapEffect gap(std::uint32_t bytes, Sink& sink);
  GapEffect gap(std::uint32_t bytes) noexcept {
    detail::NullSink sink;
    return gap(bytes, sink);
  }

  /// FIN: completes a body that runs until close; a message cut short is
  /// on_error(kTruncatedMessage). The parser is then idle.
  template <class Sink>
  void end_of_stream(Sink& sink);

  /// What follows is not HTTP (the other direction saw 101 or a 2xx to
  /// CONNECT): bytes are counted and ignored until reset().
  void enter_tunnel() noexcept;

  [[nodiscard]] Role role() const noexcept { return role_; }
  [[nodiscard]] bool synchronised() const noexcept { return state_ != State::kResync; }
  [[nodiscard]] bool in_tunnel() const noexcept { return state_ == State::kTunnel; }
  /// Inside a message: its first byte has been seen and it has not ended.
  [[nodiscard]] bool in_message() const noexcept {
    return state_ != State::kIdle && state_ != State::kResync && state_ != State::kTunnel;
  }
  [[nodiscard]] const HttpParserStats& stats() const noexcept { return stats_; }

 private:
  enum class State : std::uint8_t {
    kIdle,        // between messages: empty lines are skipped (RFC 9112 §2.2)
    kStartLine,   // request or status line
    kHeaderLine,  // header lines up to the blank line
    kBody,        // Content-Length bytes, remaining_ left
    kChunkSize,   // chunk size line
    kChunkData,   // chunk data, remaining_ left
    kChunkCr,     // CRLF after chunk data
    kChunkLf,
    kTrailerLine,  // trailer lines up to the blank line
    kUntilClose,   // body until end_of_stream
    kTunnel,       // not HTTP any more
    kResync,       // looking for a message start
  };
  enum class LengthState : std::uint8_t { kNone, kValid, kInvalid };

  // One line, or the part of it received so far. `raw` is its first
  // min(raw_len, kMaxLineBytes) bytes, CR not stripped.
  struct Line {
    std::string_view raw;
    std::uint64_t raw_len = 0;  // bytes before LF
    bool complete = false;
  };
  struct HeadVerdict {
    HeadersDone done;
    HttpError error = HttpError::kNone;
  };

  static constexpr std::uint64_t kNoLimit = ~std::uint64_t{0};

  static const std::uint8_t* find_lf(const std::uint8_t* p, const std::uint8_t* end) noexcept {
    return static_cast<const std::uint8_t*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
  }
  static std::string_view strip_cr(std::string_view raw) noexcept {
    return !raw.empty() && raw.back() == '\r' ? raw.substr(0, raw.size() - 1) : raw;
  }

  Line take_line(const std::uint8_t*& p, const std::uint8_t* end) noexcept;
  void append_line(const std::uint8_t* p, std::size_t n) noexcept;
  HttpError line_limit(std::uint64_t raw_len, std::uint64_t head_budget, HttpError too_long) const noexcept;
  std::uint64_t head_budget(const HttpLimits& limits) const noexcept;
  HttpError partial_line_error(std::uint64_t raw_len, const HttpLimits& limits) const noexcept;
  bool resync_prefix_plausible(const std::uint8_t* p, std::size_t n) const noexcept;
  void drop_candidate() noexcept;
  void begin_message() noexcept;
  void clear_message() noexcept;
  void note_header(std::string_view name, std::string_view value, bool truncated) noexcept;
  HeadVerdict evaluate_head() const noexcept;

  template <class Sink>
  void handle_line(const Line& line, const HttpLimits& limits, Sink& sink);
  template <class Sink>
  void handle_start_line(const Line& line, const HttpLimits& limits, Sink& sink);
  template <class Sink>
  void handle_field_line(const Line& line, const HttpLimits& limits, Sink& sink, bool trailer);
  template <class Sink>
  void handle_chunk_size(const Line& line, Sink& sink);
  template <class Sink>
  void end_head(Sink& sink);
  template <class Sink>
  void resync_step(const std::uint8_t*& p, const std::uint8_t* end, const HttpLimits& limits, Sink& sink);
  template <class Sink>
  void finish_message(Sink& sink);
  template <class Sink>
  void fail(Sink& sink, HttpError error, bool at_line_start);
  template <class Sink>
  static void warn(Sink& sink, HttpWarning warning) {
    if constexpr (detail::SinkHasWarning<Sink>) sink.on_warning(warning);
  }

  std::array<char, kMaxLineBytes> line_{};
  HttpParserStats stats_;
  std::uint64_t remaining_ = 0;       // body or chunk bytes left
  std::uint64_t line_total_ = 0;      // bytes of the partial line received (only kMaxLineBytes kept)
  std::int64_t content_length_ = 0;   // when cl_state_ == kValid
  std::uint32_t head_bytes_ = 0;      // of the head (or trailer section) so far
  std::uint16_t field_count_ = 0;     // header (or trailer) lines so far
  std::uint16_t status_ = 0;
  Role role_;
  State state_ = State::kIdle;
  LengthState cl_state_ = LengthState::kNone;
  Method request_method_ = Method::kGet;  // the request's, or (responses) the one answered
  std::uint8_t version_minor_ = 1;
  std::uint8_t te_chunked_ = 0;  // times "chunked" was listed, saturating at 2
  bool te_present_ = false;
  bool te_chunked_last_ = false;
  bool te_truncated_ = false;
  bool conn_close_ = false;
  bool conn_keep_alive_ = false;
  bool resync_candidate_ = false;  // resync: the next byte starts a line
};

// ---- implementation of the templates -------------------------------------

template <class Sink>
void HttpParser::feed(std::span<const std::uint8_t> bytes, const HttpLimits& limits, Sink& sink) {
  const std::uint8_t* p = bytes.data();
  const std::uint8_t* const end = p + bytes.size();
  while (p != end) {
    switch (state_) {
      case State::kIdle:
        while (p != end && (*p == '\r' || *p == '\n')) ++p;
        if (p != end) begin_message();
        break;
      case State::kStartLine:
      case State::kHeaderLine:
      case State::kChunkSize:
      case State::kTrailerLine: {
        const Line line = take_line(p, end);
        if (line.complete) {
          handle_line(line, limits, sink);
        } else if (const HttpError e = partial_line_error(line.raw_len, limits); e != HttpError::kNone) {
          // Counted whole whether the limit is seen before the LF or at it,
          // so the stats do not depend on where the input was cut.
          stats_.bytes_discarded += line.raw_len;
          fail(sink, e, false);
        }
        break;
      }
      case State::kBody:
      case State::kChunkData: {
        const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, static_cast<std::uint64_t>(end - p)));
        const std::span<const std::uint8_t> body(p, n);
        p += n;
        remaining_ -= n;
        const bool last = remaining_ == 0;
        if (last && state_ == State::kChunkData) state_ = State::kChunkCr;
        sink.on_body(body);
        if (last && state_ == State::kBody) finish_message(sink);
        break;
      }
      case State::kChunkCr:
      case State::kChunkLf:
        if (*p == '\r' && state_ == State::kChunkCr) {
          ++p;
          state_ = State::kChunkLf;
        } else if (*p == '\n') {
          ++p;
          state_ = State::kChunkSize;
        } else {
          fail(sink, HttpError::kBadChunk, false);
        }
        break;
      case State::kUntilClose: {
        const std::span<const std::uint8_t> body(p, static_cast<std::size_t>(end - p));
        p = end;
        sink.on_body(body);
        break;
      }
      case State::kTunnel:
        stats_.tunnel_bytes += static_cast<std::uint64_t>(end - p);
        p = end;
        break;
      case State::kResync:
        resync_step(p, end, limits, sink);
        break;
    }
  }
}

template <class Sink>
void HttpParser::handle_line(const Line& line, const HttpLimits& limits, Sink& sink) {
  switch (state_) {
    case State::kStartLine:
      handle_start_line(line, limits, sink);
      break;
    case State::kHeaderLine:
      handle_field_line(line, limits, sink, false);
      break;
    case State::kTrailerLine:
      handle_field_line(line, limits, sink, true);
      break;
    case State::kChunkSize:
      handle_chunk_size(line, sink);
      break;
    default:
      break;
  }
}

template <class Sink>
void HttpParser::handle_start_line(const Line& line, const HttpLimits& limits, Sink& sink) {
  if (const HttpError e = line_limit(line.raw_len, head_budget(limits), HttpError::kStartLineTooLong);
      e != HttpError::kNone) {
    stats_.bytes_discarded += line.raw_len + 1;
    return fail(sink, e, true);
  }
  head_bytes_ += static_cast<std::uint32_t>(line.raw_len + 1);
  const std::string_view text = strip_cr(line.raw);
  state_ = State::kHeaderLine;
  if (role_ == Role::kRequests) {
    RequestLine request;
    if (const HttpError e = detail::parse_request_line(text, request); e != HttpError::kNone) return fail(sink, e, true);
    version_minor_ = request.version_minor;
    request_method_ = request.method;
    sink.on_request_line(request);
  } else {
    StatusLine status;
    if (const HttpError e = detail::parse_status_line(text, status); e != HttpError::kNone) return fail(sink, e, true);
    version_minor_ = status.version_minor;
    status_ = status.status;
    sink.on_status_line(status);
    if constexpr (detail::SinkHasRequestMethod<Sink>) {
      request_method_ = static_cast<Method>(sink.request_method());
    } else {
      request_method_ = Method::kGet;
    }
  }
}

template <class Sink>
void HttpParser::handle_field_line(const Line& line, const HttpLimits& limits, Sink& sink, bool trailer) {
  if (const HttpError e = line_limit(line.raw_len, head_budget(limits), HttpError::kNone); e != HttpError::kNone) {
    stats_.bytes_discarded += line.raw_len + 1;
    return fail(sink, e, true);
  }
  head_bytes_ += static_cast<std::uint32_t>(line.raw_len + 1);
  const bool truncated = line.raw_len > kMaxLineBytes;
  const std::string_view text = truncated ? line.raw : strip_cr(line.raw);
  if (text.empty()) {
    if (trailer) return finish_message(sink);
    return end_head(sink);
  }
  if (text.front() == ' ' || text.front() == '\t') return fail(sink, HttpError::kObsFold, true);
  std::string_view name, value;
  if (const HttpError e = detail::parse_field_line(text, name, value); e != HttpError::kNone) {
    return fail(sink, e, true);
  }
  if (++field_count_ > limits.max_headers) return fail(sink, HttpError::kTooManyHeaders, true);
  if (truncated) warn(sink, HttpWarning::kHeaderTruncated);
  if (!trailer) {
    note_header(name, value, truncated);
    sink.on_header(name, value);
  } else if constexpr (detail::SinkHasTrailer<Sink>) {
    sink.on_trailer(name, value);
  }
}

template <class Sink>
void HttpParser::handle_chunk_size(const Line& line, Sink& sink) {
  if (line.raw_len > kMaxLineBytes) {
    stats_.bytes_discarded += line.raw_len + 1;
    return fail(sink, HttpError::kBadChunk, true);
  }
  std::uint64_t size = 0;
  if (!detail::parse_chunk_size(strip_cr(line.raw), size)) return fail(sink, HttpError::kBadChunk, true);
  if (size == 0) {
    // Last chunk: a trailer section follows, with limits of its own.
    state_ = State::kTrailerLine;
    head_bytes_ = 0;
    field_count_ = 0;
    return;
  }
  remaining_ = size;
  state_ = State::kChunkData;
}

template <class Sink>
void HttpParser::end_head(Sink& sink) {
  const HeadVerdict verdict = evaluate_head();
  if (verdict.error != HttpError::kNone) return fail(sink, verdict.error, true);
  switch (verdict.done.framing) {
    case BodyFraming::kContentLength:
      remaining_ = static_cast<std::uint64_t>(verdict.done.content_length);
      state_ = State::kBody;
      break;
    case BodyFraming::kChunked:
      state_ = State::kChunkSize;
      break;
    case BodyFraming::kUntilClose:
      state_ = State::kUntilClose;
      break;
    case BodyFraming::kNone:
    case BodyFraming::kTunnel:
      break;
  }
  sink.on_headers_done(verdict.done);
  if (verdict.done.framing == BodyFraming::kNone) {
    finish_message(sink);
  } else if (verdict.done.framing == BodyFraming::kTunnel) {
    finish_message(sink);
    state_ = State::kTunnel;
  }
}

template <class Sink>
void HttpParser::resync_step(const std::uint8_t*& p, const std::uint8_t* end, const HttpLimits& limits,
                             Sink& sink) {
  const std::uint8_t* lf = find_lf(p, end);
  if (!resync_candidate_) {
    const std::uint8_t* stop = lf ? lf + 1 : end;
    stats_.bytes_discarded += static_cast<std::uint64_t>(stop - p);
    p = stop;
    resync_candidate_ = lf != nullptr;
    return;
  }
  // A candidate line: refused as soon as its first bytes cannot start a
  // message, so binary bodies are skipped at memchr speed.
  const auto n = static_cast<std::size_t>((lf ? lf : end) - p);
  if (line_total_ + n > kMaxLineBytes || !resync_prefix_plausible(p, n)) return drop_candidate();
  if (!lf) {
    append_line(p, n);
    p = end;
    return;
  }
  const Line line = take_line(p, end);
  if (!detail::start_line_plausible(role_ == Role::kRequests, strip_cr(line.raw))) {
    stats_.bytes_discarded += line.raw_len + 1;
    return;  // still at a line start
  }
  ++stats_.resyncs;
  warn(sink, HttpWarning::kResynced);
  begin_message();
  handle_start_line(line, limits, sink);
}

template <class Sink>
void HttpParser::finish_message(Sink& sink) {
  clear_message();
  state_ = State::kIdle;
  ++stats_.messages;
  sink.on_message_done();
}

template <class Sink>
void HttpParser::fail(Sink& sink, HttpError error, bool at_line_start) {
  clear_message();
  line_total_ = 0;
  state_ = State::kResync;
  resync_candidate_ = at_line_start;
  ++stats_.errors;
  sink.on_error(error);
}

template <class Sink>
HttpParser::GapEffect HttpParser::gap(std::uint32_t bytes, Sink& sink) {
  if (bytes == 0) return GapEffect::kIgnored;
  ++stats_.gaps;
  switch (state_) {
    case State::kTunnel:
      return GapEffect::kIgnored;
    case State::kUntilClose:
      warn(sink, HttpWarning::kBodyGap);
      return GapEffect::kBodySkipped;
    case State::kBody:
      warn(sink, HttpWarning::kBodyGap);
      if (bytes < remaining_) {
        remaining_ -= bytes;
        return GapEffect::kBodySkipped;
      }
      if (bytes == remaining_) {
        finish_message(sink);
        return GapEffect::kBodySkipped;
      }
      finish_message(sink);
      break;  // the gap ran past the body: the next message's start is lost
    case State::kChunkData:
      if (bytes <= remaining_) {
        warn(sink, HttpWarning::kBodyGap);
        remaining_ -= bytes;
        if (remaining_ == 0) state_ = State::kChunkCr;
        return GapEffect::kBodySkipped;
      }
      break;
    case State::kResync:
      // Already looking; the byte after the gap may start a message.
      stats_.bytes_discarded += line_total_;
      line_total_ = 0;
      resync_candidate_ = true;
      return GapEffect::kLostSync;
    default:
      break;
  }
  fail(sink, HttpError::kGap, true);
  return GapEffect::kLostSync;
}

template <class Sink>
void HttpParser::end_of_stream(Sink& sink) {
  switch (state_) {
    case State::kUntilClose:
      finish_message(sink);
      break;
    case State::kStartLine:
    case State::kHeaderLine:
    case State::kBody:
    case State::kChunkSize:
    case State::kChunkData:
    case State::kChunkCr:
    case State::kChunkLf:
    case State::kTrailerLine:
      fail(sink, HttpError::kTruncatedMessage, false);
      break;
    case State::kIdle:
    case State::kTunnel:
    case State::kResync:
      break;
  }
  stats_.bytes_discarded += state_ == State::kResync ? line_total_ : 0;
  line_total_ = 0;
  clear_message();
  state_ = State::kIdle;
}

}  // namespace segward::http
