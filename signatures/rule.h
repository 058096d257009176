#pragma once
// A signature rule as its file states it, before compilation: what to say
// when it fires (id, msg, severity, threat, references), which decoded
// message it looks at (app, flow direction) and the conditions that must
// all hold on it, or raw payload patterns on the reassembled stream, plus an
// optional threshold. mgmt/rule_file.cc reads these from YAML;
// signatures/rule_set.h compiles them. The YAML format: signatures/README.md.
#include <cstdint>
#include <string>
#include <vector>

#include "signatures/fields.h"

namespace segward::signatures {

enum class RuleApp : std::uint8_t { kAny, kMesos, kZookeeper, kTls, kHttp };

// The message's direction: a request (client to server) or what the server sends.
enum class FlowDirection : std::uint8_t { kAny, kToServer, kToClient };

enum class ConditionOp : std::uint8_t {
  kEquals,   // text: the whole value is one of `texts`; number/bool: equals one of `numbers`
  kLiteral,  // text: contains one of `texts`
  kRegex,    // text: one of `texts` (Hyperscan syntax) matches
  kAbsent,   // the field has no value (empty text, no such part in the message)
  kLess, kLessEqual, kGreater, kGreaterEqual,  // number: compared with numbers[0]
};

struct Condition {
  FieldId field = FieldId::kCount;
  ConditionOp op = ConditionOp::kEquals;
  std::vector<std::string> texts;
  std::vector<std::int64_t> numbers;
  bool caseless = false;
  bool negate = false;  // `not: true`: holds when the test fails
  std::uint32_t line = 0;
};

struct PayloadPattern {
  std::string expression;  // Hyperscan syntax (a literal is escaped into one)
  bool caseless = false;
  FlowDirection direction = FlowDirection::kAny;
  std::uint32_t line = 0;
};

enum class ThresholdTrack : std::uint8_t { kBySource, kByDestination };

// Fires on every `count`-th match from one address within `seconds` of
// engine time (the first of them starting the window).
struct Threshold {
  std::uint32_t count = 0;  // 0: no threshold, every match fires
  std::uint32_t seconds = 0;
  ThresholdTrack track = ThresholdTrack::kBySource;
};

struct Rule {
  std::uint32_t id = 0;
  std::string msg;
  std::uint8_t severity = 2;  // 1 high, 2 medium, 3 low (EVE alert.severity)
  std::string threat;         // one of threat_names()
  std::vector<std::string> references;
  RuleApp app = RuleApp::kAny;
  FlowDirection flow = FlowDirection::kAny;
  std::vector<Condition> match;
  std::vector<PayloadPattern> payload;
  Threshold threshold;
  std::string file;
  std::uint32_t line = 0;
};

// The threats of the threat model (../shared/seeds) a rule may name.
[[nodiscard]] const std::vector<std::string>& threat_names();
[[nodiscard]] std::string_view rule_app_name(RuleApp app) noexcept;

}  // namespace segward::signatures
