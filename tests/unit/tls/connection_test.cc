// TlsConnection over real OpenSSL 3 traffic (tests/unit/tls/data, made by
// generate.sh; the expected values are what openssl and tshark printed, see
// the .expected files) and over hand-made records: segmentation down to one
// byte, every prefix, messages across records, oversized messages, gaps,
// alerts, SSLv2, garbage, and when the one event goes out.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "decoders/tls/tls_connection.h"
#include "tests/unit/tls/tls_test_support.h"

namespace segward::tls {
namespace {

using namespace segward::tls::testing;

static_assert(sizeof(TlsConnection) <= 20 * 1024, "keep the per-connection state around 20 KiB");
static_assert(sizeof(TlsEvent) <= 4096);

bool same_event(const TlsEvent& a, const TlsEvent& b) { return std::memcmp(&a, &b, sizeof(TlsEvent)) == 0; }

struct Decoded {
  std::vector<TlsEvent> events;
  TlsCounters counters;
  bool finished_before_end = false;
};

Decoded decode(const std::vector<Segment>& segments, std::size_t piece = SIZE_MAX) {
  static TlsConnection c;  // static: 19 KiB, and reset() must make it as new
  c.reset();
  RecordingSink sink;
  feed(c, segments, sink, piece);
  Decoded d;
  d.finished_before_end = c.finished();
  c.end(sink);
  d.events = sink.events;
  d.counters = c.counters();
  return d;
}

TEST(TlsConnectionReal, Tls12FullHandshake) {
  const auto segments = load_segments("tls12.segments");
  const Decoded d = decode(segments);
  ASSERT_EQ(d.events.size(), 1u);
  const TlsEvent& e = d.events[0];
  EXPECT_TRUE(e.client_hello_seen);
  EXPECT_TRUE(e.server_hello_seen);
  EXPECT_TRUE(e.certificate_seen);
  EXPECT_EQ(e.record_version, 0x0301);
  EXPECT_EQ(e.client_version, 0x0303);
  EXPECT_EQ(e.version, 0x0303);  // s_client: Protocol  : TLSv1.2
  EXPECT_EQ(version_name(e.version), "TLS 1.2");
  EXPECT_EQ(e.cipher_suite, 0xc030);  // s_client: Cipher    : ECDHE-RSA-AES256-GCM-SHA384
  EXPECT_EQ(cipher_suite_name(e.cipher_suite), "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
  EXPECT_EQ(e.offered_cipher_count, 28);
  EXPECT_EQ(e.sni.view(), "tls-test.segward.example");
  EXPECT_EQ(e.alpn_offered.view(), "h2,http/1.1");
  EXPECT_EQ(e.alpn_selected.view(), "h2");
  // tshark tls.handshake.ja3_full / ja3 / ja3s_full / ja3s
  EXPECT_EQ(e.ja3_string.view(),
            "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-103-49162-49172-57-"
            "49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13,29-23-30-25-24,0-1-2");
  EXPECT_EQ(hash_text(e.ja3_hash), "22558766122974704364c9c75c5cce0a");
  EXPECT_EQ(e.ja3s_string.view(), "771,49200,65281-11-35-16-23");
  EXPECT_EQ(hash_text(e.ja3s_hash), "895252f3ce80cebf7a8837be83ec8e16");
  EXPECT_EQ(e.ja4.view(), "t12d2808h2_d943125447b4_e7e480e5a997");  // data/reference_fingerprints.py
  // openssl x509 -fingerprint -sha256 / -sha1 of the leaf the server sent.
  EXPECT_EQ(hex_of(e.cert_sha256), kLeafSha256);
  EXPECT_EQ(hex_of(e.cert_sha1), kLeafSha1);
  EXPECT_EQ(e.subject_cn.view(), "tls-test.segward.example");
  EXPECT_EQ(e.issuer.view(), "C=US, O=Segward Test CA, CN=Segward Test Root");
  EXPECT_EQ(e.serial.view(), "00:C0:FF:EE:12:34:56:78:90");
  EXPECT_EQ(e.not_before, kLeafNotBefore);
  EXPECT_EQ(e.not_after, kLeafNotAfter);
  EXPECT_EQ(e.certificate_count, 2);  // leaf + CA (s_server -cert_chain)
  EXPECT_FALSE(e.alert_seen);         // the close_notify alerts are encrypted
  EXPECT_FALSE(e.resumed);
  EXPECT_FALSE(e.truncated);
  EXPECT_FALSE(e.malformed);
  EXPECT_TRUE(d.finished_before_end);  // both sides sent ChangeCipherSpec
  EXPECT_EQ(d.counters.client_hellos, 1u);
  EXPECT_EQ(d.counters.server_hellos, 1u);
  EXPECT_EQ(d.counters.certificates, 1u);
  EXPECT_EQ(d.counters.change_cipher_specs, 2u);
  EXPECT_EQ(d.counters.alerts, 0u);
  EXPECT_EQ(d.counters.malformed, 0u);
  EXPECT_EQ(d.counters.bad_records, 0u);
  EXPECT_EQ(d.counters.events, 1u);
}

TEST(TlsConnectionReal, Tls12EventGoesOutAtServerHelloDone) {
  const auto segments = load_segments("tls12.segments");
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(segments[0].bytes, sink);
  EXPECT_TRUE(sink.events.empty());
  c.feed_server(segments[1].bytes, sink);  // ServerHello .. ServerHelloDone
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_FALSE(c.finished());  // the client has not switched to encryption yet
  for (std::size_t i = 2; i < segments.size(); ++i) {
    if (segments[i].server) {
      c.feed_server(segments[i].bytes, sink);
    } else {
      c.feed_client(segments[i].bytes, sink);
    }
  }
  EXPECT_TRUE(c.finished());
  c.end(sink);
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST(TlsConnectionReal, OneByteSegmentsGiveTheSameEventAndCounters) {
  for (const char* name : {"tls12.segments", "tls13.segments", "hello_retry.segments", "resumed.segments",
                           "no_shared_cipher.segments", "gnutls_tls12.segments", "gnutls_tls13.segments"}) {
    const auto segments = load_segments(name);
    const Decoded whole = decode(segments);
    for (const std::size_t piece : {1, 2, 3, 5, 7, 100}) {
      const Decoded cut = decode(segments, piece);
      ASSERT_EQ(cut.events.size(), whole.events.size()) << name << " " << piece;
      if (!whole.events.empty()) {
        EXPECT_TRUE(same_event(cut.events[0], whole.events[0])) << name << " " << piece;
      }
      EXPECT_EQ(cut.counters, whole.counters) << name << " " << piece;
    }
  }
}

TEST(TlsConnectionReal, Tls13) {
  const auto segments = load_segments("tls13.segments");
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(segments[0].bytes, sink);
  c.feed_server(segments[1].bytes, sink);  // ServerHello, ChangeCipherSpec, encrypted records
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(c.finished());  // the rest is encrypted
  const TlsEvent& e = sink.events[0];
  EXPECT_EQ(e.version, 0x0304);  // s_client: Protocol  : TLSv1.3
  EXPECT_EQ(version_name(e.version), "TLS 1.3");
  EXPECT_EQ(e.cipher_suite, 0x1302);  // TLS_AES_256_GCM_SHA384
  EXPECT_EQ(cipher_suite_name(e.cipher_suite), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(e.client_version, 0x0303);
  EXPECT_EQ(e.record_version, 0x0301);
  EXPECT_TRUE(e.client_offered_tls13);
  EXPECT_EQ(e.sni.view(), "tls-test.segward.example");
  EXPECT_EQ(e.alpn_offered.view(), "h2");
  EXPECT_TRUE(e.alpn_selected.empty());  // in EncryptedExtensions
  EXPECT_EQ(hash_text(e.ja3_hash), "5a1edc7f170af1014fc65c994878e63c");
  EXPECT_EQ(e.ja3s_string.view(), "771,4866,43-51");
  EXPECT_EQ(hash_text(e.ja3s_hash), "15af977ce25de452b96affa2addb1036");
  EXPECT_EQ(e.ja4.view(), "t13d3111h2_e8f1e7e78f70_1f22a2ca17c4");
  EXPECT_FALSE(e.certificate_seen);  // encrypted in TLS 1.3
  EXPECT_FALSE(e.resumed);
  for (std::size_t i = 2; i < segments.size(); ++i) {
    if (segments[i].server) {
      c.feed_server(segments[i].bytes, sink);
    } else {
      c.feed_client(segments[i].bytes, sink);
    }
  }
  c.end(sink);
  EXPECT_EQ(sink.events.size(), 1u);
  EXPECT_GT(c.counters().encrypted_records, 4u);
  EXPECT_EQ(c.counters().certificates, 0u);
}

TEST(TlsConnectionReal, HelloRetryRequestIsNotFinal) {
  const auto segments = load_segments("hello_retry.segments");
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(segments[0].bytes, sink);
  c.feed_server(segments[1].bytes, sink);  // HelloRetryRequest + ChangeCipherSpec
  EXPECT_TRUE(sink.events.empty());
  EXPECT_FALSE(c.finished());
  c.feed_client(segments[2].bytes, sink);  // ChangeCipherSpec + second ClientHello, in clear
  EXPECT_TRUE(sink.events.empty());
  c.feed_server(segments[3].bytes, sink);  // the real ServerHello
  ASSERT_EQ(sink.events.size(), 1u);
  const TlsEvent& e = sink.events[0];
  EXPECT_TRUE(e.hello_retry_request);
  EXPECT_TRUE(e.server_hello_seen);
  EXPECT_EQ(e.version, 0x0304);
  EXPECT_EQ(e.cipher_suite, 0x1302);
  // The first ClientHello's fingerprint (tshark: both hellos a766c0cb...).
  EXPECT_EQ(hash_text(e.ja3_hash), "a766c0cb08b7143fcaf7ee210298ded8");
  EXPECT_EQ(e.ja4.view(), "t13d311000_e8f1e7e78f70_1f22a2ca17c4");
  EXPECT_EQ(e.record_version, 0x0301);
  EXPECT_EQ(hash_text(e.ja3s_hash), "15af977ce25de452b96affa2addb1036");
  EXPECT_EQ(c.counters().client_hellos, 2u);
  EXPECT_EQ(c.counters().hello_retry_requests, 1u);
  EXPECT_EQ(c.counters().server_hellos, 1u);
}

TEST(TlsConnectionReal, ServerAlertWithoutServerHello) {
  const Decoded d = decode(load_segments("no_shared_cipher.segments"));
  ASSERT_EQ(d.events.size(), 1u);  // at end(): nothing else could come
  EXPECT_TRUE(d.finished_before_end == false);
  const TlsEvent& e = d.events[0];
  EXPECT_TRUE(e.client_hello_seen);
  EXPECT_FALSE(e.server_hello_seen);
  EXPECT_EQ(e.version, 0);
  EXPECT_EQ(version_name(e.version), "UNDETERMINED");
  EXPECT_EQ(e.cipher_suite, 0);
  EXPECT_TRUE(e.alert_seen);  // tshark: level 2, description 40
  EXPECT_EQ(e.alert_level, 2);
  EXPECT_EQ(e.alert_description, 40);
  EXPECT_EQ(alert_description_name(e.alert_description), "handshake_failure");
  EXPECT_TRUE(e.alert_from_server);
  EXPECT_EQ(hash_text(e.ja3_hash), "6f8cab1083dd7ae38ecec51d730a9424");
  EXPECT_EQ(e.ja3s_hash[0], '\0');
}

TEST(TlsConnectionReal, Tls12SessionResumption) {
  const Decoded d = decode(load_segments("resumed.segments"));
  ASSERT_EQ(d.events.size(), 1u);
  const TlsEvent& e = d.events[0];
  EXPECT_TRUE(e.resumed);  // s_client: Reused, TLSv1.2
  EXPECT_FALSE(e.certificate_seen);
  EXPECT_EQ(e.cipher_suite, 0xc030);
  EXPECT_TRUE(e.sni.empty());
  EXPECT_EQ(hash_text(e.ja3_hash), "da2d07d073fb1a692629af125bfe875e");
  EXPECT_EQ(hash_text(e.ja3s_hash), "fd4bc6cea4877646ccd62f0792ec0b62");
  EXPECT_EQ(e.ja4.view(), "t12i280500_d943125447b4_a44c6288192a");
  EXPECT_TRUE(d.finished_before_end);
}

// The event does not depend on how the two directions interleave, as long
// as each is in order and the client's first flight comes first.
TEST(TlsConnectionReal, ClientDirectionFedAheadOfTheServer) {
  for (const char* name : {"tls12.segments", "tls13.segments", "hello_retry.segments", "resumed.segments",
                           "gnutls_tls12.segments", "gnutls_tls13.segments"}) {
    const auto segments = load_segments(name);
    std::vector<Segment> client_first;
    for (const auto& s : segments) {
      if (!s.server) client_first.push_back(s);
    }
    for (const auto& s : segments) {
      if (s.server) client_first.push_back(s);
    }
    const Decoded in_order = decode(segments);
    const Decoded reordered = decode(client_first);
    ASSERT_EQ(reordered.events.size(), 1u) << name;
    EXPECT_TRUE(same_event(in_order.events[0], reordered.events[0])) << name;
  }
}

// GnuTLS (Debian's wget) against s_server: another stack's ClientHello,
// checked against tshark's JA3 and the Python reference's JA4.
TEST(TlsConnectionReal, GnuTlsClient) {
  const Decoded d12 = decode(load_segments("gnutls_tls12.segments"));
  ASSERT_EQ(d12.events.size(), 1u);
  const TlsEvent& e = d12.events[0];
  EXPECT_EQ(e.sni.view(), "localhost");
  EXPECT_TRUE(e.alpn_offered.empty());
  EXPECT_EQ(e.ja3_string.view(),
            "771,4866-4867-4865-4868-49196-52393-49325-49162-49195-49324-49161-49200-52392-49172-49199-49171-157-"
            "49309-53-156-49308-47-159-52394-49311-57-158-49310-51,5-10-11-13-35-51-43-49-65281-0-45-28-21,23-24-25-"
            "29-30-256-257-258-259-260,0");
  EXPECT_EQ(hash_text(e.ja3_hash), "bb4f9fef542ff6b4b29aa653bf0c1d31");
  EXPECT_EQ(e.ja4.view(), "t13d291300_723694b0fccc_899037bd0b8c");
  EXPECT_EQ(e.version, 0x0303);
  EXPECT_EQ(e.cipher_suite, 0xc030);
  EXPECT_EQ(hash_text(e.ja3s_hash), "e35df3e00ca4ef31d42b34bebaa2f86e");
  EXPECT_EQ(hex_of(e.cert_sha256), kLeafSha256);
  EXPECT_TRUE(d12.finished_before_end);

  const Decoded d13 = decode(load_segments("gnutls_tls13.segments"));
  ASSERT_EQ(d13.events.size(), 1u);
  EXPECT_EQ(d13.events[0].version, 0x0304);
  EXPECT_EQ(d13.events[0].cipher_suite, 0x1302);
  EXPECT_EQ(hash_text(d13.events[0].ja3_hash), "bb4f9fef542ff6b4b29aa653bf0c1d31");
  EXPECT_EQ(hash_text(d13.events[0].ja3s_hash), "15af977ce25de452b96affa2addb1036");
  EXPECT_FALSE(d13.events[0].certificate_seen);
}

// Every prefix of the capture (in capture order), then end(): no crash, at
// most one event, and what is in it agrees with the full decode.
TEST(TlsConnectionReal, EveryPrefixTruncation) {
  for (const char* name : {"tls12.segments", "tls13.segments", "hello_retry.segments", "gnutls_tls12.segments"}) {
    const auto segments = load_segments(name);
    const TlsEvent full = decode(segments).events.at(0);
    std::size_t total = 0;
    for (const auto& s : segments) total += s.bytes.size();
    for (std::size_t k = 0; k <= total; ++k) {
      std::vector<Segment> prefix;
      std::size_t left = k;
      for (const auto& s : segments) {
        if (left == 0) break;
        const std::size_t n = std::min(left, s.bytes.size());
        prefix.push_back({s.server, Bytes(s.bytes.begin(), s.bytes.begin() + static_cast<std::ptrdiff_t>(n))});
        left -= n;
      }
      const Decoded d = decode(prefix);
      ASSERT_LE(d.events.size(), 1u);
      if (d.events.empty()) continue;
      const TlsEvent& e = d.events[0];
      EXPECT_FALSE(e.malformed) << name << " " << k;
      if (!e.truncated) {
        // A whole ClientHello gives the full fingerprint; no invented values.
        EXPECT_EQ(hash_text(e.ja3_hash), hash_text(full.ja3_hash)) << name << " " << k;
        EXPECT_EQ(e.ja4.view(), full.ja4.view()) << name << " " << k;
      }
      if (e.server_hello_seen && !e.truncated) {
        EXPECT_EQ(e.cipher_suite, full.cipher_suite) << name << " " << k;
      }
      if (!e.subject.empty()) {
        EXPECT_EQ(e.subject.view(), full.subject.view()) << name << " " << k;
      }
      if (e.cert_sha256 != std::array<std::uint8_t, 32>{}) {
        EXPECT_EQ(e.cert_sha256, full.cert_sha256);
      }
    }
  }
}

// ---- hand-made records ----

ClientHelloSpec simple_client_hello() {
  ClientHelloSpec s;
  s.session_id = Bytes(32, 0x33);
  s.ciphers = {0x0a0a, 0xc02f, 0xc030};
  s.extensions = {ext_sni("svc.mesos"), ext_groups({0x001d}), ext_point_formats({0}), ext_sigalgs({0x0401})};
  return s;
}

std::vector<Segment> tls12_handshake(std::size_t max_fragment, const Bytes& certificate_der) {
  const Bytes ch = client_hello(simple_client_hello());
  ServerHelloSpec sh;
  sh.session_id = Bytes(32, 0x44);
  const Bytes server_flight =
      concat({server_hello(sh), certificate_message({certificate_der}), handshake(12, Bytes(40, 7)), server_hello_done()});
  return {{false, handshake_records(ch, 0x0301, max_fragment)},
          {true, handshake_records(server_flight, 0x0303, max_fragment)},
          {false, concat({handshake_records(handshake(16, Bytes(33, 1))), change_cipher_spec(), record(22, 0x0303, Bytes(40, 9))})},
          {true, concat({change_cipher_spec(), record(22, 0x0303, Bytes(40, 9)), application_data(30)})}};
}

TEST(TlsConnection, HandshakeMessagesAcrossOneByteRecords) {
  const Bytes leaf = load_file("leaf.der");
  const Decoded reference = decode(tls12_handshake(16384, leaf));  // several messages per record
  ASSERT_EQ(reference.events.size(), 1u);
  EXPECT_EQ(reference.events[0].sni.view(), "svc.mesos");
  EXPECT_EQ(hex_of(reference.events[0].cert_sha256), kLeafSha256);
  EXPECT_TRUE(reference.finished_before_end);
  for (const std::size_t fragment : {1, 2, 3, 4, 5, 100}) {
    const Decoded d = decode(tls12_handshake(fragment, leaf), 7);
    ASSERT_EQ(d.events.size(), 1u) << fragment;
    EXPECT_TRUE(same_event(d.events[0], reference.events[0])) << fragment;
    EXPECT_EQ(d.counters.handshake_messages, reference.counters.handshake_messages);
  }
}

TEST(TlsConnection, CertificateLargerThanTheBufferKeepsTheLeaf) {
  const Bytes leaf = load_file("leaf.der");
  const Bytes ch = client_hello(simple_client_hello());
  const Bytes flight = concat({server_hello(ServerHelloSpec{}),
                               certificate_message({leaf, Bytes(6000, 0x30), Bytes(6000, 0x30)}), server_hello_done()});
  const Decoded d = decode({{false, handshake_records(ch)}, {true, handshake_records(flight)}}, 1000);
  ASSERT_EQ(d.events.size(), 1u);
  const TlsEvent& e = d.events[0];
  EXPECT_TRUE(e.truncated);
  EXPECT_FALSE(e.malformed);
  EXPECT_EQ(hex_of(e.cert_sha256), kLeafSha256);
  EXPECT_EQ(e.subject_cn.view(), "tls-test.segward.example");
  EXPECT_EQ(e.certificate_count, 2);  // the third did not fit
  EXPECT_EQ(d.counters.truncated_handshakes, 1u);
  EXPECT_EQ(d.counters.events, 1u);  // ServerHelloDone after the big message was still seen
}

TEST(TlsConnection, LeafLargerThanTheBufferStillGivesItsNames) {
  // A leaf whose extensions (after the subject) run past the buffer.
  Bytes leaf = load_file("leaf.der");
  // Re-wrap: SEQUENCE { tbs', ... } with tbs' = tbs + 9000 bytes of [3] padding.
  ASSERT_EQ(leaf[0], 0x30);
  ASSERT_EQ(leaf[1], 0x82);
  ASSERT_EQ(leaf[4], 0x30);
  ASSERT_EQ(leaf[5], 0x82);
  const std::size_t tbs_len = std::size_t{leaf[6]} << 8 | leaf[7];
  Bytes tbs_content(leaf.begin() + 8, leaf.begin() + 8 + static_cast<std::ptrdiff_t>(tbs_len));
  Bytes padding{0xa3, 0x82};
  put16(padding, 9000);
  padding.resize(padding.size() + 9000, 0);
  append(tbs_content, padding);
  Bytes tbs{0x30, 0x82};
  put16(tbs, static_cast<std::uint32_t>(tbs_content.size()));
  append(tbs, tbs_content);
  Bytes cert_content = tbs;
  append(cert_content, std::span(leaf).subspan(8 + tbs_len));
  Bytes big{0x30, 0x82};
  put16(big, static_cast<std::uint32_t>(cert_content.size()));
  append(big, cert_content);

  const Bytes flight = concat({server_hello(ServerHelloSpec{}), certificate_message({big}), server_hello_done()});
  const Decoded d = decode({{false, handshake_records(client_hello(simple_client_hello()))},
                            {true, handshake_records(flight)}});
  ASSERT_EQ(d.events.size(), 1u);
  const TlsEvent& e = d.events[0];
  EXPECT_TRUE(e.truncated);
  EXPECT_FALSE(e.malformed);
  EXPECT_EQ(e.cert_sha256, (std::array<std::uint8_t, 32>{}));  // not whole: no fingerprint
  EXPECT_EQ(e.subject_cn.view(), "tls-test.segward.example");
  EXPECT_EQ(e.serial.view(), "00:C0:FF:EE:12:34:56:78:90");
  EXPECT_EQ(e.not_after, kLeafNotAfter);
}

TEST(TlsConnection, ClientHelloLargerThanTheBuffer) {
  ClientHelloSpec s = simple_client_hello();
  s.extensions.push_back(ext_raw(0x0015, Bytes(9000, 0)));  // padding, last
  const Decoded d = decode({{false, handshake_records(client_hello(s))}});
  ASSERT_EQ(d.events.size(), 1u);
  const TlsEvent& e = d.events[0];
  EXPECT_TRUE(e.truncated);
  EXPECT_FALSE(e.malformed);
  EXPECT_EQ(e.sni.view(), "svc.mesos");
  EXPECT_EQ(e.ja3_string.view(), "771,49199-49200,0-10-11-13,29,0");  // the padding did not fit
  EXPECT_EQ(d.counters.truncated_handshakes, 1u);
}

TEST(TlsConnection, OnlyAClientHelloGoesOutAtEnd) {
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_FALSE(c.finished());
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(c.finished());
  c.end(sink);  // idempotent
  EXPECT_EQ(sink.events.size(), 1u);
}

TEST(TlsConnection, NothingSeenNoEvent) {
  TlsConnection c;
  RecordingSink sink;
  c.end(sink);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_TRUE(c.finished());
}

TEST(TlsConnection, GapStopsThatDirectionAndTheEventStillGoesOut) {
  const auto segments = tls12_handshake(16384, load_file("leaf.der"));
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(segments[0].bytes, sink);
  const auto& server = segments[1].bytes;
  c.feed_server(std::span(server).first(60), sink);  // ServerHello and a bit
  c.gap_server(500, sink);
  c.feed_server(std::span(server).subspan(560), sink);  // ignored: record sync is lost
  EXPECT_TRUE(sink.events.empty());
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].server_hello_seen);
  EXPECT_FALSE(sink.events[0].certificate_seen);
  EXPECT_EQ(c.counters().gaps, 1u);
  EXPECT_EQ(c.counters().gap_bytes, 500u);
  EXPECT_EQ(c.counters().bytes_ignored, server.size() - 560);
}

TEST(TlsConnection, GapInsideTheClientHelloDecodesWhatCame) {
  const Bytes records = handshake_records(client_hello(simple_client_hello()));
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(std::span(records).first(80), sink);  // cut inside the cipher suites... and the session id
  c.gap_client(1000, sink);
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].client_hello_seen);
  EXPECT_TRUE(sink.events[0].truncated);
  EXPECT_FALSE(sink.events[0].malformed);
}

TEST(TlsConnection, AlertsInClearAndAfterTheEvent) {
  auto segments = tls12_handshake(16384, load_file("leaf.der"));
  segments.insert(segments.begin() + 2, Segment{false, alert(2, 48)});  // client: unknown_ca, in clear
  TlsConnection c;
  RecordingSink sink;
  feed(c, segments, sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_FALSE(sink.events[0].alert_seen);  // the event went out at ServerHelloDone
  EXPECT_EQ(c.counters().alerts, 1u);
  EXPECT_EQ(c.counters().alerts_after_event, 1u);
  EXPECT_TRUE(c.finished());
  EXPECT_TRUE(same_event(sink.events[0], c.event()));  // unchanged after emission
}

// Fuzz finding: a ClientHello still arriving when the server's
// ChangeCipherSpec emitted the event was decoded into it at end().
TEST(TlsConnection, EventNeverChangesAfterEmission) {
  const Bytes ch = handshake_records(client_hello(simple_client_hello()));
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(std::span(ch).first(60), sink);  // the ClientHello, partly
  c.feed_server(concat({handshake_records(server_hello(ServerHelloSpec{})), change_cipher_spec()}), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_FALSE(sink.events[0].client_hello_seen);
  c.feed_client(std::span(ch).subspan(60, 20), sink);
  c.end(sink);  // flushes the partial ClientHello: counted, not decoded
  EXPECT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(same_event(sink.events[0], c.event()));
  EXPECT_EQ(c.counters().client_hellos, 1u);
}

TEST(TlsConnection, WarningAlertBeforeTheEventIsRecorded) {
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  c.feed_server(alert(1, 112), sink);  // unrecognized_name, warning
  c.feed_server(alert(2, 40), sink);   // only the first is kept
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].alert_seen);
  EXPECT_EQ(sink.events[0].alert_level, 1);
  EXPECT_EQ(sink.events[0].alert_description, 112);
  EXPECT_EQ(c.counters().alerts, 2u);
}

TEST(TlsConnection, AlertSplitAcrossRecords) {
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  c.feed_server(concat({record(21, 0x0303, Bytes{2}), record(21, 0x0303, Bytes{70})}), sink);
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].alert_description, 70);
}

