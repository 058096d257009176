#include "mgmt/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "mgmt/policy_file.h"
#include "platform/eal_session.h"

namespace segward::mgmt {
namespace {

constexpr std::uint64_t kSecondNs = 1'000'000'000ULL;
constexpr std::uint64_t kMaxTimeoutS = 7 * 24 * 3600;

void read_eal(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "eal", {"args"});
  if (const YAML::Node args = node["args"]) {
    if (!args.IsSequence()) r.fail(args, "eal.args", "expected a list of EAL arguments");
    c.eal_args.clear();
    for (std::size_t i = 0; i < args.size(); ++i) {
      c.eal_args.push_back(r.string_value(args[i], "eal.args[" + std::to_string(i) + "]"));
    }
  }
}

void read_ports(const YamlReader& r, const YAML::Node& node, Config& c) {
  if (!node.IsSequence()) r.fail(node, "dataplane.ports", "expected a list of ports");
  c.ports_location = r.location(node);
  std::set<std::string> names;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string path = "dataplane.ports[" + std::to_string(i) + "]";
    const YAML::Node p = node[i];
    r.expect_map(p, path, {"name", "device", "rx_descriptors", "tx_descriptors"});
    platform::PortSpec spec;
    if (!p["name"]) r.fail(p, path + ".name", "required");
    if (!p["device"]) r.fail(p, path + ".device", "required (a DPDK virtual device or a PCI address)");
    spec.name = r.string_value(p["name"], path + ".name");
    spec.device = r.string_value(p["device"], path + ".device");
    if (p["rx_descriptors"]) {
      spec.rx_descriptors = static_cast<std::uint16_t>(r.uint_value(p["rx_descriptors"], path + ".rx_descriptors", 64, 32768));
    }
    if (p["tx_descriptors"]) {
      spec.tx_descriptors = static_cast<std::uint16_t>(r.uint_value(p["tx_descriptors"], path + ".tx_descriptors", 64, 32768));
    }
    if (!names.insert(spec.name).second) r.fail(p["name"], path + ".name", "duplicate port name '" + spec.name + "'");
    c.ports.push_back(spec);
  }
}

void read_dataplane(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "dataplane", {"mode", "workers", "mbufs", "mbuf_cache", "malformed", "ports", "event_ring"});
  if (node["mode"]) {
    c.mode = r.choice(node["mode"], "dataplane.mode", {"inline", "tap"}) == "inline" ? dataplane::Mode::kInline
                                                                                     : dataplane::Mode::kTap;
  }
  if (node["workers"]) c.workers = static_cast<std::uint32_t>(r.uint_value(node["workers"], "dataplane.workers", 1, 64));
  if (node["mbufs"]) c.mbufs = static_cast<std::uint32_t>(r.uint_value(node["mbufs"], "dataplane.mbufs", 1024, 1u << 24));
  if (node["mbuf_cache"]) {
    c.mbuf_cache = static_cast<std::uint32_t>(r.uint_value(node["mbuf_cache"], "dataplane.mbuf_cache", 0, 512));
  }
  if (node["malformed"]) {
    c.drop_malformed = r.choice(node["malformed"], "dataplane.malformed", {"drop", "forward"}) == "drop";
  }
  if (node["event_ring"]) {
    c.event_ring = static_cast<std::uint32_t>(r.uint_value(node["event_ring"], "dataplane.event_ring", 256, 1u << 22));
  }
  if (node["ports"]) read_ports(r, node["ports"], c);
}

void read_flow(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "flow", {"capacity", "timeouts"});
  if (node["capacity"]) {
    c.flow_capacity = static_cast<std::uint32_t>(r.uint_value(node["capacity"], "flow.capacity", 1024, 1u << 26));
  }
  if (const YAML::Node t = node["timeouts"]) {
    r.expect_map(t, "flow.timeouts", {"new", "established", "closed"});
    if (t["new"]) c.flow_timeouts.new_ns = r.uint_value(t["new"], "flow.timeouts.new", 1, kMaxTimeoutS) * kSecondNs;
    if (t["established"]) {
      c.flow_timeouts.established_ns = r.uint_value(t["established"], "flow.timeouts.established", 1, kMaxTimeoutS) * kSecondNs;
    }
    if (t["closed"]) c.flow_timeouts.closed_ns = r.uint_value(t["closed"], "flow.timeouts.closed", 1, kMaxTimeoutS) * kSecondNs;
  }
}

