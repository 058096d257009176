#include "mgmt/learn/learner.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string_view>
#include <tuple>

#include "decoders/net/packet_layers.h"

namespace segward::learn {
namespace {

using policy::Action;
using policy::ServiceApp;

// A directory with more learned children than this becomes "dir/*".
constexpr std::size_t kCollapseSiblings = 16;
constexpr std::uint32_t kFirstRuleId = 1000;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_zk_write(std::string_view op) {
  return op == "create" || op == "create2" || op == "createContainer" || op == "createTTL" || op == "delete" ||
         op == "deleteContainer" || op == "setData" || op == "setACL" || op == "reconfig";
}
bool is_zk_create(std::string_view op) {
  return op == "create" || op == "create2" || op == "createContainer" || op == "createTTL";
}
bool under_mesos(std::string_view path) { return path == "/mesos" || starts_with(path, "/mesos/"); }

bool truncated_field(const google::protobuf::RepeatedPtrField<std::string>& truncated, std::string_view field) {
  return std::any_of(truncated.begin(), truncated.end(), [&](const std::string& f) { return f == field; });
}

// A path cut to its field size stands for every path it could have been:
// its directory and everything below.
std::string truncated_path_glob(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return "/**";
  return path.substr(0, slash) + "/**";
}

void widen(std::string& first, std::string& last, const std::string& t) {
  if (t.empty()) return;
  if (first.empty() || t < first) first = t;
  if (last.empty() || t > last) last = t;
}

std::optional<net::IpAddress> parse_ip(const std::string& text) {
  net::IpAddress ip;
  if (inet_pton(AF_INET, text.c_str(), ip.bytes.data()) == 1) return ip;
  if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) == 1) {
    ip.v6 = true;
    return ip;
  }
  return std::nullopt;
}

std::string sanitise_name(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
    out.push_back(ok ? c : '-');
  }
  return out.empty() ? std::string("unnamed") : out;
}

// What the policy file accepts as a glob (mgmt/policy_file.h): a leading
// '/', no "***", "**" only as a whole path segment.
bool glob_ok(std::string_view g) {
  if (g.empty() || g[0] != '/' || g.find("***") != std::string_view::npos) return false;
  for (std::size_t i = g.find("**"); i != std::string_view::npos; i = g.find("**", i + 2)) {
    if (g[i - 1] != '/' || (i + 2 != g.size() && g[i + 2] != '/')) return false;
  }
  return true;
}

bool all_of_chars(const std::set<std::string>& items, bool (*ok)(char)) {
  return std::all_of(items.begin(), items.end(), [&](const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), ok);
  });
}
bool call_char(char c) { return (c >= 'A' && c <= 'Z') || c == '_'; }
bool message_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::uint8_t ip_proto_of(const std::string& proto) {
  if (proto == "TCP") return 6;
  if (proto == "UDP") return 17;
  return 0;
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string join(const std::set<std::string>& items, std::size_t limit = 8) {
  std::string out;
  std::size_t i = 0;
  for (const auto& s : items) {
    if (i == limit) {
      out += ", ... (" + std::to_string(items.size()) + " in all)";
      break;
    }
    if (i++ != 0) out += ", ";
    out += s;
  }
  return out;
}

void learn_path(std::set<std::string>& paths, const std::string& path, bool& overflow) {
  if (paths.size() < kMaxLearnedPaths || paths.count(path) != 0) {
    paths.insert(path);
  } else {
    overflow = true;
  }
}

}  // namespace

std::string generalise_zk_path(const std::string& path, bool sequential_create) {
  if (sequential_create) return path + "*";
  // Every component ending in a 10-digit sequence suffix (%010d).
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t j = path.find('/', i + 1);
    if (j == std::string::npos) j = path.size();
    std::string_view comp(path.data() + i, j - i);  // with its leading '/'
    std::size_t digits = 0;
    while (digits < comp.size() && std::isdigit(static_cast<unsigned char>(comp[comp.size() - 1 - digits])) != 0) {
      ++digits;
    }
    if (digits == 10 && comp.size() > 10) {
      out.append(comp.substr(0, comp.size() - 10));
      out.push_back('*');
    } else {
      out.append(comp);
    }
    i = j;
  }
  return out;
}

std::set<std::string> collapse_siblings(const std::set<std::string>& paths, std::size_t limit) {
  std::map<std::string, std::vector<std::string>> by_parent;
  for (const auto& p : paths) {
    const auto slash = p.rfind('/');
    if (slash == std::string::npos) continue;
    by_parent[p.substr(0, slash)].push_back(p);
  }
  std::set<std::string> out = paths;
  for (const auto& [parent, children] : by_parent) {
    if (children.size() <= limit) continue;
    if (parent.find('*') != std::string::npos) continue;  // already a pattern: leave it
    for (const auto& c : children) out.erase(c);
    out.insert(parent + "/*");
  }
  return out;
}

