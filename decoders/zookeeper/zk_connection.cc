// The ZooKeeper client-port decoder: a resumable jute reader per direction
// driven by small per-record programs (see README.md, "Design").
#include "decoders/zookeeper/zk_connection.h"

#include <algorithm>
#include <cstring>

#include "decoders/common/ascii.h"
#include "decoders/common/byte_reader.h"

namespace segward::zookeeper {

ZkCounters& ZkCounters::operator+=(const ZkCounters& other) noexcept {
#define SEGWARD_ZK_COUNTER(field, description) field += other.field;
#include "decoders/zookeeper/zk_counters.def"
#undef SEGWARD_ZK_COUNTER
  return *this;
}

namespace {

using detail::JuteStream;
using detail::kNoSlot;
using detail::Phase;
using detail::ProgramFrame;

// One step of a record program. Scalars and lengths are read whole before
// the step is applied, so a step never sees half a value.
enum class Op : std::uint8_t {
  kEnd,       // end of this program: next vector element, or back to the caller
  kI32,       // int -> slot
  kI64,       // long -> slot
  kBool,      // boolean -> slot
  kBoolOpt,   // boolean -> slot, only if the frame has a byte left (ConnectRequest/Response readOnly)
  kUStr,      // ustring -> text slot, capped; the rest skipped
  kBuf,       // buffer: its length -> slot, its bytes skipped (or scanned: password, digest user, SASL)
  kVec,       // vector: count -> slot, then the slot's element program per element
  kCall,      // nested record (arg = program)
  kSkip,      // arg fixed bytes skipped (a Stat nobody reads)
  kDispatch,  // after a Request/ReplyHeader: the body program replaces this one
  kMultiDispatch,  // after a MultiHeader: done, or the op's program then the next MultiHeader
};

struct Insn {
  Op op;
  std::uint8_t arg;
};

// Where a value goes. Header and MultiHeader slots land in the stream
// state; the rest in the event the record is written to (or nowhere).
enum Slot : std::uint8_t {
  kIgnore,
  kHdrXid,
  kHdrType,
  kHdrZxid,
  kHdrErr,
  kProtocolVersion,
  kLastZxid,
  kTimeout,
  kRequestedSession,
  kPasswd,
  kReadOnly,
  kRespTimeout,
  kRespSession,
  kServerReadOnly,
  kPath,
  kData,
  kAclVec,
  kFlags,
  kTtl,
  kVersion,
  kWatch,
  kAclPerms,
  kAclScheme,
  kAclId,
  kJoining,
  kLeaving,
  kMembers,
  kConfigId,
  kWatcherType,
  kAuthScheme,
  kAuthCredentials,
  kSaslToken,
  kRelativeZxid,
  kWatchVec0,  // .. kWatchVec0 + 4
  kWatchVec1,
  kWatchVec2,
  kWatchVec3,
  kWatchVec4,
  kWatchPath,
  kWatchMode,
  kMultiType,
  kMultiDone,
  kMultiErr,
  kSubPath,
  kSubData,
  kSubAclVec,
  kSubFlags,
  kSubVersion,
  kSubErr,
  kSubReplyData,
  kSubChildrenVec,
  kCreatedPath,
  kReplyData,
  kReplyAclVec,
  kChildrenVec,
  kTotalNumber,
  kWhoAmIVec,
  kWhoScheme,
  kWhoUser,
  kSaslReply,
  kStatCzxid,
  kStatMzxid,
  kStatCtime,
  kStatMtime,
  kStatVersion,
  kStatCversion,
  kStatAversion,
  kStatEphemeralOwner,
  kStatDataLength,
  kStatNumChildren,
  kStatPzxid,
  kNotifType,
  kNotifState,
  kNotifPath,
};

enum Prog : std::uint8_t {
  kPEmpty,
  kPConnectRequest,
  kPConnectResponse,
  kPRequestHeader,
  kPReplyHeader,
  kPCreate,
  kPCreateTtl,
  kPPathVersion,
  kPPathWatch,
  kPSetData,
  kPPath,
  kPSetAcl,
  kPReconfig,
  kPPathWatcherType,
  kPAuth,
  kPSetWatches,
  kPSetWatches2,
  kPSasl,
  kPAddWatch,
  kPMulti,
  kPSubCreate,
  kPSubCreateTtl,
  kPSubPathVersion,
  kPSubSetData,
  kPSubPathWatch,
  kPAcl,
  kPAclIgnore,
  kPWatchPath,
  kPUStrIgnore,
  kPWhoAmIElement,
  kPRCreate,
  kPRCreate2,
  kPRStat,
  kPRGetData,
  kPRGetAcl,
  kPRChildren,
  kPRChildren2,
  kPRPathIgnore,
  kPRCount,
  kPRWhoAmI,
  kPRSasl,
  kPStat,
  kPSubRCreate2,
  kPSubRStat,
  kPSubRGetData,
  kPSubRChildren,
  kPSubRError,
  kPNotification,
  kPNone = 0xff,
};

constexpr Insn I32(std::uint8_t s) { return {Op::kI32, s}; }
constexpr Insn I64(std::uint8_t s) { return {Op::kI64, s}; }
constexpr Insn Bool(std::uint8_t s) { return {Op::kBool, s}; }
constexpr Insn UStr(std::uint8_t s) { return {Op::kUStr, s}; }
constexpr Insn Buf(std::uint8_t s) { return {Op::kBuf, s}; }
constexpr Insn Vec(std::uint8_t s) { return {Op::kVec, s}; }
constexpr Insn Call(std::uint8_t p) { return {Op::kCall, p}; }
constexpr Insn End{Op::kEnd, 0};

constexpr std::uint8_t kStatBytes = 68;  // 6 longs, 5 ints

// Record layouts: zookeeper.jute (research/zookeeper-wire.md §3-§6).
constexpr Insn kEmptyProg[] = {End};
constexpr Insn kConnectRequestProg[] = {I32(kProtocolVersion), I64(kLastZxid), I32(kTimeout), I64(kRequestedSession),
                                        Buf(kPasswd), {Op::kBoolOpt, kReadOnly}, End};
constexpr Insn kConnectResponseProg[] = {I32(kIgnore), I32(kRespTimeout), I64(kRespSession), Buf(kIgnore),
                                         {Op::kBoolOpt, kServerReadOnly}, End};
constexpr Insn kRequestHeaderProg[] = {I32(kHdrXid), I32(kHdrType), {Op::kDispatch, 0}};
constexpr Insn kReplyHeaderProg[] = {I32(kHdrXid), I64(kHdrZxid), I32(kHdrErr), {Op::kDispatch, 0}};
constexpr Insn kCreateProg[] = {UStr(kPath), Buf(kData), Vec(kAclVec), I32(kFlags), End};
constexpr Insn kCreateTtlProg[] = {UStr(kPath), Buf(kData), Vec(kAclVec), I32(kFlags), I64(kTtl), End};
constexpr Insn kPathVersionProg[] = {UStr(kPath), I32(kVersion), End};
constexpr Insn kPathWatchProg[] = {UStr(kPath), Bool(kWatch), End};
constexpr Insn kSetDataProg[] = {UStr(kPath), Buf(kData), I32(kVersion), End};
constexpr Insn kPathProg[] = {UStr(kPath), End};
constexpr Insn kSetAclProg[] = {UStr(kPath), Vec(kAclVec), I32(kVersion), End};
constexpr Insn kReconfigProg[] = {UStr(kJoining), UStr(kLeaving), UStr(kMembers), I64(kConfigId), End};
constexpr Insn kPathWatcherTypeProg[] = {UStr(kPath), I32(kWatcherType), End};
constexpr Insn kAuthProg[] = {I32(kIgnore), UStr(kAuthScheme), Buf(kAuthCredentials), End};
constexpr Insn kSetWatchesProg[] = {I64(kRelativeZxid), Vec(kWatchVec0), Vec(kWatchVec1), Vec(kWatchVec2), End};
constexpr Insn kSetWatches2Prog[] = {I64(kRelativeZxid), Vec(kWatchVec0), Vec(kWatchVec1), Vec(kWatchVec2),
                                     Vec(kWatchVec3),    Vec(kWatchVec4), End};
constexpr Insn kSaslProg[] = {Buf(kSaslToken), End};
constexpr Insn kAddWatchProg[] = {UStr(kPath), I32(kWatchMode), End};
constexpr Insn kMultiProg[] = {I32(kMultiType), Bool(kMultiDone), I32(kMultiErr), {Op::kMultiDispatch, 0}};
constexpr Insn kSubCreateProg[] = {UStr(kSubPath), Buf(kSubData), Vec(kSubAclVec), I32(kSubFlags), End};
constexpr Insn kSubCreateTtlProg[] = {UStr(kSubPath), Buf(kSubData), Vec(kSubAclVec), I32(kSubFlags), I64(kIgnore), End};
constexpr Insn kSubPathVersionProg[] = {UStr(kSubPath), I32(kSubVersion), End};
constexpr Insn kSubSetDataProg[] = {UStr(kSubPath), Buf(kSubData), I32(kSubVersion), End};
constexpr Insn kSubPathWatchProg[] = {UStr(kSubPath), Bool(kIgnore), End};
constexpr Insn kAclProg[] = {I32(kAclPerms), UStr(kAclScheme), UStr(kAclId), End};
constexpr Insn kAclIgnoreProg[] = {I32(kIgnore), UStr(kIgnore), UStr(kIgnore), End};
constexpr Insn kWatchPathProg[] = {UStr(kWatchPath), End};
constexpr Insn kUStrIgnoreProg[] = {UStr(kIgnore), End};
constexpr Insn kWhoAmIElementProg[] = {UStr(kWhoScheme), UStr(kWhoUser), End};
constexpr Insn kRCreateProg[] = {UStr(kCreatedPath), End};
constexpr Insn kRCreate2Prog[] = {UStr(kCreatedPath), Call(kPStat), End};
constexpr Insn kRStatProg[] = {Call(kPStat), End};
constexpr Insn kRGetDataProg[] = {Buf(kReplyData), Call(kPStat), End};
constexpr Insn kRGetAclProg[] = {Vec(kReplyAclVec), Call(kPStat), End};
constexpr Insn kRChildrenProg[] = {Vec(kChildrenVec), End};
constexpr Insn kRChildren2Prog[] = {Vec(kChildrenVec), Call(kPStat), End};
constexpr Insn kRCountProg[] = {I32(kTotalNumber), End};
constexpr Insn kRWhoAmIProg[] = {Vec(kWhoAmIVec), End};
constexpr Insn kRSaslProg[] = {Buf(kSaslReply), End};
constexpr Insn kStatProg[] = {I64(kStatCzxid),     I64(kStatMzxid),          I64(kStatCtime),      I64(kStatMtime),
                              I32(kStatVersion),   I32(kStatCversion),       I32(kStatAversion),   I64(kStatEphemeralOwner),
                              I32(kStatDataLength), I32(kStatNumChildren),   I64(kStatPzxid),      End};
constexpr Insn kSubRCreate2Prog[] = {UStr(kIgnore), {Op::kSkip, kStatBytes}, End};
constexpr Insn kSubRStatProg[] = {{Op::kSkip, kStatBytes}, End};
constexpr Insn kSubRGetDataProg[] = {Buf(kSubReplyData), {Op::kSkip, kStatBytes}, End};
constexpr Insn kSubRChildrenProg[] = {Vec(kSubChildrenVec), End};
constexpr Insn kSubRErrorProg[] = {I32(kSubErr), End};
constexpr Insn kNotificationProg[] = {I32(kNotifType), I32(kNotifState), UStr(kNotifPath), End};

const Insn* program(std::uint8_t p) noexcept {
  switch (static_cast<Prog>(p)) {
    case kPEmpty: return kEmptyProg;
    case kPConnectRequest: return kConnectRequestProg;
    case kPConnectResponse: return kConnectResponseProg;
    case kPRequestHeader: return kRequestHeaderProg;
    case kPReplyHeader: return kReplyHeaderProg;
    case kPCreate: return kCreateProg;
    case kPCreateTtl: return kCreateTtlProg;
    case kPPathVersion: return kPathVersionProg;
    case kPPathWatch: return kPathWatchProg;
    case kPSetData: return kSetDataProg;
    case kPPath: return kPathProg;
    case kPSetAcl: return kSetAclProg;
    case kPReconfig: return kReconfigProg;
    case kPPathWatcherType: return kPathWatcherTypeProg;
    case kPAuth: return kAuthProg;
    case kPSetWatches: return kSetWatchesProg;
    case kPSetWatches2: return kSetWatches2Prog;
    case kPSasl: return kSaslProg;
    case kPAddWatch: return kAddWatchProg;
    case kPMulti: return kMultiProg;
    case kPSubCreate: return kSubCreateProg;
    case kPSubCreateTtl: return kSubCreateTtlProg;
    case kPSubPathVersion: return kSubPathVersionProg;
    case kPSubSetData: return kSubSetDataProg;
    case kPSubPathWatch: return kSubPathWatchProg;
    case kPAcl: return kAclProg;
    case kPAclIgnore: return kAclIgnoreProg;
    case kPWatchPath: return kWatchPathProg;
    case kPUStrIgnore: return kUStrIgnoreProg;
    case kPWhoAmIElement: return kWhoAmIElementProg;
    case kPRCreate: return kRCreateProg;
    case kPRCreate2: return kRCreate2Prog;
    case kPRStat: return kRStatProg;
    case kPRGetData: return kRGetDataProg;
    case kPRGetAcl: return kRGetAclProg;
    case kPRChildren: return kRChildrenProg;
    case kPRChildren2: return kRChildren2Prog;
    case kPRPathIgnore: return kUStrIgnoreProg;
    case kPRCount: return kRCountProg;
    case kPRWhoAmI: return kRWhoAmIProg;
    case kPRSasl: return kRSaslProg;
    case kPStat: return kStatProg;
    case kPSubRCreate2: return kSubRCreate2Prog;
    case kPSubRStat: return kSubRStatProg;
    case kPSubRGetData: return kSubRGetDataProg;
    case kPSubRChildren: return kSubRChildrenProg;
    case kPSubRError: return kSubRErrorProg;
    case kPNotification: return kNotificationProg;
    case kPNone: break;
  }
  return kEmptyProg;
}

Prog request_program(std::int32_t type) noexcept {
  switch (type) {
    case opcode::kCreate:
    case opcode::kCreate2:
    case opcode::kCreateContainer: return kPCreate;
    case opcode::kCreateTtl: return kPCreateTtl;
    case opcode::kDelete:
    case opcode::kDeleteContainer:
    case opcode::kCheck: return kPPathVersion;
    case opcode::kExists:
    case opcode::kGetData:
    case opcode::kGetChildren:
    case opcode::kGetChildren2: return kPPathWatch;
    case opcode::kSetData: return kPSetData;
    case opcode::kGetAcl:
    case opcode::kSync:
    case opcode::kGetEphemerals:
    case opcode::kGetAllChildrenNumber: return kPPath;
    case opcode::kSetAcl: return kPSetAcl;
    case opcode::kMulti:
    case opcode::kMultiRead: return kPMulti;
    case opcode::kReconfig: return kPReconfig;
    case opcode::kCheckWatches:
    case opcode::kRemoveWatches: return kPPathWatcherType;
    case opcode::kAuth: return kPAuth;
    case opcode::kSetWatches: return kPSetWatches;
    case opcode::kSetWatches2: return kPSetWatches2;
    case opcode::kSasl: return kPSasl;
    case opcode::kAddWatch: return kPAddWatch;
    case opcode::kWhoAmI:
    case opcode::kCloseSession:
    case opcode::kPing: return kPEmpty;
    default: return kPNone;
  }
}

// The response record when err == 0.
Prog reply_program(std::int32_t type) noexcept {
  switch (type) {
    case opcode::kCreate: return kPRCreate;
    case opcode::kCreate2:
    case opcode::kCreateContainer:
    case opcode::kCreateTtl: return kPRCreate2;
    case opcode::kExists:
    case opcode::kSetData:
    case opcode::kSetAcl: return kPRStat;
    case opcode::kGetData:
    case opcode::kReconfig: return kPRGetData;
    case opcode::kGetAcl: return kPRGetAcl;
    case opcode::kGetChildren:
    case opcode::kGetEphemerals: return kPRChildren;
    case opcode::kGetChildren2: return kPRChildren2;
    case opcode::kSync: return kPRPathIgnore;
    case opcode::kMulti:
    case opcode::kMultiRead: return kPMulti;
    case opcode::kGetAllChildrenNumber: return kPRCount;
    case opcode::kWhoAmI: return kPRWhoAmI;
    case opcode::kSasl: return kPRSasl;
    case opcode::kDelete:
    case opcode::kDeleteContainer:
    case opcode::kCheck:
    case opcode::kCheckWatches:
    case opcode::kRemoveWatches:
    case opcode::kAuth:
    case opcode::kSetWatches:
    case opcode::kSetWatches2:
    case opcode::kAddWatch:
    case opcode::kCloseSession:
    case opcode::kPing: return kPEmpty;
    default: return kPNone;
  }
}

// MultiOperationRecord: the op types a multi / multiRead may carry.
Prog sub_request_program(std::int32_t type) noexcept {
  switch (type) {
    case opcode::kCreate:
    case opcode::kCreate2:
    case opcode::kCreateContainer: return kPSubCreate;
    case opcode::kCreateTtl: return kPSubCreateTtl;
    case opcode::kDelete:
    case opcode::kCheck: return kPSubPathVersion;
    case opcode::kSetData: return kPSubSetData;
    case opcode::kGetData:
    case opcode::kGetChildren: return kPSubPathWatch;
    default: return kPNone;
  }
}

// MultiResponse: the result types (createContainer / createTTL results are
// accepted with the create2 layout, which is what the server writes for them).
Prog sub_reply_program(std::int32_t type) noexcept {
  switch (type) {
    case opcode::kCreate: return kPRPathIgnore;
    case opcode::kCreate2:
    case opcode::kCreateContainer:
    case opcode::kCreateTtl: return kPSubRCreate2;
    case opcode::kDelete:
    case opcode::kCheck: return kPEmpty;
    case opcode::kSetData: return kPSubRStat;
    case opcode::kGetData: return kPSubRGetData;
    case opcode::kGetChildren: return kPSubRChildren;
    case opcode::kError: return kPSubRError;
    default: return kPNone;
  }
}

Prog element_program(std::uint8_t vector_slot) noexcept {
  switch (vector_slot) {
    case kAclVec:
    case kReplyAclVec: return kPAcl;
    case kSubAclVec: return kPAclIgnore;
    case kWatchVec0:
    case kWatchVec1:
    case kWatchVec2:
    case kWatchVec3:
    case kWatchVec4: return kPWatchPath;
    case kWhoAmIVec: return kPWhoAmIElement;
    default: return kPUStrIgnore;
  }
}

// The smallest wire size of one element: bounds a count by the frame.
std::uint32_t element_min_bytes(std::uint8_t vector_slot) noexcept {
  switch (element_program(vector_slot)) {
    case kPAcl:
    case kPAclIgnore: return 12;
    case kPWhoAmIElement: return 8;
    default: return 4;
  }
}

enum RecordKind : std::uint8_t {
  kRecNone,
  kRecConnectRequest,
  kRecConnectResponse,
  kRecRequest,
  kRecReply,
  kRecNotification,
};

enum class Malformed : std::uint8_t { kShortRecord, kStringLength, kBufferLength, kVectorCount, kMulti };

// Buffer-content scanners.
enum Scan : std::uint8_t {
  kScanNone,
  kScanUser,          // digest credentials: copying the user until ':'
  kScanUserDone,      // ':' seen: nothing more is copied
  kScanSaslFirst,     // SASL token: its first byte not seen yet
  kScanSaslPattern,   // looking for username="
  kScanSaslCapture,   // copying the username until '"'
};

constexpr std::string_view kSaslUserPattern = "username=\"";

struct TextRef {
  char* data = nullptr;
  std::uint16_t* size = nullptr;
  bool* truncated = nullptr;
  std::size_t capacity = 0;
};

template <std::size_t N>
TextRef ref(BoundedText<N>& t) noexcept {
  return {t.bytes.data(), &t.size, &t.truncated, N};
}

std::int32_t as_i32(std::int64_t v) noexcept { return static_cast<std::int32_t>(v); }

}  // namespace

struct ZkConnection::Reader {
  ZkConnection& c;
  JuteStream& s;
  ZkEventSink& sink;
  const ZkLimits& limits;
  bool server;

