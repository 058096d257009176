#include "decoders/tls/hello.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string_view>

#include "decoders/common/byte_reader.h"
#include "decoders/tls/md5.h"
#include "decoders/tls/sha256.h"
#include "decoders/tls/tls_text.h"

namespace segward::tls {
namespace {

using decoders::ByteReader;
using decoders::load_be16;

enum class Take : std::uint8_t { kWhole, kCut, kBad };

// A vector with a 1- or 2-byte length prefix. In a complete body it must
// fit; in a prefix, a vector that runs past the end is clipped (kCut).
Take take_vector(ByteReader& r, int length_bytes, bool complete, std::span<const std::uint8_t>& out) noexcept {
  out = {};
  std::optional<std::uint32_t> len;
  if (length_bytes == 1) {
    if (const auto v = r.be8()) len = *v;
  } else {
    if (const auto v = r.be16()) len = *v;
  }
  if (!len) return complete ? Take::kBad : Take::kCut;
  if (*len <= r.remaining()) {
    out = *r.bytes(*len);
    return Take::kWhole;
  }
  if (complete) return Take::kBad;
  out = r.rest();
  (void)r.skip(r.remaining());
  return Take::kCut;
}

// The prefix of an extensions block made of whole extensions.
Take whole_extensions(std::span<const std::uint8_t> block, bool block_whole, std::span<const std::uint8_t>& out) noexcept {
  ByteReader r(block);
  std::size_t good = 0;
  while (!r.empty()) {
    const auto type = r.be16();
    const auto len = r.be16();
    if (!type || !len || !r.skip(*len)) {
      out = block.first(good);
      return block_whole ? Take::kBad : Take::kCut;
    }
    good = r.position();
  }
  out = block;
  return Take::kWhole;
}

// A list of 16-bit values with a 1- or 2-byte length prefix, inside an
// extension: the whole entries that are there, and whether the lengths agreed.
std::span<const std::uint8_t> u16_list(std::span<const std::uint8_t> data, int length_bytes, bool& ok) noexcept {
  if (data.size() < static_cast<std::size_t>(length_bytes)) {
    ok = false;
    return {};
  }
  const std::size_t len = length_bytes == 1 ? data[0] : load_be16(data.data());
  auto body = data.subspan(length_bytes);
  if (len != body.size() || len % 2 != 0) ok = false;
  const std::size_t n = std::min(len, body.size()) & ~std::size_t{1};
  return body.first(n);
}

std::span<const std::uint8_t> u8_list(std::span<const std::uint8_t> data, bool& ok) noexcept {
  if (data.empty()) {
    ok = false;
    return {};
  }
  auto body = data.subspan(1);
  if (data[0] != body.size()) ok = false;
  return body.first(std::min<std::size_t>(data[0], body.size()));
}

// The protocol names of an ALPN extension (RFC 7301 §3.1), one per call.
class AlpnWalker {
 public:
  AlpnWalker(std::span<const std::uint8_t> data, bool& ok) noexcept {
    if (data.size() < 2) {
      ok = false;
      return;
    }
    const std::size_t len = load_be16(data.data());
    list_ = data.subspan(2);
    if (len != list_.size()) ok = false;
    list_ = list_.first(std::min(len, list_.size()));
  }
  bool next(std::span<const std::uint8_t>& name, bool& ok) noexcept {
    if (list_.empty()) return false;
    const std::size_t len = list_[0];
    if (len + 1 > list_.size()) {
      ok = false;
      list_ = {};
      return false;
    }
    name = list_.subspan(1, len);
    list_ = list_.subspan(1 + len);
    return true;
  }

 private:
  std::span<const std::uint8_t> list_;
};

// Text and MD5 fed together: the hash covers the full JA3 string even when
// the text is cut.
template <std::size_t N>
class Ja3Writer {
 public:
  explicit Ja3Writer(BoundedText<N>& text) noexcept : text_(text) { text_.clear(); }
  void put(std::string_view s) noexcept {
    md5_.update(s);
    text_.append(s);
  }
  void number(std::uint32_t v) noexcept {
    char buf[12];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    put(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
  }
  // A '-' joined list of the non-GREASE 16-bit values.
  void u16_values(std::span<const std::uint8_t> list) noexcept {
    bool first = true;
    for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
      const std::uint16_t v = load_be16(list.data() + i);
      if (is_grease(v)) continue;
      if (!first) put("-");
      first = false;
      number(v);
    }
  }
  void finish(std::array<char, 32>& hex) noexcept {
    const auto digest = md5_.finish();
    write_hex_lower(digest, hex);
  }

