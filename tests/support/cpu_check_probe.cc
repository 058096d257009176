// A program with platform/cpu_check.cc linked in and nothing else: the test
// cpu_check_refuses builds it for x86-64-v4 (AVX-512) and runs it under
// valgrind, whose virtual CPU has no AVX-512, so the check must stop it
// before main() prints.
#include <cstdio>

int main() {
  std::puts("cpu_check_probe: main() reached");
  return 0;
}