TEST(TlsConnection, EncryptedAlertAfterChangeCipherSpecIsNotRead) {
  auto segments = tls12_handshake(16384, load_file("leaf.der"));
  segments.push_back({true, record(21, 0x0303, Bytes(26, 0x99))});
  const Decoded d = decode(segments);
  EXPECT_EQ(d.counters.alerts, 0u);
  EXPECT_GE(d.counters.encrypted_records, 3u);
}

TEST(TlsConnection, ClearAlertInTls13AfterTheServerHello) {
  ServerHelloSpec sh;
  sh.cipher = 0x1301;
  sh.extensions = {ext_server_version(0x0304)};
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  c.feed_server(concat({handshake_records(server_hello(sh)), change_cipher_spec(), application_data(40)}), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(c.finished());
  c.feed_client(alert(2, 47), sink);  // the client rejects the ServerHello, in clear
  EXPECT_EQ(c.counters().alerts, 1u);
  EXPECT_EQ(c.counters().alerts_after_event, 1u);
}

TEST(TlsConnection, Tls13PskResumption) {
  ServerHelloSpec sh;
  sh.cipher = 0x1301;
  sh.session_id = Bytes(32, 0x33);  // the compatibility echo does not mean resumption
  sh.extensions = {ext_server_version(0x0304), ext_raw(0x0029, {0, 0})};
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  c.feed_server(handshake_records(server_hello(sh)), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].resumed);
  sh.extensions = {ext_server_version(0x0304)};
  c.reset();
  sink.events.clear();
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  c.feed_server(handshake_records(server_hello(sh)), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_FALSE(sink.events[0].resumed);
}

TEST(TlsConnection, AbbreviatedHandshakeGoesOutAtChangeCipherSpec) {
  ServerHelloSpec sh;
  sh.session_id = Bytes(32, 0x33);  // echoes the client's
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(client_hello(simple_client_hello())), sink);
  c.feed_server(handshake_records(server_hello(sh)), sink);
  EXPECT_TRUE(sink.events.empty());
  c.feed_server(change_cipher_spec(), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].resumed);
  EXPECT_FALSE(c.finished());
  c.feed_client(change_cipher_spec(), sink);
  EXPECT_TRUE(c.finished());
}

