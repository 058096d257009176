# Shared compile settings and helpers for segward's targets.

add_library(segward_warnings INTERFACE)
target_compile_options(segward_warnings INTERFACE
  -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough)
target_include_directories(segward_warnings INTERFACE ${PROJECT_SOURCE_DIR})

# GCC turns a memset or struct copy of more than ~128 bytes into `rep stos`
# / `rep movs`, microcoded instructions with a start-up cost of dozens of
# cycles: resetting one 176-byte PacketLayers that way per packet cost a
# quarter of the benchmark's packet rate. Plain SSE stores have none.
include(CheckCXXCompilerFlag)
set(SEGWARD_STRINGOP_FLAGS
  -mmemset-strategy=vector_loop:2048:noalign,libcall:-1:noalign
  -mmemcpy-strategy=vector_loop:2048:noalign,libcall:-1:noalign)
check_cxx_compiler_flag("${SEGWARD_STRINGOP_FLAGS}" SEGWARD_HAS_STRINGOP_STRATEGY)
if(SEGWARD_HAS_STRINGOP_STRATEGY)
  add_compile_options(${SEGWARD_STRINGOP_FLAGS})
endif()

if(SEGWARD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# segward_library(NAME SOURCES ... LIBS ...): one static library per folder.
function(segward_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_link_libraries(${name} PUBLIC segward_warnings ${ARG_LIBS})
endfunction()

# segward_fuzzer(NAME SOURCES ... LIBS ...): a libFuzzer target when SEGWARD_FUZZ
# is on (clang), otherwise a standalone driver that replays corpus files, so the
# fuzz entry point is built and exercised in every build.
function(segward_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(SEGWARD_FUZZ)
    add_executable(${name} ${ARG_SOURCES})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  else()
    add_executable(${name} ${ARG_SOURCES} ${PROJECT_SOURCE_DIR}/tests/support/fuzz_standalone_driver.cc)
  endif()
  target_link_libraries(${name} PRIVATE segward_warnings ${ARG_LIBS})
endfunction()

# segward_libfuzzer_check(NAME SOURCES ... CORPUS DIR RUNS N [EXTRA args...]):
# when clang++ and its libFuzzer runtime are present, builds NAME_libfuzzer with
# clang++ straight from the sources (EXTRA: further compiler arguments, e.g.
# generated sources, -I and -l flags) and registers a ctest that runs it for N
# iterations from CORPUS, so every CI run does real coverage-guided fuzzing.
find_program(SEGWARD_CLANGXX NAMES clang++ clang++-14)
function(segward_libfuzzer_check name)
  cmake_parse_arguments(ARG "" "CORPUS;RUNS" "SOURCES;EXTRA;DEPENDS" ${ARGN})
  if(NOT SEGWARD_CLANGXX OR NOT SEGWARD_TESTS)
    return()
  endif()
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}_libfuzzer)
  add_custom_command(OUTPUT ${out}
    COMMAND ${SEGWARD_CLANGXX} -std=c++20 -O1 -g -I${PROJECT_SOURCE_DIR}
            -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
            ${ARG_SOURCES} ${ARG_EXTRA} -o ${out}
    DEPENDS ${ARG_SOURCES} ${ARG_DEPENDS}
    COMMENT "Building ${name} with clang++ and libFuzzer"
    VERBATIM)
  add_custom_target(${name}_libfuzzer ALL DEPENDS ${out})
  set(work ${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus)
  add_test(NAME ${name}_libfuzzer
    COMMAND sh -c "rm -rf '${work}' && mkdir -p '${work}' && cp -r '${ARG_CORPUS}'/. '${work}'/ && '${out}' -runs=${ARG_RUNS} -max_total_time=120 -seed=1 '${work}'")
  set_tests_properties(${name}_libfuzzer PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
