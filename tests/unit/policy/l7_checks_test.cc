// The L7 conditions of a compiled policy, checked on decoder events built
// the way the decoders fill them: Mesos messages, calls, framework
// principals and roles, endpoints; ZooKeeper ops, paths, write paths,
// four-letter words and authentication; the service's app and TLS
// requirement.
#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "dataplane/policy/compiled_policy.h"
#include "tests/unit/policy/policy_builder.h"

namespace segward::policy {
namespace {

using namespace segward::policy::testing;
using dataplane::AppProto;
using mesos::ApiFamily;
using mesos::MesosEvent;
using mesos::MesosKind;
using zookeeper::ZkEvent;
using zookeeper::ZkEventKind;
namespace zop = zookeeper::opcode;

Policy l7_policy() {
  Policy p;
  p.source = "l7.yaml";
  p.segments = {segment("frameworks", {"10.0.4.0/24"}), segment("masters", {"10.0.1.0/24"}),
                segment("zk", {"10.0.9.0/24"})};
  p.services = {service("mesos-master", 6, {{5050, 5050}}, ServiceApp::kMesos),
                service("zk-client", 6, {{2181, 2181}}, ServiceApp::kZookeeper)};
  return p;
}

MesosEvent libprocess(std::string_view message) {
  MesosEvent e;
  e.reset();
  e.kind = MesosKind::kLibprocess;
  e.message.assign(message);
  e.endpoint.assign("/master");
  e.receiver.assign("master");
  return e;
}

MesosEvent api_call(ApiFamily api, std::string_view call, std::string_view endpoint) {
  MesosEvent e;
  e.reset();
  e.kind = MesosKind::kApi;
  e.api = api;
  e.call.assign(call);
  e.endpoint.assign(endpoint);
  return e;
}

MesosEvent registration(std::string_view principal, std::string_view roles) {
  MesosEvent e = libprocess("mesos.internal.RegisterFrameworkMessage");
  e.framework.present = true;
  e.framework.name.assign("marathon");
  e.framework.principal.assign(principal);
  e.framework.roles.assign(roles);
  return e;
}

ZkEvent request(std::int32_t opcode, std::string_view path = {}) {
  ZkEvent e;
  e.kind = ZkEventKind::kRequest;
  e.opcode = opcode;
  e.xid = 1;
  e.path.assign(path);
  return e;
}

struct SubOp {
  std::int32_t opcode;
  std::string_view path;
};
ZkEvent multi(std::initializer_list<SubOp> ops, std::int32_t opcode = zop::kMulti) {
  ZkEvent e = request(opcode);
  e.use_sub_ops();
  for (const SubOp& op : ops) {
    e.sub_ops[e.sub_op_count].opcode = op.opcode;
    e.sub_ops[e.sub_op_count].path.assign(op.path);
    ++e.sub_op_count;
  }
  e.sub_op_total = e.sub_op_count;
  return e;
}

ZkEvent four_letter_word(std::string_view word) {
  ZkEvent e;
  e.kind = ZkEventKind::kFourLetterWord;
  for (std::size_t i = 0; i < 4; ++i) e.four_letter_word[i] = word[i];
  return e;
}

// ---------------------------------------------------------------- Mesos

TEST(MesosConditions, RuleWithoutConditionsAcceptsEverything) {
  Policy p = l7_policy();
  p.services[0].app = ServiceApp::kAny;
  p.rules = {rule("plain", {"frameworks"}, {"masters"}, "mesos-master")};
  const auto c = compile(p);
  EXPECT_FALSE(c->rule(0).has_l7);
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.ShutdownFrameworkMessage")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, registration("", "")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(kDefaultRule, registration("", "")), Condition::kNone);
  ZkEvent write = request(zop::kCreate, "/anything");
  EXPECT_EQ(c->check_zookeeper(0, write, false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(kDefaultRule, write, false), Condition::kNone);
}

TEST(MesosConditions, Messages) {
  Policy p = l7_policy();
  Rule r = rule("fw", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.messages = std::vector<std::string>{"mesos.internal.ReregisterFrameworkMessage",
                                              "mesos.internal.RegisterFrameworkMessage", "mesos.scheduler.Call"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_TRUE(c->rule(0).has_l7);
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.RegisterFrameworkMessage")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.ReregisterFrameworkMessage")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.RegisterSlaveMessage")), Condition::kMesosMessage);
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.RegisterFrameworkMessag")), Condition::kMesosMessage);
  EXPECT_EQ(c->check_mesos(0, libprocess("")), Condition::kMesosMessage);
  // A cut name cannot be shown to be on the list.
  MesosEvent cut = libprocess("mesos.scheduler.Call");
  cut.message.truncated = true;
  EXPECT_EQ(c->check_mesos(0, cut), Condition::kMesosMessage);
  // The list is about libprocess messages: an HTTP API call has none.
  EXPECT_EQ(c->check_mesos(0, api_call(ApiFamily::kScheduler, "TEARDOWN", "/api/v1/scheduler")), Condition::kNone);
}

TEST(MesosConditions, Calls) {
  Policy p = l7_policy();
  Rule r = rule("ops", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.calls = std::vector<std::string>{"GET_STATE", "SUBSCRIBE", "ACCEPT", "DECLINE"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_mesos(0, api_call(ApiFamily::kMasterOperator, "GET_STATE", "/api/v1")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, api_call(ApiFamily::kMasterOperator, "GET_FLAGS", "/api/v1")), Condition::kMesosCall);
  EXPECT_EQ(c->check_mesos(0, api_call(ApiFamily::kScheduler, "TEARDOWN", "/api/v1/scheduler")),
            Condition::kMesosCall);
  // mesos.scheduler.Call over libprocess carries its call type too.
  MesosEvent v0 = libprocess("mesos.scheduler.Call");
  v0.api = ApiFamily::kScheduler;
  v0.call.assign("DECLINE");
  EXPECT_EQ(c->check_mesos(0, v0), Condition::kNone);
  v0.call.assign("KILL");
  EXPECT_EQ(c->check_mesos(0, v0), Condition::kMesosCall);
  // No call type (a legacy endpoint, a plain libprocess message): nothing to check.
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.StatusUpdateAcknowledgementMessage")), Condition::kNone);
  // The server's event stream answers; it is not what the client may say.
  MesosEvent offers = api_call(ApiFamily::kScheduler, "OFFERS", "/api/v1/scheduler");
  offers.is_response = true;
  EXPECT_EQ(c->check_mesos(0, offers), Condition::kNone);
}

TEST(MesosConditions, PrincipalsOnRegistrationAndSubscribe) {
  Policy p = l7_policy();
  Rule r = rule("fw", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.principals = std::vector<std::string>{"marathon", "chronos"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_mesos(0, registration("marathon", "")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, registration("chronos", "")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, registration("rogue", "")), Condition::kMesosPrincipal);
  EXPECT_EQ(c->check_mesos(0, registration("", "")), Condition::kMesosPrincipal);  // no principal: not on the list
  MesosEvent cut = registration("marathon", "");
  cut.framework.principal.truncated = true;
  EXPECT_EQ(c->check_mesos(0, cut), Condition::kMesosPrincipal);

  MesosEvent rereg = registration("rogue", "");
  rereg.message.assign("mesos.internal.ReregisterFrameworkMessage");
  EXPECT_EQ(c->check_mesos(0, rereg), Condition::kMesosPrincipal);

  MesosEvent subscribe = api_call(ApiFamily::kScheduler, "SUBSCRIBE", "/api/v1/scheduler");
  subscribe.framework.present = true;
  subscribe.framework.principal.assign("marathon");
  EXPECT_EQ(c->check_mesos(0, subscribe), Condition::kNone);
  subscribe.framework.principal.assign("rogue");
  EXPECT_EQ(c->check_mesos(0, subscribe), Condition::kMesosPrincipal);
  // A SUBSCRIBE whose body was not decoded shows no principal: refused.
  subscribe.framework.principal.clear();
  subscribe.status = mesos::DecodeStatus::kCompressedBody;
  EXPECT_EQ(c->check_mesos(0, subscribe), Condition::kMesosPrincipal);

  MesosEvent update = api_call(ApiFamily::kScheduler, "UPDATE_FRAMEWORK", "/api/v1/scheduler");
  update.framework.principal.assign("rogue");
  EXPECT_EQ(c->check_mesos(0, update), Condition::kMesosPrincipal);

  // Other calls and messages of an admitted framework carry its FrameworkID
  // (framework.present), not a FrameworkInfo to register with.
  MesosEvent accept = api_call(ApiFamily::kScheduler, "ACCEPT", "/api/v1/scheduler");
  accept.framework.present = true;
  accept.framework.id.assign("1234-0001");
  EXPECT_EQ(c->check_mesos(0, accept), Condition::kNone);
  // An executor's SUBSCRIBE is not a framework registration.
  MesosEvent executor = api_call(ApiFamily::kExecutor, "SUBSCRIBE", "/api/v1/executor");
  executor.framework.present = true;
  EXPECT_EQ(c->check_mesos(0, executor), Condition::kNone);
}

TEST(MesosConditions, EveryRoleMustBeAllowed) {
  Policy p = l7_policy();
  Rule r = rule("fw", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.roles = std::vector<std::string>{"web", "batch"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_mesos(0, registration("x", "web")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, registration("x", "web,batch")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, registration("x", "batch,web")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, registration("x", "web,prod")), Condition::kMesosRole);
  EXPECT_EQ(c->check_mesos(0, registration("x", "prod,web")), Condition::kMesosRole);
  EXPECT_EQ(c->check_mesos(0, registration("x", "we")), Condition::kMesosRole);
  EXPECT_EQ(c->check_mesos(0, registration("x", "web,")), Condition::kMesosRole);
  EXPECT_EQ(c->check_mesos(0, registration("x", "*")), Condition::kMesosRole);
  // No role named: nothing to refuse.
  EXPECT_EQ(c->check_mesos(0, registration("x", "")), Condition::kNone);
  MesosEvent cut = registration("x", "web,batch");
  cut.framework.roles.truncated = true;
  EXPECT_EQ(c->check_mesos(0, cut), Condition::kMesosRole);
  // Roles are judged where a framework registers, like principals.
  MesosEvent run_task = libprocess("mesos.internal.RunTaskMessage");
  run_task.framework.present = true;
  run_task.framework.roles.assign("prod");
  EXPECT_EQ(c->check_mesos(0, run_task), Condition::kNone);
  MesosEvent subscribe = api_call(ApiFamily::kScheduler, "SUBSCRIBE", "/api/v1/scheduler");
  subscribe.framework.roles.assign("web,prod");
  EXPECT_EQ(c->check_mesos(0, subscribe), Condition::kMesosRole);
}

TEST(MesosConditions, PrincipalIsCheckedBeforeRoles) {
  Policy p = l7_policy();
  Rule r = rule("fw", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.principals = std::vector<std::string>{"marathon"};
  r.mesos.roles = std::vector<std::string>{"web"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_mesos(0, registration("rogue", "prod")), Condition::kMesosPrincipal);
  EXPECT_EQ(c->check_mesos(0, registration("marathon", "prod")), Condition::kMesosRole);
  EXPECT_EQ(c->check_mesos(0, registration("marathon", "web")), Condition::kNone);
}

TEST(MesosConditions, Endpoints) {
  Policy p = l7_policy();
  Rule r = rule("admin", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.endpoints = std::vector<std::string>{"/master/state", "/api/v1/**", "/metrics/*"};
  p.rules = {r};
  const auto c = compile(p);
  const auto legacy = [](std::string_view endpoint) {
    MesosEvent e;
    e.reset();
    e.kind = MesosKind::kLegacy;
    e.endpoint.assign(endpoint);
    return e;
  };
  EXPECT_EQ(c->check_mesos(0, legacy("/master/state")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, legacy("/master/state.json")), Condition::kMesosEndpoint);
  EXPECT_EQ(c->check_mesos(0, legacy("/master/teardown")), Condition::kMesosEndpoint);
  EXPECT_EQ(c->check_mesos(0, legacy("/metrics/snapshot")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, legacy("/metrics/a/b")), Condition::kMesosEndpoint);
  EXPECT_EQ(c->check_mesos(0, api_call(ApiFamily::kScheduler, "TEARDOWN", "/api/v1/scheduler")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, api_call(ApiFamily::kMasterOperator, "GET_STATE", "/api/v1")), Condition::kNone);
  EXPECT_EQ(c->check_mesos(0, libprocess("mesos.internal.RegisterFrameworkMessage")), Condition::kMesosEndpoint);
  // A cut endpoint passes only a glob that every continuation would.
  MesosEvent cut = legacy("/api/v1/scheduler");
  cut.endpoint.truncated = true;
  EXPECT_EQ(c->check_mesos(0, cut), Condition::kNone);
  cut = legacy("/metrics/snapsh");
  cut.endpoint.truncated = true;
  EXPECT_EQ(c->check_mesos(0, cut), Condition::kMesosEndpoint);
}

TEST(MesosConditions, FirstBrokenConditionInOrder) {
  Policy p = l7_policy();
  Rule r = rule("fw", {"frameworks"}, {"masters"}, "mesos-master");
  r.mesos.messages = std::vector<std::string>{"mesos.scheduler.Call"};
  r.mesos.calls = std::vector<std::string>{"SUBSCRIBE"};
  r.mesos.principals = std::vector<std::string>{"marathon"};
  r.mesos.endpoints = std::vector<std::string>{"/master"};
  p.rules = {r};
  const auto c = compile(p);
  MesosEvent e = libprocess("mesos.scheduler.Call");
  e.api = ApiFamily::kScheduler;
  e.call.assign("SUBSCRIBE");
  e.framework.principal.assign("marathon");
  EXPECT_EQ(c->check_mesos(0, e), Condition::kNone);
  e.endpoint.assign("/scheduler");
  EXPECT_EQ(c->check_mesos(0, e), Condition::kMesosEndpoint);
  e.framework.principal.assign("rogue");
  EXPECT_EQ(c->check_mesos(0, e), Condition::kMesosPrincipal);
  e.call.assign("TEARDOWN");
  EXPECT_EQ(c->check_mesos(0, e), Condition::kMesosCall);
  e.message.assign("mesos.internal.KillTaskMessage");
  EXPECT_EQ(c->check_mesos(0, e), Condition::kMesosMessage);
}

// ------------------------------------------------------------ ZooKeeper

TEST(ZookeeperConditions, Ops) {
  Policy p = l7_policy();
  Rule r = rule("agent-reads", {"frameworks"}, {"zk"}, "zk-client");
  r.zookeeper.ops = std::vector<std::string>{"getData", "exists", "getChildren2", "multi", "check"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/mesos/json.info_1"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kExists, "/mesos"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/mesos/x"), false), Condition::kZookeeperOp);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kSetData, "/mesos/x"), false), Condition::kZookeeperOp);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kReconfig), false), Condition::kZookeeperOp);
  EXPECT_EQ(c->check_zookeeper(0, request(12345), false), Condition::kZookeeperOp);  // unknown opcode
  // Opening, authenticating, keeping alive and closing are always allowed.
  for (std::int32_t op : {zop::kCreateSession, zop::kPing, zop::kAuth, zop::kSasl, zop::kCloseSession}) {
    EXPECT_EQ(c->check_zookeeper(0, request(op), false), Condition::kNone) << op;
  }
  // A multi is the operations it bundles.
  EXPECT_EQ(c->check_zookeeper(0, multi({{zop::kCheck, "/mesos"}, {zop::kGetData, "/mesos/a"}}), false),
            Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, multi({{zop::kCheck, "/mesos"}, {zop::kDelete, "/mesos/a"}}), false),
            Condition::kZookeeperOp);
  ZkEvent hidden = multi({{zop::kCheck, "/mesos"}});
  hidden.sub_op_total = 40;  // more operations than the decoder kept: unverifiable
  EXPECT_EQ(c->check_zookeeper(0, hidden, false), Condition::kZookeeperOp);
  EXPECT_EQ(c->check_zookeeper(0, multi({{zop::kGetData, "/a"}}, zop::kMultiRead), false), Condition::kZookeeperOp);
  // Connect handshakes and server notifications are no requests.
  ZkEvent connect;
  connect.kind = ZkEventKind::kConnect;
  EXPECT_EQ(c->check_zookeeper(0, connect, false), Condition::kNone);
  ZkEvent notification;
  notification.kind = ZkEventKind::kNotification;
  notification.opcode = zop::kNotification;
  EXPECT_EQ(c->check_zookeeper(0, notification, false), Condition::kNone);
}