  ZkCounters& counters() noexcept { return c.counters_; }
  ZkEvent* target() noexcept { return s.target == kNoSlot ? nullptr : &c.events_[s.target]; }
  ZkSubOp* sub() noexcept {
    ZkEvent* e = target();
    if (e == nullptr || s.sub_index < 0) return nullptr;
    return &e->sub_ops[static_cast<std::size_t>(s.sub_index)];
  }

  // ---- the frame loop ----

  void feed(std::span<const std::uint8_t> data) {
    for (;;) {
      switch (s.phase) {
        case Phase::kStopped: return;
        case Phase::kIgnore:
          counters().bytes_after_four_letter_word += data.size();
          return;
        case Phase::kTraceMask:
          if (data.empty()) return;
          trace_mask(data);
          break;
        case Phase::kLength:
          if (data.empty()) return;
          while (s.len_have < 4 && !data.empty()) {
            s.len_bytes[s.len_have++] = data.front();
            data = data.subspan(1);
          }
          if (s.len_have == 4) on_length();
          break;
        case Phase::kSkipFrame: {
          if (s.frame_left == 0) {
            end_frame();
            break;
          }
          if (data.empty()) return;
          const std::size_t n = std::min<std::size_t>(s.frame_left, data.size());
          s.frame_left -= static_cast<std::uint32_t>(n);
          data = data.subspan(n);
          break;
        }
        case Phase::kBody:
          run(data);
          if (s.phase == Phase::kBody) return;  // waiting for bytes
          break;
      }
    }
  }

