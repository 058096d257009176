// The L3/L4 part of a compiled policy: rte_acl classification of a flow's
// first packet to the first rule (in file order) whose from segment, to
// segment and service match, or the default.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "dataplane/policy/compiled_policy.h"
#include "tests/unit/policy/policy_builder.h"

namespace segward::policy {
namespace {

using namespace segward::policy::testing;

constexpr std::uint8_t kTcp = 6, kUdp = 17, kIcmp = 1;

Policy base_policy() {
  Policy p;
  p.source = "test.yaml";
  p.default_action = Action::kDrop;
  p.default_severity = 1;
  p.segments = {segment("masters", {"10.0.1.0/24"}), segment("agents", {"10.0.2.0/24", "10.0.3.0/24"}),
                segment("zk", {"10.0.9.0/28"}), segment("admin", {"192.168.5.7/32"})};
  p.services = {service("zk-client", kTcp, {{2181, 2181}}, ServiceApp::kZookeeper),
                service("mesos-master", kTcp, {{5050, 5050}}, ServiceApp::kMesos),
                service("zk-quorum", kTcp, {{2888, 2888}, {3888, 3888}}),
                service("dns", kUdp, {{53, 53}})};
  return p;
}

TEST(Classify, FirstMatchingRuleInFileOrderWins) {
  Policy p = base_policy();
  p.rules = {rule("agents-zk-drop", {"agents"}, {"zk"}, "zk-client", Action::kDrop),
             rule("agents-zk-any", {"agents"}, {"zk"}, "any", Action::kAllow),
             rule("agents-zk-again", {"agents"}, {"zk"}, "zk-client", Action::kAlert)};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("10.0.2.7", "10.0.9.3", 2181)), 0);
  EXPECT_EQ(c->classify(tuple("10.0.3.7", "10.0.9.3", 80)), 1);
  EXPECT_EQ(c->rule(0).name, "agents-zk-drop");
  EXPECT_EQ(c->rule(0).action, Action::kDrop);
  EXPECT_EQ(c->rule(1).action, Action::kAllow);
  EXPECT_EQ(c->rule_count(), 3u);

  // The same rules in the other order: the broad rule now shadows both.
  std::swap(p.rules[0], p.rules[1]);
  const auto d = compile(p);
  EXPECT_EQ(d->classify(tuple("10.0.2.7", "10.0.9.3", 2181)), 0);
  EXPECT_EQ(d->rule(0).name, "agents-zk-any");
}

TEST(Classify, DirectionMatters) {
  Policy p = base_policy();
  p.rules = {rule("masters-zk", {"masters"}, {"zk"}, "zk-client")};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("10.0.1.5", "10.0.9.1", 2181)), 0);
  EXPECT_EQ(c->classify(tuple("10.0.9.1", "10.0.1.5", 2181)), kDefaultRule);
}