TEST(ZookeeperConditions, FourLetterWords) {
  Policy p = l7_policy();
  Rule r = rule("monitoring", {"frameworks"}, {"zk"}, "zk-client");
  r.zookeeper.four_letter_words = std::vector<std::string>{"ruok", "srvr", "mntr"};
  r.zookeeper.ops = std::vector<std::string>{};  // no request at all
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_zookeeper(0, four_letter_word("ruok"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, four_letter_word("mntr"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, four_letter_word("dump"), false), Condition::kZookeeperFourLetterWord);
  EXPECT_EQ(c->check_zookeeper(0, four_letter_word("kill"), false), Condition::kZookeeperFourLetterWord);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/"), false), Condition::kZookeeperOp);

  // The AdminServer's commands: on the list by their 4lw alias or long name.
  ZkEvent admin;
  admin.kind = ZkEventKind::kAdminCommand;
  admin.admin_command.assign("stats");
  for (std::size_t i = 0; i < 4; ++i) admin.four_letter_word[i] = "srvr"[i];
  EXPECT_EQ(c->check_zookeeper(0, admin, false), Condition::kNone);
  admin.admin_command.assign("dump");
  for (std::size_t i = 0; i < 4; ++i) admin.four_letter_word[i] = "dump"[i];
  EXPECT_EQ(c->check_zookeeper(0, admin, false), Condition::kZookeeperFourLetterWord);
  admin.admin_command.assign("snapshot");
  admin.four_letter_word = {};
  EXPECT_EQ(c->check_zookeeper(0, admin, false), Condition::kZookeeperFourLetterWord);

  // Without a list, four-letter words pass even when requests are constrained.
  Policy q = l7_policy();
  Rule s = rule("ops-only", {"frameworks"}, {"zk"}, "zk-client");
  s.zookeeper.ops = std::vector<std::string>{"getData"};
  s.zookeeper.auth_required = true;
  q.rules = {s};
  const auto d = compile(q);
  EXPECT_EQ(d->check_zookeeper(0, four_letter_word("dump"), false), Condition::kNone);
}

TEST(ZookeeperConditions, Paths) {
  Policy p = l7_policy();
  Rule r = rule("mesos-tree", {"frameworks"}, {"zk"}, "zk-client");
  r.zookeeper.paths = std::vector<std::string>{"/mesos/**", "/zookeeper/quota"};
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/mesos"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetChildren2, "/mesos/log_replicas"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/mesos/json.info_0000000003"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/zookeeper/quota"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/zookeeper/config"), false), Condition::kZookeeperPath);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kExists, "/"), false), Condition::kZookeeperPath);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/mesosX"), false), Condition::kZookeeperPath);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kAddWatch, "/other"), false), Condition::kZookeeperPath);
  // Requests without a path are not judged by it.
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kPing), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kWhoAmI), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kReconfig), false), Condition::kNone);  // judged by write_paths
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kSetWatches), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kSetWatches, "/elsewhere"), false), Condition::kZookeeperPath);
  // multi: every sub-operation's path.
  EXPECT_EQ(c->check_zookeeper(0, multi({{zop::kCheck, "/mesos"}, {zop::kCreate, "/mesos/a"}}), false),
            Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, multi({{zop::kCheck, "/mesos"}, {zop::kGetData, "/secret"}}, zop::kMultiRead),
                               false),
            Condition::kZookeeperPath);
  ZkEvent hidden = multi({{zop::kCheck, "/mesos"}});
  hidden.sub_op_total = 17;
  EXPECT_EQ(c->check_zookeeper(0, hidden, false), Condition::kZookeeperPath);
  // A cut path passes "/mesos/**", which every continuation would.
  ZkEvent cut = request(zop::kGetData, "/mesos/deep");
  cut.path.truncated = true;
  EXPECT_EQ(c->check_zookeeper(0, cut, false), Condition::kNone);
  cut = request(zop::kGetData, "/zookeeper/quota");
  cut.path.truncated = true;  // "/zookeeper/quota/x" is not allowed
  EXPECT_EQ(c->check_zookeeper(0, cut, false), Condition::kZookeeperPath);
}

