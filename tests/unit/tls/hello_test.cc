// ClientHello / ServerHello decoding and the JA3, JA3S and JA4 fingerprints:
// hand-made hellos in the TLS 1.2 and 1.3 shapes with GREASE, the examples
// FoxIO's JA4 specification publishes, and its edge rules. Expected hashes
// were computed with Python's hashlib over the raw strings shown.
#include <gtest/gtest.h>

#include <string>

#include "decoders/tls/hello.h"
#include "decoders/tls/md5.h"
#include "tests/unit/tls/tls_test_support.h"

namespace segward::tls {
namespace {

using namespace segward::tls::testing;

TlsEvent describe(const ClientHelloSpec& spec) {
  const Bytes body = client_hello_body(spec);
  ClientHelloFacts facts;
  EXPECT_EQ(parse_client_hello(body, true, facts), HelloParse::kOk);
  TlsEvent e;
  e.reset();
  EXPECT_TRUE(describe_client_hello(facts, e));
  return e;
}

// Chrome-like TLS 1.3 shape, GREASE in ciphers, extensions, groups, versions.
ClientHelloSpec tls13_with_grease() {
  ClientHelloSpec s;
  s.session_id = Bytes(32, 0x11);
  s.ciphers = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0x00ff};
  s.extensions = {
      ext_empty(0x1a1a),
      ext_sni("example.com"),
      ext_empty(0x0017),
      ext_raw(0xff01, {0}),
      ext_groups({0x2a2a, 0x001d, 0x0017, 0x0018}),
      ext_point_formats({0}),
      ext_empty(0x0023),
      ext_alpn({"h2", "http/1.1"}),
      ext_raw(0x0005, {1, 0, 0, 0, 0}),
      ext_sigalgs({0x0403, 0x0804, 0x0401}),
      ext_empty(0x0012),
      ext_raw(0x0033, {0, 5, 0x00, 0x1d, 0, 1, 0x42}),
      ext_raw(0x002d, {1, 1}),
      ext_client_versions({0x3a3a, 0x0304, 0x0303}),
      ext_raw(0x4a4a, {0}),
  };
  return s;
}

TEST(TlsClientHello, Tls13ShapeWithGrease) {
  const TlsEvent e = describe(tls13_with_grease());
  EXPECT_EQ(e.client_version, 0x0303);
  EXPECT_EQ(e.offered_cipher_count, 7);  // GREASE included
  EXPECT_EQ(e.sni.view(), "example.com");
  EXPECT_EQ(e.alpn_offered.view(), "h2,http/1.1");
  EXPECT_TRUE(e.client_offered_tls13);
  EXPECT_EQ(e.ja3_string.view(), "771,4865-4866-4867-49195-49199-255,0-23-65281-10-11-35-16-5-13-18-51-45-43,29-23-24,0");
  EXPECT_EQ(hash_text(e.ja3_hash), "51a9d2303242575225e65a36e3cdda1b");
  // b: 00ff,1301,1302,1303,c02b,c02f
  // c: 0005,000a,000b,000d,0012,0017,0023,002b,002d,0033,ff01_0403,0804,0401
  EXPECT_EQ(e.ja4.view(), "t13d0613h2_bcfe0a960bb4_27df7d644cb1");
  EXPECT_FALSE(e.truncated);
}

TEST(TlsClientHello, Tls12ShapeWithoutSniAlpnOrVersions) {
  ClientHelloSpec s;
  s.ciphers = {0xc02f, 0xc030, 0x009e, 0x0035};
  s.extensions = {ext_groups({0x0017}), ext_point_formats({0, 1, 2}), ext_sigalgs({0x0401, 0x0501}), ext_empty(0x0016),
                  ext_empty(0x0017)};
  const TlsEvent e = describe(s);
  EXPECT_TRUE(e.sni.empty());
  EXPECT_TRUE(e.alpn_offered.empty());
  EXPECT_FALSE(e.client_offered_tls13);
  EXPECT_EQ(e.ja3_string.view(), "771,49199-49200-158-53,10-11-13-22-23,23,0-1-2");
  EXPECT_EQ(hash_text(e.ja3_hash), "9da6ee6f6ab840edf9324ae8414b162e");
  // b: 0035,009e,c02f,c030   c: 000a,000b,000d,0016,0017_0401,0501
  EXPECT_EQ(e.ja4.view(), "t12i040500_a5915de60f9d_7a85f2806465");
}

// The JA4 specification's worked example (technical_details/JA4.md).
ClientHelloSpec ja4_spec_example(bool with_sigalgs) {
  ClientHelloSpec s;
  s.ciphers = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
               0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  const Ext sigalgs = with_sigalgs ? ext_sigalgs({0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601})
                                   : ext_raw(0x000d, {0, 0});
  s.extensions = {ext_empty(0xdada),
                  ext_raw(0x001b, {2, 0, 2}),
                  ext_sni("example.org"),
                  ext_raw(0x0033, {0, 0}),
                  ext_alpn({"h2", "http/1.1"}),
                  ext_raw(0x4469, {0, 3, 2, 'h', '2'}),
                  ext_empty(0x0017),
                  ext_raw(0x002d, {1, 1}),
                  sigalgs,
                  ext_raw(0x0005, {1, 0, 0, 0, 0}),
                  ext_empty(0x0023),
                  ext_empty(0x0012),
                  ext_client_versions({0x6a6a, 0x0304, 0x0303}),
                  ext_raw(0xff01, {0}),
                  ext_point_formats({0}),
                  ext_groups({0x4a4a, 0x001d, 0x0017, 0x0018}),
                  ext_raw(0x0015, Bytes(20, 0)),
                  ext_empty(0x8a8a)};
  return s;
}

TEST(TlsJa4, SpecificationExample) {
  const TlsEvent e = describe(ja4_spec_example(true));
  EXPECT_EQ(e.ja4.view(), "t13d1516h2_8daaf6152771_e5627efa2ab1");
  // The same hello written to a pcap and read by tshark 4.0 (tls.handshake.ja3_full / ja3).
  EXPECT_EQ(e.ja3_string.view(),
            "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,"
            "27-0-51-16-17513-23-45-13-5-35-18-43-65281-11-10-21,29-23-24,0");
  EXPECT_EQ(hash_text(e.ja3_hash), "c000e2caf3a25423f9de6c8a4b12a975");
}

TEST(TlsJa4, SpecificationExampleWithoutSignatureAlgorithms) {
  // "If there are no signature algorithms in the hello packet, then the
  // string ends without an underscore": 0005,...,ff01 = 6d807ffa2a79.
  const TlsEvent e = describe(ja4_spec_example(false));
  EXPECT_EQ(e.ja4.view(), "t13d1516h2_8daaf6152771_6d807ffa2a79");
}

std::string ja4_alpn(std::initializer_list<std::string_view> protocols) {
  ClientHelloSpec s;
  s.ciphers = {0x1301};
  s.extensions = {ext_alpn(protocols)};
  return std::string(describe(s).ja4.view().substr(8, 2));
}

TEST(TlsJa4, AlpnCharacters) {
  EXPECT_EQ(ja4_alpn({"h2"}), "h2");
  EXPECT_EQ(ja4_alpn({"http/1.1", "h2"}), "h1");
  EXPECT_EQ(ja4_alpn({"h"}), "hh");  // a single character is both first and last
  EXPECT_EQ(ja4_alpn({""}), "00");   // the first value is empty
  // Non-alphanumeric first or last byte: the first and last hex digits.
  EXPECT_EQ(ja4_alpn({"\xab"}), "ab");
  EXPECT_EQ(ja4_alpn({"\xab\xcd"}), "ad");
  EXPECT_EQ(ja4_alpn({"0\xab"}), "3b");
  EXPECT_EQ(ja4_alpn({"01\xab\xcd"}), "3d");
  EXPECT_EQ(ja4_alpn({"0\xab\xcd"
                      "1"}),
            "01");
  ClientHelloSpec none;
  none.ciphers = {0x1301};
  EXPECT_EQ(describe(none).ja4.view().substr(8, 2), "00");
}

TEST(TlsJa4, EmptyListsAreZeros) {
  ClientHelloSpec s;  // no ciphers, only SNI and ALPN (both left out of the hash)
  s.extensions = {ext_sni("a.example"), ext_alpn({"h2"})};
  EXPECT_EQ(describe(s).ja4.view(), "t12d0002h2_000000000000_000000000000");
  ClientHelloSpec bare;
  bare.ciphers = {0x1301};
  bare.no_extensions_block = true;
  EXPECT_EQ(describe(bare).ja4.view(), "t12i010000_0f2cb44170f4_000000000000");
  // b for the one cipher 1301, c for the one extension 000a (no sigalgs).
  ClientHelloSpec one;
  one.ciphers = {0x1301};
  one.extensions = {ext_groups({0x001d})};
  EXPECT_EQ(describe(one).ja4.view(), "t12i010100_0f2cb44170f4_a8f3e973773c");
}

TEST(TlsJa4, VersionRules) {
  ClientHelloSpec s;
  s.ciphers = {0x1301};
  s.extensions = {ext_client_versions({0x0303, 0x0304, 0x0a0a})};  // highest, not first
  EXPECT_EQ(describe(s).ja4.view().substr(0, 3), "t13");
  s.extensions = {ext_client_versions({0x0a0a})};  // only GREASE: legacy_version
  EXPECT_EQ(describe(s).ja4.view().substr(0, 3), "t12");
  s.extensions = {};
  s.version = 0x0300;
  EXPECT_EQ(describe(s).ja4.view().substr(0, 3), "ts3");
  s.version = 0x0301;
  EXPECT_EQ(describe(s).ja4.view().substr(0, 3), "t10");
  s.version = 0x0305;
  EXPECT_EQ(describe(s).ja4.view().substr(0, 3), "t00");
}

TEST(TlsJa4, CountsCapAt99) {
  ClientHelloSpec s;
  for (std::uint16_t c = 1; c <= 150; ++c) s.ciphers.push_back(c);
  for (std::uint16_t t = 100; t < 220; ++t) s.extensions.push_back(ext_empty(t));
  const TlsEvent e = describe(s);
  EXPECT_EQ(e.ja4.view().substr(4, 4), "9999");
  EXPECT_EQ(e.offered_cipher_count, 150);
}

TEST(TlsJa3, NoExtensionsAndGreaseOnlyLists) {
  ClientHelloSpec s;
  s.version = 0x0301;
  s.ciphers = {0x0a0a, 0x0005};
  s.no_extensions_block = true;
  EXPECT_EQ(describe(s).ja3_string.view(), "769,5,,,");
  s.ciphers = {0x2a2a};
  s.no_extensions_block = false;
  s.extensions = {ext_empty(0x3a3a), ext_groups({0x4a4a})};
  EXPECT_EQ(describe(s).ja3_string.view(), "769,,10,,");
}

TEST(TlsJa3, HashCoversTheFullStringWhenTheTextIsCut) {
  ClientHelloSpec s;
  for (std::uint16_t c = 1000; c < 1400; ++c) s.ciphers.push_back(c);  // ~2000 characters
  const TlsEvent e = describe(s);
  EXPECT_TRUE(e.ja3_string.truncated);
  EXPECT_TRUE(e.truncated);
  EXPECT_EQ(e.ja3_string.size, 1024);
  std::string full = "771,";
  for (std::uint16_t c = 1000; c < 1400; ++c) full += (c == 1000 ? "" : "-") + std::to_string(c);
  full += ",,,";
  Md5 md5;
  md5.update(full);
  EXPECT_EQ(hash_text(e.ja3_hash), hex_of(md5.finish()));
  EXPECT_EQ(e.ja3_string.view(), std::string_view(full).substr(0, 1024));
}

TEST(TlsClientHello, SniAndAlpnAreEscapedWhenNotPrintable) {
  ClientHelloSpec s;
  s.ciphers = {0x1301};
  s.extensions = {ext_sni(std::string_view("ev\x01l.example\xff\\", 14)), ext_alpn({"h2", "x\ny"})};
  const TlsEvent e = describe(s);
  EXPECT_EQ(e.sni.view(), "ev\\x01l.example\\xff\\x5c");  // a backslash is escaped too
  EXPECT_EQ(e.alpn_offered.view(), "h2,x\\x0ay");
}

TEST(TlsClientHello, LongSniIsCutAndMarked) {
  ClientHelloSpec s;
  s.ciphers = {0x1301};
  const std::string host(300, 'a');
  s.extensions = {ext_sni(host)};
  const TlsEvent e = describe(s);
  EXPECT_EQ(e.sni.size, 256);
  EXPECT_TRUE(e.sni.truncated);
  EXPECT_TRUE(e.truncated);
}

TEST(TlsClientHello, EveryPrefixIsACutNotAFault) {
  const Bytes body = client_hello_body(tls13_with_grease());
  ClientHelloFacts whole;
  ASSERT_EQ(parse_client_hello(body, true, whole), HelloParse::kOk);
  for (std::size_t n = 0; n < body.size(); ++n) {
    const auto prefix = std::span(body).first(n);
    ClientHelloFacts facts;
    EXPECT_EQ(parse_client_hello(prefix, false, facts), HelloParse::kCut) << n;
    EXPECT_TRUE(facts.cut);
    // The lists hold whole entries that are a prefix of the full lists.
    EXPECT_LE(facts.cipher_suites.size(), whole.cipher_suites.size());
    EXPECT_EQ(facts.cipher_suites.size() % 2, 0u);
    EXPECT_TRUE(std::equal(facts.cipher_suites.begin(), facts.cipher_suites.end(), whole.cipher_suites.begin()));
    EXPECT_TRUE(std::equal(facts.extensions.begin(), facts.extensions.end(), whole.extensions.begin()));
    TlsEvent e;
    e.reset();
    describe_client_hello(facts, e);
    EXPECT_EQ(e.ja4.size, 36);
    // Treated as the whole message, a strict prefix is malformed, except
    // where it ends right after the compression methods (no extensions).
    ClientHelloFacts strict;
    const auto r = parse_client_hello(prefix, true, strict);
    const std::size_t no_extensions = 2 + 32 + 1 + 32 + 2 + 14 + 2;
    EXPECT_EQ(r, n == no_extensions ? HelloParse::kOk : HelloParse::kMalformed) << n;
  }
}

TEST(TlsClientHello, Malformed) {
  Bytes body = client_hello_body(tls13_with_grease());
  ClientHelloFacts facts;
  Bytes odd = body;
  odd[2 + 32 + 1 + 32 + 1] = 13;  // an odd cipher_suites length
  EXPECT_EQ(parse_client_hello(odd, true, facts), HelloParse::kMalformed);
  Bytes trailing = body;
  trailing.push_back(0);
  EXPECT_EQ(parse_client_hello(trailing, true, facts), HelloParse::kMalformed);
  Bytes long_session = body;
  long_session[34] = 33;
  EXPECT_EQ(parse_client_hello(long_session, true, facts), HelloParse::kMalformed);
}

TEST(TlsServerHello, Tls12WithAlpnAndJa3s) {
  ServerHelloSpec s;
  s.cipher = 0xc02f;
  s.session_id = Bytes(32, 0x22);
  s.extensions = {ext_raw(0xff01, {0}), ext_alpn({"h2"}), ext_point_formats({0})};
  const Bytes body = server_hello_body(s);
  ServerHelloFacts facts;
  ASSERT_EQ(parse_server_hello(body, true, facts), HelloParse::kOk);
  EXPECT_FALSE(facts.hello_retry_request);
  EXPECT_EQ(facts.version(), 0x0303);
  EXPECT_EQ(facts.session_id.size(), 32u);
  TlsEvent e;
  e.reset();
  describe_server_hello(facts, e);
  EXPECT_EQ(e.version, 0x0303);
  EXPECT_EQ(e.cipher_suite, 0xc02f);
  EXPECT_EQ(e.alpn_selected.view(), "h2");
  EXPECT_EQ(e.ja3s_string.view(), "771,49199,65281-16-11");
  EXPECT_EQ(hash_text(e.ja3s_hash), "2de81c22ea32a57162df5cb08d4a2795");
}

TEST(TlsServerHello, Tls13AndHelloRetryRequest) {
  ServerHelloSpec s;
  s.cipher = 0x1301;
  s.extensions = {ext_server_version(0x0304), ext_raw(0x0033, {0, 0x1d, 0, 1, 7}), ext_raw(0x0029, {0, 0})};
  ServerHelloFacts facts;
  ASSERT_EQ(parse_server_hello(server_hello_body(s), true, facts), HelloParse::kOk);
  EXPECT_EQ(facts.version(), 0x0304);
  EXPECT_TRUE(facts.psk_selected);
  EXPECT_FALSE(facts.hello_retry_request);

  s.hello_retry = true;
  s.extensions = {ext_server_version(0x0304), ext_raw(0x0033, {0, 0x17})};
  const Bytes retry = server_hello_body(s);  // the facts point into it
  ASSERT_EQ(parse_server_hello(retry, true, facts), HelloParse::kOk);
  EXPECT_TRUE(facts.hello_retry_request);
  TlsEvent e;
  e.reset();
  describe_server_hello(facts, e);
  EXPECT_EQ(e.ja3s_string.view(), "771,4865,43-51");
  EXPECT_EQ(hash_text(e.ja3s_hash), "f4febc55ea12b31ae17cfb7e614afda8");
}

TEST(TlsServerHello, Ja3sLeavesGreaseOut) {
  // tshark 4.0 on the same ServerHello: tls.handshake.ja3s_full "771,4865,43-51".
  ServerHelloSpec s;
  s.cipher = 0x1301;
  s.extensions = {ext_empty(0x2a2a), ext_server_version(0x0304), ext_raw(0x0033, {0, 0x1d, 0, 1, 7}),
                  ext_raw(0xfafa, {0})};
  const Bytes body = server_hello_body(s);
  ServerHelloFacts facts;
  ASSERT_EQ(parse_server_hello(body, true, facts), HelloParse::kOk);
  TlsEvent e;
  e.reset();
  describe_server_hello(facts, e);
  EXPECT_EQ(e.ja3s_string.view(), "771,4865,43-51");
  EXPECT_EQ(hash_text(e.ja3s_hash), "f4febc55ea12b31ae17cfb7e614afda8");
}

TEST(TlsServerHello, PrefixesAndFaults) {
  ServerHelloSpec s;
  s.extensions = {ext_server_version(0x0304)};
  const Bytes body = server_hello_body(s);
  for (std::size_t n = 0; n < body.size(); ++n) {
    ServerHelloFacts facts;
    EXPECT_EQ(parse_server_hello(std::span(body).first(n), false, facts), HelloParse::kCut) << n;
  }
  s.extensions = {ext_raw(0x002b, {3, 4, 0})};  // supported_versions must be 2 bytes
  const Bytes bad_version = server_hello_body(s);
  ServerHelloFacts facts;
  EXPECT_EQ(parse_server_hello(bad_version, true, facts), HelloParse::kMalformed);
}

}  // namespace
}  // namespace segward::tls
