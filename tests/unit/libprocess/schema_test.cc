// The schema tables are hand-written constants: these tests hold them to
// the generated descriptors, so the .proto files stay the one schema.
#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "decoders/libprocess/mesos.pb.h"
#include "decoders/libprocess/mesos_schema.h"
#include "decoders/libprocess/messages.pb.h"
#include "decoders/libprocess/scheduler.pb.h"
#include "decoders/mesos_api/v1.pb.h"
#include "decoders/mesos_api/v1_schema.h"

namespace segward::mesos::schema {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

const Descriptor* descriptor_of(std::string_view full_name) {
  // Touch one class of each generated file so its descriptors are linked in.
  (void)::mesos::FrameworkInfo::descriptor();
  (void)::mesos::internal::RunTaskMessage::descriptor();
  (void)::mesos::scheduler::Call::descriptor();
  (void)::mesos::v1::SchedulerCall::descriptor();
  return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(full_name));
}

void check_enum_table(const EnumTable& table, const EnumDescriptor* d, const std::string& where) {
  ASSERT_NE(d, nullptr) << where;
  EXPECT_EQ(static_cast<int>(table.values.size()), d->value_count()) << where << ": " << table.full_name;
  for (int i = 0; i < d->value_count(); ++i) {
    const auto* value = d->value(i);
    const EnumName* e = find_enum(table, value->number());
    ASSERT_NE(e, nullptr) << where << ": " << value->full_name() << " missing from " << table.full_name;
    EXPECT_EQ(e->name, value->name()) << where;
  }
}

bool kind_matches(Kind kind, FieldDescriptor::Type type) {
  switch (kind) {
    case Kind::kMessage: return type == FieldDescriptor::TYPE_MESSAGE;
    case Kind::kString: return type == FieldDescriptor::TYPE_STRING;
    case Kind::kBytes: return type == FieldDescriptor::TYPE_BYTES;
    case Kind::kBool: return type == FieldDescriptor::TYPE_BOOL;
    case Kind::kEnum: return type == FieldDescriptor::TYPE_ENUM;
    case Kind::kInt:
      return type == FieldDescriptor::TYPE_INT32 || type == FieldDescriptor::TYPE_INT64 ||
             type == FieldDescriptor::TYPE_UINT32 || type == FieldDescriptor::TYPE_UINT64;
    case Kind::kDouble: return type == FieldDescriptor::TYPE_DOUBLE;
  }
  return false;
}

struct Walk {
  std::set<const Node*> nodes;
  std::set<const EnumTable*> tables;

  void visit(const Node& node) {
    if (!nodes.insert(&node).second) return;
    const Descriptor* d = descriptor_of(node.full_name);
    ASSERT_NE(d, nullptr) << "no descriptor for " << node.full_name;
    for (const Field& f : node.fields) {
      const std::string where = std::string(node.full_name) + "." + std::string(f.name);
      const FieldDescriptor* fd = d->FindFieldByNumber(f.number);
      ASSERT_NE(fd, nullptr) << where << " = " << f.number << " is not in the .proto";
      EXPECT_EQ(fd->name(), f.name) << where;
      EXPECT_TRUE(kind_matches(f.kind, fd->type())) << where << " has type " << fd->type_name();
      EXPECT_EQ(f.repeated, fd->is_repeated()) << where;
      if (f.kind == Kind::kMessage) {
        ASSERT_NE(f.child, nullptr) << where;
        EXPECT_EQ(fd->message_type()->full_name(), f.child->full_name) << where;
        visit(*f.child);
      }
      if (f.kind == Kind::kEnum) {
        ASSERT_NE(f.enums, nullptr) << where;
        tables.insert(f.enums);
        check_enum_table(*f.enums, fd->enum_type(), where);
      }
    }
  }
};

TEST(Schema, EveryReachableNodeMatchesTheGeneratedDescriptors) {
  Walk walk;
  for (const LibprocessMessageType& type : libprocess_message_types()) {
    EXPECT_EQ(type.name, type.node->full_name);
    walk.visit(*type.node);
  }
  for (const Node* root : v1_root_nodes()) walk.visit(*root);
  EXPECT_GT(walk.nodes.size(), 100u);
  EXPECT_GE(walk.tables.size(), 10u);
}

TEST(Schema, TheSchedulerCallTypesServeV0AndV1) {
  check_enum_table(kSchedulerCallTypes, ::mesos::scheduler::Call_Type_descriptor(), "v0");
  check_enum_table(kSchedulerCallTypes, ::mesos::v1::SchedulerCall_Type_descriptor(), "v1");
}

TEST(Schema, EveryMessageOfMessagesProtoIsKnownByName) {
  const auto* file = ::mesos::internal::RunTaskMessage::descriptor()->file();
  for (int i = 0; i < file->message_type_count(); ++i) {
    const std::string& name = file->message_type(i)->full_name();
    if (name == "mesos.internal.StatusUpdate") continue;  // a part of StatusUpdateMessage, never sent alone
    EXPECT_NE(find_libprocess_message(name), nullptr) << name;
  }
  EXPECT_NE(find_libprocess_message("mesos.scheduler.Call"), nullptr);
  EXPECT_EQ(find_libprocess_message("mesos.internal.log.WriteRequest"), nullptr);
  EXPECT_EQ(find_libprocess_message(""), nullptr);
}

TEST(Schema, SecretFieldsAreNotInTheSchema) {
  // Credential.secret is not even declared; Image.Docker.credential, Secret
  // values, AuthenticationStartMessage.data and framework payloads are
  // declared nowhere or left out of the nodes.
  EXPECT_EQ(descriptor_of("mesos.Credential")->FindFieldByNumber(2), nullptr);
  Walk walk;
  for (const LibprocessMessageType& type : libprocess_message_types()) walk.visit(*type.node);
  for (const Node* root : v1_root_nodes()) walk.visit(*root);
  for (const Node* node : walk.nodes) {
    EXPECT_NE(node->full_name, "mesos.Credential");
    EXPECT_NE(node->full_name, "mesos.Secret");
    EXPECT_NE(node->full_name, "mesos.Environment");
    for (const Field& f : node->fields) {
      EXPECT_NE(f.name, "secret") << node->full_name;
      EXPECT_NE(f.name, "credential") << node->full_name;
      if (node->full_name == "mesos.internal.AuthenticationStartMessage") {
        EXPECT_NE(f.name, "data");
      }
    }
  }
}

}  // namespace
}  // namespace segward::mesos::schema
