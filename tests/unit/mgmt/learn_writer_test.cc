// The learn mode's policy writer: the text it writes, and that the policy
// parser reads it back as the same policy.
#include "mgmt/learn/policy_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mgmt/learn/learner.h"
#include "mgmt/learn/policy_diff.h"
#include "mgmt/policy_file.h"
#include "tests/unit/mgmt/learn_test_support.h"

namespace segward::learn {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Everything a policy says, source locations aside.
void expect_same_policy(const policy::Policy& a, const policy::Policy& b) {
  ASSERT_EQ(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    const auto &x = a.segments[i], &y = b.segments[i];
    EXPECT_EQ(x.name, y.name);
    ASSERT_EQ(x.cidrs.size(), y.cidrs.size()) << x.name;
    for (std::size_t j = 0; j < x.cidrs.size(); ++j) {
      EXPECT_EQ(x.cidrs[j].address, y.cidrs[j].address) << x.name;
      EXPECT_EQ(x.cidrs[j].prefix, y.cidrs[j].prefix) << x.name;
    }
    EXPECT_EQ(x.vlans, y.vlans) << x.name;
    EXPECT_EQ(x.macs, y.macs) << x.name;
  }
  ASSERT_EQ(a.services.size(), b.services.size());
  for (std::size_t i = 0; i < a.services.size(); ++i) {
    const auto &x = a.services[i], &y = b.services[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.ip_proto, y.ip_proto) << x.name;
    ASSERT_EQ(x.ports.size(), y.ports.size()) << x.name;
    for (std::size_t j = 0; j < x.ports.size(); ++j) {
      EXPECT_EQ(x.ports[j].first, y.ports[j].first) << x.name;
      EXPECT_EQ(x.ports[j].last, y.ports[j].last) << x.name;
    }
    EXPECT_EQ(x.app, y.app) << x.name;
    EXPECT_EQ(x.tls, y.tls) << x.name;
  }
  ASSERT_EQ(a.rules.size(), b.rules.size());
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const auto &x = a.rules[i], &y = b.rules[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.id, y.id) << x.name;
    EXPECT_EQ(x.from, y.from) << x.name;
    EXPECT_EQ(x.to, y.to) << x.name;
    EXPECT_EQ(x.service, y.service) << x.name;
    EXPECT_EQ(x.action, y.action) << x.name;
    EXPECT_EQ(x.violation, y.violation) << x.name;
    EXPECT_EQ(x.category, y.category) << x.name;
    EXPECT_EQ(x.severity, y.severity) << x.name;
    EXPECT_EQ(x.zookeeper.ops, y.zookeeper.ops) << x.name;
    EXPECT_EQ(x.zookeeper.paths, y.zookeeper.paths) << x.name;
    EXPECT_EQ(x.zookeeper.write_paths, y.zookeeper.write_paths) << x.name;
    EXPECT_EQ(x.zookeeper.four_letter_words, y.zookeeper.four_letter_words) << x.name;
    EXPECT_EQ(x.zookeeper.auth_required, y.zookeeper.auth_required) << x.name;
    EXPECT_EQ(x.mesos.messages, y.mesos.messages) << x.name;
    EXPECT_EQ(x.mesos.calls, y.mesos.calls) << x.name;
    EXPECT_EQ(x.mesos.principals, y.mesos.principals) << x.name;
    EXPECT_EQ(x.mesos.roles, y.mesos.roles) << x.name;
    EXPECT_EQ(x.mesos.endpoints, y.mesos.endpoints) << x.name;
  }
  EXPECT_EQ(a.default_action, b.default_action);
  EXPECT_EQ(a.default_severity, b.default_severity);
}