constexpr std::uint64_t kMiB = 1ULL << 20;
constexpr std::uint64_t kKiB = 1ULL << 10;

void read_l7(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "l7", {"enabled", "sessions", "reassembly", "bodies", "http", "probe_packets", "event_ring",
                            "zookeeper", "tls", "expected"});
  dataplane::L7Limits& l = c.l7;
  if (node["enabled"]) l.enabled = r.bool_value(node["enabled"], "l7.enabled");
  if (node["sessions"]) l.sessions = static_cast<std::uint32_t>(r.uint_value(node["sessions"], "l7.sessions", 16, 1u << 20));
  if (node["probe_packets"]) {
    l.probe_packets = static_cast<std::uint8_t>(r.uint_value(node["probe_packets"], "l7.probe_packets", 1, 255));
  }
  if (node["event_ring"]) {
    c.l7_event_ring = static_cast<std::uint32_t>(r.uint_value(node["event_ring"], "l7.event_ring", 64, 1u << 20));
  }
  if (const YAML::Node re = node["reassembly"]) {
    r.expect_map(re, "l7.reassembly", {"memory_mb", "per_direction_kb"});
    if (re["memory_mb"]) l.reassembly_bytes = r.uint_value(re["memory_mb"], "l7.reassembly.memory_mb", 1, 65536) * kMiB;
    if (re["per_direction_kb"]) {
      l.per_direction.max_buffered_bytes =
          static_cast<std::uint32_t>(r.uint_value(re["per_direction_kb"], "l7.reassembly.per_direction_kb", 4, 1u << 20) * kKiB);
    }
  }
  if (const YAML::Node b = node["bodies"]) {
    r.expect_map(b, "l7.bodies", {"memory_mb", "limit_kb"});
    if (b["memory_mb"]) l.body_bytes = r.uint_value(b["memory_mb"], "l7.bodies.memory_mb", 1, 65536) * kMiB;
    if (b["limit_kb"]) {
      l.body_limit = static_cast<std::uint32_t>(r.uint_value(b["limit_kb"], "l7.bodies.limit_kb", 1, 65536) * kKiB);
    }
    // A body larger than the whole pool could never be held; say so now
    // rather than report every such body as out of memory.
    if (l.body_limit > l.body_bytes) {
      const YAML::Node at = b["limit_kb"] ? b["limit_kb"] : b;
      r.fail(at, "l7.bodies.limit_kb", "must not exceed l7.bodies.memory_mb (" + std::to_string(l.body_bytes >> 20) +
                                           " MiB = " + std::to_string(l.body_bytes >> 10) + " KiB)");
    }
  }
  if (const YAML::Node h = node["http"]) {
    r.expect_map(h, "l7.http", {"max_head_bytes", "max_headers"});
    if (h["max_head_bytes"]) {
      l.http.max_head_bytes = static_cast<std::uint32_t>(r.uint_value(h["max_head_bytes"], "l7.http.max_head_bytes", 256, 1u << 20));
    }
    if (h["max_headers"]) {
      l.http.max_headers = static_cast<std::uint16_t>(r.uint_value(h["max_headers"], "l7.http.max_headers", 8, 10000));
    }
  }
  if (const YAML::Node z = node["zookeeper"]) {
    r.expect_map(z, "l7.zookeeper", {"sessions", "max_frame_kb"});
    if (z["sessions"]) {
      l.zookeeper_sessions = static_cast<std::uint32_t>(r.uint_value(z["sessions"], "l7.zookeeper.sessions", 0, 1u << 20));
    }
    if (z["max_frame_kb"]) {
      // ZooKeeper's own jute.maxbuffer defaults to 1 MiB - 1 byte; servers
      // raised it can carry up to what the server accepts.
      l.zookeeper.max_frame =
          static_cast<std::uint32_t>(r.uint_value(z["max_frame_kb"], "l7.zookeeper.max_frame_kb", 1, 1u << 20) * kKiB);
    }
  }
  if (const YAML::Node t = node["tls"]) {
    r.expect_map(t, "l7.tls", {"sessions"});
    if (t["sessions"]) l.tls_sessions = static_cast<std::uint32_t>(r.uint_value(t["sessions"], "l7.tls.sessions", 0, 1u << 20));
  }
  if (const YAML::Node e = node["expected"]) {
    // port: protocol. Replaces the defaults; `{}` turns the check off.
    if (!e.IsMap()) r.fail(e, "l7.expected", "expected a mapping of port: protocol (tls, zookeeper, http)");
    l.expected.clear();
    for (const auto& entry : e) {
      const std::string port_path = "l7.expected";
      const auto port = static_cast<std::uint16_t>(r.uint_value(entry.first, port_path, 1, 65535));
      const std::string path = port_path + "." + std::to_string(port);
      const std::string proto = r.string_value(entry.second, path);
      dataplane::AppProto app;
      if (proto == "tls") {
        app = dataplane::AppProto::kTls;
      } else if (proto == "zookeeper") {
        app = dataplane::AppProto::kZookeeper;
      } else if (proto == "http" || proto == "mesos") {
        app = dataplane::AppProto::kHttp;
      } else {
        r.fail(entry.second, path, "expected one of: tls, zookeeper, http; got '" + proto + "'");
      }
      l.expected.emplace_back(port, app);
    }
  }
}

