#pragma once
// The values HttpParser reports: limits, errors, warnings, start lines, the
// end of a head. No state; see http_parser.h for the parser and
// http_exchange.h for request/response pairing.
//
// Every std::string_view a parser hands out is valid only during the
// callback that receives it: it points into the caller's input or into the
// parser's own line buffer.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace segward::http {

struct HttpLimits {
  // Bytes of the start line, the header lines and the blank line, CR and LF
  // included. A trailer section gets the same budget of its own.
  std::uint32_t max_head_bytes = 16384;
  // Header lines in one head (trailer lines in one trailer section).
  std::uint16_t max_headers = 100;
};

enum class HttpError : std::uint8_t {
  kNone = 0,
#define SEGWARD_HTTP_ERROR(id, name, description) k##id,
#include "decoders/http/http_errors.def"
#undef SEGWARD_HTTP_ERROR
  kCount
};
inline constexpr std::size_t kHttpErrorCount = static_cast<std::size_t>(HttpError::kCount);

/// Stable snake_case name ("none" for kNone, "unknown" out of range).
std::string_view http_error_name(HttpError error) noexcept;
/// One-line description for operators.
std::string_view http_error_description(HttpError error) noexcept;

// Anomalies that do not stop parsing. Reported to a sink's optional
// on_warning(HttpWarning); names are stable counter labels like the errors'.
enum class HttpWarning : std::uint8_t {
  kHeaderTruncated,  // "header_truncated": a header/trailer line over the line buffer; value cut to fit
  kBodyGap,          // "body_gap": bytes lost inside a body whose length was known, skipped
  kResynced,         // "resynced": a message start found again after an error or a gap
  kCount
};
inline constexpr std::size_t kHttpWarningCount = static_cast<std::size_t>(HttpWarning::kCount);
std::string_view http_warning_name(HttpWarning warning) noexcept;

enum class Method : std::uint8_t { kGet, kHead, kPost, kPut, kDelete, kPatch, kOptions, kConnect, kTrace, kOther };
/// Case-sensitive (RFC 9110 §9.1): "get" is kOther.
Method method_from_text(std::string_view text) noexcept;
/// "GET", ..., "OTHER".
std::string_view method_name(Method method) noexcept;

struct RequestLine {
  Method method = Method::kOther;
  std::string_view method_text;
  std::string_view target;  // as sent: origin-form, absolute-form, authority-form or "*"
  std::uint8_t version_minor = 1;
};

struct StatusLine {
  std::uint16_t status = 0;  // 100..999
  std::uint8_t version_minor = 1;
  std::string_view reason;  // may be empty
};

// How the body of a message is delimited (RFC 9112 §6.3).
enum class BodyFraming : std::uint8_t {
  kNone,           // no body: request without a length, HEAD/1xx/204/304 response, Content-Length: 0
  kContentLength,  // content_length bytes
  kChunked,        // chunked transfer coding, then optional trailers
  kUntilClose,     // response without a length: the body ends with the stream
  kTunnel,         // 101 Switching Protocols or 2xx to CONNECT: what follows is not HTTP
};

struct HeadersDone {
  std::int64_t content_length = -1;  // the Content-Length value; -1 if none
  bool chunked = false;              // framing == kChunked
  bool keep_alive = false;           // the connection may carry another message after this one
  bool body_until_close = false;     // framing == kUntilClose
  BodyFraming framing = BodyFraming::kNone;
  // Transfer-Encoding and Content-Length both present: TE wins (RFC 9112
  // §6.1), and the pair is the classic request-smuggling shape.
  bool length_conflict = false;
};

}  // namespace segward::http
