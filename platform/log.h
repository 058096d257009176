#pragma once
// One-line diagnostics on stderr. Control-plane only: never call on the
// per-packet path.
#include <string_view>

namespace segward::platform {

void log_error(std::string_view message);
void log_warning(std::string_view message);
void log_notice(std::string_view message);  // what an operator wants in the log: a policy loaded, reloaded

}  // namespace segward::platform