 private:
  BoundedText<N>& text_;
  Md5 md5_;
};

// "002f,0035,..." into SHA-256, the first 12 hex digits out.
void hash_hex_list(std::span<const std::uint16_t> values, Sha256& sha) noexcept {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::uint16_t v = values[i];
    const char item[5] = {',', kHexLower[v >> 12], kHexLower[(v >> 8) & 15], kHexLower[(v >> 4) & 15], kHexLower[v & 15]};
    sha.update(i == 0 ? std::string_view(item + 1, 4) : std::string_view(item, 5));
  }
}

void truncated_sha256_hex(Sha256& sha, char* out12) noexcept {
  const auto digest = sha.finish();
  for (int i = 0; i < 6; ++i) {
    out12[2 * i] = kHexLower[digest[i] >> 4];
    out12[2 * i + 1] = kHexLower[digest[i] & 15];
  }
}

std::string_view ja4_version(std::uint16_t v) noexcept {
  switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    case 0x0002: return "s2";
    case 0xfeff: return "d1";
    case 0xfefd: return "d2";
    case 0xfefc: return "d3";
    default: return "00";
  }
}

[[nodiscard]] constexpr bool is_alnum(std::uint8_t c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

void two_digits(std::size_t n, char* out) noexcept {
  if (n > 99) n = 99;
  out[0] = static_cast<char>('0' + n / 10);
  out[1] = static_cast<char>('0' + n % 10);
}

// Sorted copies for JA4. A body that fits the handshake buffer has at most
// 4096 cipher suites and 2048 extensions; longer lists (a body passed in
// directly) are hashed over their first entries and the event marked truncated.
constexpr std::size_t kMaxSortedCiphers = 4096;
constexpr std::size_t kMaxSortedExtensions = 2048;

struct ClientExtensions {
  bool sni = false, alpn = false, groups = false, formats = false, sigalgs = false, versions = false;
  std::span<const std::uint8_t> sni_data, alpn_data, groups_data, formats_data, sigalgs_data, versions_data;
};

ClientExtensions find_client_extensions(std::span<const std::uint8_t> block) noexcept {
  ClientExtensions x;
  ExtensionWalker walk(block);
  Extension ext;
  // The first occurrence wins (a duplicate is illegal; JA3 still lists it).
  auto first = [&ext](bool& seen, std::span<const std::uint8_t>& data) {
    if (!seen) data = ext.data;
    seen = true;
  };
  while (walk.next(ext)) {
    switch (ext.type) {
      case extension_type::kServerName: first(x.sni, x.sni_data); break;
      case extension_type::kAlpn: first(x.alpn, x.alpn_data); break;
      case extension_type::kSupportedGroups: first(x.groups, x.groups_data); break;
      case extension_type::kEcPointFormats: first(x.formats, x.formats_data); break;
      case extension_type::kSignatureAlgorithms: first(x.sigalgs, x.sigalgs_data); break;
      case extension_type::kSupportedVersions: first(x.versions, x.versions_data); break;
      default: break;
    }
  }
  return x;
}

bool describe_sni(std::span<const std::uint8_t> data, TlsEvent& e) noexcept {
  // server_name_list<1..2^16-1>: NameType(1) + HostName<1..2^16-1> each.
  if (data.size() < 2) return false;
  const std::size_t len = load_be16(data.data());
  bool ok = len == data.size() - 2;
  ByteReader r(data.subspan(2, std::min(len, data.size() - 2)));
  while (!r.empty()) {
    const auto type = r.be8();
    const auto name_len = r.be16();
    if (!type || !name_len) return false;
    const auto name = r.bytes(*name_len);
    if (!name) return false;
    if (*type == 0) {
      append_printable(e.sni, *name);
      break;
    }
  }
  return ok;
}

bool write_ja4(const ClientHelloFacts& facts, const ClientExtensions& x, TlsEvent& e) noexcept {
  bool ok = true;
  // Version: the highest non-GREASE supported_versions entry, else legacy_version.
  std::uint16_t version = facts.legacy_version;
  if (x.versions) {
    const auto list = u16_list(x.versions_data, 1, ok);
    std::uint16_t highest = 0;
    for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
      const std::uint16_t v = load_be16(list.data() + i);
      if (!is_grease(v)) highest = std::max(highest, v);
    }
    if (highest != 0) version = highest;
  }

  std::array<std::uint16_t, kMaxSortedCiphers> ciphers;
  std::size_t cipher_count = 0;
  for (std::size_t i = 0; i + 1 < facts.cipher_suites.size(); i += 2) {
    const std::uint16_t v = load_be16(facts.cipher_suites.data() + i);
    if (is_grease(v)) continue;
    if (cipher_count == ciphers.size()) {
      e.truncated = true;
      break;
    }
    ciphers[cipher_count++] = v;
  }

  std::array<std::uint16_t, kMaxSortedExtensions> exts;
  std::size_t ext_count = 0;     // every non-GREASE extension, SNI and ALPN included
  std::size_t hashed_count = 0;  // those in the hash: SNI and ALPN left out
  {
    ExtensionWalker walk(facts.extensions);
    Extension ext;
    while (walk.next(ext)) {
      if (is_grease(ext.type)) continue;
      ++ext_count;
      if (ext.type == extension_type::kServerName || ext.type == extension_type::kAlpn) continue;
      if (hashed_count == exts.size()) {
        e.truncated = true;
        continue;
      }
      exts[hashed_count++] = ext.type;
    }
  }

  char a[10];
  a[0] = 't';
  const auto ver = ja4_version(version);
  a[1] = ver[0];
  a[2] = ver[1];
  a[3] = x.sni ? 'd' : 'i';
  two_digits(cipher_count, a + 4);
  two_digits(ext_count, a + 6);
  a[8] = '0';
  a[9] = '0';
  if (x.alpn) {
    AlpnWalker walk(x.alpn_data, ok);
    std::span<const std::uint8_t> first;
    if (walk.next(first, ok) && !first.empty()) {
      const std::uint8_t f = first.front();
      const std::uint8_t l = first.back();
      if (is_alnum(f) && is_alnum(l)) {
        a[8] = static_cast<char>(f);
        a[9] = static_cast<char>(l);
      } else {  // the first and last characters of the value's hex form
        a[8] = kHexLower[f >> 4];
        a[9] = kHexLower[l & 15];
      }
    }
  }

  char b[12];
  std::fill(std::begin(b), std::end(b), '0');
  if (cipher_count > 0) {
    std::sort(ciphers.begin(), ciphers.begin() + static_cast<std::ptrdiff_t>(cipher_count));
    Sha256 sha;
    hash_hex_list(std::span(ciphers.data(), cipher_count), sha);
    truncated_sha256_hex(sha, b);
  }

  char c[12];
  std::fill(std::begin(c), std::end(c), '0');
  if (hashed_count > 0) {
    std::sort(exts.begin(), exts.begin() + static_cast<std::ptrdiff_t>(hashed_count));
    Sha256 sha;
    hash_hex_list(std::span(exts.data(), hashed_count), sha);
    if (x.sigalgs) {
      const auto list = u16_list(x.sigalgs_data, 2, ok);
      bool first = true;
      for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
        const std::uint16_t v = load_be16(list.data() + i);
        if (is_grease(v)) continue;
        const char item[5] = {first ? '_' : ',', kHexLower[v >> 12], kHexLower[(v >> 8) & 15], kHexLower[(v >> 4) & 15],
                              kHexLower[v & 15]};
        sha.update(std::string_view(item, 5));
        first = false;
      }
    }
    truncated_sha256_hex(sha, c);
  }

  e.ja4.clear();
  e.ja4.append(std::string_view(a, 10));
  e.ja4.append("_");
  e.ja4.append(std::string_view(b, 12));
  e.ja4.append("_");
  e.ja4.append(std::string_view(c, 12));
  return ok;
}

}  // namespace

