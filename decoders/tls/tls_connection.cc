#include "decoders/tls/tls_connection.h"

#include <algorithm>
#include <cstring>

#include "decoders/common/byte_reader.h"
#include "decoders/tls/hello.h"
#include "decoders/tls/x509.h"

namespace segward::tls {
namespace {

namespace content_type {
constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kAlert = 21;
constexpr std::uint8_t kHandshake = 22;
constexpr std::uint8_t kApplicationData = 23;
constexpr std::uint8_t kHeartbeat = 24;
}  // namespace content_type

namespace handshake_type {
constexpr std::uint8_t kClientHello = 1;
constexpr std::uint8_t kServerHello = 2;
constexpr std::uint8_t kCertificate = 11;
constexpr std::uint8_t kServerHelloDone = 14;
}  // namespace handshake_type

constexpr std::uint8_t kAlertFatal = 2;

bool valid_record_header(std::span<const std::uint8_t> h) noexcept {
  if (h.size() > 0 && (h[0] < content_type::kChangeCipherSpec || h[0] > content_type::kHeartbeat)) return false;
  if (h.size() > 1 && h[1] != 3) return false;
  if (h.size() > 2 && h[2] > 4) return false;
  if (h.size() > 4 && decoders::load_be16(h.data() + 3) > kMaxRecordLength) return false;
  return true;
}

}  // namespace

TlsCounters& TlsCounters::operator+=(const TlsCounters& other) noexcept {
  for (const auto& f : kTlsCounterFields) this->*f.member += other.*f.member;
  return *this;
}

bool looks_like_tls_record(std::span<const std::uint8_t> payload) noexcept {
  return !payload.empty() && valid_record_header(payload.first(std::min<std::size_t>(payload.size(), 5)));
}

bool looks_like_tls_client_start(std::span<const std::uint8_t> p) noexcept {
  if (p.empty() || p[0] != content_type::kHandshake) return false;
  if (!valid_record_header(p.first(std::min<std::size_t>(p.size(), 5)))) return false;
  if (p.size() > 4) {
    // A ClientHello record is plaintext (<= 2^14) and holds at least a handshake header.
    const std::uint16_t len = decoders::load_be16(p.data() + 3);
    if (len < 4 || len > (1u << 14)) return false;
  }
  return p.size() <= 5 || p[5] == handshake_type::kClientHello;
}

bool looks_like_sslv2_client_hello(std::span<const std::uint8_t> p) noexcept {
  // SSLv2 record: 2-byte header with the top bit set (no padding), then
  // msg_type 1 (CLIENT-HELLO) and the client version (RFC 5246 Appendix E.2).
  if (p.size() < 5 || (p[0] & 0x80) == 0) return false;
  const std::size_t len = (std::size_t{p[0] & 0x7fu} << 8) | p[1];
  if (len < 9 || p[2] != 1) return false;
  return (p[3] == 0 && p[4] == 2) || (p[3] == 3 && p[4] <= 4);
}

void TlsConnection::reset_direction(Direction& d, bool from_server) noexcept {
  d.mode = Mode::kClear;
  d.from_server = from_server;
  d.any_record = false;
  d.fatal_alert = false;
  d.header_have = 0;
  d.header = {};
  d.record_type = 0;
  d.record_version = 0;
  d.record_left = 0;
  d.msg_header_have = 0;
  d.msg_header = {};
  d.msg_type = 0;
  d.msg_buffered = false;
  d.msg_handled = false;
  d.msg_record_version = 0;
  d.msg_length = 0;
  d.msg_received = 0;
  d.alert_have = 0;
  d.alert = {};
  // The buffer is not cleared: only bytes written for the current message are read.
}

void TlsConnection::reset() noexcept {
  reset_direction(client_, false);
  reset_direction(server_, true);
  event_.reset();
  counters_ = TlsCounters{};
  client_session_id_ = {};
  client_session_id_length_ = 0;
  emitted_ = false;
  tls13_ = false;
  certificate_decoded_ = false;
  ended_ = false;
}

void TlsConnection::feed_client(std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept {
  feed(client_, bytes, sink);
}

void TlsConnection::feed_server(std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept {
  feed(server_, bytes, sink);
}

void TlsConnection::gap_client(std::uint32_t lost, TlsEventSink& sink) noexcept { gap(client_, lost, sink); }

void TlsConnection::gap_server(std::uint32_t lost, TlsEventSink& sink) noexcept { gap(server_, lost, sink); }

void TlsConnection::end(TlsEventSink& sink) noexcept {
  if (!ended_) {
    // A message cut by the end of the capture is decoded as far as it came.
    flush_partial_message(client_, sink);
    flush_partial_message(server_, sink);
    ended_ = true;
  }
  emit(sink);
}

bool TlsConnection::side_done(const Direction& d) noexcept { return d.mode != Mode::kClear || d.fatal_alert; }

bool TlsConnection::finished() const noexcept {
  if (ended_) return true;
  if (!emitted_) return false;
  return (side_done(client_) && side_done(server_)) || client_.fatal_alert || server_.fatal_alert;
}

void TlsConnection::feed(Direction& d, std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept {
  while (!bytes.empty()) {
    if (d.mode == Mode::kStopped) {
      counters_.bytes_ignored += bytes.size();
      return;
    }
    if (d.header_have < d.header.size()) {
      const std::size_t n = std::min<std::size_t>(d.header.size() - d.header_have, bytes.size());
      std::memcpy(d.header.data() + d.header_have, bytes.data(), n);
      d.header_have = static_cast<std::uint8_t>(d.header_have + n);
      bytes = bytes.subspan(n);
      if (d.header_have < d.header.size()) return;
      if (start_record(d, sink) && d.record_left == 0) d.header_have = 0;  // an empty record
      continue;
    }
    const std::size_t n = std::min<std::size_t>(d.record_left, bytes.size());
    d.record_left -= static_cast<std::uint32_t>(n);
    record_content(d, bytes.first(n), sink);
    bytes = bytes.subspan(n);
    if (d.record_left == 0) d.header_have = 0;
  }
}

void TlsConnection::gap(Direction& d, std::uint32_t lost, TlsEventSink& sink) noexcept {
  ++counters_.gaps;
  counters_.gap_bytes += lost;
  flush_partial_message(d, sink);
  d.mode = Mode::kStopped;  // record sync is lost
}

bool TlsConnection::start_record(Direction& d, TlsEventSink& sink) noexcept {
  const auto& h = d.header;
  if (!valid_record_header(h)) {
    if (!d.from_server && !d.any_record && looks_like_sslv2_client_hello(h)) {
      ++counters_.sslv2_client_hellos;
      if (!emitted_) event_.sslv2_client_hello = true;
    } else {
      ++counters_.bad_records;
    }
    d.mode = Mode::kStopped;
    counters_.bytes_ignored += h.size();
    return false;
  }
  d.any_record = true;
  ++counters_.records;
  d.record_type = h[0];
  d.record_version = decoders::load_be16(h.data() + 1);
  d.record_left = decoders::load_be16(h.data() + 3);
  if (d.mode == Mode::kEncrypted) ++counters_.encrypted_records;
  switch (d.record_type) {
    case content_type::kChangeCipherSpec:
      ++counters_.change_cipher_specs;
      change_cipher_spec(d, sink);
      break;
    case content_type::kApplicationData:
      ++counters_.application_data_records;
      break;
    case content_type::kHeartbeat:
      ++counters_.heartbeats;
      break;
    default:
      break;
  }
  return true;
}

void TlsConnection::record_content(Direction& d, std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept {
  switch (d.mode) {
    case Mode::kStopped:
      return;
    case Mode::kEncrypted:
      // TLS 1.3 protects every record as application_data (RFC 8446 §5.2),
      // so an alert record is a clear one; after a TLS <= 1.2
      // ChangeCipherSpec, alert records are encrypted.
      if (d.record_type == content_type::kAlert && tls13_) alert_bytes(d, bytes);
      return;
    case Mode::kClear:
      if (d.record_type == content_type::kHandshake) {
        handshake_bytes(d, bytes, sink);
      } else if (d.record_type == content_type::kAlert) {
        alert_bytes(d, bytes);
      }
      return;
  }
}

bool TlsConnection::wants_body(const Direction& d) const noexcept {
  if (emitted_) return false;
  if (!d.from_server) return d.msg_type == handshake_type::kClientHello && !event_.client_hello_seen;
  if (d.msg_type == handshake_type::kServerHello) return !event_.server_hello_seen;
  return d.msg_type == handshake_type::kCertificate && !certificate_decoded_ && !tls13_;
}

void TlsConnection::handshake_bytes(Direction& d, std::span<const std::uint8_t> bytes, TlsEventSink& sink) noexcept {
  while (!bytes.empty() && d.mode == Mode::kClear) {
    if (d.msg_header_have < d.msg_header.size()) {
      if (d.msg_header_have == 0) d.msg_record_version = d.record_version;
      const std::size_t n = std::min<std::size_t>(d.msg_header.size() - d.msg_header_have, bytes.size());
      std::memcpy(d.msg_header.data() + d.msg_header_have, bytes.data(), n);
      d.msg_header_have = static_cast<std::uint8_t>(d.msg_header_have + n);
      bytes = bytes.subspan(n);
      if (d.msg_header_have < d.msg_header.size()) return;
      ++counters_.handshake_messages;
      d.msg_type = d.msg_header[0];
      d.msg_length = std::uint32_t{d.msg_header[1]} << 16 | std::uint32_t{d.msg_header[2]} << 8 | d.msg_header[3];
      d.msg_received = 0;
      d.msg_handled = false;
      d.msg_buffered = wants_body(d);
      if (d.msg_length == 0) finish_message(d, sink);
      continue;
    }
    const std::size_t n = std::min<std::size_t>(d.msg_length - d.msg_received, bytes.size());
    if (d.msg_buffered && d.msg_received < d.buffer.size()) {
      const std::size_t keep = std::min<std::size_t>(n, d.buffer.size() - d.msg_received);
      std::memcpy(d.buffer.data() + d.msg_received, bytes.data(), keep);
    }
    d.msg_received += static_cast<std::uint32_t>(n);
    bytes = bytes.subspan(n);
    if (d.msg_received == d.msg_length) {
      finish_message(d, sink);
    } else if (d.msg_buffered && !d.msg_handled && d.msg_received >= d.buffer.size()) {
      // Larger than the buffer: decode the part that fits now, skip the rest.
      d.msg_handled = true;
      handshake_message(d, false, sink);
    }
  }
}

void TlsConnection::finish_message(Direction& d, TlsEventSink& sink) noexcept {
  d.msg_header_have = 0;
  if (d.msg_handled) return;
  d.msg_handled = true;
  handshake_message(d, d.msg_length <= d.buffer.size(), sink);
}

void TlsConnection::flush_partial_message(Direction& d, TlsEventSink& sink) noexcept {
  if (d.mode != Mode::kClear || d.msg_header_have < d.msg_header.size() || d.msg_handled) return;
  if (!d.msg_buffered || d.msg_received == 0) return;
  d.msg_handled = true;
  handshake_message(d, false, sink);
}

void TlsConnection::handshake_message(Direction& d, bool complete, TlsEventSink& sink) noexcept {
  const std::span<const std::uint8_t> body(d.buffer.data(), std::min<std::size_t>(d.msg_received, d.buffer.size()));
  // A message buffered before the event went out (the other side's
  // ChangeCipherSpec can emit it meanwhile) is counted, not decoded: the
  // event never changes after emission.
  const bool decode = d.msg_buffered && !emitted_;
  if (decode && !complete) {
    ++counters_.truncated_handshakes;
    note_truncated();
  }
  if (!d.from_server) {
    if (d.msg_type == handshake_type::kClientHello) {
      ++counters_.client_hellos;
      if (decode) on_client_hello(body, complete);
    } else if (d.msg_type == handshake_type::kCertificate) {
      ++counters_.client_certificates;
    }
    return;
  }
  switch (d.msg_type) {
    case handshake_type::kServerHello:
      if (decode) {
        on_server_hello(body, complete, sink);
      } else {
        ++counters_.server_hellos;
      }
      break;
    case handshake_type::kCertificate:
      if (decode) on_certificate(body, complete);
      break;
    case handshake_type::kServerHelloDone:
      emit(sink);
      break;
    default:
      break;
  }
}

void TlsConnection::on_client_hello(std::span<const std::uint8_t> body, bool complete) noexcept {
  ClientHelloFacts facts;
  const HelloParse parsed = parse_client_hello(body, complete, facts);
  event_.client_hello_seen = true;
  event_.record_version = client_.msg_record_version;
  if (parsed == HelloParse::kMalformed) note_malformed();
  if (!describe_client_hello(facts, event_) && parsed != HelloParse::kMalformed) note_malformed();
  client_session_id_length_ = static_cast<std::uint8_t>(std::min(facts.session_id.size(), client_session_id_.size()));
  std::copy_n(facts.session_id.begin(), client_session_id_length_, client_session_id_.begin());
}

void TlsConnection::on_server_hello(std::span<const std::uint8_t> body, bool complete, TlsEventSink& sink) noexcept {
  ServerHelloFacts facts;
  const HelloParse parsed = parse_server_hello(body, complete, facts);
  if (parsed == HelloParse::kMalformed) note_malformed();
  if (facts.hello_retry_request) {
    // Not final: the client answers with a second ClientHello (RFC 8446 §4.1.4).
    ++counters_.hello_retry_requests;
    event_.hello_retry_request = true;
    tls13_ = true;
    return;
  }
  ++counters_.server_hellos;
  event_.server_hello_seen = true;
  describe_server_hello(facts, event_);
  if (is_tls13(event_.version)) {
    tls13_ = true;
    event_.resumed = facts.psk_selected;
    // Everything after the ServerHello is encrypted, in both directions.
    if (server_.mode == Mode::kClear) server_.mode = Mode::kEncrypted;
    if (client_.mode == Mode::kClear) client_.mode = Mode::kEncrypted;
    emit(sink);
    return;
  }
  event_.resumed = client_session_id_length_ > 0 && facts.session_id.size() == client_session_id_length_ &&
                   std::equal(facts.session_id.begin(), facts.session_id.end(), client_session_id_.begin());
}

void TlsConnection::on_certificate(std::span<const std::uint8_t> body, bool complete) noexcept {
  certificate_decoded_ = true;
  ++counters_.certificates;
  event_.certificate_seen = true;
  switch (decode_certificate_message(body, complete, event_)) {
    case CertificateParse::kOk:
      break;
    case CertificateParse::kPartial:
      note_truncated();
      break;
    case CertificateParse::kMalformed:
      note_malformed();
      break;
  }
}

void TlsConnection::change_cipher_spec(Direction& d, TlsEventSink& sink) noexcept {
  if (d.mode != Mode::kClear) return;
  // TLS 1.3 middlebox-compatibility ChangeCipherSpecs (RFC 8446 §D.4) change
  // nothing: after a HelloRetryRequest, or from a client that offered 1.3
  // before any ServerHello (early data, or the one before its second hello).
  if (tls13_) return;
  if (!event_.server_hello_seen && event_.client_offered_tls13) return;
  d.mode = Mode::kEncrypted;
  // A client's ChangeCipherSpec cannot precede the ServerHello in a real
  // handshake; when it is fed first (a one-sided capture, or the client's
  // direction delivered ahead of the server's), the ServerHello may still
  // come: the event waits for it, or for end().
  if (!d.from_server && !event_.server_hello_seen) return;
  emit(sink);
}

void TlsConnection::alert_bytes(Direction& d, std::span<const std::uint8_t> bytes) noexcept {
  for (const std::uint8_t b : bytes) {
    d.alert[d.alert_have++] = b;
    if (d.alert_have == d.alert.size()) {
      d.alert_have = 0;
      on_alert(d, d.alert[0], d.alert[1]);
    }
  }
}

void TlsConnection::on_alert(Direction& d, std::uint8_t level, std::uint8_t description) noexcept {
  ++counters_.alerts;
  if (level == kAlertFatal) d.fatal_alert = true;
  if (emitted_) {
    ++counters_.alerts_after_event;
    return;
  }
  if (event_.alert_seen) return;
  event_.alert_seen = true;
  event_.alert_level = level;
  event_.alert_description = description;
  event_.alert_from_server = d.from_server;
}

void TlsConnection::note_truncated() noexcept {
  if (!emitted_) event_.truncated = true;
}

void TlsConnection::note_malformed() noexcept {
  ++counters_.malformed;
  if (!emitted_) event_.malformed = true;
}

void TlsConnection::emit(TlsEventSink& sink) noexcept {
  if (emitted_) return;
  if (!event_.client_hello_seen && !event_.server_hello_seen && !event_.sslv2_client_hello) return;
  emitted_ = true;
  ++counters_.events;
  sink.on_event(event_);
}

}  // namespace segward::tls