TEST(ZookeeperConditions, WritePaths) {
  Policy p = l7_policy();
  Rule r = rule("master-writes", {"frameworks"}, {"zk"}, "zk-client");
  r.zookeeper.write_paths = std::vector<std::string>{"/mesos/json.info_*", "/mesos/log_replicas/**"};
  p.rules = {r};
  const auto c = compile(p);
  // Reads anywhere.
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/other"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetAcl, "/"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kSync, "/x"), false), Condition::kNone);
  // Writes only where allowed.
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/mesos/json.info_0000000001"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate2, "/mesos/log_replicas/0001"), false), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kDelete, "/mesos/log_replicas"), false), Condition::kNone);
  for (std::int32_t op : {zop::kCreate, zop::kCreate2, zop::kCreateContainer, zop::kCreateTtl, zop::kDelete,
                          zop::kDeleteContainer, zop::kSetData, zop::kSetAcl}) {
    EXPECT_EQ(c->check_zookeeper(0, request(op, "/mesos/leader"), false), Condition::kZookeeperWritePath) << op;
  }
  // reconfig writes /zookeeper/config.
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kReconfig), false), Condition::kZookeeperWritePath);
  // multi: its write sub-operations.
  EXPECT_EQ(c->check_zookeeper(
                0, multi({{zop::kCheck, "/elsewhere"}, {zop::kCreate, "/mesos/json.info_0000000002"}}), false),
            Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, multi({{zop::kCheck, "/mesos"}, {zop::kSetData, "/mesos/leader"}}), false),
            Condition::kZookeeperWritePath);
  ZkEvent hidden = multi({{zop::kCheck, "/mesos"}});
  hidden.sub_op_total = 20;  // a write could hide in what the decoder did not keep
  EXPECT_EQ(c->check_zookeeper(0, hidden, false), Condition::kZookeeperWritePath);
  ZkEvent read_many = multi({{zop::kGetData, "/a"}}, zop::kMultiRead);
  read_many.sub_op_total = 20;  // multiRead carries no write
  EXPECT_EQ(c->check_zookeeper(0, read_many, false), Condition::kNone);

  p.rules[0].zookeeper.write_paths->push_back("/zookeeper/config");
  const auto d = compile(p);
  EXPECT_EQ(d->check_zookeeper(0, request(zop::kReconfig), false), Condition::kNone);
}

