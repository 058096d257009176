// policy diff: what adopting one policy instead of another would change.
#include "mgmt/learn/policy_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "mgmt/policy_file.h"

namespace segward::learn {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kRunning = R"(
segments:
  masters: { cidrs: [192.0.2.10/32, 192.0.2.11/32] }
  agents: { cidrs: [192.0.2.64/26] }
  zk: { cidrs: [192.0.2.5/32] }
services:
  zookeeper: { proto: tcp, ports: [2181, 2182], app: zookeeper }
  mesos: { proto: tcp, ports: [5050], app: mesos }
rules:
  - name: masters-to-zk
    from: [masters]
    to: [zk]
    service: zookeeper
    action: allow
    zookeeper: { ops: [create, getData], write_paths: ["/mesos/json.info_*"] }
  - name: agents-to-zk
    from: [agents]
    to: [zk]
    service: zookeeper
    action: allow
    zookeeper: { ops: [getData] }
  - name: agents-to-masters
    from: [agents]
    to: [masters]
    service: mesos
    action: allow
default: alert
)";

policy::Policy parse(const std::string& text, const char* name) { return mgmt::parse_policy(text, name); }

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(std::string::npos, at) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(PolicyDiff, TheSamePolicyWrittenDifferentlyHasNoDifference) {
  // Reordered CIDRs, ports as a range, a reordered list: the same meaning.
  std::string other = replace(kRunning, "[192.0.2.10/32, 192.0.2.11/32]", "[192.0.2.11/32, 192.0.2.10/32]");
  other = replace(other, "ports: [2181, 2182]", "ports: [\"2181-2182\"]");
  other = replace(other, "ops: [create, getData]", "ops: [getData, create, getData]");
  const auto a = parse(other, "proposed.yaml");
  const auto b = parse(kRunning, "running.yaml");
  const auto changes = diff_policies(a, b);
  EXPECT_TRUE(changes.empty());
  EXPECT_EQ("proposed.yaml and running.yaml are the same policy (3 segments, 2 services, 3 rules, default alert)\n",
            format_policy_diff(changes, a, b));
}

TEST(PolicyDiff, NamesWhatChangedInSegmentsServicesAndRules) {
  std::string proposed = replace(kRunning, "[192.0.2.10/32, 192.0.2.11/32]", "[192.0.2.10/32, 192.0.2.12/32]");
  proposed = replace(proposed, "ports: [2181, 2182]", "ports: [2181]");
  proposed = replace(proposed, "zookeeper: { ops: [getData] }", "zookeeper: { ops: [getData], write_paths: [] }");
  proposed = replace(proposed, "    service: mesos\n    action: allow\n", "    service: mesos\n    action: alert\n");
  proposed = replace(proposed, "default: alert", "default: drop");
  const auto changes = diff_policies(parse(proposed, "p.yaml"), parse(kRunning, "r.yaml"));
  ASSERT_EQ(5u, changes.size());
  EXPECT_EQ("segment", changes[0].section);
  EXPECT_EQ("masters", changes[0].name);
  EXPECT_EQ(PolicyChange::Kind::kChanged, changes[0].kind);
  EXPECT_THAT(changes[0].details, ElementsAre("cidrs: + 192.0.2.12/32, - 192.0.2.11/32"));
  EXPECT_EQ("zookeeper", changes[1].name);
  EXPECT_THAT(changes[1].details, ElementsAre("ports: [2181-2182] -> [2181]"));
  EXPECT_EQ("agents-to-zk", changes[2].name);
  EXPECT_THAT(changes[2].details,
              ElementsAre("zookeeper.write_paths: any (not constrained) -> [] (nothing allowed)"));
  EXPECT_EQ("agents-to-masters", changes[3].name);
  EXPECT_THAT(changes[3].details, ElementsAre("action: allow -> alert"));
  EXPECT_EQ("default", changes[4].section);
  EXPECT_THAT(changes[4].details, ElementsAre("action: alert -> drop"));
}

