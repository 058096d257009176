#pragma once
// Process signals as flags polled by the control loop: SIGINT/SIGTERM ask for
// an orderly stop (stop RX, drain, flush outputs, exit 0); SIGHUP asks for a
// reload of the policy file (never a stop).
#include <atomic>

namespace segward::platform {

void install_signal_handlers();
[[nodiscard]] bool stop_requested();
// True once per SIGHUP received since the last call (several coalesce).
[[nodiscard]] bool take_reload_request();

}  // namespace segward::platform
