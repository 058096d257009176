#pragma once
// A policy (policy.h) compiled for the workers: the L3/L4 part into DPDK
// rte_acl classifiers (one for IPv4, one for IPv6) that give a flow's first
// packet its rule, once per flow; the L7 conditions into lookup tables the
// L7 engine checks each decoded message against.
//
// Built on the management thread, then shared read-only by every worker
// until a reload replaces it (policy_handle.h). Nothing a worker calls
// allocates, locks or throws.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dataplane/flow.h"
#include "dataplane/policy/policy.h"
#include "decoders/libprocess/mesos_event.h"
#include "decoders/zookeeper/zk_event.h"

struct rte_acl_ctx;

namespace segward::policy {

class PolicyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the classifier looks at, from a flow's first packet.
struct FlowTuple {
  net::IpAddress src, dst;  // both IPv4 or both IPv6
  std::uint16_t src_port = 0, dst_port = 0;
  std::uint8_t ip_proto = 0;
  std::uint16_t vlan = 0;  // outer VLAN id, 0 untagged
  MacAddress src_mac{}, dst_mac{};
};

// The rule index of "no rule matched": the default action.
inline constexpr std::uint16_t kDefaultRule = 0xffff;
// At most this many rules in a policy (indexes 0 .. kMaxRules-1).
inline constexpr std::uint16_t kMaxRules = 8192;
// At most this many classifier entries (rules x from CIDRs x to CIDRs x port
// ranges x VLANs x MACs, both address families) in a policy.
inline constexpr std::size_t kMaxClassifierEntries = 1'000'000;

// The L7 condition a message broke (kNone: none).
enum class Condition : std::uint8_t {
  kNone = 0,
  kServiceApp,        // the connection carries another protocol than the service's `app`
  kServiceTls,        // tls: required but plaintext, or forbidden but TLS
  kMesosMessage,
  kMesosCall,
  kMesosPrincipal,
  kMesosRole,
  kMesosEndpoint,
  kZookeeperOp,
  kZookeeperPath,
  kZookeeperWritePath,
  kZookeeperFourLetterWord,
  kZookeeperAuth,
};
inline constexpr std::size_t kConditionCount = 13;
// The policy file's key for it: "service.app", "mesos.calls", "zookeeper.write_paths", ...
std::string_view condition_name(Condition condition);

struct CompiledRule {
  std::uint32_t id = 0;
  std::string name;
  Action action = Action::kAllow;
  Action violation = Action::kDrop;
  std::string category;
  std::uint8_t severity = 2;
  ServiceApp app = ServiceApp::kAny;
  TlsRequirement tls = TlsRequirement::kOptional;
  bool has_l7 = false;  // any mesos / zookeeper condition, app or tls requirement
  bool zookeeper_auth_required = false;
  SourceLocation at;  // where the rule is written (the default: where `default` is)
};

class CompiledPolicy {
 public:
  // Throws PolicyError naming the rule (file:line) when the policy cannot be
  // compiled (e.g. it expands to more classifier entries than rte_acl can
  // hold, or a name refers to nothing). `socket_id`: where rte_acl puts its
  // tables. Each compile gets its own rte_acl context names, so an old and a
  // new policy can live side by side during a reload.
  static std::unique_ptr<CompiledPolicy> compile(const Policy& policy, int socket_id);
  ~CompiledPolicy();
  CompiledPolicy(const CompiledPolicy&) = delete;
  CompiledPolicy& operator=(const CompiledPolicy&) = delete;

  // The first rule (in file order) that matches, or kDefaultRule.
  [[nodiscard]] std::uint16_t classify(const FlowTuple& tuple) const;

  // kDefaultRule gives the default: action default_action, name "default".
  [[nodiscard]] const CompiledRule& rule(std::uint16_t index) const;
  [[nodiscard]] std::size_t rule_count() const;
  // Classifier entries after expanding segments x CIDRs x ports x VLANs x MACs.
  [[nodiscard]] std::size_t classifier_entries() const;
  [[nodiscard]] const std::string& source() const;

  // Whether one decoded message of a flow classified to rule `index` keeps
  // to its conditions: kNone, or the first condition it breaks.
  [[nodiscard]] Condition check_mesos(std::uint16_t index, const mesos::MesosEvent& request) const;
  // `request`: a ZooKeeper request (kRequest) or four-letter word, as soon
  // as its frame is read. `authenticated`: an AuthPacket or SASL request was
  // seen earlier on the connection.
  [[nodiscard]] Condition check_zookeeper(std::uint16_t index, const zookeeper::ZkEvent& request,
                                          bool authenticated) const;
  // The L7 probe decided what the connection carries.
  [[nodiscard]] Condition check_app(std::uint16_t index, dataplane::AppProto detected) const;

  struct Impl;

 private:
  explicit CompiledPolicy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace segward::policy
