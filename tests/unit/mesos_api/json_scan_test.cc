// The JSON scanner: Mesos's JSON form, escapes, duplicate keys, hostile shapes.
#include <gtest/gtest.h>

#include <string>

#include "decoders/mesos_api/json_scan.h"
#include "decoders/mesos_api/v1_call.h"
#include "decoders/mesos_api/v1_schema.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
using json::JsonError;

json::JsonScanResult validate(std::string_view text) { return json::scan_json(span_of(text), nullptr, nullptr); }

MesosEvent scheduler_json(std::string_view text) {
  MesosEvent e;
  decode_v1_call(ApiFamily::kScheduler, BodyEncoding::kJson, span_of(text), e);
  return e;
}

TEST(JsonScan, ValidDocuments) {
  for (const char* text : {"{}", " { } ", "[]", "0", "-0", "1.5e-3", "\"s\"", "true", "false", "null",
                           "{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\\n\"}", "[[[[]]]]", "{\"\":\"\"}",
                           "1E+2", "\r\n\t{ \"a\" : 1 }\r\n"}) {
    const auto r = validate(text);
    EXPECT_TRUE(r.ok()) << text << ": " << json::json_error_name(r.error);
  }
}

TEST(JsonScan, InvalidDocuments) {
  const struct {
    const char* text;
    JsonError error;
  } cases[] = {
      {"", JsonError::kEmpty},
      {"   ", JsonError::kEmpty},
      {"{", JsonError::kTruncated},
      {"{\"a\"", JsonError::kTruncated},
      {"{\"a\":", JsonError::kTruncated},
      {"{\"a\":1", JsonError::kTruncated},
      {"{\"a\":\"abc", JsonError::kTruncated},
      {"{\"a\":tru", JsonError::kTruncated},
      {"{\"a\":1,}", JsonError::kSyntax},
      {"{,}", JsonError::kSyntax},
      {"{\"a\" 1}", JsonError::kSyntax},
      {"{a:1}", JsonError::kSyntax},
      {"[1,]", JsonError::kSyntax},
      {"[1 2]", JsonError::kSyntax},
      {"{\"a\":1]", JsonError::kSyntax},
      {"[1}", JsonError::kSyntax},
      {"{\"a\":nul}", JsonError::kSyntax},
      {"{\"a\":01}", JsonError::kSyntax},
      {"{\"a\":-}", JsonError::kBadNumber},
      {"{\"a\":1.}", JsonError::kBadNumber},
      {"{\"a\":1e}", JsonError::kBadNumber},
      {"{\"a\":.5}", JsonError::kSyntax},
      {"{\"a\":+1}", JsonError::kSyntax},
      {"{\"a\":\"\\x\"}", JsonError::kBadString},
      {"{\"a\":\"\\u12g4\"}", JsonError::kBadString},
      {"{\"a\":\"\\udc00\"}", JsonError::kBadString},
      {"{\"a\":\"\\ud800\"}", JsonError::kBadString},
      {"{\"a\":\"\\ud800\\u0041\"}", JsonError::kBadString},
      {"{\"a\":\"raw\ncontrol\"}", JsonError::kBadString},
      {"{} x", JsonError::kTrailingData},
      {"{}{}", JsonError::kTrailingData},
      {"'a'", JsonError::kSyntax},
  };
  for (const auto& c : cases) {
    const auto r = validate(c.text);
    EXPECT_EQ(r.error, c.error) << c.text << ": got " << json::json_error_name(r.error);
  }
  // A call must be an object.
  MesosEvent e;
  decode_v1_call(ApiFamily::kScheduler, BodyEncoding::kJson, span_of("[]"), e);
  EXPECT_EQ(e.status, DecodeStatus::kBadJson);
}

TEST(JsonScan, EveryPrefixOfADocumentIsHandled) {
  const std::string text =
      R"({"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"n\u00e9\ud83d\ude00",)"
      R"("roles":["a","b"],"checkpoint":true,"capabilities":[{"type":"MULTI_ROLE"}]}},"x":[1.5e3,null,false]})";
  const MesosEvent full = scheduler_json(text);
  ASSERT_EQ(full.status, DecodeStatus::kOk);
  for (std::size_t n = 0; n < text.size(); ++n) {
    const MesosEvent e = scheduler_json(std::string_view(text).substr(0, n));
    EXPECT_EQ(e.status, DecodeStatus::kBadJson) << n;
    for (const auto& [got, want] : {std::pair{e.call.view(), full.call.view()},
                                    std::pair{e.framework.user.view(), full.framework.user.view()},
                                    std::pair{e.framework.name.view(), full.framework.name.view()}}) {
      EXPECT_TRUE(got.empty() || got == want) << n << ": " << got;
    }
  }
}

