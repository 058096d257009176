#pragma once
// A fixed pool of per-connection decoder states of one kind (HTTP, ZooKeeper,
// TLS), allocated once from DPDK memory and handed out by index through a
// free list. A Flow names its session by index; its AppProto says which
// pool the index belongs to.
#include <rte_malloc.h>

#include <cstdint>
#include <new>
#include <string>

#include "dataplane/flow.h"
#include "platform/startup_error.h"

namespace segward::dataplane {

// `Session` must have a `std::uint32_t next_free` member.
template <class Session>
class SessionPool {
 public:
  // `what` names the pool in the start-up error and the config key to lower.
  SessionPool(std::uint32_t count, const char* what) : count_(count) {
    if (count_ == 0) return;
    void* mem = rte_zmalloc(what, sizeof(Session) * count_, alignof(Session));
    if (mem == nullptr) {
      throw StartupError("cannot allocate " + std::to_string(count_) + " " + what + " (" +
                         std::to_string((sizeof(Session) * count_) >> 20) +
                         " MiB): lower its count in the l7 config or give the EAL more memory with -m");
    }
    sessions_ = static_cast<Session*>(mem);
    for (std::uint32_t i = count_; i-- > 0;) {
      new (&sessions_[i]) Session();
      sessions_[i].next_free = free_head_;
      free_head_ = i;
    }
  }
  ~SessionPool() {
    if (sessions_ == nullptr) return;
    for (std::uint32_t i = 0; i < count_; ++i) sessions_[i].~Session();
    rte_free(sessions_);
  }
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  // kNoSession when every session is taken. The session keeps whatever its
  // previous owner left: the caller resets what it uses.
  std::uint32_t acquire() {
    if (free_head_ == kNoSession) return kNoSession;
    const std::uint32_t index = free_head_;
    free_head_ = sessions_[index].next_free;
    ++in_use_;
    ++created_;
    return index;
  }
  void release(std::uint32_t index) {
    sessions_[index].next_free = free_head_;
    free_head_ = index;
    --in_use_;
  }
  [[nodiscard]] bool owns(std::uint32_t index) const { return sessions_ != nullptr && index < count_; }
  Session& operator[](std::uint32_t index) { return sessions_[index]; }

  [[nodiscard]] std::uint32_t in_use() const { return in_use_; }
  [[nodiscard]] std::uint64_t created() const { return created_; }

 private:
  Session* sessions_ = nullptr;
  std::uint32_t count_;
  std::uint32_t free_head_ = kNoSession;
  std::uint32_t in_use_ = 0;
  std::uint64_t created_ = 0;
};

}  // namespace segward::dataplane
