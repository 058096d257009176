#pragma once
// The bearer token segwardctl sends, from a file that holds either the bare
// token or lines in the server's own format ("ROLE TOKEN", # comments), so
// that an operator can point segwardctl at a copy of the server's file.
#include <string>

namespace segward::ctl {

// The first token in `text` (bare, or the second word of a "ROLE TOKEN"
// line; comments and blank lines skipped), or "" when there is none.
std::string parse_token_file(const std::string& text);

// Reads `path`; throws CtlError(kUsage) when it cannot be read or holds no token.
std::string read_token_file(const std::string& path);

}  // namespace segward::ctl
