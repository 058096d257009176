// The DER walker and certificate fields: a real OpenSSL-made leaf (values
// from `openssl x509`, see data/leaf.expected), hand-built names, every
// prefix, every byte flipped, and the time formats.
#include <gtest/gtest.h>

#include <string>

#include "decoders/tls/x509.h"
#include "tests/unit/tls/tls_test_support.h"

namespace segward::tls {
namespace {

using namespace segward::tls::testing;

Bytes tlv(std::uint8_t tag, std::span<const std::uint8_t> content) {
  Bytes out{tag};
  const std::size_t n = content.size();
  if (n < 0x80) {
    put8(out, static_cast<std::uint32_t>(n));
  } else if (n < 0x100) {
    put8(out, 0x81);
    put8(out, static_cast<std::uint32_t>(n));
  } else {
    put8(out, 0x82);
    put16(out, static_cast<std::uint32_t>(n));
  }
  append(out, content);
  return out;
}
Bytes tlv(std::uint8_t tag, std::string_view text) {
  return tlv(tag, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

Bytes atv(Bytes oid, std::uint8_t string_tag, std::string_view value) {
  return tlv(0x30, concat({tlv(0x06, oid), tlv(string_tag, value)}));
}
Bytes rdn(std::initializer_list<Bytes> atvs) {
  Bytes set;
  for (const auto& a : atvs) append(set, a);
  return tlv(0x31, set);
}
const Bytes kC = {0x55, 0x04, 0x06};
const Bytes kO = {0x55, 0x04, 0x0a};
const Bytes kOu = {0x55, 0x04, 0x0b};
const Bytes kCn = {0x55, 0x04, 0x03};

Bytes certificate(const Bytes& issuer_rdns, const Bytes& subject_rdns, std::string_view not_before = "240101000000Z",
                  std::string_view not_after = "20341231235959Z", Bytes tail = {}) {
  const Bytes tbs = concat({tlv(0xa0, tlv(0x02, Bytes{2})), tlv(0x02, Bytes{0x01, 0x02}),
                            tlv(0x30, tlv(0x06, Bytes{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b})),
                            tlv(0x30, issuer_rdns), tlv(0x30, concat({tlv(0x17, not_before), tlv(0x18, not_after)})),
                            tlv(0x30, subject_rdns), tail});
  return tlv(0x30, concat({tlv(0x30, tbs), tlv(0x30, tlv(0x06, Bytes{0x2b})), tlv(0x03, Bytes{0, 1, 2})}));
}

TlsEvent fresh() {
  TlsEvent e;
  e.reset();
  return e;
}

TEST(TlsX509, RealLeafMatchesOpenSsl) {
  const Bytes der = load_file("leaf.der");
  ASSERT_FALSE(der.empty());
  TlsEvent e = fresh();
  ASSERT_EQ(decode_certificate(der, true, e), CertificateParse::kOk);
  // openssl x509 -subject -issuer (in certificate order, Suricata's style).
  EXPECT_EQ(e.subject.view(),
            "C=US, ST=California, L=San Francisco, O=Segward Test, OU=Sensors, CN=tls-test.segward.example, "
            "emailAddress=ops@segward.example");
  EXPECT_EQ(e.issuer.view(), "C=US, O=Segward Test CA, CN=Segward Test Root");
  EXPECT_EQ(e.subject_cn.view(), "tls-test.segward.example");
  EXPECT_EQ(e.issuer_cn.view(), "Segward Test Root");
  // serial=C0FFEE1234567890; DER keeps the 00 that makes it positive.
  EXPECT_EQ(e.serial.view(), "00:C0:FF:EE:12:34:56:78:90");
  EXPECT_EQ(e.not_before, kLeafNotBefore);
  EXPECT_EQ(e.not_after, kLeafNotAfter);
  EXPECT_FALSE(e.truncated);
}

TEST(TlsX509, CertificateMessageFingerprintsTheLeaf) {
  const Bytes leaf = load_file("leaf.der");
  const Bytes other = certificate(rdn({atv(kCn, 0x0c, "CA")}), rdn({atv(kCn, 0x0c, "CA")}));
  const Bytes msg = certificate_message({leaf, other});
  const auto body = std::span(msg).subspan(4);
  TlsEvent e = fresh();
  ASSERT_EQ(decode_certificate_message(body, true, e), CertificateParse::kOk);
  // openssl x509 -fingerprint -sha256 / -sha1
  EXPECT_EQ(hex_of(e.cert_sha256), kLeafSha256);
  EXPECT_EQ(hex_of(e.cert_sha1), kLeafSha1);
  EXPECT_EQ(e.certificate_count, 2);
  EXPECT_EQ(e.subject_cn.view(), "tls-test.segward.example");  // the leaf, not the second
}

TEST(TlsX509, EveryPrefixOfTheLeafIsPartialAndNeverInvents) {
  const Bytes der = load_file("leaf.der");
  TlsEvent full = fresh();
  ASSERT_EQ(decode_certificate(der, true, full), CertificateParse::kOk);
  bool saw_subject_in_prefix = false;
  for (std::size_t n = 0; n < der.size(); ++n) {
    TlsEvent e = fresh();
    const auto r = decode_certificate(std::span(der).first(n), false, e);
    EXPECT_EQ(r, CertificateParse::kPartial) << n;
    // A field is there whole or not at all.
    if (!e.subject.empty()) {
      EXPECT_EQ(e.subject.view(), full.subject.view()) << n;
      saw_subject_in_prefix = true;
    }
    if (!e.issuer.empty()) {
      EXPECT_EQ(e.issuer.view(), full.issuer.view()) << n;
    }
    if (!e.serial.empty()) {
      EXPECT_EQ(e.serial.view(), full.serial.view()) << n;
    }
    if (e.not_after != 0) {
      EXPECT_EQ(e.not_after, full.not_after) << n;
    }
    // Treated as complete, a strict prefix is malformed.
    TlsEvent strict = fresh();
    EXPECT_EQ(decode_certificate(std::span(der).first(n), true, strict), CertificateParse::kMalformed) << n;
  }
  EXPECT_TRUE(saw_subject_in_prefix);  // the subject comes well before the key and extensions
}

TEST(TlsX509, EveryByteFlippedStaysInBounds) {
  const Bytes der = load_file("leaf.der");
  for (std::size_t i = 0; i < der.size(); ++i) {
    for (const std::uint8_t mask : {0xff, 0x80, 0x01}) {
      Bytes bad = der;
      bad[i] ^= mask;
      TlsEvent e = fresh();
      (void)decode_certificate(bad, true, e);
      EXPECT_LE(e.subject.size, e.subject.capacity());
    }
  }
}

TEST(TlsX509, Malformed) {
  TlsEvent e = fresh();
  EXPECT_EQ(decode_certificate(Bytes{}, true, e), CertificateParse::kMalformed);
  EXPECT_EQ(decode_certificate(Bytes{0x31, 0x00}, true, e), CertificateParse::kMalformed);       // not a SEQUENCE
  EXPECT_EQ(decode_certificate(Bytes{0x30, 0x80, 0, 0}, true, e), CertificateParse::kMalformed);  // BER indefinite
  EXPECT_EQ(decode_certificate(Bytes{0x30, 0x85, 1, 0, 0, 0, 0}, true, e), CertificateParse::kMalformed);
  EXPECT_EQ(decode_certificate(Bytes{0x30, 0x03, 0x30, 0x01}, true, e), CertificateParse::kMalformed);  // inner overruns
  // A Name whose SET holds something other than a SEQUENCE.
  const Bytes bad_name = certificate(tlv(0x31, tlv(0x04, Bytes{1})), rdn({atv(kCn, 0x0c, "x")}));
  EXPECT_EQ(decode_certificate(bad_name, true, e), CertificateParse::kMalformed);
  // A bad time.
  const Bytes bad_time = certificate(rdn({atv(kCn, 0x0c, "x")}), rdn({atv(kCn, 0x0c, "x")}), "241301000000Z");
  EXPECT_EQ(decode_certificate(bad_time, true, e), CertificateParse::kMalformed);
  // Certificate message lengths that disagree.
  EXPECT_EQ(decode_certificate_message(Bytes{0, 0, 5, 0, 0, 1, 0x30}, true, e), CertificateParse::kMalformed);
  EXPECT_EQ(decode_certificate_message(Bytes{0, 0}, true, e), CertificateParse::kMalformed);
  TlsEvent empty = fresh();
  EXPECT_EQ(decode_certificate_message(Bytes{0, 0, 0}, true, empty), CertificateParse::kOk);  // an empty chain
  EXPECT_EQ(empty.certificate_count, 0);
}

TEST(TlsX509, NamesMultiValuedUnknownOidsAndStringTypes) {
  const Bytes issuer = concat({rdn({atv(kC, 0x13, "DE")}),
                               rdn({atv(kO, 0x14, "Caf\xe9"), atv(kOu, 0x0c, "R&D")}),  // T61 Latin-1, multi-valued
                               rdn({atv(Bytes{0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x15, 0x07}, 0x0c, "v")}),
                               rdn({atv(kCn, 0x1e, std::string_view("\x00h\x00i\x26\x3a", 6))})});  // BMP "hi☺"
  const Bytes subject = concat({rdn({atv(kCn, 0x0c, "first")}), rdn({atv(kCn, 0x0c, "bad\x01\xff\\")}),
                                rdn({atv(kCn, 0x0c, "\xc3\xa9t\xc3\xa9")})});
  TlsEvent e = fresh();
  ASSERT_EQ(decode_certificate(certificate(issuer, subject), true, e), CertificateParse::kOk);
  EXPECT_EQ(e.issuer.view(), "C=DE, O=Caf\xc3\xa9 + OU=R&D, 1.3.6.1.4.1.311.21.7=v, CN=hi\xe2\x98\xba");
  EXPECT_EQ(e.issuer_cn.view(), "hi\xe2\x98\xba");
  EXPECT_EQ(e.subject.view(), "CN=first, CN=bad\\x01\\xff\\x5c, CN=\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(e.subject_cn.view(), "\xc3\xa9t\xc3\xa9");  // the last (most specific) CN
  EXPECT_EQ(e.serial.view(), "01:02");
  EXPECT_EQ(e.not_before, 1704067200);  // 2024-01-01
  EXPECT_EQ(e.not_after, 2051222399);   // 2034-12-31 23:59:59
}

TEST(TlsX509, LongNameIsCutWholeAndTheCnStillFound) {
  Bytes subject;
  for (int i = 0; i < 30; ++i) append(subject, rdn({atv(kOu, 0x0c, "organisational-unit")}));
  append(subject, rdn({atv(kCn, 0x0c, "host.example")}));
  TlsEvent e = fresh();
  ASSERT_EQ(decode_certificate(certificate(rdn({atv(kCn, 0x0c, "i")}), subject), true, e), CertificateParse::kOk);
  EXPECT_TRUE(e.subject.truncated);
  EXPECT_TRUE(e.truncated);
  EXPECT_LE(e.subject.size, 256);
  EXPECT_TRUE(e.subject.view().ends_with("organisational-unit")) << e.subject.view();  // no dangling ", OU="
  EXPECT_EQ(e.subject_cn.view(), "host.example");
}

std::optional<std::int64_t> utc(std::string_view s) {
  return parse_der_time(der_tag::kUtcTime, std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
std::optional<std::int64_t> generalized(std::string_view s) {
  return parse_der_time(der_tag::kGeneralizedTime,
                        std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

TEST(TlsX509Time, UtcAndGeneralized) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(utc("700101000000Z"), 0);
  EXPECT_EQ(utc("491231235959Z"), 2524607999);  // YY < 50 is 20YY (RFC 5280)
  EXPECT_EQ(utc("500101000000Z"), -631152000);  // YY >= 50 is 19YY
  EXPECT_EQ(utc("2401010000Z"), 1704067200);    // BER: no seconds
  EXPECT_EQ(utc("240101000000+0100"), 1704067200 - 3600);
  EXPECT_EQ(utc("240101000000-0130"), 1704067200 + 5400);
  EXPECT_EQ(generalized("20240229120000Z"), 1709208000);
  EXPECT_EQ(generalized("20240101000000.123Z"), 1704067200);
  EXPECT_EQ(generalized("99991231235959Z"), 253402300799);
  EXPECT_EQ(generalized("20500101000000Z"), 2524608000);
  EXPECT_FALSE(generalized("20230229120000Z"));  // not a leap year
  EXPECT_FALSE(generalized("2024010100Z"));      // minutes and seconds required
  EXPECT_FALSE(generalized("20240101000000"));   // no zone
  EXPECT_FALSE(generalized("20240101000000.Z"));
  EXPECT_FALSE(utc("24x101000000Z"));
  EXPECT_FALSE(utc("240101000000Zjunk"));
  EXPECT_FALSE(utc("241301000000Z"));
  EXPECT_FALSE(utc("240100000000Z"));
  EXPECT_FALSE(utc("240101240000Z"));
  EXPECT_FALSE(utc(""));
  EXPECT_FALSE(parse_der_time(0x04, Bytes{'2', '4'}));
}

}  // namespace
}  // namespace segward::tls
