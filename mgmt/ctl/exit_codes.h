#pragma once
// segwardctl's exit codes (also in its --help footer): scripts tell a refused
// policy from a sensor that is down from a wrong token.
#include <stdexcept>
#include <string>

namespace segward::ctl {

enum ExitCode : int {
  kOk = 0,
  kServerError = 1,       // an HTTP error other than the ones below, or a reply that does not parse
  kUsage = 2,             // bad arguments, unreadable local file
  kAuth = 3,              // 401 (no or unknown token) or 403 (a read token on an admin route)
  kCannotConnect = 4,     // no answer: connection refused, TLS handshake failed, timeout
  kValidationRefused = 5  // policy validate / apply: the server said the policy is not valid
};

inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  server or HTTP error (the server's message is printed)\n"
    "  2  usage error (bad arguments, unreadable local file)\n"
    "  3  authentication refused (401: no or unknown token; 403: admin route with a read token)\n"
    "  4  cannot connect (refused, TLS failure, timeout)\n"
    "  5  policy refused by validation (policy validate / apply)\n";

// What a command stops with: printed as "segwardctl: MESSAGE", then exit(code).
struct CtlError : std::runtime_error {
  CtlError(ExitCode c, const std::string& message) : std::runtime_error(message), code(c) {}
  ExitCode code;
};

}  // namespace segward::ctl
