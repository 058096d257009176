// The bundled real capture (tests/data/zk-cluster.pcap: kazoo "masters",
// "agent" and "operator", cli_mt, four-letter words over nc, server
// 192.0.2.10:2181) decoded connection by connection from its TCP payloads.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>

#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::zookeeper::testing {
namespace {

constexpr std::uint16_t kServerPort = 2181;

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}
std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
}

// One TCP connection to the server: in-order payload per direction (the
// capture has no loss; a spurious retransmission is trimmed by sequence).
struct Connection {
  ZkConnection zk;
  RecordingSink sink;
  bool seen_syn[2] = {false, false};
  std::uint32_t next_seq[2] = {0, 0};
  bool ended = false;
  int fins = 0;
  std::uint64_t out_of_order = 0;
};

struct Capture {
  std::map<std::uint16_t, std::unique_ptr<Connection>> connections;  // by client port
  std::size_t packets = 0;
};

void on_tcp(Capture& cap, const std::uint8_t* tcp, std::size_t tcp_len) {
  if (tcp_len < 20) return;
  const std::uint16_t sport = be16(tcp), dport = be16(tcp + 2);
  const bool from_server = sport == kServerPort;
  if (!from_server && dport != kServerPort) return;
  const std::uint16_t client_port = from_server ? dport : sport;
  const std::uint32_t seq = be32(tcp + 4);
  const std::size_t header = std::size_t{static_cast<std::uint8_t>(tcp[12] >> 4)} * 4;
  const std::uint8_t flags = tcp[13];
  if (header > tcp_len) return;
  auto& slot = cap.connections[client_port];
  if (!slot) slot = std::make_unique<Connection>();
  Connection& c = *slot;
  const int dir = from_server ? 1 : 0;
  if (flags & 0x02) {  // SYN
    c.seen_syn[dir] = true;
    c.next_seq[dir] = seq + 1;
    return;
  }
  std::span<const std::uint8_t> payload(tcp + header, tcp_len - header);
  if (!payload.empty() && c.seen_syn[dir] && !c.ended) {
    const auto behind = static_cast<std::int32_t>(c.next_seq[dir] - seq);
    if (behind > 0) payload = payload.subspan(std::min<std::size_t>(payload.size(), static_cast<std::size_t>(behind)));
    if (behind < 0) ++c.out_of_order;
    if (!payload.empty() && behind >= 0) {
      const ZkLimits limits;
      if (from_server) {
        c.zk.feed_server(payload, limits, c.sink);
      } else {
        c.zk.feed_client(payload, limits, c.sink);
      }
      c.next_seq[dir] += static_cast<std::uint32_t>(payload.size());
    }
  }
  if ((flags & 0x05) && !c.ended) {
    // The other side's bytes after a first FIN still arrive: end at the
    // second FIN or at an RST.
    if ((flags & 0x04) || ++c.fins == 2) {
      c.zk.end(c.sink);
      c.ended = true;
    }
  }
}

std::unique_ptr<Capture> read_capture(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  const std::vector<std::uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file.size() < 24 || le32(file.data()) != 0xa1b2c3d4 || le32(file.data() + 20) != 1) return nullptr;
  auto cap = std::make_unique<Capture>();
  std::size_t at = 24;
  while (at + 16 <= file.size()) {
    const std::uint32_t incl = le32(file.data() + at + 8);
    at += 16;
    if (at + incl > file.size()) break;
    const std::uint8_t* frame = file.data() + at;
    at += incl;
    ++cap->packets;
    if (incl < 14 + 20 || be16(frame + 12) != 0x0800) continue;
    const std::uint8_t* ip = frame + 14;
    const std::size_t ihl = std::size_t{static_cast<std::uint8_t>(ip[0] & 0x0f)} * 4;
    const std::size_t total = be16(ip + 2);
    if (ip[9] != 6 || ihl < 20 || total > incl - 14 || total < ihl) continue;
    on_tcp(*cap, ip + ihl, total - ihl);
  }
  for (auto& [port, c] : cap->connections) {
    if (!c->ended) c->zk.end(c->sink);
  }
  return cap;
}

