#pragma once
// What the ZooKeeper client-port decoder (zk_connection.h) reports: one
// fixed-size, trivially copyable value per request/reply pair, connect
// handshake, watch notification, four-letter word, AdminServer command or
// oversize frame, so a dataplane worker fills it without allocating and
// copies it whole into the event ring. Every text field keeps at most its
// capacity; `truncated` says some wire text was longer.
//
// Secrets never enter this struct: the connect password is reduced to
// "non-zero bytes were sent", a digest AuthPacket to the user before ':',
// a SASL token to its length (and a DIGEST-MD5 username when readable).
//
// Field use by kind (everything not listed keeps its reset() default):
//  kRequest        opcode, xid, frame_len, the request's fields (path, flags,
//                  acl, data_len, version, watch, sub_ops or detail, ...),
//                  then from the reply: replied, err, zxid, created_path,
//                  detail.stat, detail.reply_*, sub_ops[i].err, and for
//                  getACL the reply's ACLs in `acl`, for whoAmI the reply's
//                  identities in `acl` (perms 0, scheme = authScheme,
//                  id = user).
//  kConnect        protocol_version, last_zxid_seen, timeout_ms,
//                  requested_session_id, password_sent, read_only (the
//                  client's readOnly flag), has_read_only; from the
//                  response: replied, negotiated_timeout_ms, session_id,
//                  server_read_only. session_id 0 in a reply = refused.
//  kNotification   xid -1, zxid, watch_event_type, keeper_state, path.
//  kFourLetterWord four_letter_word, response_bytes (server bytes seen,
//                  lost bytes included), trace_mask/has_trace_mask (stmk).
//  kAdminCommand   admin_command (long name, "" for the /commands listing),
//                  four_letter_word (its 4lw alias, or all zero),
//                  trace_mask (set_trace_mask?traceMask=N), x_forwarded_for
//                  (set by the HTTP engine, not by admin_command()).
//  kFrameTooLarge  direction, frame_len (declared, may be negative),
//                  four_letter_word = the four length bytes as received
//                  ("GET ", 16 03 01 .., ...).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "decoders/common/bounded_text.h"

