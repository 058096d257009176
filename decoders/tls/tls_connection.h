#pragma once
// TLS record layer and clear-text handshake of one TCP connection, both
// directions, into one TlsEvent.
//
// Contract:
//  - Input is reassembled in-order bytes per direction, cut anywhere (one
//    byte at a time works); gaps are announced with gap_client/gap_server.
//  - No heap, no exceptions, no locks; nothing outside the spans given is
//    read. Each direction has a fixed handshake buffer (kHandshakeBufferBytes):
//    a ClientHello, ServerHello or Certificate longer than that is decoded as
//    far as it fits and the event marked `truncated`. Other handshake
//    messages are skipped without buffering.
//  - One event per connection, to the sink given with the call that
//    completes it:
//      TLS 1.3   after the ServerHello (everything after it is encrypted);
//      TLS <= 1.2 at ServerHelloDone, or at the first ChangeCipherSpec of
//                 either side (abbreviated handshake; the client's only
//                 once the ServerHello is seen), or at end();
//      otherwise at end(), if a ClientHello, ServerHello or SSLv2 hello was seen.
//    Alerts read in clear after the event are counted only.
//  - A gap or a record header that is not TLS stops decoding that direction
//    (counted); the event still goes out, at the latest at end().
//  - finished(): the event is out and neither side can show anything more in
//    clear; the owner may add counters() to its totals and free the state.
//
// Size: sizeof(TlsConnection) is 19,488 bytes on x86-64 (two 8 KiB handshake
// buffers, the 2,808-byte event, 168 bytes of counters). It is trivially
// copyable; reset() makes it as new without touching the buffers.
//
// Thread-safety: none; a connection belongs to one worker.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/tls/tls_event.h"

namespace segward::tls {

/// Plain counters (per connection here; the owner sums them per worker);
/// see tls_counters.def for the meaning of each.
struct TlsCounters {
#define SEGWARD_TLS_COUNTER(field, description) std::uint64_t field = 0;
#include "decoders/tls/tls_counters.def"
#undef SEGWARD_TLS_COUNTER

  TlsCounters& operator+=(const TlsCounters& other) noexcept;
  friend bool operator==(const TlsCounters&, const TlsCounters&) = default;
};

/// Every counter by stable name, for metrics and the REST API.
struct TlsCounterField {
  std::string_view name;
  std::string_view description;
  std::uint64_t TlsCounters::*member;
};
inline constexpr std::array kTlsCounterFields = {
#define SEGWARD_TLS_COUNTER(field, description) TlsCounterField{#field, description, &TlsCounters::field},
#include "decoders/tls/tls_counters.def"
#undef SEGWARD_TLS_COUNTER
};
static_assert(sizeof(TlsCounters) == kTlsCounterFields.size() * sizeof(std::uint64_t));

class TlsEventSink {
 public:
  /// The connection's one event. `e` is valid only during the call; copy it.
  virtual void on_event(const TlsEvent& e) = 0;

 protected:
  ~TlsEventSink() = default;
};

/// The first bytes of a client's stream look like a TLS ClientHello: a
/// handshake record (0x16 0x03 0x00..0x04), and where present a plausible
/// record length and handshake type 1. True for a 1..5-byte prefix that
/// matches; false for an empty span.
[[nodiscard]] bool looks_like_tls_client_start(std::span<const std::uint8_t> first_payload) noexcept;
/// Any TLS record header (content type 20..24, version 0x03 0x00..0x04,
/// length <= 2^14 + 2048), e.g. the server side of a connection whose start
/// was missed. A shorter prefix that matches so far is true; empty is false.
[[nodiscard]] bool looks_like_tls_record(std::span<const std::uint8_t> payload) noexcept;
/// An SSLv2-compatible ClientHello (2-byte header with the top bit set,
/// message type 1, version 0x0002..0x0304). Needs 5 bytes.
[[nodiscard]] bool looks_like_sslv2_client_hello(std::span<const std::uint8_t> first_payload) noexcept;

/// Bytes buffered per direction for one handshake message.
inline constexpr std::size_t kHandshakeBufferBytes = 8192;
/// TLSCiphertext.length may reach 2^14 + 2048 (RFC 5246 §6.2.3).
inline constexpr std::uint32_t kMaxRecordLength = (1u << 14) + 2048;

class TlsConnection {
 public:
  TlsConnection() noexcept { reset(); }

