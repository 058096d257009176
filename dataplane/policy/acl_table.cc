#include "dataplane/policy/acl_table.h"

#include <rte_acl.h>
#include <rte_errno.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace segward::policy {
namespace {

// The input rte_acl reads: our own packed buffer, in network byte order.
// rte_acl wants the first field one byte long and every later input word
// four consecutive bytes:
//   0  ip proto (then 3 unused bytes)
//   4  outer VLAN id (16 bits) | destination port (16 bits)
//   8  source address (1 or 4 words)
//      destination address (1 or 4 words)
//      source MAC bytes 0..3 | destination MAC bytes 0..3
//      source MAC bytes 4..5, destination MAC bytes 4..5
// Fields that every entry leaves wild (the MACs, in most policies) cost
// nothing at classify time: rte_acl drops an input word whose fields are
// all wild in every entry.
constexpr std::uint32_t kVlanOffset = 4;
constexpr std::uint32_t kPortOffset = 6;
constexpr std::uint32_t kSrcOffset = 8;
constexpr std::size_t kMaxInput = 64;
constexpr std::uint32_t kChunk = 1024;  // entries handed to rte_acl_add_rules at once

constexpr std::uint32_t words(bool v6) { return v6 ? 4 : 1; }
constexpr std::uint32_t dst_offset(bool v6) { return kSrcOffset + 4 * words(v6); }
constexpr std::uint32_t mac_offset(bool v6) { return kSrcOffset + 8 * words(v6); }
constexpr std::uint32_t field_count(bool v6) { return 3 + 2 * words(v6) + 4; }
static_assert(mac_offset(true) + 12 <= kMaxInput);

rte_acl_config make_config(bool v6) {
  rte_acl_config cfg{};
  cfg.num_categories = 1;
  std::uint32_t n = 0;
  std::uint8_t input = 0;
  const auto def = [&](std::uint8_t type, std::uint8_t size, std::uint8_t input_index, std::uint32_t offset) {
    cfg.defs[n] = rte_acl_field_def{type, size, static_cast<std::uint8_t>(n), input_index, offset};
    ++n;
  };
  def(RTE_ACL_FIELD_TYPE_BITMASK, 1, input++, 0);
  def(RTE_ACL_FIELD_TYPE_BITMASK, 2, input, kVlanOffset);
  def(RTE_ACL_FIELD_TYPE_RANGE, 2, input++, kPortOffset);
  for (std::uint32_t w = 0; w < words(v6); ++w) def(RTE_ACL_FIELD_TYPE_MASK, 4, input++, kSrcOffset + 4 * w);
  for (std::uint32_t w = 0; w < words(v6); ++w) def(RTE_ACL_FIELD_TYPE_MASK, 4, input++, dst_offset(v6) + 4 * w);
  const std::uint32_t mac = mac_offset(v6);
  def(RTE_ACL_FIELD_TYPE_BITMASK, 4, input++, mac);
  def(RTE_ACL_FIELD_TYPE_BITMASK, 4, input++, mac + 4);
  def(RTE_ACL_FIELD_TYPE_BITMASK, 2, input, mac + 8);
  def(RTE_ACL_FIELD_TYPE_BITMASK, 2, input, mac + 10);
  cfg.num_fields = n;
  return cfg;
}

std::uint32_t be32(const std::uint8_t* b) {
  return static_cast<std::uint32_t>(b[0]) << 24 | static_cast<std::uint32_t>(b[1]) << 16 |
         static_cast<std::uint32_t>(b[2]) << 8 | b[3];
}
std::uint16_t be16(const std::uint8_t* b) { return static_cast<std::uint16_t>(b[0] << 8 | b[1]); }

// One address as MASK fields, one per 32-bit word: a prefix of `bits`
// leaves each word min(32, what is left) significant bits.
void put_prefix(rte_acl_field* f, const Cidr& cidr, std::uint32_t nwords) {
  int left = cidr.prefix;
  for (std::uint32_t w = 0; w < nwords; ++w) {
    const int bits = std::clamp(left, 0, 32);
    left -= bits;
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    f[w].value.u32 = be32(cidr.address.bytes.data() + 4 * w) & mask;
    f[w].mask_range.u32 = static_cast<std::uint32_t>(bits);
  }
}

std::string errno_text(int err) { return std::string(rte_strerror(err)); }

}  // namespace

AclTable::AclTable(bool v6, const std::string& name, int socket_id, std::uint32_t capacity)
    : v6_(v6), name_(name), capacity_(capacity), rule_size_(static_cast<std::uint32_t>(RTE_ACL_RULE_SZ(field_count(v6)))) {
  if (name.size() >= RTE_ACL_NAMESIZE) throw PolicyError("classifier name too long: " + name);
  // rte_acl_create hands back an existing context of the same name instead
  // of a new one: never share one with a policy still alive.
  if (rte_acl_find_existing(name.c_str()) != nullptr) throw PolicyError("classifier " + name + " already exists");
  rte_acl_param param{};
  param.name = name_.c_str();
  param.socket_id = socket_id;
  param.rule_size = rule_size_;
  param.max_rule_num = std::max<std::uint32_t>(capacity, 1);
  ctx_ = rte_acl_create(&param);
  if (ctx_ == nullptr) {
    throw PolicyError("cannot create classifier " + name_ + " for " + std::to_string(capacity) +
                      " entries: " + errno_text(rte_errno));
  }
  pending_.assign(static_cast<std::size_t>(rule_size_) * std::min(kChunk, std::max<std::uint32_t>(capacity, 1)), 0);
}

