// Schema nodes for the common Mesos types and the libprocess messages.
// Every field number and enum value comes from the generated classes.
#include "decoders/libprocess/mesos_schema.h"

#include "decoders/libprocess/mesos.pb.h"
#include "decoders/libprocess/messages.pb.h"
#include "decoders/libprocess/scheduler.pb.h"

namespace segward::mesos::schema {

namespace m = ::mesos;
namespace mi = ::mesos::internal;
namespace ms = ::mesos::scheduler;

using C = EndpointClass;

// ---- enums ------------------------------------------------------------------

constexpr EnumName kTaskStateNames[] = {
    {m::TASK_STARTING, "TASK_STARTING"},
    {m::TASK_RUNNING, "TASK_RUNNING"},
    {m::TASK_FINISHED, "TASK_FINISHED"},
    {m::TASK_FAILED, "TASK_FAILED"},
    {m::TASK_KILLED, "TASK_KILLED"},
    {m::TASK_LOST, "TASK_LOST"},
    {m::TASK_STAGING, "TASK_STAGING"},
    {m::TASK_ERROR, "TASK_ERROR"},
    {m::TASK_KILLING, "TASK_KILLING"},
    {m::TASK_DROPPED, "TASK_DROPPED"},
    {m::TASK_UNREACHABLE, "TASK_UNREACHABLE"},
    {m::TASK_GONE, "TASK_GONE"},
    {m::TASK_GONE_BY_OPERATOR, "TASK_GONE_BY_OPERATOR"},
    {m::TASK_UNKNOWN, "TASK_UNKNOWN"},
};
constinit const EnumTable kTaskStates{"mesos.TaskState", kTaskStateNames};

constexpr EnumName kCapabilityNames[] = {
    {m::FrameworkInfo_Capability_Type_UNKNOWN, "UNKNOWN"},
    {m::FrameworkInfo_Capability_Type_REVOCABLE_RESOURCES, "REVOCABLE_RESOURCES"},
    {m::FrameworkInfo_Capability_Type_TASK_KILLING_STATE, "TASK_KILLING_STATE"},
    {m::FrameworkInfo_Capability_Type_GPU_RESOURCES, "GPU_RESOURCES"},
    {m::FrameworkInfo_Capability_Type_SHARED_RESOURCES, "SHARED_RESOURCES"},
    {m::FrameworkInfo_Capability_Type_PARTITION_AWARE, "PARTITION_AWARE"},
    {m::FrameworkInfo_Capability_Type_MULTI_ROLE, "MULTI_ROLE"},
    {m::FrameworkInfo_Capability_Type_RESERVATION_REFINEMENT, "RESERVATION_REFINEMENT"},
    {m::FrameworkInfo_Capability_Type_REGION_AWARE, "REGION_AWARE"},
};
constinit const EnumTable kFrameworkCapabilityTypes{"mesos.FrameworkInfo.Capability.Type", kCapabilityNames};

constexpr EnumName kOperationTypeNames[] = {
    {m::Offer_Operation_Type_UNKNOWN, "UNKNOWN"},
    {m::Offer_Operation_Type_LAUNCH, "LAUNCH"},
    {m::Offer_Operation_Type_RESERVE, "RESERVE"},
    {m::Offer_Operation_Type_UNRESERVE, "UNRESERVE"},
    {m::Offer_Operation_Type_CREATE, "CREATE"},
    {m::Offer_Operation_Type_DESTROY, "DESTROY"},
    {m::Offer_Operation_Type_LAUNCH_GROUP, "LAUNCH_GROUP"},
    {m::Offer_Operation_Type_GROW_VOLUME, "GROW_VOLUME"},
    {m::Offer_Operation_Type_SHRINK_VOLUME, "SHRINK_VOLUME"},
    {m::Offer_Operation_Type_CREATE_DISK, "CREATE_DISK"},
    {m::Offer_Operation_Type_DESTROY_DISK, "DESTROY_DISK"},
};
constinit const EnumTable kOfferOperationTypes{"mesos.Offer.Operation.Type", kOperationTypeNames};

// Scheduler calls. "mutating": changes the framework's registration or its
// tasks (or sends them data); "read": offer flow control, acknowledgements
// and reconciliation, which change no workload.
constexpr EnumName kSchedulerCallTypeNames[] = {
    {ms::Call_Type_UNKNOWN, "UNKNOWN"},
    {ms::Call_Type_SUBSCRIBE, "SUBSCRIBE", C::kMutating},
    {ms::Call_Type_TEARDOWN, "TEARDOWN", C::kMutating},
    {ms::Call_Type_ACCEPT, "ACCEPT", C::kMutating},
    {ms::Call_Type_DECLINE, "DECLINE", C::kRead},
    {ms::Call_Type_REVIVE, "REVIVE", C::kRead},
    {ms::Call_Type_KILL, "KILL", C::kMutating},
    {ms::Call_Type_SHUTDOWN, "SHUTDOWN", C::kMutating},
    {ms::Call_Type_ACKNOWLEDGE, "ACKNOWLEDGE", C::kRead},
    {ms::Call_Type_RECONCILE, "RECONCILE", C::kRead},
    {ms::Call_Type_MESSAGE, "MESSAGE", C::kMutating},
    {ms::Call_Type_REQUEST, "REQUEST", C::kRead},
    {ms::Call_Type_SUPPRESS, "SUPPRESS", C::kRead},
    {ms::Call_Type_ACCEPT_INVERSE_OFFERS, "ACCEPT_INVERSE_OFFERS", C::kMutating},
    {ms::Call_Type_DECLINE_INVERSE_OFFERS, "DECLINE_INVERSE_OFFERS", C::kRead},
    {ms::Call_Type_ACKNOWLEDGE_OPERATION_STATUS, "ACKNOWLEDGE_OPERATION_STATUS", C::kRead},
    {ms::Call_Type_RECONCILE_OPERATIONS, "RECONCILE_OPERATIONS", C::kRead},
    {ms::Call_Type_UPDATE_FRAMEWORK, "UPDATE_FRAMEWORK", C::kMutating},
};
constinit const EnumTable kSchedulerCallTypes{"mesos.scheduler.Call.Type", kSchedulerCallTypeNames};

// ---- ids ----------------------------------------------------------------------

constexpr Field kFrameworkIdFields[] = {text(m::FrameworkID::kValueFieldNumber, "value", Slot::kFrameworkId)};
constinit const Node kFrameworkIdNode{"mesos.FrameworkID", kFrameworkIdFields};

constexpr Field kSlaveIdFields[] = {text(m::SlaveID::kValueFieldNumber, "value", Slot::kAgentId)};
constinit const Node kSlaveIdNode{"mesos.SlaveID", kSlaveIdFields};

constexpr Field kTaskIdFields[] = {text(m::TaskID::kValueFieldNumber, "value", Slot::kTaskId)};
constinit const Node kTaskIdNode{"mesos.TaskID", kTaskIdFields};

constexpr Field kExecutorIdFields[] = {
    text(m::ExecutorID::kValueFieldNumber, "value", Slot::kDetail, false, "executor")};
constinit const Node kExecutorIdNode{"mesos.ExecutorID", kExecutorIdFields};

constexpr Field kOfferIdFields[] = {text(m::OfferID::kValueFieldNumber, "value", Slot::kDetail, false, "offer")};
constinit const Node kOfferIdNode{"mesos.OfferID", kOfferIdFields};

// ---- frameworks ---------------------------------------------------------------

constexpr Field kCapabilityFields[] = {enumeration(m::FrameworkInfo_Capability::kTypeFieldNumber, "type",
                                                   Slot::kFrameworkCapability, kFrameworkCapabilityTypes)};
constinit const Node kCapabilityNode{"mesos.FrameworkInfo.Capability", kCapabilityFields};

constexpr Field kFrameworkInfoFields[] = {
    text(m::FrameworkInfo::kUserFieldNumber, "user", Slot::kFrameworkUser),
    text(m::FrameworkInfo::kNameFieldNumber, "name", Slot::kFrameworkName),
    message(m::FrameworkInfo::kIdFieldNumber, "id", kFrameworkIdNode),
    boolean(m::FrameworkInfo::kCheckpointFieldNumber, "checkpoint", Slot::kFrameworkCheckpoint),
    text(m::FrameworkInfo::kRoleFieldNumber, "role", Slot::kFrameworkRole),
    text(m::FrameworkInfo::kHostnameFieldNumber, "hostname", Slot::kFrameworkHostname),
    text(m::FrameworkInfo::kPrincipalFieldNumber, "principal", Slot::kFrameworkPrincipal),
    message(m::FrameworkInfo::kCapabilitiesFieldNumber, "capabilities", kCapabilityNode, true,
            Slot::kFrameworkCapability),
    text(m::FrameworkInfo::kRolesFieldNumber, "roles", Slot::kFrameworkRoles, true),
};
constinit const Node kFrameworkInfoNode{"mesos.FrameworkInfo", kFrameworkInfoFields};

// ---- agents ---------------------------------------------------------------------

constexpr Field kScalarFields[] = {real(m::Value_Scalar::kValueFieldNumber, "value", Slot::kResourceScalar)};
constinit const Node kScalarNode{"mesos.Value.Scalar", kScalarFields};

constexpr Field kAgentResourceFields[] = {
    text(m::Resource::kNameFieldNumber, "name", Slot::kResourceName),
    message(m::Resource::kScalarFieldNumber, "scalar", kScalarNode),
};
constinit const Node kAgentResourceNode{"mesos.Resource", kAgentResourceFields, NodeRole::kAgentResource};

constexpr Field kSlaveInfoFields[] = {
    text(m::SlaveInfo::kHostnameFieldNumber, "hostname", Slot::kAgentHostname),
    message(m::SlaveInfo::kResourcesFieldNumber, "resources", kAgentResourceNode, true),
    message(m::SlaveInfo::kIdFieldNumber, "id", kSlaveIdNode),
    integer(m::SlaveInfo::kPortFieldNumber, "port", Slot::kAgentPort),
};
constinit const Node kSlaveInfoNode{"mesos.SlaveInfo", kSlaveInfoFields};

constexpr Field kMasterInfoFields[] = {
    text(m::MasterInfo::kPidFieldNumber, "pid", Slot::kDetail, false, "master_pid"),
    text(m::MasterInfo::kHostnameFieldNumber, "hostname", Slot::kDetail, false, "master_hostname"),
    text(m::MasterInfo::kVersionFieldNumber, "version", Slot::kDetail, false, "master_version"),
};
constinit const Node kMasterInfoNode{"mesos.MasterInfo", kMasterInfoFields};

// ---- tasks ------------------------------------------------------------------------

constexpr Field kCommandInfoFields[] = {
    text(m::CommandInfo::kValueFieldNumber, "value", Slot::kCommandValue),
    text(m::CommandInfo::kUserFieldNumber, "user", Slot::kCommandUser),
    text(m::CommandInfo::kArgumentsFieldNumber, "arguments", Slot::kCommandArgument, true),
};
constinit const Node kCommandInfoNode{"mesos.CommandInfo", kCommandInfoFields, NodeRole::kCommandInfo};

constexpr Field kImageNameFields[] = {text(m::Image_Docker::kNameFieldNumber, "name", Slot::kImage)};
constinit const Node kImageDockerNode{"mesos.Image.Docker", kImageNameFields};
constexpr Field kImageAppcFields[] = {text(m::Image_Appc::kNameFieldNumber, "name", Slot::kImage)};
constinit const Node kImageAppcNode{"mesos.Image.Appc", kImageAppcFields};

// Image.Docker.credential (2) and .config (3, a Secret) are not in the
// schema: registry passwords and secret values are never read.
constexpr Field kImageFields[] = {
    message(m::Image::kAppcFieldNumber, "appc", kImageAppcNode),
    message(m::Image::kDockerFieldNumber, "docker", kImageDockerNode),
};
constinit const Node kImageNode{"mesos.Image", kImageFields};

constexpr Field kHostPathFields[] = {text(m::Volume_Source_HostPath::kPathFieldNumber, "path", Slot::kHostPath)};
constinit const Node kHostPathNode{"mesos.Volume.Source.HostPath", kHostPathFields};

constexpr Field kVolumeSourceFields[] = {
    message(m::Volume_Source::kHostPathFieldNumber, "host_path", kHostPathNode)};
constinit const Node kVolumeSourceNode{"mesos.Volume.Source", kVolumeSourceFields};

constexpr Field kVolumeFields[] = {
    text(m::Volume::kHostPathFieldNumber, "host_path", Slot::kHostPath),
    message(m::Volume::kSourceFieldNumber, "source", kVolumeSourceNode),
};
constinit const Node kVolumeNode{"mesos.Volume", kVolumeFields};

constexpr Field kDockerInfoFields[] = {
    text(m::ContainerInfo_DockerInfo::kImageFieldNumber, "image", Slot::kImage),
    boolean(m::ContainerInfo_DockerInfo::kPrivilegedFieldNumber, "privileged", Slot::kPrivileged),
};
constinit const Node kDockerInfoNode{"mesos.ContainerInfo.DockerInfo", kDockerInfoFields};

constexpr Field kMesosInfoFields[] = {message(m::ContainerInfo_MesosInfo::kImageFieldNumber, "image", kImageNode)};
constinit const Node kMesosInfoNode{"mesos.ContainerInfo.MesosInfo", kMesosInfoFields};

constexpr Field kContainerInfoFields[] = {
    message(m::ContainerInfo::kVolumesFieldNumber, "volumes", kVolumeNode, true),
    message(m::ContainerInfo::kDockerFieldNumber, "docker", kDockerInfoNode),
    message(m::ContainerInfo::kMesosFieldNumber, "mesos", kMesosInfoNode),
};
constinit const Node kContainerInfoNode{"mesos.ContainerInfo", kContainerInfoFields};

constexpr Field kExecutorInfoFields[] = {
    message(m::ExecutorInfo::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(m::ExecutorInfo::kCommandFieldNumber, "command", kCommandInfoNode),
    message(m::ExecutorInfo::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(m::ExecutorInfo::kContainerFieldNumber, "container", kContainerInfoNode),
};
constinit const Node kExecutorInfoNode{"mesos.ExecutorInfo", kExecutorInfoFields, NodeRole::kExecutorInfo};

constexpr Field kTaskInfoFields[] = {
    text(m::TaskInfo::kNameFieldNumber, "name", Slot::kTaskName),
    message(m::TaskInfo::kTaskIdFieldNumber, "task_id", kTaskIdNode),
    message(m::TaskInfo::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(m::TaskInfo::kExecutorFieldNumber, "executor", kExecutorInfoNode),
    message(m::TaskInfo::kCommandFieldNumber, "command", kCommandInfoNode),
    message(m::TaskInfo::kContainerFieldNumber, "container", kContainerInfoNode),
};
constinit const Node kTaskInfoNode{"mesos.TaskInfo", kTaskInfoFields, NodeRole::kTaskInfo};

constexpr Field kTaskGroupInfoFields[] = {
    message(m::TaskGroupInfo::kTasksFieldNumber, "tasks", kTaskInfoNode, true)};
constinit const Node kTaskGroupInfoNode{"mesos.TaskGroupInfo", kTaskGroupInfoFields};

constexpr Field kTaskStatusFields[] = {
    message(m::TaskStatus::kTaskIdFieldNumber, "task_id", kTaskIdNode),
    enumeration(m::TaskStatus::kStateFieldNumber, "state", Slot::kTaskState, kTaskStates),
    text(m::TaskStatus::kMessageFieldNumber, "message", Slot::kDetail),
    message(m::TaskStatus::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(m::TaskStatus::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
};
constinit const Node kTaskStatusNode{"mesos.TaskStatus", kTaskStatusFields};

constexpr Field kLaunchFields[] = {
    message(m::Offer_Operation_Launch::kTaskInfosFieldNumber, "task_infos", kTaskInfoNode, true)};
constinit const Node kLaunchNode{"mesos.Offer.Operation.Launch", kLaunchFields};

constexpr Field kLaunchGroupFields[] = {
    message(m::Offer_Operation_LaunchGroup::kExecutorFieldNumber, "executor", kExecutorInfoNode),
    message(m::Offer_Operation_LaunchGroup::kTaskGroupFieldNumber, "task_group", kTaskGroupInfoNode),
};
constinit const Node kLaunchGroupNode{"mesos.Offer.Operation.LaunchGroup", kLaunchGroupFields};

constexpr Field kOfferOperationFields[] = {
    enumeration(m::Offer_Operation::kTypeFieldNumber, "type", Slot::kDetailList, kOfferOperationTypes, false,
                "operations"),
    message(m::Offer_Operation::kLaunchFieldNumber, "launch", kLaunchNode),
    message(m::Offer_Operation::kLaunchGroupFieldNumber, "launch_group", kLaunchGroupNode),
};
constinit const Node kOfferOperationNode{"mesos.Offer.Operation", kOfferOperationFields};

constexpr Field kOfferFields[] = {
    message(m::Offer::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(m::Offer::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    text(m::Offer::kHostnameFieldNumber, "hostname", Slot::kAgentHostname),
};
constinit const Node kOfferNode{"mesos.Offer", kOfferFields};

constexpr Field kDrainConfigFields[] = {
    boolean(m::DrainConfig::kMarkGoneFieldNumber, "mark_gone", Slot::kDetailBool, "mark_gone")};
constinit const Node kDrainConfigNode{"mesos.DrainConfig", kDrainConfigFields};

// ---- mesos.scheduler.Call (v0) ----------------------------------------------------

constexpr Field kSubscribeV0Fields[] = {
    message(ms::Call_Subscribe::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode),
    boolean(ms::Call_Subscribe::kForceFieldNumber, "force", Slot::kFrameworkFailover),
};
constinit const Node kSubscribeV0Node{"mesos.scheduler.Call.Subscribe", kSubscribeV0Fields};

constexpr Field kAcceptV0Fields[] = {
    message(ms::Call_Accept::kOperationsFieldNumber, "operations", kOfferOperationNode, true)};
constinit const Node kAcceptV0Node{"mesos.scheduler.Call.Accept", kAcceptV0Fields};

constexpr Field kKillV0Fields[] = {
    message(ms::Call_Kill::kTaskIdFieldNumber, "task_id", kTaskIdNode),
    message(ms::Call_Kill::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
};
constinit const Node kKillV0Node{"mesos.scheduler.Call.Kill", kKillV0Fields};

constexpr Field kShutdownV0Fields[] = {
    message(ms::Call_Shutdown::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(ms::Call_Shutdown::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
};
constinit const Node kShutdownV0Node{"mesos.scheduler.Call.Shutdown", kShutdownV0Fields};

constexpr Field kAcknowledgeV0Fields[] = {
    message(ms::Call_Acknowledge::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(ms::Call_Acknowledge::kTaskIdFieldNumber, "task_id", kTaskIdNode),
};
constinit const Node kAcknowledgeV0Node{"mesos.scheduler.Call.Acknowledge", kAcknowledgeV0Fields};

constexpr Field kMessageV0Fields[] = {
    message(ms::Call_Message::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(ms::Call_Message::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
};
constinit const Node kMessageV0Node{"mesos.scheduler.Call.Message", kMessageV0Fields};

constexpr Field kUpdateFrameworkV0Fields[] = {
    message(ms::Call_UpdateFramework::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode)};
constinit const Node kUpdateFrameworkV0Node{"mesos.scheduler.Call.UpdateFramework", kUpdateFrameworkV0Fields};

constexpr Field kSchedulerCallV0Fields[] = {
    message(ms::Call::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    enumeration(ms::Call::kTypeFieldNumber, "type", Slot::kCallType, kSchedulerCallTypes),
    message(ms::Call::kSubscribeFieldNumber, "subscribe", kSubscribeV0Node),
    message(ms::Call::kAcceptFieldNumber, "accept", kAcceptV0Node),
    message(ms::Call::kKillFieldNumber, "kill", kKillV0Node),
    message(ms::Call::kShutdownFieldNumber, "shutdown", kShutdownV0Node),
    message(ms::Call::kAcknowledgeFieldNumber, "acknowledge", kAcknowledgeV0Node),
    message(ms::Call::kMessageFieldNumber, "message", kMessageV0Node),
    message(ms::Call::kUpdateFrameworkFieldNumber, "update_framework", kUpdateFrameworkV0Node),
};
constinit const Node kSchedulerCallV0Node{"mesos.scheduler.Call", kSchedulerCallV0Fields};

// ---- mesos.internal messages ----------------------------------------------------------
// Nodes named after their message; fields in the messages' own order.

constexpr Field kRegisterFrameworkFields[] = {
    message(mi::RegisterFrameworkMessage::kFrameworkFieldNumber, "framework", kFrameworkInfoNode)};
constinit const Node kRegisterFramework{"mesos.internal.RegisterFrameworkMessage", kRegisterFrameworkFields};

constexpr Field kReregisterFrameworkFields[] = {
    message(mi::ReregisterFrameworkMessage::kFrameworkFieldNumber, "framework", kFrameworkInfoNode),
    boolean(mi::ReregisterFrameworkMessage::kFailoverFieldNumber, "failover", Slot::kFrameworkFailover),
};
constinit const Node kReregisterFramework{"mesos.internal.ReregisterFrameworkMessage", kReregisterFrameworkFields};

constexpr Field kUnregisterFrameworkFields[] = {
    message(mi::UnregisterFrameworkMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode)};
constinit const Node kUnregisterFramework{"mesos.internal.UnregisterFrameworkMessage", kUnregisterFrameworkFields};

constexpr Field kDeactivateFrameworkFields[] = {
    message(mi::DeactivateFrameworkMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode)};
constinit const Node kDeactivateFramework{"mesos.internal.DeactivateFrameworkMessage", kDeactivateFrameworkFields};

constexpr Field kFrameworkRegisteredFields[] = {
    message(mi::FrameworkRegisteredMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::FrameworkRegisteredMessage::kMasterInfoFieldNumber, "master_info", kMasterInfoNode),
};
constinit const Node kFrameworkRegistered{"mesos.internal.FrameworkRegisteredMessage", kFrameworkRegisteredFields};

constexpr Field kFrameworkReregisteredFields[] = {
    message(mi::FrameworkReregisteredMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::FrameworkReregisteredMessage::kMasterInfoFieldNumber, "master_info", kMasterInfoNode),
};
constinit const Node kFrameworkReregistered{"mesos.internal.FrameworkReregisteredMessage",
                                            kFrameworkReregisteredFields};

constexpr Field kFrameworkErrorFields[] = {
    text(mi::FrameworkErrorMessage::kMessageFieldNumber, "message", Slot::kDetail)};
constinit const Node kFrameworkError{"mesos.internal.FrameworkErrorMessage", kFrameworkErrorFields};

constexpr Field kResourceRequestFields[] = {
    message(mi::ResourceRequestMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode)};
constinit const Node kResourceRequest{"mesos.internal.ResourceRequestMessage", kResourceRequestFields};

constexpr Field kReviveOffersFields[] = {
    message(mi::ReviveOffersMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode)};
constinit const Node kReviveOffers{"mesos.internal.ReviveOffersMessage", kReviveOffersFields};

constexpr Field kRescindOfferFields[] = {
    message(mi::RescindResourceOfferMessage::kOfferIdFieldNumber, "offer_id", kOfferIdNode)};
constinit const Node kRescindOffer{"mesos.internal.RescindResourceOfferMessage", kRescindOfferFields};

constexpr Field kRescindInverseOfferFields[] = {
    message(mi::RescindInverseOfferMessage::kInverseOfferIdFieldNumber, "inverse_offer_id", kOfferIdNode)};
constinit const Node kRescindInverseOffer{"mesos.internal.RescindInverseOfferMessage", kRescindInverseOfferFields};

constinit const Node kInverseOffers{"mesos.internal.InverseOffersMessage", {}};

constexpr Field kResourceOffersFields[] = {
    message(mi::ResourceOffersMessage::kOffersFieldNumber, "offers", kOfferNode, true)};
constinit const Node kResourceOffers{"mesos.internal.ResourceOffersMessage", kResourceOffersFields};

constexpr Field kLostSlaveFields[] = {
    message(mi::LostSlaveMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode)};
constinit const Node kLostSlave{"mesos.internal.LostSlaveMessage", kLostSlaveFields};

constexpr Field kReconcileTasksFields[] = {
    message(mi::ReconcileTasksMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::ReconcileTasksMessage::kFrameworkFieldNumber, "framework", kFrameworkInfoNode),
};
constinit const Node kReconcileTasks{"mesos.internal.ReconcileTasksMessage", kReconcileTasksFields};

constexpr Field kFrameworkToExecutorFields[] = {
    message(mi::FrameworkToExecutorMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::FrameworkToExecutorMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::FrameworkToExecutorMessage::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
};
constinit const Node kFrameworkToExecutor{"mesos.internal.FrameworkToExecutorMessage", kFrameworkToExecutorFields};

constexpr Field kExecutorToFrameworkFields[] = {
    message(mi::ExecutorToFrameworkMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::ExecutorToFrameworkMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::ExecutorToFrameworkMessage::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
};
constinit const Node kExecutorToFramework{"mesos.internal.ExecutorToFrameworkMessage", kExecutorToFrameworkFields};

constexpr Field kSubmitSchedulerFields[] = {
    text(mi::SubmitSchedulerRequest::kNameFieldNumber, "name", Slot::kFrameworkName)};
constinit const Node kSubmitScheduler{"mesos.internal.SubmitSchedulerRequest", kSubmitSchedulerFields};

constexpr Field kLaunchTasksFields[] = {
    message(mi::LaunchTasksMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::LaunchTasksMessage::kTasksFieldNumber, "tasks", kTaskInfoNode, true),
};
constinit const Node kLaunchTasks{"mesos.internal.LaunchTasksMessage", kLaunchTasksFields};

constexpr Field kKillTaskFields[] = {
    message(mi::KillTaskMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::KillTaskMessage::kTaskIdFieldNumber, "task_id", kTaskIdNode),
};
constinit const Node kKillTask{"mesos.internal.KillTaskMessage", kKillTaskFields};

constexpr Field kUpdateFrameworkFields[] = {
    message(mi::UpdateFrameworkMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    text(mi::UpdateFrameworkMessage::kPidFieldNumber, "pid", Slot::kDetail, false, "pid"),
    message(mi::UpdateFrameworkMessage::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode),
};
constinit const Node kUpdateFramework{"mesos.internal.UpdateFrameworkMessage", kUpdateFrameworkFields};

constexpr Field kRunTaskFields[] = {
    message(mi::RunTaskMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::RunTaskMessage::kFrameworkFieldNumber, "framework", kFrameworkInfoNode),
    text(mi::RunTaskMessage::kPidFieldNumber, "pid", Slot::kDetail, false, "pid"),
    message(mi::RunTaskMessage::kTaskFieldNumber, "task", kTaskInfoNode),
};
constinit const Node kRunTask{"mesos.internal.RunTaskMessage", kRunTaskFields};

constexpr Field kRunTaskGroupFields[] = {
    message(mi::RunTaskGroupMessage::kFrameworkFieldNumber, "framework", kFrameworkInfoNode),
    message(mi::RunTaskGroupMessage::kExecutorFieldNumber, "executor", kExecutorInfoNode),
    message(mi::RunTaskGroupMessage::kTaskGroupFieldNumber, "task_group", kTaskGroupInfoNode),
};
constinit const Node kRunTaskGroup{"mesos.internal.RunTaskGroupMessage", kRunTaskGroupFields};

constexpr Field kShutdownFrameworkFields[] = {
    message(mi::ShutdownFrameworkMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode)};
constinit const Node kShutdownFramework{"mesos.internal.ShutdownFrameworkMessage", kShutdownFrameworkFields};

constexpr Field kShutdownExecutorFields[] = {
    message(mi::ShutdownExecutorMessage::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(mi::ShutdownExecutorMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
};
constinit const Node kShutdownExecutor{"mesos.internal.ShutdownExecutorMessage", kShutdownExecutorFields};

constexpr Field kShutdownFields[] = {text(mi::ShutdownMessage::kMessageFieldNumber, "message", Slot::kDetail)};
constinit const Node kShutdown{"mesos.internal.ShutdownMessage", kShutdownFields};

constexpr Field kPingSlaveFields[] = {
    boolean(mi::PingSlaveMessage::kConnectedFieldNumber, "connected", Slot::kDetailBool, "connected")};
constinit const Node kPingSlave{"mesos.internal.PingSlaveMessage", kPingSlaveFields};

constinit const Node kPongSlave{"mesos.internal.PongSlaveMessage", {}};
constinit const Node kCheckpointResources{"mesos.internal.CheckpointResourcesMessage", {}};

constexpr Field kApplyOperationFields[] = {
    message(mi::ApplyOperationMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::ApplyOperationMessage::kOperationInfoFieldNumber, "operation_info", kOfferOperationNode),
};
constinit const Node kApplyOperation{"mesos.internal.ApplyOperationMessage", kApplyOperationFields};

constexpr Field kDrainSlaveFields[] = {
    message(mi::DrainSlaveMessage::kConfigFieldNumber, "config", kDrainConfigNode)};
constinit const Node kDrainSlave{"mesos.internal.DrainSlaveMessage", kDrainSlaveFields};

constexpr Field kRegisterSlaveFields[] = {
    message(mi::RegisterSlaveMessage::kSlaveFieldNumber, "slave", kSlaveInfoNode),
    text(mi::RegisterSlaveMessage::kVersionFieldNumber, "version", Slot::kDetail, false, "version"),
};
constinit const Node kRegisterSlave{"mesos.internal.RegisterSlaveMessage", kRegisterSlaveFields};

constexpr Field kReregisterSlaveFields[] = {
    message(mi::ReregisterSlaveMessage::kSlaveFieldNumber, "slave", kSlaveInfoNode),
    text(mi::ReregisterSlaveMessage::kVersionFieldNumber, "version", Slot::kDetail, false, "version"),
};
constinit const Node kReregisterSlave{"mesos.internal.ReregisterSlaveMessage", kReregisterSlaveFields};

constexpr Field kSlaveRegisteredFields[] = {
    message(mi::SlaveRegisteredMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode)};
constinit const Node kSlaveRegistered{"mesos.internal.SlaveRegisteredMessage", kSlaveRegisteredFields};

constexpr Field kSlaveReregisteredFields[] = {
    message(mi::SlaveReregisteredMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode)};
constinit const Node kSlaveReregistered{"mesos.internal.SlaveReregisteredMessage", kSlaveReregisteredFields};

constexpr Field kUnregisterSlaveFields[] = {
    message(mi::UnregisterSlaveMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode)};
constinit const Node kUnregisterSlave{"mesos.internal.UnregisterSlaveMessage", kUnregisterSlaveFields};

constexpr Field kUpdateSlaveFields[] = {
    message(mi::UpdateSlaveMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode)};
constinit const Node kUpdateSlave{"mesos.internal.UpdateSlaveMessage", kUpdateSlaveFields};

constexpr Field kStatusUpdateFields[] = {
    message(mi::StatusUpdate::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::StatusUpdate::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(mi::StatusUpdate::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::StatusUpdate::kStatusFieldNumber, "status", kTaskStatusNode),
};
constinit const Node kStatusUpdateNode{"mesos.internal.StatusUpdate", kStatusUpdateFields};

constexpr Field kStatusUpdateMessageFields[] = {
    message(mi::StatusUpdateMessage::kUpdateFieldNumber, "update", kStatusUpdateNode),
    text(mi::StatusUpdateMessage::kPidFieldNumber, "pid", Slot::kDetail, false, "pid"),
};
constinit const Node kStatusUpdateMessage{"mesos.internal.StatusUpdateMessage", kStatusUpdateMessageFields};

constexpr Field kStatusUpdateAckFields[] = {
    message(mi::StatusUpdateAcknowledgementMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::StatusUpdateAcknowledgementMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::StatusUpdateAcknowledgementMessage::kTaskIdFieldNumber, "task_id", kTaskIdNode),
};
constinit const Node kStatusUpdateAck{"mesos.internal.StatusUpdateAcknowledgementMessage", kStatusUpdateAckFields};

constexpr Field kExitedExecutorFields[] = {
    message(mi::ExitedExecutorMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::ExitedExecutorMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::ExitedExecutorMessage::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    integer(mi::ExitedExecutorMessage::kStatusFieldNumber, "status", Slot::kDetailInt, "status"),
};
constinit const Node kExitedExecutor{"mesos.internal.ExitedExecutorMessage", kExitedExecutorFields};

constexpr Field kRegisterExecutorFields[] = {
    message(mi::RegisterExecutorMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::RegisterExecutorMessage::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
};
constinit const Node kRegisterExecutor{"mesos.internal.RegisterExecutorMessage", kRegisterExecutorFields};

constexpr Field kReregisterExecutorFields[] = {
    message(mi::ReregisterExecutorMessage::kExecutorIdFieldNumber, "executor_id", kExecutorIdNode),
    message(mi::ReregisterExecutorMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::ReregisterExecutorMessage::kTasksFieldNumber, "tasks", kTaskInfoNode, true),
};
constinit const Node kReregisterExecutor{"mesos.internal.ReregisterExecutorMessage", kReregisterExecutorFields};

constexpr Field kExecutorRegisteredFields[] = {
    message(mi::ExecutorRegisteredMessage::kExecutorInfoFieldNumber, "executor_info", kExecutorInfoNode),
    message(mi::ExecutorRegisteredMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::ExecutorRegisteredMessage::kFrameworkInfoFieldNumber, "framework_info", kFrameworkInfoNode),
    message(mi::ExecutorRegisteredMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::ExecutorRegisteredMessage::kSlaveInfoFieldNumber, "slave_info", kSlaveInfoNode),
};
constinit const Node kExecutorRegistered{"mesos.internal.ExecutorRegisteredMessage", kExecutorRegisteredFields};

constexpr Field kExecutorReregisteredFields[] = {
    message(mi::ExecutorReregisteredMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
    message(mi::ExecutorReregisteredMessage::kSlaveInfoFieldNumber, "slave_info", kSlaveInfoNode),
};
constinit const Node kExecutorReregistered{"mesos.internal.ExecutorReregisteredMessage",
                                           kExecutorReregisteredFields};

constexpr Field kReconnectExecutorFields[] = {
    message(mi::ReconnectExecutorMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode)};
constinit const Node kReconnectExecutor{"mesos.internal.ReconnectExecutorMessage", kReconnectExecutorFields};

constexpr Field kUpdateOperationStatusFields[] = {
    message(mi::UpdateOperationStatusMessage::kFrameworkIdFieldNumber, "framework_id", kFrameworkIdNode),
    message(mi::UpdateOperationStatusMessage::kSlaveIdFieldNumber, "slave_id", kSlaveIdNode),
};
constinit const Node kUpdateOperationStatus{"mesos.internal.UpdateOperationStatusMessage",
                                            kUpdateOperationStatusFields};

constinit const Node kAcknowledgeOperationStatus{"mesos.internal.AcknowledgeOperationStatusMessage", {}};
constinit const Node kReconcileOperations{"mesos.internal.ReconcileOperationsMessage", {}};

// ---- v0 authentication (CRAM-MD5) ---------------------------------------------------------

constexpr Field kAuthenticateFields[] = {
    text(mi::AuthenticateMessage::kPidFieldNumber, "pid", Slot::kDetail, false, "pid")};
constinit const Node kAuthenticate{"mesos.internal.AuthenticateMessage", kAuthenticateFields};

constexpr Field kAuthMechanismsFields[] = {
    text(mi::AuthenticationMechanismsMessage::kMechanismsFieldNumber, "mechanisms", Slot::kAuthMechanisms, true)};
constinit const Node kAuthMechanisms{"mesos.internal.AuthenticationMechanismsMessage", kAuthMechanismsFields};

// AuthenticationStartMessage.data is not in the schema: with mechanisms
// other than CRAM-MD5 (e.g. PLAIN) it carries the password.
constexpr Field kAuthStartFields[] = {
    text(mi::AuthenticationStartMessage::kMechanismFieldNumber, "mechanism", Slot::kAuthMechanism)};
constinit const Node kAuthStart{"mesos.internal.AuthenticationStartMessage", kAuthStartFields};

constexpr Field kAuthStepFields[] = {
    bytes(mi::AuthenticationStepMessage::kDataFieldNumber, "data", Slot::kAuthStepData)};
constinit const Node kAuthStep{"mesos.internal.AuthenticationStepMessage", kAuthStepFields};

constinit const Node kAuthCompleted{"mesos.internal.AuthenticationCompletedMessage", {}};
constinit const Node kAuthFailed{"mesos.internal.AuthenticationFailedMessage", {}};

constexpr Field kAuthErrorFields[] = {
    text(mi::AuthenticationErrorMessage::kErrorFieldNumber, "error", Slot::kDetail)};
constinit const Node kAuthError{"mesos.internal.AuthenticationErrorMessage", kAuthErrorFields};

}  // namespace segward::mesos::schema

namespace segward::mesos {
namespace {

using C = EndpointClass;
namespace s = schema;

// "mutating": orders a change of workloads, registrations or agent state
// (the master-impersonation and rogue-framework/agent messages of the
// rules); "read": everything else a sensor may see in normal operation.
constexpr LibprocessMessageType kMessageTypes[] = {
    {"mesos.scheduler.Call", &s::kSchedulerCallV0Node, C::kUnclassified},
    {"mesos.internal.RegisterFrameworkMessage", &s::kRegisterFramework, C::kMutating},
    {"mesos.internal.ReregisterFrameworkMessage", &s::kReregisterFramework, C::kMutating},
    {"mesos.internal.UnregisterFrameworkMessage", &s::kUnregisterFramework, C::kMutating},
    {"mesos.internal.DeactivateFrameworkMessage", &s::kDeactivateFramework, C::kMutating},
    {"mesos.internal.FrameworkRegisteredMessage", &s::kFrameworkRegistered, C::kRead},
    {"mesos.internal.FrameworkReregisteredMessage", &s::kFrameworkReregistered, C::kRead},
    {"mesos.internal.FrameworkErrorMessage", &s::kFrameworkError, C::kRead},
    {"mesos.internal.ResourceRequestMessage", &s::kResourceRequest, C::kRead},
    {"mesos.internal.ReviveOffersMessage", &s::kReviveOffers, C::kRead},
    {"mesos.internal.ResourceOffersMessage", &s::kResourceOffers, C::kRead},
    {"mesos.internal.InverseOffersMessage", &s::kInverseOffers, C::kRead},
    {"mesos.internal.RescindResourceOfferMessage", &s::kRescindOffer, C::kRead},
    {"mesos.internal.RescindInverseOfferMessage", &s::kRescindInverseOffer, C::kRead},
    {"mesos.internal.LaunchTasksMessage", &s::kLaunchTasks, C::kMutating},
    {"mesos.internal.KillTaskMessage", &s::kKillTask, C::kMutating},
    {"mesos.internal.UpdateFrameworkMessage", &s::kUpdateFramework, C::kMutating},
    {"mesos.internal.LostSlaveMessage", &s::kLostSlave, C::kRead},
    {"mesos.internal.ReconcileTasksMessage", &s::kReconcileTasks, C::kRead},
    {"mesos.internal.FrameworkToExecutorMessage", &s::kFrameworkToExecutor, C::kMutating},
    {"mesos.internal.ExecutorToFrameworkMessage", &s::kExecutorToFramework, C::kRead},
    {"mesos.internal.SubmitSchedulerRequest", &s::kSubmitScheduler, C::kMutating},
    {"mesos.internal.RunTaskMessage", &s::kRunTask, C::kMutating},
    {"mesos.internal.RunTaskGroupMessage", &s::kRunTaskGroup, C::kMutating},
    {"mesos.internal.ShutdownFrameworkMessage", &s::kShutdownFramework, C::kMutating},
    {"mesos.internal.ShutdownExecutorMessage", &s::kShutdownExecutor, C::kMutating},
    {"mesos.internal.ShutdownMessage", &s::kShutdown, C::kMutating},
    {"mesos.internal.PingSlaveMessage", &s::kPingSlave, C::kRead},
    {"mesos.internal.PongSlaveMessage", &s::kPongSlave, C::kRead},
    {"mesos.internal.CheckpointResourcesMessage", &s::kCheckpointResources, C::kMutating},
    {"mesos.internal.ApplyOperationMessage", &s::kApplyOperation, C::kMutating},
    {"mesos.internal.DrainSlaveMessage", &s::kDrainSlave, C::kMutating},
    {"mesos.internal.RegisterSlaveMessage", &s::kRegisterSlave, C::kMutating},
    {"mesos.internal.ReregisterSlaveMessage", &s::kReregisterSlave, C::kMutating},
    {"mesos.internal.SlaveRegisteredMessage", &s::kSlaveRegistered, C::kMutating},
    {"mesos.internal.SlaveReregisteredMessage", &s::kSlaveReregistered, C::kMutating},
    {"mesos.internal.UnregisterSlaveMessage", &s::kUnregisterSlave, C::kMutating},
    {"mesos.internal.UpdateSlaveMessage", &s::kUpdateSlave, C::kRead},
    {"mesos.internal.StatusUpdateMessage", &s::kStatusUpdateMessage, C::kRead},
    {"mesos.internal.StatusUpdateAcknowledgementMessage", &s::kStatusUpdateAck, C::kRead},
    {"mesos.internal.ExitedExecutorMessage", &s::kExitedExecutor, C::kRead},
    {"mesos.internal.RegisterExecutorMessage", &s::kRegisterExecutor, C::kRead},
    {"mesos.internal.ReregisterExecutorMessage", &s::kReregisterExecutor, C::kRead},
    {"mesos.internal.ExecutorRegisteredMessage", &s::kExecutorRegistered, C::kRead},
    {"mesos.internal.ExecutorReregisteredMessage", &s::kExecutorReregistered, C::kRead},
    {"mesos.internal.ReconnectExecutorMessage", &s::kReconnectExecutor, C::kRead},
    {"mesos.internal.UpdateOperationStatusMessage", &s::kUpdateOperationStatus, C::kRead},
    {"mesos.internal.AcknowledgeOperationStatusMessage", &s::kAcknowledgeOperationStatus, C::kRead},
    {"mesos.internal.ReconcileOperationsMessage", &s::kReconcileOperations, C::kRead},
    {"mesos.internal.AuthenticateMessage", &s::kAuthenticate, C::kRead},
    {"mesos.internal.AuthenticationMechanismsMessage", &s::kAuthMechanisms, C::kRead},
    {"mesos.internal.AuthenticationStartMessage", &s::kAuthStart, C::kRead},
    {"mesos.internal.AuthenticationStepMessage", &s::kAuthStep, C::kRead},
    {"mesos.internal.AuthenticationCompletedMessage", &s::kAuthCompleted, C::kRead},
    {"mesos.internal.AuthenticationFailedMessage", &s::kAuthFailed, C::kRead},
    {"mesos.internal.AuthenticationErrorMessage", &s::kAuthError, C::kRead},
};

}  // namespace

const LibprocessMessageType* find_libprocess_message(std::string_view name) noexcept {
  for (const LibprocessMessageType& type : kMessageTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

std::span<const LibprocessMessageType> libprocess_message_types() noexcept { return kMessageTypes; }

}  // namespace segward::mesos
