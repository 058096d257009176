#pragma once
// The segmentation allowlist as written in a policy file, after parsing and
// validation (mgmt/policy_file.h) and before compilation
// (dataplane/policy/compiled_policy.h). Plain values: the management thread
// builds one, compiles it, and the learn mode writes one back out.
//
// Semantics, in one place:
// - A flow is classified once, by its first packet: `src` is the sender of
//   that packet (the client, for a TCP flow seen from its SYN), `dst` the
//   receiver, `dst_port` the service port.
// - A segment matches an address when one of its CIDRs contains it and, if
//   it lists VLANs, the packet's outer VLAN id is one of them, and, if it
//   lists MACs, the frame's source MAC (for a `from` segment) or destination
//   MAC (for a `to` segment) is one of them. The name "any" is built in and
//   matches every address.
// - Rules are tried in file order; the first whose from, to and service
//   match decides. No rule matches: `default_action`.
// - An `allow` rule with L7 conditions lets the flow through while every
//   decoded message of it satisfies them; the first that does not is a
//   violation: its packet and every later packet of the flow get the rule's
//   `violation` action (drop or reset inline; alert only on a tap, or when
//   `violation: alert`).
// - Actions: allow (forward, no alert), alert (forward, one alert per flow),
//   drop (drop every packet, one alert per flow), reset (drop, and send TCP
//   RST to both ends once; UDP: as drop).
// - Name lists in L7 conditions are allowlists. An absent list (nullopt)
//   constrains nothing; an empty list allows nothing.
// - Globs (zookeeper paths, mesos endpoints): `*` matches any run of
//   characters but '/', `**` any run including '/', `?` one character but
//   '/'. A trailing "/**" also matches the directory itself ("/mesos/**"
//   matches "/mesos").
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "decoders/net/packet_layers.h"

namespace segward::policy {

enum class Action : std::uint8_t { kAllow = 0, kAlert = 1, kDrop = 2, kReset = 3 };
inline constexpr std::size_t kActionCount = 4;
std::string_view action_name(Action action);  // "allow", "alert", "drop", "reset"

// What a service's connections must carry, as the L7 probe decides it.
enum class ServiceApp : std::uint8_t { kAny = 0, kMesos, kZookeeper, kTls, kHttp };
std::string_view service_app_name(ServiceApp app);  // "any", "mesos", "zookeeper", "tls", "http"

enum class TlsRequirement : std::uint8_t { kOptional = 0, kRequired, kForbidden };
std::string_view tls_requirement_name(TlsRequirement tls);

// Where a definition was written (1-based; 0: not from a file).
struct SourceLocation {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

struct Cidr {
  net::IpAddress address;  // host bits zero
  std::uint8_t prefix = 0;  // 0..32 (IPv4) or 0..128 (IPv6)
};

using MacAddress = std::array<std::uint8_t, 6>;

// As a policy file writes them: "192.0.2.0/24", "02:00:00:00:00:01". Allocate.
std::string cidr_text(const Cidr& cidr);
std::string mac_text(const MacAddress& mac);

struct Segment {
  std::string name;
  std::vector<Cidr> cidrs;          // at least one
  std::vector<std::uint16_t> vlans;  // empty: any (and untagged)
  std::vector<MacAddress> macs;      // empty: any
  SourceLocation at;
};

struct PortRange {
  std::uint16_t first = 0;
  std::uint16_t last = 0;  // inclusive
};

struct Service {
  std::string name;
  std::uint8_t ip_proto = 6;      // net::ip_proto::kTcp / kUdp; 0: any
  std::vector<PortRange> ports;   // destination ports; empty: any
  ServiceApp app = ServiceApp::kAny;
  TlsRequirement tls = TlsRequirement::kOptional;
  SourceLocation at;
};

struct MesosConditions {
  std::optional<std::vector<std::string>> messages;    // libprocess type names, e.g. mesos.internal.RegisterSlaveMessage
  std::optional<std::vector<std::string>> calls;       // v1 call types, e.g. SUBSCRIBE, TEARDOWN, GET_STATE
  std::optional<std::vector<std::string>> principals;  // framework principals (registration, SUBSCRIBE)
  std::optional<std::vector<std::string>> roles;       // framework roles
  std::optional<std::vector<std::string>> endpoints;   // HTTP paths, globs: /master/state, /api/v1/**
  [[nodiscard]] bool any() const { return messages || calls || principals || roles || endpoints; }
};

struct ZookeeperConditions {
  std::optional<std::vector<std::string>> ops;    // opcode names as zookeeper::opcode_name gives them: create, getData, ...
  std::optional<std::vector<std::string>> paths;  // globs: every request path (multi: every sub-op path)
  std::optional<std::vector<std::string>> write_paths;  // globs: paths of writes (create*, delete*, setData, setACL, reconfig)
  std::optional<std::vector<std::string>> four_letter_words;  // ruok, srvr, ...
  bool auth_required = false;  // requests before an AuthPacket (or SASL) on the session are violations
  [[nodiscard]] bool any() const { return ops || paths || write_paths || four_letter_words || auth_required; }
};

struct Rule {
  std::string name;            // unique; the alert's `signature`
  std::uint32_t id = 0;        // unique; the alert's `signature_id`
  std::vector<std::string> from;  // segment names ("any" allowed)
  std::vector<std::string> to;
  std::string service;         // a service name, or "any"
  Action action = Action::kAllow;
  Action violation = Action::kDrop;  // what an L7 violation turns the flow to (alert, drop or reset)
  MesosConditions mesos;
  ZookeeperConditions zookeeper;
  std::string category;        // the alert's `category` (default "segmentation")
  std::uint8_t severity = 2;   // the alert's `severity`, 1 (high) .. 3 (low)
  SourceLocation at;
};

struct Policy {
  std::string source = "<none>";   // file name, for messages and status
  std::vector<Segment> segments;
  std::vector<Service> services;
  std::vector<Rule> rules;
  Action default_action = Action::kAlert;
  std::uint8_t default_severity = 2;
  SourceLocation default_at;
};

}  // namespace segward::policy
