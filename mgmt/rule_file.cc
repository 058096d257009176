#include "mgmt/rule_file.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <initializer_list>

#include "mgmt/text_files.h"
#include "mgmt/yaml_reader.h"

namespace segward::mgmt {

namespace {

using signatures::Condition;
using signatures::ConditionOp;
using signatures::FieldType;
using signatures::FlowDirection;
using signatures::Rule;

// A YAML scalar or a list of them.
std::vector<YAML::Node> one_or_many(const YamlReader& y, const YAML::Node& node, const std::string& path) {
  std::vector<YAML::Node> items;
  if (node.IsSequence()) {
    if (node.size() == 0) y.fail(node, path, "expected at least one value");
    for (const auto& item : node) items.push_back(item);
  } else {
    items.push_back(node);
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].IsScalar()) y.fail(items[i], node.IsSequence() ? YamlReader::index(path, i) : path, "expected a value");
  }
  return items;
}

// Decimal, or 0x-prefixed hexadecimal; may be negative.
std::int64_t integer(const YamlReader& y, const YAML::Node& node, const std::string& path) {
  std::string_view text = node.Scalar();
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    y.fail(node, path, "expected an integer (decimal or 0x...), got " + YamlReader::quote(node.Scalar()));
  }
  return negative ? -v : v;
}

Condition read_condition(const YamlReader& y, const YAML::Node& node, const std::string& path) {
  y.expect_map(node, path, {"field", "equals", "literal", "regex", "absent", "lt", "le", "gt", "ge", "caseless", "not"});
  Condition c;
  c.line = YamlReader::line(node);
  if (!node["field"]) y.fail(node, path, "missing 'field'");
  const std::string name = y.string_value(node["field"], YamlReader::join(path, "field"));
  const signatures::FieldInfo* field = signatures::find_field(name);
  if (field == nullptr) {
    y.fail(node["field"], YamlReader::join(path, "field"),
           "unknown field " + YamlReader::quote(name) + " (segward rules fields lists them)");
  }
  c.field = field->id;
  struct Op {
    const char* key;
    ConditionOp op;
  };
  static constexpr Op kOps[] = {{"equals", ConditionOp::kEquals},   {"literal", ConditionOp::kLiteral},
                                {"regex", ConditionOp::kRegex},     {"absent", ConditionOp::kAbsent},
                                {"lt", ConditionOp::kLess},         {"le", ConditionOp::kLessEqual},
                                {"gt", ConditionOp::kGreater},      {"ge", ConditionOp::kGreaterEqual}};
  const Op* chosen = nullptr;
  for (const Op& op : kOps) {
    if (!node[op.key]) continue;
    if (chosen != nullptr) {
      y.fail(node[op.key], YamlReader::join(path, op.key),
             std::string("one test per condition (already '") + chosen->key + "')");
    }
    chosen = &op;
  }
  if (chosen == nullptr) y.fail(node, path, "missing a test (equals, literal, regex, absent, lt, le, gt or ge)");
  c.op = chosen->op;
  const std::string test_path = YamlReader::join(path, chosen->key);
  const YAML::Node value = node[chosen->key];
  c.line = YamlReader::line(value);  // compile errors (a bad regex) point at the test itself
  const bool text_field = field->type == FieldType::kText;
  switch (c.op) {
    case ConditionOp::kAbsent:
      // absent: false is "present": absent, turned around.
      if (!y.bool_value(value, test_path)) c.negate = true;
      break;
    case ConditionOp::kLiteral:
    case ConditionOp::kRegex:
      if (!text_field) y.fail(value, test_path, std::string("'") + chosen->key + "' applies to text fields only, " + name + " is not one");
      for (const auto& item : one_or_many(y, value, test_path)) c.texts.push_back(y.string_value(item, test_path));
      break;
    case ConditionOp::kEquals:
      for (const auto& item : one_or_many(y, value, test_path)) {
        if (text_field) {
          c.texts.push_back(y.string_value(item, test_path));
        } else if (field->type == FieldType::kBool) {
          c.numbers.push_back(y.bool_value(item, test_path) ? 1 : 0);
        } else {
          c.numbers.push_back(integer(y, item, test_path));
        }
      }
      break;
    default:
      if (field->type != FieldType::kNumber) y.fail(value, test_path, "a comparison applies to number fields only, " + name + " is not one");
      if (!value.IsScalar()) y.fail(value, test_path, "expected one number");
      c.numbers.push_back(integer(y, value, test_path));
      break;
  }
  if (node["caseless"]) {
    c.caseless = y.bool_value(node["caseless"], YamlReader::join(path, "caseless"));
    if (c.caseless && c.texts.empty()) y.fail(node["caseless"], YamlReader::join(path, "caseless"), "applies to text tests only");
  }
  if (node["not"] && y.bool_value(node["not"], YamlReader::join(path, "not"))) c.negate = !c.negate;
  return c;
}

