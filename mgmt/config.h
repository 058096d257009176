#pragma once
// segward's configuration file: one YAML document, validated as a whole with
// errors located to file:line:column and the key path, e.g.
//   segward.yaml:12:7: dataplane.ports[1].rx_descriptors: expected an integer, got 'lots'
// The segmentation policy is a file of its own (mgmt/policy_file.h), named by
// the top-level key `policy: PATH` and read and validated with the config.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataplane/flow_table.h"
#include "dataplane/l7_limits.h"
#include "dataplane/policy/policy.h"
#include "dataplane/worker.h"
#include "mgmt/api/api_config.h"
#include "mgmt/event_outputs.h"
#include "mgmt/output_file.h"
#include "mgmt/yaml_reader.h"  // ConfigError
#include "platform/ports.h"

namespace segward::mgmt {

struct EveOutputConfig {
  std::string path = "eve.json";  // "-" writes to standard output
  std::uint32_t stats_interval_s = 30;  // 0: one stats event at exit only
  RotationPolicy rotation;              // outputs.eve.rotate; reopened on SIGHUP in any case
};

// `evidence:`: the packets around each alert, written as pcapng.
struct EvidenceConfig {
  bool enabled = false;
  std::string dir = "evidence";        // relative: against the config file's directory
  std::uint32_t packets_before = 16;   // of the alert's flow, the alerting packet included
  std::uint32_t packets_after = 16;    // then written when these have passed or the flow ends
  std::uint32_t memory_mb = 16;        // per worker, the packet history all flows share
};

struct Config {
  std::string source = "<defaults>";  // where it came from, for messages
  std::vector<std::string> eal_args;
  dataplane::Mode mode = dataplane::Mode::kTap;
  std::uint32_t workers = 1;
  std::uint32_t mbufs = 8191;
  std::uint32_t mbuf_cache = 256;
  bool drop_malformed = true;
  std::vector<platform::PortSpec> ports;
  std::uint32_t event_ring = 16384;
  std::uint32_t flow_capacity = 65536;
  dataplane::FlowTimeouts flow_timeouts;
  dataplane::L7Limits l7;
  std::uint32_t l7_event_ring = 4096;
  EveOutputConfig eve;
  SyslogConfig syslog;             // outputs.syslog
  ProtobufOutputConfig protobuf;   // outputs.protobuf
  api::ApiConfig api;
  EvidenceConfig evidence;
  // `policy: PATH`, relative paths resolved against the config file's
  // directory; empty and null when the key is absent (no policy: nothing is
  // enforced).
  std::string policy_path;
  std::shared_ptr<const policy::Policy> policy;
  // `signatures.rules`: rule files and directories (resolved); empty: no signatures.
  std::vector<std::string> signature_rules;
  // Where `dataplane.ports` was written (for "missing port" messages).
  std::string ports_location;
};

// The built-in defaults: a replay-ready tap sensor with no ports.
Config default_config();

// Parses and validates YAML text; `source` names it in messages and is the
// path a relative `policy` is resolved against. Reads and validates the
// policy file too (its errors located in it). Throws ConfigError.
Config parse_config(const std::string& text, const std::string& source);
Config load_config_file(const std::string& path);

// The extra checks `segward run` needs: ports present and consistent with the
// mode. Throws ConfigError located at dataplane.ports.
void validate_for_run(const Config& config);

}  // namespace segward::mgmt
