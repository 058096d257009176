// The connect handshake: one kConnect event per connection, the session id
// stamping every later event, old and new connect layouts, C-client
// segmentation, connections that never got their response.
#include <gtest/gtest.h>

#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::zookeeper::testing {
namespace {

TEST(ZkConnect, ModernHandshakeGivesOneConnectEvent) {
  const Decoded d = decode({client(connect_request(0, false, 10000)), server(connect_response(0x1000001a2b3c4d5ULL, 4000))});
  ASSERT_EQ(d.events.size(), 1u);
  const ZkEvent& e = d.events[0];
  EXPECT_EQ(e.kind, ZkEventKind::kConnect);
  EXPECT_EQ(e.protocol_version, 0);
  EXPECT_EQ(e.timeout_ms, 10000);
  EXPECT_EQ(e.negotiated_timeout_ms, 4000);
  EXPECT_EQ(e.last_zxid_seen, 0);
  EXPECT_EQ(e.requested_session_id, 0u);
  EXPECT_FALSE(e.password_sent);
  EXPECT_TRUE(e.has_read_only);
  EXPECT_FALSE(e.read_only);
  EXPECT_FALSE(e.server_read_only);
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.session_id, 0x1000001a2b3c4d5ULL);
  EXPECT_TRUE(e.session_known);
  EXPECT_EQ(e.frame_len, 45);
  EXPECT_EQ(d.counters.connects, 1u);
  EXPECT_EQ(d.counters.connect_responses, 1u);
  EXPECT_EQ(d.counters.frames, 2u);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  EXPECT_EQ(d.counters.trailing_bytes_frames, 0u);
}

TEST(ZkConnect, ConnectEventComesWhenTheResponseArrives) {
  ZkConnection c;
  RecordingSink sink;
  const ZkLimits limits;
  const Bytes req = connect_request();
  c.feed_client(req, limits, sink);
  EXPECT_TRUE(sink.events.empty());
  const Bytes resp = connect_response();
  c.feed_server(resp, limits, sink);
  ASSERT_EQ(sink.events.size(), 1u);
  c.end(sink);
  EXPECT_EQ(sink.events.size(), 1u);  // not twice
}

TEST(ZkConnect, OldClientWithoutReadOnlyByte) {
  const Decoded d = decode({client(connect_request(0, false, 30000, 0, std::nullopt)),
                            server(connect_response(0x200000000000001ULL, 30000, std::nullopt))});
  const ZkEvent& e = d.only(ZkEventKind::kConnect);
  EXPECT_EQ(e.frame_len, 44);
  EXPECT_FALSE(e.has_read_only);
  EXPECT_EQ(e.session_id, 0x200000000000001ULL);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
}

TEST(ZkConnect, ReattachCarriesSessionPasswordAndLastZxid) {
  const Decoded d = decode({client(connect_request(0x100000a5c2e0007ULL, true, 10000, 0x500000012, true)),
                            server(connect_response(0x100000a5c2e0007ULL, 10000, true))});
  const ZkEvent& e = d.only(ZkEventKind::kConnect);
  EXPECT_EQ(e.requested_session_id, 0x100000a5c2e0007ULL);
  EXPECT_TRUE(e.password_sent);
  EXPECT_EQ(e.last_zxid_seen, 0x500000012);
  EXPECT_TRUE(e.read_only);
  EXPECT_TRUE(e.server_read_only);
}

TEST(ZkConnect, RefusedSessionHasIdZero) {
  const Decoded d = decode({client(connect_request(0x100000a5c2e0007ULL, true)), server(connect_response(0, 0)),
                            client(request(1, opcode::kExists).ustring("/x").boolean(false).frame())});
  const ZkEvent& e = d.only(ZkEventKind::kConnect);
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.session_id, 0u);
  EXPECT_FALSE(e.session_known);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_FALSE(reqs[0].session_known);
}

TEST(ZkConnect, SessionIdStampsLaterEvents) {
  Conversation conv = handshake(0x1000002deadbeefULL);
  conv.push_back(client(request(1, opcode::kGetData).ustring("/mesos").boolean(true).frame()));
  conv.push_back(server(reply(-1, -1, 0).i32(4).i32(3).ustring("/mesos").frame()));
  conv.push_back(server(reply(1, 0x20, 0).buffer("{}").stat().frame()));
  const Decoded d = decode(conv);
  ASSERT_EQ(d.events.size(), 3u);
  for (const ZkEvent& e : d.events) {
    EXPECT_TRUE(e.session_known);
    EXPECT_EQ(e.session_id, 0x1000002deadbeefULL);
  }
}

TEST(ZkConnect, ReattachIdStampsEventsBeforeTheResponse) {
  // Requests pipelined behind the connect, connection gone before any answer.
  const Decoded d = decode({client(connect_request(0x1000000000000abULL, true)),
                            client(request(1, opcode::kExists).ustring("/a").boolean(false).frame())});
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[0].kind, ZkEventKind::kConnect);
  EXPECT_FALSE(d.events[0].replied);
  EXPECT_EQ(d.events[0].session_id, 0x1000000000000abULL);
  EXPECT_TRUE(d.events[0].session_known);
  EXPECT_EQ(d.events[1].kind, ZkEventKind::kRequest);
  EXPECT_FALSE(d.events[1].replied);
  EXPECT_EQ(d.events[1].session_id, 0x1000000000000abULL);
}

