// multi and multiRead: every sub-op of the request with its result from the
// reply, failed transactions, more ops than the event keeps.
#include <gtest/gtest.h>

#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::zookeeper::testing {
namespace {

Jute tx_request(std::int32_t xid) {
  Jute j = request(xid, opcode::kMulti);
  j.multi_header(opcode::kCreate, false, -1).ustring("/segward/tx-a").buffer("alpha").i32(1).acl(31, "world", "anyone").i32(0);
  j.multi_header(opcode::kCreate, false, -1).ustring("/segward/tx-b").buffer("beta").i32(1).acl(31, "world", "anyone").i32(2);
  j.multi_header(opcode::kSetData, false, -1).ustring("/segward/blob").buffer("xyz").i32(-1);
  j.multi_header(opcode::kCheck, false, -1).ustring("/segward").i32(0);
  j.multi_header(opcode::kDelete, false, -1).ustring("/segward/old").i32(4);
  j.multi_end();
  return j;
}

TEST(ZkMulti, EverySubOpAndItsResult) {
  Jute r = reply(5, 0x200, 0);
  r.multi_header(opcode::kCreate, false, 0).ustring("/segward/tx-a");
  r.multi_header(opcode::kCreate, false, 0).ustring("/segward/tx-b0000000003");
  r.multi_header(opcode::kSetData, false, 0).stat();
  r.multi_header(opcode::kCheck, false, 0);
  r.multi_header(opcode::kDelete, false, 0);
  r.multi_end();
  const Decoded d = exchange(tx_request(5).frame(), r.frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  EXPECT_EQ(d.counters.trailing_bytes_frames, 0u);
  EXPECT_EQ(opcode_name(e.opcode), "multi");
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.err, 0);
  ASSERT_EQ(e.sub_op_count, 5);
  EXPECT_EQ(e.sub_op_total, 5u);
  EXPECT_EQ(e.sub_ops[0].opcode, opcode::kCreate);
  EXPECT_EQ(e.sub_ops[0].path.view(), "/segward/tx-a");
  EXPECT_EQ(e.sub_ops[0].data_len, 5);
  EXPECT_TRUE(e.sub_ops[0].has_flags);
  EXPECT_EQ(e.sub_ops[0].flags, 0);
  EXPECT_EQ(e.sub_ops[1].flags, 2);
  EXPECT_EQ(e.sub_ops[2].opcode, opcode::kSetData);
  EXPECT_EQ(e.sub_ops[2].data_len, 3);
  EXPECT_TRUE(e.sub_ops[2].has_version);
  EXPECT_EQ(e.sub_ops[2].version, -1);
  EXPECT_EQ(e.sub_ops[3].opcode, opcode::kCheck);
  EXPECT_EQ(e.sub_ops[3].data_len, -1);
  EXPECT_EQ(e.sub_ops[4].opcode, opcode::kDelete);
  EXPECT_EQ(e.sub_ops[4].path.view(), "/segward/old");
  EXPECT_EQ(e.sub_ops[4].version, 4);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(e.sub_ops[i].replied) << i;
    EXPECT_FALSE(e.sub_ops[i].error_result) << i;
    EXPECT_EQ(e.sub_ops[i].err, 0) << i;
  }
}

