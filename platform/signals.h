#pragma once
// Process signals as flags polled by the control loop: SIGINT/SIGTERM ask for
// an orderly stop (stop RX, drain, flush outputs, exit 0), SIGHUP for a reload.
#include <atomic>

namespace segward::platform {

void install_signal_handlers();
[[nodiscard]] bool stop_requested();
void request_stop();  // same as receiving SIGTERM; for tests and replay end
[[nodiscard]] bool take_reload_request();  // true once per SIGHUP

}  // namespace segward::platform