TEST(Classify, AnyToAnyMatchesEveryAddressFamilyAndProtocol) {
  Policy p = base_policy();
  p.rules = {rule("zk-only", {"any"}, {"zk"}, "zk-client"), rule("everything", {"any"}, {"any"}, "any", Action::kAlert)};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("1.2.3.4", "10.0.9.1", 2181)), 0);
  EXPECT_EQ(c->classify(tuple("1.2.3.4", "5.6.7.8", 2181)), 1);
  EXPECT_EQ(c->classify(tuple("0.0.0.0", "255.255.255.255", 0, kIcmp)), 1);
  EXPECT_EQ(c->classify(tuple("2001:db8::1", "fe80::2", 443)), 1);
  EXPECT_EQ(c->classify(tuple("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 0, 58)), 1);
  // any x zk: one IPv4 entry (zk has no IPv6); any x any: one per family.
  EXPECT_EQ(c->classifier_entries(), 3u);
}

TEST(Classify, CidrContainmentAndOrder) {
  Policy p = base_policy();
  p.segments.push_back(segment("net10", {"10.0.0.0/8"}));
  p.segments.push_back(segment("lab", {"10.77.0.0/16"}));
  p.segments.push_back(segment("lab-host", {"10.77.3.4/32"}));
  p.segments.push_back(segment("sloppy", {"172.16.99.99/12"}));  // host bits set: the network is meant
  p.rules = {rule("lab-host", {"lab-host"}, {"any"}, "any", Action::kReset),
             rule("lab", {"lab"}, {"any"}, "any", Action::kDrop),
             rule("net10", {"net10"}, {"any"}, "any", Action::kAllow),
             rule("shadowed", {"lab"}, {"any"}, "any", Action::kAlert),
             rule("sloppy", {"sloppy"}, {"any"}, "any")};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("10.77.3.4", "8.8.8.8", 53)), 0);
  EXPECT_EQ(c->classify(tuple("10.77.3.5", "8.8.8.8", 53)), 1);
  EXPECT_EQ(c->classify(tuple("10.77.255.255", "8.8.8.8", 53)), 1);
  EXPECT_EQ(c->classify(tuple("10.78.0.0", "8.8.8.8", 53)), 2);
  EXPECT_EQ(c->classify(tuple("10.255.255.255", "8.8.8.8", 53)), 2);
  EXPECT_EQ(c->classify(tuple("11.0.0.0", "8.8.8.8", 53)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("9.255.255.255", "8.8.8.8", 53)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("172.16.0.1", "8.8.8.8", 53)), 4);
  EXPECT_EQ(c->classify(tuple("172.31.255.254", "8.8.8.8", 53)), 4);
  EXPECT_EQ(c->classify(tuple("172.32.0.1", "8.8.8.8", 53)), kDefaultRule);
  // "shadowed" is never the answer: "lab" comes first for all its traffic.
  EXPECT_EQ(c->classify(tuple("10.77.9.9", "1.1.1.1", 1)), 1);
}

TEST(Classify, Ipv6PrefixesAcrossWordBoundaries) {
  Policy p;
  p.source = "v6.yaml";
  p.segments = {segment("p40", {"2001:db8:ab00::/40"}), segment("p72", {"fd00:1:2:3:4000::/66"}),
                segment("host", {"2001:db8::53/128"}), segment("dual", {"10.1.0.0/16", "fd12::/16"}),
                segment("v6any", {"::/0"})};
  p.services = {service("dns", kUdp, {{53, 53}})};
  p.rules = {rule("host", {"v6any"}, {"host"}, "dns"), rule("p40-p72", {"p40"}, {"p72"}, "any"),
             rule("dual", {"dual"}, {"dual"}, "any")};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("fe80::1", "2001:db8::53", 53, kUdp)), 0);
  EXPECT_EQ(c->classify(tuple("fe80::1", "2001:db8::54", 53, kUdp)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("fe80::1", "2001:db8::53", 53, kTcp)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("2001:db8:abff:ffff::1", "fd00:1:2:3:7fff:ffff:ffff:ffff", 22)), 1);
  EXPECT_EQ(c->classify(tuple("2001:db8:ab00::", "fd00:1:2:3:4000::", 22)), 1);
  EXPECT_EQ(c->classify(tuple("2001:db8:ac00::1", "fd00:1:2:3:4000::", 22)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("2001:db8:ab00::1", "fd00:1:2:3:8000::", 22)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("2001:db8:ab00::1", "fd00:1:2:3:3fff::", 22)), kDefaultRule);
  // A dual-stack segment pairs IPv4 with IPv4 and IPv6 with IPv6.
  EXPECT_EQ(c->classify(tuple("10.1.2.3", "10.1.4.5", 80)), 2);
  EXPECT_EQ(c->classify(tuple("fd12::1", "fd12:ffff::1", 80)), 2);
  EXPECT_EQ(c->classify(tuple("10.2.0.1", "10.1.4.5", 80)), kDefaultRule);
  EXPECT_EQ(c->classifier_entries(), 1u + 1u + 2u);
}