TEST(ZookeeperConditions, AuthRequired) {
  Policy p = l7_policy();
  Rule r = rule("authenticated", {"frameworks"}, {"zk"}, "zk-client");
  r.zookeeper.auth_required = true;
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_TRUE(c->rule(0).zookeeper_auth_required);
  EXPECT_TRUE(c->rule(0).has_l7);
  for (std::int32_t op : {zop::kCreateSession, zop::kPing, zop::kAuth, zop::kSasl, zop::kCloseSession}) {
    EXPECT_EQ(c->check_zookeeper(0, request(op), false), Condition::kNone) << op;
  }
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/mesos"), false), Condition::kZookeeperAuth);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kSetWatches), false), Condition::kZookeeperAuth);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kGetData, "/mesos"), true), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/x"), true), Condition::kNone);
  // Four-letter words are not session requests.
  EXPECT_EQ(c->check_zookeeper(0, four_letter_word("ruok"), false), Condition::kNone);
}

TEST(ZookeeperConditions, FirstBrokenConditionInOrder) {
  Policy p = l7_policy();
  Rule r = rule("all", {"frameworks"}, {"zk"}, "zk-client");
  r.zookeeper.ops = std::vector<std::string>{"getData", "create"};
  r.zookeeper.paths = std::vector<std::string>{"/mesos/**"};
  r.zookeeper.write_paths = std::vector<std::string>{"/mesos/json.info_*"};
  r.zookeeper.auth_required = true;
  p.rules = {r};
  const auto c = compile(p);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/mesos/json.info_1"), true), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/mesos/json.info_1"), false), Condition::kZookeeperAuth);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/mesos/leader"), false), Condition::kZookeeperWritePath);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kCreate, "/etc"), false), Condition::kZookeeperPath);
  EXPECT_EQ(c->check_zookeeper(0, request(zop::kDelete, "/etc"), false), Condition::kZookeeperOp);
}

