// Schema nodes of the v1 API calls and events. Field numbers and enum
// values come from the generated classes (decoders/mesos_api/v1.pb.h).
#include "decoders/mesos_api/v1_schema.h"

#include "decoders/libprocess/mesos_schema.h"
#include "decoders/mesos_api/v1.pb.h"

namespace segward::mesos::schema {

namespace v1 = ::mesos::v1;
using C = EndpointClass;

// ---- call and event types ------------------------------------------------------

constexpr EnumName kSchedulerEventTypeNames[] = {
    {v1::SchedulerEvent::UNKNOWN, "UNKNOWN"},
    {v1::SchedulerEvent::SUBSCRIBED, "SUBSCRIBED"},
    {v1::SchedulerEvent::OFFERS, "OFFERS"},
    {v1::SchedulerEvent::RESCIND, "RESCIND"},
    {v1::SchedulerEvent::UPDATE, "UPDATE"},
    {v1::SchedulerEvent::MESSAGE, "MESSAGE"},
    {v1::SchedulerEvent::FAILURE, "FAILURE"},
    {v1::SchedulerEvent::ERROR, "ERROR"},
    {v1::SchedulerEvent::HEARTBEAT, "HEARTBEAT"},
    {v1::SchedulerEvent::INVERSE_OFFERS, "INVERSE_OFFERS"},
    {v1::SchedulerEvent::RESCIND_INVERSE_OFFER, "RESCIND_INVERSE_OFFER"},
    {v1::SchedulerEvent::UPDATE_OPERATION_STATUS, "UPDATE_OPERATION_STATUS"},
};
constinit const EnumTable kSchedulerEventTypes{"mesos.v1.SchedulerEvent.Type", kSchedulerEventTypeNames};

constexpr EnumName kExecutorCallTypeNames[] = {
    {v1::ExecutorCall::UNKNOWN, "UNKNOWN"},
    {v1::ExecutorCall::SUBSCRIBE, "SUBSCRIBE", C::kMutating},
    {v1::ExecutorCall::UPDATE, "UPDATE", C::kMutating},
    {v1::ExecutorCall::MESSAGE, "MESSAGE", C::kMutating},
    {v1::ExecutorCall::HEARTBEAT, "HEARTBEAT", C::kRead},
};
constinit const EnumTable kExecutorCallTypes{"mesos.v1.ExecutorCall.Type", kExecutorCallTypeNames};

constexpr EnumName kExecutorEventTypeNames[] = {
    {v1::ExecutorEvent::UNKNOWN, "UNKNOWN"},
    {v1::ExecutorEvent::SUBSCRIBED, "SUBSCRIBED"},
    {v1::ExecutorEvent::LAUNCH, "LAUNCH"},
    {v1::ExecutorEvent::KILL, "KILL"},
    {v1::ExecutorEvent::ACKNOWLEDGED, "ACKNOWLEDGED"},
    {v1::ExecutorEvent::MESSAGE, "MESSAGE"},
    {v1::ExecutorEvent::ERROR, "ERROR"},
    {v1::ExecutorEvent::SHUTDOWN, "SHUTDOWN"},
    {v1::ExecutorEvent::LAUNCH_GROUP, "LAUNCH_GROUP"},
    {v1::ExecutorEvent::HEARTBEAT, "HEARTBEAT"},
};
constinit const EnumTable kExecutorEventTypes{"mesos.v1.ExecutorEvent.Type", kExecutorEventTypeNames};

// Master operator calls: GET_FLAGS, READ_FILE, GET_STATE, GET_EXECUTORS and
// SUBSCRIBE (whose first event is a GET_STATE) return flag values,
// executor environments or log contents.
constexpr EnumName kMasterCallTypeNames[] = {
    {v1::MasterCall::UNKNOWN, "UNKNOWN"},
    {v1::MasterCall::GET_HEALTH, "GET_HEALTH", C::kRead},
    {v1::MasterCall::GET_FLAGS, "GET_FLAGS", C::kSecretLeaking},
    {v1::MasterCall::GET_VERSION, "GET_VERSION", C::kRead},
    {v1::MasterCall::GET_METRICS, "GET_METRICS", C::kRead},
    {v1::MasterCall::GET_LOGGING_LEVEL, "GET_LOGGING_LEVEL", C::kRead},
    {v1::MasterCall::SET_LOGGING_LEVEL, "SET_LOGGING_LEVEL", C::kMutating},
    {v1::MasterCall::LIST_FILES, "LIST_FILES", C::kRead},
    {v1::MasterCall::READ_FILE, "READ_FILE", C::kSecretLeaking},
    {v1::MasterCall::GET_STATE, "GET_STATE", C::kSecretLeaking},
    {v1::MasterCall::GET_AGENTS, "GET_AGENTS", C::kRead},
    {v1::MasterCall::GET_FRAMEWORKS, "GET_FRAMEWORKS", C::kRead},
    {v1::MasterCall::GET_EXECUTORS, "GET_EXECUTORS", C::kSecretLeaking},
    {v1::MasterCall::GET_TASKS, "GET_TASKS", C::kRead},
    {v1::MasterCall::GET_ROLES, "GET_ROLES", C::kRead},
    {v1::MasterCall::GET_WEIGHTS, "GET_WEIGHTS", C::kRead},
    {v1::MasterCall::UPDATE_WEIGHTS, "UPDATE_WEIGHTS", C::kMutating},
    {v1::MasterCall::GET_MASTER, "GET_MASTER", C::kRead},
    {v1::MasterCall::SUBSCRIBE, "SUBSCRIBE", C::kSecretLeaking},
    {v1::MasterCall::RESERVE_RESOURCES, "RESERVE_RESOURCES", C::kMutating},
    {v1::MasterCall::UNRESERVE_RESOURCES, "UNRESERVE_RESOURCES", C::kMutating},
    {v1::MasterCall::CREATE_VOLUMES, "CREATE_VOLUMES", C::kMutating},
    {v1::MasterCall::DESTROY_VOLUMES, "DESTROY_VOLUMES", C::kMutating},
    {v1::MasterCall::GET_MAINTENANCE_STATUS, "GET_MAINTENANCE_STATUS", C::kRead},
    {v1::MasterCall::GET_MAINTENANCE_SCHEDULE, "GET_MAINTENANCE_SCHEDULE", C::kRead},
    {v1::MasterCall::UPDATE_MAINTENANCE_SCHEDULE, "UPDATE_MAINTENANCE_SCHEDULE", C::kMutating},
    {v1::MasterCall::START_MAINTENANCE, "START_MAINTENANCE", C::kMutating},
    {v1::MasterCall::STOP_MAINTENANCE, "STOP_MAINTENANCE", C::kMutating},
    {v1::MasterCall::GET_QUOTA, "GET_QUOTA", C::kRead},
    {v1::MasterCall::SET_QUOTA, "SET_QUOTA", C::kMutating},
    {v1::MasterCall::REMOVE_QUOTA, "REMOVE_QUOTA", C::kMutating},
    {v1::MasterCall::TEARDOWN, "TEARDOWN", C::kMutating},
    {v1::MasterCall::MARK_AGENT_GONE, "MARK_AGENT_GONE", C::kMutating},
    {v1::MasterCall::GET_OPERATIONS, "GET_OPERATIONS", C::kRead},
    {v1::MasterCall::GROW_VOLUME, "GROW_VOLUME", C::kMutating},
    {v1::MasterCall::SHRINK_VOLUME, "SHRINK_VOLUME", C::kMutating},
    {v1::MasterCall::UPDATE_QUOTA, "UPDATE_QUOTA", C::kMutating},
    {v1::MasterCall::DRAIN_AGENT, "DRAIN_AGENT", C::kMutating},
    {v1::MasterCall::DEACTIVATE_AGENT, "DEACTIVATE_AGENT", C::kMutating},
    {v1::MasterCall::REACTIVATE_AGENT, "REACTIVATE_AGENT", C::kMutating},
};
constinit const EnumTable kMasterCallTypes{"mesos.v1.MasterCall.Type", kMasterCallTypeNames};

constexpr EnumName kMasterEventTypeNames[] = {
    {v1::MasterEvent::UNKNOWN, "UNKNOWN"},
    {v1::MasterEvent::SUBSCRIBED, "SUBSCRIBED"},
    {v1::MasterEvent::TASK_ADDED, "TASK_ADDED"},
    {v1::MasterEvent::TASK_UPDATED, "TASK_UPDATED"},
    {v1::MasterEvent::AGENT_ADDED, "AGENT_ADDED"},
    {v1::MasterEvent::AGENT_REMOVED, "AGENT_REMOVED"},
    {v1::MasterEvent::FRAMEWORK_ADDED, "FRAMEWORK_ADDED"},
    {v1::MasterEvent::FRAMEWORK_UPDATED, "FRAMEWORK_UPDATED"},
    {v1::MasterEvent::FRAMEWORK_REMOVED, "FRAMEWORK_REMOVED"},
    {v1::MasterEvent::HEARTBEAT, "HEARTBEAT"},
};
constinit const EnumTable kMasterEventTypes{"mesos.v1.MasterEvent.Type", kMasterEventTypeNames};

// Agent operator calls: launching or attaching to containers is command
// execution on the agent; ATTACH_CONTAINER_OUTPUT streams a task's
// stdout/stderr, READ_FILE its sandbox.
constexpr EnumName kAgentCallTypeNames[] = {
    {v1::AgentCall::UNKNOWN, "UNKNOWN"},
    {v1::AgentCall::GET_HEALTH, "GET_HEALTH", C::kRead},
    {v1::AgentCall::GET_FLAGS, "GET_FLAGS", C::kSecretLeaking},
    {v1::AgentCall::GET_VERSION, "GET_VERSION", C::kRead},
    {v1::AgentCall::GET_METRICS, "GET_METRICS", C::kRead},
    {v1::AgentCall::GET_LOGGING_LEVEL, "GET_LOGGING_LEVEL", C::kRead},
    {v1::AgentCall::SET_LOGGING_LEVEL, "SET_LOGGING_LEVEL", C::kMutating},
    {v1::AgentCall::LIST_FILES, "LIST_FILES", C::kRead},
    {v1::AgentCall::READ_FILE, "READ_FILE", C::kSecretLeaking},
    {v1::AgentCall::GET_STATE, "GET_STATE", C::kSecretLeaking},
    {v1::AgentCall::GET_CONTAINERS, "GET_CONTAINERS", C::kRead},
    {v1::AgentCall::GET_FRAMEWORKS, "GET_FRAMEWORKS", C::kRead},
    {v1::AgentCall::GET_EXECUTORS, "GET_EXECUTORS", C::kSecretLeaking},
    {v1::AgentCall::GET_TASKS, "GET_TASKS", C::kRead},
    {v1::AgentCall::LAUNCH_NESTED_CONTAINER, "LAUNCH_NESTED_CONTAINER", C::kMutating},
    {v1::AgentCall::WAIT_NESTED_CONTAINER, "WAIT_NESTED_CONTAINER", C::kRead},
    {v1::AgentCall::KILL_NESTED_CONTAINER, "KILL_NESTED_CONTAINER", C::kMutating},
    {v1::AgentCall::LAUNCH_NESTED_CONTAINER_SESSION, "LAUNCH_NESTED_CONTAINER_SESSION", C::kMutating},
    {v1::AgentCall::ATTACH_CONTAINER_INPUT, "ATTACH_CONTAINER_INPUT", C::kMutating},
    {v1::AgentCall::ATTACH_CONTAINER_OUTPUT, "ATTACH_CONTAINER_OUTPUT", C::kSecretLeaking},
    {v1::AgentCall::GET_AGENT, "GET_AGENT", C::kRead},
    {v1::AgentCall::REMOVE_NESTED_CONTAINER, "REMOVE_NESTED_CONTAINER", C::kMutating},
    {v1::AgentCall::LAUNCH_CONTAINER, "LAUNCH_CONTAINER", C::kMutating},
    {v1::AgentCall::WAIT_CONTAINER, "WAIT_CONTAINER", C::kRead},
    {v1::AgentCall::KILL_CONTAINER, "KILL_CONTAINER", C::kMutating},
    {v1::AgentCall::REMOVE_CONTAINER, "REMOVE_CONTAINER", C::kMutating},
    {v1::AgentCall::GET_RESOURCE_PROVIDERS, "GET_RESOURCE_PROVIDERS", C::kRead},
    {v1::AgentCall::ADD_RESOURCE_PROVIDER_CONFIG, "ADD_RESOURCE_PROVIDER_CONFIG", C::kMutating},
    {v1::AgentCall::UPDATE_RESOURCE_PROVIDER_CONFIG, "UPDATE_RESOURCE_PROVIDER_CONFIG", C::kMutating},
    {v1::AgentCall::REMOVE_RESOURCE_PROVIDER_CONFIG, "REMOVE_RESOURCE_PROVIDER_CONFIG", C::kMutating},
    {v1::AgentCall::PRUNE_IMAGES, "PRUNE_IMAGES", C::kMutating},
    {v1::AgentCall::GET_OPERATIONS, "GET_OPERATIONS", C::kRead},
    {v1::AgentCall::MARK_RESOURCE_PROVIDER_GONE, "MARK_RESOURCE_PROVIDER_GONE", C::kMutating},
};
constinit const EnumTable kAgentCallTypes{"mesos.v1.AgentCall.Type", kAgentCallTypeNames};

constexpr EnumName kAttachInputTypeNames[] = {
    {v1::AgentCall_AttachContainerInput::UNKNOWN, "UNKNOWN"},
    {v1::AgentCall_AttachContainerInput::CONTAINER_ID, "CONTAINER_ID"},
    {v1::AgentCall_AttachContainerInput::PROCESS_IO, "PROCESS_IO"},
};
constinit const EnumTable kAttachInputTypes{"mesos.v1.AgentCall.AttachContainerInput.Type", kAttachInputTypeNames};

constexpr EnumName kResourceProviderCallTypeNames[] = {
    {v1::ResourceProviderCall::UNKNOWN, "UNKNOWN"},
    {v1::ResourceProviderCall::SUBSCRIBE, "SUBSCRIBE", C::kMutating},
    {v1::ResourceProviderCall::UPDATE_OPERATION_STATUS, "UPDATE_OPERATION_STATUS", C::kMutating},
    {v1::ResourceProviderCall::UPDATE_STATE, "UPDATE_STATE", C::kMutating},
    {v1::ResourceProviderCall::UPDATE_PUBLISH_RESOURCES_STATUS, "UPDATE_PUBLISH_RESOURCES_STATUS", C::kMutating},
};
constinit const EnumTable kResourceProviderCallTypes{"mesos.v1.ResourceProviderCall.Type",
                                                     kResourceProviderCallTypeNames};

// ---- shared v1 types ----------------------------------------------------------------

constexpr Field kAgentIdFields[] = {text(v1::AgentID::kValueFieldNumber, "value", Slot::kAgentId)};
constinit const Node kV1AgentIdNode{"mesos.v1.AgentID", kAgentIdFields};

constexpr Field kContainerIdFields[] = {
    text(v1::ContainerID::kValueFieldNumber, "value", Slot::kDetail, false, "container")};
constinit const Node kContainerIdNode{"mesos.v1.ContainerID", kContainerIdFields};

constexpr Field kMachineIdFields[] = {
    text(v1::MachineID::kHostnameFieldNumber, "hostname", Slot::kDetailList, false, "machines")};
constinit const Node kMachineIdNode{"mesos.v1.MachineID", kMachineIdFields};

// ---- scheduler ------------------------------------------------------------------------

constexpr Field kSubscribeFields[] = {
    message(v1::SchedulerCall_Subscribe::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode)};
constinit const Node kSubscribeNode{"mesos.v1.SchedulerCall.Subscribe", kSubscribeFields};

constexpr Field kAcceptFields[] = {
    message(v1::SchedulerCall_Accept::kOperationsFieldNumber, "operations", kOfferOperationNode, true)};
constinit const Node kAcceptNode{"mesos.v1.SchedulerCall.Accept", kAcceptFields};

constexpr Field kKillFields[] = {
    message(v1::SchedulerCall_Kill::kTaskIdFieldNumber, "task_id", kTaskIdNode),
    message(v1::SchedulerCall_Kill::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode),
};
constinit const Node kKillNode{"mesos.v1.SchedulerCall.Kill", kKillFields};

constexpr Field kShutdownFields[] = {
    message(v1::SchedulerCall_Shutdown::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(v1::SchedulerCall_Shutdown::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode),
};
constinit const Node kShutdownNode{"mesos.v1.SchedulerCall.Shutdown", kShutdownFields};

constexpr Field kAcknowledgeFields[] = {
    message(v1::SchedulerCall_Acknowledge::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode),
    message(v1::SchedulerCall_Acknowledge::kTaskIdFieldNumber, "task_id", kTaskIdNode),
};
constinit const Node kAcknowledgeNode{"mesos.v1.SchedulerCall.Acknowledge", kAcknowledgeFields};

constexpr Field kMessageFields[] = {
    message(v1::SchedulerCall_Message::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode),
    message(v1::SchedulerCall_Message::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
};
constinit const Node kMessageNode{"mesos.v1.SchedulerCall.Message", kMessageFields};

constexpr Field kUpdateFrameworkFields[] = {
    message(v1::SchedulerCall_UpdateFramework::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode)};
constinit const Node kUpdateFrameworkNode{"mesos.v1.SchedulerCall.UpdateFramework", kUpdateFrameworkFields};

constexpr Field kSchedulerCallFields[] = {
    message(v1::SchedulerCall::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    enumeration(v1::SchedulerCall::kTypeFieldNumber, "type", Slot::kCallType, kSchedulerCallTypes),
    message(v1::SchedulerCall::kSubscribeFieldNumber, "subscribe", kSubscribeNode),
    message(v1::SchedulerCall::kAcceptFieldNumber, "accept", kAcceptNode),
    message(v1::SchedulerCall::kKillFieldNumber, "kill", kKillNode),
    message(v1::SchedulerCall::kShutdownFieldNumber, "shutdown", kShutdownNode),
    message(v1::SchedulerCall::kAcknowledgeFieldNumber, "acknowledge", kAcknowledgeNode),
    message(v1::SchedulerCall::kMessageFieldNumber, "message", kMessageNode),
    message(v1::SchedulerCall::kUpdateFrameworkFieldNumber, "update_framework", kUpdateFrameworkNode),
};
constinit const Node kSchedulerCallNode{"mesos.v1.SchedulerCall", kSchedulerCallFields};

constexpr Field kSubscribedFields[] = {
    message(v1::SchedulerEvent_Subscribed::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(v1::SchedulerEvent_Subscribed::kMasterInfoFieldNumber, "master_info", kMasterInfoNode),
};
constinit const Node kSubscribedNode{"mesos.v1.SchedulerEvent.Subscribed", kSubscribedFields};

constexpr Field kUpdateFields[] = {
    message(v1::SchedulerEvent_Update::kStatusFieldNumber, "status", kTaskStatusNode)};
constinit const Node kUpdateNode{"mesos.v1.SchedulerEvent.Update", kUpdateFields};

constexpr Field kFailureFields[] = {
    message(v1::SchedulerEvent_Failure::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode),
    message(v1::SchedulerEvent_Failure::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    integer(v1::SchedulerEvent_Failure::kStatusFieldNumber, "status", Slot::kDetailInt, "status"),
};
constinit const Node kFailureNode{"mesos.v1.SchedulerEvent.Failure", kFailureFields};

constexpr Field kSchedulerErrorFields[] = {
    text(v1::SchedulerEvent_Error::kMessageFieldNumber, "message", Slot::kDetail)};
constinit const Node kSchedulerErrorNode{"mesos.v1.SchedulerEvent.Error", kSchedulerErrorFields};

constexpr Field kSchedulerEventFields[] = {
    enumeration(v1::SchedulerEvent::kTypeFieldNumber, "type", Slot::kCallType, kSchedulerEventTypes),
    message(v1::SchedulerEvent::kSubscribedFieldNumber, "subscribed", kSubscribedNode),
    message(v1::SchedulerEvent::kUpdateFieldNumber, "update", kUpdateNode),
    message(v1::SchedulerEvent::kFailureFieldNumber, "failure", kFailureNode),
    message(v1::SchedulerEvent::kErrorFieldNumber, "error", kSchedulerErrorNode),
};
constinit const Node kSchedulerEventNode{"mesos.v1.SchedulerEvent", kSchedulerEventFields};

// ---- executor ---------------------------------------------------------------------------

constexpr Field kExecutorSubscribeFields[] = {message(v1::ExecutorCall_Subscribe::kUnacknowledgedTasksFieldNumber,
                                                      "unacknowledged_tasks", kTaskInfoNode, true)};
constinit const Node kExecutorSubscribeNode{"mesos.v1.ExecutorCall.Subscribe", kExecutorSubscribeFields};

constexpr Field kExecutorUpdateFields[] = {
    message(v1::ExecutorCall_Update::kStatusFieldNumber, "status", kTaskStatusNode)};
constinit const Node kExecutorUpdateNode{"mesos.v1.ExecutorCall.Update", kExecutorUpdateFields};

constexpr Field kExecutorCallFields[] = {
    message(v1::ExecutorCall::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(v1::ExecutorCall::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    enumeration(v1::ExecutorCall::kTypeFieldNumber, "type", Slot::kCallType, kExecutorCallTypes),
    message(v1::ExecutorCall::kSubscribeFieldNumber, "subscribe", kExecutorSubscribeNode),
    message(v1::ExecutorCall::kUpdateFieldNumber, "update", kExecutorUpdateNode),
};
constinit const Node kExecutorCallNode{"mesos.v1.ExecutorCall", kExecutorCallFields};

constexpr Field kExecutorSubscribedFields[] = {
    message(v1::ExecutorEvent_Subscribed::kExecutorInfoFieldNumber, "executor_info", kExecutorInfoNode),
    message(v1::ExecutorEvent_Subscribed::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode),
    message(v1::ExecutorEvent_Subscribed::kAgentInfoFieldNumber, "agent_info", kSlaveInfoNode),
};
constinit const Node kExecutorSubscribedNode{"mesos.v1.ExecutorEvent.Subscribed", kExecutorSubscribedFields};

constexpr Field kExecutorLaunchFields[] = {
    message(v1::ExecutorEvent_Launch::kTaskFieldNumber, "task", kTaskInfoNode)};
constinit const Node kExecutorLaunchNode{"mesos.v1.ExecutorEvent.Launch", kExecutorLaunchFields};

constexpr Field kExecutorLaunchGroupFields[] = {
    message(v1::ExecutorEvent_LaunchGroup::kTaskGroupFieldNumber, "task_group", kTaskGroupInfoNode)};
constinit const Node kExecutorLaunchGroupNode{"mesos.v1.ExecutorEvent.LaunchGroup", kExecutorLaunchGroupFields};

constexpr Field kExecutorKillFields[] = {
    message(v1::ExecutorEvent_Kill::kTaskIdFieldNumber, "task_id", kTaskIdNode)};
constinit const Node kExecutorKillNode{"mesos.v1.ExecutorEvent.Kill", kExecutorKillFields};

constexpr Field kExecutorErrorFields[] = {
    text(v1::ExecutorEvent_Error::kMessageFieldNumber, "message", Slot::kDetail)};
constinit const Node kExecutorErrorNode{"mesos.v1.ExecutorEvent.Error", kExecutorErrorFields};

constexpr Field kExecutorEventFields[] = {
    enumeration(v1::ExecutorEvent::kTypeFieldNumber, "type", Slot::kCallType, kExecutorEventTypes),
    message(v1::ExecutorEvent::kSubscribedFieldNumber, "subscribed", kExecutorSubscribedNode),
    message(v1::ExecutorEvent::kLaunchFieldNumber, "launch", kExecutorLaunchNode),
    message(v1::ExecutorEvent::kKillFieldNumber, "kill", kExecutorKillNode),
    message(v1::ExecutorEvent::kErrorFieldNumber, "error", kExecutorErrorNode),
    message(v1::ExecutorEvent::kLaunchGroupFieldNumber, "launch_group", kExecutorLaunchGroupNode),
};
constinit const Node kExecutorEventNode{"mesos.v1.ExecutorEvent", kExecutorEventFields};

// ---- master operator -----------------------------------------------------------------------

constexpr Field kSetLoggingLevelFields[] = {
    integer(v1::MasterCall_SetLoggingLevel::kLevelFieldNumber, "level", Slot::kDetailInt, "level")};
constinit const Node kMasterSetLoggingLevelNode{"mesos.v1.MasterCall.SetLoggingLevel", kSetLoggingLevelFields};

constexpr Field kMasterListFilesFields[] = {
    text(v1::MasterCall_ListFiles::kPathFieldNumber, "path", Slot::kDetail)};
constinit const Node kMasterListFilesNode{"mesos.v1.MasterCall.ListFiles", kMasterListFilesFields};

constexpr Field kMasterReadFileFields[] = {text(v1::MasterCall_ReadFile::kPathFieldNumber, "path", Slot::kDetail)};
constinit const Node kMasterReadFileNode{"mesos.v1.MasterCall.ReadFile", kMasterReadFileFields};

constexpr Field kAgentResourcesFields[] = {
    message(v1::MasterCall_AgentResources::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode)};
constinit const Node kAgentResourcesNode{"mesos.v1.MasterCall.AgentResources", kAgentResourcesFields};

constexpr Field kMachinesFields[] = {
    message(v1::MasterCall_Machines::kMachinesFieldNumber, "machines", kMachineIdNode, true)};
constinit const Node kMachinesNode{"mesos.v1.MasterCall.Machines", kMachinesFields};

constexpr Field kRemoveQuotaFields[] = {
    text(v1::MasterCall_RemoveQuota::kRoleFieldNumber, "role", Slot::kDetail, false, "role")};
constinit const Node kRemoveQuotaNode{"mesos.v1.MasterCall.RemoveQuota", kRemoveQuotaFields};

constexpr Field kTeardownFields[] = {
    message(v1::MasterCall_Teardown::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode)};
constinit const Node kTeardownNode{"mesos.v1.MasterCall.Teardown", kTeardownFields};

constexpr Field kMarkAgentGoneFields[] = {
    message(v1::MasterCall_MarkAgentGone::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode)};
constinit const Node kMarkAgentGoneNode{"mesos.v1.MasterCall.MarkAgentGone", kMarkAgentGoneFields};

constexpr Field kDrainAgentFields[] = {
    message(v1::MasterCall_DrainAgent::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode),
    boolean(v1::MasterCall_DrainAgent::kMarkGoneFieldNumber, "mark_gone", Slot::kDetailBool, "mark_gone"),
};
constinit const Node kDrainAgentNode{"mesos.v1.MasterCall.DrainAgent", kDrainAgentFields};

constexpr Field kDeactivateAgentFields[] = {
    message(v1::MasterCall_DeactivateAgent::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode)};
constinit const Node kDeactivateAgentNode{"mesos.v1.MasterCall.DeactivateAgent", kDeactivateAgentFields};

constexpr Field kReactivateAgentFields[] = {
    message(v1::MasterCall_ReactivateAgent::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode)};
constinit const Node kReactivateAgentNode{"mesos.v1.MasterCall.ReactivateAgent", kReactivateAgentFields};

constexpr Field kMasterCallFields[] = {
    enumeration(v1::MasterCall::kTypeFieldNumber, "type", Slot::kCallType, kMasterCallTypes),
    message(v1::MasterCall::kSetLoggingLevelFieldNumber, "set_logging_level", kMasterSetLoggingLevelNode),
    message(v1::MasterCall::kListFilesFieldNumber, "list_files", kMasterListFilesNode),
    message(v1::MasterCall::kReadFileFieldNumber, "read_file", kMasterReadFileNode),
    message(v1::MasterCall::kReserveResourcesFieldNumber, "reserve_resources", kAgentResourcesNode),
    message(v1::MasterCall::kUnreserveResourcesFieldNumber, "unreserve_resources", kAgentResourcesNode),
    message(v1::MasterCall::kCreateVolumesFieldNumber, "create_volumes", kAgentResourcesNode),
    message(v1::MasterCall::kDestroyVolumesFieldNumber, "destroy_volumes", kAgentResourcesNode),
    message(v1::MasterCall::kStartMaintenanceFieldNumber, "start_maintenance", kMachinesNode),
    message(v1::MasterCall::kStopMaintenanceFieldNumber, "stop_maintenance", kMachinesNode),
    message(v1::MasterCall::kRemoveQuotaFieldNumber, "remove_quota", kRemoveQuotaNode),
    message(v1::MasterCall::kTeardownFieldNumber, "teardown", kTeardownNode),
    message(v1::MasterCall::kMarkAgentGoneFieldNumber, "mark_agent_gone", kMarkAgentGoneNode),
    message(v1::MasterCall::kGrowVolumeFieldNumber, "grow_volume", kAgentResourcesNode),
    message(v1::MasterCall::kShrinkVolumeFieldNumber, "shrink_volume", kAgentResourcesNode),
    message(v1::MasterCall::kDrainAgentFieldNumber, "drain_agent", kDrainAgentNode),
    message(v1::MasterCall::kDeactivateAgentFieldNumber, "deactivate_agent", kDeactivateAgentNode),
    message(v1::MasterCall::kReactivateAgentFieldNumber, "reactivate_agent", kReactivateAgentNode),
};
constinit const Node kMasterCallNode{"mesos.v1.MasterCall", kMasterCallFields};

constexpr Field kMasterTaskFields[] = {
    text(v1::MasterEvent_Task::kNameFieldNumber, "name", Slot::kTaskName),
    message(v1::MasterEvent_Task::kTaskIdFieldNumber, "task_id", kTaskIdNode),
    message(v1::MasterEvent_Task::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(v1::MasterEvent_Task::kAgentIdFieldNumber, "agent_id", kSlaveIdNode),
    enumeration(v1::MasterEvent_Task::kStateFieldNumber, "state", Slot::kTaskState, kTaskStates),
};
constinit const Node kMasterTaskNode{"mesos.v1.MasterEvent.Task", kMasterTaskFields};

constexpr Field kTaskAddedFields[] = {message(v1::MasterEvent_TaskAdded::kTaskFieldNumber, "task", kMasterTaskNode)};
constinit const Node kTaskAddedNode{"mesos.v1.MasterEvent.TaskAdded", kTaskAddedFields};

constexpr Field kTaskUpdatedFields[] = {
    message(v1::MasterEvent_TaskUpdated::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(v1::MasterEvent_TaskUpdated::kStatusFieldNumber, "status", kTaskStatusNode),
    enumeration(v1::MasterEvent_TaskUpdated::kStateFieldNumber, "state", Slot::kTaskState, kTaskStates),
};
constinit const Node kTaskUpdatedNode{"mesos.v1.MasterEvent.TaskUpdated", kTaskUpdatedFields};

constexpr Field kMasterFrameworkFields[] = {
    message(v1::MasterEvent_Framework::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode)};
constinit const Node kMasterFrameworkNode{"mesos.v1.MasterEvent.Framework", kMasterFrameworkFields};

constexpr Field kFrameworkAddedFields[] = {
    message(v1::MasterEvent_FrameworkAdded::kFrameworkFieldNumber, "framework", kMasterFrameworkNode)};
constinit const Node kFrameworkAddedNode{"mesos.v1.MasterEvent.FrameworkAdded", kFrameworkAddedFields};

constexpr Field kFrameworkRemovedFields[] = {
    message(v1::MasterEvent_FrameworkRemoved::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode)};
constinit const Node kFrameworkRemovedNode{"mesos.v1.MasterEvent.FrameworkRemoved", kFrameworkRemovedFields};

constexpr Field kMasterAgentFields[] = {
    message(v1::MasterEvent_Agent::kAgentInfoFieldNumber, "agent_info", kSlaveInfoNode)};
constinit const Node kMasterAgentNode{"mesos.v1.MasterEvent.Agent", kMasterAgentFields};

constexpr Field kAgentAddedFields[] = {
    message(v1::MasterEvent_AgentAdded::kAgentFieldNumber, "agent", kMasterAgentNode)};
constinit const Node kAgentAddedNode{"mesos.v1.MasterEvent.AgentAdded", kAgentAddedFields};

constexpr Field kAgentRemovedFields[] = {
    message(v1::MasterEvent_AgentRemoved::kAgentIdFieldNumber, "agent_id", kV1AgentIdNode)};
constinit const Node kAgentRemovedNode{"mesos.v1.MasterEvent.AgentRemoved", kAgentRemovedFields};

constexpr Field kMasterEventFields[] = {
    enumeration(v1::MasterEvent::kTypeFieldNumber, "type", Slot::kCallType, kMasterEventTypes),
    message(v1::MasterEvent::kTaskAddedFieldNumber, "task_added", kTaskAddedNode),
    message(v1::MasterEvent::kTaskUpdatedFieldNumber, "task_updated", kTaskUpdatedNode),
    message(v1::MasterEvent::kAgentAddedFieldNumber, "agent_added", kAgentAddedNode),
    message(v1::MasterEvent::kAgentRemovedFieldNumber, "agent_removed", kAgentRemovedNode),
    message(v1::MasterEvent::kFrameworkAddedFieldNumber, "framework_added", kFrameworkAddedNode),
    message(v1::MasterEvent::kFrameworkUpdatedFieldNumber, "framework_updated", kFrameworkAddedNode),
    message(v1::MasterEvent::kFrameworkRemovedFieldNumber, "framework_removed", kFrameworkRemovedNode),
};
constinit const Node kMasterEventNode{"mesos.v1.MasterEvent", kMasterEventFields};

// ---- agent operator ---------------------------------------------------------------------------

constexpr Field kAgentSetLoggingLevelFields[] = {
    integer(v1::AgentCall_SetLoggingLevel::kLevelFieldNumber, "level", Slot::kDetailInt, "level")};
constinit const Node kAgentSetLoggingLevelNode{"mesos.v1.AgentCall.SetLoggingLevel", kAgentSetLoggingLevelFields};

constexpr Field kAgentListFilesFields[] = {text(v1::AgentCall_ListFiles::kPathFieldNumber, "path", Slot::kDetail)};
constinit const Node kAgentListFilesNode{"mesos.v1.AgentCall.ListFiles", kAgentListFilesFields};

constexpr Field kAgentReadFileFields[] = {text(v1::AgentCall_ReadFile::kPathFieldNumber, "path", Slot::kDetail)};
constinit const Node kAgentReadFileNode{"mesos.v1.AgentCall.ReadFile", kAgentReadFileFields};

constexpr Field kLaunchNestedFields[] = {
    message(v1::AgentCall_LaunchNestedContainer::kContainerIdFieldNumber, "container_id", kContainerIdNode),
    message(v1::AgentCall_LaunchNestedContainer::kCommandFieldNumber, "command", kCommandInfoNode),
    message(v1::AgentCall_LaunchNestedContainer::kContainerFieldNumber, "container", kContainerInfoNode),
};
constinit const Node kLaunchNestedNode{"mesos.v1.AgentCall.LaunchNestedContainer", kLaunchNestedFields};

constexpr Field kContainerRefFields[] = {
    message(v1::AgentCall_ContainerRef::kContainerIdFieldNumber, "container_id", kContainerIdNode)};
constinit const Node kContainerRefNode{"mesos.v1.AgentCall.ContainerRef", kContainerRefFields};

constexpr Field kAttachInputFields[] = {
    enumeration(v1::AgentCall_AttachContainerInput::kTypeFieldNumber, "type", Slot::kDetail, kAttachInputTypes, false,
                "input"),
    message(v1::AgentCall_AttachContainerInput::kContainerIdFieldNumber, "container_id", kContainerIdNode),
};
constinit const Node kAttachInputNode{"mesos.v1.AgentCall.AttachContainerInput", kAttachInputFields};

constexpr Field kLaunchContainerFields[] = {
    message(v1::AgentCall_LaunchContainer::kContainerIdFieldNumber, "container_id", kContainerIdNode),
    message(v1::AgentCall_LaunchContainer::kCommandFieldNumber, "command", kCommandInfoNode),
    message(v1::AgentCall_LaunchContainer::kContainerFieldNumber, "container", kContainerInfoNode),
};
constinit const Node kLaunchContainerNode{"mesos.v1.AgentCall.LaunchContainer", kLaunchContainerFields};

constexpr Field kProviderInfoFields[] = {
    text(v1::AgentCall_ResourceProviderInfo::kTypeFieldNumber, "type", Slot::kDetail, false, "provider_type"),
    text(v1::AgentCall_ResourceProviderInfo::kNameFieldNumber, "name", Slot::kDetail, false, "provider_name"),
};
constinit const Node kProviderInfoNode{"mesos.v1.AgentCall.ResourceProviderInfo", kProviderInfoFields};

constexpr Field kProviderConfigFields[] = {
    message(v1::AgentCall_ResourceProviderConfig::kInfoFieldNumber, "info", kProviderInfoNode)};
constinit const Node kProviderConfigNode{"mesos.v1.AgentCall.ResourceProviderConfig", kProviderConfigFields};

constexpr Field kRemoveProviderConfigFields[] = {
    text(v1::AgentCall_RemoveResourceProviderConfig::kTypeFieldNumber, "type", Slot::kDetail, false,
         "provider_type"),
    text(v1::AgentCall_RemoveResourceProviderConfig::kNameFieldNumber, "name", Slot::kDetail, false,
         "provider_name"),
};
constinit const Node kRemoveProviderConfigNode{"mesos.v1.AgentCall.RemoveResourceProviderConfig",
                                               kRemoveProviderConfigFields};

constexpr Field kAgentCallFields[] = {
    enumeration(v1::AgentCall::kTypeFieldNumber, "type", Slot::kCallType, kAgentCallTypes),
    message(v1::AgentCall::kSetLoggingLevelFieldNumber, "set_logging_level", kAgentSetLoggingLevelNode),
    message(v1::AgentCall::kListFilesFieldNumber, "list_files", kAgentListFilesNode),
    message(v1::AgentCall::kReadFileFieldNumber, "read_file", kAgentReadFileNode),
    message(v1::AgentCall::kLaunchNestedContainerFieldNumber, "launch_nested_container", kLaunchNestedNode),
    message(v1::AgentCall::kWaitNestedContainerFieldNumber, "wait_nested_container", kContainerRefNode),
    message(v1::AgentCall::kKillNestedContainerFieldNumber, "kill_nested_container", kContainerRefNode),
    message(v1::AgentCall::kLaunchNestedContainerSessionFieldNumber, "launch_nested_container_session",
            kLaunchNestedNode),
    message(v1::AgentCall::kAttachContainerInputFieldNumber, "attach_container_input", kAttachInputNode),
    message(v1::AgentCall::kAttachContainerOutputFieldNumber, "attach_container_output", kContainerRefNode),
    message(v1::AgentCall::kRemoveNestedContainerFieldNumber, "remove_nested_container", kContainerRefNode),
    message(v1::AgentCall::kLaunchContainerFieldNumber, "launch_container", kLaunchContainerNode),
    message(v1::AgentCall::kWaitContainerFieldNumber, "wait_container", kContainerRefNode),
    message(v1::AgentCall::kKillContainerFieldNumber, "kill_container", kContainerRefNode),
    message(v1::AgentCall::kRemoveContainerFieldNumber, "remove_container", kContainerRefNode),
    message(v1::AgentCall::kAddResourceProviderConfigFieldNumber, "add_resource_provider_config",
            kProviderConfigNode),
    message(v1::AgentCall::kUpdateResourceProviderConfigFieldNumber, "update_resource_provider_config",
            kProviderConfigNode),
    message(v1::AgentCall::kRemoveResourceProviderConfigFieldNumber, "remove_resource_provider_config",
            kRemoveProviderConfigNode),
};
constinit const Node kAgentCallNode{"mesos.v1.AgentCall", kAgentCallFields};

// ---- resource provider --------------------------------------------------------------------------

constexpr Field kResourceProviderCallFields[] = {
    enumeration(v1::ResourceProviderCall::kTypeFieldNumber, "type", Slot::kCallType, kResourceProviderCallTypes)};
constinit const Node kResourceProviderCallNode{"mesos.v1.ResourceProviderCall", kResourceProviderCallFields};

// ---- lookups --------------------------------------------------------------------------------------

const Node* v1_call_node(ApiFamily api) noexcept {
  switch (api) {
    case ApiFamily::kScheduler: return &kSchedulerCallNode;
    case ApiFamily::kExecutor: return &kExecutorCallNode;
    case ApiFamily::kMasterOperator: return &kMasterCallNode;
    case ApiFamily::kAgentOperator: return &kAgentCallNode;
    case ApiFamily::kResourceProvider: return &kResourceProviderCallNode;
    case ApiFamily::kNone: break;
  }
  return nullptr;
}

const Node* v1_event_node(ApiFamily api) noexcept {
  switch (api) {
    case ApiFamily::kScheduler: return &kSchedulerEventNode;
    case ApiFamily::kExecutor: return &kExecutorEventNode;
    case ApiFamily::kMasterOperator: return &kMasterEventNode;
    case ApiFamily::kAgentOperator:
    case ApiFamily::kResourceProvider:
    case ApiFamily::kNone: break;
  }
  return nullptr;
}

const EnumTable* v1_call_types(ApiFamily api) noexcept {
  switch (api) {
    case ApiFamily::kScheduler: return &kSchedulerCallTypes;
    case ApiFamily::kExecutor: return &kExecutorCallTypes;
    case ApiFamily::kMasterOperator: return &kMasterCallTypes;
    case ApiFamily::kAgentOperator: return &kAgentCallTypes;
    case ApiFamily::kResourceProvider: return &kResourceProviderCallTypes;
    case ApiFamily::kNone: break;
  }
  return nullptr;
}

namespace {
constexpr const Node* kV1Roots[] = {&kSchedulerCallNode, &kSchedulerEventNode, &kExecutorCallNode,
                                    &kExecutorEventNode, &kMasterCallNode,     &kMasterEventNode,
                                    &kAgentCallNode,     &kResourceProviderCallNode};
}  // namespace

std::span<const Node* const> v1_root_nodes() noexcept { return kV1Roots; }

}  // namespace segward::mesos::schema
