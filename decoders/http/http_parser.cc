// Line parsers and the non-template half of HttpParser: line assembly,
// limits, header semantics and body framing (RFC 9112 §2-§7, RFC 9110 §5).
#include "decoders/http/http_parser.h"

#include <limits>

#include "decoders/common/ascii.h"

namespace segward::http {
namespace detail {
namespace {

constexpr std::int64_t kMaxLength = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxResyncMethodBytes = 24;
constexpr std::size_t kResyncPrefixBytes = 32;

using decoders::hex_value;
using decoders::iequals;
using decoders::is_digit;

// RFC 9110 §5.6.2 tchar.
constexpr bool is_tchar(unsigned char c) noexcept {
  if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// field-vchar / SP / HTAB / obs-text: everything but controls. CR, LF and
// NUL inside a value are the usual smuggling tools (RFC 9110 §5.5).
constexpr bool is_field_char(unsigned char c) noexcept { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// Request-target bytes: no whitespace, no controls. Bytes >= 0x80 pass:
// libprocess writes actor ids raw.
constexpr bool is_target_char(unsigned char c) noexcept { return c > 0x20 && c != 0x7f; }

constexpr bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

template <class Pred>
bool all_of(std::string_view s, Pred pred) noexcept {
  for (const char c : s) {
    if (!pred(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Calls fn(element) for each trimmed, non-empty element of a comma list
// (RFC 9110 §5.6.1: empty elements are allowed and ignored).
template <class Fn>
void for_each_element(std::string_view list, Fn fn) noexcept {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// "HTTP/1.x"; another "HTTP/d.d" is kBadVersion, anything else `bad`.
HttpError parse_version(std::string_view v, std::uint8_t& minor, HttpError bad) noexcept {
  if (v.size() != 8 || !v.starts_with("HTTP/") || !is_digit(static_cast<unsigned char>(v[5])) || v[6] != '.' ||
      !is_digit(static_cast<unsigned char>(v[7]))) {
    return bad;
  }
  if (v[5] != '1') return HttpError::kBadVersion;
  minor = static_cast<std::uint8_t>(v[7] - '0');
  return HttpError::kNone;
}

}  // namespace

HttpError parse_request_line(std::string_view line, RequestLine& out) noexcept {
  const std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return HttpError::kBadRequestLine;
  const std::string_view method = line.substr(0, sp1);
  if (!all_of(method, is_tchar)) return HttpError::kBadRequestLine;
  const std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return HttpError::kBadRequestLine;  // HTTP/0.9 "GET /", or no version
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.empty() || !all_of(target, is_target_char)) return HttpError::kBadRequestLine;
  std::uint8_t minor = 0;
  if (const HttpError e = parse_version(line.substr(sp2 + 1), minor, HttpError::kBadRequestLine);
      e != HttpError::kNone) {
    return e;
  }
  out.method = method_from_text(method);
  out.method_text = method;
  out.target = target;
  out.version_minor = minor;
  return HttpError::kNone;
}

HttpError parse_status_line(std::string_view line, StatusLine& out) noexcept {
  std::uint8_t minor = 0;
  if (const HttpError e = parse_version(line.substr(0, std::min<std::size_t>(line.size(), 8)), minor,
                                        HttpError::kBadStatusLine);
      e != HttpError::kNone) {
    return e;
  }
  if (line.size() < 12 || line[8] != ' ') return HttpError::kBadStatusLine;
  const auto d0 = static_cast<unsigned char>(line[9]);
  const auto d1 = static_cast<unsigned char>(line[10]);
  const auto d2 = static_cast<unsigned char>(line[11]);
  if (d0 < '1' || d0 > '9' || !is_digit(d1) || !is_digit(d2)) return HttpError::kBadStatusLine;
  std::string_view reason;
  if (line.size() > 12) {
    if (line[12] != ' ') return HttpError::kBadStatusLine;
    reason = line.substr(13);
    if (!all_of(reason, is_field_char)) return HttpError::kBadStatusLine;
  }
  out.status = static_cast<std::uint16_t>((d0 - '0') * 100 + (d1 - '0') * 10 + (d2 - '0'));
  out.version_minor = minor;
  out.reason = reason;
  return HttpError::kNone;
}

HttpError parse_field_line(std::string_view line, std::string_view& name, std::string_view& value) noexcept {
  const std::size_t colon = line.find(':');
  // No whitespace before the colon (RFC 9112 §5.1): the name must be a token.
  if (colon == std::string_view::npos || colon == 0) return HttpError::kBadHeader;
  const std::string_view n = line.substr(0, colon);
  if (!all_of(n, is_tchar)) return HttpError::kBadHeader;
  const std::string_view v = trim_ows(line.substr(colon + 1));
  if (!all_of(v, is_field_char)) return HttpError::kBadHeader;
  name = n;
  value = v;
  return HttpError::kNone;
}

bool parse_chunk_size(std::string_view line, std::uint64_t& size) noexcept {
  std::uint64_t v = 0;
  std::size_t i = 0;
  for (; i < line.size(); ++i) {
    const int d = hex_value(static_cast<unsigned char>(line[i]));
    if (d < 0) break;
    if (v > (static_cast<std::uint64_t>(kMaxLength) >> 4)) return false;  // the next digit would pass 2^63-1
    v = (v << 4) | static_cast<std::uint64_t>(d);
  }
  if (i == 0) return false;
  while (i < line.size() && is_ows(line[i])) ++i;
  if (i < line.size()) {
    // chunk-ext: read for framing only, so any printable text after ';' is
    // accepted; a control character is not.
    if (line[i] != ';' || !all_of(line.substr(i), is_field_char)) return false;
  }
  size = v;
  return true;
}

bool parse_content_length(std::string_view value, std::int64_t& out) noexcept {
  bool any = false, ok = true;
  std::int64_t first = 0;
  for_each_element(value, [&](std::string_view element) {
    std::int64_t v = 0;
    for (const char c : element) {
      const auto u = static_cast<unsigned char>(c);
      if (!is_digit(u) || v > (kMaxLength - (u - '0')) / 10) {
        ok = false;
        return;
      }
      v = v * 10 + (u - '0');
    }
    if (any && v != first) ok = false;
    first = v;
    any = true;
  });
  if (!ok || !any) return false;
  out = first;
  return true;
}

bool start_prefix_plausible(bool requests, std::string_view prefix) noexcept {
  if (!requests) {
    // "HTTP/1.x ddd" then SP or the end of the line.
    static constexpr std::string_view kShape = "HTTP/1.# ###";
    for (std::size_t i = 0; i < prefix.size() && i <= kShape.size(); ++i) {
      const auto c = static_cast<unsigned char>(prefix[i]);
      if (i == kShape.size()) return c == ' ' || c == '\r';
      if (kShape[i] == '#' ? !is_digit(c) : c != static_cast<unsigned char>(kShape[i])) return false;
    }
    return true;
  }
  // An upper-case method (letters, '-', '_'), one SP, then '/' or '*'.
  std::size_t i = 0;
  for (; i < prefix.size(); ++i) {
    const auto c = static_cast<unsigned char>(prefix[i]);
    if (c == ' ') break;
    const bool method_char = (c >= 'A' && c <= 'Z') || (i > 0 && (c == '-' || c == '_'));
    if (!method_char || i >= kMaxResyncMethodBytes) return false;
  }
  if (i == prefix.size()) return true;
  if (i == 0) return false;
  return i + 1 == prefix.size() || prefix[i + 1] == '/' || prefix[i + 1] == '*';
}

bool start_line_plausible(bool requests, std::string_view line) noexcept {
  if (!start_prefix_plausible(requests, line.substr(0, kResyncPrefixBytes))) return false;
  if (requests) {
    RequestLine request;
    return parse_request_line(line, request) == HttpError::kNone;
  }
  StatusLine status;
  return parse_status_line(line, status) == HttpError::kNone;
}

}  // namespace detail

void HttpParser::reset(Role role) noexcept {
  stats_ = {};
  line_total_ = 0;
  role_ = role;
  clear_message();
  state_ = State::kIdle;
  resync_candidate_ = false;
}

void HttpParser::enter_tunnel() noexcept {
  line_total_ = 0;
  clear_message();
  state_ = State::kTunnel;
}

void HttpParser::begin_message() noexcept {
  clear_message();
  state_ = State::kStartLine;
}

void HttpParser::clear_message() noexcept {
  remaining_ = 0;
  content_length_ = 0;
  head_bytes_ = 0;
  field_count_ = 0;
  status_ = 0;
  cl_state_ = LengthState::kNone;
  request_method_ = Method::kGet;
  version_minor_ = 1;
  te_chunked_ = 0;
  te_present_ = false;
  te_chunked_last_ = false;
  te_truncated_ = false;
  conn_close_ = false;
  conn_keep_alive_ = false;
}

void HttpParser::append_line(const std::uint8_t* p, std::size_t n) noexcept {
  if (line_total_ < kMaxLineBytes) {
    const std::size_t room = kMaxLineBytes - static_cast<std::size_t>(line_total_);
    std::memcpy(line_.data() + line_total_, p, std::min(n, room));
  }
  line_total_ += n;
}

// The whole line when its LF is in [p, end) (straight from the input when no
// part of it was buffered), else the bytes so far, buffered. Either way the
// view is its first kMaxLineBytes bytes, so what the caller sees does not
// depend on where the input was cut.
HttpParser::Line HttpParser::take_line(const std::uint8_t*& p, const std::uint8_t* end) noexcept {
  const std::uint8_t* lf = find_lf(p, end);
  const auto n = static_cast<std::size_t>((lf ? lf : end) - p);
  if (lf && line_total_ == 0) {
    const Line line{{reinterpret_cast<const char*>(p), std::min(n, kMaxLineBytes)}, n, true};
    p = lf + 1;
    return line;
  }
  append_line(p, n);
  p += n;
  const std::uint64_t total = line_total_;
  const std::string_view raw(line_.data(), static_cast<std::size_t>(std::min<std::uint64_t>(total, kMaxLineBytes)));
  if (!lf) return Line{raw, total, false};
  ++p;
  line_total_ = 0;  // the view stays valid: nothing is appended before the next line
  return Line{raw, total, true};
}

// The first limit a line of raw_len bytes crosses, in the order a
// byte-at-a-time feed would cross them: the verdict must not depend on
// where the input was split. head_budget: raw_len >= budget means the head
// (this line and its LF included) passes max_head_bytes.
HttpError HttpParser::line_limit(std::uint64_t raw_len, std::uint64_t head_budget, HttpError too_long) const noexcept {
  const std::uint64_t line_at = too_long != HttpError::kNone ? kMaxLineBytes + 1 : kNoLimit;
  if (head_budget <= line_at) return raw_len >= head_budget ? HttpError::kHeadTooLarge : HttpError::kNone;
  return raw_len >= line_at ? too_long : HttpError::kNone;
}

std::uint64_t HttpParser::head_budget(const HttpLimits& limits) const noexcept {
  return limits.max_head_bytes > head_bytes_ ? limits.max_head_bytes - head_bytes_ : 0;
}

// A line still without its LF that is already sure to break a limit.
HttpError HttpParser::partial_line_error(std::uint64_t raw_len, const HttpLimits& limits) const noexcept {
  switch (state_) {
    case State::kStartLine:
      return line_limit(raw_len, head_budget(limits), HttpError::kStartLineTooLong);
    case State::kHeaderLine:
    case State::kTrailerLine:
      return line_limit(raw_len, head_budget(limits), HttpError::kNone);
    case State::kChunkSize:
      return raw_len > kMaxLineBytes ? HttpError::kBadChunk : HttpError::kNone;
    default:
      return HttpError::kNone;
  }
}

bool HttpParser::resync_prefix_plausible(const std::uint8_t* p, std::size_t n) const noexcept {
  constexpr std::size_t kPrefix = 32;
  // Past kPrefix bytes the prefix was checked when it was shorter.
  if (line_total_ >= kPrefix) return true;
  std::array<char, kPrefix> prefix{};
  const auto have = static_cast<std::size_t>(line_total_);
  std::memcpy(prefix.data(), line_.data(), have);
  const std::size_t more = std::min(n, kPrefix - have);
  std::memcpy(prefix.data() + have, p, more);
  return detail::start_prefix_plausible(role_ == Role::kRequests, std::string_view(prefix.data(), have + more));
}

void HttpParser::drop_candidate() noexcept {
  stats_.bytes_discarded += line_total_;
  line_total_ = 0;
  resync_candidate_ = false;
}

void HttpParser::note_header(std::string_view name, std::string_view value, bool truncated) noexcept {
  if (decoders::iequals(name, "content-length")) {
    std::int64_t v = 0;
    if (truncated || !detail::parse_content_length(value, v) || (cl_state_ == LengthState::kValid && v != content_length_)) {
      cl_state_ = LengthState::kInvalid;
    } else if (cl_state_ == LengthState::kNone) {
      cl_state_ = LengthState::kValid;
      content_length_ = v;
    }
  } else if (decoders::iequals(name, "transfer-encoding")) {
    // Codings accumulate over repeated header lines; only the last one
    // decides the framing (RFC 9112 §6.3).
    te_present_ = true;
    te_truncated_ = te_truncated_ || truncated;
    detail::for_each_element(value, [this](std::string_view element) {
      const std::string_view coding = detail::trim_ows(element.substr(0, element.find(';')));
      te_chunked_last_ = decoders::iequals(coding, "chunked");
      if (te_chunked_last_ && te_chunked_ < 2) ++te_chunked_;
    });
  } else if (decoders::iequals(name, "connection")) {
    detail::for_each_element(value, [this](std::string_view token) {
      if (decoders::iequals(token, "close")) conn_close_ = true;
      if (decoders::iequals(token, "keep-alive")) conn_keep_alive_ = true;
    });
  }
}

HttpParser::HeadVerdict HttpParser::evaluate_head() const noexcept {
  HeadVerdict verdict;
  HeadersDone& d = verdict.done;
  d.content_length = cl_state_ == LengthState::kValid ? content_length_ : -1;
  const bool te_bad = te_chunked_ > 1 || te_truncated_;  // chunked twice, or codings not all seen
  const BodyFraming by_length = cl_state_ == LengthState::kValid && content_length_ > 0 ? BodyFraming::kContentLength
                                                                                        : BodyFraming::kNone;
  if (role_ == Role::kRequests) {
    // RFC 9112 §6.3: a request without Transfer-Encoding or Content-Length
    // has no body (libprocess messages with no body end at the blank line).
    if (te_present_) {
      if (te_bad || !te_chunked_last_) {
        verdict.error = HttpError::kBadTransferEncoding;
        return verdict;
      }
      d.framing = BodyFraming::kChunked;
    } else if (cl_state_ == LengthState::kInvalid) {
      verdict.error = HttpError::kBadContentLength;
      return verdict;
    } else {
      d.framing = by_length;
    }
  } else {
    const bool tunnel = status_ == 101 || (request_method_ == Method::kConnect && status_ / 100 == 2);
    const bool bodiless = status_ < 200 || status_ == 204 || status_ == 304 || request_method_ == Method::kHead;
    if (tunnel) {
      d.framing = BodyFraming::kTunnel;
    } else if (bodiless) {
      d.framing = BodyFraming::kNone;  // whatever Content-Length or Transfer-Encoding say
    } else if (te_present_) {
      if (te_bad) {
        verdict.error = HttpError::kBadTransferEncoding;
        return verdict;
      }
      d.framing = te_chunked_last_ ? BodyFraming::kChunked : BodyFraming::kUntilClose;
    } else if (cl_state_ == LengthState::kInvalid) {
      verdict.error = HttpError::kBadContentLength;
      return verdict;
    } else {
      d.framing = cl_state_ == LengthState::kValid ? by_length : BodyFraming::kUntilClose;
    }
  }
  d.length_conflict = te_present_ && cl_state_ != LengthState::kNone &&
                      (d.framing == BodyFraming::kChunked || d.framing == BodyFraming::kUntilClose);
  // HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive"
  // (RFC 9112 §9.3). A 1.0 message with Transfer-Encoding must close after
  // it (§6.1), and a body that ends at close ends the connection too.
  bool keep_alive = version_minor_ >= 1 ? !conn_close_ : conn_keep_alive_ && !conn_close_;
  if (te_present_ && version_minor_ == 0) keep_alive = false;
  if (d.framing == BodyFraming::kUntilClose || d.framing == BodyFraming::kTunnel) keep_alive = false;
  d.keep_alive = keep_alive;
  d.chunked = d.framing == BodyFraming::kChunked;
  d.body_until_close = d.framing == BodyFraming::kUntilClose;
  return verdict;
}

}  // namespace segward::http
