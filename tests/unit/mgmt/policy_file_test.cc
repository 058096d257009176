// The policy file: what a network team writes, what it becomes, and the
// located one-line errors for what is refused.
#include "mgmt/policy_file.h"

#include <gtest/gtest.h>

#include <string>

#include "dataplane/policy/compiled_policy.h"

namespace segward::mgmt {
namespace {

using policy::Action;
using policy::Policy;
using policy::ServiceApp;
using policy::TlsRequirement;

static_assert(kMaxPolicyRules == policy::kMaxRules, "the parser refuses what the compiler could not hold");

std::string error_of(const std::string& yaml) {
  try {
    parse_policy(yaml, "policy.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Two segments, two services, and whatever rules a test adds.
std::string with_rules(const std::string& rules) {
  return "segments:\n"
         "  masters: {cidrs: [192.0.2.0/28]}\n"
         "  agents: {cidrs: [192.0.2.64/26]}\n"
         "services:\n"
         "  zookeeper: {ports: [2181], app: zookeeper}\n"
         "  mesos-master: {ports: [5050], app: mesos}\n"
         "rules:\n" +
         rules;
}

net::IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return net::IpAddress::v4_from(a, b, c, d);
}

TEST(PolicyFile, ReadsEveryPartOfTheFormat) {
  const Policy p = parse_policy(R"(
segments:
  masters:
    cidrs: [192.0.2.10/32, 192.0.2.11]
    vlans: [100, 200]
    macs: ["02:00:00:00:00:01", "02:AB:cd:00:00:ff"]
  ensemble: { cidrs: ["2001:db8:0:1::/64", "2001:db8::7"] }
services:
  zookeeper: { proto: tcp, ports: [2181], app: zookeeper }
  mesos-master: { proto: tcp, ports: [5050], app: mesos, tls: required }
  task-ports: { proto: any, ports: ["31000-32000", 8080] }
  dns: { proto: udp, ports: 53, tls: forbidden }
rules:
  - name: masters-to-zookeeper
    id: 1000
    from: [masters]
    to: ensemble
    service: zookeeper
    action: allow
    violation: reset
    severity: 1
    category: election
    zookeeper:
      ops: [create, getData, setData]
      paths: ["/mesos/**"]
      write_paths: ["/mesos/json.info_*", "/mesos/log_replicas/**"]
      four_letter_words: [ruok, srvr]
      auth: required
  - name: masters-api
    from: any
    to: [masters, ensemble]
    service: mesos-master
    action: allow
    mesos:
      messages: [mesos.internal.RegisterSlaveMessage]
      calls: [SUBSCRIBE, ACCEPT]
      framework: { principals: [marathon], roles: ["*", prod] }
      endpoints: ["/master/state", "/api/v1/**"]
  - { name: tasks, from: any, to: any, service: task-ports, action: alert }
default: { action: drop, severity: 1 }
)",
                                "policy.yaml");
  EXPECT_EQ("policy.yaml", p.source);
  ASSERT_EQ(2u, p.segments.size());
  const auto& masters = p.segments[0];
  EXPECT_EQ("masters", masters.name);
  ASSERT_EQ(2u, masters.cidrs.size());
  EXPECT_EQ(v4(192, 0, 2, 10), masters.cidrs[0].address);
  EXPECT_EQ(32, masters.cidrs[0].prefix);
  EXPECT_EQ(v4(192, 0, 2, 11), masters.cidrs[1].address);
  EXPECT_EQ(32, masters.cidrs[1].prefix) << "a bare IPv4 address is a /32";
  EXPECT_EQ((std::vector<std::uint16_t>{100, 200}), masters.vlans);
  ASSERT_EQ(2u, masters.macs.size());
  EXPECT_EQ((policy::MacAddress{0x02, 0, 0, 0, 0, 0x01}), masters.macs[0]);
  EXPECT_EQ((policy::MacAddress{0x02, 0xab, 0xcd, 0, 0, 0xff}), masters.macs[1]);
  EXPECT_EQ(3u, masters.at.line);
  EXPECT_EQ(3u, masters.at.column);
  const auto& ensemble = p.segments[1];
  ASSERT_EQ(2u, ensemble.cidrs.size());
  EXPECT_TRUE(ensemble.cidrs[0].address.v6);
  EXPECT_EQ(64, ensemble.cidrs[0].prefix);
  EXPECT_EQ(0x20, ensemble.cidrs[0].address.bytes[0]);
  EXPECT_EQ(0x01, ensemble.cidrs[0].address.bytes[7]);
  EXPECT_EQ(128, ensemble.cidrs[1].prefix) << "a bare IPv6 address is a /128";
  EXPECT_EQ(0x07, ensemble.cidrs[1].address.bytes[15]);
  EXPECT_TRUE(ensemble.vlans.empty());
  EXPECT_TRUE(ensemble.macs.empty());

  ASSERT_EQ(4u, p.services.size());
  EXPECT_EQ("zookeeper", p.services[0].name);
  EXPECT_EQ(6, p.services[0].ip_proto);
  ASSERT_EQ(1u, p.services[0].ports.size());
  EXPECT_EQ(2181, p.services[0].ports[0].first);
  EXPECT_EQ(2181, p.services[0].ports[0].last);
  EXPECT_EQ(ServiceApp::kZookeeper, p.services[0].app);
  EXPECT_EQ(TlsRequirement::kOptional, p.services[0].tls);
  EXPECT_EQ(ServiceApp::kMesos, p.services[1].app);
  EXPECT_EQ(TlsRequirement::kRequired, p.services[1].tls);
  const auto& tasks = p.services[2];
  EXPECT_EQ(0, tasks.ip_proto);
  ASSERT_EQ(2u, tasks.ports.size());
  EXPECT_EQ(31000, tasks.ports[0].first);
  EXPECT_EQ(32000, tasks.ports[0].last);
  EXPECT_EQ(8080, tasks.ports[1].first);
  EXPECT_EQ(8080, tasks.ports[1].last);
  EXPECT_EQ(ServiceApp::kAny, tasks.app);
  EXPECT_EQ(17, p.services[3].ip_proto);
  ASSERT_EQ(1u, p.services[3].ports.size()) << "one port may stand alone";
  EXPECT_EQ(53, p.services[3].ports[0].first);
  EXPECT_EQ(TlsRequirement::kForbidden, p.services[3].tls);

  ASSERT_EQ(3u, p.rules.size());
  const auto& zk = p.rules[0];
  EXPECT_EQ("masters-to-zookeeper", zk.name);
  EXPECT_EQ(1000u, zk.id);
  EXPECT_EQ(std::vector<std::string>{"masters"}, zk.from);
  EXPECT_EQ(std::vector<std::string>{"ensemble"}, zk.to) << "a single name is a list of one";
  EXPECT_EQ("zookeeper", zk.service);
  EXPECT_EQ(Action::kAllow, zk.action);
  EXPECT_EQ(Action::kReset, zk.violation);
  EXPECT_EQ(1, zk.severity);
  EXPECT_EQ("election", zk.category);
  EXPECT_EQ(14u, zk.at.line);
  EXPECT_EQ((std::vector<std::string>{"create", "getData", "setData"}), zk.zookeeper.ops);
  EXPECT_EQ(std::vector<std::string>{"/mesos/**"}, zk.zookeeper.paths);
  EXPECT_EQ((std::vector<std::string>{"/mesos/json.info_*", "/mesos/log_replicas/**"}), zk.zookeeper.write_paths);
  EXPECT_EQ((std::vector<std::string>{"ruok", "srvr"}), zk.zookeeper.four_letter_words);
  EXPECT_TRUE(zk.zookeeper.auth_required);
  EXPECT_FALSE(zk.mesos.any());

  const auto& api = p.rules[1];
  EXPECT_EQ(1'000'002u, api.id) << "no id: 1000000 + the 1-based position";
  EXPECT_EQ(std::vector<std::string>{"any"}, api.from);
  EXPECT_EQ((std::vector<std::string>{"masters", "ensemble"}), api.to);
  EXPECT_EQ(Action::kDrop, api.violation) << "the default violation";
  EXPECT_EQ(2, api.severity);
  EXPECT_EQ("segmentation", api.category);
  EXPECT_EQ(std::vector<std::string>{"mesos.internal.RegisterSlaveMessage"}, api.mesos.messages);
  EXPECT_EQ((std::vector<std::string>{"SUBSCRIBE", "ACCEPT"}), api.mesos.calls);
  EXPECT_EQ(std::vector<std::string>{"marathon"}, api.mesos.principals);
  EXPECT_EQ((std::vector<std::string>{"*", "prod"}), api.mesos.roles);
  EXPECT_EQ((std::vector<std::string>{"/master/state", "/api/v1/**"}), api.mesos.endpoints);
  EXPECT_FALSE(api.zookeeper.any());

  EXPECT_EQ(Action::kAlert, p.rules[2].action);
  EXPECT_EQ(1'000'003u, p.rules[2].id);
  EXPECT_EQ(Action::kDrop, p.default_action);
  EXPECT_EQ(1, p.default_severity);
  EXPECT_EQ(40u, p.default_at.line);
}

TEST(PolicyFile, DefaultsWhereTheFileIsSilent) {
  const Policy p = parse_policy("services:\n  web: {}\n", "policy.yaml");
  EXPECT_TRUE(p.segments.empty());
  EXPECT_TRUE(p.rules.empty());
  ASSERT_EQ(1u, p.services.size());
  EXPECT_EQ(6, p.services[0].ip_proto) << "tcp";
  EXPECT_TRUE(p.services[0].ports.empty()) << "any port";
  EXPECT_EQ(ServiceApp::kAny, p.services[0].app);
  EXPECT_EQ(TlsRequirement::kOptional, p.services[0].tls);
  EXPECT_EQ(Action::kAlert, p.default_action);
  EXPECT_EQ(2, p.default_severity);
  EXPECT_EQ(Action::kReset, parse_policy("default: reset\n", "policy.yaml").default_action);
  EXPECT_EQ(Action::kAllow, parse_policy("default: {action: allow}\n", "policy.yaml").default_action);
  EXPECT_TRUE(parse_policy("{}\n", "policy.yaml").rules.empty());
}

TEST(PolicyFile, AnAbsentListConstrainsNothingAndAnEmptyOneAllowsNothing) {
  const Policy p = parse_policy(with_rules(R"(
  - name: zk
    from: agents
    to: masters
    service: zookeeper
    action: allow
    zookeeper: {ops: [], paths: ["/mesos"]}
  - name: api
    from: agents
    to: masters
    service: mesos-master
    action: allow
    mesos: {calls: [], framework: {roles: []}}
)"),
                                "policy.yaml");
  const auto& zk = p.rules[0].zookeeper;
  ASSERT_TRUE(zk.ops.has_value());
  EXPECT_TRUE(zk.ops->empty());
  EXPECT_FALSE(zk.write_paths.has_value());
  EXPECT_FALSE(zk.four_letter_words.has_value());
  EXPECT_FALSE(zk.auth_required);
  const auto& m = p.rules[1].mesos;
  ASSERT_TRUE(m.calls.has_value());
  EXPECT_TRUE(m.calls->empty());
  ASSERT_TRUE(m.roles.has_value());
  EXPECT_TRUE(m.roles->empty());
  EXPECT_FALSE(m.principals.has_value());
  EXPECT_FALSE(m.messages.has_value());
  EXPECT_TRUE(m.any()) << "an empty list is a condition";
}

TEST(PolicyFile, UnknownKeysAreLocatedAndListTheValidOnes) {
  EXPECT_EQ("policy.yaml:1:1: segmnets: unknown key (expected one of: segments, services, rules, default)",
            error_of("segmnets: {}\n"));
  EXPECT_EQ("policy.yaml:2:28: segments.a.cirds: unknown key (expected one of: cidrs, vlans, macs)",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], cirds: []}\n"));
  EXPECT_EQ("policy.yaml:2:21: services.web.port: unknown key (expected one of: proto, ports, app, tls)",
            error_of("services:\n  web: {proto: tcp, port: 80}\n"));
  EXPECT_EQ("policy.yaml:3:35: rules[0].acton: unknown key (expected one of: name, id, from, to, service, action, "
            "violation, severity, category, zookeeper, mesos)",
            error_of("rules:\n  - {name: a, from: any, to: any,\n     service: any, action: allow, acton: drop}\n"));
  EXPECT_EQ("policy.yaml:2:3: default.severty: unknown key (expected one of: action, severity)",
            error_of("default:\n  severty: 1\n  action: drop\n"));
  EXPECT_EQ("policy.yaml:3:18: rules[0].zookeeper.op: unknown key (expected one of: ops, paths, write_paths, "
            "four_letter_words, auth)",
            error_of("rules:\n  - {name: a, from: any, to: any, service: any, action: allow,\n     zookeeper: {op: []}}\n"));
  EXPECT_EQ("policy.yaml:3:26: rules[0].mesos.framework.principal: unknown key (expected one of: principals, roles)",
            error_of("rules:\n  - {name: a, from: any, to: any, service: any, action: allow,\n"
                     "     mesos: {framework: {principal: [x]}}}\n"));
}

TEST(PolicyFile, AddressesAreCheckedWithAHintForHostBits) {
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: '192.0.2.1/24' has host bits set (did you mean 192.0.2.0/24?)",
            error_of("segments:\n  a: {cidrs: [192.0.2.1/24]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: '2001:db8::1/32' has host bits set (did you mean 2001:db8::/32?)",
            error_of("segments:\n  a: {cidrs: [\"2001:db8::1/32\"]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: the prefix length must be 0 to 32, got '192.0.2.0/33'",
            error_of("segments:\n  a: {cidrs: [192.0.2.0/33]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: the prefix length must be 0 to 128, got '2001:db8::/129'",
            error_of("segments:\n  a: {cidrs: [\"2001:db8::/129\"]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: the prefix length must be 0 to 32, got '192.0.2.0/'",
            error_of("segments:\n  a: {cidrs: [192.0.2.0/]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: not an IPv4 address, got '10.0.0.256'",
            error_of("segments:\n  a: {cidrs: [10.0.0.256]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: not an IPv6 address, got '2001:db8:::1'",
            error_of("segments:\n  a: {cidrs: [\"2001:db8:::1\"]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: expected an IPv4 or IPv6 address or CIDR such as 192.0.2.0/24 or "
            "2001:db8::/32, got 'db.example.com'",
            error_of("segments:\n  a: {cidrs: [db.example.com]}\n"));
  EXPECT_EQ("policy.yaml:2:15: segments.a.cidrs[0]: expected an IPv4 or IPv6 address or CIDR such as 192.0.2.0/24 or "
            "2001:db8::/32, got '10.0.0.0/8\\x00x'",
            error_of(std::string("segments:\n  a: {cidrs: [\"10.0.0.0/8\\0x\"]}\n")))
      << "a NUL inside the text is not where inet_pton stops reading";
  EXPECT_EQ("policy.yaml:2:14: segments.a.cidrs: at least one CIDR is required",
            error_of("segments:\n  a: {cidrs: []}\n"));
  EXPECT_EQ("policy.yaml:2:14: segments.a.cidrs: expected a list of CIDRs",
            error_of("segments:\n  a: {cidrs: 10.0.0.0/8}\n"));
  EXPECT_EQ("policy.yaml:2:6: segments.a.cidrs: required (a list of at least one CIDR, e.g. [192.0.2.0/24])",
            error_of("segments:\n  a: {vlans: [1]}\n"));
  const Policy p = parse_policy("segments:\n  all: {cidrs: [0.0.0.0/0, \"::/0\"]}\n", "policy.yaml");
  EXPECT_EQ(0, p.segments[0].cidrs[0].prefix);
  EXPECT_TRUE(p.segments[0].cidrs[1].address.v6);
  EXPECT_EQ(0, p.segments[0].cidrs[1].prefix);
}

TEST(PolicyFile, VlansAndMacsAreChecked) {
  EXPECT_EQ("policy.yaml:2:36: segments.a.vlans[0]: must be between 1 and 4094, got 4095",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], vlans: [4095]}\n"));
  EXPECT_EQ("policy.yaml:2:36: segments.a.vlans[0]: must be between 1 and 4094, got 0",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], vlans: [0]}\n"));
  EXPECT_EQ("policy.yaml:2:39: segments.a.vlans[1]: VLAN 7 is listed twice",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], vlans: [7, 7]}\n"));
  EXPECT_EQ("policy.yaml:2:35: segments.a.macs[0]: expected a MAC address such as \"02:00:00:00:00:01\", got "
            "'02:00:00:00:00'",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], macs: [\"02:00:00:00:00\"]}\n"));
  EXPECT_EQ("policy.yaml:2:35: segments.a.macs[0]: expected a MAC address such as \"02:00:00:00:00:01\", got "
            "'02-00-00-00-00-01'",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], macs: [\"02-00-00-00-00-01\"]}\n"));
  EXPECT_EQ("policy.yaml:2:35: segments.a.macs[0]: expected a MAC address such as \"02:00:00:00:00:01\", got "
            "'0g:00:00:00:00:01'",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], macs: [\"0g:00:00:00:00:01\"]}\n"));
  EXPECT_EQ("policy.yaml:2:56: segments.a.macs[1]: MAC address '02:00:00:00:00:0A' is listed twice",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8], macs: [\"02:00:00:00:00:0a\", \"02:00:00:00:00:0A\"]}\n"));
}

TEST(PolicyFile, NamesAreCheckedAndAnyIsReserved) {
  EXPECT_EQ("policy.yaml:2:3: segments.any: 'any' is built in (every address) and cannot be redefined",
            error_of("segments:\n  any: {cidrs: [10.0.0.0/8]}\n"));
  EXPECT_EQ("policy.yaml:2:3: services.any: 'any' is built in (every protocol and port) and cannot be redefined",
            error_of("services:\n  any: {}\n"));
  EXPECT_EQ("policy.yaml:2:3: segments.a b: a segment name is 1 to 128 of A-Z a-z 0-9 _ . -, got 'a b'",
            error_of("segments:\n  'a b': {cidrs: [10.0.0.0/8]}\n"));
  EXPECT_EQ("policy.yaml:2:3: services.web/1: a service name is 1 to 128 of A-Z a-z 0-9 _ . -, got 'web/1'",
            error_of("services:\n  web/1: {}\n"));
  EXPECT_EQ("policy.yaml:3:3: segments.a: duplicate segment (first defined at policy.yaml:2)",
            error_of("segments:\n  a: {cidrs: [10.0.0.0/8]}\n  a: {cidrs: [10.0.0.0/9]}\n"));
  EXPECT_EQ("policy.yaml:3:3: services.web: duplicate service (first defined at policy.yaml:2)",
            error_of("services:\n  web: {}\n  web: {ports: [80]}\n"));
  EXPECT_EQ("policy.yaml:2:3: segments: expected a name as the key", error_of("segments:\n  [a, b]: {cidrs: [10.0.0.0/8]}\n"));
  EXPECT_EQ("policy.yaml:1:11: segments: expected a mapping of segment name: definition", error_of("segments: [a]\n"));
  EXPECT_EQ("policy.yaml:3:5: rules[0].name: duplicate key",
            error_of("rules:\n  - name: a\n    name: b\n    from: any\n    to: any\n    service: any\n    action: drop\n"));
}

TEST(PolicyFile, PortsAndServiceSettingsAreChecked) {
  EXPECT_EQ("policy.yaml:2:17: services.web.ports[0]: the range '9000-8000' ends before it starts (did you mean "
            "\"8000-9000\"?)",
            error_of("services:\n  web: {ports: [\"9000-8000\"]}\n"));
  for (const char* bad : {"0", "65536", "80-", "-80", "http", "1-2-3", "0-10", "80 - 90", "+80"}) {
    EXPECT_EQ(std::string("policy.yaml:2:17: services.web.ports[0]: expected a port (1 to 65535) or a range \"A-B\", got '") +
                  bad + "'",
              error_of(std::string("services:\n  web: {ports: [\"") + bad + "\"]}\n"))
        << bad;
  }
  EXPECT_EQ("policy.yaml:2:17: services.web.ports[0]: expected a port (1 to 65535) or a range \"A-B\", got ''",
            error_of("services:\n  web: {ports: [[80]]}\n"));
  const Policy p = parse_policy("services:\n  all: {ports: [\"1-65535\"]}\n  none: {ports: []}\n", "policy.yaml");
  EXPECT_EQ(1, p.services[0].ports[0].first);
  EXPECT_EQ(65535, p.services[0].ports[0].last);
  EXPECT_TRUE(p.services[1].ports.empty()) << "an empty list is any port";
  EXPECT_EQ("policy.yaml:2:16: services.web.proto: expected tcp, udp or any, got 'sctp'",
            error_of("services:\n  web: {proto: sctp}\n"));
  EXPECT_EQ("policy.yaml:2:14: services.web.app: expected any, mesos, zookeeper, tls or http, got 'ssh'",
            error_of("services:\n  web: {app: ssh}\n"));
  EXPECT_EQ("policy.yaml:2:14: services.web.tls: expected required, optional or forbidden, got 'yes'",
            error_of("services:\n  web: {tls: yes}\n"));
  EXPECT_EQ("policy.yaml:2:26: services.dns.app: app: zookeeper runs over TCP, but proto is udp",
            error_of("services:\n  dns: {proto: udp, app: zookeeper}\n"));
  EXPECT_EQ("policy.yaml:2:24: services.web.tls: app: tls contradicts tls: forbidden",
            error_of("services:\n  web: {app: tls, tls: forbidden}\n"));
}

TEST(PolicyFile, RulesNameOnlyWhatIsDefined) {
  EXPECT_EQ("policy.yaml:8:21: rules[0].from: unknown segment 'mastres' (defined: masters, agents; or any)",
            error_of(with_rules("  - {name: r, from: mastres, to: agents, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:31: rules[0].from[1]: unknown segment 'agnts' (defined: masters, agents; or any)",
            error_of(with_rules("  - {name: r, from: [masters, agnts], to: agents, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:34: rules[0].to: unknown segment 'zk' (defined: masters, agents; or any)",
            error_of(with_rules("  - {name: r, from: masters, to: zk, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:2:21: rules[0].from: unknown segment 'a' (no segments are defined; only any)",
            error_of("rules:\n  - {name: r, from: a, to: any, service: any, action: drop}\n"));
  EXPECT_EQ("policy.yaml:8:44: rules[0].service: unknown service 'zk' (defined: zookeeper, mesos-master; or any)",
            error_of(with_rules("  - {name: r, from: any, to: any, service: zk, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:5: rules[0].from: required (a segment name, a list of them, or any)",
            error_of(with_rules("  - {name: r, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:5: rules[0].to: required (a segment name, a list of them, or any)",
            error_of(with_rules("  - {name: r, from: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:5: rules[0].service: required (a service name or any)",
            error_of(with_rules("  - {name: r, from: any, to: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:5: rules[0].name: required",
            error_of(with_rules("  - {from: any, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:21: rules[0].from: at least one segment is required (or any)",
            error_of(with_rules("  - {name: r, from: [], to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:5: rules[0]: expected a mapping of keys", error_of(with_rules("  - allow everything\n")));
  EXPECT_EQ("policy.yaml:2:3: rules: expected a list of rules", error_of("rules:\n  a: {}\n"));
}

TEST(PolicyFile, RuleValuesAreChecked) {
  EXPECT_EQ("policy.yaml:8:57: rules[0].action: expected allow, alert, drop or reset, got 'permit'",
            error_of(with_rules("  - {name: r, from: any, to: any, service: any, action: permit}\n")));
  EXPECT_EQ("policy.yaml:8:5: rules[0].action: required (allow, alert, drop or reset)",
            error_of(with_rules("  - {name: r, from: any, to: any, service: any}\n")));
  EXPECT_EQ("policy.yaml:8:75: rules[0].violation: a violation cannot be allowed: expected alert, drop or reset",
            error_of(with_rules("  - {name: r, from: any, to: any, service: any, action: allow, violation: allow}\n")));
  EXPECT_EQ("policy.yaml:8:75: rules[0].violation: expected alert, drop or reset, got 'maybe'",
            error_of(with_rules("  - {name: r, from: any, to: any, service: any, action: allow, violation: maybe}\n")));
  EXPECT_EQ("policy.yaml:8:73: rules[0].severity: must be between 1 and 3, got 4",
            error_of(with_rules("  - {name: r, from: any, to: any, service: any, action: drop, severity: 4}\n")));
  EXPECT_EQ("policy.yaml:8:73: rules[0].category: must not be empty",
            error_of(with_rules("  - {name: r, from: any, to: any, service: any, action: drop, category: \"\"}\n")));
  EXPECT_EQ("policy.yaml:8:12: rules[0].name: control characters are not allowed, got 'a\\nb'",
            error_of(with_rules("  - {name: \"a\\nb\", from: any, to: any, service: any, action: drop}\n")));
  EXPECT_EQ("policy.yaml:8:12: rules[0].name: expected a string",
            error_of(with_rules("  - {name: [a], from: any, to: any, service: any, action: drop}\n")));
  EXPECT_EQ("policy.yaml:1:1: a\\nb: unknown key (expected one of: segments, services, rules, default)",
            error_of("\"a\\nb\": 1\n"))
      << "a message stays on one line";
  EXPECT_EQ("policy.yaml:2:3: default: expected allow, alert, drop or reset, got 'deny'", error_of("default:\n  deny\n"));
  EXPECT_EQ("policy.yaml:1:10: default: expected an action (allow, alert, drop or reset) or {action, severity}",
            error_of("default: [drop]\n"));
  EXPECT_EQ("policy.yaml:1:10: default.action: required (allow, alert, drop or reset)", error_of("default: {severity: 1}\n"));
}

TEST(PolicyFile, NamesAndIdsAreUnique) {
  EXPECT_EQ("policy.yaml:9:12: rules[1].name: duplicate rule name 'r' (also rules[0] at policy.yaml:8)",
            error_of(with_rules("  - {name: r, from: masters, to: any, service: any, action: allow}\n"
                                "  - {name: r, from: agents, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:9:19: rules[1].id: duplicate id 5: rule 'a' (policy.yaml:8) has it",
            error_of(with_rules("  - {name: a, id: 5, from: masters, to: any, service: any, action: allow}\n"
                                "  - {name: b, id: 5, from: agents, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:9:19: rules[1].id: duplicate id 1000001: rule 'a' (policy.yaml:8) has it by default",
            error_of(with_rules("  - {name: a, from: masters, to: any, service: any, action: allow}\n"
                                "  - {name: b, id: 1000001, from: agents, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:9:5: rules[1].id: duplicate id 1000002 (the default id of the rule at position 2): rule 'a' "
            "(policy.yaml:8) has it",
            error_of(with_rules("  - {name: a, id: 1000002, from: masters, to: any, service: any, action: allow}\n"
                                "  - {name: b, from: agents, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:19: rules[0].id: must be between 1 and 2147483647, got 0",
            error_of(with_rules("  - {name: a, id: 0, from: masters, to: any, service: any, action: allow}\n")));
  EXPECT_EQ("policy.yaml:8:19: rules[0].id: must be between 1 and 2147483647, got 2147483648",
            error_of(with_rules("  - {name: a, id: 2147483648, from: masters, to: any, service: any, action: allow}\n")));
  const Policy p = parse_policy(with_rules("  - {name: a, id: 2147483647, from: masters, to: any, service: any, action: allow}\n"),
                                "policy.yaml");
  EXPECT_EQ(2147483647u, p.rules[0].id);
}

// One allow rule from agents to masters on `service`, with `l7` as its last line(s).
std::string l7_rule(const std::string& service, const std::string& l7, const std::string& action = "allow") {
  return with_rules("  - name: r\n    from: agents\n    to: masters\n    service: " + service + "\n    action: " + action +
                    "\n" + l7);
}

TEST(PolicyFile, L7ConditionsMustFitTheServiceAndTheAction) {
  EXPECT_EQ("policy.yaml:13:16: rules[0].zookeeper: cannot apply: service 'mesos-master' (policy.yaml:6) has app: mesos "
            "(these conditions need zookeeper or any)",
            error_of(l7_rule("mesos-master", "    zookeeper: {ops: [create]}\n")));
  EXPECT_EQ("policy.yaml:13:12: rules[0].mesos: cannot apply: service 'zookeeper' (policy.yaml:5) has app: zookeeper "
            "(these conditions need mesos, http or any)",
            error_of(l7_rule("zookeeper", "    mesos: {calls: [SUBSCRIBE]}\n")));
  EXPECT_EQ("policy.yaml:13:16: rules[0].zookeeper: L7 conditions apply to allow rules only (this rule's action drops or "
            "alerts on every flow)",
            error_of(l7_rule("zookeeper", "    zookeeper: {ops: [create]}\n", "drop")));
  EXPECT_EQ("policy.yaml:13:12: rules[0].mesos: L7 conditions apply to allow rules only (this rule's action drops or "
            "alerts on every flow)",
            error_of(l7_rule("any", "    mesos: {calls: [SUBSCRIBE]}\n", "alert")));
  // Service any (app any) takes both kinds; app http takes the Mesos ones.
  const Policy p = parse_policy(l7_rule("any", "    zookeeper: {auth: required}\n    mesos: {endpoints: [\"/**\"]}\n"),
                                "policy.yaml");
  EXPECT_TRUE(p.rules[0].zookeeper.auth_required);
  EXPECT_EQ(std::vector<std::string>{"/**"}, p.rules[0].mesos.endpoints);
  EXPECT_EQ("", error_of("services:\n  web: {ports: [80], app: http}\nrules:\n"
                         "  - {name: r, from: any, to: any, service: web, action: allow, mesos: {endpoints: [\"/\"]}}\n"));
  EXPECT_EQ("policy.yaml:4:71: rules[0].mesos: cannot apply: service 'web' (policy.yaml:2) has app: tls (these conditions "
            "need mesos, http or any)",
            error_of("services:\n  web: {ports: [443], app: tls}\nrules:\n"
                     "  - {name: r, from: any, to: any, service: web, action: allow, mesos: {endpoints: [\"/\"]}}\n"));
}

TEST(PolicyFile, ZookeeperOperationsAreNamesTheDecoderGives) {
  const std::string ops_error = error_of(l7_rule("zookeeper", "    zookeeper: {ops: [create, mkdir]}\n"));
  EXPECT_TRUE(ops_error.starts_with("policy.yaml:13:31: rules[0].zookeeper.ops[1]: unknown ZooKeeper operation 'mkdir' "
                                    "(known: create, delete, exists, getData, setData, getACL, setACL, getChildren,"))
      << ops_error;
  EXPECT_NE(std::string::npos, ops_error.find("whoAmI, notification, error, createSession, closeSession)")) << ops_error;
  const Policy p = parse_policy(
      l7_rule("zookeeper", "    zookeeper: {ops: [createTTL, multiRead, whoAmI, sasl], four_letter_words: [mntr, isro]}\n"),
      "policy.yaml");
  EXPECT_EQ((std::vector<std::string>{"createTTL", "multiRead", "whoAmI", "sasl"}), p.rules[0].zookeeper.ops);
  EXPECT_EQ((std::vector<std::string>{"mntr", "isro"}), p.rules[0].zookeeper.four_letter_words);
}

TEST(PolicyFile, L7ConditionValuesAreChecked) {
  struct Case {
    const char* service;
    const char* l7;
    const char* error;
  };
  const Case cases[] = {
      {"zookeeper", "    zookeeper: {four_letter_words: [ruok, rook]}\n",
       "policy.yaml:13:43: rules[0].zookeeper.four_letter_words[1]: not a ZooKeeper four-letter word: 'rook' (e.g. "
       "ruok, srvr, stat, mntr, conf)"},
      {"zookeeper", "    zookeeper: {four_letter_words: [stats]}\n",
       "policy.yaml:13:37: rules[0].zookeeper.four_letter_words[0]: not a ZooKeeper four-letter word: 'stats' (e.g. "
       "ruok, srvr, stat, mntr, conf)"},
      {"zookeeper", "    zookeeper: {auth: optional}\n",
       "policy.yaml:13:23: rules[0].zookeeper.auth: expected required, got 'optional'"},
      {"zookeeper", "    zookeeper: {ops: create}\n",
       "policy.yaml:13:22: rules[0].zookeeper.ops: expected a list of ZooKeeper operations"},
      {"mesos-master", "    mesos: {calls: [subscribe]}\n",
       "policy.yaml:13:21: rules[0].mesos.calls[0]: expected a v1 call type in capitals such as SUBSCRIBE or GET_STATE, "
       "got 'subscribe'"},
      {"mesos-master", "    mesos: {messages: [\"mesos internal\"]}\n",
       "policy.yaml:13:24: rules[0].mesos.messages[0]: expected a message type name such as "
       "mesos.internal.RegisterSlaveMessage, got 'mesos internal'"},
      {"mesos-master", "    mesos: {calls: SUBSCRIBE}\n",
       "policy.yaml:13:20: rules[0].mesos.calls: expected a list of call types"},
      {"mesos-master", "    mesos: {endpoints: [\"/api/v1/**\", \"master/state\"]}\n",
       "policy.yaml:13:39: rules[0].mesos.endpoints[1]: a glob starts with '/', got 'master/state'"},
      {"mesos-master", "    mesos: {framework: {principals: [\"\"]}}\n",
       "policy.yaml:13:38: rules[0].mesos.framework.principals[0]: must not be empty"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.error, error_of(l7_rule(c.service, c.l7))) << c.l7;
}

TEST(PolicyFile, GlobsAreChecked) {
  const auto glob_error = [](const std::string& glob) {
    return error_of(l7_rule("zookeeper", "    zookeeper: {paths: [\"" + glob + "\"]}\n"));
  };
  EXPECT_EQ("policy.yaml:13:25: rules[0].zookeeper.paths[0]: a glob starts with '/', got 'mesos/**'", glob_error("mesos/**"));
  EXPECT_EQ("policy.yaml:13:25: rules[0].zookeeper.paths[0]: must not be empty", glob_error(""));
  for (const char* bad : {"/a**", "/**a", "/a/**b/c", "/a/b**", "/a/x**/b"}) {
    EXPECT_EQ(std::string("policy.yaml:13:25: rules[0].zookeeper.paths[0]: '") + bad +
                  "': '**' must be a whole path segment (as in /a/** or /a/**/b)",
              glob_error(bad))
        << bad;
  }
  EXPECT_EQ("policy.yaml:13:25: rules[0].zookeeper.paths[0]: '/a/***': '***' means nothing; '**' matches any depth",
            glob_error("/a/***"));
  for (const char* good : {"/", "/**", "/a/**", "/a/**/b", "/a/*/b?", "/mesos/json.info_*", "/**/x", "/a/[b]"}) {
    EXPECT_EQ("", glob_error(good)) << good;
  }
  EXPECT_EQ("policy.yaml:13:31: rules[0].zookeeper.write_paths[0]: a glob starts with '/', got '*'",
            error_of(l7_rule("zookeeper", "    zookeeper: {write_paths: [\"*\"]}\n")));
}

// Segments and services for the unreachable-rule check; rules start at line 22.
const char* const kCoverageDefinitions = R"(segments:
  wide: {cidrs: [192.0.2.0/24]}
  narrow: {cidrs: [192.0.2.64/26]}
  low: {cidrs: [192.0.2.0/25]}
  high: {cidrs: [192.0.2.128/25]}
  split: {cidrs: [192.0.2.0/26, 192.0.2.128/26]}
  tagged: {cidrs: [192.0.2.0/24], vlans: [10, 20]}
  tagged10: {cidrs: [192.0.2.64/26], vlans: [10]}
  tagged30: {cidrs: [192.0.2.64/26], vlans: [30]}
  mac: {cidrs: [192.0.2.0/24], macs: ["02:00:00:00:00:01"]}
  v4all: {cidrs: [0.0.0.0/0]}
  everything: {cidrs: [0.0.0.0/0, "::/0"]}
services:
  zk: {ports: [2181]}
  zk-udp: {proto: udp, ports: [2181]}
  zk-any: {proto: any, ports: [2181]}
  band: {ports: ["2000-3000"]}
  halves: {ports: ["2000-2499", "2500-3000"]}
  tcp-all: {}
  all: {proto: any}
rules:
)";

// Whether rule `later` is refused as unreachable behind rule `earlier`
// (each "from: ..., to: ..., service: ...").
bool unreachable_behind(const std::string& earlier, const std::string& later) {
  const std::string e = error_of(std::string(kCoverageDefinitions) + "  - {name: first, " + earlier +
                                 ", action: drop}\n  - {name: second, " + later + ", action: allow}\n");
  if (e.empty()) return false;
  EXPECT_EQ("policy.yaml:23:5: rules[1]: rule 'second' can never match: rule 'first' (policy.yaml:22) matches every "
            "flow it does",
            e);
  return true;
}

TEST(PolicyFile, ARuleAnEarlierRuleShadowsIsRefused) {
  EXPECT_TRUE(unreachable_behind("from: any, to: any, service: any", "from: narrow, to: wide, service: zk"));
  EXPECT_TRUE(unreachable_behind("from: wide, to: any, service: zk", "from: narrow, to: any, service: zk"));
  EXPECT_FALSE(unreachable_behind("from: narrow, to: any, service: zk", "from: wide, to: any, service: zk"));
  EXPECT_FALSE(unreachable_behind("from: low, to: any, service: zk", "from: wide, to: any, service: zk"))
      << "only half of it";
  EXPECT_TRUE(unreachable_behind("from: [low, high], to: any, service: zk", "from: split, to: any, service: zk"))
      << "each CIDR held by one of the earlier rule's segments";
  EXPECT_TRUE(unreachable_behind("from: any, to: wide, service: zk", "from: any, to: [narrow, split], service: zk"));
  EXPECT_FALSE(unreachable_behind("from: any, to: narrow, service: zk", "from: any, to: wide, service: zk"));
  EXPECT_FALSE(unreachable_behind("from: narrow, to: any, service: any", "from: any, to: narrow, service: any"))
      << "the sides are not interchangeable";
}

TEST(PolicyFile, VlanAndMacConstraintsCountInTheShadowCheck) {
  EXPECT_FALSE(unreachable_behind("from: tagged, to: any, service: zk", "from: narrow, to: any, service: zk"))
      << "the later rule also takes untagged and other VLANs";
  EXPECT_TRUE(unreachable_behind("from: wide, to: any, service: zk", "from: tagged10, to: any, service: zk"));
  EXPECT_TRUE(unreachable_behind("from: tagged, to: any, service: zk", "from: tagged10, to: any, service: zk"));
  EXPECT_FALSE(unreachable_behind("from: tagged, to: any, service: zk", "from: tagged30, to: any, service: zk"));
  EXPECT_FALSE(unreachable_behind("from: any, to: mac, service: zk", "from: any, to: narrow, service: zk"));
  EXPECT_TRUE(unreachable_behind("from: any, to: wide, service: zk", "from: any, to: mac, service: zk"));
}

TEST(PolicyFile, ProtocolsAndPortsCountInTheShadowCheck) {
  const std::string sides = "from: any, to: any, service: ";
  EXPECT_FALSE(unreachable_behind(sides + "zk", sides + "zk-udp"));
  EXPECT_TRUE(unreachable_behind(sides + "zk-any", sides + "zk-udp"));
  EXPECT_TRUE(unreachable_behind(sides + "zk-any", sides + "zk"));
  EXPECT_FALSE(unreachable_behind(sides + "zk", sides + "zk-any"));
  EXPECT_TRUE(unreachable_behind(sides + "band", sides + "zk"));
  EXPECT_FALSE(unreachable_behind(sides + "zk", sides + "band"));
  EXPECT_TRUE(unreachable_behind(sides + "halves", sides + "band")) << "adjacent ranges together";
  EXPECT_TRUE(unreachable_behind(sides + "tcp-all", sides + "zk"));
  EXPECT_FALSE(unreachable_behind(sides + "tcp-all", sides + "zk-udp"));
  EXPECT_TRUE(unreachable_behind(sides + "all", sides + "any"));
  EXPECT_FALSE(unreachable_behind(sides + "tcp-all", sides + "any"));
  EXPECT_FALSE(unreachable_behind(sides + "zk", sides + "any"));
}

TEST(PolicyFile, AddressFamiliesCountInTheShadowCheck) {
  EXPECT_FALSE(unreachable_behind("from: v4all, to: any, service: any", "from: any, to: any, service: any"))
      << "any holds IPv6 addresses too";
  EXPECT_TRUE(unreachable_behind("from: everything, to: any, service: any", "from: any, to: any, service: any"));
  EXPECT_TRUE(unreachable_behind("from: v4all, to: any, service: any", "from: wide, to: any, service: any"));
}

TEST(PolicyFile, TheShadowCheckClaimsOnlyWhatIsCertain) {
  // Two earlier rules that together hold every flow of the third: not
  // reported (one rule's segments must hold each CIDR).
  EXPECT_EQ("", error_of(std::string(kCoverageDefinitions) +
                         "  - {name: a, from: low, to: any, service: zk, action: drop}\n"
                         "  - {name: b, from: high, to: any, service: zk, action: drop}\n"
                         "  - {name: c, from: wide, to: any, service: zk, action: allow}\n"));
  // An earlier rule with L7 conditions still takes every flow it matches.
  EXPECT_TRUE(error_of(std::string(kCoverageDefinitions) +
                       "  - {name: a, from: any, to: any, service: zk, action: allow, zookeeper: {ops: [getData]}}\n"
                       "  - {name: b, from: wide, to: wide, service: zk, action: drop}\n")
                  .ends_with("rule 'b' can never match: rule 'a' (policy.yaml:22) matches every flow it does"));
  // Whatever the earlier rule's action.
  EXPECT_TRUE(unreachable_behind("from: any, to: any, service: any", "from: any, to: any, service: any"));
}

TEST(PolicyFile, DocumentsThatAreNotAMappingAreRefused) {
  const std::string expected =
      "policy.yaml:1:1: a policy file is a mapping with the keys segments, services, rules and default";
  EXPECT_EQ(expected, error_of(""));
  EXPECT_EQ(expected, error_of("# nothing but a comment\n"));
  EXPECT_EQ(expected, error_of("- a\n- b\n"));
  EXPECT_EQ(expected, error_of("just some text\n"));
  const std::string syntax = error_of("segments:\n  a: {cidrs: [10.0.0.0/8}\n");
  EXPECT_TRUE(syntax.starts_with("policy.yaml:2:")) << syntax;
  EXPECT_NE(std::string::npos, syntax.find("YAML syntax error")) << syntax;
  EXPECT_EQ(std::string::npos, syntax.find('\n')) << "one line";
  // yaml-cpp ends some messages with the character it stumbled on.
  const std::string odd = error_of(std::string("defauldr\v\0\n", 11));
  EXPECT_TRUE(odd.starts_with("policy.yaml:")) << odd;
  EXPECT_EQ(std::string::npos, odd.find('\n')) << odd;
  const std::string tabs = error_of("segments:\n\ta: {}\n");
  EXPECT_TRUE(tabs.starts_with("policy.yaml:2:")) << tabs;
}

TEST(PolicyFile, AbsurdSizesAreRefused) {
  std::string rules = "rules:\n";
  for (std::size_t i = 0; i <= kMaxPolicyRules; ++i) {
    rules += "  - {name: r" + std::to_string(i) + ", from: any, to: any, service: any, action: drop}\n";
  }
  EXPECT_EQ("policy.yaml:2:3: rules: at most 8192 rules, got 8193", error_of(rules));

  EXPECT_EQ("policy.yaml: the policy file is larger than 16 MiB", error_of(std::string(kMaxPolicyBytes + 1, '#')));

  // An alias lets every rule name one long list: the entries are counted
  // where they are used.
  std::string services = "services:\n", aliased = "rules:\n";
  for (int i = 0; i < 600; ++i) {
    services += "  s" + std::to_string(i) + ": {ports: [" + std::to_string(i + 1) + "]}\n";
    aliased += "  - {name: r" + std::to_string(i) + ", from: any, to: any, service: s" + std::to_string(i) +
               ", action: allow, mesos: {framework: {roles: ";
    if (i == 0) {
      aliased += "&roles [";
      for (int j = 0; j < 2000; ++j) aliased += std::string(j == 0 ? "" : ", ") + "r";
      aliased += "]";
    } else {
      aliased += "*roles";
    }
    aliased += "}}}\n";
  }
  const std::string e = error_of(services + aliased);
  EXPECT_NE(std::string::npos, e.find(": rules[523].mesos.framework.roles: the policy is too large (more than 1048576 "
                                      "list entries in all)"))
      << e;
}

TEST(PolicyFile, TheLargestPolicyIsAccepted) {
  std::string text = "services:\n";
  for (std::size_t i = 0; i < kMaxPolicyRules; ++i) {
    text += "  s" + std::to_string(i) + ": {ports: [" + std::to_string(i + 1) + "]}\n";
  }
  text += "rules:\n";
  for (std::size_t i = 0; i < kMaxPolicyRules; ++i) {
    text += "  - {name: r" + std::to_string(i) + ", from: any, to: any, service: s" + std::to_string(i) +
            ", action: allow}\n";
  }
  const Policy p = parse_policy(text, "policy.yaml");
  EXPECT_EQ(kMaxPolicyRules, p.rules.size());
  EXPECT_EQ(1'000'000u + kMaxPolicyRules, p.rules.back().id);
}

TEST(PolicyFile, LoadsAFileAndNamesItInMessages) {
  EXPECT_EQ("/nonexistent/policy.yaml: cannot open policy file",
            [] {
              try {
                load_policy_file("/nonexistent/policy.yaml");
              } catch (const ConfigError& e) {
                return std::string(e.what());
              }
              return std::string("loaded");
            }());
}

TEST(PolicyFile, TheExampleMesosClusterPolicyIsValid) {
  const Policy p = load_policy_file(SEGWARD_SOURCE_DIR "/mgmt/policies/mesos-cluster.yaml");
  EXPECT_EQ(SEGWARD_SOURCE_DIR "/mgmt/policies/mesos-cluster.yaml", p.source);
  std::vector<std::string> segments;
  for (const auto& s : p.segments) segments.push_back(s.name);
  for (const char* name : {"masters", "agents", "zookeeper", "admin"}) {
    EXPECT_NE(segments.end(), std::find(segments.begin(), segments.end(), name)) << name;
  }
  EXPECT_GE(p.rules.size(), 8u);
  bool election_guarded = false, principals_listed = false;
  for (const auto& r : p.rules) {
    if (r.zookeeper.write_paths && r.action == Action::kAllow) election_guarded = true;
    if (r.mesos.principals) principals_listed = true;
  }
  EXPECT_TRUE(election_guarded) << "some rule limits who writes under /mesos";
  EXPECT_TRUE(principals_listed) << "some rule names the framework principals";
  EXPECT_NE(Action::kAllow, p.default_action) << "an allowlist: what no rule allows is not allowed";
}

}  // namespace
}  // namespace segward::mgmt
