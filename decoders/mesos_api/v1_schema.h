#pragma once
// Schema nodes of the v1 HTTP API calls and stream events (v1.proto). The
// common types (FrameworkInfo, TaskInfo, ...) are the v0 nodes of
// decoders/libprocess/mesos_schema.h: v0 and v1 share their numbers.
#include <span>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/schema.h"

namespace segward::mesos::schema {

extern const Node kSchedulerCallNode;        // mesos.v1.SchedulerCall
extern const Node kSchedulerEventNode;       // mesos.v1.SchedulerEvent
extern const Node kExecutorCallNode;         // mesos.v1.ExecutorCall
extern const Node kExecutorEventNode;        // mesos.v1.ExecutorEvent
extern const Node kMasterCallNode;           // mesos.v1.MasterCall
extern const Node kMasterEventNode;          // mesos.v1.MasterEvent
extern const Node kAgentCallNode;            // mesos.v1.AgentCall
extern const Node kResourceProviderCallNode; // mesos.v1.ResourceProviderCall

extern const EnumTable kMasterCallTypes;
extern const EnumTable kAgentCallTypes;
extern const EnumTable kExecutorCallTypes;
extern const EnumTable kResourceProviderCallTypes;

/// The call node of a v1 API (nullptr for kNone).
[[nodiscard]] const Node* v1_call_node(ApiFamily api) noexcept;
/// The event node of a v1 API's SUBSCRIBE stream (scheduler, executor,
/// master operator); nullptr for the others.
[[nodiscard]] const Node* v1_event_node(ApiFamily api) noexcept;
/// The call type table of a v1 API (nullptr for kNone).
[[nodiscard]] const EnumTable* v1_call_types(ApiFamily api) noexcept;

/// Every v1 root node (for the schema tests).
[[nodiscard]] std::span<const Node* const> v1_root_nodes() noexcept;

}  // namespace segward::mesos::schema
