// RecordIO streams and the events in them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "decoders/libprocess/mesos.pb.h"
#include "decoders/mesos_api/recordio.h"
#include "decoders/mesos_api/v1.pb.h"
#include "decoders/mesos_api/v1_call.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace m = ::mesos;
namespace v1 = ::mesos::v1;

struct Collect {
  std::vector<std::string> records;
  std::vector<std::uint64_t> lengths;
  void on_record(std::span<const std::uint8_t> first, std::uint64_t full) {
    records.emplace_back(reinterpret_cast<const char*>(first.data()), first.size());
    lengths.push_back(full);
  }
};

std::string frame(const std::string& record) { return std::to_string(record.size()) + "\n" + record; }

TEST(RecordIo, WholeStreamAtOnce) {
  const std::string stream = frame("{\"type\":\"SUBSCRIBED\"}") + frame("{\"type\":\"HEARTBEAT\"}") + frame("");
  RecordIoReader reader;
  Collect sink;
  reader.feed(span_of(stream), sink);
  ASSERT_EQ(sink.records.size(), 3u);
  EXPECT_EQ(sink.records[0], "{\"type\":\"SUBSCRIBED\"}");
  EXPECT_EQ(sink.records[1], "{\"type\":\"HEARTBEAT\"}");
  EXPECT_EQ(sink.records[2], "");
  EXPECT_EQ(reader.records(), 3u);
  EXPECT_FALSE(reader.failed());
  EXPECT_FALSE(reader.mid_record());
  EXPECT_EQ(reader.bytes_consumed(), stream.size());

  // A large record wholly inside one piece: handed out as a view, cut to kKeepBytes.
  const std::string big = frame(std::string(5000, 'x')) + frame("y");
  Collect views;
  reader.feed(span_of(big), views);
  ASSERT_EQ(views.records.size(), 2u);
  EXPECT_EQ(views.records[0].size(), RecordIoReader::kKeepBytes);
  EXPECT_EQ(views.lengths[0], 5000u);
  EXPECT_EQ(views.records[1], "y");
  EXPECT_EQ(reader.oversize_records(), 1u);
}

TEST(RecordIo, SplitAtEveryByteAndEveryPieceSize) {
  std::string big(10000, 'b');
  const std::string stream = frame("first") + frame(big) + frame("third") + frame(std::string(4096, 'e'));
  for (std::size_t piece = 1; piece <= 13; ++piece) {
    RecordIoReader reader;
    Collect sink;
    for (std::size_t i = 0; i < stream.size(); i += piece) {
      reader.feed(span_of(std::string_view(stream).substr(i, piece)), sink);
    }
    ASSERT_EQ(sink.records.size(), 4u) << piece;
    EXPECT_EQ(sink.records[0], "first");
    EXPECT_EQ(sink.records[1], big.substr(0, RecordIoReader::kKeepBytes));
    EXPECT_EQ(sink.lengths[1], 10000u);
    EXPECT_EQ(sink.records[2], "third");
    EXPECT_EQ(sink.records[3], std::string(4096, 'e'));
    EXPECT_EQ(reader.oversize_records(), 1u);  // exactly kKeepBytes is not oversize
    EXPECT_FALSE(reader.mid_record());
  }
}

TEST(RecordIo, MidRecordAtTheEnd) {
  RecordIoReader reader;
  Collect sink;
  reader.feed(span_of("10\nabc"), sink);
  EXPECT_TRUE(reader.mid_record());
  EXPECT_TRUE(sink.records.empty());
  reader.feed(span_of("defghij5"), sink);
  ASSERT_EQ(sink.records.size(), 1u);
  EXPECT_EQ(sink.records[0], "abcdefghij");
  EXPECT_TRUE(reader.mid_record());  // "5" of the next length
}