bool ExtensionWalker::next(Extension& out) noexcept {
  if (block_.size() < 4) return false;
  const std::size_t len = load_be16(block_.data() + 2);
  if (len > block_.size() - 4) return false;
  out.type = load_be16(block_.data());
  out.data = block_.subspan(4, len);
  block_ = block_.subspan(4 + len);
  return true;
}

HelloParse parse_client_hello(std::span<const std::uint8_t> body, bool complete, ClientHelloFacts& out) noexcept {
  out = ClientHelloFacts{};
  ByteReader r(body);
  const auto ran_out = [&] {
    if (complete) return HelloParse::kMalformed;
    out.cut = true;
    return HelloParse::kCut;
  };
  const auto version = r.be16();
  if (!version) return ran_out();
  out.legacy_version = *version;
  if (!r.skip(32)) return ran_out();  // random

  std::span<const std::uint8_t> v;
  switch (take_vector(r, 1, complete, v)) {
    case Take::kBad: return HelloParse::kMalformed;
    case Take::kCut: return ran_out();
    case Take::kWhole: break;
  }
  if (v.size() > 32) return HelloParse::kMalformed;
  out.session_id = v;

  const Take ciphers = take_vector(r, 2, complete, v);
  if (ciphers == Take::kBad) return HelloParse::kMalformed;
  out.cipher_suites = v.first(v.size() & ~std::size_t{1});
  if (ciphers == Take::kCut) return ran_out();
  if (v.size() % 2 != 0) return HelloParse::kMalformed;

  switch (take_vector(r, 1, complete, v)) {  // compression methods
    case Take::kBad: return HelloParse::kMalformed;
    case Take::kCut: return ran_out();
    case Take::kWhole: break;
  }

  if (r.empty()) return complete ? HelloParse::kOk : ran_out();  // no extensions (legal before TLS 1.3)
  const Take block = take_vector(r, 2, complete, v);
  if (block == Take::kBad) return HelloParse::kMalformed;
  const Take entries = whole_extensions(v, block == Take::kWhole, out.extensions);
  if (entries == Take::kBad) return HelloParse::kMalformed;
  if (block == Take::kCut || entries == Take::kCut) return ran_out();
  if (!r.empty()) return HelloParse::kMalformed;  // bytes after the extensions
  return HelloParse::kOk;
}

