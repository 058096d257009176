#pragma once
// One-line diagnostics on stderr. Control-plane only: never call on the
// per-packet path.
#include <string_view>

namespace segward::platform {

enum class LogLevel { kError, kWarning, kInfo, kDebug };

void set_log_level(LogLevel level);
void log(LogLevel level, std::string_view message);
inline void log_error(std::string_view m) { log(LogLevel::kError, m); }
inline void log_warning(std::string_view m) { log(LogLevel::kWarning, m); }
inline void log_info(std::string_view m) { log(LogLevel::kInfo, m); }

}  // namespace segward::platform
