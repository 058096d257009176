#pragma once
// One HTTP connection: a request parser, a response parser, and a bounded
// FIFO of the requests still waiting for an answer, so that each response
// is reported with the index and method of the request it answers.
//
// Pairing is positional (RFC 9112 §9.3.2: responses come back in request
// order): the n-th final response answers the n-th request. 1xx interim
// responses answer the request at the head of the queue without consuming
// it; 101 is final. Only the method needs the FIFO (HEAD and CONNECT change
// how the response is framed); when more than kMaxOutstanding requests
// wait, the newest is not queued and counted, and its response still gets
// the right index with method_known = false (framed as GET).
//
// A request refused before its request line (bad_request_line, ...) still
// takes an index: a server answers it (400). After a gap that lost sync on
// either side, the number of messages in the hole is unknowable: pairing
// stops for the rest of the connection (index_known = false), while both
// parsers go on resynchronising and parsing.
//
// Sinks are HttpParser sinks, one per direction (may be one object), plus:
//   request sink, optional:  void on_request_index(std::uint64_t index);   // before on_request_line
//   response sink, optional: void on_response_to(const PairedRequest&);   // before every on_status_line
// A 101 or 2xx-to-CONNECT response puts the request parser into tunnel mode.
//
// No allocation, no exceptions; about 4.5 KiB. Thread-safety: one thread.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/http/http_parser.h"

namespace segward::http {

struct PairedRequest {
  std::uint64_t index = 0;  // 0-based position of the request on the connection
  Method method = Method::kGet;
  bool index_known = false;   // false once a gap has lost the pairing (index is then 0)
  bool method_known = false;  // false when the request was not queued (overflow, answered before it was seen)
};

struct HttpExchangeStats {
  std::uint64_t requests = 0;   // request indices handed out
  std::uint64_t responses = 0;  // final responses
  std::uint32_t overflows = 0;  // requests not queued: kMaxOutstanding already waiting
  std::uint32_t unpaired = 0;   // final responses after the pairing was lost
};

namespace detail {
template <class S>
concept SinkHasRequestIndex = requires(S& s, std::uint64_t i) { s.on_request_index(i); };
template <class S>
concept SinkHasResponseTo = requires(S& s, const PairedRequest& r) { s.on_response_to(r); };
}  // namespace detail

class HttpExchange {
 public:
  static constexpr std::size_t kMaxOutstanding = 16;

  HttpExchange() noexcept : requests_(HttpParser::Role::kRequests), responses_(HttpParser::Role::kResponses) {}

  void reset() noexcept {
    requests_.reset();
    responses_.reset();
    head_ = count_ = 0;
    pairing_lost_ = request_started_ = false;
    response_method_ = Method::kGet;
    stats_ = {};
  }

  template <class Sink>
  void feed_requests(std::span<const std::uint8_t> bytes, const HttpLimits& limits, Sink& sink) {
    RequestAdapter<Sink> adapter{*this, sink};
    requests_.feed(bytes, limits, adapter);
  }
  template <class Sink>
  void feed_responses(std::span<const std::uint8_t> bytes, const HttpLimits& limits, Sink& sink) {
    ResponseAdapter<Sink> adapter{*this, sink};
    responses_.feed(bytes, limits, adapter);
  }

  template <class Sink>
  HttpParser::GapEffect gap_requests(std::uint32_t bytes, Sink& sink) {
    RequestAdapter<Sink> adapter{*this, sink};
    return after_gap(requests_.gap(bytes, adapter));
  }
  HttpParser::GapEffect gap_requests(std::uint32_t bytes) noexcept {
    detail::NullSink sink;
    return gap_requests(bytes, sink);
  }
  template <class Sink>
  HttpParser::GapEffect gap_responses(std::uint32_t bytes, Sink& sink) {
    ResponseAdapter<Sink> adapter{*this, sink};
    return after_gap(responses_.gap(bytes, adapter));
  }
  HttpParser::GapEffect gap_responses(std::uint32_t bytes) noexcept {
    detail::NullSink sink;
    return gap_responses(bytes, sink);
  }

  template <class Sink>
  void end_of_requests(Sink& sink) {
    RequestAdapter<Sink> adapter{*this, sink};
    requests_.end_of_stream(adapter);
  }
  template <class Sink>
  void end_of_responses(Sink& sink) {
    ResponseAdapter<Sink> adapter{*this, sink};
    responses_.end_of_stream(adapter);
  }

  [[nodiscard]] const HttpParser& requests() const noexcept { return requests_; }
  [[nodiscard]] const HttpParser& responses() const noexcept { return responses_; }
  [[nodiscard]] const HttpExchangeStats& stats() const noexcept { return stats_; }
  /// Requests queued and not yet answered.
  [[nodiscard]] std::size_t outstanding() const noexcept { return count_; }
  [[nodiscard]] bool pairing_lost() const noexcept { return pairing_lost_; }

