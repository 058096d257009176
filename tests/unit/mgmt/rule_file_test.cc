#include "mgmt/rule_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace segward::mgmt {
namespace {

std::vector<signatures::Rule> parse(const std::string& text, std::vector<std::string>& errors) {
  return parse_rule_text(text, "r.yaml", errors);
}

TEST(RuleFile, ReadsEveryPartOfARule) {
  std::vector<std::string> errors;
  const auto rules = parse(R"(rules:
  - id: 210001
    msg: setData under /mesos
    severity: high
    threat: election_tampering
    references: [CVE-2019-0201, https://zookeeper.apache.org/]
    app: zookeeper
    flow: to_server
    match:
      - field: zookeeper.op
        equals: [setData, delete]
      - field: zookeeper.path
        regex: '^/mesos/'
        caseless: true
      - field: zookeeper.data_length
        gt: 0x10
      - field: zookeeper.auth_user
        absent: false
    threshold: {count: 5, seconds: 60, track: by_dst}
  - id: 2
    msg: key
    threat: credential_exposure
    payload:
      - literal: "-----BEGIN"
        direction: to_client
)",
                           errors);
  ASSERT_TRUE(errors.empty()) << errors[0];
  ASSERT_EQ(rules.size(), 2u);
  const auto& r = rules[0];
  EXPECT_EQ(r.id, 210001u);
  EXPECT_EQ(r.line, 2u);
  EXPECT_EQ(r.severity, 1);
  EXPECT_EQ(r.references.size(), 2u);
  EXPECT_EQ(r.app, signatures::RuleApp::kZookeeper);
  EXPECT_EQ(r.flow, signatures::FlowDirection::kToServer);
  ASSERT_EQ(r.match.size(), 4u);
  EXPECT_EQ(r.match[0].texts, (std::vector<std::string>{"setData", "delete"}));
  EXPECT_TRUE(r.match[1].caseless);
  EXPECT_EQ(r.match[2].numbers, (std::vector<std::int64_t>{16}));
  EXPECT_EQ(r.match[3].op, signatures::ConditionOp::kAbsent);
  EXPECT_TRUE(r.match[3].negate);  // absent: false
  EXPECT_EQ(r.threshold.count, 5u);
  EXPECT_EQ(r.threshold.track, signatures::ThresholdTrack::kByDestination);
  ASSERT_EQ(rules[1].payload.size(), 1u);
  EXPECT_EQ(rules[1].payload[0].direction, signatures::FlowDirection::kToClient);
}

TEST(RuleFile, ReportsEveryBrokenRuleWithItsIdAndLine) {
  std::vector<std::string> errors;
  const auto rules = parse(R"(rules:
  - id: 1
    msg: fine
    threat: mitm
    match:
      - field: tls.version
        lt: 0x0303
  - id: 2
    msg: unknown field
    threat: mitm
    match:
      - field: tls.nope
        equals: x
  - id: 3
    msg: unknown threat
    threat: aliens
    match:
      - field: tls.sni
        literal: x
  - id: 4
    msg: two tests
    threat: mitm
    match:
      - field: tls.sni
        literal: x
        regex: y
  - id: 5
    msg: neither
    threat: mitm
)",
                           errors);
  EXPECT_EQ(rules.size(), 1u);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0], "r.yaml:12:16: rule 2: match[0].field: unknown field 'tls.nope' (segward rules fields lists them)");
  EXPECT_NE(errors[1].find("r.yaml:16:13: rule 3: threat: unknown threat 'aliens'"), std::string::npos) << errors[1];
  EXPECT_NE(errors[2].find("rule 4: match[0].regex: one test per condition"), std::string::npos) << errors[2];
  EXPECT_NE(errors[3].find("rule 5: needs 'match'"), std::string::npos) << errors[3];
}

TEST(RuleFile, LoadFindsCompileErrorsAcrossFilesAndRefusesThemAll) {
  const auto dir = std::filesystem::temp_directory_path() / ("segward-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << "rules:\n  - id: 7\n    msg: a\n    threat: mitm\n    match:\n"
                                   "      - field: tls.sni\n        regex: '(x'\n";
  std::ofstream(dir / "b.yaml") << "rules:\n  - id: 7\n    msg: b\n    threat: mitm\n    match:\n"
                                   "      - field: tls.sni\n        literal: x\n";
  try {
    (void)load_rule_files({dir.string()}, 1);
    FAIL() << "accepted";
  } catch (const signatures::RuleError& e) {
    ASSERT_EQ(e.errors().size(), 2u) << e.what();
    EXPECT_NE(e.errors()[0].find("a.yaml:7: rule 7: regex '(x'"), std::string::npos) << e.errors()[0];
    EXPECT_NE(e.errors()[1].find("b.yaml:2: rule 7: duplicate id (first at "), std::string::npos) << e.errors()[1];
  }
  std::ofstream(dir / "a.yaml") << "rules:\n  - id: 8\n    msg: a\n    threat: mitm\n    match:\n"
                                   "      - field: tls.sni\n        regex: 'x+'\n";
  const auto loaded = load_rule_files({dir.string()}, 2);
  EXPECT_EQ(loaded.set->size(), 2u);
  EXPECT_EQ(loaded.files.size(), 2u);
  EXPECT_EQ(loaded.set->version().size(), 16u);
  std::filesystem::remove_all(dir);
}

TEST(RuleFile, NotAListOfRules) {
  std::vector<std::string> errors;
  (void)parse("rules: 3\n", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("r.yaml:1:1: rules: expected a list of rules"), std::string::npos) << errors[0];
  errors.clear();
  (void)parse("rules: [\n", errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("YAML syntax error"), std::string::npos) << errors[0];
}

}  // namespace
}  // namespace segward::mgmt
