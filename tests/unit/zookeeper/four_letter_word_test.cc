// Four-letter words on the client port, and AdminServer /commands targets.
#include <gtest/gtest.h>

#include <string>

#include "decoders/zookeeper/admin_server.h"
#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::zookeeper::testing {
namespace {

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(ZkFourLetterWord, RuokWithTheServerAnswerSize) {
  const Decoded d = decode({client(text("ruok\n")), server(text("imok"))});
  ASSERT_EQ(d.events.size(), 1u);
  const ZkEvent& e = d.events[0];
  EXPECT_EQ(e.kind, ZkEventKind::kFourLetterWord);
  EXPECT_EQ(four_letter_word_text(e.four_letter_word), "ruok");
  EXPECT_EQ(e.response_bytes, 4u);
  EXPECT_FALSE(e.has_trace_mask);
  EXPECT_EQ(d.counters.four_letter_words, 1u);
  EXPECT_EQ(d.counters.bytes_after_four_letter_word, 1u);  // nc's newline
  EXPECT_EQ(d.counters.frames_too_large, 0u);
}

TEST(ZkFourLetterWord, EveryKnownWord) {
  for (const std::string_view w : {"ruok", "srvr", "stat", "conf", "cons", "crst", "dump", "envi", "mntr", "wchs", "wchc",
                                   "wchp", "dirs", "isro", "gtmk", "srst", "hash", "reqs", "kill"}) {
    const Decoded d = decode({client(text(w)), server(Bytes(1000, 'x')), server_gap(500)});
    const ZkEvent& e = d.only(ZkEventKind::kFourLetterWord);
    EXPECT_EQ(four_letter_word_text(e.four_letter_word), w);
    EXPECT_EQ(e.response_bytes, 1500u) << w;  // lost answer bytes count too
    std::array<char, 4> word{};
    std::copy(w.begin(), w.end(), word.begin());
    EXPECT_TRUE(is_four_letter_word(word)) << w;
  }
  EXPECT_FALSE(is_four_letter_word({'a', 'b', 'c', 'd'}));
}

TEST(ZkFourLetterWord, StmkCarriesItsMask) {
  Bytes cmd = text("stmk");
  Jute mask;
  mask.i64(0x0000000000000312);
  cmd.insert(cmd.end(), mask.body().begin(), mask.body().end());
  const Decoded d = decode({client(cmd), server(text("786\n"))});
  const ZkEvent& e = d.only(ZkEventKind::kFourLetterWord);
  EXPECT_EQ(four_letter_word_text(e.four_letter_word), "stmk");
  EXPECT_TRUE(e.has_trace_mask);
  EXPECT_EQ(e.trace_mask, 0x312u);
  EXPECT_EQ(e.response_bytes, 4u);
}

TEST(ZkFourLetterWord, StmkWithoutItsMask) {
  const Decoded d = decode({client(text("stmk\x01\x02"))});
  const ZkEvent& e = d.only(ZkEventKind::kFourLetterWord);
  EXPECT_FALSE(e.has_trace_mask);
}

TEST(ZkFourLetterWord, TelnetClose) {
  const Decoded d = decode({client(Bytes{0xff, 0xf4, 0xff, 0xfd})});
  const ZkEvent& e = d.only(ZkEventKind::kFourLetterWord);
  EXPECT_EQ(four_letter_word_text(e.four_letter_word), "telnet_close");
}

TEST(ZkFourLetterWord, NotEmittedBeforeEnd) {
  ZkConnection c;
  RecordingSink sink;
  const ZkLimits limits;
  const Bytes w = text("mntr");
  c.feed_client(w, limits, sink);
  const Bytes answer(17000, 'm');
  c.feed_server(answer, limits, sink);
  EXPECT_TRUE(sink.events.empty());
  EXPECT_FALSE(c.finished());
  c.end(sink);
  ASSERT_EQ(sink.events.size(), 1u);
  EXPECT_EQ(sink.events[0].response_bytes, 17000u);
  EXPECT_TRUE(c.finished());
}

TEST(ZkFourLetterWord, OnlyAsTheFirstBytes) {
  // After a handshake the same bytes are a (huge) length.
  Conversation conv = handshake();
  conv.push_back(client(text("ruok")));
  const Decoded d = decode(conv);
  EXPECT_EQ(d.of_kind(ZkEventKind::kFourLetterWord).size(), 0u);
  EXPECT_EQ(d.only(ZkEventKind::kFrameTooLarge).frame_len, 0x72756f6b);
}

TEST(ZkFourLetterWord, UnknownWordIsAFrameTooLarge) {
  const Decoded d = decode({client(text("abcd"))});
  EXPECT_EQ(d.of_kind(ZkEventKind::kFourLetterWord).size(), 0u);
  EXPECT_EQ(d.counters.frames_too_large, 1u);
}

TEST(ZkAdminServer, CommandsAndAliases) {
  struct Case {
    std::string_view target, command, word;
  };
  for (const Case& c : {Case{"/commands/stat?x", "stats", "stat"}, Case{"/commands/stats", "stats", "stat"},
                        Case{"/commands/conf", "configuration", "conf"}, Case{"/commands/config", "configuration", "conf"},
                        Case{"/commands/configuration", "configuration", "conf"}, Case{"/commands/cons", "connections", "cons"},
                        Case{"/commands/env", "environment", "envi"}, Case{"/commands/envi", "environment", "envi"},
                        Case{"/commands/mntr", "monitor", "mntr"}, Case{"/commands/wchp", "watches_by_path", "wchp"},
                        Case{"/commands/watches", "watches", "wchc"}, Case{"/commands/ruok", "ruok", "ruok"},
                        Case{"/commands/srvr", "server_stats", "srvr"}, Case{"/commands/dump", "dump", "dump"},
                        Case{"/commands/lead", "leader", ""}, Case{"/commands/snapshot?streaming=true", "snapshot", ""},
                        Case{"/commands/snap", "snapshot", ""}, Case{"/commands/rest", "restore", ""},
                        Case{"/commands/voting_view", "voting_view", ""}, Case{"/commands/zabstate", "zabstate", ""},
                        Case{"http://192.0.2.10:8080/commands/dirs", "dirs", "dirs"},
                        Case{"/commands/no_such_command", "no_such_command", ""}, Case{"/commands", "", ""},
                        Case{"/commands/", "", ""}}) {
    ZkEvent e;
    ASSERT_TRUE(admin_command(c.target, e)) << c.target;
    EXPECT_EQ(e.kind, ZkEventKind::kAdminCommand);
    EXPECT_EQ(e.admin_command.view(), c.command) << c.target;
    EXPECT_EQ(four_letter_word_text(e.four_letter_word), c.word) << c.target;
    EXPECT_FALSE(e.x_forwarded_for);
  }
}

TEST(ZkAdminServer, SetTraceMask) {
  ZkEvent e;
  ASSERT_TRUE(admin_command("/commands/set_trace_mask?traceMask=786", e));
  EXPECT_EQ(e.admin_command.view(), "set_trace_mask");
  EXPECT_EQ(four_letter_word_text(e.four_letter_word), "stmk");
  EXPECT_TRUE(e.has_trace_mask);
  EXPECT_EQ(e.trace_mask, 786u);
  ASSERT_TRUE(admin_command("/commands/stmk?x=1&traceMask=junk", e));
  EXPECT_FALSE(e.has_trace_mask);
}

TEST(ZkAdminServer, NotAdminTargets) {
  ZkEvent e;
  e.xid = 77;
  for (const std::string_view t : {"/", "/command/stat", "/commandsx", "/api/v1", "/master/state", "ftp://h/commands/stat", ""}) {
    EXPECT_FALSE(admin_command(t, e)) << t;
  }
  EXPECT_EQ(e.xid, 77);  // untouched
  EXPECT_EQ(admin_command_long_name("wchs"), "watch_summary");
  EXPECT_EQ(admin_command_long_name("nope"), "");
}

TEST(ZkAdminServer, LongUnknownNameIsCut) {
  ZkEvent e;
  const std::string target = "/commands/" + std::string(100, 'z');
  ASSERT_TRUE(admin_command(target, e));
  EXPECT_EQ(e.admin_command.size, 32u);
  EXPECT_TRUE(e.truncated);
}

}  // namespace
}  // namespace segward::zookeeper::testing
