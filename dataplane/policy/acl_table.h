#pragma once
// One rte_acl classifier (IPv4 or IPv6) over the fields of a flow's first
// packet: ip proto, outer VLAN, source and destination address, destination
// port, source and destination MAC. Entries carry a priority (higher wins)
// and a non-zero result; classify() gives the result of the best entry that
// matches, 0 when none does.
//
// Built on the management thread; classify() is read-only on the built
// tables and safe from any number of workers at once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dataplane/policy/compiled_policy.h"

namespace segward::policy {

// One classifier entry, in host terms. A wildcard field is `any_*`.
struct AclEntry {
  Cidr src, dst;  // same family as the table
  std::uint8_t ip_proto = 0;
  bool any_proto = true;
  std::uint16_t vlan = 0;
  bool any_vlan = true;
  PortRange dst_ports{0, 0xffff};
  MacAddress src_mac{}, dst_mac{};
  bool any_src_mac = true, any_dst_mac = true;
  std::int32_t priority = 1;  // 1 .. RTE_ACL_MAX_PRIORITY
  std::uint32_t result = 0;   // non-zero
};

class AclTable {
 public:
  // Creates the rte_acl context `name` (unique among live contexts) for at
  // most `capacity` entries on `socket_id`. Throws PolicyError.
  AclTable(bool v6, const std::string& name, int socket_id, std::uint32_t capacity);
  ~AclTable();
  AclTable(const AclTable&) = delete;
  AclTable& operator=(const AclTable&) = delete;

  void add(const AclEntry& entry);  // throws PolicyError beyond capacity
  void build();                     // after the last add(); throws PolicyError
  [[nodiscard]] std::uint32_t size() const { return added_; }

  // The best match's result, or 0.
  [[nodiscard]] std::uint32_t classify(const FlowTuple& tuple) const noexcept;

 private:
  void flush();

  bool v6_;
  std::string name_;
  rte_acl_ctx* ctx_ = nullptr;
  std::uint32_t capacity_;
  std::uint32_t added_ = 0;
  std::uint32_t rule_size_;
  std::vector<std::uint8_t> pending_;  // rules not yet handed to rte_acl
  std::uint32_t pending_count_ = 0;
};

}  // namespace segward::policy
