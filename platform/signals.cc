#include "platform/signals.h"

#include <csignal>

namespace segward::platform {
namespace {
// Lock-free atomics are async-signal-safe.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

std::atomic<bool> g_reload{false};

extern "C" void on_stop_signal(int) { g_stop.store(true, std::memory_order_relaxed); }
extern "C" void on_reload_signal(int) { g_reload.store(true, std::memory_order_relaxed); }
}  // namespace

void install_signal_handlers() {
  struct sigaction stop {};
  stop.sa_handler = on_stop_signal;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGINT, &stop, nullptr);
  sigaction(SIGTERM, &stop, nullptr);
  struct sigaction reload {};
  reload.sa_handler = on_reload_signal;
  sigemptyset(&reload.sa_mask);
  sigaction(SIGHUP, &reload, nullptr);
}

bool stop_requested() { return g_stop.load(std::memory_order_relaxed); }

bool take_reload_request() { return g_reload.exchange(false, std::memory_order_relaxed); }

}  // namespace segward::platform
