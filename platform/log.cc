#include "platform/log.h"

#include <cstdio>

namespace segward::platform {
namespace {
void print(const char* level, std::string_view message) {
  std::fprintf(stderr, "segward: %s: %.*s\n", level, static_cast<int>(message.size()), message.data());
}
}  // namespace

void log_error(std::string_view message) { print("error", message); }
void log_warning(std::string_view message) { print("warning", message); }
void log_notice(std::string_view message) { print("notice", message); }

}  // namespace segward::platform