// ------------------------------------------------------- service app, TLS

TEST(AppConditions, ServiceApp) {
  Policy p = l7_policy();
  p.services.push_back(service("http", 6, {{80, 80}}, ServiceApp::kHttp));
  p.services.push_back(service("tls", 6, {{443, 443}}, ServiceApp::kTls));
  p.services.push_back(service("anything", 6, {{9, 9}}, ServiceApp::kAny));
  p.rules = {rule("mesos", {"any"}, {"any"}, "mesos-master"), rule("zk", {"any"}, {"any"}, "zk-client"),
             rule("http", {"any"}, {"any"}, "http"), rule("tls", {"any"}, {"any"}, "tls"),
             rule("anything", {"any"}, {"any"}, "anything")};
  const auto c = compile(p);
  const std::uint16_t mesos = 0, zk = 1, http = 2, tls = 3, anything = 4;
  for (std::uint16_t r : {mesos, zk, http, tls, anything}) {
    EXPECT_EQ(c->check_app(r, AppProto::kUnknown), Condition::kNone) << r;  // not decided yet
  }
  EXPECT_EQ(c->check_app(mesos, AppProto::kMesos), Condition::kNone);
  EXPECT_EQ(c->check_app(mesos, AppProto::kHttp), Condition::kNone);
  EXPECT_EQ(c->check_app(mesos, AppProto::kZookeeper), Condition::kServiceApp);
  EXPECT_EQ(c->check_app(mesos, AppProto::kNone), Condition::kServiceApp);
  EXPECT_EQ(c->check_app(http, AppProto::kHttp), Condition::kNone);
  EXPECT_EQ(c->check_app(http, AppProto::kMesos), Condition::kNone);
  EXPECT_EQ(c->check_app(http, AppProto::kZookeeper), Condition::kServiceApp);
  EXPECT_EQ(c->check_app(zk, AppProto::kZookeeper), Condition::kNone);
  EXPECT_EQ(c->check_app(zk, AppProto::kHttp), Condition::kServiceApp);
  EXPECT_EQ(c->check_app(zk, AppProto::kMesos), Condition::kServiceApp);
  EXPECT_EQ(c->check_app(tls, AppProto::kTls), Condition::kNone);
  EXPECT_EQ(c->check_app(tls, AppProto::kHttp), Condition::kServiceApp);
  EXPECT_EQ(c->check_app(tls, AppProto::kNone), Condition::kServiceApp);
  for (AppProto a : {AppProto::kNone, AppProto::kHttp, AppProto::kMesos, AppProto::kZookeeper, AppProto::kTls}) {
    EXPECT_EQ(c->check_app(anything, a), Condition::kNone);
  }
  // TLS hides the protocol inside: a Mesos or ZooKeeper service over TLS
  // is judged by its tls requirement only (optional here).
  EXPECT_EQ(c->check_app(mesos, AppProto::kTls), Condition::kNone);
  EXPECT_EQ(c->check_app(zk, AppProto::kTls), Condition::kNone);
  EXPECT_EQ(c->check_app(kDefaultRule, AppProto::kZookeeper), Condition::kNone);
  EXPECT_TRUE(c->rule(mesos).has_l7);
  EXPECT_FALSE(c->rule(anything).has_l7);
}