TEST(RecordIo, BadLengthsStopTheReader) {
  const struct {
    const char* stream;
    RecordIoReader::Error error;
    std::uint64_t offset;
  } cases[] = {
      {"\n", RecordIoReader::Error::kBadLength, 0},
      {"3\nabc\n", RecordIoReader::Error::kBadLength, 5},
      {"1a\n", RecordIoReader::Error::kBadLength, 1},
      {"-1\n", RecordIoReader::Error::kBadLength, 0},
      {" 1\n", RecordIoReader::Error::kBadLength, 0},
      {"1\r\nx", RecordIoReader::Error::kBadLength, 1},
      {"99999999999\n", RecordIoReader::Error::kRecordTooLarge, 7},
      {"000000000000000000001\n", RecordIoReader::Error::kLengthTooLong, 20},
  };
  for (const auto& c : cases) {
    RecordIoReader reader;
    Collect sink;
    reader.feed(span_of(c.stream), sink);
    EXPECT_EQ(reader.error(), c.error) << c.stream;
    EXPECT_EQ(reader.error_offset(), c.offset) << c.stream;
    reader.feed(span_of("1\nx"), sink);  // ignored after an error
    EXPECT_EQ(reader.records(), std::string_view(c.stream).starts_with("3\n") ? 1u : 0u) << c.stream;
    reader.reset();
    EXPECT_FALSE(reader.failed());
    reader.feed(span_of("1\nx"), sink);
    EXPECT_EQ(reader.records(), 1u);
  }
  RecordIoReader small(100);
  Collect sink;
  small.feed(span_of("100\n"), sink);
  EXPECT_FALSE(small.failed());
  small.reset();
  small.feed(span_of("101\n"), sink);
  EXPECT_EQ(small.error(), RecordIoReader::Error::kRecordTooLarge);
}

// ---- events --------------------------------------------------------------------

struct EventSink {
  ApiFamily api;
  BodyEncoding encoding;
  std::vector<MesosEvent> events;
  void on_record(std::span<const std::uint8_t> first, std::uint64_t) {
    events.emplace_back();
    decode_stream_event(api, first, encoding, events.back());
  }
};

v1::SchedulerEvent subscribed() {
  v1::SchedulerEvent e;
  e.set_type(v1::SchedulerEvent::SUBSCRIBED);
  e.mutable_subscribed()->mutable_framework_id()->set_value("fw-42");
  e.mutable_subscribed()->set_heartbeat_interval_seconds(15);
  e.mutable_subscribed()->mutable_master_info()->set_pid("master@10.0.0.1:5050");
  e.mutable_subscribed()->mutable_master_info()->set_hostname("m1");
  return e;
}

TEST(SchedulerEvents, BothEncodingsThroughRecordIo) {
  v1::SchedulerEvent update;
  update.set_type(v1::SchedulerEvent::UPDATE);
  update.mutable_update()->mutable_status()->mutable_task_id()->set_value("job.1");
  update.mutable_update()->mutable_status()->set_state(m::TASK_FAILED);
  update.mutable_update()->mutable_status()->set_message("Command exited with status 1");
  v1::SchedulerEvent heartbeat;
  heartbeat.set_type(v1::SchedulerEvent::HEARTBEAT);
  v1::SchedulerEvent error;
  error.set_type(v1::SchedulerEvent::ERROR);
  error.mutable_error()->set_message("Framework has been removed");
  v1::SchedulerEvent failure;
  failure.set_type(v1::SchedulerEvent::FAILURE);
  failure.mutable_failure()->mutable_agent_id()->set_value("S3");
  failure.mutable_failure()->set_status(137);

  const v1::SchedulerEvent first = subscribed();
  for (const BodyEncoding encoding : {BodyEncoding::kJson, BodyEncoding::kProtobuf}) {
    std::string stream;
    for (const v1::SchedulerEvent* e : std::initializer_list<const v1::SchedulerEvent*>{&first, &update, &heartbeat, &error, &failure}) {
      stream += frame(encoding == BodyEncoding::kJson ? to_json(*e) : e->SerializeAsString());
    }
    RecordIoReader reader;
    EventSink sink{ApiFamily::kScheduler, encoding, {}};
    for (std::size_t i = 0; i < stream.size(); ++i) reader.feed(span_of(std::string_view(stream).substr(i, 1)), sink);
    ASSERT_EQ(sink.events.size(), 5u);
    for (const MesosEvent& e : sink.events) {
      EXPECT_TRUE(e.is_response);
      EXPECT_EQ(e.kind, MesosKind::kApi);
      EXPECT_EQ(e.api, ApiFamily::kScheduler);
      EXPECT_EQ(e.status, DecodeStatus::kOk);
      EXPECT_EQ(e.body_encoding, encoding);
    }
    EXPECT_EQ(sink.events[0].call.view(), "SUBSCRIBED");
    EXPECT_EQ(sink.events[0].framework.id.view(), "fw-42");
    EXPECT_EQ(sink.events[0].detail.view(), "master_pid=master@10.0.0.1:5050; master_hostname=m1");
    EXPECT_EQ(sink.events[1].call.view(), "UPDATE");
    EXPECT_EQ(sink.events[1].task.id.view(), "job.1");
    EXPECT_EQ(sink.events[1].task.state.view(), "TASK_FAILED");
    EXPECT_EQ(sink.events[1].detail.view(), "Command exited with status 1");
    EXPECT_EQ(sink.events[2].call.view(), "HEARTBEAT");
    EXPECT_EQ(sink.events[3].call.view(), "ERROR");
    EXPECT_EQ(sink.events[3].detail.view(), "Framework has been removed");
    EXPECT_EQ(sink.events[4].call.view(), "FAILURE");
    EXPECT_EQ(sink.events[4].agent.id.view(), "S3");
    EXPECT_EQ(sink.events[4].detail.view(), "status=137");
  }
}

