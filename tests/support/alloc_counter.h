#pragma once
// Counts heap allocations (malloc, calloc, realloc, aligned variants, and so
// operator new) made by the calling thread while it is armed.
#include <cstdint>

namespace segward::test {

void arm_alloc_counter();
std::uint64_t disarm_alloc_counter();  // returns this thread's count since arming

}  // namespace segward::test
