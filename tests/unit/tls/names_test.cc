// Version, cipher suite and alert names: what the EVE output shows.
#include <gtest/gtest.h>

#include "decoders/tls/tls_connection.h"
#include "decoders/tls/tls_event.h"

namespace segward::tls {
namespace {

TEST(TlsNames, VersionsAsSuricataNamesThem) {
  EXPECT_EQ(version_name(0x0002), "SSLv2");
  EXPECT_EQ(version_name(0x0300), "SSLv3");
  EXPECT_EQ(version_name(0x0301), "TLS 1.0");
  EXPECT_EQ(version_name(0x0302), "TLS 1.1");
  EXPECT_EQ(version_name(0x0303), "TLS 1.2");
  EXPECT_EQ(version_name(0x0304), "TLS 1.3");
  EXPECT_EQ(version_name(0x7f1c), "TLS 1.3 draft-28");
  EXPECT_EQ(version_name(0x7f0e), "TLS 1.3 draft-14");
  EXPECT_EQ(version_name(0), "UNDETERMINED");
  EXPECT_EQ(version_name(0x0305), "UNDETERMINED");
  EXPECT_EQ(version_name(0xfefd), "UNDETERMINED");
}

TEST(TlsNames, CipherSuitesUseIanaNames) {
  // OpenSSL 3.0's default TLS 1.3 and TLS 1.2 offers.
  EXPECT_EQ(cipher_suite_name(0x1301), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(cipher_suite_name(0x1302), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(cipher_suite_name(0x1303), "TLS_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(cipher_suite_name(0xc030), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_EQ(cipher_suite_name(0xc02b), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(cipher_suite_name(0xcca8), "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(cipher_suite_name(0xcca9), "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(cipher_suite_name(0xccaa), "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(cipher_suite_name(0x009f), "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_EQ(cipher_suite_name(0x0035), "TLS_RSA_WITH_AES_256_CBC_SHA");
  EXPECT_EQ(cipher_suite_name(0x002f), "TLS_RSA_WITH_AES_128_CBC_SHA");
  EXPECT_EQ(cipher_suite_name(0x00ff), "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  // Legacy suites a sensor wants to flag.
  EXPECT_EQ(cipher_suite_name(0x0005), "TLS_RSA_WITH_RC4_128_SHA");
  EXPECT_EQ(cipher_suite_name(0x000a), "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
  EXPECT_EQ(cipher_suite_name(0x0000), "TLS_NULL_WITH_NULL_NULL");
  EXPECT_EQ(cipher_suite_name(0x5600), "TLS_FALLBACK_SCSV");
  EXPECT_EQ(cipher_suite_name(0x1304), "TLS_AES_128_CCM_SHA256");
  EXPECT_EQ(cipher_suite_name(0x1305), "TLS_AES_128_CCM_8_SHA256");
  EXPECT_EQ(cipher_suite_name(0xd005), "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256");
  EXPECT_EQ(cipher_suite_name(0x0a0a), "");  // GREASE
  EXPECT_EQ(cipher_suite_name(0xffff), "");
  EXPECT_EQ(cipher_suite_name(0x1306), "");
}

TEST(TlsNames, Alerts) {
  EXPECT_EQ(alert_description_name(0), "close_notify");
  EXPECT_EQ(alert_description_name(40), "handshake_failure");
  EXPECT_EQ(alert_description_name(42), "bad_certificate");
  EXPECT_EQ(alert_description_name(48), "unknown_ca");
  EXPECT_EQ(alert_description_name(70), "protocol_version");
  EXPECT_EQ(alert_description_name(86), "inappropriate_fallback");
  EXPECT_EQ(alert_description_name(112), "unrecognized_name");
  EXPECT_EQ(alert_description_name(116), "certificate_required");
  EXPECT_EQ(alert_description_name(120), "no_application_protocol");
  EXPECT_EQ(alert_description_name(1), "");
  EXPECT_EQ(alert_description_name(255), "");
  EXPECT_EQ(alert_level_name(1), "warning");
  EXPECT_EQ(alert_level_name(2), "fatal");
  EXPECT_EQ(alert_level_name(3), "");
}

TEST(TlsNames, GreaseValues) {
  int n = 0;
  for (std::uint32_t v = 0; v <= 0xffff; ++v) {
    if (is_grease(static_cast<std::uint16_t>(v))) ++n;
  }
  EXPECT_EQ(n, 16);
  EXPECT_TRUE(is_grease(0x0a0a));
  EXPECT_TRUE(is_grease(0xfafa));
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x0b0b));
}

TEST(TlsCounters, EveryCounterHasAStableNameAndDescription) {
  EXPECT_GE(kTlsCounterFields.size(), 20u);
  for (const auto& f : kTlsCounterFields) {
    EXPECT_FALSE(f.name.empty());
    EXPECT_FALSE(f.description.empty());
  }
  EXPECT_EQ(kTlsCounterFields.front().name, "records");
  TlsCounters a, b;
  a.records = 2;
  b.records = 3;
  b.gaps = 1;
  a += b;
  EXPECT_EQ(a.records, 5u);
  EXPECT_EQ(a.gaps, 1u);
}

}  // namespace
}  // namespace segward::tls
