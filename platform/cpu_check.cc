// Refuses to start on a CPU that lacks an instruction-set extension this
// binary was compiled for (SEGWARD_ARCH, cmake/SegwardArch.cmake), with a
// message saying how to rebuild, instead of dying of SIGILL somewhere in the
// packet path. Runs as a constructor before every other static initialiser
// (which may already use those instructions), and is itself compiled for
// the x86-64 baseline so that the check cannot fault.
#include <unistd.h>

#include <cstring>

namespace {

#if defined(__x86_64__)

void say(const char* text) {
  const std::size_t n = std::strlen(text);
  if (::write(STDERR_FILENO, text, n) < 0) return;  // nothing else to tell
}

[[gnu::constructor(101), gnu::target("arch=x86-64")]] void require_build_cpu() {
  __builtin_cpu_init();
  struct Feature {
    const char* name;
    bool present;
  };
  const Feature wanted[] = {
      {"sse4.2", __builtin_cpu_supports("sse4.2") != 0},  // DPDK's own baseline
#ifdef __AVX__
      {"avx", __builtin_cpu_supports("avx") != 0},
#endif
#ifdef __AVX2__
      {"avx2", __builtin_cpu_supports("avx2") != 0},
#endif
#ifdef __FMA__
      {"fma", __builtin_cpu_supports("fma") != 0},
#endif
#ifdef __BMI__
      {"bmi", __builtin_cpu_supports("bmi") != 0},
#endif
#ifdef __BMI2__
      {"bmi2", __builtin_cpu_supports("bmi2") != 0},
#endif
#ifdef __MOVBE__
      {"movbe", __builtin_cpu_supports("movbe") != 0},
#endif
#ifdef __AVX512F__
      {"avx512f", __builtin_cpu_supports("avx512f") != 0},
#endif
  };
  for (const Feature& f : wanted) {
    if (f.present) continue;
    say("segward: this CPU lacks ");
    say(f.name);
    say(", which this binary was built for; rebuild with -DSEGWARD_ARCH=dpdk (DPDK's baseline) "
        "or the -march of the target machine (README, \"Build for the machine it runs on\")\n");
    ::_exit(1);
  }
}

#endif

}  // namespace