// A cluster with every role the learner knows, on shared hosts (a master
// is also an election writer, the framework host also an operator).
Proposal cluster_proposal() {
  using namespace test;
  Learner l;
  l.observe(zk_request("192.0.2.21", 40001, "192.0.2.10", 1, "create", "/mesos/json.info_", "EPHEMERAL_SEQUENTIAL"));
  l.observe(flow_event("192.0.2.21", 40001, "192.0.2.10", 2181, 1, "zookeeper"));
  l.observe(zk_request("192.0.2.31", 40002, "192.0.2.10", 2, "getData", "/mesos/json.info_0000000000"));
  l.observe(zk_request("192.0.2.31", 40002, "192.0.2.10", 2, "getChildren", "/mesos"));
  l.observe(zk_word("192.0.2.41", 40003, "192.0.2.10", 3, "ruok"));
  MesosRequest reg;
  reg.message = "mesos.internal.RegisterSlaveMessage";
  reg.endpoint = "/master";
  reg.receiver = "master";
  reg.from_pid = "slave(1)@192.0.2.31:5051";
  l.observe(mesos_event("192.0.2.31", 40004, "192.0.2.21", 5050, 4, reg));
  MesosRequest sub;
  sub.kind = "api";
  sub.call = "SUBSCRIBE";
  sub.endpoint = "/api/v1/scheduler";
  sub.api = "scheduler";
  sub.principal = "team a/prod";  // not a segment name as it stands
  sub.roles = {"*"};
  l.observe(mesos_event("192.0.2.51", 40005, "192.0.2.21", 5050, 5, sub));
  MesosRequest state;
  state.kind = "legacy";
  state.endpoint = "/master/state";
  l.observe(mesos_event("192.0.2.51", 40006, "192.0.2.21", 5050, 6, state));
  l.observe(flow_event("192.0.2.51", 40007, "192.0.2.53", 53, 7, "", "UDP"));
  l.observe(flow_event("2001:db8::5", 40008, "2001:db8::10", 8443, 8, "tls"));
  l.observe(flow_event("192.0.2.51", 0, "192.0.2.10", 0, 9, "", "ICMP"));
  return l.propose();
}

TEST(PolicyWriter, ProposalTextHasTheFormatAndItsEvidence) {
  const Proposal p = cluster_proposal();
  const std::string text = write_policy_yaml(p, "from 1 capture: cluster.pcap");
  EXPECT_THAT(text, HasSubstr("# segward policy proposed by `segward learn` from 1 capture: cluster.pcap\n"));
  EXPECT_THAT(text, HasSubstr("segments:\n"));
  EXPECT_THAT(text, HasSubstr("  zk-election-writers: { cidrs: [192.0.2.21/32] }\n"));
  EXPECT_THAT(text, HasSubstr("  #   192.0.2.21: 1 request, 1 write (1 election)\n"));
  EXPECT_THAT(text, HasSubstr("  zookeeper: { proto: tcp, ports: [2181], app: zookeeper }\n"));
  EXPECT_THAT(text, HasSubstr("  udp-53: { proto: udp, ports: [53] }\n"));
  EXPECT_THAT(text, HasSubstr("  tcp-8443: { proto: tcp, ports: [8443], app: tls, tls: required }\n"));
  EXPECT_THAT(text, HasSubstr("  ip-other: { proto: any }\n"));
  EXPECT_THAT(text, HasSubstr("  tcp-8443-clients: { cidrs: [\"2001:db8::5/128\"] }\n"));
  EXPECT_THAT(text, HasSubstr("  framework-team-a-prod: { cidrs: [192.0.2.51/32] }\n"));
  EXPECT_THAT(text, HasSubstr(R"(  - name: zk-election-writers-to-zk-servers
    id: 1000
    from: [zk-election-writers]
    to: [zk-servers]
    service: zookeeper
    action: allow
    violation: drop
    zookeeper:
      ops: [create]
      paths: ["/mesos/json.info_*"]
      write_paths: ["/mesos/json.info_*"]
      four_letter_words: []
)"));
  EXPECT_THAT(text, HasSubstr("      framework: { principals: [\"team a/prod\"], roles: [\"*\"] }\n"));
  EXPECT_THAT(text, HasSubstr("  # 1 flow, 1 request; first seen 2026-12-01T10:00:00.000000+0000, last seen "
                              "2026-12-01T10:00:09.000000+0000\n"));
  EXPECT_THAT(text, HasSubstr("# default: drop. Whatever the learn run did not see is not allowed"));
  EXPECT_TRUE(text.size() > 20 && text.substr(text.size() - 14) == "default: drop\n") << text;
  // A rule without L7 conditions has no violation line.
  EXPECT_THAT(text, HasSubstr("    service: udp-53\n    action: allow\n  # 1 flow"));
}

TEST(PolicyWriter, ProposalReadsBackAsTheSamePolicy) {
  const Proposal p = cluster_proposal();
  const std::string text = write_policy_yaml(p, "from a test");
  policy::Policy parsed;
  try {
    parsed = mgmt::parse_policy(text, "proposed.yaml");
  } catch (const mgmt::ConfigError& e) {
    FAIL() << e.what() << "\n" << text;
  }
  expect_same_policy(p.policy, parsed);
  EXPECT_TRUE(diff_policies(parsed, p.policy).empty());
}

TEST(PolicyWriter, EveryFieldOfAHandWrittenPolicyReadsBack) {
  const policy::Policy original = mgmt::parse_policy(R"(
segments:
  masters: { cidrs: [192.0.2.10/32, "2001:db8::/64"], vlans: [100, 200], macs: ["02:00:00:00:00:01"] }
  agents: { cidrs: [198.51.100.0/24] }
  yes: { cidrs: [203.0.113.0/25] }
services:
  zookeeper: { proto: tcp, ports: [2181, "2888-2889"], app: zookeeper, tls: forbidden }
  mesos: { proto: tcp, ports: [5050], app: mesos }
  dns: { proto: udp, ports: [53] }
  everything: { proto: any }
rules:
  - name: masters-to-zookeeper
    id: 7
    from: [masters]
    to: [masters]
    service: zookeeper
    action: allow
    violation: reset
    severity: 1
    category: election
    zookeeper: { ops: [create, getData], paths: ["/mesos/**", "/a b/c"], write_paths: ["/mesos/json.info_*"], four_letter_words: [ruok], auth: required }
  - name: agents-to-masters
    from: [agents]
    to: [masters]
    service: mesos
    action: allow
    mesos: { messages: [mesos.internal.RegisterSlaveMessage], calls: [], framework: { roles: ["*"] }, endpoints: ["/master/**"] }
  - name: "yes"
    from: ["yes"]
    to: any
    service: dns
    action: reset
  - name: rest
    from: any
    to: any
    service: everything
    action: alert
    severity: 3
default: { action: drop, severity: 1 }
)",
                                                     "hand.yaml");
  const std::string text = write_policy_yaml(original);
  EXPECT_THAT(text, HasSubstr("ports: [2181, \"2888-2889\"]"));
  EXPECT_THAT(text, HasSubstr("\"yes\": { cidrs: [203.0.113.0/25] }"));
  EXPECT_THAT(text, HasSubstr("default: { action: drop, severity: 1 }\n"));
  EXPECT_THAT(text, Not(HasSubstr("#")));  // no evidence: no comments
  policy::Policy parsed;
  try {
    parsed = mgmt::parse_policy(text, "written.yaml");
  } catch (const mgmt::ConfigError& e) {
    FAIL() << e.what() << "\n" << text;
  }
  expect_same_policy(original, parsed);
}

