// Text form of an address, for tests, logs and the management plane.
#include <array>
#include <cstdio>
#include <string>

#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

std::string format_v4(const std::uint8_t* b) {
  std::array<char, 16> text{};
  std::snprintf(text.data(), text.size(), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  return text.data();
}

}  // namespace

std::string format_ip(const IpAddress& ip) {
  if (!ip.v6) return format_v4(ip.bytes.data());

  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = (ip.bytes[2 * i] << 8) | ip.bytes[2 * i + 1];

  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 &&
      groups[5] == 0xffff) {
    return "::ffff:" + format_v4(ip.bytes.data() + 12);
  }

  // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups,
  // the first one on a tie.
  std::size_t best_start = 8, best_len = 0;
  for (std::size_t i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }

  std::string text;
  text.reserve(40);
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      text += "::";
      i += best_len - 1;
      continue;
    }
    if (!text.empty() && text.back() != ':') text += ':';
    std::array<char, 5> group{};
    std::snprintf(group.data(), group.size(), "%x", groups[i]);  // §4.3: lowercase, no leading zeros
    text += group.data();
  }
  return text;
}

}  // namespace segward::net
