// The learn mode: roles and rules inferred from the events of a cluster.
#include "mgmt/learn/learner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "decoders/net/packet_layers.h"
#include "tests/unit/mgmt/learn_test_support.h"

namespace segward::learn {
namespace {

using test::flow_event;
using test::mesos_event;
using test::MesosRequest;
using test::zk_notification;
using test::zk_request;
using test::zk_word;
using ::testing::ElementsAre;
using ::testing::Optional;

constexpr const char* kZk = "192.0.2.10";
constexpr const char* kMaster1 = "192.0.2.21";
constexpr const char* kMaster2 = "192.0.2.22";
constexpr const char* kAgent = "192.0.2.31";
constexpr const char* kOperator = "192.0.2.41";

const policy::Segment* segment(const policy::Policy& p, const std::string& name) {
  const auto it = std::find_if(p.segments.begin(), p.segments.end(), [&](const auto& s) { return s.name == name; });
  return it == p.segments.end() ? nullptr : &*it;
}
const policy::Service* service(const policy::Policy& p, const std::string& name) {
  const auto it = std::find_if(p.services.begin(), p.services.end(), [&](const auto& s) { return s.name == name; });
  return it == p.services.end() ? nullptr : &*it;
}
const policy::Rule* rule(const policy::Policy& p, const std::string& name) {
  const auto it = std::find_if(p.rules.begin(), p.rules.end(), [&](const auto& r) { return r.name == name; });
  return it == p.rules.end() ? nullptr : &*it;
}
std::vector<std::string> cidrs(const policy::Segment* s) {
  std::vector<std::string> out;
  if (s == nullptr) return out;
  for (const auto& c : s->cidrs) out.push_back(net::format_ip(c.address) + "/" + std::to_string(c.prefix));
  return out;
}
std::vector<std::string> names(const std::vector<policy::Rule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.name);
  return out;
}

// The ZooKeeper side of a small Mesos cluster: two masters in the election,
// an agent reading the leader, an operator's four-letter words.
void feed_zookeeper_cluster(Learner& l) {
  l.observe(zk_request(kMaster1, 40001, kZk, 1, "exists", "/mesos"));
  l.observe(zk_request(kMaster1, 40001, kZk, 1, "create", "/mesos", "PERSISTENT"));
  l.observe(zk_request(kMaster1, 40001, kZk, 1, "create", "/mesos/json.info_", "EPHEMERAL_SEQUENTIAL",
                       "2026-12-01T10:00:00.500000+0000"));
  l.observe(zk_request(kMaster1, 40001, kZk, 1, "closeSession", ""));
  l.observe(flow_event(kMaster1, 40001, kZk, 2181, 1, "zookeeper"));
  l.observe(zk_request(kMaster2, 40002, kZk, 2, "create", "/mesos/json.info_", "EPHEMERAL_SEQUENTIAL"));
  l.observe(zk_request(kMaster2, 40002, kZk, 2, "exists", "/mesos/json.info_0000000000"));
  l.observe(flow_event(kMaster2, 40002, kZk, 2181, 2, "zookeeper"));
  l.observe(zk_request(kAgent, 40003, kZk, 3, "getChildren", "/mesos"));
  l.observe(zk_request(kAgent, 40003, kZk, 3, "getData", "/mesos/json.info_0000000000"));
  l.observe(zk_notification(kZk, kAgent, 40003, 3, "/mesos"));
  l.observe(zk_request(kAgent, 40003, kZk, 3, "getData", "/mesos/json.info_0000000001",
                       "", "2026-12-01T10:00:08.000000+0000"));
  l.observe(flow_event(kAgent, 40003, kZk, 2181, 3, "zookeeper"));
  l.observe(zk_word(kOperator, 40004, kZk, 4, "ruok"));
  l.observe(flow_event(kOperator, 40004, kZk, 2181, 4, "zookeeper"));
  l.observe(zk_word(kOperator, 40005, kZk, 5, "srvr"));
  l.observe(flow_event(kOperator, 40005, kZk, 2181, 5, "zookeeper"));
}

TEST(Learner, ZookeeperServersAndClientsByBehaviour) {
  Learner l;
  feed_zookeeper_cluster(l);
  const Proposal p = l.propose();
  EXPECT_THAT(cidrs(segment(p.policy, "zk-servers")), ElementsAre("192.0.2.10/32"));
  EXPECT_THAT(cidrs(segment(p.policy, "zk-election-writers")), ElementsAre("192.0.2.21/32", "192.0.2.22/32"));
  EXPECT_THAT(cidrs(segment(p.policy, "zk-readers")), ElementsAre("192.0.2.31/32"));
  EXPECT_THAT(cidrs(segment(p.policy, "zk-admins")), ElementsAre("192.0.2.41/32"));
  EXPECT_EQ(4u, p.policy.segments.size());

  const policy::Service* zk = service(p.policy, "zookeeper");
  ASSERT_NE(nullptr, zk);
  EXPECT_EQ(6, zk->ip_proto);
  ASSERT_EQ(1u, zk->ports.size());
  EXPECT_EQ(2181, zk->ports[0].first);
  EXPECT_EQ(2181, zk->ports[0].last);
  EXPECT_EQ(policy::ServiceApp::kZookeeper, zk->app);

  EXPECT_THAT(names(p.policy.rules), ElementsAre("zk-election-writers-to-zk-servers", "zk-readers-to-zk-servers",
                                                 "zk-admins-to-zk-servers"));
  EXPECT_EQ(policy::Action::kDrop, p.policy.default_action);
}

TEST(Learner, ZookeeperConditionsListWhatWasSeen) {
  Learner l;
  feed_zookeeper_cluster(l);
  const Proposal p = l.propose();
  const policy::Rule* writers = rule(p.policy, "zk-election-writers-to-zk-servers");
  ASSERT_NE(nullptr, writers);
  EXPECT_EQ(policy::Action::kAllow, writers->action);
  EXPECT_EQ(policy::Action::kDrop, writers->violation);
  EXPECT_THAT(writers->from, ElementsAre("zk-election-writers"));
  EXPECT_THAT(writers->to, ElementsAre("zk-servers"));
  EXPECT_EQ("zookeeper", writers->service);
  const auto& w = writers->zookeeper;
  EXPECT_THAT(w.ops, Optional(ElementsAre("closeSession", "create", "exists")));
  // The sequential create's prefix and the sequence number read back are one glob.
  EXPECT_THAT(w.paths, Optional(ElementsAre("/mesos", "/mesos/json.info_*")));
  EXPECT_THAT(w.write_paths, Optional(ElementsAre("/mesos", "/mesos/json.info_*")));
  EXPECT_THAT(w.four_letter_words, Optional(ElementsAre()));
  EXPECT_FALSE(w.auth_required);

  const policy::Rule* readers = rule(p.policy, "zk-readers-to-zk-servers");
  ASSERT_NE(nullptr, readers);
  EXPECT_THAT(readers->zookeeper.ops, Optional(ElementsAre("getChildren", "getData")));
  EXPECT_THAT(readers->zookeeper.paths, Optional(ElementsAre("/mesos", "/mesos/json.info_*")));
  // Readers wrote nothing, so nothing may be written: an empty allowlist.
  EXPECT_THAT(readers->zookeeper.write_paths, Optional(ElementsAre()));
  EXPECT_TRUE(readers->mesos.messages == std::nullopt);

  const policy::Rule* admins = rule(p.policy, "zk-admins-to-zk-servers");
  ASSERT_NE(nullptr, admins);
  EXPECT_THAT(admins->zookeeper.ops, Optional(ElementsAre()));
  EXPECT_THAT(admins->zookeeper.four_letter_words, Optional(ElementsAre("ruok", "srvr")));
  EXPECT_EQ(1002u, admins->id);
}

TEST(Learner, EvidenceCountsFlowsRequestsHostsAndTimes) {
  Learner l;
  feed_zookeeper_cluster(l);
  const Proposal p = l.propose();
  const Evidence& e = p.rules.at("zk-readers-to-zk-servers");
  EXPECT_EQ(1u, e.flows);
  EXPECT_EQ(3u, e.requests);  // the notification is the server's, not a request
  EXPECT_THAT(e.hosts, ElementsAre("192.0.2.10", "192.0.2.31"));
  EXPECT_EQ("2026-12-01T10:00:00.000000+0000", e.first_seen);  // flow start
  EXPECT_EQ("2026-12-01T10:00:09.000000+0000", e.last_seen);
  const Evidence& writers = p.segments.at("zk-election-writers");
  EXPECT_THAT(writers.hosts, ElementsAre("192.0.2.21", "192.0.2.22"));
  ASSERT_EQ(3u, writers.notes.size());  // why, then one line per host
  EXPECT_THAT(writers.notes[1], ::testing::HasSubstr("192.0.2.21: 4 requests, 2 writes (2 election)"));
  EXPECT_EQ(17u, p.events);
  EXPECT_EQ(5u, p.flows);
  EXPECT_EQ(11u, p.requests);
}

TEST(LearnPaths, SequenceSuffixesBecomeStars) {
  EXPECT_EQ("/mesos/json.info_*", generalise_zk_path("/mesos/json.info_0000000003", false));
  EXPECT_EQ("/mesos/json.info_*", generalise_zk_path("/mesos/json.info_", true));
  EXPECT_EQ("/mesos/log_replicas/*", generalise_zk_path("/mesos/log_replicas/", true));
  EXPECT_EQ("/a/lock-*/b", generalise_zk_path("/a/lock-0000000012/b", false));
  // A sequence suffix is exactly 10 digits; other numbers are names.
  EXPECT_EQ("/tasks/12345", generalise_zk_path("/tasks/12345", false));
  EXPECT_EQ("/x/00000000001", generalise_zk_path("/x/00000000001", false));
  // A sequential create with an empty prefix names its nodes by number only.
  EXPECT_EQ("/mesos/log_replicas/*", generalise_zk_path("/mesos/log_replicas/0000000001", false));
  EXPECT_EQ("/", generalise_zk_path("/", false));
}

TEST(LearnPaths, ManySiblingsCollapseToTheirDirectory) {
  std::set<std::string> paths = {"/mesos", "/other/a"};
  for (int i = 0; i < 17; ++i) paths.insert("/jobs/job-" + std::to_string(i));
  const auto out = collapse_siblings(paths, 16);
  EXPECT_THAT(out, ElementsAre("/jobs/*", "/mesos", "/other/a"));
  paths.erase("/jobs/job-0");  // 16: kept as they are
  EXPECT_EQ(paths, collapse_siblings(paths, 16));
}

TEST(Learner, MesosRolesAndTheirConditions) {
  constexpr const char* kMesosMaster = "198.51.100.10";
  constexpr const char* kMesosAgent = "198.51.100.20";
  constexpr const char* kFramework = "198.51.100.30";
  constexpr const char* kAdmin = "203.0.113.5";
  Learner l;
  MesosRequest reg;
  reg.message = "mesos.internal.RegisterSlaveMessage";
  reg.endpoint = "/master";
  reg.receiver = "master";
  reg.from_pid = "slave(1)@198.51.100.20:5051";
  l.observe(mesos_event(kMesosAgent, 40010, kMesosMaster, 5050, 10, reg));
  l.observe(flow_event(kMesosAgent, 40010, kMesosMaster, 5050, 10, "mesos"));
  MesosRequest run;
  run.message = "mesos.internal.RunTaskMessage";
  run.endpoint = "/slave(1)";
  run.receiver = "slave(1)";
  run.from_pid = "master@198.51.100.10:5050";
  l.observe(mesos_event(kMesosMaster, 40011, kMesosAgent, 5051, 11, run));
  l.observe(flow_event(kMesosMaster, 40011, kMesosAgent, 5051, 11, "mesos"));
  MesosRequest subscribe;
  subscribe.kind = "api";
  subscribe.call = "SUBSCRIBE";
  subscribe.endpoint = "/api/v1/scheduler";
  subscribe.api = "scheduler";
  subscribe.principal = "marathon";
  subscribe.roles = {"*", "prod"};
  l.observe(mesos_event(kFramework, 40012, kMesosMaster, 5050, 12, subscribe));
  // The master's answer on the same connection: a stream record.
  MesosRequest subscribed;
  subscribed.kind = "api";
  subscribed.call = "SUBSCRIBED";
  subscribed.api = "scheduler";
  subscribed.direction = "response";
  l.observe(mesos_event(kMesosMaster, 5050, kFramework, 40012, 12, subscribed));
  l.observe(flow_event(kFramework, 40012, kMesosMaster, 5050, 12, "mesos"));
  MesosRequest state;
  state.kind = "legacy";
  state.endpoint = "/master/state";
  l.observe(mesos_event(kAdmin, 40013, kMesosMaster, 5050, 13, state));
  MesosRequest get_state;
  get_state.kind = "api";
  get_state.call = "GET_STATE";
  get_state.endpoint = "/api/v1";
  get_state.api = "master_operator";
  l.observe(mesos_event(kAdmin, 40013, kMesosMaster, 5050, 13, get_state));
  l.observe(flow_event(kAdmin, 40013, kMesosMaster, 5050, 13, "mesos"));

  const Proposal p = l.propose();
  EXPECT_THAT(cidrs(segment(p.policy, "mesos-masters")), ElementsAre("198.51.100.10/32"));
  EXPECT_THAT(cidrs(segment(p.policy, "mesos-agents")), ElementsAre("198.51.100.20/32"));
  EXPECT_THAT(cidrs(segment(p.policy, "framework-marathon")), ElementsAre("198.51.100.30/32"));
  EXPECT_THAT(cidrs(segment(p.policy, "mesos-operators")), ElementsAre("203.0.113.5/32"));
  ASSERT_NE(nullptr, service(p.policy, "mesos-master"));
  EXPECT_EQ(policy::ServiceApp::kMesos, service(p.policy, "mesos-master")->app);
  ASSERT_NE(nullptr, service(p.policy, "mesos-agent"));
  EXPECT_EQ(5051, service(p.policy, "mesos-agent")->ports.at(0).first);

  // The stream record made no rule of its own (master -> framework).
  EXPECT_THAT(names(p.policy.rules),
              ElementsAre("mesos-masters-to-mesos-agents", "mesos-agents-to-mesos-masters",
                          "framework-marathon-to-mesos-masters", "mesos-operators-to-mesos-masters"));

  const policy::Rule* fw = rule(p.policy, "framework-marathon-to-mesos-masters");
  ASSERT_NE(nullptr, fw);
  EXPECT_THAT(fw->mesos.calls, Optional(ElementsAre("SUBSCRIBE")));  // not SUBSCRIBED
  EXPECT_THAT(fw->mesos.principals, Optional(ElementsAre("marathon")));
  EXPECT_THAT(fw->mesos.roles, Optional(ElementsAre("*", "prod")));
  EXPECT_THAT(fw->mesos.messages, Optional(ElementsAre()));
  EXPECT_THAT(fw->mesos.endpoints, Optional(ElementsAre("/api/v1/scheduler")));
  EXPECT_FALSE(fw->zookeeper.any());

  const policy::Rule* agent = rule(p.policy, "mesos-agents-to-mesos-masters");
  ASSERT_NE(nullptr, agent);
  EXPECT_THAT(agent->mesos.messages, Optional(ElementsAre("mesos.internal.RegisterSlaveMessage")));
  // No framework registered from the agents: no principal may.
  EXPECT_THAT(agent->mesos.principals, Optional(ElementsAre()));

  const policy::Rule* ops = rule(p.policy, "mesos-operators-to-mesos-masters");
  ASSERT_NE(nullptr, ops);
  EXPECT_THAT(ops->mesos.calls, Optional(ElementsAre("GET_STATE")));
  EXPECT_THAT(ops->mesos.endpoints, Optional(ElementsAre("/api/v1", "/master/state")));
}

TEST(Learner, FrameworksThatRegisterWithoutAPrincipalLeaveItUnconstrained) {
  Learner l;
  MesosRequest reg;
  reg.message = "mesos.internal.RegisterFrameworkMessage";
  reg.endpoint = "/master";
  reg.receiver = "master";
  reg.from_pid = "scheduler(1)@198.51.100.30:41000";
  l.observe(mesos_event("198.51.100.30", 41001, "198.51.100.10", 5050, 1, reg));
  const Proposal p = l.propose();
  ASSERT_NE(nullptr, segment(p.policy, "frameworks"));
  const policy::Rule* r = rule(p.policy, "frameworks-to-mesos-masters");
  ASSERT_NE(nullptr, r);
  EXPECT_EQ(std::nullopt, r->mesos.principals);
  EXPECT_EQ(std::nullopt, r->mesos.roles);
  EXPECT_THAT(r->mesos.messages, Optional(ElementsAre("mesos.internal.RegisterFrameworkMessage")));
}

TEST(Learner, AFlowAnEarlierRuleMatchesBelongsToThatRule) {
  // The agent also opened a connection to the ZooKeeper port that carried
  // nothing decodable: the ZooKeeper rule matches it first, so it must allow
  // it (and cannot require app: zookeeper any more).
  Learner l;
  feed_zookeeper_cluster(l);
  l.observe(flow_event(kAgent, 40020, kZk, 2181, 20, ""));
  const Proposal p = l.propose();
  EXPECT_EQ(nullptr, service(p.policy, "tcp-2181"));
  EXPECT_EQ(nullptr, segment(p.policy, "tcp-2181-clients"));
  ASSERT_NE(nullptr, service(p.policy, "zookeeper"));
  EXPECT_EQ(policy::ServiceApp::kAny, service(p.policy, "zookeeper")->app);
  EXPECT_EQ(2u, p.rules.at("zk-readers-to-zk-servers").flows);
  // The other rules are unchanged.
  EXPECT_EQ(3u, p.policy.rules.size());
}

TEST(Learner, OtherServicesPerPortAndOtherProtocolsLast) {
  Learner l;
  l.observe(flow_event("192.0.2.50", 0, "192.0.2.10", 0, 30, "", "ICMP"));
  l.observe(flow_event("192.0.2.50", 53000, "192.0.2.53", 53, 31, "", "UDP"));
  l.observe(flow_event("192.0.2.51", 53001, "192.0.2.53", 53, 32, "", "UDP"));
  l.observe(flow_event("192.0.2.50", 45000, "192.0.2.80", 443, 33, "tls"));
  const Proposal p = l.propose();
  const policy::Service* dns = service(p.policy, "udp-53");
  ASSERT_NE(nullptr, dns);
  EXPECT_EQ(17, dns->ip_proto);
  EXPECT_EQ(policy::ServiceApp::kAny, dns->app);
  EXPECT_THAT(cidrs(segment(p.policy, "udp-53-clients")), ElementsAre("192.0.2.50/32", "192.0.2.51/32"));
  const policy::Service* tls = service(p.policy, "tcp-443");
  ASSERT_NE(nullptr, tls);
  EXPECT_EQ(policy::ServiceApp::kTls, tls->app);
  EXPECT_EQ(policy::TlsRequirement::kRequired, tls->tls);
  const policy::Service* other = service(p.policy, "ip-other");
  ASSERT_NE(nullptr, other);
  EXPECT_EQ(0, other->ip_proto);
  EXPECT_TRUE(other->ports.empty());
  ASSERT_EQ(3u, p.policy.rules.size());
  EXPECT_EQ("ip-other", p.policy.rules.back().service);
  EXPECT_FALSE(p.policy.rules.front().zookeeper.any() || p.policy.rules.front().mesos.any());
  EXPECT_THAT(p.segments.at("udp-53-clients").notes, ::testing::Contains("192.0.2.50: 1 flow"));
}

TEST(Learner, VlansOnlyWhenEveryFlowOfEveryHostWasTagged) {
  Learner l;
  auto tagged = [](events::Event e, std::uint32_t vlan) {
    e.add_vlan(vlan);
    return e;
  };
  l.observe(tagged(flow_event("192.0.2.60", 40000, "192.0.2.70", 8080, 40, ""), 100));
  l.observe(tagged(flow_event("192.0.2.61", 40001, "192.0.2.70", 8080, 41, ""), 101));
  l.observe(flow_event("192.0.2.62", 40002, "192.0.2.71", 9090, 42, ""));
  l.observe(tagged(flow_event("192.0.2.62", 40003, "192.0.2.71", 9090, 43, ""), 100));
  const Proposal p = l.propose();
  ASSERT_NE(nullptr, segment(p.policy, "tcp-8080-clients"));
  EXPECT_THAT(segment(p.policy, "tcp-8080-clients")->vlans, ElementsAre(100, 101));
  ASSERT_NE(nullptr, segment(p.policy, "tcp-9090-clients"));
  EXPECT_TRUE(segment(p.policy, "tcp-9090-clients")->vlans.empty());  // also seen untagged
}

TEST(Learner, AuthRequiredWhenEverySessionAuthenticatedFirst) {
  Learner l;
  for (std::uint64_t f = 1; f <= 2; ++f) {
    const std::uint32_t port = 41000 + static_cast<std::uint32_t>(f);
    l.observe(zk_request(kAgent, port, kZk, f, "auth", ""));
    l.observe(zk_request(kAgent, port, kZk, f, "getData", "/mesos/json.info_0000000000"));
  }
  EXPECT_TRUE(l.propose().policy.rules.at(0).zookeeper.auth_required);
  // One session that read before authenticating: not required.
  l.observe(zk_request(kAgent, 41003, kZk, 3, "getData", "/mesos/json.info_0000000000"));
  l.observe(zk_request(kAgent, 41003, kZk, 3, "auth", ""));
  EXPECT_FALSE(l.propose().policy.rules.at(0).zookeeper.auth_required);
}

TEST(Learner, ATruncatedPathAllowsItsWholeDirectory) {
  Learner l;
  events::Event e = zk_request(kAgent, 40003, kZk, 3, "getData", "/apps/very-long-name-cut-her");
  e.mutable_zookeeper()->add_truncated("path");
  l.observe(e);
  EXPECT_THAT(l.propose().policy.rules.at(0).zookeeper.paths, Optional(ElementsAre("/apps/**")));
}

TEST(Learner, TooManyDistinctPathsLeaveThePathListsOut) {
  Learner l;
  for (std::size_t i = 0; i <= kMaxLearnedPaths; ++i) {
    l.observe(zk_request(kAgent, 40003, kZk, 3, "getData", "/data/" + std::to_string(i) + "/x"));
  }
  const Proposal p = l.propose();
  const auto& z = p.policy.rules.at(0).zookeeper;
  EXPECT_EQ(std::nullopt, z.paths);
  EXPECT_EQ(std::nullopt, z.write_paths);
  EXPECT_THAT(z.ops, Optional(ElementsAre("getData")));
  EXPECT_THAT(p.rules.at("zk-readers-to-zk-servers").notes,
              ::testing::Contains(::testing::HasSubstr("paths and write_paths not listed: more than 4096")));
}

TEST(Learner, MultiSubOpsAreLearnedAsOps) {
  Learner l;
  events::Event e = zk_request(kMaster1, 40001, kZk, 1, "multi", "");
  auto* a = e.mutable_zookeeper()->add_sub_ops();
  a->set_op("create");
  a->set_path("/mesos/x");
  auto* b = e.mutable_zookeeper()->add_sub_ops();
  b->set_op("check");
  b->set_path("/mesos");
  l.observe(e);
  const Proposal p = l.propose();
  ASSERT_NE(nullptr, segment(p.policy, "zk-election-writers"));  // the sub-op wrote under /mesos
  const auto& z = p.policy.rules.at(0).zookeeper;
  EXPECT_THAT(z.ops, Optional(ElementsAre("check", "create", "multi")));
  EXPECT_THAT(z.paths, Optional(ElementsAre("/mesos", "/mesos/x")));
  EXPECT_THAT(z.write_paths, Optional(ElementsAre("/mesos/x")));
}

TEST(Learner, IgnoresEventsWithoutAddresses) {
  Learner l;
  events::Event stats;
  stats.set_event_type("stats");
  l.observe(stats);
  EXPECT_EQ(1u, l.events_seen());
  const Proposal p = l.propose();
  EXPECT_TRUE(p.policy.segments.empty());
  EXPECT_TRUE(p.policy.rules.empty());
  EXPECT_EQ(policy::Action::kDrop, p.policy.default_action);
}

}  // namespace
}  // namespace segward::learn
