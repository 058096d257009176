#pragma once
// Prometheus text exposition format 0.0.4, the writer's side: samples are
// collected per family so that each family is printed once, HELP and TYPE
// first and all its samples together, as the format requires whatever order
// they were added in. Hand-written because no C++ client library is packaged
// in Debian and the format is a handful of escaping and grouping rules.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace segward::api {

class PrometheusText {
 public:
  enum class Type { kCounter, kGauge };
  using Labels = std::vector<std::pair<std::string, std::string>>;

  // The first sample of a family fixes its type and HELP; adding one of the
  // same name with another type throws std::logic_error (a naming bug).
  void add(std::string_view name, Type type, std::string_view help, const Labels& labels, std::uint64_t value);
  void add(std::string_view name, Type type, std::string_view help, const Labels& labels, double value);

  [[nodiscard]] std::string str() const;

  // Escaping per the format: label values \ " and newline; HELP \ and newline.
  static std::string escape_label_value(std::string_view value);
  static std::string escape_help(std::string_view help);

 private:
  struct Family {
    std::string name;
    Type type;
    std::string help;
    std::string samples;  // rendered lines
  };
  Family& family(std::string_view name, Type type, std::string_view help);
  void add_sample(std::string_view name, Type type, std::string_view help, const Labels& labels,
                  std::string_view value);

  std::vector<Family> families_;  // in the order first added
};

}  // namespace segward::api
