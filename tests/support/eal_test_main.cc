// main() for tests that need DPDK: one EAL per test process, with no
// hugepages, no PCI and no shared files, on a single lcore unless the test
// binary's environment asks for more (SEGWARD_TEST_LCORES).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "platform/eal_session.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Test discovery at build time only lists tests: no EAL needed.
  if (::testing::GTEST_FLAG(list_tests)) return RUN_ALL_TESTS();
  const char* lcores = std::getenv("SEGWARD_TEST_LCORES");
  std::vector<std::string> args = {"--no-huge", "--no-shconf", "--no-pci", "-m", "256",
                                   "-l", lcores ? lcores : "0-1", "--log-level", "*:error"};
  if (const char* vdev = std::getenv("SEGWARD_TEST_VDEV")) args.push_back(std::string("--vdev=") + vdev);
  segward::platform::EalSession eal(args);
  return RUN_ALL_TESTS();
}
