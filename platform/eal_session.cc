#include "platform/eal_session.h"

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include <string>

#include "platform/startup_error.h"

namespace segward::platform {

// Debian's DPDK 22.11 treats --no-huge as legacy memory, which it refuses to
// combine with --in-memory; --no-shconf gives the same "no files, no
// multi-process" behaviour, so several instances (and tests) can run at once.
std::vector<std::string> default_eal_args() {
  return {"--no-huge", "--no-shconf", "--no-pci", "-l", "0-1", "-m", "1024", "--log-level", "*:warning", "--no-telemetry"};
}

EalSession::EalSession(const std::vector<std::string>& args) {
  // rte_eal_init may permute argv, so it gets its own mutable copies.
  std::vector<std::string> storage;
  storage.reserve(args.size() + 1);
  storage.emplace_back("segward");
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  if (rte_eal_init(static_cast<int>(storage.size()), argv.data()) < 0) {
    throw StartupError(std::string("DPDK EAL initialisation failed: ") + rte_strerror(rte_errno));
  }
}

EalSession::~EalSession() { rte_eal_cleanup(); }

std::vector<unsigned> EalSession::worker_lcores() const {
  std::vector<unsigned> lcores;
  unsigned lcore = 0;
  RTE_LCORE_FOREACH_WORKER(lcore) { lcores.push_back(lcore); }
  return lcores;
}

}  // namespace segward::platform