namespace segward::zookeeper {

using decoders::BoundedText;

enum class ZkEventKind : std::uint8_t {
  kRequest,
  kConnect,
  kNotification,
  kFourLetterWord,
  kAdminCommand,
  kFrameTooLarge,
};

enum class ZkDirection : std::uint8_t { kClient, kServer };

// ZooDefs.OpCode numbers.
namespace opcode {
inline constexpr std::int32_t kNotification = 0;
inline constexpr std::int32_t kCreate = 1;
inline constexpr std::int32_t kDelete = 2;
inline constexpr std::int32_t kExists = 3;
inline constexpr std::int32_t kGetData = 4;
inline constexpr std::int32_t kSetData = 5;
inline constexpr std::int32_t kGetAcl = 6;
inline constexpr std::int32_t kSetAcl = 7;
inline constexpr std::int32_t kGetChildren = 8;
inline constexpr std::int32_t kSync = 9;
inline constexpr std::int32_t kPing = 11;
inline constexpr std::int32_t kGetChildren2 = 12;
inline constexpr std::int32_t kCheck = 13;
inline constexpr std::int32_t kMulti = 14;
inline constexpr std::int32_t kCreate2 = 15;
inline constexpr std::int32_t kReconfig = 16;
inline constexpr std::int32_t kCheckWatches = 17;
inline constexpr std::int32_t kRemoveWatches = 18;
inline constexpr std::int32_t kCreateContainer = 19;
inline constexpr std::int32_t kDeleteContainer = 20;
inline constexpr std::int32_t kCreateTtl = 21;
inline constexpr std::int32_t kMultiRead = 22;
inline constexpr std::int32_t kAuth = 100;
inline constexpr std::int32_t kSetWatches = 101;
inline constexpr std::int32_t kSasl = 102;
inline constexpr std::int32_t kGetEphemerals = 103;
inline constexpr std::int32_t kGetAllChildrenNumber = 104;
inline constexpr std::int32_t kSetWatches2 = 105;
inline constexpr std::int32_t kAddWatch = 106;
inline constexpr std::int32_t kWhoAmI = 107;
inline constexpr std::int32_t kCreateSession = -10;
inline constexpr std::int32_t kCloseSession = -11;
inline constexpr std::int32_t kError = -1;
}  // namespace opcode

// Special xids (ClientCnxn).
namespace xid {
inline constexpr std::int32_t kNotification = -1;
inline constexpr std::int32_t kPing = -2;
inline constexpr std::int32_t kAuth = -4;
inline constexpr std::int32_t kSetWatches = -8;
}  // namespace xid

struct ZkAcl {
  std::int32_t perms;
  BoundedText<16> scheme;
  BoundedText<128> id;
};

// One operation of a multi / multiRead request, with its result.
struct ZkSubOp {
  std::int64_t data_len;  // create / setData data; -1 null or n/a
  std::int32_t opcode;    // MultiHeader.type of the request
  std::int32_t err;       // the result's error: ErrorResponse.err when the result type is -1, else 0
  std::int32_t flags;     // create mode
  std::int32_t version;   // delete / setData / check
  bool has_flags;
  bool has_version;
  bool replied;       // a result slot was seen for this op
  bool error_result;  // that slot was an ErrorResponse (type -1); with err 0 the op was rolled back because a later one failed
  BoundedText<128> path;
};

// Stat of a reply (exists, getData, setData, setACL, getACL, create2, ...).
struct ZkStat {
  std::int64_t czxid;
  std::int64_t mzxid;
  std::int64_t ctime;
  std::int64_t mtime;
  std::int64_t ephemeral_owner;
  std::int64_t pzxid;
  std::int32_t version;
  std::int32_t cversion;
  std::int32_t aversion;
  std::int32_t data_length;
  std::int32_t num_children;
};

enum class ZkSaslMechanism : std::uint8_t { kUnknown, kDigestMd5, kGssapi };

// Op-specific values of every opcode but multi / multiRead. They share
// storage with ZkEvent::sub_ops (a multi has none of them), which keeps the
// event within 4 KiB: read `detail` only when the opcode is not multi /
// multiRead (14, 22), `sub_ops` only when it is.
struct ZkOpDetail {
  ZkStat stat;  // the reply's Stat
  bool has_stat;
  bool has_ttl;
  bool has_watch_mode;
  bool has_watcher_type;
  ZkSaslMechanism sasl_mechanism;  // GSSAPI: client token starts 0x60; DIGEST-MD5: username="..." seen
  std::int64_t reply_data_len;     // getData / reconfig reply data, SASL server token; -1 n/a
  std::int64_t reply_count;        // children (getChildren, getChildren2), paths (getEphemerals), totalNumber (getAllChildrenNumber); -1 n/a
  std::int64_t ttl_ms;             // createTTL
  std::int32_t watch_mode;         // addWatch: 0 persistent, 1 persistent-recursive
  std::int32_t watcher_type;       // removeWatches / checkWatches: 1 Children .. 5 PersistentRecursive
  std::int64_t relative_zxid;      // setWatches / setWatches2
  // setWatches(2) list lengths: data, exist, child, persistent,
  // persistentRecursive; the first watched path of any list is in ZkEvent::path.
  std::array<std::uint32_t, 5> watch_counts;
  std::int64_t reconfig_config_id;  // curConfigId (-1: no check)
  BoundedText<128> reconfig_joining;
  BoundedText<128> reconfig_leaving;
  BoundedText<128> reconfig_members;
};

struct ZkEvent {
  ZkEventKind kind;
  ZkDirection direction;  // kFrameTooLarge: which side sent the frame
  bool session_known;
  bool has_flags;
  bool has_version;
  bool watch;
  bool replied;
  bool malformed;   // a record did not fit its frame (bad length or count, short record, bad multi op): the rest of the frame was skipped
  bool incomplete;  // bytes of the request or reply were lost (gap) or never came (end): fields may be missing
  bool credentials_sent;  // AuthPacket auth buffer non-empty
  bool has_trace_mask;
  bool x_forwarded_for;
  bool truncated;  // some text field was cut
  std::uint8_t acl_count;
  std::uint8_t sub_op_count;
  // connect
  bool read_only;         // the ConnectRequest's readOnly byte
  bool has_read_only;     // the ConnectRequest carried it (3.3-era clients do not)
  bool server_read_only;  // the ConnectResponse's readOnly byte
  bool password_sent;     // the ConnectRequest's passwd had a non-zero byte
  std::array<char, 4> four_letter_word;