  void trace_mask(std::span<const std::uint8_t>& data) {
    while (s.have < 8 && !data.empty()) {
      s.acc = (s.acc << 8) | data.front();
      data = data.subspan(1);
      ++s.have;
    }
    if (s.have < 8) return;
    ZkEvent& e = c.events_[kConnectSlot];
    e.trace_mask = s.acc;
    e.has_trace_mask = true;
    s.have = 0;
    s.acc = 0;
    s.phase = Phase::kIgnore;
  }

  void on_length() {
    s.len_have = 0;
    const std::uint32_t raw = decoders::load_be32(s.len_bytes.data());
    const auto len = static_cast<std::int32_t>(raw);
    if (!server && c.mode_ == Mode::kUndecided && s.frames_started == 0) {
      std::array<char, 4> word{};
      std::memcpy(word.data(), s.len_bytes.data(), 4);
      if (is_four_letter_word(word)) {
        start_four_letter_word(word);
        return;
      }
    }
    if (len < 0 || raw > limits.max_frame) {
      frame_too_large(len);
      return;
    }
    ++counters().frames;
    ++s.frames_started;
    s.frame_left = raw;
    s.frame_len = len;
    begin_record();
    s.phase = Phase::kBody;
  }

  void start_four_letter_word(const std::array<char, 4>& word) {
    c.mode_ = Mode::kFourLetterWord;
    ++counters().four_letter_words;
    ZkEvent& e = c.events_[kConnectSlot];
    e.reset();
    e.kind = ZkEventKind::kFourLetterWord;
    e.four_letter_word = word;
    e.response_bytes = counters().server_bytes;  // anything the server sent already
    c.connect_started_ = true;
    s.have = 0;
    s.acc = 0;
    s.phase = std::string_view(word.data(), 4) == "stmk" ? Phase::kTraceMask : Phase::kIgnore;
    sink.on_request(e);
  }

