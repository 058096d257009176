#pragma once
// The learn mode: watches the events of a healthy cluster (a replay or a live
// run, through SensorOptions::observer) and proposes the segmentation
// allowlist that would have allowed exactly what it saw.
//
// Roles, per host, from what it did:
// - ZooKeeper: servers are the servers of ZooKeeper connections; clients are
//   election writers (wrote under /mesos, or created an ephemeral sequential
//   znode: the leader-election recipe), other writers, readers (requests,
//   no writes) or admins (four-letter words or AdminServer commands only).
// - Mesos, one role per host, the first that fits: masters (receive
//   master-addressed requests: the `master` actor, /master/..., the
//   scheduler or master operator API), agents (receive `slave(N)` or
//   `executor(N)` requests or the agent APIs, or send agent messages),
//   frameworks (register or subscribe a framework, or receive
//   `scheduler(N)` requests), by principal, and operators (the operator
//   APIs and legacy endpoints only).
// - Everything else: per server port, its clients and its servers.
// A segment holds one /32 or /128 per host. Each (client role, server role,
// service) with traffic becomes one allow rule whose L7 conditions list what
// was seen (ZooKeeper ops, paths, write paths, four-letter words, auth;
// Mesos messages, calls, principals, roles, endpoints), with sequence
// suffixes of sequential znodes written as `*`. The default is drop:
// whatever the learn run did not see is not allowed.
//
// Request lists are learned from requests only: v1 event-stream records
// (direction response) and ZooKeeper notifications are what servers send,
// and the policy judges what clients send.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dataplane/policy/policy.h"
#include "mgmt/proto/events.pb.h"

namespace segward::learn {

// What backs one segment, service or rule of a proposal (for comments).
struct Evidence {
  std::uint64_t flows = 0;     // flow events
  std::uint64_t requests = 0;  // ZooKeeper requests and four-letter words, Mesos requests
  std::set<std::string> hosts;           // the addresses involved
  std::string first_seen, last_seen;     // EVE timestamps
  std::vector<std::string> notes;        // one line each: why, what was seen
};

struct Proposal {
  policy::Policy policy;
  // By segment, service and rule name.
  std::map<std::string, Evidence> segments, services, rules;
  // About the whole run, for the file's header.
  std::vector<std::string> notes;
  std::uint64_t events = 0, flows = 0, requests = 0;
};

class Learner {
 public:
  // Any event; those the learn mode does not use (stats, anomaly, alert)
  // are counted and ignored.
  void observe(const events::Event& event);

  [[nodiscard]] Proposal propose() const;
  [[nodiscard]] std::uint64_t events_seen() const { return events_; }

  // Host state (public for the implementation's helpers; not an interface).
  struct ZkUse {
    std::uint64_t requests = 0, writes = 0, election_writes = 0, four_letter_words = 0, admin_commands = 0;
  };
  struct MesosUse {
    bool serves_master = false, serves_agent = false, serves_framework = false;
    bool sends_agent = false, sends_framework = false, sends_master = false, sends_operator = false;
    std::set<std::string> principals;
  };
  struct Host {
    ZkUse zk;
    MesosUse mesos;
    std::set<std::uint16_t> vlans;
    bool untagged = false;
    std::string first_seen, last_seen;
  };
  // One client -> server:port conversation, as the policy classifies it.
  struct EdgeKey {
    std::string client, server, proto;
    std::uint16_t port = 0;
    friend auto operator<=>(const EdgeKey&, const EdgeKey&) = default;
  };
  struct Edge {
    std::uint64_t flows = 0, requests = 0;
    std::map<std::string, std::uint64_t> app_protos;  // flow app_proto ("" none) -> flows
    bool zookeeper = false, mesos = false, tls = false, zk_admin = false;
    // ZooKeeper, as seen from the client.
    std::set<std::string> zk_ops, zk_paths, zk_write_paths, zk_words;
    std::uint64_t zk_sessions = 0, zk_sessions_authenticated_first = 0;
    // Mesos requests.
    std::set<std::string> messages, calls, principals, roles, endpoints;
    // More distinct paths (endpoints) than kMaxLearnedPaths: the list is
    // not proposed (a long live run must not grow without bound).
    bool zk_paths_overflow = false, endpoints_overflow = false;
    std::string first_seen, last_seen;
  };

 private:
  Host& host(const std::string& ip, const events::Event& e);
  Edge& edge(const std::string& client, const std::string& server, const std::string& proto,
             std::uint32_t port, const events::Event& e);
  void observe_flow(const events::Event& e);
  void observe_zookeeper(const events::Event& e);
  void observe_mesos(const events::Event& e);
  void observe_tls(const events::Event& e);

  std::map<std::string, Host> hosts_;
  std::map<EdgeKey, Edge> edges_;
  // ZooKeeper flows that have sent a request, until their flow event: the
  // first request decides whether the session authenticated first.
  std::set<std::uint64_t> zk_sessions_open_;
  std::uint64_t events_ = 0, flows_ = 0, requests_ = 0;
};

// Generalises a ZooKeeper path for a learned allowlist: a sequential
// znode's 10-digit suffix becomes `*` ("/mesos/json.info_0000000003" ->
// "/mesos/json.info_*"); `sequential_create`: the path is a sequential
// create's prefix ("/mesos/json.info_" -> "/mesos/json.info_*").
std::string generalise_zk_path(const std::string& path, bool sequential_create);

// Replaces, in a set of learned paths, the children of any directory with
// more than `limit` distinct learned children by "dir/*".
std::set<std::string> collapse_siblings(const std::set<std::string>& paths, std::size_t limit);

// Distinct ZooKeeper paths (or Mesos endpoints) one client -> server pair
// may teach; past it the proposal leaves that list unconstrained.
inline constexpr std::size_t kMaxLearnedPaths = 4096;

}  // namespace segward::learn
