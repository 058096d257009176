#pragma once
// The schema nodes for Mesos's common v0 types (mesos.proto), the
// libprocess messages (messages.proto, scheduler.proto) and the table of
// libprocess message names. The v1 API's nodes (mesos_api/v1_schema.h)
// reuse the common ones: v0 and v1 types share field numbers and names.
#include <span>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/schema.h"

namespace segward::mesos::schema {

// Common types (package mesos).
extern const Node kFrameworkIdNode;  // value -> framework.id
extern const Node kSlaveIdNode;      // value -> agent.id
extern const Node kTaskIdNode;       // value -> task.id
extern const Node kExecutorIdNode;   // value -> detail "executor="
extern const Node kFrameworkInfoNode;
extern const Node kSlaveInfoNode;
extern const Node kMasterInfoNode;
extern const Node kCommandInfoNode;
extern const Node kContainerInfoNode;
extern const Node kExecutorInfoNode;
extern const Node kTaskInfoNode;
extern const Node kTaskGroupInfoNode;
extern const Node kTaskStatusNode;
extern const Node kOfferOperationNode;

extern const EnumTable kTaskStates;
extern const EnumTable kFrameworkCapabilityTypes;
extern const EnumTable kOfferOperationTypes;
// mesos.scheduler.Call.Type; mesos.v1.SchedulerCall.Type has the same values.
extern const EnumTable kSchedulerCallTypes;

// The root node of mesos.scheduler.Call (v0, sent as a libprocess message).
extern const Node kSchedulerCallV0Node;

}  // namespace segward::mesos::schema

namespace segward::mesos {

// One libprocess message type segward knows by name. The tests walk every
// node reachable from these (and from the v1 roots) and check each field's
// number, name, type and label, and each enum table, against the generated
// descriptors.
struct LibprocessMessageType {
  std::string_view name;        // full protobuf type name, as in the request path
  const schema::Node* node;     // the body's fields; a node without fields: nothing to decode
  EndpointClass cls;            // README class (mesos.scheduler.Call: by its call type instead)
};

/// The message type named `name`, or nullptr (then reported by name only).
[[nodiscard]] const LibprocessMessageType* find_libprocess_message(std::string_view name) noexcept;
[[nodiscard]] std::span<const LibprocessMessageType> libprocess_message_types() noexcept;

}  // namespace segward::mesos