Learner::Host& Learner::host(const std::string& ip, const events::Event& e) {
  Host& h = hosts_[ip];
  if (e.vlan_size() > 0) {
    h.vlans.insert(static_cast<std::uint16_t>(e.vlan(0)));
  } else {
    h.untagged = true;
  }
  widen(h.first_seen, h.last_seen, e.timestamp());
  return h;
}

Learner::Edge& Learner::edge(const std::string& client, const std::string& server, const std::string& proto,
                             std::uint32_t port, const events::Event& e) {
  host(client, e);
  host(server, e);
  Edge& x = edges_[EdgeKey{client, server, proto, static_cast<std::uint16_t>(port)}];
  if (e.event_type() == "flow" && e.has_flow()) {
    widen(x.first_seen, x.last_seen, e.flow().start());
    widen(x.first_seen, x.last_seen, e.flow().end());
  } else {
    widen(x.first_seen, x.last_seen, e.timestamp());
  }
  return x;
}

void Learner::observe(const events::Event& event) {
  ++events_;
  const std::string& type = event.event_type();
  if (event.src_ip().empty() || event.dest_ip().empty()) return;
  if (type == "flow") {
    observe_flow(event);
  } else if (type == "zookeeper") {
    observe_zookeeper(event);
  } else if (type == "mesos") {
    observe_mesos(event);
  } else if (type == "tls") {
    observe_tls(event);
  }
}

void Learner::observe_flow(const events::Event& e) {
  const bool ported = e.proto() == "TCP" || e.proto() == "UDP";
  Edge& x = edge(e.src_ip(), e.dest_ip(), e.proto(), ported ? e.dest_port() : 0, e);
  ++x.flows;
  ++flows_;
  ++x.app_protos[e.app_proto()];
  zk_sessions_open_.erase(e.flow_id());
  if (e.app_proto() == "zookeeper") x.zookeeper = true;
  if (e.app_proto() == "mesos") x.mesos = true;
  if (e.app_proto() == "tls") x.tls = true;
}

void Learner::observe_zookeeper(const events::Event& e) {
  const auto& z = e.zookeeper();
  const std::string& kind = z.kind();
  if (kind == "notification") {  // the server sends these
    edge(e.dest_ip(), e.src_ip(), e.proto(), e.src_port(), e).zookeeper = true;
    return;
  }
  if (kind == "frame_too_large" && z.direction() == "toclient") {
    edge(e.dest_ip(), e.src_ip(), e.proto(), e.src_port(), e).zookeeper = true;
    return;
  }
  Edge& x = edge(e.src_ip(), e.dest_ip(), e.proto(), e.dest_port(), e);
  Host& client = hosts_[e.src_ip()];
  if (kind == "admin_command") {
    x.zk_admin = true;
    ++x.requests;
    ++requests_;
    ++client.zk.admin_commands;
    return;
  }
  x.zookeeper = true;
  if (kind == "four_letter_word") {
    if (!z.four_letter_word().empty()) x.zk_words.insert(z.four_letter_word());
    ++x.requests;
    ++requests_;
    ++client.zk.four_letter_words;
    return;
  }
  if (kind != "request") return;  // connect, frame_too_large toserver
  ++x.requests;
  ++requests_;
  ++client.zk.requests;
  const std::string& op = z.op();
  if (zk_sessions_open_.insert(e.flow_id()).second) {
    ++x.zk_sessions;
    if (op == "auth" || op == "sasl") ++x.zk_sessions_authenticated_first;
  }
  const bool path_cut = truncated_field(z.truncated(), "path");
  const auto learn_op = [&](const std::string& sub_op, const std::string& path, const std::string& mode, bool cut) {
    if (!sub_op.empty()) x.zk_ops.insert(sub_op);
    if (path.empty()) return;
    const bool sequential = is_zk_create(sub_op) && mode.find("SEQUENTIAL") != std::string::npos;
    const std::string glob = cut ? truncated_path_glob(path) : generalise_zk_path(path, sequential);
    learn_path(x.zk_paths, glob, x.zk_paths_overflow);
    if (!is_zk_write(sub_op)) return;
    learn_path(x.zk_write_paths, glob, x.zk_paths_overflow);
    ++client.zk.writes;
    if (under_mesos(path) || (is_zk_create(sub_op) && mode == "EPHEMERAL_SEQUENTIAL")) ++client.zk.election_writes;
  };
  learn_op(op, z.path(), z.mode(), path_cut);
  for (const auto& sub : z.sub_ops()) learn_op(sub.op(), sub.path(), sub.mode(), false);
}