 private:
  struct Entry {
    std::uint64_t index = 0;
    Method method = Method::kGet;
    bool method_known = false;
  };

  template <class Sink>
  struct RequestAdapter {
    HttpExchange& exchange;
    Sink& sink;

    void on_request_line(const RequestLine& line) {
      exchange.request_started_ = true;
      const std::uint64_t index = exchange.add_request(line.method, true);
      if constexpr (detail::SinkHasRequestIndex<Sink>) sink.on_request_index(index);
      sink.on_request_line(line);
    }
    void on_status_line(const StatusLine&) {}  // never called: request role
    void on_header(std::string_view name, std::string_view value) { sink.on_header(name, value); }
    void on_headers_done(const HeadersDone& done) { sink.on_headers_done(done); }
    void on_body(std::span<const std::uint8_t> bytes) { sink.on_body(bytes); }
    void on_message_done() {
      exchange.request_started_ = false;
      sink.on_message_done();
    }
    void on_error(HttpError error) {
      // Refused before its request line: the server still answers it. A gap
      // or the end of the stream is not a request.
      if (!exchange.request_started_ && error != HttpError::kGap && error != HttpError::kTruncatedMessage) {
        exchange.add_request(Method::kOther, false);
      }
      exchange.request_started_ = false;
      sink.on_error(error);
    }
    void on_trailer(std::string_view name, std::string_view value) {
      if constexpr (detail::SinkHasTrailer<Sink>) sink.on_trailer(name, value);
    }
    void on_warning(HttpWarning warning) {
      if constexpr (detail::SinkHasWarning<Sink>) sink.on_warning(warning);
    }
  };

  template <class Sink>
  struct ResponseAdapter {
    HttpExchange& exchange;
    Sink& sink;

    void on_request_line(const RequestLine&) {}  // never called: response role
    void on_status_line(const StatusLine& line) {
      const bool final_response = line.status >= 200 || line.status == 101;
      const PairedRequest request = exchange.pair_response(final_response);
      exchange.response_method_ = request.method_known ? request.method : Method::kGet;
      if constexpr (detail::SinkHasResponseTo<Sink>) sink.on_response_to(request);
      sink.on_status_line(line);
    }
    [[nodiscard]] Method request_method() const { return exchange.response_method_; }
    void on_header(std::string_view name, std::string_view value) { sink.on_header(name, value); }
    void on_headers_done(const HeadersDone& done) {
      if (done.framing == BodyFraming::kTunnel) exchange.requests_.enter_tunnel();
      sink.on_headers_done(done);
    }
    void on_body(std::span<const std::uint8_t> bytes) { sink.on_body(bytes); }
    void on_message_done() { sink.on_message_done(); }
    void on_error(HttpError error) { sink.on_error(error); }
    void on_trailer(std::string_view name, std::string_view value) {
      if constexpr (detail::SinkHasTrailer<Sink>) sink.on_trailer(name, value);
    }
    void on_warning(HttpWarning warning) {
      if constexpr (detail::SinkHasWarning<Sink>) sink.on_warning(warning);
    }
  };

  std::uint64_t add_request(Method method, bool method_known) noexcept {
    const std::uint64_t index = stats_.requests++;
    // Not queued once pairing is gone, or when its response already came.
    if (pairing_lost_ || index < stats_.responses) return index;
    if (count_ == kMaxOutstanding) {
      ++stats_.overflows;
      return index;
    }
    fifo_[(head_ + count_) % kMaxOutstanding] = Entry{index, method, method_known};
    ++count_;
    return index;
  }

  PairedRequest pair_response(bool final_response) noexcept {
    PairedRequest request;
    if (pairing_lost_) {
      if (final_response) {
        ++stats_.responses;
        ++stats_.unpaired;
      }
      return request;
    }
    request.index = stats_.responses;
    request.index_known = true;
    if (count_ > 0 && fifo_[head_].index == request.index) {
      request.method = fifo_[head_].method;
      request.method_known = fifo_[head_].method_known;
      if (final_response) {
        head_ = static_cast<std::uint8_t>((head_ + 1) % kMaxOutstanding);
        --count_;
      }
    }
    if (final_response) ++stats_.responses;
    return request;
  }

  HttpParser::GapEffect after_gap(HttpParser::GapEffect effect) noexcept {
    if (effect == HttpParser::GapEffect::kLostSync) {
      pairing_lost_ = true;
      head_ = count_ = 0;
    }
    return effect;
  }

  HttpParser requests_;
  HttpParser responses_;
  std::array<Entry, kMaxOutstanding> fifo_{};
  HttpExchangeStats stats_;
  std::uint8_t head_ = 0;
  std::uint8_t count_ = 0;
  bool pairing_lost_ = false;
  bool request_started_ = false;  // the current request reported its request line
  Method response_method_ = Method::kGet;
};

}  // namespace segward::http
