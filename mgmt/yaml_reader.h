#pragma once
// Reading the YAML files segward is given (the configuration, the policy)
// with every error located: `FILE:LINE:COL: key.path: message`, one line,
// thrown as ConfigError. No DPDK here, so the policy parser's fuzz target
// builds from its sources alone.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace segward::mgmt {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The whole text of a file, or ConfigError "PATH: cannot open WHAT".
std::string read_text_file(const std::string& path, const std::string& what);

// Walks the YAML tree with the key path in hand, so every error can say
// where it is and what was expected there.
class YamlReader {
 public:
  explicit YamlReader(std::string source) : source_(std::move(source)) {}

  [[nodiscard]] const std::string& source() const { return source_; }

  // The document; syntax errors come out located.
  [[nodiscard]] YAML::Node load(const std::string& text) const;

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path, const std::string& message) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& path, const std::string& message) const {
    fail(node.Mark(), path, message);
  }

  // "FILE:LINE:COL" of a node, and its 1-based line.
  [[nodiscard]] std::string location(const YAML::Node& node) const;
  [[nodiscard]] static std::uint32_t line(const YAML::Node& node);
  [[nodiscard]] static std::uint32_t column(const YAML::Node& node);

  // A mapping whose keys are all among `keys`, each once.
  void expect_map(const YAML::Node& node, const std::string& path, std::initializer_list<const char*> keys) const;
  // A mapping key: a non-empty scalar.
  [[nodiscard]] std::string key_value(const YAML::Node& key, const std::string& path) const;

  [[nodiscard]] std::uint64_t uint_value(const YAML::Node& node, const std::string& path, std::uint64_t min,
                                         std::uint64_t max) const;
  [[nodiscard]] std::string string_value(const YAML::Node& node, const std::string& path) const;
  [[nodiscard]] bool bool_value(const YAML::Node& node, const std::string& path) const;
  [[nodiscard]] std::string choice(const YAML::Node& node, const std::string& path,
                                   std::initializer_list<const char*> options) const;

  [[nodiscard]] static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  // Text from the file, for a message: in single quotes, control
  // characters escaped (messages are one line), long text cut.
  [[nodiscard]] static std::string quote(std::string_view text);
  [[nodiscard]] static std::string escape(std::string_view text);  // the same without the quotes
  [[nodiscard]] static std::string index(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
  }

 private:
  std::string source_;
};

}  // namespace segward::mgmt