  void frame_too_large(std::int32_t len) {
    ++counters().frames_too_large;
    ZkEvent e;
    e.kind = ZkEventKind::kFrameTooLarge;
    e.direction = server ? ZkDirection::kServer : ZkDirection::kClient;
    e.frame_len = len;
    std::memcpy(e.four_letter_word.data(), s.len_bytes.data(), 4);
    c.emit(e, sink);
    s.phase = Phase::kStopped;
    stopped();
  }

  void begin_record() {
    s.depth = 1;
    s.have = 0;
    s.acc = 0;
    s.in_content = false;
    s.silent = false;
    s.sub_index = -1;
    s.multi_count = 0;
    s.element = 0;
    s.target = kNoSlot;
    std::uint8_t prog = kPRequestHeader;
    if (!server) {
      if (c.mode_ == Mode::kUndecided) {
        if (s.frame_len == 44 || s.frame_len == 45) {
          c.mode_ = Mode::kClientPort;
          ++counters().connects;
          ZkEvent& e = c.events_[kConnectSlot];
          if (!c.connect_started_) {
            e.reset();
            e.kind = ZkEventKind::kConnect;
            c.connect_started_ = true;
          }
          e.frame_len = s.frame_len;
          s.record = kRecConnectRequest;
          s.target = kConnectSlot;
          s.stack[0] = ProgramFrame{kPConnectRequest, 0, 0};
          return;
        }
        c.mode_ = Mode::kMidStream;
        ++counters().midstream_starts;
      }
      s.record = kRecRequest;
    } else {
      prog = kPReplyHeader;
      s.record = kRecReply;
      if (!c.server_started_) {
        c.server_started_ = true;
        if (c.mode_ != Mode::kMidStream) {
          ++counters().connect_responses;
          ZkEvent& e = c.events_[kConnectSlot];
          if (!c.connect_started_) {
            e.reset();
            e.kind = ZkEventKind::kConnect;
            c.connect_started_ = true;
          }
          e.replied = true;
          s.record = kRecConnectResponse;
          s.target = kConnectSlot;
          prog = kPConnectResponse;
        }
      }
    }
    s.stack[0] = ProgramFrame{prog, 0, 0};
  }

  void end_frame() {
    s.phase = Phase::kLength;
    s.len_have = 0;
    s.frame_left = 0;
    s.depth = 0;
    s.record = kRecNone;
    s.target = kNoSlot;
    s.in_content = false;
    s.silent = false;
    s.have = 0;
    s.acc = 0;
  }

  // Skips what is left of the frame, then the next frame.
  void skip_rest() {
    s.depth = 0;
    s.in_content = false;
    s.have = 0;
    s.acc = 0;
    if (s.frame_left == 0) {
      end_frame();
    } else {
      s.phase = Phase::kSkipFrame;
    }
  }

  // ---- the record interpreter ----

  // Runs the program until the record is done or more bytes are needed
  // (then `data` is empty and the phase is still kBody).
  void run(std::span<const std::uint8_t>& data) {
    while (s.phase == Phase::kBody) {
      if (s.depth == 0) {
        record_done();
        return;
      }
      ProgramFrame& f = s.stack[s.depth - 1u];
      const Insn in = program(f.program)[f.pc];
      switch (in.op) {
        case Op::kEnd:
          if (f.left > 0) {
            --f.left;
            f.pc = 0;
            ++s.element;
          } else {
            --s.depth;
          }
          break;
        case Op::kI32:
        case Op::kI64:
        case Op::kBool:
        case Op::kBoolOpt: {
          const unsigned width = in.op == Op::kI64 ? 8u : in.op == Op::kI32 ? 4u : 1u;
          if (s.have == 0) {
            if (in.op == Op::kBoolOpt && s.frame_left == 0) {
              ++f.pc;
              break;
            }
            if (s.frame_left < width) return malformed(Malformed::kShortRecord);
          }
          std::int64_t v = 0;
          if (!scalar(data, width, v)) return;
          ++f.pc;
          store(in.arg, v);
          break;
        }
        case Op::kUStr:
        case Op::kBuf: {
          if (!s.in_content) {
            if (s.have == 0 && s.frame_left < 4) return malformed(Malformed::kShortRecord);
            std::int64_t v = 0;
            if (!scalar(data, 4, v)) return;
            const std::int32_t len = as_i32(v);
            if (len < -1 || (len > 0 && static_cast<std::uint32_t>(len) > s.frame_left)) {
              return malformed(in.op == Op::kUStr ? Malformed::kStringLength : Malformed::kBufferLength);
            }
            begin_content(in.op, in.arg, len);
            if (len <= 0) {
              end_content(in.op, in.arg);
              ++f.pc;
              break;
            }
            s.in_content = true;
            s.content_left = static_cast<std::uint32_t>(len);
            s.content_slot = in.arg;
          }
          if (s.content_left > 0) {
            if (data.empty()) return;
            const std::size_t n = std::min<std::size_t>(s.content_left, data.size());
            content(in.op, in.arg, data.first(n));
            data = data.subspan(n);
            s.content_left -= static_cast<std::uint32_t>(n);
            s.frame_left -= static_cast<std::uint32_t>(n);
            if (s.content_left > 0) return;
          }
          s.in_content = false;
          end_content(in.op, in.arg);
          ++f.pc;
          break;
        }
        case Op::kSkip: {
          if (!s.in_content) {
            if (s.frame_left < in.arg) return malformed(Malformed::kShortRecord);
            s.in_content = true;
            s.content_left = in.arg;
            s.content_slot = kIgnore;
          }
          if (s.content_left > 0) {
            if (data.empty()) return;
            const std::size_t n = std::min<std::size_t>(s.content_left, data.size());
            data = data.subspan(n);
            s.content_left -= static_cast<std::uint32_t>(n);
            s.frame_left -= static_cast<std::uint32_t>(n);
            if (s.content_left > 0) return;
          }
          s.in_content = false;
          ++f.pc;
          break;
        }
        case Op::kVec: {
          if (s.have == 0 && s.frame_left < 4) return malformed(Malformed::kShortRecord);
          std::int64_t v = 0;
          if (!scalar(data, 4, v)) return;
          const std::int32_t count = as_i32(v);
          if (count < -1 || (count > 0 && static_cast<std::uint32_t>(count) > s.frame_left / element_min_bytes(in.arg))) {
            return malformed(Malformed::kVectorCount);
          }
          ++f.pc;
          vector_begin(in.arg, count);
          if (count > 0) {
            if (!push(element_program(in.arg), static_cast<std::uint32_t>(count) - 1)) return;
            s.element = 0;
            s.vector_slot = in.arg;
            s.vector_count = count;
          }
          break;
        }
        case Op::kCall:
          ++f.pc;
          if (!push(in.arg, 0)) return;
          break;
        case Op::kDispatch:
          if (server) {
            dispatch_reply(f);
          } else {
            dispatch_request(f);
          }
          break;
        case Op::kMultiDispatch:
          multi_dispatch(f);
          break;
      }
    }
  }