TEST(AppConditions, TlsRequirement) {
  Policy p = l7_policy();
  p.services.push_back(service("mesos-tls", 6, {{5050, 5050}}, ServiceApp::kMesos, TlsRequirement::kRequired));
  p.services.push_back(service("zk-plain", 6, {{2181, 2181}}, ServiceApp::kZookeeper, TlsRequirement::kForbidden));
  p.services.push_back(service("any-tls", 6, {{1, 1}}, ServiceApp::kAny, TlsRequirement::kRequired));
  p.rules = {rule("mesos-tls", {"any"}, {"any"}, "mesos-tls"), rule("zk-plain", {"any"}, {"any"}, "zk-plain"),
             rule("any-tls", {"any"}, {"any"}, "any-tls")};
  const auto c = compile(p);
  EXPECT_EQ(c->check_app(0, AppProto::kTls), Condition::kNone);
  EXPECT_EQ(c->check_app(0, AppProto::kMesos), Condition::kServiceTls);
  EXPECT_EQ(c->check_app(0, AppProto::kHttp), Condition::kServiceTls);
  EXPECT_EQ(c->check_app(0, AppProto::kZookeeper), Condition::kServiceApp);  // the wrong protocol first
  EXPECT_EQ(c->check_app(0, AppProto::kUnknown), Condition::kNone);
  EXPECT_EQ(c->check_app(1, AppProto::kZookeeper), Condition::kNone);
  EXPECT_EQ(c->check_app(1, AppProto::kTls), Condition::kServiceTls);
  EXPECT_EQ(c->check_app(2, AppProto::kTls), Condition::kNone);
  EXPECT_EQ(c->check_app(2, AppProto::kNone), Condition::kServiceTls);
  EXPECT_EQ(c->check_app(2, AppProto::kHttp), Condition::kServiceTls);
  EXPECT_TRUE(c->rule(2).has_l7);
  EXPECT_EQ(c->rule(0).tls, TlsRequirement::kRequired);
}

