#pragma once
// Owns the DPDK Environment Abstraction Layer for the life of the process:
// initialised once from the configured argument list, cleaned up on exit.
#include <string>
#include <vector>

namespace segward::platform {

// Works on any Linux machine: no hugepages, no shared runtime files, no PCI scan.
std::vector<std::string> default_eal_args();

class EalSession {
 public:
  // `args` excludes argv[0]. Throws StartupError with DPDK's reason on failure.
  explicit EalSession(const std::vector<std::string>& args);
  ~EalSession();
  EalSession(const EalSession&) = delete;
  EalSession& operator=(const EalSession&) = delete;

  // EAL lcores other than the main one, in order: one per dataplane worker.
  [[nodiscard]] std::vector<unsigned> worker_lcores() const;
};

}  // namespace segward::platform
