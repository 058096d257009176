// EVE rendering: Suricata's field names, numbers as JSON numbers, timestamps.
#include "mgmt/eve_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "mgmt/event_renderer.h"
#include "tests/unit/mgmt/eve_test_support.h"

namespace segward::mgmt {
namespace {

TEST(EveTime, SuricataFormatInUtc) {
  EXPECT_EQ("2026-11-24T11:31:09.123456+0000", format_eve_time(1795519869'123456789ULL));
  EXPECT_EQ("1970-01-01T00:00:00.000000+0000", format_eve_time(0));
}

TEST(EveJson, UnquotesOnly64BitIntegerFields) {
  std::string json = R"({"flow_id":"123","src_ip":"10","flow":{"pkts_toserver":"5","state":"new"},)"
                     R"("stats":{"decoder":{"errors":{"eth_truncated":"7","tcp_truncated":"0"}}}})";
  unquote_int64_fields(json);
  EXPECT_EQ(R"({"flow_id":123,"src_ip":"10","flow":{"pkts_toserver":5,"state":"new"},)"
            R"("stats":{"decoder":{"errors":{"eth_truncated":7,"tcp_truncated":0}}}})",
            json);
}

// The pass reads the JSON's structure: a key's name inside a string value
// is text, not a key; escaped quotes do not end a string; only the direct
// values of a uint64 map are numbers, not those of an object nested in it;
// values that are not all digits keep their quotes; a cut text is copied.
TEST(EveJson, UnquoteFollowsTheJsonStructure) {
  std::string json =
      R"({"app_proto":"a \"flow_id\":\"5\" b","flow_id":"9","signature":"\\","bytes":"12x",)"
      R"("stats":{"decoder":{"errors":{"eth_truncated":"3","nested":{"ipv4_bad":"4"}},"pkts":"8"}},)"
      R"("flow":{"state":"closed","pkts_toclient":""}})";
  unquote_int64_fields(json);
  EXPECT_EQ(R"({"app_proto":"a \"flow_id\":\"5\" b","flow_id":9,"signature":"\\","bytes":"12x",)"
            R"("stats":{"decoder":{"errors":{"eth_truncated":3,"nested":{"ipv4_bad":"4"}},"pkts":8}},)"
            R"("flow":{"state":"closed","pkts_toclient":""}})",
            json);
  std::string cut = R"({"flow_id":"12)";
  unquote_int64_fields(cut);
  EXPECT_EQ(R"({"flow_id":"12)", cut);
}

dataplane::FlowRecord sample_record() {
  dataplane::FlowRecord r{};
  r.key.addr_lo = {192, 0, 2, 1};
  r.key.addr_hi = {192, 0, 2, 20};
  r.key.port_lo = 2181;
  r.key.port_hi = 40000;
  r.key.proto = 6;
  r.client_is_lo = false;
  r.flow_id = 42;
  r.first_ns = 1795519869'000000000ULL;
  r.last_ns = 1795519872'500000000ULL;
  r.pkts[0] = 5;
  r.pkts[1] = 0;
  r.bytes[0] = 400;
  r.bytes[1] = 0;
  r.state = dataplane::FlowState::kNew;
  r.reason = dataplane::FlowEndReason::kTimeout;
  r.tcp_flags[0] = net::tcp_flags::kSyn;
  return r;
}

TEST(EveJson, FlowEventHasSuricataFieldsAndZeroCounts) {
  events::Event e;
  render_flow_event(sample_record(), {"tap0"}, e);
  const std::string line = testing::eve_line(e, "eve_flow_test.json");
  EXPECT_EQ(
      R"({"timestamp":"2026-11-24T11:31:12.500000+0000","flow_id":42,"in_iface":"tap0","event_type":"flow",)"
      R"("src_ip":"192.0.2.20","src_port":40000,"dest_ip":"192.0.2.1","dest_port":2181,"proto":"TCP",)"
      R"("flow":{"pkts_toserver":5,"pkts_toclient":0,"bytes_toserver":400,"bytes_toclient":0,)"
      R"("start":"2026-11-24T11:31:09.000000+0000","end":"2026-11-24T11:31:12.500000+0000","age":3,)"
      R"("state":"new","reason":"timeout"},)"
      R"("tcp":{"tcp_flags":"02","tcp_flags_ts":"02","tcp_flags_tc":"00","syn":true,"fin":false,"rst":false}})",
      line);
}

}  // namespace
}  // namespace segward::mgmt

namespace segward::mgmt {
namespace {

// A full disk (/dev/full answers every write with ENOSPC): the writes and
// flushes that fail are counted, and a failed write is not reported as
// written. (A record stdio only buffered counts as written until its flush
// fails; that failure is counted too.)
TEST(OutputFileErrors, AFullDiskFailsWritesAndCountsThem) {
  OutputFile file("/dev/full", RotationPolicy{}, "test output");
  const std::string line(1000, 'x');
  unsigned written = 0;
  // Past stdio's buffer, so that writes themselves reach the device.
  for (int i = 0; i < 64; ++i) written += file.write(line, 0) ? 1 : 0;
  const bool flushed = file.flush();
  EXPECT_FALSE(flushed);
  EXPECT_LT(written, 64u);
  EXPECT_GE(file.write_errors(), 64u - written);
}

TEST(OutputFileErrors, AWritableFileHasNone) {
  const std::string path = ::testing::TempDir() + "segward-output-file-ok.log";
  std::remove(path.c_str());
  {
    OutputFile file(path, RotationPolicy{}, "test output");
    for (int i = 0; i < 64; ++i) EXPECT_TRUE(file.write(std::string(1000, 'y'), 0));
    EXPECT_TRUE(file.flush());
    EXPECT_EQ(file.write_errors(), 0u);
  }
  std::remove(path.c_str());
}

TEST(OutputFileErrors, EveWriterDoesNotCountFailedWritesAsWritten) {
  EveWriter eve("/dev/full");
  events::Event e;
  e.set_event_type("stats");
  e.set_timestamp("2026-12-04T00:00:00.000000+0000");
  for (int i = 0; i < 200; ++i) eve.write(e);
  eve.flush();
  EXPECT_LT(eve.written(), 200u);
  EXPECT_GT(eve.write_errors(), 0u);
}

}  // namespace
}  // namespace segward::mgmt
