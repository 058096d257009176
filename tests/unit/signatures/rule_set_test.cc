#include "signatures/rule_set.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <vector>

#include "signatures/threshold_table.h"

namespace segward::signatures {
namespace {

Condition cond(FieldId field, ConditionOp op, std::vector<std::string> texts, std::vector<std::int64_t> numbers = {},
               bool negate = false, bool caseless = false) {
  Condition c;
  c.field = field;
  c.op = op;
  c.texts = std::move(texts);
  c.numbers = std::move(numbers);
  c.negate = negate;
  c.caseless = caseless;
  c.line = 7;
  return c;
}

Rule rule(std::uint32_t id, std::vector<Condition> match, RuleApp app = RuleApp::kAny) {
  Rule r;
  r.id = id;
  r.msg = "rule " + std::to_string(id);
  r.threat = "zookeeper_compromise";
  r.app = app;
  r.match = std::move(match);
  r.file = "t.yaml";
  r.line = 3;
  return r;
}

std::vector<std::uint32_t> fired(const RuleSet& set, const MessageView& m,
                                 FlowDirection dir = FlowDirection::kToServer) {
  std::vector<std::uint32_t> ids;
  set.match(m, dir, 0, [&](std::uint32_t index) { ids.push_back(set.rule(index).id); });
  return ids;
}

MessageView zk_view(const zookeeper::ZkEvent& e) {
  MessageView m;
  m.subject = Subject::kZookeeper;
  m.zookeeper = &e;
  return m;
}

zookeeper::ZkEvent zk_request(std::int32_t opcode, std::string_view path) {
  zookeeper::ZkEvent e;
  e.kind = zookeeper::ZkEventKind::kRequest;
  e.opcode = opcode;
  e.path.assign(path);
  return e;
}

TEST(RuleSet, EqualsIsTheWholeValueLiteralAnyPartRegexAsWritten) {
  RuleSet set({rule(1, {cond(FieldId::kZkPath, ConditionOp::kEquals, {"/mesos"})}),
               rule(2, {cond(FieldId::kZkPath, ConditionOp::kLiteral, {"json.info_"})}),
               rule(3, {cond(FieldId::kZkPath, ConditionOp::kRegex, {"^/mesos/json\\.info_[0-9]+$"})}),
               rule(4, {cond(FieldId::kZkPath, ConditionOp::kEquals, {"/MESOS"}, {}, false, true)})},
              1, "v");
  EXPECT_EQ(fired(set, zk_view(zk_request(1, "/mesos"))), (std::vector<std::uint32_t>{1, 4}));
  EXPECT_EQ(fired(set, zk_view(zk_request(1, "/mesos/json.info_0000000001"))), (std::vector<std::uint32_t>{2, 3}));
  EXPECT_EQ(fired(set, zk_view(zk_request(1, "/mesos/json.info_x"))), (std::vector<std::uint32_t>{2}));
  // equals must not match a value it is only a prefix of.
  EXPECT_TRUE(fired(set, zk_view(zk_request(1, "/mesosX"))).empty());
}

TEST(RuleSet, EveryConditionMustHoldAndNotTurnsOneAround) {
  RuleSet set({rule(10, {cond(FieldId::kZkOp, ConditionOp::kEquals, {"setData"}),
                         cond(FieldId::kZkPath, ConditionOp::kRegex, {"^/mesos(/|$)"})}),
               rule(11, {cond(FieldId::kZkOp, ConditionOp::kEquals, {"create", "setData"}),
                         cond(FieldId::kZkPath, ConditionOp::kRegex, {"^/mesos"}, {}, true)})},
              1, "v");
  EXPECT_EQ(fired(set, zk_view(zk_request(zookeeper::opcode::kSetData, "/mesos/json.info_1"))),
            (std::vector<std::uint32_t>{10}));
  EXPECT_EQ(fired(set, zk_view(zk_request(zookeeper::opcode::kSetData, "/other"))), (std::vector<std::uint32_t>{11}));
  EXPECT_TRUE(fired(set, zk_view(zk_request(zookeeper::opcode::kGetData, "/mesos"))).empty());
}

TEST(RuleSet, AbsentAndPresent) {
  mesos::MesosEvent e;
  e.reset();
  e.message.assign("mesos.internal.RegisterFrameworkMessage");
  e.framework.present = true;
  MessageView m;
  m.subject = Subject::kMesos;
  m.mesos = &e;
  RuleSet set({rule(20, {cond(FieldId::kMesosMessage, ConditionOp::kLiteral, {"RegisterFramework"}),
                         cond(FieldId::kFrameworkPrincipal, ConditionOp::kAbsent, {})}),
               rule(21, {cond(FieldId::kFrameworkPrincipal, ConditionOp::kAbsent, {}, {}, true)}),
               rule(22, {cond(FieldId::kHttpAuthorization, ConditionOp::kAbsent, {})})},
              1, "v");
  EXPECT_EQ(fired(set, m), (std::vector<std::uint32_t>{20, 22}));
  e.framework.principal.assign("ops");
  e.auth_scheme = mesos::AuthScheme::kBasic;
  EXPECT_EQ(fired(set, m), (std::vector<std::uint32_t>{21}));
}

TEST(RuleSet, NumbersBoolsAndMultiValuedFields) {
  tls::TlsEvent t;
  t.reset();
  t.client_hello_seen = true;
  t.server_hello_seen = true;
  t.version = tls::tls_version::kTls10;
  t.cipher_suite = 0x003b;  // TLS_RSA_WITH_NULL_SHA256
  t.ja3_string.assign("769,49195-5-47,0-23,29,0");
  MessageView m;
  m.subject = Subject::kTls;
  m.tls = &t;
  RuleSet set({rule(30, {cond(FieldId::kTlsVersion, ConditionOp::kLess, {}, {0x0303}),
                         cond(FieldId::kTlsServerHello, ConditionOp::kEquals, {}, {1})}),
               rule(31, {cond(FieldId::kTlsCipher, ConditionOp::kEquals, {}, {0x0001, 0x0002, 0x003b})}),
               rule(32, {cond(FieldId::kTlsOfferedCipher, ConditionOp::kEquals, {}, {4, 5})}),
               rule(33, {cond(FieldId::kTlsVersion, ConditionOp::kGreaterEqual, {}, {0x0303})})},
              1, "v");
  EXPECT_EQ(fired(set, m), (std::vector<std::uint32_t>{30, 31, 32}));
  t.version = tls::tls_version::kTls13;
  t.cipher_suite = 0x1301;
  t.ja3_string.assign("771,4865-4866,0-23,29,0");
  EXPECT_EQ(fired(set, m), (std::vector<std::uint32_t>{33}));
}

TEST(RuleSet, MultiSubOperationsAreValuesOfOpAndPath) {
  zookeeper::ZkEvent e = zk_request(zookeeper::opcode::kMulti, "");
  e.use_sub_ops();
  e.sub_op_count = 2;
  e.sub_ops[0].opcode = zookeeper::opcode::kCheck;
  e.sub_ops[0].path.assign("/a");
  e.sub_ops[1].opcode = zookeeper::opcode::kSetData;
  e.sub_ops[1].path.assign("/mesos/json.info_1");
  RuleSet set({rule(40, {cond(FieldId::kZkOp, ConditionOp::kEquals, {"setData"}),
                         cond(FieldId::kZkPath, ConditionOp::kRegex, {"^/mesos/"})})},
              1, "v");
  EXPECT_EQ(fired(set, zk_view(e)), (std::vector<std::uint32_t>{40}));
}

TEST(RuleSet, FlowDirectionFiltersRules) {
  Rule r = rule(50, {cond(FieldId::kZkOp, ConditionOp::kEquals, {"getACL"})});
  r.flow = FlowDirection::kToServer;
  RuleSet set({r}, 1, "v");
  const auto e = zk_request(zookeeper::opcode::kGetAcl, "/");
  EXPECT_EQ(fired(set, zk_view(e), FlowDirection::kToServer), (std::vector<std::uint32_t>{50}));
  EXPECT_TRUE(fired(set, zk_view(e), FlowDirection::kToClient).empty());
  // Decoded messages are all the client's: a to_client match rule could never fire.
  r.flow = FlowDirection::kToClient;
  EXPECT_THROW(RuleSet({r}, 1, "v"), RuleError);
}

TEST(RuleSet, RefusesWithEveryErrorLocated) {
  std::vector<Rule> rules{
      rule(60, {cond(FieldId::kZkPath, ConditionOp::kRegex, {"(unclosed"})}),
      rule(61, {cond(FieldId::kZkPath, ConditionOp::kRegex, {"a*"})}),
      rule(62, {cond(FieldId::kZkOp, ConditionOp::kEquals, {"auth"}), cond(FieldId::kTlsSni, ConditionOp::kLiteral, {"x"})}),
      rule(63, {cond(FieldId::kZkDataLength, ConditionOp::kRegex, {"1"})}),
      rule(62, {cond(FieldId::kZkOp, ConditionOp::kEquals, {"auth"})}),
  };
  try {
    RuleSet set(rules, 1, "v");
    FAIL() << "accepted";
  } catch (const RuleError& e) {
    ASSERT_EQ(e.errors().size(), 5u) << e.what();
    EXPECT_NE(e.errors()[0].find("t.yaml:7: rule 60: regex '(unclosed'"), std::string::npos) << e.errors()[0];
    EXPECT_NE(e.errors()[1].find("rule 61: regex 'a*': matches the empty string"), std::string::npos);
    EXPECT_NE(e.errors()[2].find("rule 62: field 'tls.sni' belongs to tls messages"), std::string::npos);
    EXPECT_NE(e.errors()[3].find("rule 63: 'regex' does not apply to number field"), std::string::npos);
    EXPECT_NE(e.errors()[4].find("t.yaml:3: rule 62: duplicate id"), std::string::npos) << e.errors()[4];
  }
}

TEST(RuleSet, OnlyRulesOfTheMessagesSubjectAreTested) {
  RuleSet set({rule(70, {cond(FieldId::kTlsSni, ConditionOp::kLiteral, {"example"})})}, 2, "v");
  EXPECT_TRUE(set.tests(Subject::kTls));
  EXPECT_FALSE(set.tests(Subject::kZookeeper));
  EXPECT_TRUE(fired(set, zk_view(zk_request(1, "/example"))).empty());
  EXPECT_EQ(set.fields_tested(Subject::kTls), (std::vector<FieldId>{FieldId::kTlsSni}));
  EXPECT_NE(set.field_patterns(FieldId::kTlsSni), nullptr);
}

TEST(ThresholdTable, FiresOnEveryCountthMatchWithinTheWindowPerAddress) {
  ThresholdTable table(16);
  Threshold t{3, 10, ThresholdTrack::kBySource};
  std::array<std::uint8_t, 16> a{192, 0, 2, 1}, b{192, 0, 2, 2};
  bool evicted = false;
  const std::uint64_t s = 1'000'000'000ULL;
  EXPECT_FALSE(table.admit(0, a, t, 1 * s, evicted));
  EXPECT_FALSE(table.admit(0, a, t, 2 * s, evicted));
  EXPECT_FALSE(table.admit(0, b, t, 2 * s, evicted));  // another address counts apart
  EXPECT_TRUE(table.admit(0, a, t, 3 * s, evicted));
  EXPECT_FALSE(table.admit(0, a, t, 4 * s, evicted));  // a new window
  EXPECT_FALSE(table.admit(0, a, t, 5 * s, evicted));
  // The window (10 s from the 4th match) has passed: the count starts over.
  EXPECT_FALSE(table.admit(0, a, t, 20 * s, evicted));
  EXPECT_FALSE(table.admit(0, a, t, 21 * s, evicted));
  EXPECT_TRUE(table.admit(0, a, t, 22 * s, evicted));
}

}  // namespace
}  // namespace segward::signatures

