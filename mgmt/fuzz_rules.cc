// Fuzz target: arbitrary text as a signature rule file, read and then
// compiled. A list of located errors is the expected answer to a bad file;
// anything else (another exception, a crash, a hang) is a bug.
//
// Invariants: every error is one line naming the file ("fuzz.yaml:"); a
// rule that parses has an id, a message, a known threat and either
// conditions or payload patterns; compiling what parsed either succeeds or
// refuses with errors that are located too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mgmt/rule_file.h"

namespace {

void check_at(bool invariant, int line) {
  if (!invariant) {
    std::fprintf(stderr, "fuzz_rules: invariant at line %d failed\n", line);
    std::abort();
  }
}
#define CHECK(x) check_at((x), __LINE__)

void check_errors(const std::vector<std::string>& errors) {
  for (const std::string& e : errors) {
    CHECK(e.rfind("fuzz.yaml", 0) == 0);
    CHECK(e.find('\n') == std::string::npos);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> errors;
  auto rules = segward::mgmt::parse_rule_text(text, "fuzz.yaml", errors);
  check_errors(errors);
  const auto& threats = segward::signatures::threat_names();
  for (const auto& r : rules) {
    CHECK(r.id != 0);
    CHECK(!r.msg.empty());
    CHECK(std::find(threats.begin(), threats.end(), r.threat) != threats.end());
    CHECK(r.match.empty() != r.payload.empty());
    CHECK(r.severity >= 1 && r.severity <= 3);
    for (const auto& c : r.match) CHECK(c.field != segward::signatures::FieldId::kCount);
  }
  try {
    const std::size_t parsed = rules.size();
    const segward::signatures::RuleSet set(std::move(rules), 1, "fuzz");
    CHECK(set.size() == parsed);
  } catch (const segward::signatures::RuleError& e) {
    check_errors(e.errors());
  }
  return 0;
}
