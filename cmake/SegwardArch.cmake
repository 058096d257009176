# Which x86 instruction set segward's own code is compiled for.
#
# Debian's libdpdk.pc hands every user `-march=corei7` (its build baseline,
# SSE4.2), and it comes after our flags on the command line, so it would win.
# An appliance's firmware is built for the machine it runs on; the per-packet
# code gains from newer instructions (MOVBE loads of big-endian fields, BMI
# shifts and bit tests, VEX three-operand SSE: BENCHMARKS.md, "Instruction
# set"). SEGWARD_ARCH replaces DPDK's -march:
#   auto (default): x86-64-v3 (AVX2, BMI1/2, MOVBE) when the compiler takes
#                   it and the build machine runs it, else DPDK's baseline;
#   dpdk:           keep DPDK's -march (the portable build);
#   anything else:  passed as -march=VALUE.
# Not AVX-512 (x86-64-v4, or -march=native on such a CPU): valgrind, which
# the tests and tests/bench use, stops at AVX2.
set(SEGWARD_ARCH "auto" CACHE STRING "x86 -march for segward's code: auto, dpdk, or a -march value")

set(_segward_march "")
if(SEGWARD_ARCH STREQUAL "auto")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$")
    include(CheckCXXSourceRuns)
    set(CMAKE_REQUIRED_FLAGS "-march=x86-64-v3")
    # Runs on the build machine: the compiler accepting the flag is not enough.
    check_cxx_source_runs([=[
      #include <immintrin.h>
      int main() {
        __builtin_cpu_init();
        if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("bmi2")) return 1;
        volatile unsigned x = 0x12345678u;
        return _pdep_u32(x, 0xffu) == 0x78u ? 0 : 1;
      }]=] SEGWARD_HOST_RUNS_X86_64_V3)
    unset(CMAKE_REQUIRED_FLAGS)
    if(SEGWARD_HOST_RUNS_X86_64_V3)
      set(_segward_march "x86-64-v3")
    endif()
  endif()
elseif(NOT SEGWARD_ARCH STREQUAL "dpdk")
  # Refused here, with the option's name, rather than as a compiler error
  # on the first source file.
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag("-march=${SEGWARD_ARCH}" SEGWARD_ARCH_ACCEPTED_${SEGWARD_ARCH})
  if(NOT SEGWARD_ARCH_ACCEPTED_${SEGWARD_ARCH})
    message(FATAL_ERROR "SEGWARD_ARCH=${SEGWARD_ARCH}: the compiler does not accept -march=${SEGWARD_ARCH} "
                        "(use auto, dpdk, or a -march value such as x86-64-v3 or skylake)")
  endif()
  set(_segward_march "${SEGWARD_ARCH}")
endif()

# segward_use_arch(TARGET): after pkg_check_modules(DPDK ...). Drops DPDK's
# -march from its imported target and compiles everything with ours.
function(segward_use_arch target)
  if(_segward_march STREQUAL "")
    message(STATUS "segward: instruction set: DPDK's baseline")
    return()
  endif()
  get_target_property(opts ${target} INTERFACE_COMPILE_OPTIONS)
  list(FILTER opts EXCLUDE REGEX "^-march=")
  set_target_properties(${target} PROPERTIES INTERFACE_COMPILE_OPTIONS "${opts}")
  add_compile_options(-march=${_segward_march})
  message(STATUS "segward: instruction set: -march=${_segward_march} (SEGWARD_ARCH=${SEGWARD_ARCH})")
endfunction()