  void reset() noexcept;
  /// Reassembled in-order bytes from the client (the side that sent the SYN).
  void feed_client(std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept;
  void feed_server(std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept;
  /// `lost` bytes will never come: that direction stops decoding.
  void gap_client(std::uint32_t lost, TlsEventSink& sink) noexcept;
  void gap_server(std::uint32_t lost, TlsEventSink& sink) noexcept;
  /// Connection over: emit the event if not yet emitted and anything was seen.
  void end(TlsEventSink& sink) noexcept;

  /// The event is out and nothing further is visible in clear.
  [[nodiscard]] bool finished() const noexcept;
  [[nodiscard]] bool event_emitted() const noexcept { return emitted_; }
  /// The event as decoded so far (the same value on_event received, once emitted).
  [[nodiscard]] const TlsEvent& event() const noexcept { return event_; }
  [[nodiscard]] const TlsCounters& counters() const noexcept { return counters_; }

 private:
  enum class Mode : std::uint8_t {
    kClear,      // records read, handshake decoded
    kEncrypted,  // records framed, contents skipped (clear TLS 1.3 alerts still read)
    kStopped,    // gap or not TLS: bytes ignored
  };

  struct Direction {
    Mode mode;
    bool from_server;
    bool any_record;           // a record header was read
    bool fatal_alert;          // this side sent a fatal alert in clear
    std::uint8_t header_have;  // record header bytes held
    std::array<std::uint8_t, 5> header;
    std::uint8_t record_type;
    std::uint16_t record_version;
    std::uint32_t record_left;  // content bytes of the current record still to come
    // Handshake message reassembly (across records, several per record).
    std::uint8_t msg_header_have;
    std::array<std::uint8_t, 4> msg_header;
    std::uint8_t msg_type;
    bool msg_buffered;                // this message's body is kept in `buffer`
    bool msg_handled;                 // decoded already (the buffer filled before the end)
    std::uint16_t msg_record_version;  // version of the record the message started in
    std::uint32_t msg_length;         // body length from the header
    std::uint32_t msg_received;       // body bytes seen so far
    std::uint8_t alert_have;
    std::array<std::uint8_t, 2> alert;
    std::array<std::uint8_t, kHandshakeBufferBytes> buffer;
  };

  static void reset_direction(Direction& d, bool from_server) noexcept;
  void feed(Direction& d, std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept;
  void gap(Direction& d, std::uint32_t lost, TlsEventSink& sink) noexcept;
  bool start_record(Direction& d, TlsEventSink& sink) noexcept;
  void record_content(Direction& d, std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept;
  void handshake_bytes(Direction& d, std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept;
  [[nodiscard]] bool wants_body(const Direction& d) const noexcept;
  void finish_message(Direction& d, TlsEventSink& sink) noexcept;
  void handshake_message(Direction& d, bool complete, TlsEventSink& sink) noexcept;
  void flush_partial_message(Direction& d, TlsEventSink& sink) noexcept;
  void alert_bytes(Direction& d, std::span<const std::uint8_t> bytes) noexcept;
  void on_alert(Direction& d, std::uint8_t level, std::uint8_t description) noexcept;
  void change_cipher_spec(Direction& d, TlsEventSink& sink) noexcept;
  void on_client_hello(std::span<const std::uint8_t> body, bool complete) noexcept;
  void on_server_hello(std::span<const std::uint8_t> body, bool complete, TlsEventSink& sink) noexcept;
  void on_certificate(std::span<const std::uint8_t> body, bool complete) noexcept;
  void note_truncated() noexcept;
  void note_malformed() noexcept;
  void emit(TlsEventSink& sink) noexcept;
  [[nodiscard]] static bool side_done(const Direction& d) noexcept;

  Direction client_;
  Direction server_;
  TlsEvent event_;
  TlsCounters counters_;
  std::array<std::uint8_t, 32> client_session_id_;
  std::uint8_t client_session_id_length_;
  bool emitted_;
  bool tls13_;                 // the server chose TLS 1.3 (ServerHello or HelloRetryRequest)
  bool certificate_decoded_;   // the first server Certificate message was decoded
  bool ended_;                 // end() was called
};

}  // namespace segward::tls