AclTable::~AclTable() { rte_acl_free(ctx_); }

void AclTable::add(const AclEntry& e) {
  if (added_ >= capacity_) throw PolicyError("classifier " + name_ + ": more entries than counted");
  if (pending_count_ * static_cast<std::size_t>(rule_size_) >= pending_.size()) flush();
  auto* rule = reinterpret_cast<rte_acl_rule*>(pending_.data() + static_cast<std::size_t>(pending_count_) * rule_size_);
  std::memset(static_cast<void*>(rule), 0, rule_size_);
  rule->data.category_mask = 1;
  rule->data.priority = e.priority;
  rule->data.userdata = e.result;
  rte_acl_field* f = rule->field;
  f[0].value.u8 = e.any_proto ? 0 : e.ip_proto;
  f[0].mask_range.u8 = e.any_proto ? 0 : 0xff;
  f[1].value.u16 = e.any_vlan ? 0 : e.vlan;
  f[1].mask_range.u16 = e.any_vlan ? 0 : 0xffff;
  f[2].value.u16 = e.dst_ports.first;
  f[2].mask_range.u16 = e.dst_ports.last;
  const std::uint32_t w = words(v6_);
  put_prefix(f + 3, e.src, w);
  put_prefix(f + 3 + w, e.dst, w);
  rte_acl_field* mac = f + 3 + 2 * w;
  if (!e.any_src_mac) {
    mac[0].value.u32 = be32(e.src_mac.data());
    mac[0].mask_range.u32 = 0xffffffff;
    mac[2].value.u16 = be16(e.src_mac.data() + 4);
    mac[2].mask_range.u16 = 0xffff;
  }
  if (!e.any_dst_mac) {
    mac[1].value.u32 = be32(e.dst_mac.data());
    mac[1].mask_range.u32 = 0xffffffff;
    mac[3].value.u16 = be16(e.dst_mac.data() + 4);
    mac[3].mask_range.u16 = 0xffff;
  }
  ++pending_count_;
  ++added_;
}

void AclTable::flush() {
  if (pending_count_ == 0) return;
  const int rc = rte_acl_add_rules(ctx_, reinterpret_cast<const rte_acl_rule*>(pending_.data()), pending_count_);
  if (rc != 0) throw PolicyError("classifier " + name_ + ": cannot add entries: " + errno_text(-rc));
  pending_count_ = 0;
}

void AclTable::build() {
  flush();
  pending_.clear();
  pending_.shrink_to_fit();
  rte_acl_config cfg = make_config(v6_);
  const int rc = rte_acl_build(ctx_, &cfg);
  if (rc != 0) {
    throw PolicyError("classifier " + name_ + ": cannot build the tables for " + std::to_string(added_) +
                      " entries: " + errno_text(-rc));
  }
}

namespace {

// Constant sizes, so every copy is a plain store.
template <bool kV6>
void fill_input(const FlowTuple& t, std::uint8_t* in) noexcept {
  in[0] = t.ip_proto;
  in[kVlanOffset] = static_cast<std::uint8_t>(t.vlan >> 8);
  in[kVlanOffset + 1] = static_cast<std::uint8_t>(t.vlan);
  in[kPortOffset] = static_cast<std::uint8_t>(t.dst_port >> 8);
  in[kPortOffset + 1] = static_cast<std::uint8_t>(t.dst_port);
  std::memcpy(in + kSrcOffset, t.src.bytes.data(), 4 * words(kV6));
  std::memcpy(in + dst_offset(kV6), t.dst.bytes.data(), 4 * words(kV6));
  std::uint8_t* mac = in + mac_offset(kV6);
  std::memcpy(mac, t.src_mac.data(), 4);
  std::memcpy(mac + 4, t.dst_mac.data(), 4);
  std::memcpy(mac + 8, t.src_mac.data() + 4, 2);
  std::memcpy(mac + 10, t.dst_mac.data() + 4, 2);
}

}  // namespace

std::uint32_t AclTable::classify(const FlowTuple& t) const noexcept {
  alignas(16) std::array<std::uint8_t, kMaxInput> in{};
  if (v6_) {
    fill_input<true>(t, in.data());
  } else {
    fill_input<false>(t, in.data());
  }
  const std::uint8_t* data = in.data();
  std::uint32_t result = 0;
  if (rte_acl_classify(ctx_, &data, &result, 1, 1) != 0) return 0;
  return result;
}

}  // namespace segward::policy