TEST(TlsConnection, SslV2ClientHelloIsRecognised) {
  // SSLv2 CLIENT-HELLO (RFC 5246 E.2): length 0x2e, type 1, version 3.1, ...
  Bytes v2 = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
  v2.resize(2 + 0x2e, 0x07);
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(v2, sink);
  c.end(sink);
  EXPECT_EQ(c.counters().sslv2_client_hellos, 1u);
  EXPECT_EQ(c.counters().bad_records, 0u);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].sslv2_client_hello);
  EXPECT_FALSE(sink.events[0].client_hello_seen);
  EXPECT_TRUE(looks_like_sslv2_client_hello(v2));
  EXPECT_FALSE(looks_like_tls_client_start(v2));
}

TEST(TlsConnection, NotTlsStopsTheDirection) {
  const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(std::span(reinterpret_cast<const std::uint8_t*>(http.data()), http.size()), sink);
  c.end(sink);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_EQ(c.counters().bad_records, 1u);
  EXPECT_EQ(c.counters().bytes_ignored, http.size());
}

TEST(TlsConnection, OversizedRecordIsNotTls) {
  Bytes header = {22, 3, 3};
  put16(header, kMaxRecordLength + 1);
  TlsConnection c;
  RecordingSink sink;
  c.feed_server(header, sink);
  EXPECT_EQ(c.counters().bad_records, 1u);
}

