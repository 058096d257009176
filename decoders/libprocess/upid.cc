#include "decoders/libprocess/upid.h"

#include <cstddef>

#include "decoders/common/ascii.h"

namespace segward::mesos {
namespace {

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
using decoders::is_digit;

bool is_hostname(std::string_view host) noexcept {
  if (host.empty() || host.size() > 253) return false;
  for (const char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool parse_ipv4(std::string_view text, std::array<std::uint8_t, 4>& out) noexcept {
  std::size_t pos = 0;
  for (std::size_t octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
    const std::size_t start = pos;
    unsigned value = 0;
    while (pos < text.size() && is_digit(text[pos]) && pos - start < 3) {
      value = value * 10 + static_cast<unsigned>(text[pos] - '0');
      ++pos;
    }
    const std::size_t digits = pos - start;
    if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0')) return false;
    if (pos < text.size() && is_digit(text[pos])) return false;  // a fourth digit
    out[octet] = static_cast<std::uint8_t>(value);
  }
  return pos == text.size();
}

bool parse_upid(std::string_view text, Upid& out) noexcept {
  out = Upid{};
  std::size_t begin = 0;
  while (begin < text.size() && is_space(text[begin])) ++begin;
  std::size_t end = begin;
  while (end < text.size() && !is_space(text[end])) ++end;
  const std::string_view token = text.substr(begin, end - begin);

  const std::size_t at = token.find('@');
  if (at == std::string_view::npos) return false;
  const std::size_t colon = token.find(':', at + 1);
  if (colon == std::string_view::npos) return false;
  out.id = token.substr(0, at);
  out.host = token.substr(at + 1, colon - at - 1);

  std::size_t pos = colon + 1;
  std::uint32_t port = 0;
  const std::size_t digits_start = pos;
  while (pos < token.size() && is_digit(token[pos])) {
    port = port * 10 + static_cast<std::uint32_t>(token[pos] - '0');
    if (port > 65535) return false;
    ++pos;
  }
  if (pos == digits_start) return false;
  out.port = static_cast<std::uint16_t>(port);

  out.host_is_ipv4 = parse_ipv4(out.host, out.ipv4);
  return out.host_is_ipv4 || is_hostname(out.host);
}

PidCheck check_pid(std::string_view pid_text, const net::IpAddress& source_ip) noexcept {
  Upid pid;
  if (!parse_upid(pid_text, pid)) return PidCheck::kUnparsable;
  if (!pid.host_is_ipv4) return PidCheck::kHostname;
  const std::uint8_t* source = source_ip.bytes.data();
  if (source_ip.v6) {
    static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    for (std::size_t i = 0; i < 12; ++i) {
      if (source_ip.bytes[i] != kMappedPrefix[i]) return PidCheck::kDiffers;
    }
    source += 12;
  }
  for (std::size_t i = 0; i < 4; ++i) {
    if (source[i] != pid.ipv4[i]) return PidCheck::kDiffers;
  }
  return PidCheck::kMatches;
}

}  // namespace segward::mesos
