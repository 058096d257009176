#pragma once
// Small helpers to write policies in tests the way a policy file reads.
#include <array>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dataplane/policy/compiled_policy.h"
#include "dataplane/policy/policy.h"

namespace segward::policy::testing {

// "10.1.0.0/16", "2001:db8::/32" (IPv6 written out with "::" allowed).
inline Cidr cidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string addr(text.substr(0, slash));
  Cidr c;
  c.prefix = static_cast<std::uint8_t>(std::stoi(std::string(text.substr(slash + 1))));
  if (addr.find(':') == std::string::npos) {
    unsigned a, b, d, e;
    if (std::sscanf(addr.c_str(), "%u.%u.%u.%u", &a, &b, &d, &e) != 4) throw std::invalid_argument(addr);
    c.address = net::IpAddress::v4_from(static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b),
                                        static_cast<std::uint8_t>(d), static_cast<std::uint8_t>(e));
    return c;
  }
  // IPv6: groups before and after "::".
  std::vector<std::uint16_t> head, tail;
  std::vector<std::uint16_t>* into = &head;
  std::size_t i = 0;
  while (i < addr.size()) {
    if (addr.compare(i, 2, "::") == 0) {
      into = &tail;
      i += 2;
      continue;
    }
    if (addr[i] == ':') {
      ++i;
      continue;
    }
    std::size_t end = addr.find(':', i);
    if (end == std::string::npos) end = addr.size();
    into->push_back(static_cast<std::uint16_t>(std::stoul(addr.substr(i, end - i), nullptr, 16)));
    i = end;
  }
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t g = 0; g < head.size(); ++g) {
    bytes[2 * g] = static_cast<std::uint8_t>(head[g] >> 8);
    bytes[2 * g + 1] = static_cast<std::uint8_t>(head[g]);
  }
  for (std::size_t g = 0; g < tail.size(); ++g) {
    const std::size_t at = 8 - tail.size() + g;
    bytes[2 * at] = static_cast<std::uint8_t>(tail[g] >> 8);
    bytes[2 * at + 1] = static_cast<std::uint8_t>(tail[g]);
  }
  c.address = net::IpAddress::v6_from(bytes);
  return c;
}

inline net::IpAddress ip(std::string_view text) {
  const bool v6 = text.find(':') != std::string_view::npos;
  return cidr(std::string(text) + (v6 ? "/128" : "/32")).address;
}

inline Segment segment(std::string name, std::initializer_list<std::string_view> cidrs,
                       std::vector<std::uint16_t> vlans = {}, std::vector<MacAddress> macs = {}) {
  Segment s;
  s.name = std::move(name);
  for (std::string_view c : cidrs) s.cidrs.push_back(cidr(c));
  s.vlans = std::move(vlans);
  s.macs = std::move(macs);
  return s;
}

inline Service service(std::string name, std::uint8_t proto, std::vector<PortRange> ports,
                       ServiceApp app = ServiceApp::kAny, TlsRequirement tls = TlsRequirement::kOptional) {
  Service s;
  s.name = std::move(name);
  s.ip_proto = proto;
  s.ports = std::move(ports);
  s.app = app;
  s.tls = tls;
  return s;
}

inline Rule rule(std::string name, std::vector<std::string> from, std::vector<std::string> to, std::string svc,
                 Action action = Action::kAllow) {
  static std::uint32_t next_id = 1000;
  Rule r;
  r.name = std::move(name);
  r.id = next_id++;
  r.from = std::move(from);
  r.to = std::move(to);
  r.service = std::move(svc);
  r.action = action;
  r.category = "segmentation";
  return r;
}

inline FlowTuple tuple(std::string_view src, std::string_view dst, std::uint16_t dport, std::uint8_t proto = 6) {
  FlowTuple t;
  t.src = ip(src);
  t.dst = ip(dst);
  t.src_port = 40000;
  t.dst_port = dport;
  t.ip_proto = proto;
  return t;
}

inline std::unique_ptr<CompiledPolicy> compile(const Policy& p) { return CompiledPolicy::compile(p, -1); }

}  // namespace segward::policy::testing
