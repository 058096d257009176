#include "mgmt/policy_file.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "decoders/net/packet_layers.h"
#include "decoders/zookeeper/zk_event.h"

namespace segward::mgmt {
namespace {

using policy::Action;
using policy::Cidr;
using policy::MacAddress;
using policy::Policy;
using policy::PortRange;
using policy::Rule;
using policy::Segment;
using policy::Service;
using policy::ServiceApp;
using policy::SourceLocation;
using policy::TlsRequirement;

constexpr std::size_t kMaxDefinitions = 8192;  // segments, services
constexpr std::size_t kMaxListEntries = 65536;  // in one list
// In all lists together: YAML aliases let a small file name one big list
// from every rule.
constexpr std::size_t kMaxTotalEntries = 1u << 20;
constexpr std::size_t kMaxNameBytes = 128;
constexpr std::size_t kMaxTextBytes = 1024;  // rule names, categories, globs, L7 names
constexpr std::uint64_t kMaxRuleId = (1ULL << 31) - 1;
constexpr std::uint32_t kDefaultIdBase = 1'000'000;
// Containment tests the unreachable-rule check may spend; past it, it
// claims nothing more (it may only claim what is certain).
constexpr std::uint64_t kCoverageBudget = 20'000'000;

constexpr std::string_view kAny = "any";

SourceLocation at(const YAML::Node& node) { return {YamlReader::line(node), YamlReader::column(node)}; }

bool is_name(std::string_view s) {
  return !s.empty() && s.size() <= kMaxNameBytes && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                  c == '.' || c == '-';
         });
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

// "a, b, c" (at most a screenful), for "which names exist" messages.
template <typename Names>
std::string name_list(const Names& names, std::size_t shown = 20) {
  std::string out;
  std::size_t n = 0;
  for (const auto& name : names) {
    if (n == shown) {
      out += ", ... (" + std::to_string(names.size() - shown) + " more)";
      break;
    }
    out += (n++ == 0 ? "" : ", ") + std::string(name);
  }
  return out;
}

// ---- addresses

net::IpAddress masked(const net::IpAddress& ip, unsigned prefix) {
  net::IpAddress out = ip;
  for (unsigned i = 0; i < out.bytes.size(); ++i) {
    const unsigned bit = i * 8;
    if (bit >= prefix) {
      out.bytes[i] = 0;
    } else if (bit + 8 > prefix) {
      out.bytes[i] &= static_cast<std::uint8_t>(0xff00u >> (prefix - bit));
    }
  }
  return out;
}

bool contains(const Cidr& outer, const Cidr& inner) {
  return outer.address.v6 == inner.address.v6 && outer.prefix <= inner.prefix &&
         masked(inner.address, outer.prefix) == outer.address;
}

std::optional<unsigned> small_number(std::string_view text, unsigned max) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

// ---- the unreachable-rule check

// A rule's side or service as the check sees it. "any" is a segment of
// every address.
const Segment& any_segment() {
  static const Segment any = [] {
    Segment s;
    s.name = std::string(kAny);
    s.cidrs.push_back(Cidr{net::IpAddress{}, 0});
    net::IpAddress v6;
    v6.v6 = true;
    s.cidrs.push_back(Cidr{v6, 0});
    return s;
  }();
  return any;
}

struct ResolvedRule {
  std::vector<const Segment*> from, to;
  const Service* service = nullptr;  // null: any
  const std::vector<PortRange>* merged_ports = nullptr;  // the service's, sorted and merged; null or empty: any
};

std::vector<PortRange> merge_ports(std::vector<PortRange> ports) {
  std::sort(ports.begin(), ports.end(), [](const PortRange& a, const PortRange& b) { return a.first < b.first; });
  std::vector<PortRange> out;
  for (const PortRange& p : ports) {
    if (!out.empty() && static_cast<unsigned>(out.back().last) + 1 >= p.first) {
      out.back().last = std::max(out.back().last, p.last);
    } else {
      out.push_back(p);
    }
  }
  return out;
}

class CoverageCheck {
 public:
  // Whether `earlier` matches every flow `later` can match, for certain.
  bool covers(const ResolvedRule& earlier, const ResolvedRule& later) {
    return spent_ <= kCoverageBudget && service_covers(earlier, later) && side_covers(earlier.to, later.to) &&
           side_covers(earlier.from, later.from);
  }

