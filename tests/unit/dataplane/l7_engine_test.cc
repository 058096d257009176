// L7Engine: real frames through reassembly, HTTP and the Mesos decoders,
// out to the event ring; probing, session limits, body limits, flush at
// flow end.
#include "dataplane/l7_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "dataplane/flow_key.h"
#include "decoders/libprocess/messages.pb.h"
#include "tests/support/unique_name.h"
#include "tests/unit/net/frame_builder.h"

namespace segward::dataplane {
namespace {

namespace nt = net::testing;

constexpr auto unique = test::unique_name;

// One TCP connection between a client 10.0.0.1:40000 and a server
// 10.0.0.2:5050 (frame_builder's addresses), fed packet by packet.
struct Connection {
  L7Engine& engine;
  Flow flow{};
  std::uint32_t client_seq = 1000;
  std::uint32_t server_seq = 9000;
  std::uint64_t now = 1'000'000'000;

  explicit Connection(L7Engine& e, std::uint16_t client_port = 40000, std::uint16_t port = 5050)
      : engine(e), server_port(port) {
    net::PacketLayers p;
    const nt::Bytes syn = nt::tcp_v4_frame({.src_port = client_port, .dst_port = server_port, .seq = client_seq - 1});
    EXPECT_EQ(net::decode_packet(syn, p), net::DecodeError::kNone);
    flow.client_is_lo = !make_flow_key(p, flow.key);
    flow.flow_id = 77;
    src_port = client_port;
  }
  std::uint16_t server_port;
  std::uint16_t src_port = 40000;

  // A client segment at `offset` bytes into the client's stream.
  void client(std::string_view bytes, std::uint32_t offset) {
    send(true, client_seq + offset, bytes, server_seq);
  }
  void server(std::string_view bytes, std::uint32_t offset) { send(false, server_seq + offset, bytes, client_seq); }

  void send(bool from_client, std::uint32_t seq, std::string_view bytes, std::uint32_t ack) {
    const nt::Bytes payload(bytes.begin(), bytes.end());
    nt::TcpFields f{.src_port = from_client ? src_port : server_port,
                    .dst_port = from_client ? server_port : src_port,
                    .seq = seq,
                    .ack = ack,
                    .flags = net::tcp_flags::kAck | net::tcp_flags::kPsh};
    nt::Bytes frame = nt::tcp_v4_frame(f, payload);
    if (!from_client) {  // swap the addresses: the server speaks
      std::swap_ranges(frame.begin() + 26, frame.begin() + 30, frame.begin() + 30);
    }
    net::PacketLayers p;
    ASSERT_EQ(net::decode_packet(frame, p), net::DecodeError::kNone);
    now += 1000;
    engine.on_tcp_packet(flow, from_client ? kToServer : kToClient, p, frame.data(), now);
  }
};

std::string register_framework_request(const std::string& body) {
  return "POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\n"
         "User-Agent: libprocess/scheduler(1)@10.0.0.1:41000\r\n"
         "Libprocess-From: scheduler(1)@10.0.0.1:41000\r\n"
         "Connection: Keep-Alive\r\nHost: \r\nTransfer-Encoding: chunked\r\n\r\n" +
         [&] {
           char size[16];
           std::snprintf(size, sizeof size, "%zx", body.size());
           return std::string(size);
         }() +
         "\r\n" + body + "\r\n0\r\n\r\n";
}

std::string framework_body(const std::string& name) {
  ::mesos::internal::RegisterFrameworkMessage m;
  m.mutable_framework()->set_name(name);
  m.mutable_framework()->set_user("nobody");
  m.mutable_framework()->set_principal("ops");
  return m.SerializeAsString();
}

struct Fixture : ::testing::Test {
  L7Limits limits;
  WorkerCounters counters;
  std::unique_ptr<L7EventRing> ring;
  std::unique_ptr<L7Engine> engine;