namespace {
// SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.
constexpr std::array<std::uint8_t, 32> kHelloRetryRandom = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
}  // namespace

HelloParse parse_server_hello(std::span<const std::uint8_t> body, bool complete, ServerHelloFacts& out) noexcept {
  out = ServerHelloFacts{};
  ByteReader r(body);
  const auto ran_out = [&] {
    if (complete) return HelloParse::kMalformed;
    out.cut = true;
    return HelloParse::kCut;
  };
  const auto version = r.be16();
  if (!version) return ran_out();
  out.legacy_version = *version;
  const auto random = r.bytes(32);
  if (!random) return ran_out();
  out.hello_retry_request = std::equal(random->begin(), random->end(), kHelloRetryRandom.begin());

  std::span<const std::uint8_t> v;
  switch (take_vector(r, 1, complete, v)) {
    case Take::kBad: return HelloParse::kMalformed;
    case Take::kCut: return ran_out();
    case Take::kWhole: break;
  }
  if (v.size() > 32) return HelloParse::kMalformed;
  out.session_id = v;
  const auto cipher = r.be16();
  if (!cipher) return ran_out();
  out.cipher_suite = *cipher;
  out.cipher_seen = true;
  if (!r.skip(1)) return ran_out();  // compression method

  HelloParse result = HelloParse::kOk;
  if (r.empty()) {
    if (!complete) return ran_out();
  } else {
    const Take block = take_vector(r, 2, complete, v);
    if (block == Take::kBad) return HelloParse::kMalformed;
    const Take entries = whole_extensions(v, block == Take::kWhole, out.extensions);
    if (entries == Take::kBad) {
      result = HelloParse::kMalformed;
    } else if (block == Take::kCut || entries == Take::kCut) {
      result = ran_out();
    } else if (!r.empty()) {
      result = HelloParse::kMalformed;
    }
  }

  ExtensionWalker walk(out.extensions);
  Extension ext;
  while (walk.next(ext)) {
    if (ext.type == extension_type::kSupportedVersions) {
      if (ext.data.size() == 2) {
        out.selected_version = load_be16(ext.data.data());
      } else {
        result = HelloParse::kMalformed;
      }
    } else if (ext.type == extension_type::kPreSharedKey) {
      out.psk_selected = true;
    } else if (ext.type == extension_type::kAlpn && out.alpn.empty()) {
      bool ok = true;
      AlpnWalker alpn(ext.data, ok);
      std::span<const std::uint8_t> name;
      if (alpn.next(name, ok)) out.alpn = name;
      if (!ok) result = HelloParse::kMalformed;
    }
  }
  return result;
}