TEST(TlsConnection, MalformedClientHelloIsMarked) {
  Bytes body = client_hello_body(simple_client_hello());
  body[2 + 32] = 40;  // session id longer than 32
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(handshake_records(handshake(1, body)), sink);
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_TRUE(sink.events[0].malformed);
  EXPECT_EQ(c.counters().malformed, 1u);
}

TEST(TlsConnection, MalformedCertificateIsMarked) {
  const Bytes flight = concat({server_hello(ServerHelloSpec{}), certificate_message({Bytes{0x30, 0x05, 0x02, 0x09, 0x00}}),
                               server_hello_done()});
  const Decoded d = decode({{false, handshake_records(client_hello(simple_client_hello()))},
                            {true, handshake_records(flight)}});
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_TRUE(d.events[0].certificate_seen);
  EXPECT_TRUE(d.events[0].malformed);
  EXPECT_TRUE(d.events[0].subject.empty());
  EXPECT_EQ(d.counters.malformed, 1u);
}

TEST(TlsConnection, ResetReusesTheStateWithoutLeftovers) {
  TlsConnection c;
  RecordingSink sink;
  feed(c, load_segments("tls12.segments"), sink);
  c.end(sink);
  c.reset();
  EXPECT_EQ(c.counters(), TlsCounters{});
  feed(c, load_segments("tls13.segments"), sink);
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_TRUE(sink.events[1].subject.empty());
  EXPECT_EQ(sink.events[1].certificate_count, 0);
  EXPECT_EQ(sink.events[1].version, 0x0304);
}

