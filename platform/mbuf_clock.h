#pragma once
// Engine time in nanoseconds since the Unix epoch. On replay it is the
// capture timestamp the net_pcap driver puts in each mbuf, so results do not
// depend on replay speed; live it is the TSC, anchored to the wall clock once
// at start-up and read once per burst.
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include <cstdint>

namespace segward::platform {

class MbufClock {
 public:
  // Looks up the RX timestamp dynamic field; call after the ports started.
  void init();

  // Capture time of `m`, or 0 when the driver did not stamp it.
  [[nodiscard]] std::uint64_t packet_time_ns(const rte_mbuf* m) const {
    if (offset_ < 0 || (m->ol_flags & flag_) == 0) return 0;
    return *RTE_MBUF_DYNFIELD(m, offset_, const rte_mbuf_timestamp_t*) * ns_per_unit_;
  }

  [[nodiscard]] std::uint64_t now_ns() const {
    return wall_at_start_ns_ + static_cast<std::uint64_t>(
                                   static_cast<double>(rte_rdtsc() - tsc_at_start_) * ns_per_tsc_);
  }

 private:
  int offset_ = -1;
  std::uint64_t flag_ = 0;
  std::uint64_t ns_per_unit_ = 1;
  std::uint64_t wall_at_start_ns_ = 0;
  std::uint64_t tsc_at_start_ = 0;
  double ns_per_tsc_ = 1.0;
};

}  // namespace segward::platform
