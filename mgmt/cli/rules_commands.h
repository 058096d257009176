#pragma once
// `segward rules check|test|fields`: the signature rule files' command line.
#include <string>
#include <vector>

#include "mgmt/config.h"

namespace segward::mgmt {

// Compiles FILES (or directories); prints "FILE: ok: N rules" per file or
// every located error. Returns 0, or 2 when anything was refused.
int rules_check(const std::vector<std::string>& paths);

// Replays CAPTURES with the rules of PATHS (and no policy), printing which
// rules fired on which flows and a summary table, or (`json`) one JSON
// object per alert and a final {"summary": [...]}. `config` gives the
// dataplane settings (default_config() without --config). Returns 0, or 2
// for refused rules; a bad capture throws CaptureError (segward exits 3).
int rules_test(Config config, const std::vector<std::string>& paths, const std::vector<std::string>& captures,
               bool json, const std::string& eve_path);

// The fields rules may test, one per line: name, subject, type, what it holds.
int rules_fields();

}  // namespace segward::mgmt
