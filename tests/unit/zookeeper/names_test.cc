// Stable names: opcodes, errors, create modes, watch types and states, event
// kinds, counters.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "decoders/zookeeper/zk_connection.h"

namespace segward::zookeeper {
namespace {

TEST(ZkNames, Opcodes) {
  const std::pair<std::int32_t, std::string_view> expected[] = {
      {0, "notification"},   {1, "create"},         {2, "delete"},           {3, "exists"},
      {4, "getData"},        {5, "setData"},        {6, "getACL"},           {7, "setACL"},
      {8, "getChildren"},    {9, "sync"},           {11, "ping"},            {12, "getChildren2"},
      {13, "check"},         {14, "multi"},         {15, "create2"},         {16, "reconfig"},
      {17, "checkWatches"},  {18, "removeWatches"}, {19, "createContainer"}, {20, "deleteContainer"},
      {21, "createTTL"},     {22, "multiRead"},     {100, "auth"},           {101, "setWatches"},
      {102, "sasl"},         {103, "getEphemerals"}, {104, "getAllChildrenNumber"}, {105, "setWatches2"},
      {106, "addWatch"},     {107, "whoAmI"},       {-10, "createSession"},  {-11, "closeSession"},
      {-1, "error"},
  };
  for (const auto& [op, name] : expected) EXPECT_EQ(opcode_name(op), name) << op;
  EXPECT_EQ(opcode_name(10), "");
  EXPECT_EQ(opcode_name(108), "");
  EXPECT_EQ(opcode_name(-2), "");
}

TEST(ZkNames, Errors) {
  const std::pair<std::int32_t, std::string_view> expected[] = {
      {0, "OK"},
      {-1, "SystemError"},
      {-2, "RuntimeInconsistency"},
      {-3, "DataInconsistency"},
      {-4, "ConnectionLoss"},
      {-5, "MarshallingError"},
      {-6, "Unimplemented"},
      {-7, "OperationTimeout"},
      {-8, "BadArguments"},
      {-12, "UnknownSession"},
      {-13, "NewConfigNoQuorum"},
      {-14, "ReconfigInProgress"},
      {-100, "APIError"},
      {-101, "NoNode"},
      {-102, "NoAuth"},
      {-103, "BadVersion"},
      {-108, "NoChildrenForEphemerals"},
      {-110, "NodeExists"},
      {-111, "NotEmpty"},
      {-112, "SessionExpired"},
      {-113, "InvalidCallback"},
      {-114, "InvalidACL"},
      {-115, "AuthFailed"},
      {-118, "SessionMoved"},
      {-119, "NotReadOnly"},
      {-120, "EphemeralOnLocalSession"},
      {-121, "NoWatcher"},
      {-122, "RequestTimeout"},
      {-123, "ReconfigDisabled"},
      {-124, "SessionClosedRequireSaslAuth"},
      {-125, "QuotaExceeded"},
      {-127, "ThrottledOp"},
  };
  for (const auto& [err, name] : expected) EXPECT_EQ(error_name(err), name) << err;
  EXPECT_EQ(error_name(-9), "");
  EXPECT_EQ(error_name(1), "");
}

TEST(ZkNames, CreateModes) {
  EXPECT_EQ(create_mode_name(0), "PERSISTENT");
  EXPECT_EQ(create_mode_name(1), "EPHEMERAL");
  EXPECT_EQ(create_mode_name(2), "PERSISTENT_SEQUENTIAL");
  EXPECT_EQ(create_mode_name(3), "EPHEMERAL_SEQUENTIAL");
  EXPECT_EQ(create_mode_name(4), "CONTAINER");
  EXPECT_EQ(create_mode_name(5), "PERSISTENT_WITH_TTL");
  EXPECT_EQ(create_mode_name(6), "PERSISTENT_SEQUENTIAL_WITH_TTL");
  EXPECT_EQ(create_mode_name(7), "");
  EXPECT_EQ(create_mode_name(-1), "");
}

TEST(ZkNames, WatchesAndStates) {
  EXPECT_EQ(watch_event_type_name(-1), "None");
  EXPECT_EQ(watch_event_type_name(1), "NodeCreated");
  EXPECT_EQ(watch_event_type_name(2), "NodeDeleted");
  EXPECT_EQ(watch_event_type_name(3), "NodeDataChanged");
  EXPECT_EQ(watch_event_type_name(4), "NodeChildrenChanged");
  EXPECT_EQ(watch_event_type_name(5), "DataWatchRemoved");
  EXPECT_EQ(watch_event_type_name(6), "ChildWatchRemoved");
  EXPECT_EQ(watch_event_type_name(7), "PersistentWatchRemoved");
  EXPECT_EQ(watch_event_type_name(0), "");
  EXPECT_EQ(keeper_state_name(0), "Disconnected");
  EXPECT_EQ(keeper_state_name(3), "SyncConnected");
  EXPECT_EQ(keeper_state_name(4), "AuthFailed");
  EXPECT_EQ(keeper_state_name(5), "ConnectedReadOnly");
  EXPECT_EQ(keeper_state_name(6), "SaslAuthenticated");
  EXPECT_EQ(keeper_state_name(7), "Closed");
  EXPECT_EQ(keeper_state_name(-112), "Expired");
  EXPECT_EQ(keeper_state_name(1), "");
  EXPECT_EQ(watcher_type_name(1), "Children");
  EXPECT_EQ(watcher_type_name(2), "Data");
  EXPECT_EQ(watcher_type_name(3), "Any");
  EXPECT_EQ(watcher_type_name(4), "Persistent");
  EXPECT_EQ(watcher_type_name(5), "PersistentRecursive");
  EXPECT_EQ(watcher_type_name(0), "");
  EXPECT_EQ(add_watch_mode_name(0), "PERSISTENT");
  EXPECT_EQ(add_watch_mode_name(1), "PERSISTENT_RECURSIVE");
  EXPECT_EQ(add_watch_mode_name(2), "");
}

TEST(ZkNames, EventKinds) {
  EXPECT_EQ(event_kind_name(ZkEventKind::kRequest), "request");
  EXPECT_EQ(event_kind_name(ZkEventKind::kConnect), "connect");
  EXPECT_EQ(event_kind_name(ZkEventKind::kNotification), "notification");
  EXPECT_EQ(event_kind_name(ZkEventKind::kFourLetterWord), "four_letter_word");
  EXPECT_EQ(event_kind_name(ZkEventKind::kAdminCommand), "admin_command");
  EXPECT_EQ(event_kind_name(ZkEventKind::kFrameTooLarge), "frame_too_large");
}

TEST(ZkNames, CountersAreUniqueAndSummable) {
  std::set<std::string_view> names;
  for (const auto& f : kZkCounterFields) {
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_FALSE(f.description.empty()) << f.name;
  }
  ZkCounters a, b;
  a.requests = 2;
  b.requests = 3;
  b.pings = 1;
  a += b;
  EXPECT_EQ(a.requests, 5u);
  EXPECT_EQ(a.pings, 1u);
  EXPECT_EQ(a.*(kZkCounterFields[0].member), 0u);
}

TEST(ZkNames, EventResetLeavesNoStaleBytes) {
  ZkEvent e;
  std::memset(static_cast<void*>(&e), 0x5a, sizeof(e));
  e.reset();
  EXPECT_EQ(e.data_len, -1);
  EXPECT_EQ(e.detail.reply_data_len, -1);
  EXPECT_EQ(e.detail.reply_count, -1);
  EXPECT_TRUE(e.path.empty());
  EXPECT_EQ(e.path.bytes[255], 0);
  EXPECT_FALSE(e.replied);
  ZkEvent fresh;
  EXPECT_EQ(std::memcmp(&e, &fresh, sizeof(e)), 0);
  e.use_sub_ops();
  for (const auto& op : e.sub_ops) EXPECT_TRUE(op.path.empty());
}

}  // namespace
}  // namespace segward::zookeeper
