#include "mgmt/learn/policy_diff.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

#include "decoders/net/packet_layers.h"

namespace segward::learn {
namespace {

using policy::Policy;
using policy::PortRange;
using policy::Rule;
using policy::Segment;
using policy::Service;

std::string bracket(const std::set<std::string>& items) {
  std::string out = "[";
  for (const auto& s : items) out += (out.size() == 1 ? "" : ", ") + s;
  return out + "]";
}

// "+ a, + b, - c" (added in proposed, removed from running); empty if equal.
std::string set_change(const std::set<std::string>& proposed, const std::set<std::string>& running) {
  std::string out;
  for (const auto& s : proposed) {
    if (running.count(s) == 0) out += (out.empty() ? "+ " : ", + ") + s;
  }
  for (const auto& s : running) {
    if (proposed.count(s) == 0) out += (out.empty() ? "- " : ", - ") + s;
  }
  return out;
}

template <typename T, typename F>
std::set<std::string> texts(const std::vector<T>& items, F f) {
  std::set<std::string> out;
  for (const auto& i : items) out.insert(f(i));
  return out;
}

std::set<std::string> texts(const std::vector<std::string>& items) { return {items.begin(), items.end()}; }

std::string proto_text(std::uint8_t p) { return p == 6 ? "tcp" : p == 17 ? "udp" : p == 0 ? "any" : std::to_string(p); }

// Ports as merged ranges, "2181", "5050-5051".
std::vector<std::string> port_texts(const std::vector<PortRange>& ports) {
  std::vector<PortRange> r = ports;
  std::sort(r.begin(), r.end(), [](const PortRange& a, const PortRange& b) {
    return a.first != b.first ? a.first < b.first : a.last < b.last;
  });
  std::vector<PortRange> merged;
  for (const auto& p : r) {
    if (!merged.empty() && static_cast<std::uint32_t>(p.first) <= static_cast<std::uint32_t>(merged.back().last) + 1) {
      merged.back().last = std::max(merged.back().last, p.last);
    } else {
      merged.push_back(p);
    }
  }
  std::vector<std::string> out;
  for (const auto& p : merged) {
    out.push_back(p.first == p.last ? std::to_string(p.first)
                                    : std::to_string(p.first) + "-" + std::to_string(p.last));
  }
  return out;
}

std::string ports_text(const std::vector<PortRange>& ports) {
  if (ports.empty()) return "any";
  std::string out = "[";
  for (const auto& p : port_texts(ports)) out += (out.size() == 1 ? "" : ", ") + p;
  return out + "]";
}

void scalar(std::vector<std::string>& d, const std::string& key, const std::string& proposed,
            const std::string& running) {
  if (proposed != running) d.push_back(key + ": " + running + " -> " + proposed);
}

void set_field(std::vector<std::string>& d, const std::string& key, const std::set<std::string>& proposed,
               const std::set<std::string>& running) {
  if (const std::string c = set_change(proposed, running); !c.empty()) d.push_back(key + ": " + c);
}

// An L7 allowlist: absent is "any", [] is "nothing".
void list_field(std::vector<std::string>& d, const std::string& key,
                const std::optional<std::vector<std::string>>& proposed,
                const std::optional<std::vector<std::string>>& running) {
  if (!proposed && !running) return;
  const auto shown = [](const std::optional<std::vector<std::string>>& v) {
    if (!v) return std::string("any (not constrained)");
    if (v->empty()) return std::string("[] (nothing allowed)");
    return bracket(texts(*v));
  };
  if (!proposed || !running || (proposed->empty() != running->empty())) {
    d.push_back(key + ": " + shown(running) + " -> " + shown(proposed));
    return;
  }
  set_field(d, key, texts(*proposed), texts(*running));
}

std::string rule_summary(const Rule& r) {
  std::string out = "from " + bracket(texts(r.from)) + " to " + bracket(texts(r.to)) + ", service " + r.service +
                    ", " + std::string(policy::action_name(r.action));
  if (r.zookeeper.any() || r.mesos.any()) out += " with L7 conditions";
  return out;
}

std::vector<std::string> segment_details(const Segment& p, const Segment& r, std::size_t, std::size_t) {
  std::vector<std::string> d;
  set_field(d, "cidrs", texts(p.cidrs, policy::cidr_text), texts(r.cidrs, policy::cidr_text));
  set_field(d, "vlans", texts(p.vlans, [](std::uint16_t v) { return std::to_string(v); }),
            texts(r.vlans, [](std::uint16_t v) { return std::to_string(v); }));
  set_field(d, "macs", texts(p.macs, policy::mac_text), texts(r.macs, policy::mac_text));
  return d;
}

std::vector<std::string> service_details(const Service& p, const Service& r, std::size_t, std::size_t) {
  std::vector<std::string> d;
  scalar(d, "proto", proto_text(p.ip_proto), proto_text(r.ip_proto));
  if (port_texts(p.ports) != port_texts(r.ports)) d.push_back("ports: " + ports_text(r.ports) + " -> " + ports_text(p.ports));
  scalar(d, "app", std::string(policy::service_app_name(p.app)), std::string(policy::service_app_name(r.app)));
  scalar(d, "tls", std::string(policy::tls_requirement_name(p.tls)), std::string(policy::tls_requirement_name(r.tls)));
  return d;
}

// The id a file gives a rule that names none (mgmt/policy_file.h): it moves
// with the rule's position, so a move alone is not an id change.
constexpr std::uint32_t kDefaultIdBase = 1'000'000;

std::vector<std::string> rule_details(const Rule& p, const Rule& r, std::size_t p_index, std::size_t r_index) {
  std::vector<std::string> d;
  const bool both_implicit = p.id == kDefaultIdBase + p_index + 1 && r.id == kDefaultIdBase + r_index + 1;
  if (p.id != r.id && !both_implicit) d.push_back("id: " + std::to_string(r.id) + " -> " + std::to_string(p.id));
  set_field(d, "from", texts(p.from), texts(r.from));
  set_field(d, "to", texts(p.to), texts(r.to));
  scalar(d, "service", p.service, r.service);
  scalar(d, "action", std::string(policy::action_name(p.action)), std::string(policy::action_name(r.action)));
  scalar(d, "violation", std::string(policy::action_name(p.violation)), std::string(policy::action_name(r.violation)));
  scalar(d, "severity", std::to_string(p.severity), std::to_string(r.severity));
  scalar(d, "category", p.category, r.category);
  list_field(d, "zookeeper.ops", p.zookeeper.ops, r.zookeeper.ops);
  list_field(d, "zookeeper.paths", p.zookeeper.paths, r.zookeeper.paths);
  list_field(d, "zookeeper.write_paths", p.zookeeper.write_paths, r.zookeeper.write_paths);
  list_field(d, "zookeeper.four_letter_words", p.zookeeper.four_letter_words, r.zookeeper.four_letter_words);
  if (p.zookeeper.auth_required != r.zookeeper.auth_required) {
    d.push_back(std::string("zookeeper.auth: ") + (r.zookeeper.auth_required ? "required" : "not required") + " -> " +
                (p.zookeeper.auth_required ? "required" : "not required"));
  }
  list_field(d, "mesos.messages", p.mesos.messages, r.mesos.messages);
  list_field(d, "mesos.calls", p.mesos.calls, r.mesos.calls);
  list_field(d, "mesos.framework.principals", p.mesos.principals, r.mesos.principals);
  list_field(d, "mesos.framework.roles", p.mesos.roles, r.mesos.roles);
  list_field(d, "mesos.endpoints", p.mesos.endpoints, r.mesos.endpoints);
  return d;
}

std::string ordinal(std::size_t n) {
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

// Named items of one section: added, removed, changed, in `proposed` order
// (removed ones after, in `running` order).
template <typename T, typename Details, typename Summary>
void diff_section(std::vector<PolicyChange>& out, const char* section,
                  const std::vector<T>& proposed, const std::vector<T>& running, Details details, Summary summary) {
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < running.size(); ++i) by_name.emplace(running[i].name, i);
  std::set<std::string> in_proposed;
  for (std::size_t i = 0; i < proposed.size(); ++i) {
    const T& p = proposed[i];
    in_proposed.insert(p.name);
    const auto it = by_name.find(p.name);
    if (it == by_name.end()) {
      out.push_back({PolicyChange::Kind::kAdded, section, p.name, {summary(p)}});
    } else if (auto d = details(p, running[it->second], i, it->second); !d.empty()) {
      out.push_back({PolicyChange::Kind::kChanged, section, p.name, std::move(d)});
    }
  }
  for (const auto& r : running) {
    if (in_proposed.count(r.name) == 0) out.push_back({PolicyChange::Kind::kRemoved, section, r.name, {summary(r)}});
  }
}

}  // namespace

std::vector<PolicyChange> diff_policies(const policy::Policy& proposed, const policy::Policy& running) {
  std::vector<PolicyChange> out;
  diff_section(out, "segment", proposed.segments, running.segments, segment_details, [](const Segment& s) {
    return "cidrs " + bracket(texts(s.cidrs, policy::cidr_text)) +
           (s.vlans.empty() ? "" : ", vlans " + bracket(texts(s.vlans, [](std::uint16_t v) { return std::to_string(v); })));
  });
  diff_section(out, "service", proposed.services, running.services, service_details, [](const Service& s) {
    return proto_text(s.ip_proto) + " ports " + ports_text(s.ports) + ", app " +
           std::string(policy::service_app_name(s.app));
  });

  // Rules: contents by name, then the order of the rules both have.
  std::vector<PolicyChange> rules;
  diff_section(rules, "rule", proposed.rules, running.rules, rule_details, rule_summary);
  std::vector<std::string> common_p, common_r;
  std::set<std::string> names_p, names_r;
  for (const auto& r : proposed.rules) names_p.insert(r.name);
  for (const auto& r : running.rules) names_r.insert(r.name);
  for (const auto& r : proposed.rules) {
    if (names_r.count(r.name) != 0) common_p.push_back(r.name);
  }
  for (const auto& r : running.rules) {
    if (names_p.count(r.name) != 0) common_r.push_back(r.name);
  }
  for (std::size_t i = 0; i < common_p.size(); ++i) {
    const std::size_t was = static_cast<std::size_t>(std::find(common_r.begin(), common_r.end(), common_p[i]) - common_r.begin());
    if (was == i) continue;
    const std::string line = "order: " + ordinal(was + 1) + " -> " + ordinal(i + 1) + " of the rules both have";
    auto it = std::find_if(rules.begin(), rules.end(), [&](const PolicyChange& c) {
      return c.kind == PolicyChange::Kind::kChanged && c.name == common_p[i];
    });
    if (it == rules.end()) {
      rules.push_back({PolicyChange::Kind::kChanged, "rule", common_p[i], {line}});
    } else {
      it->details.insert(it->details.begin(), line);
    }
  }
  // Rules in the proposed file's order.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < proposed.rules.size(); ++i) position.emplace(proposed.rules[i].name, i);
  std::stable_sort(rules.begin(), rules.end(), [&](const PolicyChange& a, const PolicyChange& b) {
    const auto pa = position.count(a.name) != 0 ? position.at(a.name) : proposed.rules.size();
    const auto pb = position.count(b.name) != 0 ? position.at(b.name) : proposed.rules.size();
    return pa < pb;
  });
  for (auto& c : rules) {
    if (c.kind == PolicyChange::Kind::kAdded) c.details.front() += " (" + ordinal(position.at(c.name) + 1) + " rule)";
    out.push_back(std::move(c));
  }

  std::vector<std::string> d;
  scalar(d, "action", std::string(policy::action_name(proposed.default_action)),
         std::string(policy::action_name(running.default_action)));
  scalar(d, "severity", std::to_string(proposed.default_severity), std::to_string(running.default_severity));
  if (!d.empty()) out.push_back({PolicyChange::Kind::kChanged, "default", "", std::move(d)});
  return out;
}

std::string format_policy_diff(const std::vector<PolicyChange>& changes, const policy::Policy& proposed,
                               const policy::Policy& running) {
  const auto n = [](std::size_t count, const char* what) {
    return std::to_string(count) + " " + what + (count == 1 ? "" : "s");
  };
  const auto shape = [&](const Policy& p) {
    return n(p.segments.size(), "segment") + ", " + n(p.services.size(), "service") + ", " + n(p.rules.size(), "rule") +
           ", default " + std::string(policy::action_name(p.default_action));
  };
  std::string out;
  if (changes.empty()) {
    return proposed.source + " and " + running.source + " are the same policy (" + shape(proposed) + ")\n";
  }
  std::map<std::string, std::size_t> per_section;
  for (const auto& c : changes) ++per_section[c.section];
  out = proposed.source + " against " + running.source + ": " + std::to_string(changes.size()) +
        (changes.size() == 1 ? " difference (" : " differences (");
  bool first = true;
  for (const char* s : {"segment", "service", "rule", "default"}) {
    const auto it = per_section.find(s);
    if (it == per_section.end()) continue;
    out += (first ? "" : ", ") + std::to_string(it->second) + " " + s + (it->second == 1 || std::string(s) == "default" ? "" : "s");
    first = false;
  }
  out += ")\n  proposed: " + shape(proposed) + "\n  running:  " + shape(running) + "\n";
  for (const auto& c : changes) {
    const char mark = c.kind == PolicyChange::Kind::kAdded ? '+' : c.kind == PolicyChange::Kind::kRemoved ? '-' : '~';
    const char* verb = c.kind == PolicyChange::Kind::kAdded     ? "added"
                       : c.kind == PolicyChange::Kind::kRemoved ? "removed"
                                                                : "changed";
    out += std::string(1, mark) + " " + c.section + (c.name.empty() ? "" : " " + c.name) + ": " + verb + "\n";
    for (const auto& d : c.details) out += "    " + d + "\n";
  }
  return out;
}

}  // namespace segward::learn
