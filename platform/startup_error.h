#pragma once
// Control-plane failures (EAL, ports, files) are reported by throwing one of
// these at start-up; the CLI maps them to a one-line message and an exit code.
#include <stdexcept>
#include <string>

namespace segward {

class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace segward
