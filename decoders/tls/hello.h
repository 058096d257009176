#pragma once
// ClientHello and ServerHello bodies (RFC 8446 §4.1.2-4.1.4, RFC 5246 §7.4.1)
// into facts, and facts into the TlsEvent fields: SNI, ALPN, versions, JA3,
// JA3S and JA4.
//
// A body may be a prefix of the message (the handshake buffer was full):
// with `complete` false, running out of bytes is not an error; the lists
// keep the entries that arrived whole and the result says kCut.
#include <cstdint>
#include <span>

#include "decoders/tls/tls_event.h"

namespace segward::tls {

namespace extension_type {
inline constexpr std::uint16_t kServerName = 0;
inline constexpr std::uint16_t kSupportedGroups = 10;
inline constexpr std::uint16_t kEcPointFormats = 11;
inline constexpr std::uint16_t kSignatureAlgorithms = 13;
inline constexpr std::uint16_t kAlpn = 16;
inline constexpr std::uint16_t kPreSharedKey = 41;
inline constexpr std::uint16_t kSupportedVersions = 43;
}  // namespace extension_type

enum class HelloParse : std::uint8_t {
  kOk,
  kCut,        // a prefix: decoded as far as it went
  kMalformed,  // lengths disagree; the fields before the fault are kept
};

/// One extension; `data` is inside the body.
struct Extension {
  std::uint16_t type;
  std::span<const std::uint8_t> data;
};

/// Walks an extensions block whose entries were checked whole by the parser.
class ExtensionWalker {
 public:
  explicit ExtensionWalker(std::span<const std::uint8_t> block) noexcept : block_(block) {}
  [[nodiscard]] bool next(Extension& out) noexcept;

 private:
  std::span<const std::uint8_t> block_;
};

struct ClientHelloFacts {
  std::uint16_t legacy_version = 0;
  std::span<const std::uint8_t> session_id;
  std::span<const std::uint8_t> cipher_suites;  // whole 2-byte entries only
  std::span<const std::uint8_t> extensions;     // whole extensions only
  bool cut = false;
};

struct ServerHelloFacts {
  std::uint16_t legacy_version = 0;
  std::span<const std::uint8_t> session_id;
  std::uint16_t cipher_suite = 0;
  bool cipher_seen = false;        // the body reached the cipher suite
  std::span<const std::uint8_t> extensions;  // whole extensions only
  bool hello_retry_request = false;
  std::uint16_t selected_version = 0;  // supported_versions, 0 if absent
  bool psk_selected = false;           // pre_shared_key present
  std::span<const std::uint8_t> alpn;  // the protocol the server chose (TLS <= 1.2)
  bool cut = false;

  /// The negotiated version: supported_versions if present, else legacy_version.
  [[nodiscard]] std::uint16_t version() const noexcept {
    return selected_version != 0 ? selected_version : legacy_version;
  }
};

[[nodiscard]] HelloParse parse_client_hello(std::span<const std::uint8_t> body, bool complete,
                                            ClientHelloFacts& out) noexcept;
[[nodiscard]] HelloParse parse_server_hello(std::span<const std::uint8_t> body, bool complete,
                                            ServerHelloFacts& out) noexcept;

/// Fills client_version, offered_cipher_count, sni, alpn_offered, ja3_*,
/// ja4 and client_offered_tls13; sets e.truncated when a text was cut.
/// False when an extension's inner lengths disagree (what was whole is used).
bool describe_client_hello(const ClientHelloFacts& facts, TlsEvent& e) noexcept;
/// Fills version, cipher_suite, ja3s_*, alpn_selected.
bool describe_server_hello(const ServerHelloFacts& facts, TlsEvent& e) noexcept;

/// TLS 1.3 or one of its drafts (0x7fxx): everything after the ServerHello is encrypted.
[[nodiscard]] constexpr bool is_tls13(std::uint16_t version) noexcept {
  return version == tls_version::kTls13 || (version >> 8) == 0x7f;
}

}  // namespace segward::tls
