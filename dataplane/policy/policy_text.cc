// Policy values as a policy file writes them (policy.h). Only policy.h and
// the address formatter: the parser's fuzz target links this without DPDK.
#include <cstdio>
#include <string>

#include "dataplane/policy/policy.h"

namespace segward::policy {

std::string cidr_text(const Cidr& cidr) { return net::format_ip(cidr.address) + "/" + std::to_string(cidr.prefix); }

std::string mac_text(const MacAddress& mac) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
  return buf;
}

}  // namespace segward::policy
