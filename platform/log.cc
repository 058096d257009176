#include "platform/log.h"

#include <atomic>
#include <cstdio>

namespace segward::platform {
namespace {
std::atomic<LogLevel> g_level{LogLevel::kWarning};

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kError: return "error";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kInfo: return "info";
    case LogLevel::kDebug: return "debug";
  }
  return "?";
}
}  // namespace

void set_log_level(LogLevel level) { g_level.store(level); }

void log(LogLevel level, std::string_view message) {
  if (level > g_level.load()) return;
  std::fprintf(stderr, "segward: %s: %.*s\n", level_name(level), static_cast<int>(message.size()),
               message.data());
}

}  // namespace segward::platform