RotationPolicy read_rotation(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  r.expect_map(node, path, {"size_mb", "interval", "keep"});
  RotationPolicy p;
  if (node["size_mb"]) p.max_bytes = r.uint_value(node["size_mb"], path + ".size_mb", 1, 1u << 20) * kMiB;
  if (node["interval"]) p.max_age_s = r.uint_value(node["interval"], path + ".interval", 1, 366 * 86400);
  if (node["keep"]) p.keep = static_cast<std::uint32_t>(r.uint_value(node["keep"], path + ".keep", 1, 1000));
  if (p.max_bytes == 0 && p.max_age_s == 0) r.fail(node, path, "needs size_mb (MiB) or interval (seconds), or both");
  return p;
}

// outputs.X.events: a list of event types, or "all".
std::set<std::string> read_event_types(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  static const std::set<std::string> kTypes = {"flow", "stats", "mesos", "zookeeper", "tls", "anomaly", "alert"};
  if (node.IsScalar() && r.string_value(node, path) == "all") return {};
  if (!node.IsSequence()) r.fail(node, path, "expected a list of event types or 'all'");
  std::set<std::string> out;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item = path + "[" + std::to_string(i) + "]";
    const std::string t = r.string_value(node[i], item);
    if (kTypes.count(t) == 0) {
      r.fail(node[i], item, "unknown event type '" + t + "' (flow, stats, mesos, zookeeper, tls, anomaly, alert)");
    }
    out.insert(t);
  }
  return out;
}

SocketAddress read_socket_address(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  SocketAddress a;
  std::string error;
  if (!parse_socket_address(r.string_value(node, path), a, error)) r.fail(node, path, error);
  return a;
}

void read_syslog(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "outputs.syslog", {"address", "facility", "app_name", "events"});
  SyslogConfig& s = c.syslog;
  s.enabled = true;
  if (!node["address"]) r.fail(node, "outputs.syslog.address", "required, e.g. udp://192.0.2.10:514 or tcp://siem:601");
  s.address = read_socket_address(r, node["address"], "outputs.syslog.address");
  if (s.address.kind == SocketAddress::Kind::kUnix) {
    r.fail(node["address"], "outputs.syslog.address", "syslog goes over udp:// or tcp://");
  }
  if (node["facility"]) {
    const std::string f = r.string_value(node["facility"], "outputs.syslog.facility");
    const int n = syslog_facility(f);
    if (n < 0) r.fail(node["facility"], "outputs.syslog.facility", "unknown facility '" + f + "' (kern .. local7)");
    s.facility = static_cast<std::uint8_t>(n);
  }
  if (node["app_name"]) s.app_name = r.string_value(node["app_name"], "outputs.syslog.app_name");
  if (node["events"]) s.events = read_event_types(r, node["events"], "outputs.syslog.events");
}

