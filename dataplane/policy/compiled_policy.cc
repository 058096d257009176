#include "dataplane/policy/compiled_policy.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>
#include <utility>

#include "dataplane/policy/acl_table.h"
#include "dataplane/policy/glob.h"

namespace segward::policy {
namespace {

using dataplane::AppProto;
namespace zop = zookeeper::opcode;

// rte_acl context names are global to the process, and an old and a new
// policy live side by side during a reload: every compile takes new names.
std::atomic<std::uint32_t> g_compile_counter{0};

// A name allowlist: sorted, searched with a string_view (no allocation).
struct NameSet {
  bool present = false;
  std::vector<std::string> names;

  void assign(const std::optional<std::vector<std::string>>& list) {
    present = list.has_value();
    if (!present) return;
    names = *list;
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
  }
  [[nodiscard]] bool contains(std::string_view name) const noexcept {
    const auto it = std::lower_bound(names.begin(), names.end(), name, std::less<>{});
    return it != names.end() && std::string_view(*it) == name;
  }
  // A cut value cannot be shown to be on the list.
  template <std::size_t N>
  [[nodiscard]] bool contains(const decoders::BoundedText<N>& text) const noexcept {
    return !text.truncated && contains(text.view());
  }
};

struct GlobSet {
  bool present = false;
  std::vector<std::string> globs;