  void start() {
    ring = std::make_unique<L7EventRing>(unique("l7_test_ring_"), 256, 0);
    engine = std::make_unique<L7Engine>(limits, 0, *ring, counters, true);
  }
  void SetUp() override {
    limits.sessions = 16;
    limits.reassembly_bytes = 1 << 20;
    limits.body_bytes = 1 << 20;
    limits.body_limit = 64 * 1024;
  }
  std::vector<L7EventRecord> drain_records() {
    std::vector<L7EventRecord> out;
    auto rec = std::make_unique<L7EventRecord>();
    while (ring->pop(rec.get(), 1) == 1) out.push_back(*rec);
    return out;
  }
  std::vector<mesos::MesosEvent> drain() {
    std::vector<mesos::MesosEvent> out;
    auto rec = std::make_unique<L7EventRecord>();
    while (ring->pop(rec.get(), 1) == 1) out.push_back(rec->mesos);
    return out;
  }
};

TEST_F(Fixture, OutOfOrderLibprocessMessageIsDecodedOncePairedWithItsReply) {
  start();
  Connection c(*engine);
  const std::string req = register_framework_request(framework_body("out-of-order"));
  const std::uint32_t a = 40, b = 120;
  c.client(req.substr(0, a), 0);       // the head opens the session
  c.client(req.substr(b), b);          // the tail overtakes the middle: held
  EXPECT_TRUE(drain().empty()) << "nothing before the middle arrives";
  c.client(req.substr(a, b - a), a);   // the hole
  c.client(req.substr(a, 10), a);      // a retransmission changes nothing
  c.server("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", 0);
  const auto events = drain();
  ASSERT_EQ(1u, events.size());
  const mesos::MesosEvent& e = events[0];
  EXPECT_EQ("mesos.internal.RegisterFrameworkMessage", e.message.view());
  EXPECT_EQ("out-of-order", e.framework.name.view());
  EXPECT_EQ("ops", e.framework.principal.view());
  EXPECT_EQ("scheduler(1)@10.0.0.1:41000", e.from_pid.view());
  EXPECT_EQ(mesos::PidCheck::kMatches, e.pid_check);
  EXPECT_EQ(202, e.http.status);
  EXPECT_EQ(AppProto::kMesos, c.flow.app);
  EXPECT_EQ(AppProto::kMesos, engine->end_session(c.flow.app, c.flow.session));
  EXPECT_TRUE(drain().empty());
  engine->publish();
  EXPECT_EQ(0u, counters.l7.sessions_active.get());
  EXPECT_EQ(1u, counters.l7.mesos_libprocess.get());
}

TEST_F(Fixture, UnansweredRequestIsReportedWhenTheFlowEnds) {
  start();
  Connection c(*engine);
  c.client(register_framework_request(framework_body("no-reply")), 0);
  EXPECT_TRUE(drain().empty()) << "held for its response";
  engine->end_session(c.flow.app, c.flow.session);
  const auto events = drain();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ("no-reply", events[0].framework.name.view());
  EXPECT_EQ(0, events[0].http.status);
}

TEST_F(Fixture, PidNamingAnotherHostIsFlagged) {
  start();
  Connection c(*engine);
  std::string req = register_framework_request(framework_body("spoof"));
  req.replace(req.find("Libprocess-From: scheduler(1)@10.0.0.1"), 38, "Libprocess-From: scheduler(1)@203.0.113.66");
  c.client(req, 0);
  engine->end_session(c.flow.app, c.flow.session);
  const auto events = drain();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(mesos::PidCheck::kDiffers, events[0].pid_check);
}

TEST_F(Fixture, UndecodableFlowsAreProbedAndThenLeftAlone) {
  limits.probe_packets = 3;
  start();
  Connection c(*engine);
  constexpr std::string_view kOther("\x7f\x45\x4c\x46\x02\x01", 6);  // not HTTP, TLS or ZooKeeper
  for (int i = 0; i < 5; ++i) c.client(kOther, static_cast<std::uint32_t>(i * 6));
  EXPECT_EQ(AppProto::kNone, c.flow.app);
  EXPECT_EQ(kNoSession, c.flow.session);
  engine->publish();
  EXPECT_EQ(1u, counters.l7.flows_not_http.get());
  EXPECT_EQ(0u, counters.l7.sessions_created.get());
}

TEST_F(Fixture, BodyOverTheLimitIsReportedNotBuffered) {
  limits.body_limit = 1024;
  start();
  Connection c(*engine);
  c.client(register_framework_request(framework_body(std::string(4000, 'n'))), 0);
  engine->end_session(c.flow.app, c.flow.session);
  const auto events = drain();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(mesos::DecodeStatus::kBodyTooLarge, events[0].status);
  EXPECT_TRUE(events[0].framework.name.empty());
  EXPECT_EQ("mesos.internal.RegisterFrameworkMessage", events[0].message.view());
  engine->publish();
  EXPECT_EQ(1u, counters.l7.mesos_body_too_large.get());
  EXPECT_EQ(0u, counters.l7.body_pool_bytes.get());
}

TEST_F(Fixture, WhenEverySessionIsTakenNewFlowsAreCountedNotDecoded) {
  start();
  std::vector<std::unique_ptr<Connection>> open;
  for (std::uint16_t i = 0; i < 17; ++i) {
    open.push_back(std::make_unique<Connection>(*engine, static_cast<std::uint16_t>(41000 + i)));
    open.back()->client("GET /master/state HTTP/1.1\r\n", 0);
  }
  EXPECT_EQ(AppProto::kNone, open.back()->flow.app);
  EXPECT_EQ(16u, engine->sessions_in_use());
  EXPECT_EQ(1u, counters.l7.sessions_exhausted.get());
  for (auto& c : open) {
    if (c->flow.session != kNoSession) engine->end_session(c->flow.app, c->flow.session);
  }
  EXPECT_EQ(0u, engine->sessions_in_use());
}

TEST_F(Fixture, LegacyEndpointOnAMesosPortWithItsStatus) {
  start();
  Connection c(*engine);
  c.client("GET /master/flags HTTP/1.1\r\nHost: m\r\nAuthorization: Basic b3BzOnMzY3JldA==\r\n\r\n", 0);
  c.server("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n", 0);
  const auto events = drain();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(mesos::MesosKind::kLegacy, events[0].kind);
  EXPECT_EQ("/master/flags", events[0].endpoint.view());
  EXPECT_EQ(mesos::EndpointClass::kSecretLeaking, events[0].endpoint_class);
  EXPECT_EQ(mesos::AuthScheme::kBasic, events[0].auth_scheme);
  EXPECT_EQ(401, events[0].http.status);
  // The credential never reaches the event.
  const std::string raw(reinterpret_cast<const char*>(&events[0]), sizeof events[0]);
  EXPECT_EQ(std::string::npos, raw.find("b3BzOnMzY3JldA=="));
  engine->end_session(c.flow.app, c.flow.session);
}


// ---- protocols other than HTTP, and the expected-protocol check -------------

std::string bytes_of(std::initializer_list<int> v) {
  std::string out;
  for (int b : v) out.push_back(static_cast<char>(b));
  return out;
}

std::string u16(std::size_t v) { return bytes_of({static_cast<int>(v >> 8), static_cast<int>(v & 0xff)}); }
std::string u24(std::size_t v) { return bytes_of({static_cast<int>(v >> 16), static_cast<int>((v >> 8) & 0xff), static_cast<int>(v & 0xff)}); }

std::string tls_record(int type, const std::string& body) { return bytes_of({type, 3, 3}) + u16(body.size()) + body; }
std::string handshake(int type, const std::string& body) { return bytes_of({type}) + u24(body.size()) + body; }

// A TLS 1.3 ClientHello: one suite, SNI, supported_versions.
std::string client_hello(const std::string& sni) {
  const std::string name = bytes_of({0}) + u16(sni.size()) + sni;
  const std::string sni_ext = u16(0) + u16(name.size() + 2) + u16(name.size()) + name;
  const std::string versions = u16(0x2b) + u16(3) + bytes_of({2, 3, 4});
  const std::string exts = sni_ext + versions;
  const std::string body = bytes_of({3, 3}) + std::string(32, '\x11') + bytes_of({0}) + u16(2) + u16(0x1301) +
                           bytes_of({1, 0}) + u16(exts.size()) + exts;
  return tls_record(22, handshake(1, body));
}

std::string server_hello_13() {
  const std::string exts = u16(0x2b) + u16(2) + u16(0x0304);
  const std::string body =
      bytes_of({3, 3}) + std::string(32, '\x22') + bytes_of({0}) + u16(0x1301) + bytes_of({0}) + u16(exts.size()) + exts;
  return tls_record(22, handshake(2, body));
}

TEST_F(Fixture, TlsHandshakeOnAnyPortGivesOneTlsEventAndFreesTheSessionOnceEncrypted) {
  start();
  Connection c(*engine, 40000, 9999);
  const std::string hello = client_hello("zk.example.test");
  c.client(hello, 0);
  EXPECT_EQ(AppProto::kTls, c.flow.app);
  const std::string sh = server_hello_13() + tls_record(20, bytes_of({1})) + tls_record(23, std::string(40, 'x'));
  c.server(sh, 0);
  c.client(tls_record(20, bytes_of({1})) + tls_record(23, std::string(60, 'y')), static_cast<std::uint32_t>(hello.size()));
  const auto events = drain_records();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(L7EventKind::kTls, events[0].kind);
  EXPECT_EQ(0x0304, events[0].tls.version);
  EXPECT_EQ("zk.example.test", events[0].tls.sni.view());
  EXPECT_EQ(40000, events[0].endpoints.src_port) << "reported from the client";
  if (c.flow.session != kNoSession) engine->end_session(c.flow.app, c.flow.session);
  EXPECT_TRUE(drain_records().empty()) << "one event per connection";
  engine->publish();
  EXPECT_EQ(0u, counters.l7.tls_sessions_active.get());
  EXPECT_EQ(1u, counters.l7.tls_events.get());
}

TEST_F(Fixture, PlaintextHttpToATlsPortIsAnAnomaly) {
  start();
  Connection c(*engine, 40000, 443);
  c.client("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 0);
  auto events = drain_records();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(L7EventKind::kAnomaly, events[0].kind);
  EXPECT_EQ(AppProto::kTls, events[0].mismatch.expected);
  EXPECT_EQ(AppProto::kHttp, events[0].mismatch.detected);
  EXPECT_EQ(443, events[0].endpoints.dst_port);
  engine->end_session(c.flow.app, c.flow.session);
  engine->publish();
  EXPECT_EQ(1u, counters.l7.protocol_mismatches.get());
}

TEST_F(Fixture, TlsToTheZookeeperPortIsAnAnomalyAndStillDecoded) {
  start();
  Connection c(*engine, 40000, 2181);
  c.client(client_hello("a"), 0);
  engine->end_session(c.flow.app, c.flow.session);
  const auto events = drain_records();
  ASSERT_EQ(2u, events.size());
  EXPECT_EQ(L7EventKind::kAnomaly, events[0].kind);
  EXPECT_EQ(AppProto::kZookeeper, events[0].mismatch.expected);
  EXPECT_EQ(AppProto::kTls, events[0].mismatch.detected);
  EXPECT_EQ(L7EventKind::kTls, events[1].kind);
}

TEST_F(Fixture, FourLetterWordIsAZookeeperEvent) {
  start();
  Connection c(*engine, 40000, 2181);
  c.client("ruok", 0);
  EXPECT_EQ(AppProto::kZookeeper, c.flow.app);
  c.server("imok", 0);
  if (c.flow.session != kNoSession) engine->end_session(c.flow.app, c.flow.session);
  const auto events = drain_records();
  ASSERT_EQ(1u, events.size()) << "no anomaly: 2181 expects ZooKeeper";
  EXPECT_EQ(L7EventKind::kZookeeper, events[0].kind);
  EXPECT_EQ(zookeeper::ZkEventKind::kFourLetterWord, events[0].zookeeper.kind);
  EXPECT_EQ(4u, events[0].zookeeper.response_bytes);
  engine->publish();
  EXPECT_EQ(0u, counters.l7.zookeeper_sessions_active.get());
}

TEST_F(Fixture, TlsRecordsWithoutTheirHandshakeMarkTheFlowWithoutASession) {
  start();
  Connection c(*engine, 40000, 8443);
  c.client(tls_record(23, std::string(100, 'z')), 0);
  EXPECT_EQ(AppProto::kTls, c.flow.app);
  EXPECT_EQ(kNoSession, c.flow.session);
  EXPECT_TRUE(drain_records().empty()) << "tls on a tls port: nothing to report";
  engine->publish();
  EXPECT_EQ(1u, counters.l7.tls_midstream.get());
}

TEST_F(Fixture, UnknownProtocolOnAnExpectedPortIsReportedOnceProbingGivesUp) {
  limits.probe_packets = 2;
  start();
  Connection c(*engine, 40000, 443);
  c.client("SSH-2.0-OpenSSH_9.2\r\n", 0);
  EXPECT_TRUE(drain_records().empty());
  c.client("more", 21);
  const auto events = drain_records();
  ASSERT_EQ(1u, events.size());
  EXPECT_EQ(AppProto::kNone, events[0].mismatch.detected);
  EXPECT_EQ(AppProto::kNone, c.flow.app);
}

TEST_F(Fixture, ZookeeperAdminServerCommandsOverHttpAreZookeeperEvents) {
  start();
  Connection c(*engine, 40000, 8080);
  c.client("GET /commands/connections HTTP/1.1\r\nHost: zk\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n", 0);
  c.server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 0);
  engine->end_session(c.flow.app, c.flow.session);
  const auto events = drain_records();
  ASSERT_EQ(1u, events.size()) << "not a Mesos request: only the AdminServer event";
  EXPECT_EQ(L7EventKind::kZookeeper, events[0].kind);
  const zookeeper::ZkEvent& z = events[0].zookeeper;
  EXPECT_EQ(zookeeper::ZkEventKind::kAdminCommand, z.kind);
  EXPECT_EQ("connections", z.admin_command.view());
  EXPECT_EQ("cons", zookeeper::four_letter_word_text(z.four_letter_word));
  EXPECT_TRUE(z.x_forwarded_for) << "the CVE-2024-51504 shape";
}

}  // namespace
}  // namespace segward::dataplane
