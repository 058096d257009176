#pragma once
// Builders for TLS records and handshake messages, a sink that keeps the
// events, and the real captures under tests/unit/tls/data (see generate.sh).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/tls/tls_connection.h"
#include "decoders/tls/tls_event.h"

namespace segward::tls::testing {

using Bytes = std::vector<std::uint8_t>;

inline void put8(Bytes& b, std::uint32_t v) { b.push_back(static_cast<std::uint8_t>(v)); }
inline void put16(Bytes& b, std::uint32_t v) {
  put8(b, v >> 8);
  put8(b, v);
}
inline void put24(Bytes& b, std::uint32_t v) {
  put8(b, v >> 16);
  put16(b, v);
}
inline void append(Bytes& b, std::span<const std::uint8_t> more) { b.insert(b.end(), more.begin(), more.end()); }
inline void append(Bytes& b, std::string_view text) { b.insert(b.end(), text.begin(), text.end()); }
inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) append(out, p);
  return out;
}

/// A vector with a 1-, 2- or 3-byte length prefix.
inline Bytes vec(int length_bytes, std::span<const std::uint8_t> body) {
  Bytes out;
  if (length_bytes == 1) put8(out, static_cast<std::uint32_t>(body.size()));
  if (length_bytes == 2) put16(out, static_cast<std::uint32_t>(body.size()));
  if (length_bytes == 3) put24(out, static_cast<std::uint32_t>(body.size()));
  append(out, body);
  return out;
}
inline Bytes u16_list(int length_bytes, std::initializer_list<std::uint16_t> values) {
  Bytes body;
  for (const auto v : values) put16(body, v);
  return vec(length_bytes, body);
}

inline Bytes record(std::uint8_t type, std::uint16_t version, std::span<const std::uint8_t> body) {
  Bytes out;
  put8(out, type);
  put16(out, version);
  put16(out, static_cast<std::uint32_t>(body.size()));
  append(out, body);
  return out;
}
inline Bytes handshake(std::uint8_t type, std::span<const std::uint8_t> body) {
  Bytes out;
  put8(out, type);
  put24(out, static_cast<std::uint32_t>(body.size()));
  append(out, body);
  return out;
}
/// Handshake bytes cut into records of at most `max_fragment` bytes.
inline Bytes handshake_records(std::span<const std::uint8_t> messages, std::uint16_t version = 0x0303,
                               std::size_t max_fragment = 16384) {
  Bytes out;
  for (std::size_t at = 0; at < messages.size(); at += max_fragment) {
    const auto n = std::min(max_fragment, messages.size() - at);
    append(out, record(22, version, messages.subspan(at, n)));
  }
  return out;
}
inline Bytes change_cipher_spec(std::uint16_t version = 0x0303) { return record(20, version, Bytes{1}); }
inline Bytes alert(std::uint8_t level, std::uint8_t description, std::uint16_t version = 0x0303) {
  return record(21, version, Bytes{level, description});
}
inline Bytes application_data(std::size_t n, std::uint16_t version = 0x0303) {
  return record(23, version, Bytes(n, 0xab));
}

struct Ext {
  std::uint16_t type;
  Bytes data;
};

inline Ext ext_sni(std::string_view host) {
  Bytes name;
  put8(name, 0);
  Bytes h(host.begin(), host.end());
  append(name, vec(2, h));
  return {0, vec(2, name)};
}
inline Ext ext_alpn(std::initializer_list<std::string_view> protocols) {
  Bytes list;
  for (const auto p : protocols) {
    Bytes b(p.begin(), p.end());
    append(list, vec(1, b));
  }
  return {16, vec(2, list)};
}
inline Ext ext_groups(std::initializer_list<std::uint16_t> groups) { return {10, u16_list(2, groups)}; }
inline Ext ext_point_formats(std::initializer_list<std::uint8_t> formats) {
  Bytes b(formats.begin(), formats.end());
  return {11, vec(1, b)};
}
inline Ext ext_sigalgs(std::initializer_list<std::uint16_t> algs) { return {13, u16_list(2, algs)}; }
inline Ext ext_client_versions(std::initializer_list<std::uint16_t> versions) { return {43, u16_list(1, versions)}; }
inline Ext ext_server_version(std::uint16_t v) {
  Bytes b;
  put16(b, v);
  return {43, b};
}
inline Ext ext_empty(std::uint16_t type) { return {type, {}}; }
inline Ext ext_raw(std::uint16_t type, Bytes data) { return {type, std::move(data)}; }

inline Bytes extensions_block(const std::vector<Ext>& exts) {
  Bytes body;
  for (const auto& e : exts) {
    put16(body, e.type);
    append(body, vec(2, e.data));
  }
  return vec(2, body);
}

