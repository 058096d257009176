#pragma once
// The policy file: the segmentation allowlist in YAML, read into
// policy::Policy (dataplane/policy/policy.h, which says what it means) and
// validated as a whole. Every error is one located line, as for the config:
//   policy.yaml:31:11: rules[2].from: unknown segment 'mastres' (defined: masters, agents; or any)
//
// The format (mgmt/policies/mesos-cluster.yaml is a worked example):
//
//   segments:                  # name -> definition. Names: [A-Za-z0-9_.-]+;
//                              # "any" is built in (every address) and reserved.
//     masters:
//       cidrs: [192.0.2.10/32, "2001:db8::/64"]  # required, at least one; IPv4 or
//                              # IPv6; a bare address is /32 or /128; host bits
//                              # set is an error ("did you mean 192.0.2.0/24?")
//       vlans: [100, 200]      # optional, 1..4094; empty: any VLAN and untagged
//       macs: ["02:00:00:00:00:01"]  # optional; source MAC in `from`, destination in `to`
//     agents: { cidrs: [192.0.2.64/26] }
//   services:                  # name -> definition; "any" is built in (every
//                              # protocol and port) and reserved.
//     zookeeper: { proto: tcp, ports: [2181], app: zookeeper }
//       # proto: tcp | udp | any (default tcp)
//       # ports: integers 1..65535 or "A-B" ranges; a single one may stand
//       #        alone; empty or absent: any port
//       # app: any | mesos | zookeeper | tls | http (default any): what the
//       #      connection must carry (mesos, zookeeper, tls, http: TCP only)
//       # tls: required | optional | forbidden (default optional)
//   rules:                     # a list, tried in order, the first match decides
//     - name: masters-to-zookeeper  # required, unique: the alert's `signature`
//       id: 1000               # optional, unique, 1..2^31-1: the alert's `signature_id`;
//                              # default 1000000 + the rule's 1-based position
//       from: [masters]        # required: a segment name, a list of them, or any
//       to: zookeeper-ensemble # required, the same
//       service: zookeeper     # required: a service name or any
//       action: allow          # required: allow | alert | drop | reset
//       violation: drop        # alert | drop | reset (default drop): what an
//                              # L7 violation turns the flow to
//       severity: 1            # 1..3 (default 2)
//       category: election     # default "segmentation"
//       zookeeper:             # L7 conditions, allow rules only, when the service's app
//                              # is zookeeper or any
//         ops: [create, getData]   # zookeeper::opcode_name() names
//         paths: ["/mesos/**"]     # globs
//         write_paths: ["/mesos/json.info_*"]
//         four_letter_words: [ruok, srvr]
//         auth: required
//       mesos:                 # L7 conditions, allow rules only, when the service's app
//                              # is mesos, http or any
//         messages: [mesos.internal.RegisterSlaveMessage]  # libprocess type names
//         calls: [SUBSCRIBE, ACCEPT]                       # v1 call types, [A-Z_]+
//         framework: { principals: [marathon], roles: ["*", prod] }
//         endpoints: ["/master/state", "/api/v1/**"]        # globs
//   default: alert             # allow | alert | drop | reset, or
//                              # { action: drop, severity: 1 }; absent: alert
//
// L7 lists are allowlists: absent constrains nothing, `[]` allows nothing.
// Globs start with '/'; only `*`, `**` and `?` are special; `**` is a whole
// path segment ("/a/**", "/a/**/b"; not "/a**"); "***" is refused.
//
// Besides the shape of every value, validation refuses: names used but not
// defined, duplicate names, ids and keys, and a rule no flow can reach
// because an earlier rule matches every flow it could (its segments hold
// each CIDR of the later rule's with the same or looser VLAN and MAC
// constraints, on both sides, and its service covers the later rule's
// protocol and ports). That check only claims what is certain: a rule
// covered by two earlier rules together is not reported.
#include <cstddef>
#include <string>

#include "dataplane/policy/policy.h"
#include "mgmt/yaml_reader.h"  // ConfigError

namespace segward::mgmt {

// Limits against absurd files. kMaxPolicyRules is policy::kMaxRules
// (dataplane/policy/compiled_policy.h; the unit tests check they agree).
inline constexpr std::size_t kMaxPolicyRules = 8192;
inline constexpr std::size_t kMaxPolicyBytes = 16u << 20;

// Parses and validates YAML text; `source` names it in messages and becomes
// Policy::source. Throws ConfigError.
policy::Policy parse_policy(const std::string& text, const std::string& source);
policy::Policy load_policy_file(const std::string& path);

}  // namespace segward::mgmt
