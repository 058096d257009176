// The configuration file: what is accepted, and the located one-line errors
// for what is not.
#include "mgmt/config.h"

#include <gtest/gtest.h>

namespace segward::mgmt {
namespace {

std::string error_of(const std::string& yaml, bool for_run = false) {
  try {
    const Config c = parse_config(yaml, "segward.yaml");
    if (for_run) validate_for_run(c);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, EmptyFileMeansDefaults) {
  const Config c = parse_config("", "segward.yaml");
  EXPECT_EQ(dataplane::Mode::kTap, c.mode);
  EXPECT_EQ(1u, c.workers);
  EXPECT_FALSE(c.eal_args.empty());
  EXPECT_EQ("eve.json", c.eve.path);
}

TEST(Config, ReadsAFullInlineConfig) {
  const Config c = parse_config(R"(
eal:
  args: [--no-huge, --in-memory, --no-pci, -l, 0-2]
dataplane:
  mode: inline
  workers: 2
  mbufs: 16384
  malformed: forward
  ports:
    - name: outside
      device: net_af_packet0,iface=eth1
      rx_descriptors: 2048
    - name: inside
      device: "0000:03:00.1"
flow:
  capacity: 200000
  timeouts: {new: 20, established: 600, closed: 3}
outputs:
  eve: {path: /var/log/segward/eve.json, stats_interval: 10}
)",
                                "segward.yaml");
  validate_for_run(c);
  EXPECT_EQ(dataplane::Mode::kInline, c.mode);
  EXPECT_EQ(2u, c.workers);
  EXPECT_EQ(16384u, c.mbufs);
  EXPECT_FALSE(c.drop_malformed);
  ASSERT_EQ(2u, c.ports.size());
  EXPECT_EQ("outside", c.ports[0].name);
  EXPECT_EQ("net_af_packet0,iface=eth1", c.ports[0].device);
  EXPECT_EQ(2048, c.ports[0].rx_descriptors);
  EXPECT_EQ("0000:03:00.1", c.ports[1].device);
  EXPECT_EQ(200000u, c.flow_capacity);
  EXPECT_EQ(20'000'000'000ULL, c.flow_timeouts.new_ns);
  EXPECT_EQ(3'000'000'000ULL, c.flow_timeouts.closed_ns);
  EXPECT_EQ("/var/log/segward/eve.json", c.eve.path);
  EXPECT_EQ(10u, c.eve.stats_interval_s);
  EXPECT_EQ((std::vector<std::string>{"--no-huge", "--in-memory", "--no-pci", "-l", "0-2"}), c.eal_args);
}

TEST(Config, UnknownKeyIsLocatedAndListsTheValidOnes) {
  EXPECT_EQ("segward.yaml:3:3: dataplane.wokers: unknown key (expected one of: mode, workers, mbufs, mbuf_cache, "
            "malformed, ports, event_ring)",
            error_of("dataplane:\n  mode: tap\n  wokers: 2\n"));
  EXPECT_EQ("segward.yaml:1:1: outputz: unknown key (expected one of: eal, dataplane, flow, l7, outputs, api, metrics, "
            "evidence, signatures, policy)",
            error_of("outputz: {}\n"));
}

TEST(Config, ApiMetricsAndEvidenceSections) {
  const Config c = parse_config(
      "api: {listen: '[::1]:9443', tokens: tokens, tls: {cert: c.pem, key: k.pem}, alert_buffer: 500}\n"
      "metrics: {listen: ':9400'}\n"
      "evidence: {dir: ev, packets_before: 4, packets_after: 0}\n",
      "/etc/segward/segward.yaml");
  EXPECT_TRUE(c.api.enabled);
  EXPECT_EQ("::1", c.api.listen.host);
  EXPECT_EQ(9443, c.api.listen.port);
  EXPECT_EQ("/etc/segward/tokens", c.api.tokens_path);  // relative to the config file
  EXPECT_EQ("/etc/segward/c.pem", c.api.tls_cert);
  EXPECT_EQ(500u, c.api.alert_buffer);
  EXPECT_TRUE(c.api.metrics_listener);
  EXPECT_EQ("127.0.0.1", c.api.metrics_listen.host);
  EXPECT_EQ(9400, c.api.metrics_listen.port);
  EXPECT_TRUE(c.evidence.enabled);
  EXPECT_EQ("/etc/segward/ev", c.evidence.dir);
  EXPECT_EQ(4u, c.evidence.packets_before);
  EXPECT_EQ(0u, c.evidence.packets_after);
  EXPECT_FALSE(parse_config("", "x.yaml").api.enabled);
}

TEST(Config, ApiAndOutputErrorsAreLocated) {
  EXPECT_EQ("segward.yaml:1:6: api.tokens: required: a file of 'ROLE TOKEN' lines (mode 0600)",
            error_of("api: {listen: ':8080'}\n"));
  EXPECT_EQ("segward.yaml:1:15: api.listen: expected HOST:PORT, e.g. 127.0.0.1:8080; got '8080'",
            error_of("api: {listen: '8080', tokens: t}\n"));
  EXPECT_EQ("segward.yaml:1:15: api.listen: expected a port number 0-65535 after the colon; got '99999'",
            error_of("api: {listen: 'h:99999', tokens: t}\n"));
  EXPECT_EQ("segward.yaml:1:23: api.tls: needs both cert and key (PEM files)",
            error_of("api: {tokens: t, tls: {cert: c}}\n"));
  EXPECT_EQ("segward.yaml:1:29: outputs.syslog.address: expected udp://HOST:PORT, tcp://HOST:PORT or unix:/PATH, "
            "got 'syslog.example:514'",
            error_of("outputs: {syslog: {address: syslog.example:514}}\n"));
  EXPECT_EQ("segward.yaml:1:54: outputs.syslog.facility: unknown facility 'local9' (kern .. local7)",
            error_of("outputs: {syslog: {address: 'udp://h:514', facility: local9}}\n"));
  EXPECT_EQ("segward.yaml:1:60: outputs.syslog.events[1]: unknown event type 'alerts' (flow, stats, mesos, "
            "zookeeper, tls, anomaly, alert)",
            error_of("outputs: {syslog: {address: 'udp://h:514', events: [alert, alerts]}}\n"));
  EXPECT_EQ("segward.yaml:1:21: outputs.protobuf: needs exactly one of path (a file) or address (unix:/PATH or "
            "tcp://HOST:PORT)",
            error_of("outputs: {protobuf: {events: all}}\n"));
  EXPECT_EQ("segward.yaml:1:25: outputs.eve.rotate: needs size_mb (MiB) or interval (seconds), or both",
            error_of("outputs: {eve: {rotate: {keep: 3}}}\n"));
}

TEST(Config, WrongTypeIsLocatedWithTheKeyPath) {
  EXPECT_EQ("segward.yaml:3:14: dataplane.workers: expected an integer, got 'lots'",
            error_of("\ndataplane:\n    workers: lots\n"));
  EXPECT_EQ(
      "segward.yaml:6:23: dataplane.ports[1].rx_descriptors: expected an integer, got 'many'",
      error_of("dataplane:\n  ports:\n    - name: a\n      device: net_null0\n    - {name: b, device: net_null1,\n"
               "      rx_descriptors: many}\n"));
  EXPECT_EQ("segward.yaml:1:19: dataplane.mode: expected inline or tap, got 'bridge'",
            error_of("dataplane: {mode: bridge}\n"));
  EXPECT_EQ("segward.yaml:1:13: eal.args: expected a list of EAL arguments", error_of("eal: {args: -l 0}\n"));
}

TEST(Config, OutOfRangeValuesAreRefused) {
  EXPECT_EQ("segward.yaml:1:24: flow.timeouts.new: must be between 1 and 604800, got 0",
            error_of("flow: {timeouts: {new: 0}}\n"));
  EXPECT_EQ("segward.yaml:1:22: dataplane.workers: must be between 1 and 64, got 65",
            error_of("dataplane: {workers: 65}\n"));
}

TEST(Config, MissingOrDuplicatePortsAreRefusedForRun) {
  EXPECT_EQ("segward.yaml:1:1: dataplane.ports: at least one port is required to run",
            error_of("dataplane: {mode: tap}\n", true));
  EXPECT_EQ("segward.yaml:4:5: dataplane.ports: inline mode forwards between exactly 2 ports, 1 given",
            error_of("dataplane:\n  mode: inline\n  ports:\n    - {name: a, device: net_null0}\n", true));
  EXPECT_EQ("segward.yaml:2:40: dataplane.ports[1].name: duplicate port name 'a'",
            error_of("dataplane:\n  ports: [{name: a, device: x}, {name: a, device: y}]\n"));
  EXPECT_EQ("segward.yaml:2:11: dataplane.ports[0].device: required (a DPDK virtual device or a PCI address)",
            error_of("dataplane:\n  ports: [{name: a}]\n"));
}

TEST(Config, YamlSyntaxErrorsAreLocated) {
  const std::string e = error_of("dataplane:\n  mode: [inline\n");
  EXPECT_TRUE(e.starts_with("segward.yaml:")) << e;
  EXPECT_NE(std::string::npos, e.find("YAML syntax error")) << e;
  EXPECT_EQ(std::string::npos, e.find('\n')) << "one line";
}

TEST(Config, MissingFileIsAnError) {
  EXPECT_THROW(load_config_file("/nonexistent/segward.yaml"), ConfigError);
}

}  // namespace
}  // namespace segward::mgmt

namespace segward::mgmt {
namespace {

TEST(Config, ReadsTheApplicationLayerLimits) {
  const Config c = parse_config(R"(
l7:
  sessions: 1024
  probe_packets: 3
  event_ring: 512
  reassembly: {memory_mb: 16, per_direction_kb: 64}
  bodies: {memory_mb: 8, limit_kb: 256}
  http: {max_head_bytes: 8192, max_headers: 50}
)",
                                "segward.yaml");
  EXPECT_TRUE(c.l7.enabled);
  EXPECT_EQ(1024u, c.l7.sessions);
  EXPECT_EQ(3u, c.l7.probe_packets);
  EXPECT_EQ(512u, c.l7_event_ring);
  EXPECT_EQ(16ULL << 20, c.l7.reassembly_bytes);
  EXPECT_EQ(64u * 1024, c.l7.per_direction.max_buffered_bytes);
  EXPECT_EQ(8ULL << 20, c.l7.body_bytes);
  EXPECT_EQ(256u * 1024, c.l7.body_limit);
  EXPECT_EQ(8192u, c.l7.http.max_head_bytes);
  EXPECT_EQ(50u, c.l7.http.max_headers);
  EXPECT_FALSE(parse_config("l7: {enabled: false}\n", "segward.yaml").l7.enabled);
}

TEST(Config, ApplicationLayerErrorsAreLocated) {
  EXPECT_EQ("segward.yaml:2:13: l7.sessions: expected an integer, got 'many'", error_of("l7:\n  sessions: many\n"));
  EXPECT_EQ("segward.yaml:2:22: l7.bodies.limit_kb: must be between 1 and 65536, got 0",
            error_of("l7:\n  bodies: {limit_kb: 0}\n"));
  EXPECT_EQ("segward.yaml:2:36: l7.bodies.limit_kb: must not exceed l7.bodies.memory_mb (8 MiB = 8192 KiB)",
            error_of("l7:\n  bodies: {memory_mb: 8, limit_kb: 9000}\n"));
  EXPECT_EQ("segward.yaml:2:3: l7.reasembly: unknown key (expected one of: enabled, sessions, reassembly, bodies, http, "
            "probe_packets, event_ring, zookeeper, tls, expected)",
            error_of("l7:\n  reasembly: {}\n"));
  EXPECT_EQ("segward.yaml:2:19: l7.expected.443: expected one of: tls, zookeeper, http; got 'ssh'",
            error_of("l7:\n  expected: {443: ssh}\n"));
  EXPECT_EQ("segward.yaml:2:14: l7.expected: must be between 1 and 65535, got 70000",
            error_of("l7:\n  expected: {70000: tls}\n"));
  EXPECT_EQ("segward.yaml:2:29: l7.zookeeper.max_frame_kb: expected an integer, got 'big'",
            error_of("l7:\n  zookeeper: {max_frame_kb: big}\n"));
}

TEST(Config, ReadsTheZookeeperTlsAndExpectedProtocolSettings) {
  const Config defaults = parse_config("{}\n", "segward.yaml");
  ASSERT_EQ(4u, defaults.l7.expected.size()) << "443, 2281, 8443: tls; 2181: zookeeper";
  const Config c = parse_config(R"(
l7:
  zookeeper: {sessions: 64, max_frame_kb: 4096}
  tls: {sessions: 32}
  expected: {5050: http, 2182: zookeeper, 9443: tls}
)",
                                "segward.yaml");
  EXPECT_EQ(64u, c.l7.zookeeper_sessions);
  EXPECT_EQ(4096u * 1024, c.l7.zookeeper.max_frame);
  EXPECT_EQ(32u, c.l7.tls_sessions);
  ASSERT_EQ(3u, c.l7.expected.size()) << "the list replaces the defaults";
  EXPECT_EQ(std::make_pair(std::uint16_t{5050}, dataplane::AppProto::kHttp), c.l7.expected[0]);
  EXPECT_EQ(std::make_pair(std::uint16_t{2182}, dataplane::AppProto::kZookeeper), c.l7.expected[1]);
  EXPECT_EQ(std::make_pair(std::uint16_t{9443}, dataplane::AppProto::kTls), c.l7.expected[2]);
  EXPECT_TRUE(parse_config("l7: {expected: {}}\n", "segward.yaml").l7.expected.empty());
}

}  // namespace
}  // namespace segward::mgmt

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace segward::mgmt {
namespace {

// A fresh folder for a config file and the policy it names.
class ConfigPolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("segward-config-policy-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "policies");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::string error_loading(const std::string& path) {
    try {
      validate_for_run(load_config_file(path));  // what `segward check-config` does
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }

  std::filesystem::path dir_;
};

constexpr const char* kPolicy =
    "segments:\n"
    "  masters: {cidrs: [192.0.2.10/32]}\n"
    "services:\n"
    "  mesos-master: {ports: [5050], app: mesos}\n"
    "rules:\n"
    "  - {name: agents-to-masters, from: any, to: masters, service: mesos-master, action: allow}\n"
    "default: drop\n";
constexpr const char* kPorts = "dataplane:\n  ports: [{name: tap, device: net_null0}]\n";

TEST_F(ConfigPolicy, NoPolicyKeyMeansNoPolicy) {
  const Config c = parse_config("", "segward.yaml");
  EXPECT_EQ(nullptr, c.policy);
  EXPECT_TRUE(c.policy_path.empty());
}

TEST_F(ConfigPolicy, ARelativePathIsResolvedAgainstTheConfigFilesFolder) {
  write("policies/cluster.yaml", kPolicy);
  const std::string config = write("segward.yaml", std::string(kPorts) + "policy: policies/cluster.yaml\n");
  const Config c = load_config_file(config);
  EXPECT_EQ((dir_ / "policies/cluster.yaml").string(), c.policy_path);
  ASSERT_NE(nullptr, c.policy);
  EXPECT_EQ(c.policy_path, c.policy->source);
  ASSERT_EQ(1u, c.policy->rules.size());
  EXPECT_EQ("agents-to-masters", c.policy->rules[0].name);
  EXPECT_EQ(policy::Action::kDrop, c.policy->default_action);
  EXPECT_EQ("", error_loading(config));
}

TEST_F(ConfigPolicy, AnAbsolutePathIsTakenAsIs) {
  const std::string policy_path = write("policies/cluster.yaml", kPolicy);
  const Config c = parse_config("policy: " + policy_path + "\n", "/elsewhere/segward.yaml");
  EXPECT_EQ(policy_path, c.policy_path);
  ASSERT_NE(nullptr, c.policy);
  EXPECT_EQ(1u, c.policy->segments.size());
}

TEST_F(ConfigPolicy, ErrorsInThePolicyAreLocatedInThePolicyFile) {
  write("policies/cluster.yaml",
        "segments:\n  masters: {cidrs: [192.0.2.10/24]}\n");
  const std::string config = write("segward.yaml", std::string(kPorts) + "policy: policies/cluster.yaml\n");
  EXPECT_EQ((dir_ / "policies/cluster.yaml").string() +
                ":2:21: segments.masters.cidrs[0]: '192.0.2.10/24' has host bits set (did you mean 192.0.2.0/24?)",
            error_loading(config));
}

TEST_F(ConfigPolicy, AMissingPolicyFileIsLocatedAtTheKey) {
  const std::string config = write("segward.yaml", std::string(kPorts) + "policy: nowhere.yaml\n");
  EXPECT_EQ(config + ":3:9: policy: cannot open policy file '" + (dir_ / "nowhere.yaml").string() + "'",
            error_loading(config));
  EXPECT_EQ("segward.yaml:1:9: policy: must not be empty", [] {
    try {
      parse_config("policy: ''\n", "segward.yaml");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  }());
}

TEST_F(ConfigPolicy, AKeyGivenTwiceIsRefused) {
  // yaml-cpp keeps both and reading takes the first: say so instead.
  EXPECT_EQ("segward.yaml:3:3: dataplane.mode: duplicate key", error_of("dataplane:\n  mode: tap\n  mode: inline\n"));
}

TEST_F(ConfigPolicy, TheConfigsOwnErrorsComeFirst) {
  write("policies/cluster.yaml", "rules: nope\n");
  const std::string config = write("segward.yaml", "policy: policies/cluster.yaml\ndataplane: {workers: 0}\n");
  EXPECT_EQ(config + ":2:22: dataplane.workers: must be between 1 and 64, got 0", error_loading(config));
}

}  // namespace
}  // namespace segward::mgmt

namespace segward::mgmt {
namespace {

TEST(ConfigSignatures, RulePathsAreResolvedAgainstTheConfigFilesFolder) {
  const Config c = parse_config("signatures:\n  rules: [rules, /etc/segward/more.yaml]\n", "/etc/segward/segward.yaml");
  EXPECT_EQ(c.signature_rules, (std::vector<std::string>{"/etc/segward/rules", "/etc/segward/more.yaml"}));
  const Config one = parse_config("signatures: {rules: pack}\n", "conf/segward.yaml");
  EXPECT_EQ(one.signature_rules, (std::vector<std::string>{"conf/pack"}));
}

TEST(ConfigSignatures, NeedTheApplicationLayer) {
  try {
    (void)parse_config("l7: {enabled: false}\nsignatures: {rules: [r.yaml]}\n", "s.yaml");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "s.yaml:2:13: signatures: signature rules test decoded messages: they need l7.enabled: true");
  }
  try {
    (void)parse_config("signatures: {rules: {a: 1}}\n", "s.yaml");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("signatures.rules: expected a path or a list of paths"), std::string::npos);
  }
}

}  // namespace
}  // namespace segward::mgmt