 private:
  bool spend(std::uint64_t cost) {
    spent_ += cost;
    return spent_ <= kCoverageBudget;
  }

  bool service_covers(const ResolvedRule& earlier, const ResolvedRule& later) {
    const Service* e = earlier.service;
    const Service* l = later.service;
    if (e == nullptr) return true;
    const std::uint8_t later_proto = l == nullptr ? 0 : l->ip_proto;
    if (e->ip_proto != 0 && e->ip_proto != later_proto) return false;
    const auto* outer = earlier.merged_ports;
    const auto* inner = later.merged_ports;
    if (outer->empty()) return true;
    if (inner == nullptr || inner->empty()) return false;  // later takes any port
    if (!spend(inner->size())) return false;
    // Both sorted and disjoint: each later range must sit inside the last
    // earlier range that starts at or before it.
    for (const PortRange& p : *inner) {
      const auto after = std::upper_bound(outer->begin(), outer->end(), p.first,
                                          [](std::uint16_t port, const PortRange& q) { return port < q.first; });
      if (after == outer->begin() || std::prev(after)->last < p.last) return false;
    }
    return true;
  }

  template <typename T>
  static bool subset(const std::vector<T>& inner, const std::vector<T>& outer) {
    return std::all_of(inner.begin(), inner.end(),
                       [&](const T& v) { return std::find(outer.begin(), outer.end(), v) != outer.end(); });
  }

  // Every packet segment `inner`'s VLAN and MAC lists let through, `outer`'s do.
  bool constraints_cover(const Segment& outer, const Segment& inner) {
    if (!spend(outer.vlans.size() * inner.vlans.size() + outer.macs.size() * inner.macs.size() + 1)) return false;
    const bool vlans = outer.vlans.empty() || (!inner.vlans.empty() && subset(inner.vlans, outer.vlans));
    const bool macs = outer.macs.empty() || (!inner.macs.empty() && subset(inner.macs, outer.macs));
    return vlans && macs;
  }

  bool side_covers(const std::vector<const Segment*>& earlier, const std::vector<const Segment*>& later) {
    for (const Segment* inner : later) {
      for (const Cidr& cidr : inner->cidrs) {
        bool held = false;
        for (const Segment* outer : earlier) {
          if (!constraints_cover(*outer, *inner)) continue;
          if (!spend(outer->cidrs.size())) return false;
          held = std::any_of(outer->cidrs.begin(), outer->cidrs.end(), [&](const Cidr& c) { return contains(c, cidr); });
          if (held) break;
        }
        if (!held) return false;
      }
    }
    return true;
  }

  std::uint64_t spent_ = 0;
};

// ---- the parser

class PolicyParser {
 public:
  explicit PolicyParser(const YamlReader& r) : r_(r) {}

  Policy parse(const YAML::Node& root) {
    policy_.source = r_.source();
    if (!root.IsMap()) {
      const std::string message = "a policy file is a mapping with the keys segments, services, rules and default";
      if (root.Mark().is_null()) throw ConfigError(r_.source() + ":1:1: " + message);
      r_.fail(root, "", message);
    }
    r_.expect_map(root, "", {"segments", "services", "rules", "default"});
    // Rules name segments and services wherever they stand in the file.
    if (root["segments"]) read_segments(root["segments"]);
    if (root["services"]) read_services(root["services"]);
    if (root["rules"]) read_rules(root["rules"]);
    if (root["default"]) read_default(root["default"]);
    return std::move(policy_);
  }

 private:
  // A sequence of at most kMaxListEntries, counted against kMaxTotalEntries.
  void expect_list(const YAML::Node& node, const std::string& path, const std::string& what,
                   std::size_t max = kMaxListEntries) {
    if (!node.IsSequence()) r_.fail(node, path, "expected a list of " + what);
    if (node.size() > max) {
      r_.fail(node, path, "at most " + std::to_string(max) + " " + what + ", got " + std::to_string(node.size()));
    }
    total_entries_ += node.size();
    if (total_entries_ > kMaxTotalEntries) {
      r_.fail(node, path, "the policy is too large (more than " + std::to_string(kMaxTotalEntries) + " list entries in all)");
    }
  }