struct ClientHelloSpec {
  std::uint16_t version = 0x0303;
  Bytes session_id;
  std::vector<std::uint16_t> ciphers;
  Bytes compression{0};
  std::vector<Ext> extensions;
  bool no_extensions_block = false;
};

inline Bytes client_hello_body(const ClientHelloSpec& s) {
  Bytes b;
  put16(b, s.version);
  for (int i = 0; i < 32; ++i) put8(b, 0x40 + i);
  append(b, vec(1, s.session_id));
  Bytes ciphers;
  for (const auto c : s.ciphers) put16(ciphers, c);
  append(b, vec(2, ciphers));
  append(b, vec(1, s.compression));
  if (!s.no_extensions_block) append(b, extensions_block(s.extensions));
  return b;
}
inline Bytes client_hello(const ClientHelloSpec& s) { return handshake(1, client_hello_body(s)); }

/// SHA-256("HelloRetryRequest").
inline const Bytes kHelloRetryRandom = {0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
                                        0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
                                        0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

struct ServerHelloSpec {
  std::uint16_t version = 0x0303;
  bool hello_retry = false;
  Bytes session_id;
  std::uint16_t cipher = 0xc02f;
  std::vector<Ext> extensions;
  bool no_extensions_block = false;
};

inline Bytes server_hello_body(const ServerHelloSpec& s) {
  Bytes b;
  put16(b, s.version);
  if (s.hello_retry) {
    append(b, kHelloRetryRandom);
  } else {
    for (int i = 0; i < 32; ++i) put8(b, 0x80 + i);
  }
  append(b, vec(1, s.session_id));
  put16(b, s.cipher);
  put8(b, 0);
  if (!s.no_extensions_block) append(b, extensions_block(s.extensions));
  return b;
}
inline Bytes server_hello(const ServerHelloSpec& s) { return handshake(2, server_hello_body(s)); }

inline Bytes certificate_message(const std::vector<Bytes>& chain) {
  Bytes list;
  for (const auto& der : chain) append(list, vec(3, der));
  return handshake(11, vec(3, list));
}
inline Bytes server_hello_done() { return handshake(14, {}); }

/// The leaf certificate in data/ (leaf.der, sent by s_server in the
/// captures), as `openssl x509` printed it (data/leaf.expected). generate.sh
/// makes a new key and dates: update these four then.
inline constexpr std::string_view kLeafSha256 = "2745567436f28aeb5ba6eda2aba7dc109d7bde6b3c8d36fc575b0e2fa3a39dcb";
inline constexpr std::string_view kLeafSha1 = "c4f85dc353f67798e89701c00afba5ea43406860";
inline constexpr std::int64_t kLeafNotBefore = 1796125761;  // 2026-12-01 11:49:21Z
inline constexpr std::int64_t kLeafNotAfter = 1867405761;   // 2029-03-05 11:49:21Z

/// Keeps every event; a copy, since the one handed over lives only during the call.
class RecordingSink final : public TlsEventSink {
 public:
  void on_event(const TlsEvent& e) override { events.push_back(e); }
  std::vector<TlsEvent> events;
};

struct Segment {
  bool server;
  Bytes bytes;
};

inline std::string data_path(std::string_view name) {
  return std::string(SEGWARD_SOURCE_DIR) + "/tests/unit/tls/data/" + std::string(name);
}

inline Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

/// A capture's TCP payloads in capture order ("C <hex>" / "S <hex>" lines).
inline std::vector<Segment> load_segments(std::string_view name) {
  std::ifstream in(data_path(name));
  EXPECT_TRUE(in.good()) << data_path(name);
  std::vector<Segment> out;
  std::string side, hex;
  while (in >> side >> hex) out.push_back({side == "S", from_hex(hex)});
  return out;
}

inline Bytes load_file(std::string_view name) {
  std::ifstream in(data_path(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << data_path(name);
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Feeds the segments in order, each cut into pieces of at most `piece` bytes.
inline void feed(TlsConnection& c, const std::vector<Segment>& segments, TlsEventSink& sink,
                 std::size_t piece = SIZE_MAX) {
  for (const auto& s : segments) {
    for (std::size_t at = 0; at < s.bytes.size(); at += piece) {
      const auto part = std::span(s.bytes).subspan(at, std::min(piece, s.bytes.size() - at));
      if (s.server) {
        c.feed_server(part, sink);
      } else {
        c.feed_client(part, sink);
      }
    }
  }
}

inline std::string hex_of(std::span<const std::uint8_t> bytes) {
  std::string out;
  for (const auto b : bytes) {
    out += "0123456789abcdef"[b >> 4];
    out += "0123456789abcdef"[b & 15];
  }
  return out;
}
inline std::string hash_text(const std::array<char, 32>& h) { return std::string(h.data(), h.size()); }

}  // namespace segward::tls::testing
