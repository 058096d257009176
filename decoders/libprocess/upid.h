#pragma once
// libprocess PIDs ("id@host:port") as Mesos parses them (libprocess
// pid.cpp operator>>): the first whitespace-delimited token; the id is the
// text before the first '@'; the host runs to the next ':'; the port is the
// leading decimal digits after it (what sscanf("%hu") takes). The writer
// always prints a dotted IPv4 address; a hostname is resolved by the
// receiver, so the wire says nothing about which address it means.
#include <array>
#include <cstdint>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/net/packet_layers.h"

namespace segward::mesos {

struct Upid {
  std::string_view id;    // views into the parsed text
  std::string_view host;
  std::uint16_t port = 0;
  bool host_is_ipv4 = false;
  std::array<std::uint8_t, 4> ipv4{};
};

/// False when `text` is not a PID libprocess would accept (no '@', no ':',
/// no port digits, a port over 65535, an empty host or one with characters
/// no hostname has).
[[nodiscard]] bool parse_upid(std::string_view text, Upid& out) noexcept;

/// Strict dotted-quad IPv4 (four decimal octets, no leading zeros), as inet_pton(AF_INET).
[[nodiscard]] bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& out) noexcept;

/// The claimed PID's IP against the TCP source address. An IPv4-mapped IPv6
/// source compares by its IPv4 part; any other IPv6 source differs.
[[nodiscard]] PidCheck check_pid(std::string_view pid_text, const net::IpAddress& source_ip) noexcept;

}  // namespace segward::mesos