  std::string text_value(const YAML::Node& node, const std::string& path) {
    std::string s = r_.string_value(node, path);
    if (s.size() > kMaxTextBytes) r_.fail(node, path, "longer than " + std::to_string(kMaxTextBytes) + " bytes");
    if (has_control(s)) r_.fail(node, path, "control characters are not allowed, got " + YamlReader::quote(s));
    return s;
  }

  std::string location_text(SourceLocation where) const { return r_.source() + ":" + std::to_string(where.line); }

  // ---- segments

  // segments: or services: (`kind` "segment" or "service"): name -> definition.
  template <typename Definition, typename Read>
  void read_definitions(const YAML::Node& node, const std::string& key, const std::string& kind, const char* any_means,
                        std::vector<Definition>& out, std::map<std::string, std::size_t>& index, Read read) {
    if (!node.IsMap()) r_.fail(node, key, "expected a mapping of " + kind + " name: definition");
    std::size_t count = 0;
    for (const auto& entry : node) {
      const std::string name = r_.key_value(entry.first, key);
      const std::string path = key + "." + YamlReader::escape(name);
      if (++count > kMaxDefinitions) r_.fail(entry.first, path, "at most " + std::to_string(kMaxDefinitions) + " " + key);
      if (name == kAny) r_.fail(entry.first, path, std::string("'any' is built in (") + any_means + ") and cannot be redefined");
      if (!is_name(name)) {
        r_.fail(entry.first, path, "a " + kind + " name is 1 to 128 of A-Z a-z 0-9 _ . -, got " + YamlReader::quote(name));
      }
      if (const auto it = index.find(name); it != index.end()) {
        r_.fail(entry.first, path, "duplicate " + kind + " (first defined at " + location_text(out[it->second].at) + ")");
      }
      out.push_back(read(name, entry.first, entry.second, path));
      index.emplace(name, out.size() - 1);
    }
  }

  void read_segments(const YAML::Node& node) {
    read_definitions(node, "segments", "segment", "every address", policy_.segments, segment_index_,
                     [this](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                            const std::string& path) { return read_segment(name, key, value, path); });
  }

  Segment read_segment(const std::string& name, const YAML::Node& key, const YAML::Node& node, const std::string& path) {
    r_.expect_map(node, path, {"cidrs", "vlans", "macs"});
    Segment s;
    s.name = name;
    s.at = at(key);
    const YAML::Node cidrs = node["cidrs"];
    if (!cidrs) r_.fail(node, path + ".cidrs", "required (a list of at least one CIDR, e.g. [192.0.2.0/24])");
    expect_list(cidrs, path + ".cidrs", "CIDRs");
    if (cidrs.size() == 0) r_.fail(cidrs, path + ".cidrs", "at least one CIDR is required");
    for (std::size_t i = 0; i < cidrs.size(); ++i) s.cidrs.push_back(read_cidr(cidrs[i], YamlReader::index(path + ".cidrs", i)));
    if (const YAML::Node vlans = node["vlans"]) {
      expect_list(vlans, path + ".vlans", "VLAN ids");
      for (std::size_t i = 0; i < vlans.size(); ++i) {
        const std::string item = YamlReader::index(path + ".vlans", i);
        const auto vlan = static_cast<std::uint16_t>(r_.uint_value(vlans[i], item, 1, 4094));
        if (std::find(s.vlans.begin(), s.vlans.end(), vlan) != s.vlans.end()) {
          r_.fail(vlans[i], item, "VLAN " + std::to_string(vlan) + " is listed twice");
        }
        s.vlans.push_back(vlan);
      }
    }
    if (const YAML::Node macs = node["macs"]) {
      expect_list(macs, path + ".macs", "MAC addresses");
      std::set<MacAddress> seen;
      for (std::size_t i = 0; i < macs.size(); ++i) {
        const std::string item = YamlReader::index(path + ".macs", i);
        const MacAddress mac = read_mac(macs[i], item);
        if (!seen.insert(mac).second) {
          r_.fail(macs[i], item, "MAC address " + YamlReader::quote(macs[i].Scalar()) + " is listed twice");
        }
        s.macs.push_back(mac);
      }
    }
    return s;
  }

