// Every opcode of the research table: the request's fields and what its
// reply adds, one request/reply pair at a time after a handshake.
#include <gtest/gtest.h>

#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::zookeeper::testing {
namespace {

const ZkEvent& only_request(const Decoded& d) {
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  EXPECT_EQ(d.counters.trailing_bytes_frames, 0u);
  EXPECT_EQ(d.counters.unpaired_replies, 0u);
  return e;
}

TEST(ZkRequest, CreateEphemeralSequentialWithItsRealName) {
  const Decoded d = exchange(request(3, opcode::kCreate)
                                 .ustring("/mesos/json.info_")
                                 .buffer(R"({"id":"m1","port":5050})")
                                 .i32(1)
                                 .acl(31, "world", "anyone")
                                 .i32(3)
                                 .frame(),
                             reply(3, 0x100000004, 0).ustring("/mesos/json.info_0000000000").frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(e.opcode, opcode::kCreate);
  EXPECT_EQ(opcode_name(e.opcode), "create");
  EXPECT_EQ(e.xid, 3);
  EXPECT_EQ(e.path.view(), "/mesos/json.info_");
  EXPECT_EQ(e.data_len, 23);
  ASSERT_EQ(e.acl_count, 1);
  EXPECT_EQ(e.acl_total, 1u);
  EXPECT_EQ(e.acl[0].perms, 31);
  EXPECT_EQ(e.acl[0].scheme.view(), "world");
  EXPECT_EQ(e.acl[0].id.view(), "anyone");
  EXPECT_TRUE(e.has_flags);
  EXPECT_EQ(e.flags, 3);
  EXPECT_EQ(create_mode_name(e.flags), "EPHEMERAL_SEQUENTIAL");
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.err, 0);
  EXPECT_EQ(e.zxid, 0x100000004);
  EXPECT_EQ(e.created_path.view(), "/mesos/json.info_0000000000");
  EXPECT_FALSE(e.truncated);
  EXPECT_FALSE(e.malformed);
  EXPECT_FALSE(e.incomplete);
}

TEST(ZkRequest, CreateWithNullDataAndNullAcl) {
  const Decoded d = exchange(request(1, opcode::kCreate).ustring("/n").null().null().i32(0).frame(),
                             reply(1, 2, 0).ustring("/n").frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(e.data_len, -1);
  EXPECT_EQ(e.acl_count, 0);
  EXPECT_EQ(e.acl_total, 0u);
  EXPECT_EQ(e.flags, 0);
}

TEST(ZkRequest, CreateKeepsFourAclsAndCountsAll) {
  Jute j = request(1, opcode::kCreate).ustring("/acl").buffer("").i32(6);
  for (int i = 0; i < 6; ++i) j.acl(1 << (i % 5), "digest", "user" + std::to_string(i) + ":hash=");
  j.i32(0);
  const Decoded d = exchange(j.frame(), reply(1, 2, 0).ustring("/acl").frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(e.acl_count, 4);
  EXPECT_EQ(e.acl_total, 6u);
  EXPECT_EQ(e.acl[3].id.view(), "user3:hash=");
  EXPECT_EQ(e.acl[3].perms, 8);
  EXPECT_EQ(e.data_len, 0);
}

TEST(ZkRequest, Create2AndContainerAndTtlCarryTheStat) {
  for (const std::int32_t op : {opcode::kCreate2, opcode::kCreateContainer}) {
    const Decoded d = exchange(request(5, op).ustring("/c").buffer("x").i32(1).acl(31, "world", "anyone").i32(op == opcode::kCreate2 ? 2 : 4).frame(),
                               reply(5, 7, 0).ustring("/c0000000001").stat(7, 7, 0, 0, 1, 0).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(e.opcode, op);
    EXPECT_EQ(e.created_path.view(), "/c0000000001");
    EXPECT_TRUE(e.detail.has_stat);
    EXPECT_EQ(e.detail.stat.czxid, 7);
    EXPECT_EQ(e.detail.stat.data_length, 1);
  }
  const Decoded d = exchange(
      request(6, opcode::kCreateTtl).ustring("/t").buffer("").i32(1).acl(31, "world", "anyone").i32(6).i64(60000).frame(),
      reply(6, 8, 0).ustring("/t0000000002").stat().frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "createTTL");
  EXPECT_TRUE(e.detail.has_ttl);
  EXPECT_EQ(e.detail.ttl_ms, 60000);
  EXPECT_EQ(create_mode_name(e.flags), "PERSISTENT_SEQUENTIAL_WITH_TTL");
  EXPECT_EQ(e.created_path.view(), "/t0000000002");
}

TEST(ZkRequest, CreateRefusedHasNoBody) {
  const Decoded d = exchange(request(2, opcode::kCreate).ustring("/segward/secured/x").buffer("").i32(0).i32(0).frame(),
                             reply(2, 0x30, -102).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.err, -102);
  EXPECT_EQ(error_name(e.err), "NoAuth");
  EXPECT_EQ(e.zxid, 0x30);  // refused writes still consume a zxid
  EXPECT_TRUE(e.created_path.empty());
  EXPECT_EQ(d.counters.error_replies, 1u);
}

TEST(ZkRequest, DeleteAndDeleteContainer) {
  for (const std::int32_t op : {opcode::kDelete, opcode::kDeleteContainer}) {
    const Decoded d = exchange(request(9, op).ustring("/mesos/json.info_0000000000").i32(-1).frame(), reply(9, 0x40, 0).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(e.path.view(), "/mesos/json.info_0000000000");
    EXPECT_TRUE(e.has_version);
    EXPECT_EQ(e.version, -1);
    EXPECT_TRUE(e.replied);
  }
}

TEST(ZkRequest, ExistsWithWatchAndNoNode) {
  const Decoded d = exchange(request(1, opcode::kExists).ustring("/mesos").boolean(true).frame(), reply(1, 0, -101).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_TRUE(e.watch);
  EXPECT_EQ(error_name(e.err), "NoNode");
  EXPECT_FALSE(e.detail.has_stat);
}

TEST(ZkRequest, ExistsReplyStat) {
  const Decoded d = exchange(request(1, opcode::kExists).ustring("/mesos/json.info_0000000003").boolean(false).frame(),
                             reply(1, 0, 0).stat(0x21, 0x22, 4, 0x100000a5c2e0001LL, 120, 0).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_FALSE(e.watch);
  ASSERT_TRUE(e.detail.has_stat);
  EXPECT_EQ(e.detail.stat.czxid, 0x21);
  EXPECT_EQ(e.detail.stat.mzxid, 0x22);
  EXPECT_EQ(e.detail.stat.version, 4);
  EXPECT_EQ(e.detail.stat.ephemeral_owner, 0x100000a5c2e0001LL);
  EXPECT_EQ(e.detail.stat.data_length, 120);
  EXPECT_EQ(e.detail.stat.pzxid, 0x22);
}

TEST(ZkRequest, GetDataReplyLength) {
  const Decoded d = exchange(request(4, opcode::kGetData).ustring("/mesos/json.info_0000000000").boolean(false).frame(),
                             reply(4, 0x50, 0).buffer(R"({"address":{"ip":"192.0.2.21"}})").stat().frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(e.detail.reply_data_len, 31);
  EXPECT_TRUE(e.detail.has_stat);
  EXPECT_EQ(e.data_len, -1);
}

TEST(ZkRequest, SetData) {
  const Decoded d = exchange(request(8, opcode::kSetData).ustring("/segward/blob").buffer_of(1000).i32(3).frame(),
                             reply(8, 0x60, 0).stat(1, 0x60, 4).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(e.data_len, 1000);
  EXPECT_EQ(e.version, 3);
  EXPECT_EQ(e.detail.stat.version, 4);
}

TEST(ZkRequest, GetAclReplyKeepsTheAcls) {
  const Decoded d = exchange(request(10, opcode::kGetAcl).ustring("/segward/secured").frame(),
                             reply(10, 0, 0).i32(2).acl(31, "digest", "mesos:k8Zr4PgGQo0gyKKl0sdpL3FsO3A=").acl(1, "digest", "agent:x=").stat().frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "getACL");
  ASSERT_EQ(e.acl_count, 2);
  EXPECT_EQ(e.acl[0].scheme.view(), "digest");
  EXPECT_EQ(e.acl[0].id.view(), "mesos:k8Zr4PgGQo0gyKKl0sdpL3FsO3A=");
  EXPECT_EQ(e.acl[1].perms, 1);
  EXPECT_TRUE(e.detail.has_stat);
}

TEST(ZkRequest, SetAcl) {
  const Decoded d = exchange(request(11, opcode::kSetAcl).ustring("/mesos").i32(1).acl(31, "world", "anyone").i32(-1).frame(),
                             reply(11, 0x70, 0).stat().frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "setACL");
  EXPECT_EQ(e.path.view(), "/mesos");
  EXPECT_EQ(e.acl_count, 1);
  EXPECT_EQ(e.version, -1);
  EXPECT_TRUE(e.has_version);
}

TEST(ZkRequest, GetChildrenAndGetChildren2) {
  {
    const Decoded d = exchange(request(12, opcode::kGetChildren).ustring("/mesos").boolean(true).frame(),
                               reply(12, 0, 0).i32(3).ustring("json.info_0000000000").ustring("json.info_0000000001").ustring("log_replicas").frame());
    const ZkEvent& e = only_request(d);
    EXPECT_TRUE(e.watch);
    EXPECT_EQ(e.detail.reply_count, 3);
  }
  {
    const Decoded d = exchange(request(13, opcode::kGetChildren2).ustring("/segward").boolean(false).frame(),
                               reply(13, 0, 0).i32(1).ustring("tx-a").stat(1, 2, 0, 0, 0, 1).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(opcode_name(e.opcode), "getChildren2");
    EXPECT_EQ(e.detail.reply_count, 1);
    EXPECT_EQ(e.detail.stat.num_children, 1);
  }
}

TEST(ZkRequest, Sync) {
  const Decoded d = exchange(request(14, opcode::kSync).ustring("/segward").frame(), reply(14, 0, 0).ustring("/segward").frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(e.path.view(), "/segward");
  EXPECT_TRUE(e.replied);
}

TEST(ZkRequest, PingIsCountedNotEmitted) {
  Conversation conv = handshake();
  for (int i = 0; i < 3; ++i) {
    conv.push_back(client(request(xid::kPing, opcode::kPing).frame()));
    conv.push_back(server(reply(xid::kPing, 0x9, 0).frame()));
  }
  const Decoded d = decode(conv);
  EXPECT_EQ(d.requests().size(), 0u);
  EXPECT_EQ(d.counters.pings, 3u);
  EXPECT_EQ(d.counters.ping_replies, 3u);
  EXPECT_EQ(d.counters.unpaired_replies, 0u);
  EXPECT_EQ(d.counters.requests, 3u);
}

TEST(ZkRequest, StandaloneCheck) {
  const Decoded d = exchange(request(15, opcode::kCheck).ustring("/a").i32(2).frame(), reply(15, 0, -6).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "check");
  EXPECT_EQ(e.version, 2);
  EXPECT_EQ(error_name(e.err), "Unimplemented");
}

TEST(ZkRequest, Reconfig) {
  const Decoded d = exchange(request(16, opcode::kReconfig)
                                 .ustring("server.4=192.0.2.14:2888:3888:participant;2181")
                                 .ustring("3")
                                 .null()
                                 .i64(-1)
                                 .frame(),
                             reply(16, 0x80, 0).buffer("server.1=...\nversion=100000080").stat().frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "reconfig");
  EXPECT_EQ(e.detail.reconfig_joining.view(), "server.4=192.0.2.14:2888:3888:participant;2181");
  EXPECT_EQ(e.detail.reconfig_leaving.view(), "3");
  EXPECT_TRUE(e.detail.reconfig_members.empty());
  EXPECT_EQ(e.detail.reconfig_config_id, -1);
  EXPECT_EQ(e.detail.reply_data_len, 30);
}

TEST(ZkRequest, CheckWatchesAndRemoveWatches) {
  for (const std::int32_t op : {opcode::kCheckWatches, opcode::kRemoveWatches}) {
    const Decoded d = exchange(request(17, op).ustring("/mesos").i32(3).frame(), reply(17, 0, op == opcode::kRemoveWatches ? -121 : 0).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_TRUE(e.detail.has_watcher_type);
    EXPECT_EQ(e.detail.watcher_type, 3);
    EXPECT_EQ(watcher_type_name(e.detail.watcher_type), "Any");
  }
}

TEST(ZkRequest, DigestAuthKeepsTheUserNeverThePassword) {
  const Decoded d = exchange(request(xid::kAuth, opcode::kAuth).i32(0).ustring("digest").buffer("mesos:s3cret-demo").frame(),
                             reply(xid::kAuth, 0, 0).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "auth");
  EXPECT_EQ(e.xid, -4);
  EXPECT_EQ(e.auth_scheme.view(), "digest");
  EXPECT_TRUE(e.credentials_sent);
  EXPECT_EQ(e.auth_user.view(), "mesos");
  EXPECT_EQ(e.data_len, 17);
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(d.counters.auth_requests, 1u);
  // The password is nowhere in the event.
  const auto* p = reinterpret_cast<const char*>(&e);
  EXPECT_EQ(std::string_view(p, sizeof(e)).find("s3cret"), std::string_view::npos);
}

TEST(ZkRequest, AuthFailedAndOtherSchemes) {
  {
    const Decoded d = exchange(request(xid::kAuth, opcode::kAuth).i32(0).ustring("digest").buffer("nocolon-secret").frame(),
                               reply(xid::kAuth, 0, -115).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(error_name(e.err), "AuthFailed");
    EXPECT_TRUE(e.auth_user.empty());  // no ':' -> the user cannot be told from the secret
  }
  {
    const Decoded d = exchange(request(xid::kAuth, opcode::kAuth).i32(0).ustring("ip").buffer("token:secret").frame(),
                               reply(xid::kAuth, 0, 0).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(e.auth_scheme.view(), "ip");
    EXPECT_TRUE(e.auth_user.empty());  // only digest credentials are user:password
  }
  {
    const Decoded d = exchange(request(xid::kAuth, opcode::kAuth).i32(0).ustring("digest").buffer("").frame(), reply(xid::kAuth, 0, 0).frame());
    EXPECT_FALSE(only_request(d).credentials_sent);
  }
}

TEST(ZkRequest, AuthReplyOvertakesEarlierRequests) {
  // The server answers auth at once, before requests still in its pipeline.
  Conversation conv = handshake();
  conv.push_back(client(request(1, opcode::kGetData).ustring("/a").boolean(false).frame()));
  conv.push_back(client(request(xid::kAuth, opcode::kAuth).i32(0).ustring("digest").buffer("u:p").frame()));
  conv.push_back(server(reply(xid::kAuth, 0, 0).frame()));
  conv.push_back(server(reply(1, 5, 0).buffer("d").stat().frame()));
  const Decoded d = decode(conv);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].opcode, opcode::kAuth);
  EXPECT_TRUE(reqs[0].replied);
  EXPECT_EQ(reqs[1].opcode, opcode::kGetData);
  EXPECT_TRUE(reqs[1].replied);
  EXPECT_EQ(d.counters.unpaired_replies, 0u);
}

TEST(ZkRequest, SetWatchesAfterReconnect) {
  const Decoded d = exchange(request(xid::kSetWatches, opcode::kSetWatches)
                                 .i64(0x500000010)
                                 .i32(0)
                                 .i32(1).ustring("/mesos/json.info_0000000000")
                                 .i32(2).ustring("/mesos").ustring("/segward")
                                 .frame(),
                             reply(xid::kSetWatches, 0, 0).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "setWatches");
  EXPECT_EQ(e.detail.relative_zxid, 0x500000010);
  EXPECT_EQ(e.detail.watch_counts[0], 0u);
  EXPECT_EQ(e.detail.watch_counts[1], 1u);
  EXPECT_EQ(e.detail.watch_counts[2], 2u);
  EXPECT_EQ(e.path.view(), "/mesos/json.info_0000000000");  // the first watched path
  EXPECT_TRUE(e.replied);
}

TEST(ZkRequest, SetWatches2) {
  const Decoded d = exchange(request(xid::kSetWatches, opcode::kSetWatches2)
                                 .i64(7)
                                 .i32(1).ustring("/d")
                                 .i32(0)
                                 .i32(0)
                                 .i32(1).ustring("/p")
                                 .i32(1).ustring("/")
                                 .frame(),
                             reply(xid::kSetWatches, 0, 0).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "setWatches2");
  EXPECT_EQ(e.detail.watch_counts[3], 1u);
  EXPECT_EQ(e.detail.watch_counts[4], 1u);
  EXPECT_EQ(e.path.view(), "/d");
}

TEST(ZkRequest, SaslDigestMd5UsernameAndTokenLengths) {
  const std::string response =
      R"(charset=utf-8,username="bob",realm="zk-sasl-md5",nonce="abc",nc=00000001,cnonce="x",digest-uri="zookeeper/zk-sasl-md5",maxbuf=65536,response=0123456789abcdef0123456789abcdef,qop=auth)";
  const Decoded d = exchange(request(2, opcode::kSasl).buffer(response).frame(), reply(2, 0, 0).buffer("rspauth=00112233445566778899aabbccddeeff").frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "sasl");
  EXPECT_EQ(e.auth_scheme.view(), "sasl");
  EXPECT_EQ(e.auth_user.view(), "bob");
  EXPECT_EQ(e.detail.sasl_mechanism, ZkSaslMechanism::kDigestMd5);
  EXPECT_EQ(e.data_len, static_cast<std::int64_t>(response.size()));
  EXPECT_EQ(e.detail.reply_data_len, 40);
  EXPECT_EQ(d.counters.sasl_requests, 1u);
}

TEST(ZkRequest, SaslGssapiAndEmptyFirstToken) {
  {
    const std::string token = std::string("\x60\x82\x02\x10\x06\x09", 6) + std::string(100, '\x01');
    const Decoded d = exchange(request(1, opcode::kSasl).buffer(token).frame(), reply(1, 0, 0).buffer_of(80, 0x60).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(e.detail.sasl_mechanism, ZkSaslMechanism::kGssapi);
    EXPECT_TRUE(e.auth_user.empty());
  }
  {
    const Decoded d = exchange(request(1, opcode::kSasl).buffer("").frame(),
                               reply(1, 0, 0).buffer(R"(realm="zk-sasl-md5",nonce="n",charset=utf-8,algorithm=md5-sess)").frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(e.data_len, 0);
    EXPECT_EQ(e.detail.sasl_mechanism, ZkSaslMechanism::kUnknown);
  }
}

TEST(ZkRequest, GetEphemeralsAndGetAllChildrenNumber) {
  {
    const Decoded d = exchange(request(20, opcode::kGetEphemerals).ustring("/mesos").frame(),
                               reply(20, 0, 0).i32(2).ustring("/mesos/json.info_0000000000").ustring("/mesos/json.info_0000000001").frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(opcode_name(e.opcode), "getEphemerals");
    EXPECT_EQ(e.path.view(), "/mesos");
    EXPECT_EQ(e.detail.reply_count, 2);
  }
  {
    const Decoded d = exchange(request(21, opcode::kGetAllChildrenNumber).ustring("/").frame(), reply(21, 0, 0).i32(42).frame());
    const ZkEvent& e = only_request(d);
    EXPECT_EQ(opcode_name(e.opcode), "getAllChildrenNumber");
    EXPECT_EQ(e.detail.reply_count, 42);
  }
}

TEST(ZkRequest, AddWatchRecursive) {
  const Decoded d = exchange(request(22, opcode::kAddWatch).ustring("/").i32(1).frame(), reply(22, 0, 0).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "addWatch");
  EXPECT_TRUE(e.detail.has_watch_mode);
  EXPECT_EQ(add_watch_mode_name(e.detail.watch_mode), "PERSISTENT_RECURSIVE");
}

TEST(ZkRequest, WhoAmIIdentities) {
  const Decoded d = exchange(request(23, opcode::kWhoAmI).frame(),
                             reply(23, 0, 0).i32(2).ustring("ip").ustring("192.0.2.20").ustring("digest").ustring("mesos").frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "whoAmI");
  ASSERT_EQ(e.acl_count, 2);
  EXPECT_EQ(e.acl[0].scheme.view(), "ip");
  EXPECT_EQ(e.acl[0].id.view(), "192.0.2.20");
  EXPECT_EQ(e.acl[1].scheme.view(), "digest");
  EXPECT_EQ(e.acl[1].id.view(), "mesos");
  EXPECT_EQ(e.acl[1].perms, 0);
}

TEST(ZkRequest, CloseSession) {
  const Decoded d = exchange(request(24, opcode::kCloseSession).frame(), reply(24, 0x99, 0).frame());
  const ZkEvent& e = only_request(d);
  EXPECT_EQ(opcode_name(e.opcode), "closeSession");
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.zxid, 0x99);
}

TEST(ZkRequest, UnknownOpcodeIsReportedAndPaired) {
  const Decoded d = exchange(request(25, 77).i32(1).i32(2).frame(), reply(25, 0, 0).i64(5).frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(e.opcode, 77);
  EXPECT_EQ(opcode_name(e.opcode), "");
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(d.counters.unknown_opcodes, 1u);
  EXPECT_EQ(d.counters.trailing_bytes_frames, 0u);  // skipped on purpose, not an anomaly
  EXPECT_EQ(d.counters.malformed_frames, 0u);
}

TEST(ZkRequest, NotificationEvent) {
  Conversation conv = handshake();
  conv.push_back(server(reply(-1, -1, 0).i32(4).i32(3).ustring("/mesos").frame()));
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kNotification);
  EXPECT_EQ(e.xid, -1);
  EXPECT_EQ(e.zxid, -1);
  EXPECT_EQ(watch_event_type_name(e.watch_event_type), "NodeChildrenChanged");
  EXPECT_EQ(keeper_state_name(e.keeper_state), "SyncConnected");
  EXPECT_EQ(e.path.view(), "/mesos");
  EXPECT_EQ(d.counters.notifications, 1u);
}

TEST(ZkRequest, PipelinedRequestsPairInOrder) {
  Conversation conv = handshake();
  Bytes reqs, reps;
  for (int i = 1; i <= 6; ++i) {
    const Bytes q = request(i, opcode::kExists).ustring("/p" + std::to_string(i)).boolean(false).frame();
    reqs.insert(reqs.end(), q.begin(), q.end());
    const Bytes r = reply(i, 100 + i, i % 2 == 0 ? -101 : 0).frame();
    Bytes full = r;
    if (i % 2 != 0) full = reply(i, 100 + i, 0).stat().frame();
    reps.insert(reps.end(), full.begin(), full.end());
  }
  conv.push_back(client(reqs));  // kazoo pipelines many per segment
  conv.push_back(server(reps));
  const Decoded d = decode(conv);
  const auto r = d.requests();
  ASSERT_EQ(r.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(r[i].xid, i + 1);
    EXPECT_EQ(r[i].path.view(), "/p" + std::to_string(i + 1));
    EXPECT_EQ(r[i].zxid, 101 + i);
    EXPECT_EQ(r[i].err, (i + 1) % 2 == 0 ? -101 : 0);
  }
  EXPECT_EQ(d.counters.requests, 6u);
  EXPECT_EQ(d.counters.replies, 6u);
}

TEST(ZkRequest, LongPathIsCutAndFlagged) {
  const std::string path = "/" + std::string(400, 'p');
  const Decoded d = exchange(request(1, opcode::kGetData).ustring(path).boolean(true).frame(), reply(1, 0, -101).frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(e.path.size, 256u);
  EXPECT_TRUE(e.path.truncated);
  EXPECT_TRUE(e.truncated);
  EXPECT_TRUE(e.watch);  // the field after the cut text is still read
  EXPECT_EQ(d.counters.truncated_texts, 1u);
}

TEST(ZkRequest, UnpairedReplyIsCounted) {
  Conversation conv = handshake();
  conv.push_back(server(reply(99, 1, 0).stat().frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.requests().size(), 0u);
  EXPECT_EQ(d.counters.unpaired_replies, 1u);
}

}  // namespace
}  // namespace segward::zookeeper::testing