class ZkCapture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { capture_ = read_capture(std::string(SEGWARD_SOURCE_DIR) + "/tests/data/zk-cluster.pcap").release(); }
  static void TearDownTestSuite() {
    delete capture_;
    capture_ = nullptr;
  }
  static std::vector<ZkEvent> all_events() {
    std::vector<ZkEvent> out;
    for (const auto& [port, c] : capture_->connections) out.insert(out.end(), c->sink.events.begin(), c->sink.events.end());
    return out;
  }
  static Capture* capture_;
};
Capture* ZkCapture::capture_ = nullptr;

TEST_F(ZkCapture, DecodesCleanly) {
  ASSERT_NE(capture_, nullptr) << "tests/data/zk-cluster.pcap missing or not an Ethernet pcap";
  EXPECT_EQ(capture_->connections.size(), 12u);
  ZkCounters total;
  for (const auto& [port, c] : capture_->connections) {
    EXPECT_EQ(c->out_of_order, 0u) << port;
    EXPECT_TRUE(c->zk.finished()) << port;
    total += c->zk.counters();
  }
  EXPECT_EQ(total.malformed_frames, 0u);
  EXPECT_EQ(total.trailing_bytes_frames, 0u);
  EXPECT_EQ(total.unpaired_replies, 0u);
  EXPECT_EQ(total.unknown_opcodes, 0u);
  EXPECT_EQ(total.frames_too_large, 0u);
  EXPECT_EQ(total.pending_overflows, 0u);
  EXPECT_EQ(total.midstream_starts, 0u);
  EXPECT_EQ(total.desync_gaps, 0u);
  EXPECT_EQ(total.four_letter_words, 7u);  // ruok srvr conf stat mntr cons wchs, one nc connection each
  EXPECT_EQ(total.connects, 5u);           // master-1, master-2, agent, operator (kazoo), cli_mt
  EXPECT_EQ(total.connect_responses, 5u);
  EXPECT_EQ(total.pings, total.ping_replies);
  // What the clients sent (zk_clients.py, make-zk-capture.sh): 61 requests, every one answered.
  EXPECT_EQ(total.requests, 61u);
  EXPECT_EQ(total.notifications, 5u);
  EXPECT_EQ(total.replies + total.ping_replies, total.requests);
  std::size_t unreplied = 0;
  for (const ZkEvent& e : all_events()) {
    if (e.kind == ZkEventKind::kRequest && !e.replied) ++unreplied;
    EXPECT_FALSE(e.malformed);
    EXPECT_FALSE(e.incomplete);
  }
  EXPECT_EQ(unreplied, 0u);
  std::printf("capture: %llu requests, %llu replies, %llu pings, %llu notifications, %llu events\n",
              static_cast<unsigned long long>(total.requests), static_cast<unsigned long long>(total.replies),
              static_cast<unsigned long long>(total.pings), static_cast<unsigned long long>(total.notifications),
              static_cast<unsigned long long>(total.events));
}

TEST_F(ZkCapture, MastersContendWithEphemeralSequentialNodes) {
  ASSERT_NE(capture_, nullptr);
  std::vector<std::string> created;
  for (const ZkEvent& e : all_events()) {
    if (e.kind != ZkEventKind::kRequest || e.opcode != opcode::kCreate || e.path.view() != "/mesos/json.info_") continue;
    EXPECT_EQ(e.flags, 3);
    EXPECT_EQ(create_mode_name(e.flags), "EPHEMERAL_SEQUENTIAL");
    EXPECT_TRUE(e.replied);
    EXPECT_EQ(e.err, 0);
    EXPECT_TRUE(e.session_known);
    EXPECT_GT(e.data_len, 50);  // JSON MasterInfo
    EXPECT_EQ(e.acl_count, 1);
    EXPECT_EQ(e.acl[0].scheme.view(), "world");
    created.emplace_back(e.created_path.view());
  }
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0] < created[1] ? created[0] : created[1], "/mesos/json.info_0000000000");
  EXPECT_EQ(created[0] < created[1] ? created[1] : created[0], "/mesos/json.info_0000000001");
}