void read_protobuf(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "outputs.protobuf", {"path", "address", "events", "rotate"});
  ProtobufOutputConfig& p = c.protobuf;
  p.enabled = true;
  if (static_cast<bool>(node["path"]) == static_cast<bool>(node["address"])) {
    r.fail(node, "outputs.protobuf", "needs exactly one of path (a file) or address (unix:/PATH or tcp://HOST:PORT)");
  }
  if (node["path"]) p.path = r.string_value(node["path"], "outputs.protobuf.path");
  if (node["address"]) {
    p.address = read_socket_address(r, node["address"], "outputs.protobuf.address");
    if (p.address.kind == SocketAddress::Kind::kUdp) {
      r.fail(node["address"], "outputs.protobuf.address", "a stream needs unix:/PATH or tcp://HOST:PORT, not udp");
    }
  }
  if (node["events"]) p.events = read_event_types(r, node["events"], "outputs.protobuf.events");
  if (node["rotate"]) p.rotation = read_rotation(r, node["rotate"], "outputs.protobuf.rotate");
}

void read_outputs(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "outputs", {"eve", "syslog", "protobuf"});
  if (const YAML::Node eve = node["eve"]) {
    r.expect_map(eve, "outputs.eve", {"path", "stats_interval", "rotate"});
    if (eve["path"]) c.eve.path = r.string_value(eve["path"], "outputs.eve.path");
    if (eve["rotate"]) c.eve.rotation = read_rotation(r, eve["rotate"], "outputs.eve.rotate");
    if (eve["stats_interval"]) {
      c.eve.stats_interval_s = static_cast<std::uint32_t>(r.uint_value(eve["stats_interval"], "outputs.eve.stats_interval", 0, 86400));
    }
  }
  if (node["syslog"]) read_syslog(r, node["syslog"], c);
  if (node["protobuf"]) read_protobuf(r, node["protobuf"], c);
}

// "HOST:PORT", "[V6]:PORT" or ":PORT" (127.0.0.1).
api::ListenAddress read_listen(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  const std::string text = r.string_value(node, path);
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) r.fail(node, path, "expected HOST:PORT, e.g. 127.0.0.1:8080; got '" + text + "'");
  api::ListenAddress a;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (!host.empty()) a.host = host;
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(port) > 65535) {
    r.fail(node, path, "expected a port number 0-65535 after the colon; got '" + port + "'");
  }
  a.port = static_cast<std::uint16_t>(std::stoul(port));
  return a;
}

std::string resolve_path(const YamlReader& r, const YAML::Node& node, const std::string& path) {
  std::filesystem::path p(r.string_value(node, path));
  if (p.is_relative()) p = std::filesystem::path(r.source()).parent_path() / p;
  return p.lexically_normal().string();
}

void read_api(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "api", {"listen", "tokens", "tls", "alert_buffer"});
  api::ApiConfig& a = c.api;
  a.enabled = true;
  if (node["listen"]) a.listen = read_listen(r, node["listen"], "api.listen");
  if (!node["tokens"]) r.fail(node, "api.tokens", "required: a file of 'ROLE TOKEN' lines (mode 0600)");
  a.tokens_path = resolve_path(r, node["tokens"], "api.tokens");
  if (const YAML::Node tls = node["tls"]) {
    r.expect_map(tls, "api.tls", {"cert", "key"});
    if (!tls["cert"] || !tls["key"]) r.fail(tls, "api.tls", "needs both cert and key (PEM files)");
    a.tls_cert = resolve_path(r, tls["cert"], "api.tls.cert");
    a.tls_key = resolve_path(r, tls["key"], "api.tls.key");
  }
  if (node["alert_buffer"]) {
    a.alert_buffer = static_cast<std::uint32_t>(r.uint_value(node["alert_buffer"], "api.alert_buffer", 16, 1u << 22));
  }
}

void read_metrics(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "metrics", {"listen"});
  if (node["listen"]) {
    c.api.metrics_listener = true;
    c.api.metrics_listen = read_listen(r, node["listen"], "metrics.listen");
  }
}

