#pragma once
// DPDK objects (rings, tables, pools) need process-wide unique names; tests
// that make many of them number them.
#include <atomic>
#include <string>

namespace segward::test {

inline std::string unique_name(const char* stem) {
  static std::atomic<int> n{0};
  return std::string(stem) + std::to_string(n++);
}

}  // namespace segward::test
