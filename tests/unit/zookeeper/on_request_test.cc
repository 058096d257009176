// ZkEventSink::on_request: a request is reported as soon as its frame is
// read, before its reply, whatever the segmentation; the inline policy
// judges it there.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/zookeeper/zk_test_support.h"

namespace segward::zookeeper::testing {
namespace {

// Records the order of both callbacks: "R<opcode>" for on_request, "E<kind>" for on_event.
class OrderSink final : public ZkEventSink {
 public:
  void on_event(const ZkEvent& e) override { log.push_back("E" + std::string(event_kind_name(e.kind))); }
  void on_request(const ZkEvent& e) override {
    log.push_back(e.kind == ZkEventKind::kFourLetterWord ? "R" + std::string(four_letter_word_text(e.four_letter_word))
                                                         : "R" + std::string(opcode_name(e.opcode)));
    paths.emplace_back(e.path.view());
  }
  std::vector<std::string> log;
  std::vector<std::string> paths;
};

Bytes create(std::int32_t xid, const std::string& path) {
  return request(xid, opcode::kCreate).ustring(path).buffer("x").i32(1).acl(31, "world", "anyone").i32(0).frame();
}

TEST(ZkOnRequest, FiresWhenTheRequestFrameEndsBeforeItsReply) {
  ZkLimits limits;
  ZkConnection c;
  OrderSink sink;
  c.feed_client(connect_request(), limits, sink);
  c.feed_server(connect_response(), limits, sink);
  const Bytes req = create(1, "/mesos/json.info_");
  // All but the last byte: not read whole yet.
  c.feed_client({req.data(), req.size() - 1}, limits, sink);
  EXPECT_EQ(sink.log, (std::vector<std::string>{"Econnect"}));
  c.feed_client({req.data() + req.size() - 1, 1}, limits, sink);
  ASSERT_EQ(sink.log, (std::vector<std::string>{"Econnect", "Rcreate"}));
  EXPECT_EQ(sink.paths, (std::vector<std::string>{"/mesos/json.info_"}));
  c.feed_server(reply(1, 0x20, 0).ustring("/mesos/json.info_0000000001").frame(), limits, sink);
  EXPECT_EQ(sink.log, (std::vector<std::string>{"Econnect", "Rcreate", "Erequest"}));
}

TEST(ZkOnRequest, OncePerPipelinedRequestAndForAFourLetterWord) {
  ZkLimits limits;
  ZkConnection c;
  OrderSink sink;
  c.feed_client(concat({connect_request(), create(1, "/a"), create(2, "/b")}), limits, sink);
  EXPECT_EQ(sink.log, (std::vector<std::string>{"Rcreate", "Rcreate"}));
  EXPECT_EQ(sink.paths, (std::vector<std::string>{"/a", "/b"}));

  ZkConnection word;
  OrderSink words;
  const std::string ruok = "ruok";
  word.feed_client({reinterpret_cast<const std::uint8_t*>(ruok.data()), ruok.size()}, limits, words);
  EXPECT_EQ(words.log, (std::vector<std::string>{"Rruok"}));
}

}  // namespace
}  // namespace segward::zookeeper::testing
