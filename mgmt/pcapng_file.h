#pragma once
// The pcapng blocks an evidence file is made of (the pcapng draft,
// draft-ietf-opsawg-pcapng): a Section Header Block, one Interface
// Description Block (Ethernet, nanosecond timestamps) and one Enhanced Packet
// Block per frame, each with an optional comment.
//
// Written here rather than with DPDK's rte_pcapng: that takes mbufs (a
// mempool on the management thread, a copy into an mbuf per packet), turns
// TSC cycles into time against its own clock base (a replayed capture's
// timestamps, years old, cannot be given) and describes the ethdev ports of
// this process; libpcap writes only pcap. Three fixed block layouts are less
// than either adaptation.
#include <cstdint>
#include <cstdio>
#include <span>
#include <string_view>

namespace segward::mgmt::pcapng {

inline constexpr std::uint16_t kLinkEthernet = 1;

// Each writes one block at the end of `out`; false when the write failed.
bool write_section_header(std::FILE* out, std::string_view comment, std::string_view application);
bool write_interface(std::FILE* out, std::uint16_t link_type, std::uint32_t snap_len, std::string_view name);
bool write_packet(std::FILE* out, std::uint32_t interface, std::uint64_t timestamp_ns, std::uint32_t orig_len,
                  std::span<const std::uint8_t> captured, std::string_view comment = {});

}  // namespace segward::mgmt::pcapng