TEST(PolicyDiff, AddedRemovedAndReorderedRules) {
  std::string proposed = R"(
segments:
  masters: { cidrs: [192.0.2.10/32, 192.0.2.11/32] }
  agents: { cidrs: [192.0.2.64/26] }
  zk: { cidrs: [192.0.2.5/32] }
  admin: { cidrs: [203.0.113.0/28] }
services:
  zookeeper: { proto: tcp, ports: [2181, 2182], app: zookeeper }
  mesos: { proto: tcp, ports: [5050], app: mesos }
rules:
  - name: agents-to-zk
    from: [agents]
    to: [zk]
    service: zookeeper
    action: allow
    zookeeper: { ops: [getData] }
  - name: masters-to-zk
    from: [masters]
    to: [zk]
    service: zookeeper
    action: allow
    zookeeper: { ops: [create, getData, setData], write_paths: ["/mesos/json.info_*"] }
  - name: admin-to-masters
    from: [admin]
    to: [masters]
    service: mesos
    action: allow
    mesos: { endpoints: ["/master/state"] }
default: alert
)";
  const auto changes = diff_policies(parse(proposed, "p.yaml"), parse(kRunning, "r.yaml"));
  ASSERT_EQ(5u, changes.size());
  EXPECT_EQ("admin", changes[0].name);
  EXPECT_EQ(PolicyChange::Kind::kAdded, changes[0].kind);
  EXPECT_THAT(changes[0].details, ElementsAre("cidrs [203.0.113.0/28]"));
  EXPECT_EQ("agents-to-zk", changes[1].name);
  EXPECT_THAT(changes[1].details, ElementsAre("order: 2nd -> 1st of the rules both have"));
  EXPECT_EQ("masters-to-zk", changes[2].name);
  EXPECT_THAT(changes[2].details, ElementsAre("order: 1st -> 2nd of the rules both have", "zookeeper.ops: + setData"));
  EXPECT_EQ("admin-to-masters", changes[3].name);
  EXPECT_EQ(PolicyChange::Kind::kAdded, changes[3].kind);
  EXPECT_THAT(changes[3].details,
              ElementsAre("from [admin] to [masters], service mesos, allow with L7 conditions (3rd rule)"));
  EXPECT_EQ("agents-to-masters", changes[4].name);
  EXPECT_EQ(PolicyChange::Kind::kRemoved, changes[4].kind);

  const std::string text = format_policy_diff(changes, parse(proposed, "p.yaml"), parse(kRunning, "r.yaml"));
  EXPECT_THAT(text, HasSubstr("p.yaml against r.yaml: 5 differences (1 segment, 4 rules)\n"));
  EXPECT_THAT(text, HasSubstr("+ segment admin: added\n    cidrs [203.0.113.0/28]\n"));
  EXPECT_THAT(text, HasSubstr("~ rule masters-to-zk: changed\n    order: 1st -> 2nd of the rules both have\n"
                              "    zookeeper.ops: + setData\n"));
  EXPECT_THAT(text, HasSubstr("- rule agents-to-masters: removed\n"));
}

TEST(PolicyDiff, ServiceAndL7ListDetails) {
  std::string proposed = replace(kRunning, "app: zookeeper }", "app: any, tls: required }");
  proposed = replace(proposed, "zookeeper: { ops: [getData] }", "zookeeper: { four_letter_words: [ruok] }");
  const auto changes = diff_policies(parse(proposed, "p.yaml"), parse(kRunning, "r.yaml"));
  ASSERT_EQ(2u, changes.size());
  EXPECT_THAT(changes[0].details, ElementsAre("app: zookeeper -> any", "tls: optional -> required"));
  EXPECT_THAT(changes[1].details, ElementsAre("zookeeper.ops: [getData] -> any (not constrained)",
                                              "zookeeper.four_letter_words: any (not constrained) -> [ruok]"));
}

}  // namespace
}  // namespace segward::learn