TEST(JsonScan, EscapesAreDecoded) {
  const MesosEvent e = scheduler_json(
      R"({"type":"SUBSCRIBE","subscribe":{"framework_info":{)"
      R"("name":"a\"b\\c\/d\b\f\n\r\t","user":"\u0072\u006F\u006f\u0074","hostname":"\u00e9\u20ac\ud83d\ude00",)"
      R"("principal":"p\u0000q"}}})");
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.framework.name.view(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(e.framework.user.view(), "root");
  EXPECT_EQ(e.framework.hostname.view(), "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  EXPECT_EQ(e.framework.principal.view(), std::string_view("p\0q", 3));
}

TEST(JsonScan, EscapedKeysMatchFields) {
  const MesosEvent e = scheduler_json(R"({"t\u0079pe":"TEARDOWN","framework_id":{"val\u0075e":"fw-1"}})");
  EXPECT_EQ(e.call.view(), "TEARDOWN");
  EXPECT_EQ(e.framework.id.view(), "fw-1");
}

TEST(JsonScan, DuplicateKeysLastWins) {
  MesosEvent e = scheduler_json(
      R"({"type":"TEARDOWN","type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"first","name":"second",)"
      R"("roles":["a","b"],"roles":["c"],"capabilities":[{"type":"GPU_RESOURCES"}],)"
      R"("capabilities":[{"type":"MULTI_ROLE"}],"checkpoint":true,"checkpoint":false}}})");
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.call.view(), "SUBSCRIBE");
  EXPECT_EQ(e.endpoint_class, EndpointClass::kMutating);
  EXPECT_EQ(e.framework.name.view(), "second");
  EXPECT_EQ(e.framework.roles.view(), "c");
  EXPECT_EQ(e.framework.capabilities, 1u << 6);
  EXPECT_FALSE(e.framework.checkpoint);

  // role and roles in either order: roles wins.
  e = scheduler_json(R"({"subscribe":{"framework_info":{"roles":["x"],"role":"old"}}})");
  EXPECT_EQ(e.framework.roles.view(), "x");
  e = scheduler_json(R"({"subscribe":{"framework_info":{"role":"old","roles":["x","y"]}}})");
  EXPECT_EQ(e.framework.roles.view(), "x,y");
  e = scheduler_json(R"({"subscribe":{"framework_info":{"role":"old"}}})");
  EXPECT_EQ(e.framework.roles.view(), "old");
}

TEST(JsonScan, StoutValueRules) {
  // A single value for a repeated field is one element; null is unset;
  // values of the wrong type are ignored; numbers may be strings.
  MesosEvent e = scheduler_json(
      R"({"type":"SUBSCRIBE","subscribe":{"framework_info":{"roles":"solo","name":null,"user":42,)"
      R"("checkpoint":"true","hostname":["not","a","string"],"principal":{"x":1}}}})");
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.framework.roles.view(), "solo");
  EXPECT_TRUE(e.framework.name.empty());
  EXPECT_TRUE(e.framework.user.empty());
  EXPECT_TRUE(e.framework.checkpoint);
  EXPECT_TRUE(e.framework.hostname.empty());
  EXPECT_TRUE(e.framework.principal.empty());

  // Enums are names; a number is not accepted (stout), an unknown name is dropped.
  e = scheduler_json(R"({"type":2})");
  EXPECT_TRUE(e.call.empty());
  e = scheduler_json(R"({"type":"NOT_A_CALL"})");
  EXPECT_EQ(e.call.view(), "NOT_A_CALL");  // the call type is kept as sent
  EXPECT_EQ(e.endpoint_class, EndpointClass::kUnclassified);
  e = scheduler_json(R"({"subscribe":{"framework_info":{"capabilities":[{"type":"NOPE"},{"type":"GPU_RESOURCES"}]}}})");
  EXPECT_EQ(e.framework.capabilities, 1u << 3);

  MesosEvent agent;
  decode_v1_call(ApiFamily::kMasterOperator, BodyEncoding::kJson,
                 span_of(R"({"type":"SET_LOGGING_LEVEL","set_logging_level":{"level":"2"}})"), agent);
  EXPECT_EQ(agent.detail.view(), "level=2");
}

TEST(JsonScan, CommandPartsJoinInAnyOrder) {
  MesosEvent e;
  decode_v1_call(ApiFamily::kAgentOperator, BodyEncoding::kJson,
                 span_of(R"({"launch_nested_container":{"command":{"arguments":["-c","id; cat /etc/shadow"],)"
                         R"("shell":false,"value":"/bin/sh"}},"type":"LAUNCH_NESTED_CONTAINER"})"),
                 e);
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.call.view(), "LAUNCH_NESTED_CONTAINER");
  EXPECT_EQ(e.task.command.view(), "/bin/sh -c id; cat /etc/shadow");
}