TEST(ZkMulti, FailedTransactionHasPerOpErrors) {
  // Outer err 0; every slot an ErrorResponse: 0 for the ops before the
  // failing one (rolled back), its real code, RuntimeInconsistency after it
  // (DataTree.processTxn; the bundled capture shows the same).
  Jute r = reply(6, 0x201, 0);
  r.multi_header(opcode::kError, false, 0).i32(0);
  r.multi_header(opcode::kError, false, 0).i32(0);
  r.multi_header(opcode::kError, false, 0).i32(0);
  r.multi_header(opcode::kError, false, -101).i32(-101);
  r.multi_header(opcode::kError, false, -2).i32(-2);
  r.multi_end();
  const Decoded d = exchange(tx_request(6).frame(), r.frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  EXPECT_EQ(e.err, 0);
  EXPECT_EQ(d.counters.error_replies, 0u);
  ASSERT_EQ(e.sub_op_count, 5);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(e.sub_ops[i].error_result) << i;
  EXPECT_EQ(e.sub_ops[0].err, 0);
  EXPECT_EQ(e.sub_ops[2].err, 0);
  EXPECT_EQ(e.sub_ops[3].err, -101);
  EXPECT_EQ(error_name(e.sub_ops[3].err), "NoNode");
  EXPECT_EQ(e.sub_ops[4].err, -2);
  EXPECT_EQ(error_name(e.sub_ops[4].err), "RuntimeInconsistency");
}

TEST(ZkMulti, Create2AndTtlAndContainerInside) {
  Jute q = request(7, opcode::kMulti);
  q.multi_header(opcode::kCreate2, false, -1).ustring("/c2").null().i32(0).i32(0);
  q.multi_header(opcode::kCreateTtl, false, -1).ustring("/ttl").buffer("").i32(0).i32(5).i64(1000);
  q.multi_header(opcode::kCreateContainer, false, -1).ustring("/box").buffer("").i32(0).i32(4);
  q.multi_end();
  Jute r = reply(7, 1, 0);
  r.multi_header(opcode::kCreate2, false, 0).ustring("/c2").stat();
  r.multi_header(opcode::kCreate2, false, 0).ustring("/ttl").stat();
  r.multi_header(opcode::kCreate2, false, 0).ustring("/box").stat();
  r.multi_end();
  const Decoded d = exchange(q.frame(), r.frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  ASSERT_EQ(e.sub_op_count, 3);
  EXPECT_EQ(e.sub_ops[0].data_len, -1);
  EXPECT_EQ(create_mode_name(e.sub_ops[1].flags), "PERSISTENT_WITH_TTL");
  EXPECT_EQ(create_mode_name(e.sub_ops[2].flags), "CONTAINER");
  EXPECT_TRUE(e.sub_ops[2].replied);
}

TEST(ZkMulti, MultiReadResults) {
  Jute q = request(8, opcode::kMultiRead);
  q.multi_header(opcode::kGetData, false, -1).ustring("/mesos/json.info_0000000000").boolean(false);
  q.multi_header(opcode::kGetChildren, false, -1).ustring("/mesos").boolean(false);
  q.multi_end();
  Jute r = reply(8, 0, 0);
  r.multi_header(opcode::kGetData, false, 0).buffer("{\"id\":1}").stat();
  r.multi_header(opcode::kGetChildren, false, 0).i32(2).ustring("a").ustring("b");
  r.multi_end();
  const Decoded d = exchange(q.frame(), r.frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  EXPECT_EQ(opcode_name(e.opcode), "multiRead");
  ASSERT_EQ(e.sub_op_count, 2);
  EXPECT_EQ(e.sub_ops[0].path.view(), "/mesos/json.info_0000000000");
  EXPECT_EQ(e.sub_ops[0].data_len, 8);  // the result's data length (a read op sends none)
  EXPECT_EQ(e.sub_ops[1].opcode, opcode::kGetChildren);
  EXPECT_TRUE(e.sub_ops[1].replied);
}

TEST(ZkMulti, MoreThanSixteenOpsAreCounted) {
  Jute q = request(9, opcode::kMulti);
  Jute r = reply(9, 0, 0);
  for (int i = 0; i < 20; ++i) {
    q.multi_header(opcode::kDelete, false, -1).ustring("/d" + std::to_string(i)).i32(-1);
    r.multi_header(opcode::kDelete, false, 0);
  }
  q.multi_end();
  r.multi_end();
  const Decoded d = exchange(q.frame(), r.frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(e.sub_op_count, 16);
  EXPECT_EQ(e.sub_op_total, 20u);
  EXPECT_EQ(e.sub_ops[15].path.view(), "/d15");
  EXPECT_TRUE(e.sub_ops[15].replied);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
}

TEST(ZkMulti, EmptyMulti) {
  const Decoded d = exchange(request(10, opcode::kMulti).multi_end().frame(), reply(10, 0, 0).multi_end().frame());
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(e.sub_op_count, 0);
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
}

TEST(ZkMulti, OpNotAllowedInMultiIsMalformed) {
  Jute q = request(11, opcode::kMulti);
  q.multi_header(opcode::kGetAcl, false, -1).ustring("/x");
  q.multi_end();
  Conversation conv = handshake();
  conv.push_back(client(q.frame()));
  conv.push_back(client(request(12, opcode::kSync).ustring("/after").frame()));  // decoding goes on at the next frame
  conv.push_back(server(reply(11, 0, -6).frame()));
  conv.push_back(server(reply(12, 0, 0).ustring("/after").frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.malformed_multi, 1u);
  EXPECT_EQ(d.counters.malformed_frames, 1u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_TRUE(reqs[0].malformed);
  EXPECT_TRUE(reqs[0].replied);
  EXPECT_EQ(reqs[1].path.view(), "/after");
  EXPECT_TRUE(reqs[1].replied);
  EXPECT_FALSE(reqs[1].malformed);
}

TEST(ZkMulti, MultiWithoutTerminatorIsShort) {
  Jute q = request(13, opcode::kMulti);
  q.multi_header(opcode::kDelete, false, -1).ustring("/x").i32(-1);
  const Decoded d = exchange(q.frame(), reply(13, 0, -5).frame());
  EXPECT_EQ(d.counters.malformed_short_records, 1u);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_TRUE(e.malformed);
  EXPECT_EQ(e.sub_op_count, 1);
  EXPECT_EQ(e.err, -5);
}

}  // namespace
}  // namespace segward::zookeeper::testing