TEST(SchedulerEvents, DecodeSchedulerEventResetsAndSniffs) {
  MesosEvent e;
  e.framework.name.assign("stale");
  const std::string json = to_json(subscribed());
  decode_scheduler_event(span_of(json), BodyEncoding::kNone, e);
  EXPECT_EQ(e.call.view(), "SUBSCRIBED");
  EXPECT_TRUE(e.framework.name.empty());
  EXPECT_EQ(e.body_encoding, BodyEncoding::kJson);
  decode_scheduler_event(span_of("{\"type\":"), BodyEncoding::kJson, e);
  EXPECT_EQ(e.status, DecodeStatus::kBadJson);
  EXPECT_TRUE(e.is_response);
}

TEST(StreamEvents, ExecutorAndMasterOperatorStreams) {
  v1::ExecutorEvent launch;
  launch.set_type(v1::ExecutorEvent::LAUNCH);
  auto* task = launch.mutable_launch()->mutable_task();
  task->set_name("job");
  task->mutable_task_id()->set_value("job.1");
  task->mutable_command()->set_value("./run.sh");
  MesosEvent e;
  decode_stream_event(ApiFamily::kExecutor, span_of(serialize(launch)), BodyEncoding::kProtobuf, e);
  EXPECT_EQ(e.call.view(), "LAUNCH");
  EXPECT_EQ(e.task.command.view(), "./run.sh");
  EXPECT_EQ(e.task.count, 1);

  v1::MasterEvent updated;
  updated.set_type(v1::MasterEvent::TASK_UPDATED);
  updated.mutable_task_updated()->mutable_framework_id()->set_value("fw-42");
  updated.mutable_task_updated()->set_state(m::TASK_KILLED);
  const std::string json = to_json(updated);
  decode_stream_event(ApiFamily::kMasterOperator, span_of(json), BodyEncoding::kJson, e);
  EXPECT_EQ(e.call.view(), "TASK_UPDATED");
  EXPECT_EQ(e.task.state.view(), "TASK_KILLED");
  EXPECT_EQ(e.framework.id.view(), "fw-42");

  v1::MasterEvent removed;
  removed.set_type(v1::MasterEvent::FRAMEWORK_REMOVED);
  removed.mutable_framework_removed()->mutable_framework_info()->set_name("chronos");
  decode_stream_event(ApiFamily::kMasterOperator, span_of(serialize(removed)), BodyEncoding::kProtobuf, e);
  EXPECT_EQ(e.framework.name.view(), "chronos");

  decode_stream_event(ApiFamily::kAgentOperator, span_of("{\"type\":\"DATA\"}"), BodyEncoding::kJson, e);
  EXPECT_EQ(e.status, DecodeStatus::kUnknownMessage);  // ProcessIO records: never decoded
  EXPECT_TRUE(e.detail.empty());
}

}  // namespace
}  // namespace segward::mesos
