#include "mgmt/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

namespace segward::mgmt {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open " + what);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(path + ": cannot read " + what);
  return text.str();
}

YAML::Node YamlReader::load(const std::string& text) const {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    // Some of yaml-cpp's messages end with the offending character.
    fail(e.mark, "", "YAML syntax error: " + escape(e.msg));
  }
}

void YamlReader::fail(const YAML::Mark& mark, const std::string& path, const std::string& message) const {
  std::ostringstream out;
  out << source_;
  if (!mark.is_null()) out << ':' << mark.line + 1 << ':' << mark.column + 1;
  out << ": ";
  if (!path.empty()) out << path << ": ";
  out << message;
  throw ConfigError(out.str());
}

std::string YamlReader::location(const YAML::Node& node) const {
  return source_ + ':' + std::to_string(line(node)) + ':' + std::to_string(column(node));
}

std::uint32_t YamlReader::line(const YAML::Node& node) {
  return node.Mark().is_null() ? 0 : static_cast<std::uint32_t>(node.Mark().line + 1);
}

std::uint32_t YamlReader::column(const YAML::Node& node) {
  return node.Mark().is_null() ? 0 : static_cast<std::uint32_t>(node.Mark().column + 1);
}

void YamlReader::expect_map(const YAML::Node& node, const std::string& path,
                            std::initializer_list<const char*> keys) const {
  if (!node.IsMap()) fail(node, path, "expected a mapping of keys");
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = key_value(entry.first, path);
    if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; })) {
      std::string expected;
      for (const char* k : keys) expected += std::string(expected.empty() ? "" : ", ") + k;
      fail(entry.first, join(path, escape(key)), "unknown key (expected one of: " + expected + ")");
    }
    // yaml-cpp keeps both entries and node[key] reads the first: refuse
    // rather than silently ignore the second.
    if (!seen.insert(key).second) fail(entry.first, join(path, escape(key)), "duplicate key");
  }
}

std::string YamlReader::key_value(const YAML::Node& key, const std::string& path) const {
  if (!key.IsScalar() || key.Scalar().empty()) fail(key, path, "expected a name as the key");
  return key.Scalar();
}

std::uint64_t YamlReader::uint_value(const YAML::Node& node, const std::string& path, std::uint64_t min,
                                     std::uint64_t max) const {
  if (!node.IsScalar()) fail(node, path, "expected an integer");
  const std::string& text = node.Scalar();
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    fail(node, path, "expected an integer, got " + quote(text));
  }
  if (value < min || value > max) {
    fail(node, path, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text);
  }
  return value;
}

std::string YamlReader::string_value(const YAML::Node& node, const std::string& path) const {
  if (!node.IsScalar()) fail(node, path, "expected a string");
  if (node.Scalar().empty()) fail(node, path, "must not be empty");
  return node.Scalar();
}

bool YamlReader::bool_value(const YAML::Node& node, const std::string& path) const {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    fail(node, path, "expected true or false");
  }
  return value;
}

std::string YamlReader::choice(const YAML::Node& node, const std::string& path,
                               std::initializer_list<const char*> options) const {
  const std::string value = string_value(node, path);
  if (std::none_of(options.begin(), options.end(), [&](const char* o) { return value == o; })) {
    std::string expected;
    std::size_t i = 0;
    for (const char* o : options) {
      expected += std::string(i == 0 ? "" : i + 1 == options.size() ? " or " : ", ") + o;
      ++i;
    }
    fail(node, path, "expected " + expected + ", got " + quote(value));
  }
  return value;
}

std::string YamlReader::quote(std::string_view text) { return "'" + escape(text) + "'"; }

std::string YamlReader::escape(std::string_view text) {
  constexpr std::size_t kMaxShown = 80;
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out;
}

}  // namespace segward::mgmt