bool describe_client_hello(const ClientHelloFacts& facts, TlsEvent& e) noexcept {
  bool ok = true;
  e.client_version = facts.legacy_version;
  e.offered_cipher_count = static_cast<std::uint16_t>(facts.cipher_suites.size() / 2);
  const ClientExtensions x = find_client_extensions(facts.extensions);

  e.sni.clear();
  if (x.sni && !describe_sni(x.sni_data, e)) ok = false;

  e.alpn_offered.clear();
  if (x.alpn) {
    AlpnWalker walk(x.alpn_data, ok);
    std::span<const std::uint8_t> name;
    bool first = true;
    while (walk.next(name, ok)) {
      if (!first && !append_unit(e.alpn_offered, ",")) break;
      first = false;
      append_printable(e.alpn_offered, name);
    }
  }

  e.client_offered_tls13 = false;
  if (x.versions) {
    const auto list = u16_list(x.versions_data, 1, ok);
    for (std::size_t i = 0; i + 1 < list.size(); i += 2) {
      if (is_tls13(load_be16(list.data() + i))) e.client_offered_tls13 = true;
    }
  }

  // JA3 = SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats
  Ja3Writer ja3(e.ja3_string);
  ja3.number(facts.legacy_version);
  ja3.put(",");
  ja3.u16_values(facts.cipher_suites);
  ja3.put(",");
  {
    ExtensionWalker walk(facts.extensions);
    Extension ext;
    bool first = true;
    while (walk.next(ext)) {
      if (is_grease(ext.type)) continue;
      if (!first) ja3.put("-");
      first = false;
      ja3.number(ext.type);
    }
  }
  ja3.put(",");
  if (x.groups) ja3.u16_values(u16_list(x.groups_data, 2, ok));
  ja3.put(",");
  if (x.formats) {
    bool first = true;
    for (const std::uint8_t f : u8_list(x.formats_data, ok)) {
      if (!first) ja3.put("-");
      first = false;
      ja3.number(f);
    }
  }
  ja3.finish(e.ja3_hash);

  if (!write_ja4(facts, x, e)) ok = false;
  if (e.sni.truncated || e.alpn_offered.truncated || e.ja3_string.truncated) e.truncated = true;
  return ok;
}

bool describe_server_hello(const ServerHelloFacts& facts, TlsEvent& e) noexcept {
  e.version = facts.version();
  e.cipher_suite = facts.cipher_suite;
  // JA3S = SSLVersion,Cipher,Extensions
  Ja3Writer ja3s(e.ja3s_string);
  ja3s.number(facts.legacy_version);
  ja3s.put(",");
  ja3s.number(facts.cipher_suite);
  ja3s.put(",");
  ExtensionWalker walk(facts.extensions);
  Extension ext;
  bool first = true;
  while (walk.next(ext)) {
    if (is_grease(ext.type)) continue;
    if (!first) ja3s.put("-");
    first = false;
    ja3s.number(ext.type);
  }
  ja3s.finish(e.ja3s_hash);
  e.alpn_selected.clear();
  append_printable(e.alpn_selected, facts.alpn);
  if (e.ja3s_string.truncated || e.alpn_selected.truncated) e.truncated = true;
  return true;
}

}  // namespace segward::tls