void read_evidence(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "evidence", {"enabled", "dir", "packets_before", "packets_after", "memory_mb"});
  EvidenceConfig& e = c.evidence;
  e.enabled = node["enabled"] ? r.bool_value(node["enabled"], "evidence.enabled") : true;
  e.dir = node["dir"] ? resolve_path(r, node["dir"], "evidence.dir")
                      : (std::filesystem::path(r.source()).parent_path() / e.dir).lexically_normal().string();
  if (node["packets_before"]) {
    e.packets_before = static_cast<std::uint32_t>(r.uint_value(node["packets_before"], "evidence.packets_before", 1, 64));
  }
  if (node["packets_after"]) {
    e.packets_after = static_cast<std::uint32_t>(r.uint_value(node["packets_after"], "evidence.packets_after", 0, 1024));
  }
  if (node["memory_mb"]) {
    e.memory_mb = static_cast<std::uint32_t>(r.uint_value(node["memory_mb"], "evidence.memory_mb", 1, 4096));
  }
}

// `signatures: {rules: [PATH, ...]}`: rule files or directories of them,
// relative paths against the config file's directory. Their contents are
// read when the sensor starts (and by check-config), with their own errors.
void read_signatures(const YamlReader& r, const YAML::Node& node, Config& c) {
  r.expect_map(node, "signatures", {"rules"});
  if (!node["rules"]) return;
  const YAML::Node rules = node["rules"];
  if (rules.IsScalar()) {
    c.signature_rules.push_back(resolve_path(r, rules, "signatures.rules"));
  } else if (rules.IsSequence()) {
    for (std::size_t i = 0; i < rules.size(); ++i) {
      c.signature_rules.push_back(resolve_path(r, rules[i], YamlReader::index("signatures.rules", i)));
    }
  } else {
    r.fail(rules, "signatures.rules", "expected a path or a list of paths (rule files or directories)");
  }
  if (!c.signature_rules.empty() && !c.l7.enabled) {
    r.fail(node, "signatures", "signature rules test decoded messages: they need l7.enabled: true");
  }
}

// Read last, so a config with two mistakes reports its own first.
void read_policy(const YamlReader& r, const YAML::Node& node, Config& c) {
  c.policy_path = resolve_path(r, node, "policy");
  std::string text;
  try {
    text = read_text_file(c.policy_path, "policy file");
  } catch (const ConfigError&) {
    r.fail(node, "policy", "cannot open policy file '" + c.policy_path + "'");
  }
  c.policy = std::make_shared<const policy::Policy>(parse_policy(text, c.policy_path));
}

}  // namespace

Config default_config() {
  Config c;
  c.eal_args = platform::default_eal_args();
  return c;
}

Config parse_config(const std::string& text, const std::string& source) {
  const YamlReader r(source);
  const YAML::Node root = r.load(text);
  Config c = default_config();
  c.source = source;
  if (root.IsNull()) return c;  // an empty file means all defaults
  r.expect_map(root, "", {"eal", "dataplane", "flow", "l7", "outputs", "api", "metrics", "evidence", "signatures", "policy"});
  if (root["eal"]) read_eal(r, root["eal"], c);
  if (root["dataplane"]) read_dataplane(r, root["dataplane"], c);
  if (root["flow"]) read_flow(r, root["flow"], c);
  if (root["l7"]) read_l7(r, root["l7"], c);
  if (root["outputs"]) read_outputs(r, root["outputs"], c);
  if (root["api"]) read_api(r, root["api"], c);
  if (root["metrics"]) read_metrics(r, root["metrics"], c);
  if (root["evidence"]) read_evidence(r, root["evidence"], c);
  if (root["signatures"]) read_signatures(r, root["signatures"], c);
  if (root["policy"]) read_policy(r, root["policy"], c);
  return c;
}

Config load_config_file(const std::string& path) {
  return parse_config(read_text_file(path, "configuration file"), path);
}

void validate_for_run(const Config& c) {
  const std::string where = c.ports_location.empty() ? c.source + ":1:1" : c.ports_location;
  if (c.ports.empty()) {
    throw ConfigError(where + ": dataplane.ports: at least one port is required to run");
  }
  if (c.mode == dataplane::Mode::kInline && c.ports.size() != 2) {
    throw ConfigError(where + ": dataplane.ports: inline mode forwards between exactly 2 ports, " +
                      std::to_string(c.ports.size()) + " given");
  }
}

}  // namespace segward::mgmt