void Learner::observe_mesos(const events::Event& e) {
  const auto& m = e.mesos();
  if (m.direction() == "response") {  // an event-stream record: what the server sends
    edge(e.dest_ip(), e.src_ip(), e.proto(), e.src_port(), e).mesos = true;
    return;
  }
  Edge& x = edge(e.src_ip(), e.dest_ip(), e.proto(), e.dest_port(), e);
  x.mesos = true;
  ++x.requests;
  ++requests_;
  if (!m.message().empty()) x.messages.insert(m.message());
  if (!m.call().empty()) x.calls.insert(m.call());
  if (!m.endpoint().empty()) learn_path(x.endpoints, m.endpoint(), x.endpoints_overflow);
  const std::string& principal = m.framework().principal();
  if (!principal.empty()) x.principals.insert(principal);
  for (const auto& role : m.framework().roles()) x.roles.insert(role);

  // Roles of both ends.
  MesosUse& server = hosts_[e.dest_ip()].mesos;
  MesosUse& client = hosts_[e.src_ip()].mesos;
  const std::string& receiver = m.receiver();
  const std::string& api = m.api();
  const std::string& endpoint = m.endpoint();
  if (receiver == "master" || api == "scheduler" || api == "master_operator" || starts_with(endpoint, "/master")) {
    server.serves_master = true;
  }
  if (starts_with(receiver, "slave(") || starts_with(receiver, "executor(") || api == "executor" ||
      api == "agent_operator" || starts_with(endpoint, "/slave(")) {
    server.serves_agent = true;
  }
  if (starts_with(receiver, "scheduler(")) server.serves_framework = true;
  const std::string& pid = m.from_pid();
  if (starts_with(pid, "master@")) client.sends_master = true;
  if (starts_with(pid, "slave(")) client.sends_agent = true;
  if (starts_with(pid, "scheduler(")) client.sends_framework = true;
  const std::string& message = m.message();
  if (message.find("SlaveMessage") != std::string::npos && server.serves_master) client.sends_agent = true;
  if (message.find("FrameworkMessage") != std::string::npos && starts_with(message, "mesos.internal.") &&
      (starts_with(message, "mesos.internal.Register") || starts_with(message, "mesos.internal.Reregister"))) {
    client.sends_framework = true;
  }
  if (api == "scheduler" || message == "mesos.scheduler.Call") client.sends_framework = true;
  if (!principal.empty()) {
    client.sends_framework = true;
    client.principals.insert(principal);
  }
  if (api == "master_operator" || api == "agent_operator" || m.kind() == "legacy") client.sends_operator = true;
}

void Learner::observe_tls(const events::Event& e) {
  edge(e.src_ip(), e.dest_ip(), e.proto(), e.dest_port(), e).tls = true;
}

namespace {

// The proposal under construction: segments as host sets, services as port
// sets, rules as the edges they hold.
struct SegmentDraft {
  std::string name;
  std::set<std::string> hosts;
  std::string why;  // one line: what put these hosts here
  // The clients or servers of one other service (proto 0: not TCP/UDP).
  std::uint8_t proto = 0;
  std::uint16_t port = 0;
  bool clients_of = false;
};
struct ServiceDraft {
  std::string name;
  std::uint8_t ip_proto = 6;
  bool any_port = false;
  std::set<std::uint16_t> ports;
  std::string why;
};
struct RuleDraft {
  std::string name, from, to, service;
  std::vector<const Learner::EdgeKey*> edges;
  std::vector<std::string> notes;
};

}  // namespace