TEST(ZkConnect, ConnectWithoutResponseEmittedAtEnd) {
  const Decoded d = decode({client(connect_request())});
  const ZkEvent& e = d.only(ZkEventKind::kConnect);
  EXPECT_FALSE(e.replied);
  EXPECT_FALSE(e.session_known);
  EXPECT_TRUE(d.finished);
}

TEST(ZkConnect, CClientSendsLengthsAlone) {
  // Every PDU as a 4-byte length segment then its body (kLengthApart does
  // that for each step; decode() also checks whole and 1-byte feeds).
  Conversation conv = handshake();
  conv.push_back(client(request(1700000000, opcode::kExists).ustring("/mesos").boolean(false).frame()));
  conv.push_back(server(reply(1700000000, 0x5, 0).stat().frame()));
  const Decoded d = decode_cut(conv, Cut::kLengthApart);
  ASSERT_EQ(d.events.size(), 2u);
  EXPECT_EQ(d.events[1].xid, 1700000000);
  EXPECT_TRUE(d.events[1].replied);
  EXPECT_TRUE(d.events[1].detail.has_stat);
}

TEST(ZkConnect, MidStreamStartDecodesRequests) {
  // No ConnectRequest: the first client frame is a request (not 44/45 bytes).
  const Decoded d = decode({client(request(7, opcode::kGetChildren).ustring("/mesos").boolean(true).frame()),
                            server(reply(7, 9, 0).i32(1).ustring("json.info_0000000001").frame())});
  EXPECT_EQ(d.counters.midstream_starts, 1u);
  EXPECT_EQ(d.of_kind(ZkEventKind::kConnect).size(), 0u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path.view(), "/mesos");
  EXPECT_TRUE(reqs[0].replied);
  EXPECT_EQ(reqs[0].detail.reply_count, 1);
}

TEST(ZkConnect, ProbeClientStart) {
  const Bytes modern = connect_request();
  EXPECT_EQ(probe_client_start(modern), ZkProbe::kClientPort);
  EXPECT_EQ(probe_client_start(std::span(modern).first(4)), ZkProbe::kClientPort);  // C client: length alone
  EXPECT_EQ(probe_client_start(std::span(modern).first(6)), ZkProbe::kClientPort);
  const Bytes old = connect_request(0, false, 10000, 0, std::nullopt);
  EXPECT_EQ(probe_client_start(old), ZkProbe::kClientPort);
  Bytes bad_version = modern;
  bad_version[7] = 1;
  EXPECT_EQ(probe_client_start(bad_version), ZkProbe::kNo);
  const Bytes get = {'G', 'E', 'T', ' ', '/'};
  EXPECT_EQ(probe_client_start(get), ZkProbe::kNo);
  const Bytes tls = {0x16, 0x03, 0x01, 0x02, 0x00};
  EXPECT_EQ(probe_client_start(tls), ZkProbe::kNo);
  const Bytes ruok = {'r', 'u', 'o', 'k', '\n'};
  EXPECT_EQ(probe_client_start(ruok), ZkProbe::kFourLetterWord);
  const Bytes stmk = {'s', 't', 'm', 'k', 0, 0, 0, 0, 0, 0, 0, 0xff};
  EXPECT_EQ(probe_client_start(stmk), ZkProbe::kFourLetterWord);
  const Bytes telnet = {0xff, 0xf4, 0xff, 0xfd};
  EXPECT_EQ(probe_client_start(telnet), ZkProbe::kFourLetterWord);
  const Bytes shrt = {0, 0, 0};
  EXPECT_EQ(probe_client_start(shrt), ZkProbe::kNo);
  const Bytes unknown = {'a', 'b', 'c', 'd'};
  EXPECT_EQ(probe_client_start(unknown), ZkProbe::kNo);
}

TEST(ZkConnect, ResetMakesTheObjectNew) {
  ZkConnection c;
  RecordingSink sink;
  const ZkLimits limits;
  const Bytes req = connect_request();
  c.feed_client(req, limits, sink);
  const Bytes pending = request(1, opcode::kSync).ustring("/").frame();
  c.feed_client(pending, limits, sink);
  EXPECT_EQ(c.pending(), 1u);
  c.reset();
  EXPECT_EQ(c.pending(), 0u);
  EXPECT_FALSE(c.finished());
  EXPECT_TRUE(c.counters() == ZkCounters{});
  c.feed_client(req, limits, sink);
  const Bytes resp = connect_response(0x42);
  c.feed_server(resp, limits, sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].session_id, 0x42u);
}

TEST(ZkConnect, SizesStayModest) {
  EXPECT_LE(sizeof(ZkEvent), 4096u);
  EXPECT_LE(sizeof(ZkConnection), 48u * 1024u);
  std::printf("sizeof(ZkEvent) = %zu, sizeof(ZkConnection) = %zu\n", sizeof(ZkEvent), sizeof(ZkConnection));
}

}  // namespace
}  // namespace segward::zookeeper::testing