namespace segward::signatures {
namespace {

Rule payload_rule(std::uint32_t id, std::string expression, FlowDirection direction) {
  Rule r;
  r.id = id;
  r.msg = "payload " + std::to_string(id);
  r.threat = "credential_exposure";
  r.payload.push_back({std::move(expression), false, direction, 5});
  r.file = "p.yaml";
  return r;
}

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(RuleSetPayload, FindsPatternsAcrossSegmentsOncePerStreamAndSide) {
  RuleSet set({payload_rule(1, "-----BEGIN RSA PRIVATE KEY-----", FlowDirection::kAny),
               payload_rule(2, "AKIA[0-9A-Z]{16}", FlowDirection::kToServer)},
              1, "v", 8);
  ASSERT_TRUE(set.scans_payload(0));
  ASSERT_TRUE(set.scans_payload(1));
  std::vector<std::uint32_t> found;
  auto on_fire = [&](std::uint32_t index) { found.push_back(set.rule(index).id); };
  hs_stream_t* client = set.open_stream(0, 0);
  ASSERT_NE(client, nullptr);
  set.scan_stream(client, 0, bytes("POST / HTTP/1.1\r\n\r\nkey=-----BEGIN RSA PRI"), 0, on_fire);
  EXPECT_TRUE(found.empty());
  set.scan_stream(client, 0, bytes("VATE KEY-----\nAKIAABCDEFGHIJKLMNOP and again -----BEGIN RSA PRIVATE KEY-----"), 0,
                  on_fire);
  EXPECT_EQ(found, (std::vector<std::uint32_t>{1, 2}));
  set.close_stream(client, 0, 0, on_fire);
  found.clear();
  hs_stream_t* server = set.open_stream(1, 0);
  ASSERT_NE(server, nullptr);
  set.scan_stream(server, 1, bytes("AKIAABCDEFGHIJKLMNOP"), 0, on_fire);
  EXPECT_TRUE(found.empty()) << "rule 2 looks at what clients send only";
  set.close_stream(server, 1, 0, on_fire);
}

TEST(RuleSetPayload, StreamStatesComeFromAFixedPoolPerWorker) {
  RuleSet set({payload_rule(3, "secret", FlowDirection::kAny)}, 2, "v", 2);
  hs_stream_t* a = set.open_stream(0, 0);
  hs_stream_t* b = set.open_stream(1, 0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(set.open_stream(0, 0), nullptr) << "worker 0's pool holds two";
  hs_stream_t* c = set.open_stream(0, 1);
  EXPECT_NE(c, nullptr) << "worker 1 has its own";
  auto none = [](std::uint32_t) {};
  set.close_stream(a, 0, 0, none);
  hs_stream_t* again = set.open_stream(0, 0);
  EXPECT_NE(again, nullptr) << "a closed state goes back to its pool";
  set.close_stream(again, 0, 0, none);
  set.close_stream(b, 1, 0, none);
  set.close_stream(c, 0, 1, none);
}

TEST(RuleSetPayload, BadPayloadPatternIsLocated) {
  try {
    RuleSet set({payload_rule(4, "(open", FlowDirection::kAny)}, 1, "v");
    FAIL() << "accepted";
  } catch (const RuleError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_NE(e.errors()[0].find("p.yaml:5: rule 4: payload '(open'"), std::string::npos) << e.errors()[0];
  }
}

}  // namespace
}  // namespace segward::signatures

namespace segward::signatures {
namespace {

TEST(FieldCatalog, EveryFieldIsDocumentedAndNamesAreUnique) {
  std::ifstream in(SEGWARD_SOURCE_DIR "/signatures/README.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(doc.empty());
  std::set<std::string_view> names;
  for (const FieldInfo& f : field_catalog()) {
    EXPECT_NE(doc.find("| `" + std::string(f.name) + "` |"), std::string::npos) << f.name << " is not in signatures/README.md";
    EXPECT_TRUE(names.insert(f.name).second) << f.name;
    EXPECT_EQ(find_field(f.name), &f);
    EXPECT_EQ(&field_info(f.id), &f);
  }
  EXPECT_EQ(find_field("no.such.field"), nullptr);
}

}  // namespace
}  // namespace segward::signatures

namespace segward::signatures {
namespace {

TEST(RuleSet, EqualsOnANamedValueFieldMustNameAValue) {
  Condition typo;
  typo.field = FieldId::kMesosFlag;
  typo.op = ConditionOp::kEquals;
  typo.texts = {"pre_022_libprocess"};
  typo.line = 9;
  Rule r;
  r.id = 80;
  r.msg = "typo";
  r.threat = "mitm";
  r.match = {typo};
  r.file = "v.yaml";
  try {
    RuleSet set({r}, 1, "v");
    FAIL() << "accepted";
  } catch (const RuleError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_NE(e.errors()[0].find("v.yaml:9: rule 80: 'pre_022_libprocess' is not a value of mesos.flag (one of: "),
              std::string::npos)
        << e.errors()[0];
    EXPECT_NE(e.errors()[0].find("pre_0_22_libprocess"), std::string::npos);
  }
  r.match[0].texts = {"pre_0_22_libprocess"};
  EXPECT_NO_THROW(RuleSet({r}, 1, "v"));
  r.match[0] = {};
  r.match[0].field = FieldId::kZkOp;
  r.match[0].op = ConditionOp::kEquals;
  r.match[0].texts = {"setACL", "getAcl"};
  EXPECT_THROW(RuleSet({r}, 1, "v"), RuleError);
  r.match[0].caseless = true;
  EXPECT_NO_THROW(RuleSet({r}, 1, "v"));
  EXPECT_FALSE(field_vocabulary(FieldId::kZkOp).empty());
  EXPECT_TRUE(field_vocabulary(FieldId::kZkPath).empty());
}

}  // namespace
}  // namespace segward::signatures