  Cidr read_cidr(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar()) r_.fail(node, path, "expected a CIDR such as 192.0.2.0/24 or 2001:db8::/32");
    const std::string& text = node.Scalar();
    const auto bad = [&](const std::string& why) {
      r_.fail(node, path, why + ", got " + YamlReader::quote(text));
    };
    // inet_pton reads up to a NUL: let nothing through it does not see.
    const bool charset = !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':' ||
             c == '/';
    });
    if (!charset) bad("expected an IPv4 or IPv6 address or CIDR such as 192.0.2.0/24 or 2001:db8::/32");
    const std::size_t slash = text.find('/');
    const std::string address = text.substr(0, slash);
    Cidr cidr;
    std::array<std::uint8_t, 16> bytes{};
    if (address.find(':') == std::string::npos) {
      if (inet_pton(AF_INET, address.c_str(), bytes.data()) != 1) bad("not an IPv4 address");
      cidr.address = net::IpAddress::v4_from(bytes[0], bytes[1], bytes[2], bytes[3]);
    } else {
      if (inet_pton(AF_INET6, address.c_str(), bytes.data()) != 1) bad("not an IPv6 address");
      cidr.address = net::IpAddress::v6_from(bytes);
    }
    const unsigned max = cidr.address.v6 ? 128 : 32;
    cidr.prefix = static_cast<std::uint8_t>(max);
    if (slash != std::string::npos) {
      const auto prefix = small_number(std::string_view(text).substr(slash + 1), max);
      if (!prefix) bad("the prefix length must be 0 to " + std::to_string(max));
      cidr.prefix = static_cast<std::uint8_t>(*prefix);
    }
    const net::IpAddress network = masked(cidr.address, cidr.prefix);
    if (network != cidr.address) {
      r_.fail(node, path, YamlReader::quote(text) + " has host bits set (did you mean " +
                              policy::cidr_text(Cidr{network, cidr.prefix}) + "?)");
    }
    return cidr;
  }

  MacAddress read_mac(const YAML::Node& node, const std::string& path) {
    const auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    MacAddress mac{};
    const std::string& text = node.IsScalar() ? node.Scalar() : std::string();
    bool ok = node.IsScalar() && text.size() == 17;
    for (std::size_t i = 0; ok && i < 6; ++i) {
      const int high = hex(text[3 * i]);
      const int low = hex(text[3 * i + 1]);
      ok = high >= 0 && low >= 0 && (i == 5 || text[3 * i + 2] == ':');
      mac[i] = static_cast<std::uint8_t>(high * 16 + low);
    }
    if (!ok) r_.fail(node, path, "expected a MAC address such as \"02:00:00:00:00:01\", got " + YamlReader::quote(text));
    return mac;
  }

  // ---- services

  void read_services(const YAML::Node& node) {
    read_definitions(node, "services", "service", "every protocol and port", policy_.services, service_index_,
                     [this](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                            const std::string& path) { return read_service(name, key, value, path); });
    for (const Service& s : policy_.services) merged_ports_.push_back(merge_ports(s.ports));
  }

  Service read_service(const std::string& name, const YAML::Node& key, const YAML::Node& node, const std::string& path) {
    r_.expect_map(node, path, {"proto", "ports", "app", "tls"});
    Service s;
    s.name = name;
    s.at = at(key);
    if (node["proto"]) {
      const std::string proto = r_.choice(node["proto"], path + ".proto", {"tcp", "udp", "any"});
      s.ip_proto = proto == "tcp" ? net::ip_proto::kTcp : proto == "udp" ? net::ip_proto::kUdp : 0;
    }
    if (const YAML::Node ports = node["ports"]) {
      if (ports.IsScalar()) {
        s.ports.push_back(read_port_range(ports, path + ".ports"));
      } else {
        expect_list(ports, path + ".ports", "ports");
        for (std::size_t i = 0; i < ports.size(); ++i) {
          s.ports.push_back(read_port_range(ports[i], YamlReader::index(path + ".ports", i)));
        }
      }
    }
    if (node["app"]) {
      const std::string app = r_.choice(node["app"], path + ".app", {"any", "mesos", "zookeeper", "tls", "http"});
      s.app = app == "mesos"       ? ServiceApp::kMesos
              : app == "zookeeper" ? ServiceApp::kZookeeper
              : app == "tls"       ? ServiceApp::kTls
              : app == "http"      ? ServiceApp::kHttp
                                   : ServiceApp::kAny;
      if (s.app != ServiceApp::kAny && s.ip_proto == net::ip_proto::kUdp) {
        r_.fail(node["app"], path + ".app", "app: " + app + " runs over TCP, but proto is udp");
      }
    }
    if (node["tls"]) {
      const std::string tls = r_.choice(node["tls"], path + ".tls", {"required", "optional", "forbidden"});
      s.tls = tls == "required" ? TlsRequirement::kRequired
              : tls == "forbidden" ? TlsRequirement::kForbidden
                                   : TlsRequirement::kOptional;
      if (s.app == ServiceApp::kTls && s.tls == TlsRequirement::kForbidden) {
        r_.fail(node["tls"], path + ".tls", "app: tls contradicts tls: forbidden");
      }
    }
    return s;
  }

  PortRange read_port_range(const YAML::Node& node, const std::string& path) {
    const auto bad = [&]() {
      r_.fail(node, path,
              "expected a port (1 to 65535) or a range \"A-B\", got " + YamlReader::quote(node.IsScalar() ? node.Scalar() : ""));
    };
    if (!node.IsScalar()) bad();
    const std::string_view text = node.Scalar();
    const std::size_t dash = text.find('-');
    const auto first = small_number(text.substr(0, dash), 65535);
    const auto last = dash == std::string_view::npos ? first : small_number(text.substr(dash + 1), 65535);
    if (!first || !last || *first == 0 || *last == 0) bad();
    if (*first > *last) {
      r_.fail(node, path, "the range " + YamlReader::quote(text) + " ends before it starts (did you mean \"" +
                              std::to_string(*last) + "-" + std::to_string(*first) + "\"?)");
    }
    return PortRange{static_cast<std::uint16_t>(*first), static_cast<std::uint16_t>(*last)};
  }

  // ---- rules

  void read_rules(const YAML::Node& node) {
    expect_list(node, "rules", "rules", kMaxPolicyRules);
    policy_.rules.reserve(node.size());
    resolved_.reserve(node.size());
    for (std::size_t i = 0; i < node.size(); ++i) read_rule(node[i], i);
  }

  // A segment name or a list of them: the names, each checked.
  std::vector<std::string> read_sides(const YAML::Node& rule, const char* key, const std::string& rule_path,
                                      std::vector<const Segment*>& resolved) {
    const std::string path = rule_path + "." + key;
    const YAML::Node node = rule[key];
    if (!node) r_.fail(rule, path, "required (a segment name, a list of them, or any)");
    std::vector<std::pair<YAML::Node, std::string>> items;
    if (node.IsScalar()) {
      items.emplace_back(node, path);
    } else {
      expect_list(node, path, "segment names");
      if (node.size() == 0) r_.fail(node, path, "at least one segment is required (or any)");
      for (std::size_t i = 0; i < node.size(); ++i) items.emplace_back(node[i], YamlReader::index(path, i));
    }
    std::vector<std::string> names;
    for (const auto& [item, item_path] : items) {
      const std::string name = r_.string_value(item, item_path);
      if (name == kAny) {
        resolved.push_back(&any_segment());
      } else if (const auto it = segment_index_.find(name); it != segment_index_.end()) {
        resolved.push_back(&policy_.segments[it->second]);
      } else {
        std::vector<std::string> defined;
        for (const Segment& s : policy_.segments) defined.push_back(s.name);
        r_.fail(item, item_path, "unknown segment " + YamlReader::quote(name) +
                                     (defined.empty() ? std::string(" (no segments are defined; only any)")
                                                      : " (defined: " + name_list(defined) + "; or any)"));
      }
      names.push_back(name);
    }
    return names;
  }

  static Action action_of(const std::string& name) {
    return name == "allow" ? Action::kAllow : name == "alert" ? Action::kAlert : name == "drop" ? Action::kDrop : Action::kReset;
  }

  void read_rule(const YAML::Node& node, std::size_t index) {
    const std::string path = YamlReader::index("rules", index);
    r_.expect_map(node, path,
                  {"name", "id", "from", "to", "service", "action", "violation", "severity", "category", "zookeeper", "mesos"});
    Rule rule;
    rule.at = at(node);
    if (!node["name"]) r_.fail(node, path + ".name", "required");
    rule.name = text_value(node["name"], path + ".name");
    if (const auto it = rule_index_.find(rule.name); it != rule_index_.end()) {
      r_.fail(node["name"], path + ".name",
              "duplicate rule name " + YamlReader::quote(rule.name) + " (also rules[" + std::to_string(it->second) +
                  "] at " + location_text(policy_.rules[it->second].at) + ")");
    }

    // Ids: written or 1000000 + position; either kind may collide.
    const bool explicit_id = static_cast<bool>(node["id"]);
    rule.id = explicit_id ? static_cast<std::uint32_t>(r_.uint_value(node["id"], path + ".id", 1, kMaxRuleId))
                          : kDefaultIdBase + static_cast<std::uint32_t>(index + 1);
    if (const auto it = id_index_.find(rule.id); it != id_index_.end()) {
      const Rule& other = policy_.rules[it->second];
      const std::string how = explicit_id ? "" : " (the default id of the rule at position " + std::to_string(index + 1) + ")";
      r_.fail(explicit_id ? node["id"] : node, path + ".id",
              "duplicate id " + std::to_string(rule.id) + how + ": rule " + YamlReader::quote(other.name) + " (" +
                  location_text(other.at) + ") has it" + (explicit_ids_[it->second] ? "" : " by default"));
    }

    ResolvedRule resolved;
    rule.from = read_sides(node, "from", path, resolved.from);
    rule.to = read_sides(node, "to", path, resolved.to);

    if (!node["service"]) r_.fail(node, path + ".service", "required (a service name or any)");
    rule.service = r_.string_value(node["service"], path + ".service");
    if (rule.service != kAny) {
      const auto it = service_index_.find(rule.service);
      if (it == service_index_.end()) {
        std::vector<std::string> defined;
        for (const Service& s : policy_.services) defined.push_back(s.name);
        r_.fail(node["service"], path + ".service",
                "unknown service " + YamlReader::quote(rule.service) +
                    (defined.empty() ? std::string(" (no services are defined; only any)")
                                     : " (defined: " + name_list(defined) + "; or any)"));
      }
      resolved.service = &policy_.services[it->second];
      resolved.merged_ports = &merged_ports_[it->second];
    }

    if (!node["action"]) r_.fail(node, path + ".action", "required (allow, alert, drop or reset)");
    rule.action = action_of(r_.choice(node["action"], path + ".action", {"allow", "alert", "drop", "reset"}));
    if (const YAML::Node v = node["violation"]) {
      if (v.IsScalar() && v.Scalar() == "allow") {
        r_.fail(v, path + ".violation", "a violation cannot be allowed: expected alert, drop or reset");
      }
      rule.violation = action_of(r_.choice(v, path + ".violation", {"alert", "drop", "reset"}));
    }
    if (node["severity"]) rule.severity = static_cast<std::uint8_t>(r_.uint_value(node["severity"], path + ".severity", 1, 3));
    rule.category = node["category"] ? text_value(node["category"], path + ".category") : std::string("segmentation");

    const ServiceApp app = resolved.service == nullptr ? ServiceApp::kAny : resolved.service->app;
    if (const YAML::Node z = node["zookeeper"]) {
      check_l7_applies(z, path + ".zookeeper", rule, resolved, app == ServiceApp::kAny || app == ServiceApp::kZookeeper,
                       "zookeeper or any");
      read_zookeeper(z, path + ".zookeeper", rule.zookeeper);
    }
    if (const YAML::Node m = node["mesos"]) {
      check_l7_applies(m, path + ".mesos", rule, resolved,
                       app == ServiceApp::kAny || app == ServiceApp::kMesos || app == ServiceApp::kHttp,
                       "mesos, http or any");
      read_mesos(m, path + ".mesos", rule.mesos);
    }

    // First match wins: a rule whose every flow an earlier rule takes is a
    // mistake (usually the order, or a CIDR wider than meant).
    for (std::size_t j = 0; j < resolved_.size(); ++j) {
      if (coverage_.covers(resolved_[j], resolved)) {
        r_.fail(node, path, "rule " + YamlReader::quote(rule.name) + " can never match: rule " +
                                YamlReader::quote(policy_.rules[j].name) + " (" + location_text(policy_.rules[j].at) +
                                ") matches every flow it does");
      }
    }

    rule_index_.emplace(rule.name, index);
    id_index_.emplace(rule.id, index);
    explicit_ids_.push_back(explicit_id);
    policy_.rules.push_back(std::move(rule));
    resolved_.push_back(std::move(resolved));
  }

  void check_l7_applies(const YAML::Node& node, const std::string& path, const Rule& rule, const ResolvedRule& resolved,
                        bool app_fits, const char* apps) {
    if (rule.action != Action::kAllow) {
      r_.fail(node, path, "L7 conditions apply to allow rules only (this rule's action drops or alerts on every flow)");
    }
    if (!app_fits) {
      r_.fail(node, path, "cannot apply: service " + YamlReader::quote(resolved.service->name) + " (" +
                              location_text(resolved.service->at) + ") has app: " +
                              std::string(resolved.service->app == ServiceApp::kMesos       ? "mesos"
                                          : resolved.service->app == ServiceApp::kZookeeper ? "zookeeper"
                                          : resolved.service->app == ServiceApp::kTls       ? "tls"
                                                                                            : "http") +
                              " (these conditions need " + apps + ")");
    }
  }

  // A list of strings, each checked by `check` (which fails with a message).
  template <typename Check>
  std::vector<std::string> read_strings(const YAML::Node& node, const std::string& path, const std::string& what,
                                        Check check) {
    expect_list(node, path, what);
    std::vector<std::string> out;
    out.reserve(node.size());
    for (std::size_t i = 0; i < node.size(); ++i) {
      const std::string item_path = YamlReader::index(path, i);
      std::string value = text_value(node[i], item_path);
      check(node[i], item_path, value);
      out.push_back(std::move(value));
    }
    return out;
  }

  void check_glob(const YAML::Node& node, const std::string& path, const std::string& glob) {
    if (glob.front() != '/') r_.fail(node, path, "a glob starts with '/', got " + YamlReader::quote(glob));
    if (glob.find("***") != std::string::npos) {
      r_.fail(node, path, YamlReader::quote(glob) + ": '***' means nothing; '**' matches any depth");
    }
    for (std::size_t i = glob.find("**"); i != std::string::npos; i = glob.find("**", i + 2)) {
      const bool whole = glob[i - 1] == '/' && (i + 2 == glob.size() || glob[i + 2] == '/');
      if (!whole) {
        r_.fail(node, path, YamlReader::quote(glob) + ": '**' must be a whole path segment (as in /a/** or /a/**/b)");
      }
    }
  }

  static const std::vector<std::string>& opcode_names() {
    static const std::vector<std::string> names = [] {
      std::vector<std::string> out;
      // The requests in opcode order first, then the session opcodes.
      const auto add = [&](std::int32_t op) {
        if (const std::string_view name = zookeeper::opcode_name(op); !name.empty()) out.emplace_back(name);
      };
      for (std::int32_t op = 1; op <= 256; ++op) add(op);
      for (std::int32_t op = 0; op >= -64; --op) add(op);
      return out;
    }();
    return names;
  }

  void read_zookeeper(const YAML::Node& node, const std::string& path, policy::ZookeeperConditions& z) {
    r_.expect_map(node, path, {"ops", "paths", "write_paths", "four_letter_words", "auth"});
    if (const YAML::Node ops = node["ops"]) {
      z.ops = read_strings(ops, path + ".ops", "ZooKeeper operations", [&](const YAML::Node& n, const std::string& p,
                                                                           const std::string& v) {
        const auto& known = opcode_names();
        if (std::find(known.begin(), known.end(), v) == known.end()) {
          r_.fail(n, p, "unknown ZooKeeper operation " + YamlReader::quote(v) + " (known: " + name_list(known, known.size()) + ")");
        }
      });
    }
    const auto glob = [&](const YAML::Node& n, const std::string& p, const std::string& v) { check_glob(n, p, v); };
    if (node["paths"]) z.paths = read_strings(node["paths"], path + ".paths", "path globs", glob);
    if (node["write_paths"]) z.write_paths = read_strings(node["write_paths"], path + ".write_paths", "path globs", glob);
    if (const YAML::Node words = node["four_letter_words"]) {
      z.four_letter_words = read_strings(words, path + ".four_letter_words", "four-letter words",
                                         [&](const YAML::Node& n, const std::string& p, const std::string& v) {
                                           std::array<char, 4> word{};
                                           if (v.size() == 4) std::copy(v.begin(), v.end(), word.begin());
                                           if (v.size() != 4 || !zookeeper::is_four_letter_word(word)) {
                                             r_.fail(n, p, "not a ZooKeeper four-letter word: " + YamlReader::quote(v) +
                                                               " (e.g. ruok, srvr, stat, mntr, conf)");
                                           }
                                         });
    }
    if (node["auth"]) {
      z.auth_required = r_.choice(node["auth"], path + ".auth", {"required"}) == "required";
    }
  }

  void read_mesos(const YAML::Node& node, const std::string& path, policy::MesosConditions& m) {
    r_.expect_map(node, path, {"messages", "calls", "framework", "endpoints"});
    if (node["messages"]) {
      m.messages = read_strings(node["messages"], path + ".messages", "libprocess message names",
                                [&](const YAML::Node& n, const std::string& p, const std::string& v) {
                                  const bool ok = std::all_of(v.begin(), v.end(), [](char c) {
                                    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                           c == '_' || c == '.';
                                  });
                                  if (!ok) {
                                    r_.fail(n, p, "expected a message type name such as "
                                                  "mesos.internal.RegisterSlaveMessage, got " + YamlReader::quote(v));
                                  }
                                });
    }
    if (node["calls"]) {
      m.calls = read_strings(node["calls"], path + ".calls", "call types",
                             [&](const YAML::Node& n, const std::string& p, const std::string& v) {
                               if (!std::all_of(v.begin(), v.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; })) {
                                 r_.fail(n, p, "expected a v1 call type in capitals such as SUBSCRIBE or GET_STATE, got " +
                                                   YamlReader::quote(v));
                               }
                             });
    }
    const auto any_text = [](const YAML::Node&, const std::string&, const std::string&) {};
    if (const YAML::Node f = node["framework"]) {
      r_.expect_map(f, path + ".framework", {"principals", "roles"});
      if (f["principals"]) m.principals = read_strings(f["principals"], path + ".framework.principals", "principals", any_text);
      if (f["roles"]) m.roles = read_strings(f["roles"], path + ".framework.roles", "roles", any_text);
    }
    if (node["endpoints"]) {
      m.endpoints = read_strings(node["endpoints"], path + ".endpoints", "endpoint globs",
                                 [&](const YAML::Node& n, const std::string& p, const std::string& v) { check_glob(n, p, v); });
    }
  }

  // ---- default

  void read_default(const YAML::Node& node) {
    policy_.default_at = at(node);
    if (node.IsMap()) {
      r_.expect_map(node, "default", {"action", "severity"});
      if (!node["action"]) r_.fail(node, "default.action", "required (allow, alert, drop or reset)");
      policy_.default_action = action_of(r_.choice(node["action"], "default.action", {"allow", "alert", "drop", "reset"}));
      if (node["severity"]) {
        policy_.default_severity = static_cast<std::uint8_t>(r_.uint_value(node["severity"], "default.severity", 1, 3));
      }
      return;
    }
    if (!node.IsScalar()) r_.fail(node, "default", "expected an action (allow, alert, drop or reset) or {action, severity}");
    policy_.default_action = action_of(r_.choice(node, "default", {"allow", "alert", "drop", "reset"}));
  }

  const YamlReader& r_;
  Policy policy_;
  std::map<std::string, std::size_t> segment_index_, service_index_, rule_index_;
  std::map<std::uint32_t, std::size_t> id_index_;
  std::vector<bool> explicit_ids_;
  std::vector<ResolvedRule> resolved_;
  std::vector<std::vector<PortRange>> merged_ports_;  // per service
  CoverageCheck coverage_;
  std::size_t total_entries_ = 0;
};

}  // namespace

Policy parse_policy(const std::string& text, const std::string& source) {
  if (text.size() > kMaxPolicyBytes) {
    throw ConfigError(source + ": the policy file is larger than " + std::to_string(kMaxPolicyBytes >> 20) + " MiB");
  }
  const YamlReader r(source);
  const YAML::Node root = r.load(text);
  return PolicyParser(r).parse(root);
}

Policy load_policy_file(const std::string& path) { return parse_policy(read_text_file(path, "policy file"), path); }

}  // namespace segward::mgmt