TEST(JsonScan, UnknownKeysAndSubtreesAreSkipped) {
  const MesosEvent e = scheduler_json(
      R"({"unknown":{"deep":[{"framework_info":{"name":"decoy"}}],"s":"\u0041"},"type":"TEARDOWN",)"
      R"("framework_id":{"value":"fw-1","extra":[1,2,3]},"frameworkId":{"value":"camel-case-is-not-mesos"}})");
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.call.view(), "TEARDOWN");
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_TRUE(e.framework.name.empty());
}

TEST(JsonScan, DeepNestingBeyondTheLimit) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  auto r = validate(deep);
  EXPECT_EQ(r.error, JsonError::kTooDeep);
  EXPECT_EQ(r.max_depth, json::kMaxJsonDepth);

  std::string at_limit;
  for (std::size_t i = 0; i < json::kMaxJsonDepth; ++i) at_limit += "[";
  for (std::size_t i = 0; i < json::kMaxJsonDepth; ++i) at_limit += "]";
  EXPECT_TRUE(validate(at_limit).ok());

  // Fields before the deep part are kept; the event says what happened.
  std::string call = R"({"type":"TEARDOWN","framework_id":{"value":"fw-1"},"x":)";
  for (int i = 0; i < 5000; ++i) call += "{\"a\":";
  const MesosEvent e = scheduler_json(call);
  EXPECT_EQ(e.status, DecodeStatus::kBadJson);
  EXPECT_EQ(e.call.view(), "TEARDOWN");
  EXPECT_EQ(e.framework.id.view(), "fw-1");
  EXPECT_TRUE(has_flag(e.flags, MesosFlag::kJsonTooDeep));
  EXPECT_NE(e.detail.view().find("deeper than 32"), std::string_view::npos);
}

TEST(JsonScan, HugeNumbers) {
  for (const char* text : {"9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
                           "1e309", "-1.5E+400", "0.0000001e316", "1e99999999999"}) {
    const auto r = validate(text);
    EXPECT_TRUE(r.ok()) << text;
    EXPECT_TRUE(r.huge_number) << text;
  }
  for (const char* text : {"9223372036854775807", "-9223372036854775808", "1e308", "1.7e308", "0e99999",
                           "1e-400", "0.000"}) {
    const auto r = validate(text);
    EXPECT_TRUE(r.ok()) << text;
    EXPECT_FALSE(r.huge_number) << text;
  }
  // CVE-2018-1330 shape inside a call: flagged, the call still decoded.
  MesosEvent e;
  decode_v1_call(ApiFamily::kMasterOperator, BodyEncoding::kJson,
                 span_of(R"({"type":"GET_HEALTH","get_metrics":{"timeout":{"nanoseconds":99999999999999999999999}}})"), e);
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.call.view(), "GET_HEALTH");
  EXPECT_TRUE(has_flag(e.flags, MesosFlag::kJsonHugeNumber));
  // A huge number given as a string to an integer field, too.
  MesosEvent s;
  decode_v1_call(ApiFamily::kMasterOperator, BodyEncoding::kJson,
                 span_of(R"({"type":"SET_LOGGING_LEVEL","set_logging_level":{"level":"1e999"}})"), s);
  EXPECT_TRUE(has_flag(s.flags, MesosFlag::kJsonHugeNumber));
  EXPECT_TRUE(s.detail.empty());
}

TEST(JsonScan, LongStringsAreCutAndMarked) {
  const std::string name(5000, 'x');
  MesosEvent e = scheduler_json(R"({"subscribe":{"framework_info":{"name":")" + name + R"(","user":"root"}}})");
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.framework.name.size, 128);
  EXPECT_TRUE(e.framework.name.truncated);
  EXPECT_EQ(e.framework.user.view(), "root");
  EXPECT_FALSE(e.framework.user.truncated);

  // Past the scanner's scratch buffer, with an escape straddling the cut.
  std::string escaped(json::kMaxStringBytes - 1, 'y');
  escaped += "\\u20ac" + std::string(10, 'z');
  MesosEvent master;
  decode_v1_call(ApiFamily::kMasterOperator, BodyEncoding::kJson,
                 span_of(R"({"type":"READ_FILE","read_file":{"path":")" + escaped + R"("}})"), master);
  EXPECT_EQ(master.status, DecodeStatus::kOk);
  EXPECT_EQ(master.detail.size, 256);
  EXPECT_TRUE(master.detail.truncated);

  // A key too long for any field is skipped.
  const std::string long_key(200, 'k');
  e = scheduler_json(R"({")" + long_key + R"(":{"x":1},"type":"KILL"})");
  EXPECT_EQ(e.call.view(), "KILL");
}

}  // namespace
}  // namespace segward::mesos