TEST(Classify, OnlyOneAddressFamilyStillAnswersTheDefaultForTheOther) {
  Policy p = base_policy();
  p.rules = {rule("masters-zk", {"masters"}, {"zk"}, "zk-client")};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("2001:db8::1", "2001:db8::2", 2181)), kDefaultRule);

  Policy q;
  q.segments = {segment("v6", {"2001:db8::/32"})};
  q.rules = {rule("v6", {"v6"}, {"v6"}, "any")};
  const auto d = compile(q);
  EXPECT_EQ(d->classify(tuple("2001:db8::1", "2001:db8::2", 1)), 0);
  EXPECT_EQ(d->classify(tuple("10.0.0.1", "10.0.0.2", 1)), kDefaultRule);

  Policy empty;
  empty.default_action = Action::kAllow;
  const auto e = compile(empty);
  EXPECT_EQ(e->classify(tuple("10.0.0.1", "10.0.0.2", 1)), kDefaultRule);
  EXPECT_EQ(e->classify(tuple("::1", "::2", 1)), kDefaultRule);
  EXPECT_EQ(e->rule(kDefaultRule).action, Action::kAllow);
  EXPECT_EQ(e->classifier_entries(), 0u);
}

TEST(Classify, VlanConditions) {
  Policy p = base_policy();
  p.segments.push_back(segment("prod", {"10.5.0.0/16"}, {10, 20}));
  p.segments.push_back(segment("prod-db", {"10.6.0.0/16"}, {20, 30}));
  p.segments.push_back(segment("untagged", {"10.7.0.0/16"}, {0}));
  p.rules = {rule("prod-db", {"prod"}, {"prod-db"}, "any"), rule("prod-any", {"prod"}, {"any"}, "any"),
             rule("untagged", {"untagged"}, {"any"}, "any")};
  const auto c = compile(p);
  FlowTuple t = tuple("10.5.1.1", "10.6.1.1", 5432);
  t.vlan = 20;  // in both lists
  EXPECT_EQ(c->classify(t), 0);
  t.vlan = 10;  // prod's, not prod-db's
  EXPECT_EQ(c->classify(t), 1);
  t.vlan = 30;  // prod-db's, not prod's
  EXPECT_EQ(c->classify(t), kDefaultRule);
  t.vlan = 0;
  EXPECT_EQ(c->classify(t), kDefaultRule);
  t = tuple("10.7.0.1", "1.1.1.1", 1);
  EXPECT_EQ(c->classify(t), 2);
  t.vlan = 7;
  EXPECT_EQ(c->classify(t), kDefaultRule);
  // A segment without VLANs takes any tag, and untagged frames.
  t = tuple("10.0.1.1", "10.0.9.1", 2181);
  p.rules.push_back(rule("masters-zk", {"masters"}, {"zk"}, "zk-client"));
  const auto d = compile(p);
  EXPECT_EQ(d->classify(t), 3);
  t.vlan = 4095;
  EXPECT_EQ(d->classify(t), 3);
}

TEST(Classify, DisjointVlansMakeARuleThatMatchesNothing) {
  Policy p = base_policy();
  p.segments.push_back(segment("a", {"10.5.0.0/16"}, {10}));
  p.segments.push_back(segment("b", {"10.6.0.0/16"}, {11}));
  Rule r = rule("never", {"a"}, {"b"}, "any");
  r.at = {17, 5};
  p.rules = {r};
  try {
    (void)compile(p);
    FAIL() << "compiled a rule that matches no packet";
  } catch (const PolicyError& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml:17:5: rule 'never'"), std::string::npos) << e.what();
  }
}