FlowDirection direction(const YamlReader& y, const YAML::Node& node, const std::string& path) {
  const std::string d = y.choice(node, path, {"to_server", "to_client", "any"});
  return d == "to_server" ? FlowDirection::kToServer : d == "to_client" ? FlowDirection::kToClient : FlowDirection::kAny;
}

signatures::PayloadPattern read_payload(const YamlReader& y, const YAML::Node& node, const std::string& path) {
  y.expect_map(node, path, {"literal", "regex", "caseless", "direction"});
  signatures::PayloadPattern p;
  p.line = YamlReader::line(node);
  if (node["literal"] && node["regex"]) y.fail(node["regex"], YamlReader::join(path, "regex"), "literal or regex, not both");
  if (node["literal"]) {
    p.expression = signatures::escape_literal(y.string_value(node["literal"], YamlReader::join(path, "literal")));
  } else if (node["regex"]) {
    p.expression = y.string_value(node["regex"], YamlReader::join(path, "regex"));
  } else {
    y.fail(node, path, "missing 'literal' or 'regex'");
  }
  if (node["caseless"]) p.caseless = y.bool_value(node["caseless"], YamlReader::join(path, "caseless"));
  if (node["direction"]) p.direction = direction(y, node["direction"], YamlReader::join(path, "direction"));
  if (const std::string why = signatures::check_expression(p.expression, p.caseless); !why.empty()) {
    y.fail(node, path, "pattern " + YamlReader::quote(p.expression) + ": " + why);
  }
  return p;
}

Rule read_rule(const YamlReader& y, const YAML::Node& node, std::string& path) {
  y.expect_map(node, path,
               {"id", "msg", "severity", "threat", "references", "app", "flow", "match", "payload", "threshold"});
  Rule r;
  r.line = YamlReader::line(node);
  if (!node["id"]) y.fail(node, path, "missing 'id'");
  r.id = static_cast<std::uint32_t>(y.uint_value(node["id"], YamlReader::join(path, "id"), 1, UINT32_MAX));
  r.line = YamlReader::line(node["id"]);
  // From here on, errors name the rule.
  path = "rule " + std::to_string(r.id);
  auto key = [&](const char* k) { return path + ": " + k; };
  if (!node["msg"]) y.fail(node, path, "missing 'msg'");
  r.msg = y.string_value(node["msg"], key("msg"));
  if (node["severity"]) {
    const std::string s = y.choice(node["severity"], key("severity"), {"high", "medium", "low", "1", "2", "3"});
    r.severity = s == "high" || s == "1" ? 1 : s == "medium" || s == "2" ? 2 : 3;
  }
  if (!node["threat"]) y.fail(node, path, "missing 'threat'");
  r.threat = y.string_value(node["threat"], key("threat"));
  const auto& threats = signatures::threat_names();
  if (std::find(threats.begin(), threats.end(), r.threat) == threats.end()) {
    std::string known;
    for (const auto& t : threats) known += (known.empty() ? "" : ", ") + t;
    y.fail(node["threat"], key("threat"), "unknown threat " + YamlReader::quote(r.threat) + " (one of: " + known + ")");
  }
  if (node["references"]) {
    for (const auto& ref : one_or_many(y, node["references"], key("references"))) {
      r.references.push_back(y.string_value(ref, key("references")));
    }
  }
  if (node["app"]) {
    const std::string a = y.choice(node["app"], key("app"), {"mesos", "zookeeper", "tls", "http", "any"});
    using signatures::RuleApp;
    r.app = a == "mesos" ? RuleApp::kMesos : a == "zookeeper" ? RuleApp::kZookeeper : a == "tls" ? RuleApp::kTls
          : a == "http" ? RuleApp::kHttp : RuleApp::kAny;
  }
  if (node["flow"]) r.flow = direction(y, node["flow"], key("flow"));
  if (node["match"]) {
    const YAML::Node m = node["match"];
    if (!m.IsSequence() || m.size() == 0) y.fail(m, key("match"), "expected a list of conditions");
    for (std::size_t i = 0; i < m.size(); ++i) r.match.push_back(read_condition(y, m[i], YamlReader::index(key("match"), i)));
  }
  if (node["payload"]) {
    const YAML::Node p = node["payload"];
    if (!p.IsSequence() || p.size() == 0) y.fail(p, key("payload"), "expected a list of patterns");
    for (std::size_t i = 0; i < p.size(); ++i) r.payload.push_back(read_payload(y, p[i], YamlReader::index(key("payload"), i)));
  }
  if (r.match.empty() == r.payload.empty()) {
    y.fail(node, path, r.match.empty() ? "needs 'match' (conditions) or 'payload' (patterns)"
                                       : "'match' and 'payload' are separate rules: give each its own id");
  }
  if (node["threshold"]) {
    const YAML::Node t = node["threshold"];
    y.expect_map(t, key("threshold"), {"count", "seconds", "track"});
    if (!t["count"] || !t["seconds"]) y.fail(t, key("threshold"), "needs 'count' and 'seconds'");
    r.threshold.count = static_cast<std::uint32_t>(y.uint_value(t["count"], key("threshold.count"), 1, 1000000));
    r.threshold.seconds = static_cast<std::uint32_t>(y.uint_value(t["seconds"], key("threshold.seconds"), 1, 86400));
    if (t["track"]) {
      r.threshold.track = y.choice(t["track"], key("threshold.track"), {"by_src", "by_dst"}) == "by_dst"
                              ? signatures::ThresholdTrack::kByDestination
                              : signatures::ThresholdTrack::kBySource;
    }
  }
  return r;
}

}  // namespace