  bool push(std::uint8_t prog, std::uint32_t left) {
    if (s.depth >= s.stack.size()) {  // no record nests this deep; never reached
      malformed(Malformed::kShortRecord);
      return false;
    }
    s.stack[s.depth++] = ProgramFrame{prog, 0, left};
    return true;
  }

  // Collects a big-endian scalar of `width` bytes; false until complete.
  // The caller checked that the frame holds it.
  bool scalar(std::span<const std::uint8_t>& data, unsigned width, std::int64_t& out) {
    if (s.have == 0 && data.size() >= width) {
      if (width == 4) {
        out = static_cast<std::int32_t>(decoders::load_be32(data.data()));
      } else if (width == 8) {
        out = static_cast<std::int64_t>(decoders::load_be64(data.data()));
      } else {
        out = data.front();
      }
      data = data.subspan(width);
      s.frame_left -= width;
      return true;
    }
    while (s.have < width && !data.empty()) {
      s.acc = (s.acc << 8) | data.front();
      data = data.subspan(1);
      ++s.have;
      --s.frame_left;
    }
    if (s.have < width) return false;
    out = width == 4   ? static_cast<std::int32_t>(static_cast<std::uint32_t>(s.acc))
          : width == 8 ? static_cast<std::int64_t>(s.acc)
                       : static_cast<std::int64_t>(s.acc & 0xff);
    s.have = 0;
    s.acc = 0;
    return true;
  }

  void record_done() {
    if (!s.silent && s.frame_left > 0) ++counters().trailing_bytes_frames;
    finish_record();
    skip_rest();
  }

  void malformed(Malformed kind) {
    ++counters().malformed_frames;
    switch (kind) {
      case Malformed::kShortRecord: ++counters().malformed_short_records; break;
      case Malformed::kStringLength: ++counters().malformed_string_lengths; break;
      case Malformed::kBufferLength: ++counters().malformed_buffer_lengths; break;
      case Malformed::kVectorCount: ++counters().malformed_vector_counts; break;
      case Malformed::kMulti: ++counters().malformed_multi; break;
    }
    if (ZkEvent* e = target()) e->malformed = true;
    abort_content();
    finish_record();
    skip_rest();
  }

  // The record ends here (complete, malformed, cut by a gap or by the end):
  // emit what is due.
  void finish_record() {
    ZkEvent* e = target();
    switch (s.record) {
      case kRecConnectRequest:
        if (e != nullptr && e->requested_session_id != 0 && !c.session_known_) {
          c.session_known_ = true;
          c.session_id_ = e->requested_session_id;
        }
        break;
      case kRecConnectResponse:
        if (e != nullptr) {
          c.session_id_ = e->session_id;
          c.session_known_ = e->session_id != 0;
          e->session_known = c.session_known_;
          if (!c.connect_emitted_) {
            c.connect_emitted_ = true;
            c.emit(*e, sink);
          }
        }
        break;
      case kRecRequest:
        if (s.target < kMaxPending) {
          c.building_slots_ &= static_cast<std::uint16_t>(~(1u << s.target));
          sink.on_request(c.events_[s.target]);
          // No reply can be decoded any more: out at once, not at the end.
          if (c.server_.phase == Phase::kStopped) c.release_pending(sink);
        }
        break;
      case kRecReply:
        if (e != nullptr) {
          c.emit(*e, sink);
          if (s.target < kMaxPending) c.used_slots_ &= static_cast<std::uint16_t>(~(1u << s.target));
        }
        break;
      case kRecNotification:
        if (e != nullptr) c.emit(*e, sink);
        break;
      default: break;
    }
    s.record = kRecNone;
    s.target = kNoSlot;
    s.sub_index = -1;
  }

  void dispatch_request(ProgramFrame& f) {
    ++counters().requests;
    const std::int32_t type = s.header_type;
    if (type == opcode::kPing || s.header_xid == xid::kPing) {
      ++counters().pings;
      f = ProgramFrame{kPEmpty, 0, 0};
      return;
    }
    const std::uint8_t slot = c.acquire_slot(sink);
    if (slot == kNoSlot) {  // never: a slot is always free or evictable
      s.silent = true;
      finish_record();
      skip_rest();
      return;
    }
    ZkEvent& e = c.events_[slot];
    e.reset();
    e.kind = ZkEventKind::kRequest;
    e.opcode = type;
    e.xid = s.header_xid;
    e.frame_len = s.frame_len;
    c.building_slots_ |= static_cast<std::uint16_t>(1u << slot);
    s.target = slot;
    const Prog p = request_program(type);
    if (p == kPNone) {
      ++counters().unknown_opcodes;
      s.silent = true;
      finish_record();
      skip_rest();
      return;
    }
    if (type == opcode::kAuth) ++counters().auth_requests;
    if (type == opcode::kSasl) ++counters().sasl_requests;
    if (p == kPMulti) e.use_sub_ops();
    f = ProgramFrame{p, 0, 0};
  }

