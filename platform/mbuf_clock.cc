#include "platform/mbuf_clock.h"

#include <chrono>

namespace segward::platform {

void MbufClock::init() {
  offset_ = rte_mbuf_dynfield_lookup(RTE_MBUF_DYNFIELD_TIMESTAMP_NAME, nullptr);
  const int bit = rte_mbuf_dynflag_lookup(RTE_MBUF_DYNFLAG_RX_TIMESTAMP_NAME, nullptr);
  flag_ = bit < 0 ? 0 : (1ULL << bit);
  // net_pcap in DPDK 22.11 stores microseconds (tv_sec * 1e6 + tv_usec).
  ns_per_unit_ = 1000;
  wall_at_start_ns_ = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  tsc_at_start_ = rte_rdtsc();
  ns_per_tsc_ = 1e9 / static_cast<double>(rte_get_tsc_hz());
}

}  // namespace segward::platform