TEST(Classify, MacConditions) {
  const MacAddress m1{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}, m2{0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
      m3{0x02, 0x00, 0x00, 0x00, 0x01, 0x01}, gw{0x00, 0x1b, 0x21, 0xaa, 0xbb, 0xcc};
  Policy p = base_policy();
  p.segments.push_back(segment("pinned", {"10.8.0.0/16"}, {}, {m1, m2}));
  p.segments.push_back(segment("via-gw", {"0.0.0.0/0"}, {}, {gw}));
  p.rules = {rule("pinned-out", {"pinned"}, {"via-gw"}, "any"), rule("pinned-any", {"pinned"}, {"any"}, "any", Action::kAlert)};
  const auto c = compile(p);
  FlowTuple t = tuple("10.8.0.1", "8.8.8.8", 443);
  t.src_mac = m1;
  t.dst_mac = gw;
  EXPECT_EQ(c->classify(t), 0);
  t.src_mac = m2;
  EXPECT_EQ(c->classify(t), 0);
  t.dst_mac = m1;  // not through the gateway
  EXPECT_EQ(c->classify(t), 1);
  t.src_mac = m3;  // differs from m1 only in byte 4: the second MAC word counts too
  EXPECT_EQ(c->classify(t), kDefaultRule);
  t.src_mac = {0x03, 0x00, 0x00, 0x00, 0x00, 0x01};  // differs in byte 0
  EXPECT_EQ(c->classify(t), kDefaultRule);
  // 2 source MACs x 1 destination MAC, then 2 x wildcard.
  EXPECT_EQ(c->classifier_entries(), 4u);
}

TEST(Classify, PortRangesAndProtocols) {
  Policy p = base_policy();
  p.services.push_back(service("ephemeral", kTcp, {{32768, 60999}}));
  p.services.push_back(service("icmp", kIcmp, {}));
  p.services.push_back(service("all-ports-any-proto", 0, {}));
  p.rules = {rule("quorum", {"zk"}, {"zk"}, "zk-quorum"), rule("dns", {"any"}, {"zk"}, "dns"),
             rule("eph", {"masters"}, {"agents"}, "ephemeral"), rule("ping", {"masters"}, {"agents"}, "icmp"),
             rule("rest", {"admin"}, {"masters"}, "all-ports-any-proto")};
  const auto c = compile(p);
  EXPECT_EQ(c->classify(tuple("10.0.9.1", "10.0.9.2", 2888)), 0);
  EXPECT_EQ(c->classify(tuple("10.0.9.1", "10.0.9.2", 3888)), 0);
  EXPECT_EQ(c->classify(tuple("10.0.9.1", "10.0.9.2", 2889)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("10.0.9.1", "10.0.9.2", 3887)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("10.0.9.1", "10.0.9.2", 2888, kUdp)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("10.0.2.1", "10.0.9.2", 53, kUdp)), 1);
  EXPECT_EQ(c->classify(tuple("10.0.2.1", "10.0.9.2", 53, kTcp)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("10.0.1.1", "10.0.3.2", 32767)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("10.0.1.1", "10.0.3.2", 32768)), 2);
  EXPECT_EQ(c->classify(tuple("10.0.1.1", "10.0.3.2", 60999)), 2);
  EXPECT_EQ(c->classify(tuple("10.0.1.1", "10.0.3.2", 61000)), kDefaultRule);
  EXPECT_EQ(c->classify(tuple("10.0.1.1", "10.0.3.2", 0, kIcmp)), 3);
  EXPECT_EQ(c->classify(tuple("192.168.5.7", "10.0.1.1", 0, kIcmp)), 4);
  EXPECT_EQ(c->classify(tuple("192.168.5.7", "10.0.1.1", 65535, kUdp)), 4);
  EXPECT_EQ(c->classify(tuple("192.168.5.7", "10.0.1.1", 1, 132)), 4);
  // quorum: 2 ranges; dns: 1; eph: 2 agent CIDRs; ping: 2; rest: 1.
  EXPECT_EQ(c->classifier_entries(), 2u + 1u + 2u + 2u + 1u);
}

TEST(Classify, EveryCombinationIsOneEntry) {
  Policy p = base_policy();
  p.segments.push_back(segment("two", {"10.10.0.0/16", "10.11.0.0/16"}));
  p.segments.push_back(segment("three", {"10.20.0.0/16", "10.21.0.0/16", "10.22.0.0/16"}));
  p.services.push_back(service("two-ranges", kTcp, {{80, 80}, {8000, 8100}}));
  p.rules = {rule("r", {"two", "masters"}, {"three"}, "two-ranges")};
  const auto c = compile(p);
  EXPECT_EQ(c->classifier_entries(), (2u + 1u) * 3u * 2u);
  EXPECT_EQ(c->classify(tuple("10.0.1.1", "10.22.0.1", 8050)), 0);
  EXPECT_EQ(c->classify(tuple("10.11.0.1", "10.20.0.1", 80)), 0);
  EXPECT_EQ(c->classify(tuple("10.11.0.1", "10.20.0.1", 81)), kDefaultRule);
}

TEST(Classify, DefaultRule) {
  Policy p = base_policy();
  p.default_action = Action::kAlert;
  p.default_severity = 3;
  p.rules = {rule("masters-zk", {"masters"}, {"zk"}, "zk-client")};
  p.rules[0].id = 42;
  p.rules[0].severity = 1;
  p.rules[0].category = "";
  const auto c = compile(p);
  const CompiledRule& d = c->rule(kDefaultRule);
  EXPECT_EQ(d.name, "default");
  EXPECT_EQ(d.action, Action::kAlert);
  EXPECT_EQ(d.severity, 3);
  EXPECT_FALSE(d.has_l7);
  EXPECT_EQ(c->rule(0).id, 42u);
  EXPECT_EQ(c->rule(0).severity, 1);
  EXPECT_EQ(c->rule(0).category, "segmentation");
  EXPECT_EQ(c->rule(0).app, ServiceApp::kZookeeper);
  EXPECT_TRUE(c->rule(0).has_l7);  // the service wants ZooKeeper
  EXPECT_EQ(c->source(), "test.yaml");
}

TEST(Classify, TwoCompiledPoliciesLiveSideBySide) {
  Policy old_policy = base_policy();
  old_policy.rules = {rule("old", {"masters"}, {"zk"}, "zk-client")};
  Policy new_policy = base_policy();
  new_policy.rules = {rule("new-a", {"agents"}, {"zk"}, "zk-client"), rule("new-b", {"masters"}, {"zk"}, "zk-client")};
  auto a = compile(old_policy);
  auto b = compile(new_policy);
  const FlowTuple masters = tuple("10.0.1.1", "10.0.9.1", 2181), agents = tuple("10.0.2.1", "10.0.9.1", 2181);
  EXPECT_EQ(a->classify(masters), 0);
  EXPECT_EQ(a->classify(agents), kDefaultRule);
  EXPECT_EQ(b->classify(masters), 1);
  EXPECT_EQ(b->classify(agents), 0);
  a.reset();  // the old one retires; the new one keeps its own tables
  EXPECT_EQ(b->classify(masters), 1);
  auto c = compile(old_policy);  // and the same file compiles again
  EXPECT_EQ(c->classify(masters), 0);
  EXPECT_EQ(b->classify(agents), 0);
}

TEST(Classify, ExpansionCapIsALocatedError) {
  Policy p;
  p.source = "big.yaml";
  Segment wide, wider;
  wide.name = "wide";
  wider.name = "wider";
  for (int i = 0; i < 1000; ++i) {
    wide.cidrs.push_back(cidr("10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24"));
    wider.cidrs.push_back(cidr("172." + std::to_string(16 + i / 256) + "." + std::to_string(i % 256) + ".0/24"));
  }
  wider.cidrs.push_back(cidr("192.0.2.0/24"));
  p.segments = {wide, wider};
  Rule small = rule("small", {"wide"}, {"any"}, "any");
  Rule big = rule("big", {"wide"}, {"wider"}, "any");
  big.at = {12, 3};
  p.rules = {small, big};
  const auto started = std::chrono::steady_clock::now();
  try {
    (void)compile(p);
    FAIL() << "1,002,000 entries compiled";
  } catch (const PolicyError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("big.yaml:12:3: rule 'big'"), std::string::npos) << what;
    EXPECT_NE(what.find("1000000"), std::string::npos) << what;
    EXPECT_NE(what.find("1001000"), std::string::npos) << what;
  }
  // Refused from the count, before any table is built.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
  // Just under the cap it is accepted as far as counting goes: drop one CIDR.
  p.segments[1].cidrs.pop_back();
  p.segments[1].cidrs.resize(10);
  const auto c = compile(p);
  EXPECT_EQ(c->classifier_entries(), 1000u + 10000u);
  EXPECT_EQ(c->classify(tuple("10.3.231.9", "172.16.9.1", 1)), 0);  // 'small' comes first
}