  void dispatch_reply(ProgramFrame& f) {
    const std::int32_t x = s.header_xid;
    if (x == xid::kNotification) {
      ++counters().notifications;
      ZkEvent& e = c.events_[kNotifySlot];
      e.reset();
      e.kind = ZkEventKind::kNotification;
      e.opcode = opcode::kNotification;
      e.xid = x;
      e.zxid = s.header_zxid;
      e.err = s.header_err;
      e.frame_len = s.frame_len;
      s.record = kRecNotification;
      s.target = kNotifySlot;
      f = ProgramFrame{kPNotification, 0, 0};
      return;
    }
    if (x == xid::kPing) {
      ++counters().ping_replies;
      f = ProgramFrame{kPEmpty, 0, 0};
      return;
    }
    ++counters().replies;
    if (s.header_err != 0) ++counters().error_replies;
    const std::uint8_t slot = c.take_pending(x);
    if (slot == kNoSlot) {
      ++counters().unpaired_replies;
      s.silent = true;
      finish_record();
      skip_rest();
      return;
    }
    s.target = slot;
    ZkEvent& e = c.events_[slot];
    e.replied = true;
    e.err = s.header_err;
    e.zxid = s.header_zxid;
    if (s.header_err != 0) {
      f = ProgramFrame{kPEmpty, 0, 0};
      return;
    }
    const Prog p = reply_program(e.opcode);
    if (p == kPNone) {  // an unknown opcode's reply: paired, not decoded
      s.silent = true;
      finish_record();
      skip_rest();
      return;
    }
    f = ProgramFrame{p, 0, 0};
  }

  void multi_dispatch(ProgramFrame& f) {
    if (s.multi_done) {
      --s.depth;
      s.sub_index = -1;
      return;
    }
    const std::uint32_t index = s.multi_count++;
    f.pc = 0;  // after the op: the next MultiHeader
    ZkEvent* e = target();
    s.sub_index = -1;
    if (!server) {
      const Prog p = sub_request_program(s.multi_type);
      if (p == kPNone) return malformed(Malformed::kMulti);
      if (e != nullptr) {
        e->sub_op_total = index + 1;
        if (index < e->sub_ops.size()) {
          ZkSubOp& op = e->sub_ops[index];
          op = ZkSubOp{};
          op.opcode = s.multi_type;
          op.data_len = -1;
          e->sub_op_count = static_cast<std::uint8_t>(index + 1);
          s.sub_index = static_cast<std::int16_t>(index);
        }
      }
      push(p, 0);
    } else {
      const Prog p = sub_reply_program(s.multi_type);
      if (p == kPNone) return malformed(Malformed::kMulti);
      if (e != nullptr && index < e->sub_op_count) {
        ZkSubOp& op = e->sub_ops[index];
        op.replied = true;
        op.error_result = s.multi_type == opcode::kError;
        op.err = op.error_result ? s.multi_err : 0;
        s.sub_index = static_cast<std::int16_t>(index);
      }
      push(p, 0);
    }
  }

  // ---- values ----

  void store(std::uint8_t slot, std::int64_t v) {
    switch (slot) {
      case kIgnore: return;
      case kHdrXid: s.header_xid = as_i32(v); return;
      case kHdrType: s.header_type = as_i32(v); return;
      case kHdrZxid: s.header_zxid = v; return;
      case kHdrErr: s.header_err = as_i32(v); return;
      case kMultiType: s.multi_type = as_i32(v); return;
      case kMultiDone: s.multi_done = v != 0; return;
      case kMultiErr: s.multi_err = as_i32(v); return;
      default: break;
    }
    ZkEvent* ep = target();
    if (ep == nullptr) return;
    ZkEvent& e = *ep;
    ZkStat& st = e.detail.stat;
    switch (slot) {
      case kProtocolVersion: e.protocol_version = as_i32(v); break;
      case kLastZxid: e.last_zxid_seen = v; break;
      case kTimeout: e.timeout_ms = as_i32(v); break;
      case kRequestedSession: e.requested_session_id = static_cast<std::uint64_t>(v); break;
      case kReadOnly:
        e.read_only = v != 0;
        e.has_read_only = true;
        break;
      case kRespTimeout: e.negotiated_timeout_ms = as_i32(v); break;
      case kRespSession: e.session_id = static_cast<std::uint64_t>(v); break;
      case kServerReadOnly: e.server_read_only = v != 0; break;
      case kFlags:
        e.flags = as_i32(v);
        e.has_flags = true;
        break;
      case kTtl:
        e.detail.ttl_ms = v;
        e.detail.has_ttl = true;
        break;
      case kVersion:
        e.version = as_i32(v);
        e.has_version = true;
        break;
      case kWatch: e.watch = v != 0; break;
      case kAclPerms:
        if (s.element < e.acl.size()) e.acl[s.element].perms = as_i32(v);
        break;
      case kConfigId: e.detail.reconfig_config_id = v; break;
      case kWatcherType:
        e.detail.watcher_type = as_i32(v);
        e.detail.has_watcher_type = true;
        break;
      case kRelativeZxid: e.detail.relative_zxid = v; break;
      case kWatchMode:
        e.detail.watch_mode = as_i32(v);
        e.detail.has_watch_mode = true;
        break;
      case kSubFlags:
        if (ZkSubOp* op = sub()) {
          op->flags = as_i32(v);
          op->has_flags = true;
        }
        break;
      case kSubVersion:
        if (ZkSubOp* op = sub()) {
          op->version = as_i32(v);
          op->has_version = true;
        }
        break;
      case kSubErr:
        if (ZkSubOp* op = sub()) op->err = as_i32(v);
        break;
      case kTotalNumber: e.detail.reply_count = as_i32(v); break;
      case kStatCzxid:
        e.detail.has_stat = true;
        st.czxid = v;
        break;
      case kStatMzxid: st.mzxid = v; break;
      case kStatCtime: st.ctime = v; break;
      case kStatMtime: st.mtime = v; break;
      case kStatVersion: st.version = as_i32(v); break;
      case kStatCversion: st.cversion = as_i32(v); break;
      case kStatAversion: st.aversion = as_i32(v); break;
      case kStatEphemeralOwner: st.ephemeral_owner = v; break;
      case kStatDataLength: st.data_length = as_i32(v); break;
      case kStatNumChildren: st.num_children = as_i32(v); break;
      case kStatPzxid: st.pzxid = v; break;
      case kNotifType: e.watch_event_type = as_i32(v); break;
      case kNotifState: e.keeper_state = as_i32(v); break;
      default: break;
    }
  }

  void vector_begin(std::uint8_t slot, std::int32_t count) {
    ZkEvent* e = target();
    if (e == nullptr) return;
    const auto n = static_cast<std::uint32_t>(std::max(count, 0));
    switch (slot) {
      case kAclVec:
      case kReplyAclVec:
      case kWhoAmIVec:
        e->acl_total = n;
        e->acl_count = static_cast<std::uint8_t>(std::min<std::size_t>(n, e->acl.size()));
        break;
      case kWatchVec0:
      case kWatchVec1:
      case kWatchVec2:
      case kWatchVec3:
      case kWatchVec4: e->detail.watch_counts[slot - kWatchVec0] = n; break;
      case kChildrenVec: e->detail.reply_count = n; break;
      default: break;
    }
  }

