#pragma once
// What segward learns from one TLS connection's clear-text handshake: one
// TlsEvent per connection, a plain value the dataplane copies whole into a
// ring (fixed size, trivially copyable, no pointers into packet memory).
//
// Every text is a BoundedText<N>: a value longer than N is cut, its
// `truncated` flag set, and TlsEvent::truncated set too. Hashes (JA3, JA3S,
// JA4, certificate fingerprints) are always computed over the full wire
// value, never over the cut text.
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "decoders/common/bounded_text.h"

namespace segward::tls {

using decoders::BoundedText;

/// Record-layer and handshake version numbers (RFC 8446 §4.2.1 and older).
namespace tls_version {
inline constexpr std::uint16_t kSsl2 = 0x0002;
inline constexpr std::uint16_t kSsl3 = 0x0300;
inline constexpr std::uint16_t kTls10 = 0x0301;
inline constexpr std::uint16_t kTls11 = 0x0302;
inline constexpr std::uint16_t kTls12 = 0x0303;
inline constexpr std::uint16_t kTls13 = 0x0304;
}  // namespace tls_version

struct TlsEvent {
  bool client_hello_seen;
  bool server_hello_seen;  // a real ServerHello; a HelloRetryRequest alone does not count
  bool certificate_seen;   // the server's Certificate message (TLS <= 1.2)

  std::uint16_t record_version;  // first ClientHello record's version
  std::uint16_t client_version;  // ClientHello legacy_version
  std::uint16_t version;         // negotiated: ServerHello supported_versions if present, else ServerHello version (0 if no ServerHello)
  std::uint16_t cipher_suite;    // chosen by the server (0 if no ServerHello)
  std::uint16_t offered_cipher_count;  // cipher suites in the ClientHello, GREASE included

  BoundedText<256> sni;           // server_name type host_name, as sent
  BoundedText<128> alpn_offered;  // comma-joined protocol names as offered
  BoundedText<1024> ja3_string;   // "771,4865-4866,0-23,29-23,0"
  std::array<char, 32> ja3_hash;  // lower-case hex MD5 of the full JA3 string; all '\0' when no ClientHello
  BoundedText<256> ja3s_string;
  std::array<char, 32> ja3s_hash;  // all '\0' when no ServerHello
  BoundedText<40> ja4;             // FoxIO JA4 (TLS over TCP: 't'...), e.g. "t13d1516h2_8daaf6152771_e5627efa2ab1"

  // Leaf certificate (TLS <= 1.2, where it crosses in clear).
  std::array<std::uint8_t, 32> cert_sha256;  // over the leaf's DER bytes; zero when not seen whole
  BoundedText<256> subject;  // full DN, "C=US, O=Example, CN=host", in certificate order
  BoundedText<256> issuer;
  BoundedText<128> subject_cn;
  BoundedText<128> issuer_cn;
  BoundedText<64> serial;  // hex, colon-separated, upper case, DER bytes as sent ("00:AB:..")
  std::int64_t not_before;  // Unix seconds (UTCTime and GeneralizedTime)
  std::int64_t not_after;
  std::uint8_t certificate_count;  // certs in the chain message (those that fit the buffer; saturates at 255)

  // First alert seen in clear.
  bool alert_seen;
  std::uint8_t alert_level;  // 1 warning, 2 fatal
  std::uint8_t alert_description;
  bool alert_from_server;

  bool resumed;    // session id echoed (TLS <= 1.2) / pre_shared_key selected (TLS 1.3)
  bool truncated;  // something did not fit (a hello or certificate larger than the buffer, a text cut)
  bool malformed;  // the handshake bytes did not parse

  // Additions beyond the first published API (append-only).
  bool hello_retry_request;   // the server sent a HelloRetryRequest
  bool sslv2_client_hello;    // the client opened with an SSLv2-compatible ClientHello (not decoded)
  bool client_offered_tls13;  // supported_versions in the ClientHello lists 0x0304
  std::array<std::uint8_t, 20> cert_sha1;  // Suricata's tls.fingerprint; zero when not seen whole
  BoundedText<64> alpn_selected;            // ServerHello ALPN (TLS <= 1.2 only; encrypted in 1.3)

  void reset() noexcept {
    std::memset(static_cast<void*>(this), 0, sizeof(*this));
    // Every default is zero: empty texts, no hashes, version 0 = undetermined.
  }
};

static_assert(std::is_trivially_copyable_v<TlsEvent>);
static_assert(sizeof(TlsEvent) <= 4096);

/// Suricata's names: "SSLv2", "SSLv3", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3",
/// "TLS 1.3 draft-NN"; "UNDETERMINED" for 0 or anything unknown.
[[nodiscard]] std::string_view version_name(std::uint16_t v) noexcept;
/// IANA names, e.g. "TLS_AES_256_GCM_SHA384"; "" when unknown.
[[nodiscard]] std::string_view cipher_suite_name(std::uint16_t id) noexcept;
/// RFC 8446 / 5246 names, e.g. "handshake_failure"; "" when unknown.
[[nodiscard]] std::string_view alert_description_name(std::uint8_t d) noexcept;
/// "warning", "fatal"; "" otherwise.
[[nodiscard]] std::string_view alert_level_name(std::uint8_t level) noexcept;

/// RFC 8701 GREASE: 0x0A0A, 0x1A1A, ..., 0xFAFA.
[[nodiscard]] constexpr bool is_grease(std::uint16_t v) noexcept {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

}  // namespace segward::tls