TEST(PolicyNames, StableNames) {
  EXPECT_EQ(action_name(Action::kAllow), "allow");
  EXPECT_EQ(action_name(Action::kAlert), "alert");
  EXPECT_EQ(action_name(Action::kDrop), "drop");
  EXPECT_EQ(action_name(Action::kReset), "reset");
  EXPECT_EQ(action_name(static_cast<Action>(9)), "unknown");
  EXPECT_EQ(service_app_name(ServiceApp::kMesos), "mesos");
  EXPECT_EQ(service_app_name(ServiceApp::kHttp), "http");
  EXPECT_EQ(service_app_name(ServiceApp::kZookeeper), "zookeeper");
  EXPECT_EQ(service_app_name(ServiceApp::kTls), "tls");
  EXPECT_EQ(service_app_name(ServiceApp::kAny), "any");
  EXPECT_EQ(tls_requirement_name(TlsRequirement::kRequired), "required");
  EXPECT_EQ(tls_requirement_name(TlsRequirement::kForbidden), "forbidden");
  EXPECT_EQ(tls_requirement_name(TlsRequirement::kOptional), "optional");
  EXPECT_EQ(condition_name(Condition::kServiceApp), "service.app");
  EXPECT_EQ(condition_name(Condition::kMesosCall), "mesos.calls");
  EXPECT_EQ(condition_name(Condition::kMesosPrincipal), "mesos.framework.principals");
  EXPECT_EQ(condition_name(Condition::kZookeeperWritePath), "zookeeper.write_paths");
  EXPECT_EQ(condition_name(Condition::kZookeeperFourLetterWord), "zookeeper.four_letter_words");
  // Every condition has its own name.
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kConditionCount; ++i) {
    const std::string_view n = condition_name(static_cast<Condition>(i));
    EXPECT_NE(n, "unknown") << i;
    names.insert(n);
  }
  EXPECT_EQ(names.size(), kConditionCount);
  EXPECT_EQ(condition_name(static_cast<Condition>(kConditionCount)), "unknown");
}

}  // namespace
}  // namespace segward::policy