TEST_F(ZkCapture, OperatorTraffic) {
  ASSERT_NE(capture_, nullptr);
  bool big_set = false, auth = false, failed_multi = false, good_multi = false, notification = false, get_acl = false;
  for (const ZkEvent& e : all_events()) {
    if (e.kind == ZkEventKind::kNotification) notification = true;
    if (e.kind != ZkEventKind::kRequest) continue;
    if (e.opcode == opcode::kSetData && e.path.view() == "/segward/blob" && e.data_len == 500 * 1024) {
      big_set = true;
      EXPECT_TRUE(e.replied);
      EXPECT_EQ(e.err, 0);
    }
    if (e.opcode == opcode::kAuth) {
      EXPECT_EQ(e.auth_scheme.view(), "digest");
      EXPECT_TRUE(e.auth_user.view() == "mesos" || e.auth_user.view() == "cli") << e.auth_user.view();  // kazoo, cli_mt
      auth = auth || e.auth_user.view() == "mesos";
      const auto* p = reinterpret_cast<const char*>(&e);
      EXPECT_EQ(std::string_view(p, sizeof(e)).find("s3cret-demo"), std::string_view::npos);
    }
    if (e.opcode == opcode::kGetAcl && e.path.view() == "/segward/secured") {
      get_acl = true;
      EXPECT_EQ(e.acl_count, 2);
      EXPECT_EQ(e.acl[0].scheme.view(), "digest");
    }
    if (e.opcode == opcode::kMulti && e.sub_op_count == 3 && e.sub_ops[0].path.view() == "/segward/tx-c") {
      failed_multi = true;
      EXPECT_EQ(e.err, 0);
      for (int i = 0; i < 3; ++i) EXPECT_TRUE(e.sub_ops[i].error_result) << i;
      EXPECT_EQ(e.sub_ops[0].err, 0);  // rolled back
      EXPECT_EQ(e.sub_ops[1].err, -101);
      EXPECT_EQ(e.sub_ops[2].err, -2);
    }
    if (e.opcode == opcode::kMulti && e.sub_op_count == 3 && e.sub_ops[0].path.view() == "/segward/tx-a") {
      good_multi = true;
      EXPECT_EQ(e.sub_ops[2].opcode, opcode::kCheck);
      for (int i = 0; i < 3; ++i) EXPECT_EQ(e.sub_ops[i].err, 0);
    }
  }
  EXPECT_TRUE(big_set);
  EXPECT_TRUE(auth);
  EXPECT_TRUE(get_acl);
  EXPECT_TRUE(failed_multi);
  EXPECT_TRUE(good_multi);
  EXPECT_TRUE(notification);
}

TEST_F(ZkCapture, CClientTraits) {
  ASSERT_NE(capture_, nullptr);
  std::size_t c_requests = 0;
  for (const ZkEvent& e : all_events()) {
    if (e.kind == ZkEventKind::kRequest && e.xid > 1'000'000'000) {  // cli_mt seeds xids with the time
      ++c_requests;
      EXPECT_TRUE(e.replied);
    }
  }
  EXPECT_EQ(c_requests, 13u);
}

TEST_F(ZkCapture, FourLetterWords) {
  ASSERT_NE(capture_, nullptr);
  std::map<std::string, std::uint64_t> words;
  for (const ZkEvent& e : all_events()) {
    if (e.kind == ZkEventKind::kFourLetterWord) words[std::string(four_letter_word_text(e.four_letter_word))] = e.response_bytes;
  }
  ASSERT_EQ(words.size(), 7u);
  EXPECT_EQ(words["ruok"], 4u);  // imok
  EXPECT_GT(words["srvr"], 100u);
  EXPECT_GT(words["stat"], words["srvr"]);
  EXPECT_GT(words["conf"], 100u);
  EXPECT_GT(words["mntr"], 10000u);
  EXPECT_GT(words["cons"], 0u);
  EXPECT_GT(words["wchs"], 0u);
}

}  // namespace
}  // namespace segward::zookeeper::testing