  std::int32_t opcode;
  std::int32_t xid;
  std::int64_t zxid;        // the reply's zxid
  std::int32_t frame_len;   // the request's (or the oversize frame's declared) length
  std::int32_t err;         // the reply's error code (0 OK)
  std::uint64_t session_id;
  std::int64_t data_len;    // request buffer: create / setData data, SASL token, auth credentials; -1 = null / n/a
  std::int32_t flags;       // create mode
  std::int32_t version;
  std::uint32_t acl_total;  // on the wire, may exceed 4
  std::uint32_t sub_op_total;
  std::uint64_t response_bytes;
  std::uint64_t trace_mask;

  // connect
  std::int32_t protocol_version;
  std::int32_t timeout_ms;
  std::int32_t negotiated_timeout_ms;
  std::int64_t last_zxid_seen;
  std::uint64_t requested_session_id;

  // notification (xid -1)
  std::int32_t watch_event_type;
  std::int32_t keeper_state;

  BoundedText<256> path;
  BoundedText<256> created_path;
  BoundedText<32> auth_scheme;  // AuthPacket scheme; "sasl" for sasl requests
  BoundedText<64> auth_user;    // digest: the user before ':' (never the password); sasl DIGEST-MD5 username
  BoundedText<32> admin_command;
  std::array<ZkAcl, 4> acl;

  union {
    std::array<ZkSubOp, 16> sub_ops;  // multi / multiRead
    ZkOpDetail detail;               // every other opcode
  };

  ZkEvent() noexcept { reset(); }
  void reset() noexcept {
    std::memset(static_cast<void*>(this), 0, sizeof(*this));
    data_len = -1;
    detail.reply_data_len = -1;
    detail.reply_count = -1;
  }
  /// Makes sub_ops the live member (all zero); a decoder calls it on a multi.
  void use_sub_ops() noexcept { std::memset(static_cast<void*>(&sub_ops), 0, sizeof(sub_ops)); }
};
static_assert(std::is_trivially_copyable_v<ZkEvent>);
static_assert(sizeof(ZkEvent) <= 4096);

std::string_view opcode_name(std::int32_t opcode) noexcept;
std::string_view error_name(std::int32_t err) noexcept;
std::string_view create_mode_name(std::int32_t flags) noexcept;
std::string_view watch_event_type_name(std::int32_t type) noexcept;
std::string_view keeper_state_name(std::int32_t state) noexcept;
/// removeWatches/checkWatches WatcherType: "Children", "Data", "Any", "Persistent", "PersistentRecursive".
std::string_view watcher_type_name(std::int32_t type) noexcept;
/// addWatch mode: "PERSISTENT", "PERSISTENT_RECURSIVE".
std::string_view add_watch_mode_name(std::int32_t mode) noexcept;
/// Stable snake_case kind names for EVE: "request", "connect", "notification",
/// "four_letter_word", "admin_command", "frame_too_large".
std::string_view event_kind_name(ZkEventKind kind) noexcept;
/// The four letters as text ("ruok"; the telnet close ff f4 ff fd as "telnet_close").
std::string_view four_letter_word_text(const std::array<char, 4>& word) noexcept;
/// True for a four-letter word a ZooKeeper server knows (FourLetterCommands) or knew (reqs, kill).
bool is_four_letter_word(const std::array<char, 4>& word) noexcept;

}  // namespace segward::zookeeper
