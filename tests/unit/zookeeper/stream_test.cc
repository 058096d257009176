// Streaming and bad input: large frames spread over many segments with no
// memory cost, oversize and malformed frames, every prefix of a
// conversation, gaps, the pending FIFO overflowing.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/zookeeper/zk_test_support.h"

#if defined(__SANITIZE_ADDRESS__)
#define SEGWARD_ZK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SEGWARD_ZK_ASAN 1
#endif
#endif
#if defined(SEGWARD_ZK_ASAN)
// From <sanitizer/allocator_interface.h>, which not every toolchain installs.
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*malloc_hook)(const volatile void*, std::size_t),
                                                         void (*free_hook)(const volatile void*));
#else
#include <malloc.h>
#endif

namespace segward::zookeeper::testing {
namespace {

// Keeps copies of a few events without allocating while armed.
class FixedSink final : public ZkEventSink {
 public:
  void on_event(const ZkEvent& event) override {
    if (count < events.size()) events[count] = event;
    ++count;
  }
  std::array<ZkEvent, 4> events;
  std::size_t count = 0;
};

#if defined(SEGWARD_ZK_ASAN)
std::uint64_t g_allocations = 0;
bool g_counting = false;
void on_malloc(const volatile void*, std::size_t) {
  if (g_counting) ++g_allocations;
}
void on_free(const volatile void*) {}
#endif

void* allocations_held_ = nullptr;

// Heap allocations made while `fn` runs (ASan's hooks), or the growth of the
// heap in use (glibc) where ASan is absent.
template <class Fn>
std::uint64_t allocations_during(Fn&& fn) {
#if defined(SEGWARD_ZK_ASAN)
  static const bool installed = __sanitizer_install_malloc_and_free_hooks(on_malloc, on_free) != 0;
  EXPECT_TRUE(installed);
  g_allocations = 0;
  g_counting = true;
  fn();
  g_counting = false;
  return g_allocations;
#else
  const auto before = mallinfo2().uordblks;
  fn();
  const auto after = mallinfo2().uordblks;
  return after > before ? after - before : 0;
#endif
}

TEST(ZkStream, AllocationCounterSeesAllocations) {
  volatile std::size_t n = 4096;
  const std::uint64_t seen = allocations_during([&] {
    auto* p = new std::uint8_t[n];
    p[0] = 1;
    delete[] p;
    auto* q = new std::uint8_t[n];  // glibc's in-use growth needs one still held
    allocations_held_ = q;
  });
  delete[] static_cast<std::uint8_t*>(allocations_held_);
  EXPECT_GT(seen, 0u);
}

Bytes big_set_data(std::size_t n) {
  return request(42, opcode::kSetData).ustring("/segward/blob").buffer_of(n, 0xab).i32(-1).frame();
}

TEST(ZkStream, HalfMegabyteSetDataIn1448ByteSegmentsCostsNoMemory) {
  const Bytes hello = connect_request();
  const Bytes welcome = connect_response();
  const Bytes frame = big_set_data(512 * 1024);
  const Bytes answer = reply(42, 0x77, 0).stat(1, 0x77, 1, 0, 512 * 1024).frame();
  for (const std::size_t segment : {std::size_t{1448}, std::size_t{1}}) {
    ZkConnection c;
    FixedSink sink;
    const ZkLimits limits;
    const std::uint64_t allocated = allocations_during([&] {
      c.feed_client(hello, limits, sink);
      c.feed_server(welcome, limits, sink);
      for (std::size_t at = 0; at < frame.size(); at += segment) {
        c.feed_client(std::span(frame).subspan(at, std::min(segment, frame.size() - at)), limits, sink);
      }
      for (std::size_t at = 0; at < answer.size(); at += segment) {
        c.feed_server(std::span(answer).subspan(at, std::min(segment, answer.size() - at)), limits, sink);
      }
      c.end(sink);
    });
    EXPECT_EQ(allocated, 0u) << "segment " << segment;
    ASSERT_EQ(sink.count, 2u);
    const ZkEvent& e = sink.events[1];
    EXPECT_EQ(e.kind, ZkEventKind::kRequest);
    EXPECT_EQ(e.opcode, opcode::kSetData);
    EXPECT_EQ(e.data_len, 512 * 1024);
    EXPECT_EQ(e.version, -1);
    EXPECT_TRUE(e.replied);
    EXPECT_EQ(e.detail.stat.data_length, 512 * 1024);
    EXPECT_EQ(c.counters().malformed_frames, 0u);
  }
}

TEST(ZkStream, BigGetDataReplyIsSkippedByCount) {
  Conversation conv = handshake();
  conv.push_back(client(request(3, opcode::kGetData).ustring("/segward/blob").boolean(false).frame()));
  conv.push_back(server(reply(3, 1, 0).buffer_of(600 * 1024, 0).stat().frame()));
  const Decoded d = decode_cut(conv, Cut::kRandom);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(e.detail.reply_data_len, 600 * 1024);
  EXPECT_TRUE(e.detail.has_stat);
}

TEST(ZkStream, FrameTooLargeStopsThatDirection) {
  ZkLimits small;
  small.max_frame = 1000;
  Conversation conv = handshake();
  conv.push_back(client(big_set_data(2000)));
  conv.push_back(client(request(43, opcode::kSync).ustring("/").frame()));  // never decoded
  conv.push_back(server(reply(42, 1, 0).stat().frame()));
  const Decoded d = decode(conv, small);
  const ZkEvent& big = d.only(ZkEventKind::kFrameTooLarge);
  EXPECT_EQ(big.direction, ZkDirection::kClient);
  EXPECT_EQ(big.frame_len, static_cast<std::int32_t>(big_set_data(2000).size() - 4));
  EXPECT_TRUE(big.session_known);
  EXPECT_EQ(d.counters.frames_too_large, 1u);
  EXPECT_EQ(d.requests().size(), 0u);
  EXPECT_EQ(d.counters.unpaired_replies, 1u);  // the server side went on
}

TEST(ZkStream, DefaultLimitIsJuteMaxBuffer) {
  Conversation conv = handshake();
  Bytes huge = {0x00, 0x10, 0x00, 0x00};  // 1,048,576 > 1,048,575
  conv.push_back(client(huge));
  const Decoded d = decode(conv);
  const ZkEvent& big = d.only(ZkEventKind::kFrameTooLarge);
  EXPECT_EQ(big.frame_len, 1048576);
}

TEST(ZkStream, TlsOrHttpOnTheClientPortIsAFrameTooLarge) {
  const Bytes tls = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc};
  const Decoded d = decode({client(tls)});
  const ZkEvent& e = d.only(ZkEventKind::kFrameTooLarge);
  EXPECT_EQ(e.frame_len, 0x16030102);
  EXPECT_EQ(std::string_view(e.four_letter_word.data(), 4), std::string_view("\x16\x03\x01\x02", 4));
  EXPECT_EQ(d.of_kind(ZkEventKind::kConnect).size(), 0u);
  const Bytes get = {'G', 'E', 'T', ' ', '/', ' ', 'H'};
  const Decoded h = decode({client(get)});
  EXPECT_EQ(std::string_view(h.only(ZkEventKind::kFrameTooLarge).four_letter_word.data(), 4), "GET ");
}

TEST(ZkStream, NegativeLengthAndBothDirectionsStopped) {
  ZkConnection c;
  RecordingSink sink;
  const ZkLimits limits;
  const Bytes hello = connect_request();
  c.feed_client(hello, limits, sink);
  const Bytes pending = request(1, opcode::kExists).ustring("/a").boolean(false).frame();
  c.feed_client(pending, limits, sink);
  const Bytes neg = {0xff, 0xff, 0xff, 0xf0};
  c.feed_client(neg, limits, sink);
  EXPECT_FALSE(c.finished());
  c.feed_server(neg, limits, sink);
  EXPECT_TRUE(c.finished());  // nothing more can be decoded: everything was emitted
  ASSERT_EQ(sink.events.size(), 4u);
  EXPECT_EQ(sink.events[0].kind, ZkEventKind::kFrameTooLarge);
  EXPECT_EQ(sink.events[0].frame_len, -16);
  EXPECT_EQ(sink.events[1].kind, ZkEventKind::kFrameTooLarge);
  EXPECT_EQ(sink.events[1].direction, ZkDirection::kServer);
  EXPECT_EQ(sink.events[2].kind, ZkEventKind::kConnect);
  EXPECT_FALSE(sink.events[2].replied);
  EXPECT_EQ(sink.events[3].kind, ZkEventKind::kRequest);
  EXPECT_FALSE(sink.events[3].replied);
  c.end(sink);
  EXPECT_EQ(sink.events.size(), 4u);
}

// A request body whose declared lengths do not fit: counted by kind, the
// rest of the frame skipped, the next frame decoded.
void expect_malformed_then_recovers(const Bytes& bad, std::uint64_t ZkCounters::*kind) {
  Conversation conv = handshake();
  conv.push_back(client(bad));
  conv.push_back(client(request(2, opcode::kExists).ustring("/next").boolean(false).frame()));
  conv.push_back(server(reply(2, 3, -101).frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.*kind, 1u);
  EXPECT_EQ(d.counters.malformed_frames, 1u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 2u);
  // The good one is emitted with its reply; the bad one, never answered, at the end.
  EXPECT_EQ(reqs[0].path.view(), "/next");
  EXPECT_TRUE(reqs[0].replied);
  EXPECT_FALSE(reqs[0].malformed);
  EXPECT_EQ(reqs[1].xid, 1);
  EXPECT_TRUE(reqs[1].malformed);
  EXPECT_FALSE(reqs[1].replied);
}

TEST(ZkStream, MalformedLengthsInsideAFrame) {
  // ustring length beyond the frame end
  expect_malformed_then_recovers(request(1, opcode::kGetData).i32(100).raw(Bytes{'/', 'x'}).boolean(false).frame(),
                                 &ZkCounters::malformed_string_lengths);
  // ustring length below -1
  expect_malformed_then_recovers(request(1, opcode::kGetData).i32(-7).boolean(false).frame(), &ZkCounters::malformed_string_lengths);
  // buffer length beyond the frame end
  expect_malformed_then_recovers(request(1, opcode::kSetData).ustring("/x").i32(1 << 20).i32(0).frame(),
                                 &ZkCounters::malformed_buffer_lengths);
  // vector count that cannot fit
  expect_malformed_then_recovers(request(1, opcode::kSetAcl).ustring("/x").i32(1000).acl(31, "world", "anyone").i32(0).frame(),
                                 &ZkCounters::malformed_vector_counts);
  expect_malformed_then_recovers(request(1, opcode::kSetAcl).ustring("/x").i32(-2).i32(0).frame(),
                                 &ZkCounters::malformed_vector_counts);
  // frame shorter than the record
  expect_malformed_then_recovers(request(1, opcode::kDelete).ustring("/x").frame(), &ZkCounters::malformed_short_records);
}

TEST(ZkStream, FrameShorterThanItsHeader) {
  Conversation conv = handshake();
  conv.push_back(client(Jute().i32(5).frame()));  // 4-byte body: no room for the type
  conv.push_back(client(Jute().frame()));         // empty frame
  conv.push_back(client(request(2, opcode::kSync).ustring("/ok").frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.malformed_short_records, 2u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path.view(), "/ok");
}

TEST(ZkStream, TrailingBytesAreCountedAndSkipped) {
  Conversation conv = handshake();
  conv.push_back(client(request(1, opcode::kSync).ustring("/a").raw(Bytes{1, 2, 3}).frame()));
  conv.push_back(server(reply(1, 2, 0).ustring("/a").frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.trailing_bytes_frames, 1u);
  EXPECT_EQ(d.counters.malformed_frames, 0u);
  EXPECT_TRUE(d.only(ZkEventKind::kRequest).replied);
}

TEST(ZkStream, MalformedReplyStillPairs) {
  Conversation conv = handshake();
  conv.push_back(client(request(1, opcode::kCreate).ustring("/a").buffer("").i32(0).i32(0).frame()));
  conv.push_back(server(reply(1, 2, 0).i32(5000).frame()));  // created path overruns the frame
  conv.push_back(client(request(2, opcode::kSync).ustring("/b").frame()));
  conv.push_back(server(reply(2, 3, 0).ustring("/b").frame()));
  const Decoded d = decode(conv);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_TRUE(reqs[0].replied);
  EXPECT_TRUE(reqs[0].malformed);
  EXPECT_TRUE(reqs[1].replied);
  EXPECT_FALSE(reqs[1].malformed);
}

// Every prefix of a conversation, then end(): never a crash, events that are
// whole up to where the bytes stopped, everything emitted once.
TEST(ZkStream, EveryPrefixThenEnd) {
  Jute create = request(3, opcode::kCreate);
  create.ustring("/mesos/json.info_").buffer(R"({"pid":"master@192.0.2.21:5050"})").i32(2).acl(1, "world", "anyone").acl(31, "auth", "").i32(3);
  Jute multi = request(4, opcode::kMulti);
  multi.multi_header(opcode::kCreate, false, -1).ustring("/t").buffer("v").i32(0).i32(0).multi_end();
  const Bytes client_bytes = concat({connect_request(), request(xid::kAuth, opcode::kAuth).i32(0).ustring("digest").buffer("mesos:pw").frame(),
                                     create.frame(), multi.frame()});
  Jute mreply = reply(4, 9, 0);
  mreply.multi_header(opcode::kCreate, false, 0).ustring("/t").multi_end();
  const Bytes server_bytes = concat({connect_response(), reply(xid::kAuth, 0, 0).frame(),
                                     reply(3, 8, 0).ustring("/mesos/json.info_0000000000").frame(), mreply.frame(),
                                     reply(-1, -1, 0).i32(4).i32(3).ustring("/mesos").frame()});
  const Decoded full = decode({client(client_bytes), server(server_bytes)});
  ASSERT_EQ(full.events.size(), 5u);
  for (std::size_t cut = 0; cut <= client_bytes.size(); ++cut) {
    const Decoded d = decode_cut({client(Bytes(client_bytes.begin(), client_bytes.begin() + static_cast<std::ptrdiff_t>(cut)))}, Cut::kWhole);
    EXPECT_TRUE(d.finished);
    for (const ZkEvent& e : d.events) {
      EXPECT_FALSE(e.replied);
      if (e.auth_scheme.view() == "digest") {
        EXPECT_TRUE(e.auth_user.empty() || e.auth_user.view() == "mesos") << cut;
      }
    }
    EXPECT_EQ(d.counters.malformed_frames, 0u) << cut;
  }
  for (std::size_t cut = 0; cut <= server_bytes.size(); ++cut) {
    const Decoded d = decode_cut({client(client_bytes), server(Bytes(server_bytes.begin(), server_bytes.begin() + static_cast<std::ptrdiff_t>(cut)))},
                                 Cut::kWhole);
    EXPECT_TRUE(d.finished);
    // connect + 3 requests always; the notification only once its header is in.
    EXPECT_GE(d.events.size(), 4u) << cut;
    EXPECT_LE(d.events.size(), 5u) << cut;
    EXPECT_EQ(d.counters.malformed_frames, 0u) << cut;
    std::size_t replied = 0;
    for (const ZkEvent& e : d.events) replied += e.kind == ZkEventKind::kRequest && e.replied;
    EXPECT_LE(replied, 3u);
  }
}

TEST(ZkStream, PrefixCutInsideAReplyIsIncomplete) {
  const Bytes r = reply(3, 8, 0).ustring("/mesos/json.info_0000000000").frame();
  Conversation conv = handshake();
  conv.push_back(client(request(3, opcode::kCreate).ustring("/mesos/json.info_").buffer("").i32(0).i32(3).frame()));
  conv.push_back(server(Bytes(r.begin(), r.begin() + 35)));  // 4 + 16 header + 4 length + 11 path bytes
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_TRUE(e.replied);
  EXPECT_TRUE(e.incomplete);
  EXPECT_EQ(e.created_path.view(), "/mesos/json");  // what came
}

TEST(ZkStream, GapInsideDataIsHarmless) {
  const Bytes frame = big_set_data(10000);
  // Header (4 len + 8 hdr) + path (4 + 13) + data length 4 = 33 bytes before the data.
  Conversation conv = handshake();
  conv.push_back(client(Bytes(frame.begin(), frame.begin() + 100)));
  conv.push_back(client_gap(5000));
  conv.push_back(client(Bytes(frame.begin() + 5100, frame.end())));
  conv.push_back(server(reply(42, 1, 0).stat().frame()));
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_TRUE(e.replied);
  EXPECT_FALSE(e.incomplete);
  EXPECT_EQ(e.data_len, 10000);
  EXPECT_EQ(e.version, -1);
  EXPECT_EQ(d.counters.skipped_gap_bytes, 5000u);
  EXPECT_EQ(d.counters.desync_gaps, 0u);
}

TEST(ZkStream, GapInsideHeaderSkipsThatFrameOnly) {
  const Bytes frame = request(5, opcode::kExists).ustring("/lost").boolean(true).frame();
  Conversation conv = handshake();
  conv.push_back(client(Bytes(frame.begin(), frame.begin() + 6)));  // length + half the xid
  conv.push_back(client_gap(static_cast<std::uint32_t>(frame.size() - 6)));
  conv.push_back(client(request(6, opcode::kSync).ustring("/after").frame()));
  conv.push_back(server(reply(6, 1, 0).ustring("/after").frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.gap_resyncs, 1u);
  EXPECT_EQ(d.counters.desync_gaps, 0u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 1u);  // the cut frame never got its header
  EXPECT_EQ(reqs[0].path.view(), "/after");
  EXPECT_TRUE(reqs[0].replied);
}

TEST(ZkStream, GapInsideABodyFieldMarksTheRequestIncomplete) {
  const Bytes frame = request(5, opcode::kSetAcl).ustring("/p").i32(1).acl(31, "world", "anyone").i32(7).frame();
  Conversation conv = handshake();
  conv.push_back(client(Bytes(frame.begin(), frame.begin() + 20)));  // into the vector count
  conv.push_back(client_gap(static_cast<std::uint32_t>(frame.size() - 20)));
  conv.push_back(server(reply(5, 1, 0).stat().frame()));
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_TRUE(e.incomplete);
  EXPECT_TRUE(e.replied);
  EXPECT_EQ(e.path.view(), "/p");
}

TEST(ZkStream, GapInsideAPathCutsTheText) {
  const Bytes frame = request(5, opcode::kGetData).ustring("/abcdefghij").boolean(true).frame();
  Conversation conv = handshake();
  conv.push_back(client(Bytes(frame.begin(), frame.begin() + 20)));  // 4 + 8 + 4 + 4 path bytes
  conv.push_back(client_gap(3));
  conv.push_back(client(Bytes(frame.begin() + 23, frame.end())));
  conv.push_back(server(reply(5, 1, -101).frame()));
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_EQ(e.path.view(), "/abc");
  EXPECT_TRUE(e.path.truncated);
  EXPECT_TRUE(e.watch);
  EXPECT_TRUE(e.replied);
}

TEST(ZkStream, GapInsideDigestCredentialsDropsTheUser) {
  const Bytes frame = request(xid::kAuth, opcode::kAuth).i32(0).ustring("digest").buffer("mesos:s3cret").frame();
  // 4 len + 8 hdr + 4 type + 4 + 6 scheme + 4 buffer length = 30; "mes" then a hole over "os:".
  Conversation conv = handshake();
  conv.push_back(client(Bytes(frame.begin(), frame.begin() + 33)));
  conv.push_back(client_gap(3));
  conv.push_back(client(Bytes(frame.begin() + 36, frame.end())));
  conv.push_back(server(reply(xid::kAuth, 0, 0).frame()));
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_TRUE(e.auth_user.empty());
  EXPECT_TRUE(e.credentials_sent);
  EXPECT_TRUE(e.replied);
  const auto* p = reinterpret_cast<const char*>(&e);
  EXPECT_EQ(std::string_view(p, sizeof(e)).find("s3cret"), std::string_view::npos);
}

TEST(ZkStream, GapAcrossFramesDesynchronises) {
  Conversation conv = handshake();
  conv.push_back(client(request(1, opcode::kSync).ustring("/a").frame()));
  conv.push_back(client_gap(100));  // where a length would be
  conv.push_back(client(request(2, opcode::kSync).ustring("/b").frame()));
  conv.push_back(server(reply(1, 1, 0).ustring("/a").frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.desync_gaps, 1u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_TRUE(reqs[0].replied);
}

TEST(ZkStream, ServerDesyncLeavesRequestsUnreplied) {
  Conversation conv = handshake();
  conv.push_back(client(request(1, opcode::kSync).ustring("/a").frame()));
  conv.push_back(server_gap(40));
  conv.push_back(client(request(2, opcode::kSync).ustring("/b").frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.desync_gaps, 1u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_FALSE(reqs[0].replied);
  EXPECT_FALSE(reqs[1].replied);
  EXPECT_EQ(d.counters.unreplied_requests, 2u);
}

TEST(ZkStream, ServerDesyncReleasesPendingAtOnce) {
  ZkConnection c;
  RecordingSink sink;
  const ZkLimits limits;
  const Bytes hello = connect_request(), welcome = connect_response();
  c.feed_client(hello, limits, sink);
  c.feed_server(welcome, limits, sink);
  const Bytes q1 = request(1, opcode::kSync).ustring("/a").frame();
  c.feed_client(q1, limits, sink);
  EXPECT_EQ(sink.events.size(), 1u);
  c.gap_server(3, sink);  // inside the next length: the server side is lost
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].xid, 1);
  EXPECT_FALSE(sink.events[1].replied);
  const Bytes q2 = request(2, opcode::kSync).ustring("/b").frame();
  c.feed_client(q2, limits, sink);  // no reply can come: emitted as soon as read
  ASSERT_EQ(sink.events.size(), 3u);
  EXPECT_EQ(sink.events[2].xid, 2);
  EXPECT_EQ(c.pending(), 0u);
  EXPECT_EQ(c.counters().pending_overflows, 0u);
}

TEST(ZkStream, PendingFifoOverflowEmitsTheOldest) {
  Conversation conv = handshake();
  for (int i = 1; i <= 10; ++i) conv.push_back(client(request(i, opcode::kExists).ustring("/p" + std::to_string(i)).boolean(false).frame()));
  for (int i = 1; i <= 10; ++i) conv.push_back(server(reply(i, i, -101).frame()));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.counters.pending_overflows, 2u);
  EXPECT_EQ(d.counters.unpaired_replies, 2u);
  const auto reqs = d.requests();
  ASSERT_EQ(reqs.size(), 10u);
  EXPECT_EQ(reqs[0].xid, 1);
  EXPECT_FALSE(reqs[0].replied);
  EXPECT_EQ(reqs[1].xid, 2);
  EXPECT_FALSE(reqs[1].replied);
  for (int i = 2; i < 10; ++i) {
    EXPECT_EQ(reqs[i].xid, i + 1);
    EXPECT_TRUE(reqs[i].replied);
  }
}

TEST(ZkStream, UnrepliedAtEnd) {
  Conversation conv = handshake();
  conv.push_back(client(request(1, opcode::kCloseSession).frame()));
  const Decoded d = decode(conv);
  const ZkEvent& e = d.only(ZkEventKind::kRequest);
  EXPECT_FALSE(e.replied);
  EXPECT_EQ(d.counters.unreplied_requests, 1u);
}

TEST(ZkStream, EphemeralNotificationsBeforeCloseReply) {
  // The server tells the closing session about its own ephemerals first.
  Conversation conv = handshake();
  conv.push_back(client(request(9, opcode::kCloseSession).frame()));
  conv.push_back(server(concat({reply(-1, -1, 0).i32(2).i32(3).ustring("/mesos/json.info_0000000000").frame(),
                                reply(-1, -1, 0).i32(4).i32(3).ustring("/mesos").frame(), reply(9, 0x99, 0).frame()})));
  const Decoded d = decode(conv);
  ASSERT_EQ(d.events.size(), 4u);
  EXPECT_EQ(d.events[1].kind, ZkEventKind::kNotification);
  EXPECT_EQ(watch_event_type_name(d.events[1].watch_event_type), "NodeDeleted");
  EXPECT_EQ(d.events[2].kind, ZkEventKind::kNotification);
  EXPECT_EQ(d.events[3].kind, ZkEventKind::kRequest);
  EXPECT_TRUE(d.events[3].replied);
}

TEST(ZkStream, FeedsAfterEndAreIgnored) {
  ZkConnection c;
  RecordingSink sink;
  const ZkLimits limits;
  c.end(sink);
  EXPECT_TRUE(c.finished());
  const Bytes hello = connect_request();
  c.feed_client(hello, limits, sink);
  c.gap_server(10, sink);
  c.end(sink);
  EXPECT_TRUE(sink.events.empty());
}

}  // namespace
}  // namespace segward::zookeeper::testing