  TextRef text(std::uint8_t slot) {
    ZkEvent* ep = target();
    if (ep == nullptr) return {};
    ZkEvent& e = *ep;
    const bool acl_element = s.element < e.acl.size();
    switch (slot) {
      case kPath:
      case kNotifPath: return ref(e.path);
      case kCreatedPath: return ref(e.created_path);
      case kAclScheme:
      case kWhoScheme: return acl_element ? ref(e.acl[s.element].scheme) : TextRef{};
      case kAclId:
      case kWhoUser: return acl_element ? ref(e.acl[s.element].id) : TextRef{};
      case kJoining: return ref(e.detail.reconfig_joining);
      case kLeaving: return ref(e.detail.reconfig_leaving);
      case kMembers: return ref(e.detail.reconfig_members);
      case kAuthScheme: return ref(e.auth_scheme);
      case kSubPath:
        if (ZkSubOp* op = sub()) return ref(op->path);
        return {};
      case kWatchPath: {
        // The first path of all the lists.
        if (s.element != 0) return {};
        for (std::uint8_t list = kWatchVec0; list < s.vector_slot; ++list) {
          if (e.detail.watch_counts[list - kWatchVec0] != 0) return {};
        }
        return ref(e.path);
      }
      default: return {};
    }
  }

  void begin_content(Op op, std::uint8_t slot, std::int32_t len) {
    s.text_stopped = false;
    s.scan = kScanNone;
    s.scan_pos = 0;
    if (op == Op::kUStr) {
      const TextRef t = text(slot);
      if (t.data == nullptr) return;
      *t.size = 0;
      *t.truncated = false;
      if (len > 0 && static_cast<std::size_t>(len) > t.capacity) {
        *t.truncated = true;
        mark_truncated();
      }
      return;
    }
    ZkEvent* e = target();
    if (e == nullptr) return;
    switch (slot) {
      case kData: e->data_len = len; break;
      case kSubData:
      case kSubReplyData:
        if (ZkSubOp* o = sub()) o->data_len = len;
        break;
      case kReplyData:
      case kSaslReply: e->detail.reply_data_len = len; break;
      case kAuthCredentials:
        e->data_len = len;
        e->credentials_sent = len > 0;
        e->auth_user.clear();
        if (e->auth_scheme.view() == "digest" && !e->auth_scheme.truncated) s.scan = kScanUser;
        break;
      case kSaslToken:
        e->data_len = len;
        e->auth_scheme.assign("sasl");
        s.scan = kScanSaslFirst;
        break;
      default: break;
    }
  }

  void mark_truncated() {
    ++counters().truncated_texts;
    if (ZkEvent* e = target()) e->truncated = true;
  }

  void content(Op op, std::uint8_t slot, std::span<const std::uint8_t> bytes) {
    if (op == Op::kUStr) {
      if (s.text_stopped) return;
      const TextRef t = text(slot);
      if (t.data == nullptr) return;
      const std::size_t n = std::min<std::size_t>(t.capacity - *t.size, bytes.size());
      std::memcpy(t.data + *t.size, bytes.data(), n);
      *t.size = static_cast<std::uint16_t>(*t.size + n);
      return;
    }
    if (s.scan == kScanNone && slot != kPasswd) return;
    ZkEvent* e = target();
    if (e == nullptr) return;
    if (slot == kPasswd) {
      if (!e->password_sent) {
        e->password_sent = std::any_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b != 0; });
      }
      return;
    }
    for (const std::uint8_t b : bytes) {
      const char ch = static_cast<char>(b);
      switch (s.scan) {
        case kScanUser:
          if (ch == ':') {
            s.scan = kScanUserDone;
            if (e->auth_user.truncated) mark_truncated();
            return;  // the password follows: never looked at
          }
          e->auth_user.append(std::string_view(&ch, 1));
          break;
        case kScanSaslFirst:
          if (b == 0x60) {  // ASN.1 application tag of a GSSAPI initial token
            e->detail.sasl_mechanism = ZkSaslMechanism::kGssapi;
            s.scan = kScanNone;
            return;
          }
          s.scan = kScanSaslPattern;
          sasl_pattern(ch);
          break;
        case kScanSaslPattern: sasl_pattern(ch); break;
        case kScanSaslCapture:
          if (ch == '"') {
            s.scan = kScanNone;
            if (e->auth_user.truncated) mark_truncated();
            return;
          }
          e->auth_user.append(std::string_view(&ch, 1));
          break;
        default: return;
      }
    }
  }

  void sasl_pattern(char ch) {
    if (decoders::ascii_lower(ch) == kSaslUserPattern[s.scan_pos]) {
      if (++s.scan_pos == kSaslUserPattern.size()) {
        ZkEvent* e = target();
        if (e == nullptr) return;
        e->detail.sasl_mechanism = ZkSaslMechanism::kDigestMd5;
        e->auth_user.clear();
        s.scan = kScanSaslCapture;
      }
      return;
    }
    s.scan_pos = decoders::ascii_lower(ch) == kSaslUserPattern[0] ? 1 : 0;  // 'u' occurs once in the pattern
  }

  void end_content(Op op, std::uint8_t slot) {
    if (op != Op::kBuf || slot != kAuthCredentials) return;
    ZkEvent* e = target();
    // No ':' at all: no user can be told apart from the secret; keep nothing.
    if (e != nullptr && s.scan == kScanUser) e->auth_user.clear();
    s.scan = kScanNone;
  }

  // The content being read will not be seen to its end (malformed frame,
  // gap, end of connection).
  void abort_content() {
    if (!s.in_content) return;
    s.in_content = false;
    ZkEvent* e = target();
    if (e != nullptr && s.content_slot == kAuthCredentials && s.scan == kScanUser) e->auth_user.clear();
    s.scan = kScanNone;
  }

  // ---- gaps and the end ----

  void gap(std::uint32_t n) {
    switch (s.phase) {
      case Phase::kStopped: return;
      case Phase::kIgnore:
        counters().skipped_gap_bytes += n;
        return;
      case Phase::kTraceMask:  // the argument is lost
        s.phase = Phase::kIgnore;
        return;
      case Phase::kLength: return desync();
      case Phase::kSkipFrame:
        if (n <= s.frame_left) {
          s.frame_left -= n;
          counters().skipped_gap_bytes += n;
          if (s.frame_left == 0) end_frame();
          return;
        }
        return desync();
      case Phase::kBody: break;
    }
    if (s.in_content && n <= s.content_left) {
      // Inside bytes that are skipped or merely copied: the text is cut, a
      // digest user may have lost its ':' (so it is dropped), the rest goes on.
      ZkEvent* e = target();
      if (s.content_slot == kAuthCredentials && s.scan == kScanUser && e != nullptr) e->auth_user.clear();
      if (s.scan != kScanNone) s.scan = kScanNone;
      if (!s.text_stopped && e != nullptr) {
        const TextRef t = text(s.content_slot);
        if (t.data != nullptr && program(s.stack[s.depth - 1u].program)[s.stack[s.depth - 1u].pc].op == Op::kUStr) {
          s.text_stopped = true;
          if (!*t.truncated) {
            *t.truncated = true;
            mark_truncated();
          }
        }
      }
      s.content_left -= n;
      s.frame_left -= n;
      counters().skipped_gap_bytes += n;
      std::span<const std::uint8_t> none;
      run(none);  // the field (or the frame) may be complete now
      return;
    }
    if (n <= s.frame_left) {
      ++counters().gap_resyncs;
      if (ZkEvent* e = target()) e->incomplete = true;
      abort_content();
      s.silent = true;
      finish_record();
      s.frame_left -= n;
      skip_rest();
      return;
    }
    desync();
  }

  void desync() {
    ++counters().desync_gaps;
    stop();
    stopped();
  }

  // This direction decodes nothing more.
  void stopped() {
    c.check_stopped(sink);                           // both sides: everything out
    if (server && !c.ended_) c.release_pending(sink);  // their replies cannot be decoded
  }

  // Nothing more is read: a record under way is emitted as incomplete.
  void stop() {
    if (s.phase == Phase::kBody) {
      if (ZkEvent* e = target()) e->incomplete = true;
      abort_content();
      finish_record();
    }
    s.depth = 0;
    s.phase = Phase::kStopped;
  }
};

