#pragma once
// Per-worker counters: written only by their worker (relaxed atomics compile
// to plain loads and stores on x86), read and summed by the management thread.
#include <atomic>
#include <cstdint>

#include "dataplane/flow.h"
#include "decoders/net/packet_layers.h"

namespace segward::dataplane {

class Counter {
 public:
  void add(std::uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void set(std::uint64_t n) { v_.store(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

// Every packet a worker receives ends in exactly one verdict counter.
enum class Verdict : std::uint8_t { kForward = 0, kDrop = 1, kObserve = 2 };
inline constexpr std::size_t kVerdictCount = 3;

struct alignas(64) WorkerCounters {
  Counter rx_packets;
  Counter rx_bytes;
  Counter decode_errors[net::kDecodeErrorCount];
  Counter ipv4;
  Counter ipv6;
  Counter arp;
  Counter other_l3;  // unknown ethertype: LLDP, MPLS, ...
  Counter tcp;
  Counter udp;
  Counter icmp;
  Counter other_l4;
  Counter fragments;
  Counter verdicts[kVerdictCount];
  Counter tx_packets;
  Counter tx_dropped;      // the peer port's TX queue was full
  Counter flows_created;
  Counter flows_ended[kFlowEndReasonCount];
  Counter flows_active;
  Counter flow_insert_failed;  // table full and nothing evictable
  Counter events_dropped;      // event ring full (live mode only; replay waits)
};

}  // namespace segward::dataplane