  void assign(const std::optional<std::vector<std::string>>& list) {
    present = list.has_value();
    if (present) globs = *list;
  }
  [[nodiscard]] bool matches(std::string_view text, bool truncated = false) const noexcept {
    for (const std::string& g : globs) {
      if (glob_match(g, text, truncated)) return true;
    }
    return false;
  }
  template <std::size_t N>
  [[nodiscard]] bool matches(const decoders::BoundedText<N>& text) const noexcept {
    return matches(text.view(), text.truncated);
  }
};

struct RuleConditions {
  NameSet messages, calls, principals, roles;
  GlobSet endpoints;
  NameSet ops, four_letter_words;
  GlobSet paths, write_paths;
  bool auth_required = false;
  bool mesos = false;
  bool zookeeper = false;
};

// ---- compile-time helpers

std::string where(const std::string& source, SourceLocation at) {
  std::string s = source;
  if (at.line != 0) {
    s += ':' + std::to_string(at.line);
    if (at.column != 0) s += ':' + std::to_string(at.column);
  }
  return s;
}

[[noreturn]] void fail_rule(const Policy& p, const Rule& r, const std::string& what) {
  throw PolicyError(where(p.source, r.at) + ": rule '" + r.name + "': " + what);
}
[[noreturn]] void fail_at(const Policy& p, SourceLocation at, const std::string& what) {
  throw PolicyError(where(p.source, at) + ": " + what);
}

bool valid_action(Action a) { return static_cast<std::uint8_t>(a) < kActionCount; }

// A segment as the classifier expands it.
struct SegmentEntries {
  std::vector<Cidr> v4, v6;           // host bits cleared
  std::vector<std::uint16_t> vlans;   // sorted, unique; empty: any
  std::vector<MacAddress> macs;       // sorted, unique; empty: any
};

Cidr clear_host_bits(Cidr c) {
  const int total = c.address.v6 ? 128 : 32;
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(static_cast<int>(c.prefix) - 8 * i, 0, 8);
    if (i * 8 >= total) {
      c.address.bytes[static_cast<std::size_t>(i)] = 0;
      continue;
    }
    const auto mask = static_cast<std::uint8_t>(keep == 0 ? 0 : 0xff << (8 - keep));
    c.address.bytes[static_cast<std::size_t>(i)] &= mask;
  }
  return c;
}

SegmentEntries any_segment() {
  SegmentEntries s;
  s.v4.push_back(Cidr{net::IpAddress{}, 0});
  net::IpAddress v6;
  v6.v6 = true;
  s.v6.push_back(Cidr{v6, 0});
  return s;
}

SegmentEntries segment_entries(const Policy& p, const Segment& seg) {
  if (seg.cidrs.empty()) fail_at(p, seg.at, "segment '" + seg.name + "' has no CIDR");
  SegmentEntries s;
  for (const Cidr& c : seg.cidrs) {
    if (c.prefix > (c.address.v6 ? 128 : 32)) {
      fail_at(p, seg.at, "segment '" + seg.name + "': prefix length " + std::to_string(c.prefix) + " out of range");
    }
    (c.address.v6 ? s.v6 : s.v4).push_back(clear_host_bits(c));
  }
  for (std::uint16_t v : seg.vlans) {
    if (v > 4095) fail_at(p, seg.at, "segment '" + seg.name + "': VLAN id " + std::to_string(v) + " out of range");
  }
  s.vlans = seg.vlans;
  std::sort(s.vlans.begin(), s.vlans.end());
  s.vlans.erase(std::unique(s.vlans.begin(), s.vlans.end()), s.vlans.end());
  s.macs = seg.macs;
  std::sort(s.macs.begin(), s.macs.end());
  s.macs.erase(std::unique(s.macs.begin(), s.macs.end()), s.macs.end());
  return s;
}

struct ServiceEntries {
  std::uint8_t ip_proto = 0;  // 0: any
  std::vector<PortRange> ports;
  ServiceApp app = ServiceApp::kAny;
  TlsRequirement tls = TlsRequirement::kOptional;
};

// One rule, resolved to what its entries are made of.
struct RuleEntries {
  std::vector<const SegmentEntries*> from, to;
  const ServiceEntries* service = nullptr;
};

// The VLANs a packet must carry to match both segments; nullopt: any.
// An empty result: the two never match the same packet.
std::optional<std::vector<std::uint16_t>> joint_vlans(const SegmentEntries& a, const SegmentEntries& b) {
  if (a.vlans.empty() && b.vlans.empty()) return std::nullopt;
  if (a.vlans.empty()) return b.vlans;
  if (b.vlans.empty()) return a.vlans;
  std::vector<std::uint16_t> both;
  std::set_intersection(a.vlans.begin(), a.vlans.end(), b.vlans.begin(), b.vlans.end(), std::back_inserter(both));
  return both;
}

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max() / 2;
std::uint64_t mul(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kSaturated / b ? kSaturated : a * b;
}
std::uint64_t add(std::uint64_t a, std::uint64_t b) { return std::min(kSaturated, a + b); }

struct EntryCount {
  std::uint64_t v4 = 0, v6 = 0;
  [[nodiscard]] std::uint64_t total() const { return add(v4, v6); }
};

EntryCount count_entries(const RuleEntries& r) {
  EntryCount n;
  for (const SegmentEntries* f : r.from) {
    for (const SegmentEntries* t : r.to) {
      const auto vlans = joint_vlans(*f, *t);
      std::uint64_t per_pair = vlans ? vlans->size() : 1;
      per_pair = mul(per_pair, r.service->ports.size());
      per_pair = mul(per_pair, f->macs.empty() ? 1 : f->macs.size());
      per_pair = mul(per_pair, t->macs.empty() ? 1 : t->macs.size());
      n.v4 = add(n.v4, mul(per_pair, mul(f->v4.size(), t->v4.size())));
      n.v6 = add(n.v6, mul(per_pair, mul(f->v6.size(), t->v6.size())));
    }
  }
  return n;
}

// Emits every entry of one rule into the table of its family.
void emit_entries(const RuleEntries& r, std::int32_t priority, std::uint32_t result, AclTable* v4, AclTable* v6) {
  AclEntry e;
  e.priority = priority;
  e.result = result;
  e.any_proto = r.service->ip_proto == 0;
  e.ip_proto = r.service->ip_proto;
  for (const SegmentEntries* f : r.from) {
    for (const SegmentEntries* t : r.to) {
      const auto vlans = joint_vlans(*f, *t);
      const std::size_t nvlans = vlans ? vlans->size() : 1;
      const std::size_t nsrc_macs = f->macs.empty() ? 1 : f->macs.size();
      const std::size_t ndst_macs = t->macs.empty() ? 1 : t->macs.size();
      for (int family = 0; family < 2; ++family) {
        AclTable* table = family == 0 ? v4 : v6;
        const auto& srcs = family == 0 ? f->v4 : f->v6;
        const auto& dsts = family == 0 ? t->v4 : t->v6;
        if (srcs.empty() || dsts.empty()) continue;
        for (const Cidr& src : srcs) {
          for (const Cidr& dst : dsts) {
            e.src = src;
            e.dst = dst;
            for (const PortRange& ports : r.service->ports) {
              e.dst_ports = ports;
              for (std::size_t v = 0; v < nvlans; ++v) {
                e.any_vlan = !vlans;
                e.vlan = vlans ? (*vlans)[v] : 0;
                for (std::size_t sm = 0; sm < nsrc_macs; ++sm) {
                  e.any_src_mac = f->macs.empty();
                  if (!e.any_src_mac) e.src_mac = f->macs[sm];
                  for (std::size_t dm = 0; dm < ndst_macs; ++dm) {
                    e.any_dst_mac = t->macs.empty();
                    if (!e.any_dst_mac) e.dst_mac = t->macs[dm];
                    table->add(e);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

// ---- L7 helpers

// The events that carry a FrameworkInfo a framework registers with: the
// libprocess (re-)registration messages, and the scheduler API's SUBSCRIBE
// and UPDATE_FRAMEWORK calls (over HTTP, or as a mesos.scheduler.Call
// libprocess message). Other messages carry a FrameworkInfo too (RunTask,
// master to agent), but there the master speaks for a framework it
// already admitted.
bool registers_framework(const mesos::MesosEvent& e) {
  if (e.kind == mesos::MesosKind::kLibprocess) {
    const std::string_view m = e.message.view();
    if (m == "mesos.internal.RegisterFrameworkMessage" || m == "mesos.internal.ReregisterFrameworkMessage") return true;
  }
  if (e.api == mesos::ApiFamily::kScheduler) {
    const std::string_view c = e.call.view();
    return c == "SUBSCRIBE" || c == "UPDATE_FRAMEWORK";
  }
  return false;
}

// Every role of a comma-separated list on the allowlist; a cut list has an
// unverifiable last role.
bool roles_allowed(const NameSet& allowed, const decoders::BoundedText<192>& roles) {
  if (roles.truncated) return false;
  std::string_view rest = roles.view();
  if (rest.empty()) return true;  // no role named, none to refuse
  for (;;) {
    const std::size_t comma = rest.find(',');
    if (!allowed.contains(rest.substr(0, comma))) return false;
    if (comma == std::string_view::npos) return true;
    rest.remove_prefix(comma + 1);
  }
}

// Opcodes a client may always send: opening, authenticating, keeping alive
// and closing a session.
bool always_allowed_op(std::int32_t op) {
  return op == zop::kCreateSession || op == zop::kPing || op == zop::kAuth || op == zop::kSasl ||
         op == zop::kCloseSession;
}

bool exempt_from_auth(std::int32_t op) { return always_allowed_op(op); }

bool carries_path(std::int32_t op) {
  switch (op) {
    case zop::kCreate:
    case zop::kDelete:
    case zop::kExists:
    case zop::kGetData:
    case zop::kSetData:
    case zop::kGetAcl:
    case zop::kSetAcl:
    case zop::kGetChildren:
    case zop::kSync:
    case zop::kGetChildren2:
    case zop::kCheck:
    case zop::kCreate2:
    case zop::kCheckWatches:
    case zop::kRemoveWatches:
    case zop::kCreateContainer:
    case zop::kDeleteContainer:
    case zop::kCreateTtl:
    case zop::kGetEphemerals:
    case zop::kGetAllChildrenNumber:
    case zop::kAddWatch:
      return true;
    default:
      return false;
  }
}

bool writes_path(std::int32_t op) {
  switch (op) {
    case zop::kCreate:
    case zop::kCreate2:
    case zop::kCreateContainer:
    case zop::kCreateTtl:
    case zop::kDelete:
    case zop::kDeleteContainer:
    case zop::kSetData:
    case zop::kSetAcl:
      return true;
    default:
      return false;
  }
}

// What reconfig writes: ZooKeeper keeps the dynamic configuration there.
constexpr std::string_view kConfigNode = "/zookeeper/config";

bool is_multi(std::int32_t op) { return op == zop::kMulti || op == zop::kMultiRead; }

std::size_t seen_sub_ops(const zookeeper::ZkEvent& e) {
  return std::min<std::size_t>(e.sub_op_count, e.sub_ops.size());
}
// Sub-operations the decoder had no room for: nothing is known of them.
bool sub_ops_missing(const zookeeper::ZkEvent& e) { return e.sub_op_total > seen_sub_ops(e); }

Condition check_ops(const RuleConditions& c, const zookeeper::ZkEvent& e) {
  if (!c.ops.present || always_allowed_op(e.opcode)) return Condition::kNone;
  if (!c.ops.contains(zookeeper::opcode_name(e.opcode))) return Condition::kZookeeperOp;
  if (is_multi(e.opcode)) {
    // A multi is the operations it bundles.
    if (sub_ops_missing(e)) return Condition::kZookeeperOp;
    for (std::size_t i = 0; i < seen_sub_ops(e); ++i) {
      if (!c.ops.contains(zookeeper::opcode_name(e.sub_ops[i].opcode))) return Condition::kZookeeperOp;
    }
  }
  return Condition::kNone;
}

Condition check_paths(const RuleConditions& c, const zookeeper::ZkEvent& e) {
  if (!c.paths.present) return Condition::kNone;
  if (is_multi(e.opcode)) {
    if (sub_ops_missing(e)) return Condition::kZookeeperPath;
    for (std::size_t i = 0; i < seen_sub_ops(e); ++i) {
      if (!c.paths.matches(e.sub_ops[i].path)) return Condition::kZookeeperPath;
    }
    return Condition::kNone;
  }
  // setWatches(2): the first watched path, the one the decoder keeps.
  const bool watches = e.opcode == zop::kSetWatches || e.opcode == zop::kSetWatches2;
  if (carries_path(e.opcode) || (watches && !e.path.empty())) {
    if (!c.paths.matches(e.path)) return Condition::kZookeeperPath;
  }
  return Condition::kNone;
}

Condition check_write_paths(const RuleConditions& c, const zookeeper::ZkEvent& e) {
  if (!c.write_paths.present) return Condition::kNone;
  if (e.opcode == zop::kReconfig) {
    return c.write_paths.matches(kConfigNode) ? Condition::kNone : Condition::kZookeeperWritePath;
  }
  if (is_multi(e.opcode)) {
    // The server refuses writes inside a multiRead, so only a multi can hide one.
    if (e.opcode == zop::kMulti && sub_ops_missing(e)) return Condition::kZookeeperWritePath;
    for (std::size_t i = 0; i < seen_sub_ops(e); ++i) {
      const zookeeper::ZkSubOp& op = e.sub_ops[i];
      if (writes_path(op.opcode) && !c.write_paths.matches(op.path)) return Condition::kZookeeperWritePath;
    }
    return Condition::kNone;
  }
  if (writes_path(e.opcode) && !c.write_paths.matches(e.path)) return Condition::kZookeeperWritePath;
  return Condition::kNone;
}

bool four_letter_word_allowed(const NameSet& allowed, const std::array<char, 4>& word) {
  return allowed.contains(zookeeper::four_letter_word_text(word));
}

bool has_alias(const std::array<char, 4>& word) {
  return word[0] != 0 || word[1] != 0 || word[2] != 0 || word[3] != 0;
}

}  // namespace

struct CompiledPolicy::Impl {
  std::string source;
  std::vector<CompiledRule> rules;
  std::vector<RuleConditions> conditions;
  CompiledRule default_rule;
  std::unique_ptr<AclTable> v4, v6;
  std::size_t entries = 0;
};

CompiledPolicy::CompiledPolicy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompiledPolicy::~CompiledPolicy() = default;

std::unique_ptr<CompiledPolicy> CompiledPolicy::compile(const Policy& policy, int socket_id) {
  auto impl = std::make_unique<Impl>();
  impl->source = policy.source;
  if (policy.rules.size() > kMaxRules) {
    throw PolicyError(policy.source + ": " + std::to_string(policy.rules.size()) + " rules, at most " +
                      std::to_string(kMaxRules) + " are supported");
  }
  if (!valid_action(policy.default_action)) fail_at(policy, policy.default_at, "default: unknown action");

  // Segments and services by name; "any" is built in.
  const SegmentEntries any = any_segment();
  std::unordered_map<std::string_view, SegmentEntries> segments;
  for (const Segment& seg : policy.segments) {
    if (seg.name == "any") fail_at(policy, seg.at, "segment name 'any' is reserved");
    if (!segments.emplace(seg.name, segment_entries(policy, seg)).second) {
      fail_at(policy, seg.at, "segment '" + seg.name + "' defined twice");
    }
  }
  const ServiceEntries any_service{0, {PortRange{0, 0xffff}}, ServiceApp::kAny, TlsRequirement::kOptional};
  std::unordered_map<std::string_view, ServiceEntries> services;
  for (const Service& svc : policy.services) {
    if (svc.name == "any") fail_at(policy, svc.at, "service name 'any' is reserved");
    ServiceEntries s{svc.ip_proto, svc.ports, svc.app, svc.tls};
    for (const PortRange& r : s.ports) {
      if (r.first > r.last) {
        fail_at(policy, svc.at, "service '" + svc.name + "': port range " + std::to_string(r.first) + "-" +
                                    std::to_string(r.last) + " is empty");
      }
    }
    if (s.ports.empty()) s.ports.push_back(PortRange{0, 0xffff});
    if (static_cast<std::uint8_t>(s.app) > static_cast<std::uint8_t>(ServiceApp::kHttp)) {
      fail_at(policy, svc.at, "service '" + svc.name + "': unknown app");
    }
    if (static_cast<std::uint8_t>(s.tls) > static_cast<std::uint8_t>(TlsRequirement::kForbidden)) {
      fail_at(policy, svc.at, "service '" + svc.name + "': unknown tls requirement");
    }
    if (!services.emplace(svc.name, std::move(s)).second) {
      fail_at(policy, svc.at, "service '" + svc.name + "' defined twice");
    }
  }

  // Resolve every rule and count what it expands to before building anything.
  std::vector<RuleEntries> resolved(policy.rules.size());
  EntryCount total;
  for (std::size_t i = 0; i < policy.rules.size(); ++i) {
    const Rule& rule = policy.rules[i];
    RuleEntries& r = resolved[i];
    if (rule.from.empty()) fail_rule(policy, rule, "no 'from' segment");
    if (rule.to.empty()) fail_rule(policy, rule, "no 'to' segment");
    const auto resolve = [&](const std::vector<std::string>& names, std::vector<const SegmentEntries*>& out) {
      for (const std::string& name : names) {
        if (name == "any") {
          out.push_back(&any);
          continue;
        }
        const auto it = segments.find(name);
        if (it == segments.end()) fail_rule(policy, rule, "unknown segment '" + name + "'");
        out.push_back(&it->second);
      }
    };
    resolve(rule.from, r.from);
    resolve(rule.to, r.to);
    if (rule.service == "any") {
      r.service = &any_service;
    } else {
      const auto it = services.find(rule.service);
      if (it == services.end()) fail_rule(policy, rule, "unknown service '" + rule.service + "'");
      r.service = &it->second;
    }
    if (!valid_action(rule.action)) fail_rule(policy, rule, "unknown action");
    if (!valid_action(rule.violation)) fail_rule(policy, rule, "unknown violation action");

    const EntryCount n = count_entries(r);
    if (n.total() == 0) {
      fail_rule(policy, rule,
                "matches no packet: its from and to segments share no address family (or no VLAN)");
    }
    total.v4 = add(total.v4, n.v4);
    total.v6 = add(total.v6, n.v6);
    if (total.total() > kMaxClassifierEntries) {
      fail_rule(policy, rule,
                "the policy expands to more than " + std::to_string(kMaxClassifierEntries) +
                    " classifier entries with this rule, which alone gives " +
                    (n.total() >= kSaturated ? std::string("far more") : std::to_string(n.total())) +
                    " (from CIDRs x to CIDRs x port ranges x VLANs x MACs); use fewer, wider CIDRs or port ranges");
    }

    CompiledRule c;
    c.id = rule.id;
    c.name = rule.name;
    c.action = rule.action;
    c.violation = rule.violation;
    c.category = rule.category.empty() ? "segmentation" : rule.category;
    c.severity = rule.severity;
    c.app = r.service->app;
    c.tls = r.service->tls;
    c.zookeeper_auth_required = rule.zookeeper.auth_required;
    c.at = rule.at;
    c.has_l7 = rule.mesos.any() || rule.zookeeper.any() || c.app != ServiceApp::kAny ||
               c.tls != TlsRequirement::kOptional;
    impl->rules.push_back(std::move(c));

    RuleConditions cond;
    cond.messages.assign(rule.mesos.messages);
    cond.calls.assign(rule.mesos.calls);
    cond.principals.assign(rule.mesos.principals);
    cond.roles.assign(rule.mesos.roles);
    cond.endpoints.assign(rule.mesos.endpoints);
    cond.ops.assign(rule.zookeeper.ops);
    cond.paths.assign(rule.zookeeper.paths);
    cond.write_paths.assign(rule.zookeeper.write_paths);
    cond.four_letter_words.assign(rule.zookeeper.four_letter_words);
    cond.auth_required = rule.zookeeper.auth_required;
    cond.mesos = rule.mesos.any();
    cond.zookeeper = rule.zookeeper.any();
    impl->conditions.push_back(std::move(cond));
  }

  impl->default_rule.id = 0;
  impl->default_rule.name = "default";
  impl->default_rule.action = policy.default_action;
  impl->default_rule.category = "segmentation";
  impl->default_rule.severity = policy.default_severity;
  impl->default_rule.at = policy.default_at;

  const std::uint32_t serial = g_compile_counter.fetch_add(1, std::memory_order_relaxed);
  if (total.v4 != 0) {
    impl->v4 = std::make_unique<AclTable>(false, "segward_p4_" + std::to_string(serial), socket_id,
                                          static_cast<std::uint32_t>(total.v4));
  }
  if (total.v6 != 0) {
    impl->v6 = std::make_unique<AclTable>(true, "segward_p6_" + std::to_string(serial), socket_id,
                                          static_cast<std::uint32_t>(total.v6));
  }
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    // Earlier rules win: a higher priority for a lower index. The result is
    // index + 1, since rte_acl reports "no match" as 0.
    const auto priority = static_cast<std::int32_t>(kMaxRules - i);
    emit_entries(resolved[i], priority, static_cast<std::uint32_t>(i + 1), impl->v4.get(), impl->v6.get());
  }
  if (impl->v4) impl->v4->build();
  if (impl->v6) impl->v6->build();
  impl->entries = static_cast<std::size_t>(total.total());
  return std::unique_ptr<CompiledPolicy>(new CompiledPolicy(std::move(impl)));
}

std::uint16_t CompiledPolicy::classify(const FlowTuple& tuple) const {
  const AclTable* table = tuple.src.v6 ? impl_->v6.get() : impl_->v4.get();
  if (table == nullptr) return kDefaultRule;
  const std::uint32_t result = table->classify(tuple);
  return result == 0 ? kDefaultRule : static_cast<std::uint16_t>(result - 1);
}

const CompiledRule& CompiledPolicy::rule(std::uint16_t index) const {
  return index < impl_->rules.size() ? impl_->rules[index] : impl_->default_rule;
}
std::size_t CompiledPolicy::rule_count() const { return impl_->rules.size(); }
std::size_t CompiledPolicy::classifier_entries() const { return impl_->entries; }
const std::string& CompiledPolicy::source() const { return impl_->source; }

Condition CompiledPolicy::check_mesos(std::uint16_t index, const mesos::MesosEvent& e) const {
  if (index >= impl_->conditions.size()) return Condition::kNone;
  const RuleConditions& c = impl_->conditions[index];
  // Conditions say what the client may ask; the server's event stream
  // (is_response) answers.
  if (!c.mesos || e.is_response) return Condition::kNone;
  if (c.messages.present && e.kind == mesos::MesosKind::kLibprocess && !c.messages.contains(e.message)) {
    return Condition::kMesosMessage;
  }
  if (c.calls.present && !e.call.empty() && !c.calls.contains(e.call)) return Condition::kMesosCall;
  if ((c.principals.present || c.roles.present) && registers_framework(e)) {
    if (c.principals.present && (e.framework.principal.empty() || !c.principals.contains(e.framework.principal))) {
      return Condition::kMesosPrincipal;
    }
    if (c.roles.present && !roles_allowed(c.roles, e.framework.roles)) return Condition::kMesosRole;
  }
  if (c.endpoints.present && !c.endpoints.matches(e.endpoint)) return Condition::kMesosEndpoint;
  return Condition::kNone;
}

Condition CompiledPolicy::check_zookeeper(std::uint16_t index, const zookeeper::ZkEvent& e,
                                          bool authenticated) const {
  if (index >= impl_->conditions.size()) return Condition::kNone;
  const RuleConditions& c = impl_->conditions[index];
  if (!c.zookeeper) return Condition::kNone;
  switch (e.kind) {
    case zookeeper::ZkEventKind::kFourLetterWord:
      if (c.four_letter_words.present && !four_letter_word_allowed(c.four_letter_words, e.four_letter_word)) {
        return Condition::kZookeeperFourLetterWord;
      }
      return Condition::kNone;
    case zookeeper::ZkEventKind::kAdminCommand:
      // The AdminServer's commands are the four-letter words over HTTP: on
      // the list by their alias or by their long name.
      if (c.four_letter_words.present &&
          !(has_alias(e.four_letter_word) && four_letter_word_allowed(c.four_letter_words, e.four_letter_word)) &&
          !(!e.admin_command.empty() && c.four_letter_words.contains(e.admin_command))) {
        return Condition::kZookeeperFourLetterWord;
      }
      return Condition::kNone;
    case zookeeper::ZkEventKind::kRequest:
      break;
    default:
      return Condition::kNone;  // connect, notifications, oversize frames: no request to judge
  }
  if (const Condition k = check_ops(c, e); k != Condition::kNone) return k;
  if (const Condition k = check_paths(c, e); k != Condition::kNone) return k;
  if (const Condition k = check_write_paths(c, e); k != Condition::kNone) return k;
  if (c.auth_required && !authenticated && !exempt_from_auth(e.opcode)) return Condition::kZookeeperAuth;
  return Condition::kNone;
}

Condition CompiledPolicy::check_app(std::uint16_t index, AppProto detected) const {
  if (detected == AppProto::kUnknown) return Condition::kNone;
  const CompiledRule& r = rule(index);
  // TLS hides what it carries: over TLS, only the service's tls requirement
  // can be judged.
  if (detected != AppProto::kTls) {
    bool ok = false;
    switch (r.app) {
      case ServiceApp::kAny: ok = true; break;
      case ServiceApp::kMesos:
      case ServiceApp::kHttp: ok = detected == AppProto::kHttp || detected == AppProto::kMesos; break;
      case ServiceApp::kZookeeper: ok = detected == AppProto::kZookeeper; break;
      case ServiceApp::kTls: ok = false; break;
    }
    if (!ok) return Condition::kServiceApp;
  }
  if (r.tls == TlsRequirement::kRequired && detected != AppProto::kTls) return Condition::kServiceTls;
  if (r.tls == TlsRequirement::kForbidden && detected == AppProto::kTls) return Condition::kServiceTls;
  return Condition::kNone;
}

}  // namespace segward::policy