Proposal Learner::propose() const {
  Proposal out;
  out.events = events_;
  out.flows = flows_;
  out.requests = requests_;
  policy::Policy& pol = out.policy;
  pol.source = "<learned>";
  pol.default_action = Action::kDrop;

  // --- roles -------------------------------------------------------------
  std::map<std::string, std::string> zk_client_role, mesos_role;  // host -> segment name
  std::set<std::string> zk_servers, zk_clients, mesos_hosts;
  for (const auto& [k, x] : edges_) {
    if (x.zookeeper || x.zk_admin) {
      zk_servers.insert(k.server);
      zk_clients.insert(k.client);
    }
    if (x.mesos) {
      mesos_hosts.insert(k.client);
      mesos_hosts.insert(k.server);
    }
  }
  for (const auto& ip : zk_clients) {
    const ZkUse& z = hosts_.at(ip).zk;
    zk_client_role[ip] = z.election_writes > 0 ? "zk-election-writers"
                         : z.writes > 0        ? "zk-writers"
                         : z.requests > 0      ? "zk-readers"
                         : (z.four_letter_words > 0 || z.admin_commands > 0) ? "zk-admins"
                                                                             : "zk-readers";
  }
  // Framework segments by principal; names made unique.
  std::map<std::string, std::string> framework_segment_of_principal;
  for (const auto& ip : mesos_hosts) {
    const MesosUse& m = hosts_.at(ip).mesos;
    std::string role;
    if (m.serves_master || m.sends_master) {
      role = "mesos-masters";
    } else if (m.serves_agent || m.sends_agent) {
      role = "mesos-agents";
    } else if (m.sends_framework || m.serves_framework) {
      if (m.principals.empty()) {
        role = "frameworks";
      } else {
        const std::string& p = *m.principals.begin();
        auto it = framework_segment_of_principal.find(p);
        if (it == framework_segment_of_principal.end()) {
          // Segment names are at most 128 bytes (mgmt/policy_file.h): room for a "-N".
          std::string name = "framework-" + sanitise_name(p).substr(0, 100);
          std::string unique = name;
          for (int n = 2; std::any_of(framework_segment_of_principal.begin(), framework_segment_of_principal.end(),
                                      [&](const auto& kv) { return kv.second == unique; });
               ++n) {
            unique = name + "-" + std::to_string(n);
          }
          it = framework_segment_of_principal.emplace(p, unique).first;
        }
        role = it->second;
      }
    } else if (m.sends_operator) {
      role = "mesos-operators";
    } else {
      role = "mesos-hosts";
    }
    mesos_role[ip] = role;
  }

  // --- segments, services and the intended rule of every edge ------------
  std::map<std::string, SegmentDraft> segments;
  std::vector<std::string> segment_order;
  const auto add_to_segment = [&](const std::string& name, const std::string& ip, const std::string& why) {
    auto [it, fresh] = segments.try_emplace(name);
    if (fresh) {
      it->second.name = name;
      it->second.why = why;
      segment_order.push_back(name);
    }
    it->second.hosts.insert(ip);
  };
  std::map<std::string, ServiceDraft> services;
  std::vector<std::string> service_order;
  const auto service = [&](const std::string& name, std::uint8_t ip_proto, const std::string& why) -> ServiceDraft& {
    auto [it, fresh] = services.try_emplace(name);
    if (fresh) {
      it->second.name = name;
      it->second.ip_proto = ip_proto;
      it->second.why = why;
      service_order.push_back(name);
    }
    return it->second;
  };
  std::map<std::string, RuleDraft> rules;
  std::vector<std::string> rule_order;
  const auto rule_for = [&](const std::string& from, const std::string& to, const std::string& svc) -> RuleDraft& {
    std::string name = from + "-to-" + to;
    auto it = rules.find(name);
    if (it != rules.end() && it->second.service != svc) {
      name += "-" + svc;
      it = rules.find(name);
    }
    if (it == rules.end()) {
      it = rules.emplace(name, RuleDraft{name, from, to, svc, {}, {}}).first;
      rule_order.push_back(name);
    }
    return it->second;
  };

  // Role order decides the file's order: ZooKeeper, Mesos, then the rest.
  static const std::vector<std::string> kZkOrder = {"zk-election-writers", "zk-writers", "zk-readers", "zk-admins"};
  static const std::map<std::string, std::string> kZkWhy = {
      {"zk-election-writers", "ZooKeeper clients that wrote under /mesos or created ephemeral sequential znodes "
                              "(the Mesos master election)"},
      {"zk-writers", "ZooKeeper clients that wrote znodes, none under /mesos"},
      {"zk-readers", "ZooKeeper clients that only read (no create, delete, setData, setACL)"},
      {"zk-admins", "hosts that only sent ZooKeeper four-letter words or AdminServer commands"},
  };
  static const std::map<std::string, std::string> kMesosWhy = {
      {"mesos-masters", "Mesos masters: received requests for the master (libprocess `master`, /master/..., the "
                        "scheduler or operator API) or sent as master@"},
      {"mesos-agents", "Mesos agents: received slave(N)/executor(N) requests or the agent API, or sent agent messages"},
      {"mesos-operators", "hosts that used the Mesos operator API or legacy endpoints only"},
      {"mesos-hosts", "Mesos hosts whose role the requests did not show"},
      {"frameworks", "Mesos frameworks that registered without a principal"},
  };

  // Servers and clients in a stable order: segments first by role order.
  for (const auto& ip : zk_servers) add_to_segment("zk-servers", ip, "ZooKeeper servers: served ZooKeeper connections");
  for (const auto& role : kZkOrder) {
    for (const auto& [ip, r] : zk_client_role) {
      if (r == role) add_to_segment(role, ip, kZkWhy.at(role));
    }
  }
  static const std::vector<std::string> kMesosFixed = {"mesos-masters", "mesos-agents"};
  for (const auto& role : kMesosFixed) {
    for (const auto& [ip, r] : mesos_role) {
      if (r == role) add_to_segment(role, ip, kMesosWhy.at(role));
    }
  }
  for (const auto& [ip, r] : mesos_role) {
    if (starts_with(r, "framework-")) {
      std::string principals;
      for (const auto& [p, seg] : framework_segment_of_principal) {
        if (seg == r) principals += (principals.empty() ? "" : ", ") + p;
      }
      add_to_segment(r, ip, "Mesos frameworks with principal " + principals);
    }
  }
  for (const std::string role : {"frameworks", "mesos-operators", "mesos-hosts"}) {
    for (const auto& [ip, r] : mesos_role) {
      if (r == role) add_to_segment(role, ip, kMesosWhy.at(role));
    }
  }

  std::map<const EdgeKey*, std::string> intended;  // edge -> rule name
  for (const auto& [k, x] : edges_) {
    const EdgeKey* key = &k;
    if (x.zookeeper || x.zk_admin) {
      const bool admin = x.zk_admin && !x.zookeeper;
      ServiceDraft& svc = admin ? service("zookeeper-admin", 6, "ZooKeeper AdminServer (HTTP commands)")
                                : service("zookeeper", 6, "the ZooKeeper client port");
      svc.ports.insert(k.port);
      intended[key] = rule_for(zk_client_role.at(k.client), "zk-servers", svc.name).name;
    } else if (x.mesos) {
      const std::string& server_role = mesos_role.at(k.server);
      std::string svc_name = server_role == "mesos-masters"  ? "mesos-master"
                             : server_role == "mesos-agents" ? "mesos-agent"
                             : starts_with(server_role, "framework") ? "mesos-framework"
                                                                     : "mesos";
      ServiceDraft& svc = service(svc_name, 6,
                                  svc_name == "mesos-master"     ? "the Mesos master port"
                                  : svc_name == "mesos-agent"    ? "the Mesos agent port"
                                  : svc_name == "mesos-framework" ? "the frameworks' libprocess ports (the master "
                                                                    "and agents call back on them)"
                                                                  : "other Mesos ports");
      svc.ports.insert(k.port);
      intended[key] = rule_for(mesos_role.at(k.client), server_role, svc.name).name;
    }
  }
  // Everything else, unless a role rule already holds it (resolved below):
  // one service per protocol and server port.
  for (const auto& [k, x] : edges_) {
    if (intended.count(&k) != 0) continue;
    const std::uint8_t proto = ip_proto_of(k.proto);
    std::string svc_name = proto == 0 ? "ip-other" : lower(k.proto) + "-" + std::to_string(k.port);
    ServiceDraft& svc = service(svc_name, proto,
                                proto == 0 ? "IP protocols other than TCP and UDP (" + k.proto +
                                                 ", ...): the policy file names them only as `any`"
                                           : k.proto + " port " + std::to_string(k.port) +
                                                 ": traffic outside the ZooKeeper and Mesos roles");
    if (proto == 0) {
      svc.any_port = true;
    } else {
      svc.ports.insert(k.port);
    }
    add_to_segment(svc_name + "-clients", k.client, "clients of " + svc_name);
    add_to_segment(svc_name + "-servers", k.server, "servers of " + svc_name);
    for (const bool clients : {true, false}) {
      SegmentDraft& seg = segments.at(svc_name + (clients ? "-clients" : "-servers"));
      seg.proto = proto;
      seg.port = proto == 0 ? 0 : k.port;
      seg.clients_of = clients;
    }
    intended[&k] = rule_for(svc_name + "-clients", svc_name + "-servers", svc_name).name;
  }

  // Rule order: ZooKeeper, Mesos, the rest by service, "ip-other" last (its
  // service is any protocol: nothing after it could be reached otherwise).
  const auto rank = [&](const RuleDraft& r) {
    if (r.service == "zookeeper" || r.service == "zookeeper-admin") return 0;
    if (starts_with(r.service, "mesos")) return 1;
    if (r.service == "ip-other") return 3;
    return 2;
  };
  // Within a rank: by the role order of the segments (servers' own traffic,
  // masters before agents before frameworks, ...), then by name.
  const auto seg_index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(segment_order.begin(), segment_order.end(), name) - segment_order.begin());
  };
  std::sort(rule_order.begin(), rule_order.end(), [&](const std::string& a, const std::string& b) {
    const RuleDraft& x = rules.at(a);
    const RuleDraft& y = rules.at(b);
    const auto kx = std::make_tuple(rank(x), seg_index(x.from), seg_index(x.to), x.name);
    const auto ky = std::make_tuple(rank(y), seg_index(y.from), seg_index(y.to), y.name);
    return kx < ky;
  });

  // --- first match, as the policy will classify each edge ---------------
  // Segments are shared and a host can be in several, so an edge may be
  // matched by an earlier rule than the one it was learned for: it then
  // belongs to that rule, whose conditions grow to allow it.
  const auto matches = [&](const RuleDraft& r, const EdgeKey& k) {
    const ServiceDraft& svc = services.at(r.service);
    const std::uint8_t proto = ip_proto_of(k.proto);
    if (svc.ip_proto != 0 && svc.ip_proto != proto) return false;
    if (!svc.any_port && svc.ports.count(k.port) == 0) return false;
    return segments.at(r.from).hosts.count(k.client) != 0 && segments.at(r.to).hosts.count(k.server) != 0;
  };
  for (const auto& [k, x] : edges_) {
    const std::string& want = intended.at(&k);
    std::string got = want;
    for (const auto& name : rule_order) {
      if (matches(rules.at(name), k)) {
        got = name;
        break;
      }
    }
    rules.at(got).edges.push_back(&k);
    if (got != want) {
      rules.at(got).notes.push_back("also holds " + k.client + " -> " + k.server + ":" + std::to_string(k.port) +
                                    " (" + k.proto + "), which this rule matches first");
    }
  }

  // --- write the policy ----------------------------------------------------
  // Segments in use (a segment only an emptied rule used is dropped).
  std::set<std::string> used_segments, used_services;
  std::vector<std::string> final_rules;
  for (const auto& name : rule_order) {
    const RuleDraft& r = rules.at(name);
    if (r.edges.empty()) continue;
    final_rules.push_back(name);
    used_segments.insert(r.from);
    used_segments.insert(r.to);
    used_services.insert(r.service);
  }
  for (const auto& name : segment_order) {
    if (used_segments.count(name) == 0) continue;
    const SegmentDraft& d = segments.at(name);
    policy::Segment seg;
    seg.name = name;
    std::vector<net::IpAddress> addrs;
    bool all_tagged = true;
    std::set<std::uint16_t> vlans;
    Evidence ev;
    for (const auto& ip : d.hosts) {
      const auto addr = parse_ip(ip);
      if (!addr) continue;  // not an address: nothing the policy could match
      addrs.push_back(*addr);
      const Host& h = hosts_.at(ip);
      if (h.untagged || h.vlans.empty()) all_tagged = false;
      vlans.insert(h.vlans.begin(), h.vlans.end());
      ev.hosts.insert(ip);
      widen(ev.first_seen, ev.last_seen, h.first_seen);
      widen(ev.first_seen, ev.last_seen, h.last_seen);
    }
    std::sort(addrs.begin(), addrs.end());
    for (const auto& a : addrs) seg.cidrs.push_back(policy::Cidr{a, static_cast<std::uint8_t>(a.v6 ? 128 : 32)});
    if (all_tagged && !vlans.empty()) seg.vlans.assign(vlans.begin(), vlans.end());
    ev.notes.push_back(d.why);
    for (const auto& ip : d.hosts) {
      const Host& h = hosts_.at(ip);
      std::string line = ip + ":";
      if (name == "zk-servers") {
        std::uint64_t flows = 0, requests = 0;
        for (const auto& [k, x] : edges_) {
          if (k.server == ip && (x.zookeeper || x.zk_admin)) {
            flows += x.flows;
            requests += x.requests;
          }
        }
        line += " " + plural(flows, "flow", "flows") + ", " + plural(requests, "request", "requests") + " served";
      } else if (starts_with(name, "zk-")) {
        std::vector<std::string> parts;
        if (h.zk.requests > 0 || name != "zk-admins") {
          parts.push_back(plural(h.zk.requests, "request", "requests") + ", " + plural(h.zk.writes, "write", "writes"));
          if (h.zk.election_writes > 0) parts.back() += " (" + std::to_string(h.zk.election_writes) + " election)";
        }
        if (h.zk.four_letter_words > 0) parts.push_back(plural(h.zk.four_letter_words, "four-letter word", "four-letter words"));
        if (h.zk.admin_commands > 0) parts.push_back(plural(h.zk.admin_commands, "admin command", "admin commands"));
        for (std::size_t i = 0; i < parts.size(); ++i) line += (i == 0 ? " " : ", ") + parts[i];
      } else if (mesos_role.count(ip) != 0 && mesos_role.at(ip) == name) {
        const MesosUse& m = h.mesos;
        std::vector<std::string> parts;
        if (m.serves_master) parts.emplace_back("served master requests");
        if (m.sends_master) parts.emplace_back("sent as master");
        if (m.serves_agent) parts.emplace_back("served agent requests");
        if (m.sends_agent) parts.emplace_back("sent agent messages");
        if (m.sends_framework) parts.emplace_back("registered or called as a framework");
        if (m.serves_framework) parts.emplace_back("served scheduler(N) requests");
        if (m.sends_operator) parts.emplace_back("used operator or legacy endpoints");
        if (!m.principals.empty()) parts.push_back("principals " + join(m.principals));
        for (std::size_t i = 0; i < parts.size(); ++i) line += (i == 0 ? " " : ", ") + parts[i];
      } else {
        // A service's clients or servers: the flows of that service.
        std::uint64_t flows = 0;
        for (const auto& [k, x] : edges_) {
          const bool side = d.clients_of ? k.client == ip : k.server == ip;
          const bool same = d.proto == 0 ? ip_proto_of(k.proto) == 0 : (ip_proto_of(k.proto) == d.proto && k.port == d.port);
          if (side && same) flows += x.flows;
        }
        line += " " + plural(flows, "flow", "flows");
      }
      if (!h.vlans.empty()) {
        std::set<std::string> v;
        for (auto id : h.vlans) v.insert(std::to_string(id));
        line += ", VLAN " + join(v) + (h.untagged ? " and untagged" : "");
      }
      ev.notes.push_back(line);
    }
    if (seg.cidrs.empty()) continue;
    pol.segments.push_back(std::move(seg));
    out.segments[name] = std::move(ev);
  }

  // Services: ports and what their flows carried.
  std::map<std::string, std::map<std::string, std::uint64_t>> service_apps;
  for (const auto& name : final_rules) {
    const RuleDraft& r = rules.at(name);
    for (const EdgeKey* k : r.edges) {
      for (const auto& [app, n] : edges_.at(*k).app_protos) service_apps[r.service][app] += n;
    }
  }
  std::map<std::string, ServiceApp> app_of_service;
  for (const auto& name : service_order) {
    if (used_services.count(name) == 0) continue;
    const ServiceDraft& d = services.at(name);
    policy::Service svc;
    svc.name = name;
    svc.ip_proto = d.ip_proto;
    if (!d.any_port) {
      for (const auto p : d.ports) {
        if (!svc.ports.empty() && svc.ports.back().last + 1 == p) {
          svc.ports.back().last = p;
        } else {
          svc.ports.push_back(policy::PortRange{p, p});
        }
      }
    }
    Evidence ev;
    ev.notes.push_back(d.why);
    const auto& apps = service_apps[name];
    std::uint64_t flows = 0;
    for (const auto& [app, n] : apps) flows += n;
    const auto only = [&](std::initializer_list<std::string_view> allowed) {
      return flows > 0 && std::all_of(apps.begin(), apps.end(), [&](const auto& kv) {
               return std::find(allowed.begin(), allowed.end(), kv.first) != allowed.end();
             });
    };
    if (d.ip_proto == 6 && only({"zookeeper"})) {
      svc.app = ServiceApp::kZookeeper;
    } else if (d.ip_proto == 6 && only({"mesos"})) {
      svc.app = ServiceApp::kMesos;
    } else if (d.ip_proto == 6 && only({"tls"})) {
      svc.app = ServiceApp::kTls;
      svc.tls = policy::TlsRequirement::kRequired;
    } else if (d.ip_proto == 6 && only({"mesos", "http"})) {
      svc.app = ServiceApp::kHttp;
    }
    std::string carried;
    for (const auto& [app, n] : apps) {
      carried += (carried.empty() ? "" : ", ") + std::to_string(n) + " " + (app.empty() ? "nothing decoded" : app);
    }
    ev.flows = flows;
    ev.notes.push_back("flows: " + (carried.empty() ? std::string("none") : carried) +
                       (svc.app == ServiceApp::kAny && flows > 0
                            ? " (mixed or undecoded, so no application protocol is required)"
                            : ""));
    app_of_service[name] = svc.app;
    pol.services.push_back(std::move(svc));
    out.services[name] = std::move(ev);
  }

  // Rules with what their edges did.
  std::uint32_t id = kFirstRuleId;
  for (const auto& name : final_rules) {
    const RuleDraft& d = rules.at(name);
    policy::Rule rule;
    rule.name = name;
    rule.id = id++;
    rule.from = {d.from};
    rule.to = {d.to};
    rule.service = d.service;
    rule.action = Action::kAllow;
    rule.violation = Action::kDrop;
    rule.category = "segmentation";
    Evidence ev;
    std::set<std::string> clients, servers;
    std::set<std::string> ops, paths, write_paths, words, messages, calls, principals, roles, endpoints;
    bool zk = false, mesos = false, registrations = false;
    std::uint64_t sessions = 0, authenticated_first = 0;
    bool bad_path = false, bad_endpoint = false, paths_overflow = false, endpoints_overflow = false;
    for (const EdgeKey* k : d.edges) {
      const Edge& x = edges_.at(*k);
      ev.flows += x.flows;
      ev.requests += x.requests;
      ev.hosts.insert(k->client);
      ev.hosts.insert(k->server);
      clients.insert(k->client);
      servers.insert(k->server + (k->port != 0 ? ":" + std::to_string(k->port) : ""));
      widen(ev.first_seen, ev.last_seen, x.first_seen);
      widen(ev.first_seen, ev.last_seen, x.last_seen);
      if (x.zookeeper) {
        zk = true;
        ops.insert(x.zk_ops.begin(), x.zk_ops.end());
        paths.insert(x.zk_paths.begin(), x.zk_paths.end());
        write_paths.insert(x.zk_write_paths.begin(), x.zk_write_paths.end());
        words.insert(x.zk_words.begin(), x.zk_words.end());
        for (const auto& p : x.zk_paths) bad_path = bad_path || !glob_ok(p);
        paths_overflow = paths_overflow || x.zk_paths_overflow;
        sessions += x.zk_sessions;
        authenticated_first += x.zk_sessions_authenticated_first;
      }
      if (x.mesos) {
        mesos = true;
        messages.insert(x.messages.begin(), x.messages.end());
        calls.insert(x.calls.begin(), x.calls.end());
        principals.insert(x.principals.begin(), x.principals.end());
        roles.insert(x.roles.begin(), x.roles.end());
        endpoints.insert(x.endpoints.begin(), x.endpoints.end());
        for (const auto& p : x.endpoints) bad_endpoint = bad_endpoint || !glob_ok(p);
        endpoints_overflow = endpoints_overflow || x.endpoints_overflow;
        for (const auto& m : x.messages) {
          if (m.find("RegisterFramework") != std::string::npos || m.find("ReregisterFramework") != std::string::npos) {
            registrations = true;
          }
        }
        if (x.calls.count("SUBSCRIBE") != 0) registrations = true;
      }
    }
    ev.notes.push_back("clients " + join(clients) + "; servers " + join(servers));
    const ServiceApp app = app_of_service.at(d.service);
    if (zk && (app == ServiceApp::kZookeeper || app == ServiceApp::kAny)) {
      auto& c = rule.zookeeper;
      c.ops.emplace(ops.begin(), ops.end());
      if (!bad_path && !paths_overflow) {
        const auto p = collapse_siblings(paths, kCollapseSiblings);
        c.paths.emplace(p.begin(), p.end());
      } else if (paths_overflow) {
        ev.notes.push_back("paths and write_paths not listed: more than " + std::to_string(kMaxLearnedPaths) +
                           " distinct paths");
      } else {
        ev.notes.push_back("paths and write_paths not listed: a request path cannot be written as a glob");
      }
      if (!bad_path && !paths_overflow) {
        const auto w = collapse_siblings(write_paths, kCollapseSiblings);
        c.write_paths.emplace(w.begin(), w.end());
      }
      c.four_letter_words.emplace(words.begin(), words.end());
      // Every session authenticated before anything else, and no
      // four-letter words (which never authenticate).
      c.auth_required = sessions > 0 && authenticated_first == sessions && words.empty();
      if (sessions == 0 && !words.empty()) {
        ev.notes.push_back("ZooKeeper: four-letter words only, no session requests");
      } else {
        ev.notes.push_back("ZooKeeper: " + plural(sessions, "session", "sessions") + " with requests" +
                           (c.auth_required ? ", each authenticated first" : "") +
                           (write_paths.empty() ? "; no writes" : ""));
      }
    }
    if (mesos && (app == ServiceApp::kMesos || app == ServiceApp::kHttp || app == ServiceApp::kAny)) {
      auto& c = rule.mesos;
      // A name the policy file cannot hold leaves its list unconstrained.
      if (all_of_chars(messages, message_char)) {
        c.messages.emplace(messages.begin(), messages.end());
      } else {
        ev.notes.push_back("messages not listed: a message name the policy file cannot hold");
      }
      if (all_of_chars(calls, call_char)) {
        c.calls.emplace(calls.begin(), calls.end());
      } else {
        ev.notes.push_back("calls not listed: a call name the policy file cannot hold");
      }
      if (!bad_endpoint && !endpoints_overflow) {
        const auto e = collapse_siblings(endpoints, kCollapseSiblings);
        c.endpoints.emplace(e.begin(), e.end());
      } else {
        ev.notes.push_back(endpoints_overflow ? "endpoints not listed: more than " + std::to_string(kMaxLearnedPaths) +
                                                    " distinct endpoints"
                                              : std::string("endpoints not listed: an endpoint cannot be written as a glob"));
      }
      // Principals and roles: listed when seen; none allowed when no
      // framework registered; not constrained when frameworks registered
      // without naming any (the absent value has no name to allow).
      if (!principals.empty() || !registrations) c.principals.emplace(principals.begin(), principals.end());
      if (!roles.empty() || !registrations) c.roles.emplace(roles.begin(), roles.end());
      if (registrations && principals.empty()) ev.notes.push_back("frameworks registered without a principal");
    }
    for (const auto& n : d.notes) ev.notes.push_back(n);
    pol.rules.push_back(std::move(rule));
    out.rules[name] = std::move(ev);
  }

  out.notes.push_back("default: drop. Whatever the learn run did not see is not allowed: dropped inline, "
                      "alerted on a tap.");
  std::set<std::string> all_hosts;
  for (const auto& [ip, h] : hosts_) all_hosts.insert(ip);
  out.notes.push_back("seen: " + plural(events_, "event", "events") + ", " + plural(flows_, "flow", "flows") + ", " +
                      plural(requests_, "request", "requests") + ", " + plural(all_hosts.size(), "host", "hosts"));
  return out;
}

}  // namespace segward::learn