TEST(TlsConnection, ClientChangeCipherSpecBeforeAnyServerHelloWaits) {
  TlsConnection c;
  RecordingSink sink;
  c.feed_client(concat({handshake_records(client_hello(simple_client_hello())), change_cipher_spec()}), sink);
  EXPECT_TRUE(sink.events.empty());  // a one-sided capture: the event goes out at end()
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(c.counters().change_cipher_specs, 1u);
}

TEST(TlsConnection, Tls13CompatibilityChangeCipherSpecChangesNothing) {
  ClientHelloSpec s = simple_client_hello();
  s.extensions.push_back(ext_client_versions({0x0304, 0x0303}));
  ServerHelloSpec sh;
  sh.cipher = 0x1301;
  sh.extensions = {ext_server_version(0x0304)};
  TlsConnection c;
  RecordingSink sink;
  // Early data: ClientHello, ChangeCipherSpec, 0-RTT application data.
  c.feed_client(concat({handshake_records(client_hello(s)), change_cipher_spec(), application_data(50)}), sink);
  EXPECT_TRUE(sink.events.empty());
  c.feed_server(handshake_records(server_hello(sh)), sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].version, 0x0304);
}

TEST(TlsDetection, LooksLikeTls) {
  const auto segments = load_segments("tls12.segments");
  const Bytes& ch = segments[0].bytes;
  for (std::size_t n = 1; n <= ch.size(); ++n) EXPECT_TRUE(looks_like_tls_client_start(std::span(ch).first(n))) << n;
  EXPECT_FALSE(looks_like_tls_client_start({}));
  EXPECT_FALSE(looks_like_tls_client_start(segments[1].bytes));  // a ServerHello
  EXPECT_TRUE(looks_like_tls_record(segments[1].bytes));
  EXPECT_TRUE(looks_like_tls_record(application_data(10)));
  EXPECT_TRUE(looks_like_tls_record(Bytes{23}));
  EXPECT_FALSE(looks_like_tls_record({}));
  EXPECT_FALSE(looks_like_tls_record(Bytes{25}));
  EXPECT_FALSE(looks_like_tls_record(Bytes{23, 2}));
  EXPECT_FALSE(looks_like_tls_record(Bytes{23, 3, 5}));
  EXPECT_FALSE(looks_like_tls_record(Bytes{23, 3, 3, 0x48, 0x01}));  // 2^14 + 2048 + 1
  EXPECT_TRUE(looks_like_tls_record(Bytes{23, 3, 3, 0x48, 0x00}));
  EXPECT_FALSE(looks_like_tls_client_start(Bytes{22, 3, 1, 0, 2}));     // too short for a handshake header
  EXPECT_FALSE(looks_like_tls_client_start(Bytes{22, 3, 1, 0, 40, 2}));  // handshake type 2
  const std::string get = "GET / HTTP/1.1";
  EXPECT_FALSE(looks_like_tls_client_start(std::span(reinterpret_cast<const std::uint8_t*>(get.data()), get.size())));
}

}  // namespace
}  // namespace segward::tls