TEST(Classify, NamesThatReferToNothingAreLocatedErrors) {
  const auto expect_error = [](const Policy& p, const std::string& needle) {
    try {
      (void)compile(p);
      ADD_FAILURE() << "compiled; expected an error with '" << needle << "'";
    } catch (const PolicyError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  Policy p = base_policy();
  Rule r = rule("typo", {"masterz"}, {"zk"}, "zk-client");
  r.at = {30, 7};
  p.rules = {r};
  expect_error(p, "test.yaml:30:7: rule 'typo': unknown segment 'masterz'");
  p.rules[0].from = {"masters"};
  p.rules[0].service = "zk-clinet";
  expect_error(p, "test.yaml:30:7: rule 'typo': unknown service 'zk-clinet'");
  p.rules[0].service = "zk-client";
  p.rules[0].to = {};
  expect_error(p, "rule 'typo': no 'to' segment");
  p.rules[0].to = {"zk"};
  p.segments.push_back(segment("masters", {"10.99.0.0/16"}));
  expect_error(p, "segment 'masters' defined twice");
  p = base_policy();
  p.segments.push_back(segment("v4only", {"10.0.0.0/8"}));
  p.segments.push_back(segment("v6only", {"2001:db8::/32"}));
  p.rules = {rule("cross", {"v4only"}, {"v6only"}, "any")};
  expect_error(p, "rule 'cross': matches no packet");
}

TEST(Classify, ThousandRulePolicyClassifiesTheLastRule) {
  Policy p;
  p.source = "thousand.yaml";
  p.segments.push_back(segment("servers", {"192.168.0.0/16"}));
  p.services.push_back(service("ports", kTcp, {{1, 999}}));
  for (int i = 0; i < 1000; ++i) {
    const std::string name = "client" + std::to_string(i);
    p.segments.push_back(segment(name, {"10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".0/24"}));
    const std::string port = "port" + std::to_string(i);
    p.services.push_back(service(port, kTcp, {{static_cast<std::uint16_t>(10000 + i), static_cast<std::uint16_t>(10000 + i)}}));
    p.rules.push_back(rule("r" + std::to_string(i), {name}, {"servers"}, port, i % 2 ? Action::kDrop : Action::kAllow));
  }
  const auto started = std::chrono::steady_clock::now();
  const auto c = compile(p);
  const auto compiled = std::chrono::steady_clock::now();
  EXPECT_EQ(c->rule_count(), 1000u);
  EXPECT_EQ(c->classifier_entries(), 1000u);
  const FlowTuple last = tuple("10.3.249.77", "192.168.44.1", 10999);
  EXPECT_EQ(c->classify(last), 999);
  EXPECT_EQ(c->rule(999).name, "r999");
  EXPECT_EQ(c->classify(tuple("10.3.249.77", "192.168.44.1", 10998)), kDefaultRule);  // rule 998's port, 999's client
  EXPECT_EQ(c->classify(tuple("10.3.248.77", "192.168.44.1", 10998)), 998);
  EXPECT_EQ(c->classify(tuple("10.0.0.1", "192.168.0.1", 10000)), 0);

  // Sanity figure only (no timing assertion): classifications per second.
  constexpr int kRounds = 200000;
  std::uint32_t sum = 0;
  FlowTuple t = last;
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    t.src_port = static_cast<std::uint16_t>(i);
    t.dst_port = static_cast<std::uint16_t>(10000 + (i % 1000));
    t.src.bytes[2] = static_cast<std::uint8_t>(i % 1000 % 250);
    t.src.bytes[1] = static_cast<std::uint8_t>(i % 1000 / 250);
    sum += c->classify(t);
  }
  const auto end = std::chrono::steady_clock::now();
  // Every one of them is its own rule's traffic: the sum says so.
  std::uint64_t expected = 0;
  for (int i = 0; i < kRounds; ++i) expected += static_cast<std::uint64_t>(i % 1000);
  EXPECT_EQ(sum, expected);
  std::printf("[ info ] 1,000-rule policy: compiled in %.1f ms, %.0f ns per classify\n",
              std::chrono::duration<double, std::milli>(compiled - started).count(),
              std::chrono::duration<double, std::nano>(end - begin).count() / kRounds);
}

}  // namespace
}  // namespace segward::policy
