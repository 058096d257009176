#pragma once
// Reading signature rule files (the format: signatures/README.md) into the
// rule model, with every error located and attributed to its rule:
// `mesos.yaml:14:9: rule 110001: match[1].field: unknown field 'mesos.nope'`.
// A file's rules are read one by one, so one run reports every broken rule,
// not just the first. No DPDK here: the rule parser's fuzz target builds
// from these sources, yaml-cpp and the signatures library alone.
#include <memory>
#include <string>
#include <vector>

#include "signatures/rule.h"
#include "signatures/rule_set.h"

namespace segward::mgmt {

// Parses one file's text; appends what is wrong to `errors`. `source`
// names the file in messages.
std::vector<signatures::Rule> parse_rule_text(const std::string& text, const std::string& source,
                                              std::vector<std::string>& errors);

struct LoadedRules {
  std::shared_ptr<const signatures::RuleSet> set;
  std::vector<std::string> files;  // what was read, in order (directories expanded)
};

// Reads `paths` (files, or directories whose *.yaml / *.yml files are read
// in name order), checks and compiles them for `workers` workers. Throws
// signatures::RuleError with every error found (parsing and compilation).
LoadedRules load_rule_files(const std::vector<std::string>& paths, unsigned workers);

}  // namespace segward::mgmt
