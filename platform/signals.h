#pragma once
// Process signals as flags polled by the control loop: SIGINT/SIGTERM ask for
// an orderly stop (stop RX, drain, flush outputs, exit 0). SIGHUP is caught
// and, until reloads exist, ignored, so it cannot kill the appliance.
#include <atomic>

namespace segward::platform {

void install_signal_handlers();
[[nodiscard]] bool stop_requested();

}  // namespace segward::platform
