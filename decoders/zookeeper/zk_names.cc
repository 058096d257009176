// Stable names for the numbers ZooKeeper puts on the wire (ZooDefs,
// KeeperException.Code, CreateMode, Watcher.Event), and the four-letter words.
#include <array>
#include <cstdint>
#include <string_view>

#include "decoders/zookeeper/zk_event.h"

namespace segward::zookeeper {

std::string_view opcode_name(std::int32_t op) noexcept {
  switch (op) {
    case opcode::kNotification: return "notification";
    case opcode::kCreate: return "create";
    case opcode::kDelete: return "delete";
    case opcode::kExists: return "exists";
    case opcode::kGetData: return "getData";
    case opcode::kSetData: return "setData";
    case opcode::kGetAcl: return "getACL";
    case opcode::kSetAcl: return "setACL";
    case opcode::kGetChildren: return "getChildren";
    case opcode::kSync: return "sync";
    case opcode::kPing: return "ping";
    case opcode::kGetChildren2: return "getChildren2";
    case opcode::kCheck: return "check";
    case opcode::kMulti: return "multi";
    case opcode::kCreate2: return "create2";
    case opcode::kReconfig: return "reconfig";
    case opcode::kCheckWatches: return "checkWatches";
    case opcode::kRemoveWatches: return "removeWatches";
    case opcode::kCreateContainer: return "createContainer";
    case opcode::kDeleteContainer: return "deleteContainer";
    case opcode::kCreateTtl: return "createTTL";
    case opcode::kMultiRead: return "multiRead";
    case opcode::kAuth: return "auth";
    case opcode::kSetWatches: return "setWatches";
    case opcode::kSasl: return "sasl";
    case opcode::kGetEphemerals: return "getEphemerals";
    case opcode::kGetAllChildrenNumber: return "getAllChildrenNumber";
    case opcode::kSetWatches2: return "setWatches2";
    case opcode::kAddWatch: return "addWatch";
    case opcode::kWhoAmI: return "whoAmI";
    case opcode::kCreateSession: return "createSession";
    case opcode::kCloseSession: return "closeSession";
    case opcode::kError: return "error";
    default: return "";
  }
}

std::string_view error_name(std::int32_t err) noexcept {
  switch (err) {
    case 0: return "OK";
    case -1: return "SystemError";
    case -2: return "RuntimeInconsistency";
    case -3: return "DataInconsistency";
    case -4: return "ConnectionLoss";
    case -5: return "MarshallingError";
    case -6: return "Unimplemented";
    case -7: return "OperationTimeout";
    case -8: return "BadArguments";
    case -12: return "UnknownSession";
    case -13: return "NewConfigNoQuorum";
    case -14: return "ReconfigInProgress";
    case -100: return "APIError";
    case -101: return "NoNode";
    case -102: return "NoAuth";
    case -103: return "BadVersion";
    case -108: return "NoChildrenForEphemerals";
    case -110: return "NodeExists";
    case -111: return "NotEmpty";
    case -112: return "SessionExpired";
    case -113: return "InvalidCallback";
    case -114: return "InvalidACL";
    case -115: return "AuthFailed";
    case -118: return "SessionMoved";
    case -119: return "NotReadOnly";
    case -120: return "EphemeralOnLocalSession";
    case -121: return "NoWatcher";
    case -122: return "RequestTimeout";
    case -123: return "ReconfigDisabled";
    case -124: return "SessionClosedRequireSaslAuth";
    case -125: return "QuotaExceeded";
    case -127: return "ThrottledOp";
    default: return "";
  }
}

std::string_view create_mode_name(std::int32_t flags) noexcept {
  switch (flags) {
    case 0: return "PERSISTENT";
    case 1: return "EPHEMERAL";
    case 2: return "PERSISTENT_SEQUENTIAL";
    case 3: return "EPHEMERAL_SEQUENTIAL";
    case 4: return "CONTAINER";
    case 5: return "PERSISTENT_WITH_TTL";
    case 6: return "PERSISTENT_SEQUENTIAL_WITH_TTL";
    default: return "";
  }
}

std::string_view watch_event_type_name(std::int32_t type) noexcept {
  switch (type) {
    case -1: return "None";
    case 1: return "NodeCreated";
    case 2: return "NodeDeleted";
    case 3: return "NodeDataChanged";
    case 4: return "NodeChildrenChanged";
    case 5: return "DataWatchRemoved";
    case 6: return "ChildWatchRemoved";
    case 7: return "PersistentWatchRemoved";
    default: return "";
  }
}

std::string_view keeper_state_name(std::int32_t state) noexcept {
  switch (state) {
    case 0: return "Disconnected";
    case 3: return "SyncConnected";
    case 4: return "AuthFailed";
    case 5: return "ConnectedReadOnly";
    case 6: return "SaslAuthenticated";
    case 7: return "Closed";
    case -112: return "Expired";
    default: return "";
  }
}

std::string_view watcher_type_name(std::int32_t type) noexcept {
  switch (type) {
    case 1: return "Children";
    case 2: return "Data";
    case 3: return "Any";
    case 4: return "Persistent";
    case 5: return "PersistentRecursive";
    default: return "";
  }
}

std::string_view add_watch_mode_name(std::int32_t mode) noexcept {
  switch (mode) {
    case 0: return "PERSISTENT";
    case 1: return "PERSISTENT_RECURSIVE";
    default: return "";
  }
}

std::string_view event_kind_name(ZkEventKind kind) noexcept {
  switch (kind) {
    case ZkEventKind::kRequest: return "request";
    case ZkEventKind::kConnect: return "connect";
    case ZkEventKind::kNotification: return "notification";
    case ZkEventKind::kFourLetterWord: return "four_letter_word";
    case ZkEventKind::kAdminCommand: return "admin_command";
    case ZkEventKind::kFrameTooLarge: return "frame_too_large";
  }
  return "";
}

namespace {

// FourLetterCommands (3.8), plus the words of older servers (reqs, kill).
constexpr std::array<std::string_view, 21> kWords = {
    "ruok", "srvr", "stat", "conf", "cons", "crst", "dump", "envi", "mntr", "wchs", "wchc",
    "wchp", "dirs", "isro", "gtmk", "stmk", "srst", "hash", "reqs", "kill", "\xff\xf4\xff\xfd",
};

}  // namespace

bool is_four_letter_word(const std::array<char, 4>& word) noexcept {
  const std::string_view w(word.data(), word.size());
  for (const std::string_view known : kWords) {
    if (w == known) return true;
  }
  return false;
}

std::string_view four_letter_word_text(const std::array<char, 4>& word) noexcept {
  const std::string_view w(word.data(), word.size());
  if (w == kWords.back()) return "telnet_close";
  if (w == std::string_view("\0\0\0\0", 4)) return "";
  return w;
}

}  // namespace segward::zookeeper
