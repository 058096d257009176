#include "tests/support/alloc_counter.h"

#include <cstddef>

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
}

namespace {
// Constant-initialised, so reading it inside malloc never allocates.
thread_local bool t_armed = false;
thread_local std::uint64_t t_count = 0;

inline void note() {
  if (t_armed) ++t_count;
}
}  // namespace

namespace segward::test {
void arm_alloc_counter() {
  t_count = 0;
  t_armed = true;
}
std::uint64_t disarm_alloc_counter() {
  t_armed = false;
  return t_count;
}
}  // namespace segward::test

// Interpose the C allocator: libstdc++'s operator new ends up here too.
extern "C" {
void* malloc(std::size_t n) {
  note();
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
  note();
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
  note();
  return __libc_realloc(p, n);
}
void* memalign(std::size_t align, std::size_t n) {
  note();
  return __libc_memalign(align, n);
}
void* aligned_alloc(std::size_t align, std::size_t n) {
  note();
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, std::size_t align, std::size_t n) {
  note();
  *out = __libc_memalign(align, n);
  return *out == nullptr ? 12 /* ENOMEM */ : 0;
}
}