void ZkConnection::reset() noexcept {
  pending_count_ = 0;
  used_slots_ = 0;
  building_slots_ = 0;
  order_ = {};
  std::memset(static_cast<void*>(&client_), 0, sizeof(client_));
  std::memset(static_cast<void*>(&server_), 0, sizeof(server_));
  for (auto* s : {&client_, &server_}) {
    s->phase = Phase::kLength;
    s->target = kNoSlot;
    s->sub_index = -1;
  }
  counters_ = ZkCounters{};
  mode_ = Mode::kUndecided;
  connect_started_ = false;
  connect_emitted_ = false;
  server_started_ = false;
  ended_ = false;
  session_known_ = false;
  session_id_ = 0;
}

void ZkConnection::emit(ZkEvent& e, ZkEventSink& sink) {
  if (e.kind != ZkEventKind::kConnect) {
    e.session_id = session_id_;
    e.session_known = session_known_;
  }
  ++counters_.events;
  sink.on_event(e);
}

std::uint8_t ZkConnection::acquire_slot(ZkEventSink& sink) {
  for (std::uint8_t i = 0; i < kMaxPending; ++i) {
    if ((used_slots_ & (1u << i)) == 0) {
      used_slots_ |= static_cast<std::uint16_t>(1u << i);
      order_[pending_count_++] = i;
      return i;
    }
  }
  if (pending_count_ == 0) return kNoSlot;
  // Full: the oldest goes out without its reply.
  const std::uint8_t slot = order_[0];
  std::copy(order_.begin() + 1, order_.begin() + pending_count_, order_.begin());
  --pending_count_;
  ++counters_.pending_overflows;
  ++counters_.unreplied_requests;
  emit(events_[slot], sink);
  order_[pending_count_++] = slot;
  return slot;
}

std::uint8_t ZkConnection::take_pending(std::int32_t xid) {
  for (std::uint8_t i = 0; i < pending_count_; ++i) {
    const std::uint8_t slot = order_[i];
    if ((building_slots_ & (1u << slot)) != 0 || events_[slot].xid != xid) continue;
    std::copy(order_.begin() + i + 1, order_.begin() + pending_count_, order_.begin() + i);
    --pending_count_;
    return slot;
  }
  return kNoSlot;
}

void ZkConnection::release_pending(ZkEventSink& sink) {
  std::uint8_t kept = 0;
  for (std::uint8_t i = 0; i < pending_count_; ++i) {
    const std::uint8_t slot = order_[i];
    if ((building_slots_ & (1u << slot)) != 0) {
      order_[kept++] = slot;
      continue;
    }
    ++counters_.unreplied_requests;
    emit(events_[slot], sink);
    used_slots_ &= static_cast<std::uint16_t>(~(1u << slot));
  }
  pending_count_ = kept;
}

void ZkConnection::flush(ZkEventSink& sink) {
  if (mode_ == Mode::kFourLetterWord) {
    emit(events_[kConnectSlot], sink);
  } else if (connect_started_ && !connect_emitted_) {
    ZkEvent& e = events_[kConnectSlot];
    if (!e.replied) {
      e.session_id = e.requested_session_id;
      e.session_known = e.requested_session_id != 0;
    }
    connect_emitted_ = true;
    emit(e, sink);
  }
  for (std::uint8_t i = 0; i < pending_count_; ++i) {
    ZkEvent& e = events_[order_[i]];
    if ((building_slots_ & (1u << order_[i])) != 0) e.incomplete = true;
    ++counters_.unreplied_requests;
    emit(e, sink);
  }
  pending_count_ = 0;
  used_slots_ = 0;
  building_slots_ = 0;
  ended_ = true;
}

void ZkConnection::check_stopped(ZkEventSink& sink) {
  if (!ended_ && mode_ != Mode::kFourLetterWord && client_.phase == Phase::kStopped &&
      server_.phase == Phase::kStopped) {
    flush(sink);
  }
}

void ZkConnection::feed_client(std::span<const std::uint8_t> bytes, const ZkLimits& limits, ZkEventSink& sink) {
  counters_.client_bytes += bytes.size();
  if (ended_) return;
  Reader{*this, client_, sink, limits, false}.feed(bytes);
}

void ZkConnection::feed_server(std::span<const std::uint8_t> bytes, const ZkLimits& limits, ZkEventSink& sink) {
  counters_.server_bytes += bytes.size();
  if (ended_) return;
  if (mode_ == Mode::kFourLetterWord) {
    events_[kConnectSlot].response_bytes += bytes.size();
    return;
  }
  Reader{*this, server_, sink, limits, true}.feed(bytes);
}

void ZkConnection::gap_client(std::uint32_t lost_bytes, ZkEventSink& sink) {
  if (ended_ || lost_bytes == 0) return;
  ++counters_.gaps;
  const ZkLimits limits;
  Reader{*this, client_, sink, limits, false}.gap(lost_bytes);
}

void ZkConnection::gap_server(std::uint32_t lost_bytes, ZkEventSink& sink) {
  if (ended_ || lost_bytes == 0) return;
  ++counters_.gaps;
  if (mode_ == Mode::kFourLetterWord) {
    events_[kConnectSlot].response_bytes += lost_bytes;
    return;
  }
  const ZkLimits limits;
  Reader{*this, server_, sink, limits, true}.gap(lost_bytes);
}

void ZkConnection::end(ZkEventSink& sink) {
  if (ended_) return;
  const ZkLimits limits;
  Reader{*this, server_, sink, limits, true}.stop();
  Reader{*this, client_, sink, limits, false}.stop();
  flush(sink);
}

bool ZkConnection::finished() const noexcept { return ended_; }

ZkProbe probe_client_start(std::span<const std::uint8_t> first) noexcept {
  if (first.size() < 4) return ZkProbe::kNo;
  std::array<char, 4> word{};
  std::memcpy(word.data(), first.data(), 4);
  if (is_four_letter_word(word)) return ZkProbe::kFourLetterWord;
  if (first[0] != 0 || first[1] != 0 || first[2] != 0 || (first[3] != 0x2c && first[3] != 0x2d)) return ZkProbe::kNo;
  // protocolVersion 0, as far as the payload goes (the C client sends the length alone).
  for (std::size_t i = 4; i < std::min<std::size_t>(first.size(), 8); ++i) {
    if (first[i] != 0) return ZkProbe::kNo;
  }
  return ZkProbe::kClientPort;
}

static_assert(sizeof(ZkConnection) <= 48 * 1024, "ZkConnection should stay a few tens of KiB");
static_assert(std::is_trivially_copyable_v<detail::JuteStream>);

}  // namespace segward::zookeeper
