#include "decoders/tls/x509.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

#include "decoders/tls/sha1.h"
#include "decoders/tls/sha256.h"
#include "decoders/tls/tls_text.h"

namespace segward::tls {
namespace {

using decoders::ByteReader;

struct AttributeName {
  std::span<const std::uint8_t> oid;  // DER content bytes
  std::string_view name;
};

constexpr std::uint8_t kOidCn[] = {0x55, 0x04, 0x03};
constexpr std::uint8_t kOidSurname[] = {0x55, 0x04, 0x04};
constexpr std::uint8_t kOidSerialNumber[] = {0x55, 0x04, 0x05};
constexpr std::uint8_t kOidC[] = {0x55, 0x04, 0x06};
constexpr std::uint8_t kOidL[] = {0x55, 0x04, 0x07};
constexpr std::uint8_t kOidSt[] = {0x55, 0x04, 0x08};
constexpr std::uint8_t kOidStreet[] = {0x55, 0x04, 0x09};
constexpr std::uint8_t kOidO[] = {0x55, 0x04, 0x0a};
constexpr std::uint8_t kOidOu[] = {0x55, 0x04, 0x0b};
constexpr std::uint8_t kOidTitle[] = {0x55, 0x04, 0x0c};
constexpr std::uint8_t kOidDescription[] = {0x55, 0x04, 0x0d};
constexpr std::uint8_t kOidBusinessCategory[] = {0x55, 0x04, 0x0f};
constexpr std::uint8_t kOidPostalCode[] = {0x55, 0x04, 0x11};
constexpr std::uint8_t kOidName[] = {0x55, 0x04, 0x29};
constexpr std::uint8_t kOidGivenName[] = {0x55, 0x04, 0x2a};
constexpr std::uint8_t kOidInitials[] = {0x55, 0x04, 0x2b};
constexpr std::uint8_t kOidGenerationQualifier[] = {0x55, 0x04, 0x2c};
constexpr std::uint8_t kOidDnQualifier[] = {0x55, 0x04, 0x2e};
constexpr std::uint8_t kOidPseudonym[] = {0x55, 0x04, 0x41};
constexpr std::uint8_t kOidOrganizationIdentifier[] = {0x55, 0x04, 0x61};
constexpr std::uint8_t kOidEmail[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01};
constexpr std::uint8_t kOidDc[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19};
constexpr std::uint8_t kOidUid[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01};
constexpr std::uint8_t kOidJurisdictionL[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x01};
constexpr std::uint8_t kOidJurisdictionSt[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x02};
constexpr std::uint8_t kOidJurisdictionC[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x03};

// OpenSSL's short names (long names where OpenSSL has no short one).
constexpr AttributeName kAttributeNames[] = {
    {kOidCn, "CN"},
    {kOidSurname, "SN"},
    {kOidSerialNumber, "serialNumber"},
    {kOidC, "C"},
    {kOidL, "L"},
    {kOidSt, "ST"},
    {kOidStreet, "street"},
    {kOidO, "O"},
    {kOidOu, "OU"},
    {kOidTitle, "title"},
    {kOidDescription, "description"},
    {kOidBusinessCategory, "businessCategory"},
    {kOidPostalCode, "postalCode"},
    {kOidName, "name"},
    {kOidGivenName, "GN"},
    {kOidInitials, "initials"},
    {kOidGenerationQualifier, "generationQualifier"},
    {kOidDnQualifier, "dnQualifier"},
    {kOidPseudonym, "pseudonym"},
    {kOidOrganizationIdentifier, "organizationIdentifier"},
    {kOidEmail, "emailAddress"},
    {kOidDc, "DC"},
    {kOidUid, "UID"},
    {kOidJurisdictionL, "jurisdictionL"},
    {kOidJurisdictionSt, "jurisdictionST"},
    {kOidJurisdictionC, "jurisdictionC"},
};

bool same_bytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

std::string_view attribute_name(std::span<const std::uint8_t> oid) noexcept {
  for (const auto& a : kAttributeNames) {
    if (same_bytes(a.oid, oid)) return a.name;
  }
  return {};
}

// Dotted decimal of an OID's content bytes (X.690 §8.19); false on a
// malformed encoding or an arc past 2^56.
template <std::size_t N>
bool append_dotted_oid(BoundedText<N>& text, std::span<const std::uint8_t> oid) noexcept {
  if (oid.empty() || (oid.back() & 0x80) != 0) return false;
  std::uint64_t arc = 0;
  bool first = true;
  for (std::size_t i = 0; i < oid.size(); ++i) {
    if (arc == 0 && oid[i] == 0x80) return false;  // a leading 0x80 pad is not DER
    if (arc >> 56) return false;
    arc = (arc << 7) | (oid[i] & 0x7f);
    if (oid[i] & 0x80) continue;
    char buf[48];
    char* p = buf;
    if (first) {
      const std::uint64_t top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
      p = std::to_chars(p, buf + sizeof buf, top).ptr;
      *p++ = '.';
      p = std::to_chars(p, buf + sizeof buf, arc - top * 40).ptr;
      first = false;
    } else {
      *p++ = '.';
      p = std::to_chars(p, buf + sizeof buf, arc).ptr;
    }
    if (!text.truncated) append_unit(text, std::string_view(buf, static_cast<std::size_t>(p - buf)));
    arc = 0;
  }
  return true;
}

// An attribute value (a DirectoryString or IA5String, usually) as UTF-8 text.
template <std::size_t N>
void append_value(BoundedText<N>& text, const DerElement& v) noexcept {
  const auto bytes = v.content;
  switch (v.tag) {
    case der_tag::kUtf8String:
    case der_tag::kPrintableString:
    case der_tag::kIa5String:
    case der_tag::kVisibleString:
      append_utf8(text, bytes);
      return;
    case der_tag::kT61String:  // treated as Latin-1, as OpenSSL and most tools do
      for (const std::uint8_t b : bytes) {
        if (!append_code_point(text, b)) return;
      }
      return;
    case der_tag::kBmpString: {  // UTF-16BE
      std::size_t i = 0;
      while (i + 1 < bytes.size()) {
        std::uint32_t cp = decoders::load_be16(bytes.data() + i);
        i += 2;
        if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < bytes.size()) {
          const std::uint32_t low = decoders::load_be16(bytes.data() + i);
          if (low >= 0xdc00 && low < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            i += 2;
          }
        }
        if (!append_code_point(text, cp)) return;
      }
      if (i < bytes.size()) append_escape(text, bytes[i]);
      return;
    }
    case der_tag::kUniversalString: {  // UTF-32BE
      std::size_t i = 0;
      for (; i + 3 < bytes.size(); i += 4) {
        if (!append_code_point(text, decoders::load_be32(bytes.data() + i))) return;
      }
      for (; i < bytes.size(); ++i) {
        if (!append_escape(text, bytes[i])) return;
      }
      return;
    }
    default: {  // RFC 4514 §2.4: '#' and the hex of the value
      if (!append_unit(text, "#")) return;
      for (const std::uint8_t b : bytes) {
        const char hex[2] = {kHexLower[b >> 4], kHexLower[b & 15]};
        if (!append_unit(text, std::string_view(hex, 2))) return;
      }
      return;
    }
  }
}

// Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue),
// rendered "C=US, O=Example, CN=host" in certificate order; several
// attributes in one RDN are joined with " + ". The last CN is kept in `cn`
// (the most specific one).
template <std::size_t N, std::size_t M>
bool render_name(std::span<const std::uint8_t> name, BoundedText<N>& dn, BoundedText<M>& cn) noexcept {
  dn.clear();
  cn.clear();
  ByteReader names(name);
  bool first = true;
  while (!names.empty()) {
    const auto rdn = read_der(names);
    if (!rdn || rdn->tag != der_tag::kSet) return false;
    ByteReader set(rdn->content);
    bool first_in_rdn = true;
    while (!set.empty()) {
      const auto atv = read_der(set);
      if (!atv || atv->tag != der_tag::kSequence) return false;
      ByteReader pair(atv->content);
      const auto oid = read_der(pair);
      if (!oid || oid->tag != der_tag::kOid) return false;
      const auto value = read_der(pair);
      if (!value || !pair.empty()) return false;
      // Attributes go in whole: one that does not fit is taken out again, and
      // once the text is cut nothing more is added (a later short attribute
      // must not appear after a missing one); the walk goes on for the CN.
      const std::uint16_t before = dn.size;
      if (!first && !dn.truncated) append_unit(dn, first_in_rdn ? ", " : " + ");
      first = false;
      first_in_rdn = false;
      const std::string_view key = attribute_name(oid->content);
      if (!key.empty()) {
        if (!dn.truncated) append_unit(dn, key);
      } else if (!append_dotted_oid(dn, oid->content)) {
        return false;
      }
      if (!dn.truncated) append_unit(dn, "=");
      if (!dn.truncated) append_value(dn, *value);
      if (dn.truncated && dn.size > before) dn.size = before;
      if (same_bytes(oid->content, kOidCn)) {
        cn.clear();
        append_value(cn, *value);
      }
    }
  }
  return true;
}

// Two decimal digits at p[0..1], or -1.
int two(const std::uint8_t* p) noexcept {
  if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9') return -1;
  return (p[0] - '0') * 10 + (p[1] - '0');
}

constexpr bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<DerElement> read_der(ByteReader& r, bool allow_clip) noexcept {
  ByteReader probe = r;
  const auto tag = probe.be8();
  const auto first = probe.be8();
  if (!tag || !first) return std::nullopt;
  if ((*tag & 0x1f) == 0x1f) return std::nullopt;  // high tag number form: not in what we read
  std::size_t len = *first;
  if (*first & 0x80) {
    const unsigned n = *first & 0x7f;
    if (n == 0 || n > 4) return std::nullopt;  // indefinite (BER) or absurd
    len = 0;
    for (unsigned i = 0; i < n; ++i) {
      const auto b = probe.be8();
      if (!b) return std::nullopt;
      len = (len << 8) | *b;
    }
  }
  DerElement e;
  e.tag = *tag;
  if (len <= probe.remaining()) {
    e.content = *probe.bytes(len);
  } else if (allow_clip) {
    e.content = probe.rest();
    e.clipped = true;
    (void)probe.skip(probe.remaining());
  } else {
    return std::nullopt;
  }
  r = probe;
  return e;
}

std::optional<std::int64_t> parse_der_time(std::uint8_t tag, std::span<const std::uint8_t> c) noexcept {
  std::size_t i = 0;
  std::int64_t year;
  if (tag == der_tag::kUtcTime) {
    if (c.size() < 11) return std::nullopt;
    const int yy = two(c.data());
    if (yy < 0) return std::nullopt;
    year = yy < 50 ? 2000 + yy : 1900 + yy;  // RFC 5280 §4.1.2.5.1
    i = 2;
  } else if (tag == der_tag::kGeneralizedTime) {
    if (c.size() < 13) return std::nullopt;
    const int hi = two(c.data());
    const int lo = two(c.data() + 2);
    if (hi < 0 || lo < 0) return std::nullopt;
    year = hi * 100 + lo;
    i = 4;
  } else {
    return std::nullopt;
  }
  if (c.size() - i < 8) return std::nullopt;
  const int month = two(c.data() + i);
  const int day = two(c.data() + i + 2);
  const int hour = two(c.data() + i + 4);
  const int minute = two(c.data() + i + 6);
  i += 8;
  int second = 0;
  if (c.size() - i >= 2 && c[i] >= '0' && c[i] <= '9') {
    second = two(c.data() + i);
    i += 2;
  } else if (tag == der_tag::kGeneralizedTime) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return std::nullopt;
  }
  if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) return std::nullopt;
  if (tag == der_tag::kGeneralizedTime && i < c.size() && (c[i] == '.' || c[i] == ',')) {
    ++i;
    const std::size_t digits = i;
    while (i < c.size() && c[i] >= '0' && c[i] <= '9') ++i;
    if (i == digits) return std::nullopt;
  }
  std::int64_t offset = 0;
  if (i < c.size() && c[i] == 'Z') {
    ++i;
  } else if (i < c.size() && (c[i] == '+' || c[i] == '-') && c.size() - i >= 5) {
    const int oh = two(c.data() + i + 1);
    const int om = two(c.data() + i + 3);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset = (c[i] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    i += 5;
  } else {
    return std::nullopt;
  }
  if (i != c.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

CertificateParse decode_certificate(std::span<const std::uint8_t> der, bool complete, TlsEvent& e) noexcept {
  ByteReader top(der);
  const auto cert = read_der(top, !complete);
  if (!cert && !complete && der.size() < 6) return CertificateParse::kPartial;  // cut inside the first header
  if (!cert || cert->tag != der_tag::kSequence) return CertificateParse::kMalformed;
  ByteReader outer(cert->content);
  const auto tbs = read_der(outer, cert->clipped);
  if (!tbs || tbs->tag != der_tag::kSequence) return cert->clipped ? CertificateParse::kPartial : CertificateParse::kMalformed;
  // Past the end of a clipped tbsCertificate, running out is expected.
  const CertificateParse short_input = tbs->clipped ? CertificateParse::kPartial : CertificateParse::kMalformed;

  ByteReader t(tbs->content);
  if (t.peek8() == der_tag::kExplicit0) {
    if (!read_der(t)) return short_input;  // version
  }
  const auto serial = read_der(t);
  if (!serial) return short_input;
  if (serial->tag != der_tag::kInteger || serial->content.empty()) return CertificateParse::kMalformed;
  e.serial.clear();
  for (std::size_t i = 0; i < serial->content.size(); ++i) {
    const std::uint8_t b = serial->content[i];
    const char hex[3] = {':', kHexUpper[b >> 4], kHexUpper[b & 15]};
    if (!append_unit(e.serial, i == 0 ? std::string_view(hex + 1, 2) : std::string_view(hex, 3))) break;
  }

  const auto signature = read_der(t);
  if (!signature) return short_input;
  if (signature->tag != der_tag::kSequence) return CertificateParse::kMalformed;

  const auto issuer = read_der(t);
  if (!issuer) return short_input;
  if (issuer->tag != der_tag::kSequence || !render_name(issuer->content, e.issuer, e.issuer_cn)) {
    return CertificateParse::kMalformed;
  }

  const auto validity = read_der(t);
  if (!validity) return short_input;
  if (validity->tag != der_tag::kSequence) return CertificateParse::kMalformed;
  ByteReader times(validity->content);
  const auto not_before = read_der(times);
  const auto not_after = read_der(times);
  if (!not_before || !not_after || !times.empty()) return CertificateParse::kMalformed;
  const auto nb = parse_der_time(not_before->tag, not_before->content);
  const auto na = parse_der_time(not_after->tag, not_after->content);
  if (!nb || !na) return CertificateParse::kMalformed;
  e.not_before = *nb;
  e.not_after = *na;

  const auto subject = read_der(t);
  if (!subject) return short_input;
  if (subject->tag != der_tag::kSequence || !render_name(subject->content, e.subject, e.subject_cn)) {
    return CertificateParse::kMalformed;
  }
  if (e.subject.truncated || e.issuer.truncated || e.subject_cn.truncated || e.issuer_cn.truncated ||
      e.serial.truncated) {
    e.truncated = true;
  }
  return cert->clipped ? CertificateParse::kPartial : CertificateParse::kOk;
}

CertificateParse decode_certificate_message(std::span<const std::uint8_t> body, bool complete, TlsEvent& e) noexcept {
  // certificate_list<0..2^24-1>, each ASN.1Cert<1..2^24-1>.
  if (body.size() < 3) return complete ? CertificateParse::kMalformed : CertificateParse::kPartial;
  const std::size_t list_len = std::size_t{body[0]} << 16 | std::size_t{body[1]} << 8 | body[2];
  auto list = body.subspan(3);
  if (complete && list_len != list.size()) return CertificateParse::kMalformed;
  list = list.first(std::min(list_len, list.size()));

  CertificateParse result = CertificateParse::kOk;
  unsigned count = 0;
  bool leaf = true;
  while (!list.empty()) {
    if (list.size() < 3) {
      if (complete) return CertificateParse::kMalformed;
      result = CertificateParse::kPartial;
      break;
    }
    const std::size_t len = std::size_t{list[0]} << 16 | std::size_t{list[1]} << 8 | list[2];
    const bool whole = len <= list.size() - 3;
    if (!whole && complete) return CertificateParse::kMalformed;
    const auto der = list.subspan(3, std::min(len, list.size() - 3));
    if (leaf) {
      leaf = false;
      if (whole) {
        e.cert_sha256 = Sha256::of(der);
        e.cert_sha1 = Sha1::of(der);
      }
      const CertificateParse leaf_result = decode_certificate(der, whole, e);
      if (leaf_result != CertificateParse::kOk) result = leaf_result;
    }
    if (!whole) {
      result = result == CertificateParse::kMalformed ? result : CertificateParse::kPartial;
      break;
    }
    if (count < 255) ++count;
    list = list.subspan(3 + len);
  }
  e.certificate_count = static_cast<std::uint8_t>(count);
  if (!complete && result == CertificateParse::kOk) result = CertificateParse::kPartial;
  return result;
}

}  // namespace segward::tls