std::vector<Rule> parse_rule_text(const std::string& text, const std::string& source, std::vector<std::string>& errors) {
  std::vector<Rule> rules;
  const YamlReader y(source);
  YAML::Node doc;
  try {
    doc = y.load(text);
    y.expect_map(doc, "", {"rules"});
    if (!doc["rules"] || !doc["rules"].IsSequence()) y.fail(doc, "rules", "expected a list of rules");
  } catch (const ConfigError& e) {
    errors.push_back(e.what());
    return rules;
  } catch (const YAML::Exception& e) {
    errors.push_back(source + ": " + e.what());
    return rules;
  }
  const YAML::Node list = doc["rules"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string path = YamlReader::index("rules", i);
    try {
      Rule r = read_rule(y, list[i], path);
      r.file = source;
      rules.push_back(std::move(r));
    } catch (const ConfigError& e) {
      errors.push_back(e.what());
    } catch (const YAML::Exception& e) {
      errors.push_back(y.location(list[i]) + ": " + path + ": " + e.what());
    }
  }
  return rules;
}

LoadedRules load_rule_files(const std::vector<std::string>& paths, unsigned workers) {
  namespace fs = std::filesystem;
  LoadedRules loaded;
  std::vector<std::string> errors;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) found.push_back(entry.path().string());
      }
      if (ec) errors.push_back(path + ": cannot list rule directory: " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty() && !ec) errors.push_back(path + ": no *.yaml rule files in this directory");
      loaded.files.insert(loaded.files.end(), found.begin(), found.end());
    } else {
      loaded.files.push_back(path);
    }
  }
  std::vector<Rule> rules;
  std::string all_text;
  for (const std::string& file : loaded.files) {
    std::string text;
    try {
      text = read_text_file(file, "rule file");
    } catch (const ConfigError& e) {
      errors.push_back(e.what());
      continue;
    }
    // The version names the rules, not how their path was written:
    // base names and contents only.
    all_text += std::filesystem::path(file).filename().string() + '\n' + text;
    auto parsed = parse_rule_text(text, file, errors);
    rules.insert(rules.end(), std::make_move_iterator(parsed.begin()), std::make_move_iterator(parsed.end()));
  }
  // Compilation finds what parsing cannot (duplicate ids across files,
  // fields of different messages, bad regexes); both lists come out together.
  try {
    loaded.set = std::make_shared<const signatures::RuleSet>(std::move(rules), workers, short_sha256(all_text));
  } catch (const signatures::RuleError& e) {
    errors.insert(errors.end(), e.errors().begin(), e.errors().end());
  }
  if (!errors.empty()) throw signatures::RuleError(std::move(errors));
  return loaded;
}

}  // namespace segward::mgmt