TEST(PolicyWriter, ScalarsArePlainOnlyWhenTheyReadBackTheSame) {
  EXPECT_EQ("zk-readers", yaml_scalar("zk-readers"));
  EXPECT_EQ("/mesos/json.info_0000000001", yaml_scalar("/mesos/json.info_0000000001"));
  EXPECT_EQ("/slave(1)/state", yaml_scalar("/slave(1)/state"));
  EXPECT_EQ("\"/mesos/**\"", yaml_scalar("/mesos/**"));
  EXPECT_EQ("\"*\"", yaml_scalar("*"));
  EXPECT_EQ("\"\"", yaml_scalar(""));
  EXPECT_EQ("\"yes\"", yaml_scalar("yes"));
  EXPECT_EQ("\"NULL\"", yaml_scalar("NULL"));
  EXPECT_EQ("\"-x\"", yaml_scalar("-x"));
  EXPECT_EQ("\"a: b\"", yaml_scalar("a: b"));
  EXPECT_EQ("\"a #b\"", yaml_scalar("a #b"));
  EXPECT_EQ("\"say \\\"hi\\\" \\\\ \\x0a\"", yaml_scalar("say \"hi\" \\ \n"));
}

TEST(PolicyWriter, CommentsNeverBreakTheirLine) {
  Proposal p;
  p.policy.default_action = policy::Action::kDrop;
  p.notes.push_back("first\nsecond");
  const std::string text = write_policy_yaml(p, "from\nsomewhere");
  EXPECT_THAT(text, HasSubstr("# segward policy proposed by `segward learn` from somewhere\n"));
  EXPECT_THAT(text, HasSubstr("# first second\n"));
  const policy::Policy parsed = mgmt::parse_policy(text, "empty.yaml");
  EXPECT_TRUE(parsed.rules.empty());
  EXPECT_EQ(policy::Action::kDrop, parsed.default_action);
}

}  // namespace
}  // namespace segward::learn
