#pragma once
// Per-worker counters: written only by their worker (relaxed atomics compile
// to plain loads and stores on x86), read and summed by the management thread.
#include <atomic>
#include <cstdint>
#include <memory>

#include "dataplane/flow.h"
#include "decoders/http/http_message.h"
#include "decoders/net/packet_layers.h"
#include "decoders/stream/stream_reassembler.h"
#include "decoders/tls/tls_connection.h"
#include "decoders/zookeeper/zk_connection.h"
#include "dataplane/l7_event.h"

namespace segward::dataplane {

class Counter {
 public:
  void add(std::uint64_t n = 1) { v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  void set(std::uint64_t n) { v_.store(n, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> v_{0};
};

// Every packet a worker receives ends in exactly one verdict counter.
enum class Verdict : std::uint8_t { kForward = 0, kDrop = 1, kObserve = 2 };
inline constexpr std::size_t kVerdictCount = 3;

struct alignas(64) WorkerCounters {
  Counter rx_packets;
  Counter rx_bytes;
  Counter decode_errors[net::kDecodeErrorCount];
  Counter ipv4;
  Counter ipv6;
  Counter arp;
  Counter other_l3;  // unknown ethertype: LLDP, MPLS, ...
  Counter tcp;
  Counter udp;
  Counter icmp;
  Counter other_l4;
  Counter fragments;
  Counter verdicts[kVerdictCount];
  Counter tx_packets;
  Counter tx_dropped;      // the peer port's TX queue was full
  Counter flows_created;
  Counter flows_ended[kFlowEndReasonCount];
  Counter flows_active;
  Counter flow_insert_failed;  // table full and nothing evictable
  Counter events_dropped;      // event ring full (live mode only; replay waits)

  // Application layer (dataplane/l7_engine.h).
  struct L7 {
    Counter sessions_created;
    Counter sessions_active;
    Counter sessions_exhausted;   // an HTTP flow found no free session: not decoded
    Counter flows_not_http;       // probed and judged none of the protocols segward decodes
    Counter http_requests;
    Counter http_responses;
    Counter http_errors[http::kHttpErrorCount];
    Counter http_warnings[http::kHttpWarningCount];
    Counter mesos_events;         // handed to the management thread
    Counter mesos_libprocess;
    Counter mesos_api;
    Counter mesos_legacy;
    Counter mesos_stream_records; // RecordIO records of event streams (heartbeats included)
    Counter mesos_body_too_large; // bodies over l7.body_limit: reported, not decoded
    Counter mesos_body_no_memory; // bodies dropped because l7.body_memory was exhausted
    Counter events_dropped;       // L7 event ring full (live mode only; replay waits)
    Counter zookeeper_sessions_created;
    Counter zookeeper_sessions_active;
    Counter zookeeper_sessions_exhausted;  // a ZooKeeper flow found no free session: not decoded
    Counter zookeeper_events;
    Counter zookeeper[zookeeper::kZkCounterFields.size()];  // decoder counters, by field
    Counter tls_sessions_created;
    Counter tls_sessions_active;
    Counter tls_sessions_exhausted;  // a TLS flow found no free session: not decoded
    Counter tls_events;
    Counter tls[tls::kTlsCounterFields.size()];
    Counter tls_midstream;        // flows first seen in the middle of TLS records: marked tls, not decoded
    Counter protocol_mismatches;  // connections to an l7.expected port that carried another protocol

    Counter& events_of(L7EventKind kind) {
      switch (kind) {
        case L7EventKind::kZookeeper: return zookeeper_events;
        case L7EventKind::kTls: return tls_events;
        case L7EventKind::kAnomaly: return protocol_mismatches;
        case L7EventKind::kMesos:
        case L7EventKind::kAlert: break;  // alerts are counted in policy.alerts
      }
      return mesos_events;
    }
    Counter reassembly_pool_bytes;  // gauges: bytes in use now
    Counter body_pool_bytes;
    Counter stream[stream::kDirectionCounterFields.size()];  // summed over directions, by field
  } l7;

  // The allowlist (dataplane/worker_policy.h). Per rule: by index into the
  // policy now loaded, plus one for the default (index kRuleSlots - 1).
  struct Policy {
    static constexpr std::size_t kRuleSlots = 8192 + 1;  // policy::kMaxRules + the default
    Counter flows_classified;      // flows given a rule (new, or again after a reload)
    Counter packets_unclassified;  // no flow to judge (ARP, non-IP, later fragments, decode errors): passed (malformed: per dataplane.malformed)
    Counter packets_forwarded;     // judged and let through (inline) / observed (tap)
    Counter packets_dropped;       // judged and dropped (inline)
    Counter resets_sent;           // TCP RST frames sent (two per reset flow)
    Counter resets_failed;         // no mbuf or TX queue full: RST not sent
    Counter alerts;                // alert events handed to the management thread (summaries not included)
    Counter alerts_dropped;        // alert ring full and no summary slot free (live mode only): lost
    Counter alerts_suppressed;     // alert ring full (live mode only): folded into a summary alert
    Counter alert_summaries;       // summary alert events handed over (not in `alerts`)
    Counter violations[16];        // by policy::Condition (index 0 unused)
    Counter generation;            // gauge: the policy generation this worker runs
    std::unique_ptr<Counter[]> rule_packets = std::make_unique<Counter[]>(kRuleSlots);
    std::unique_ptr<Counter[]> rule_flows = std::make_unique<Counter[]>(kRuleSlots);
  } policy;

  // Signature rules (signatures/rule_set.h, WorkerPolicy::inspect).
  struct Signatures {
    static constexpr std::size_t kRuleSlots = 8192;  // per-rule counts by index; later rules share the last
    Counter messages;             // decoded messages matched against the rules
    Counter matches;              // rules whose conditions all held (before thresholds)
    Counter thresholded;          // matches a threshold held back
    Counter threshold_evictions;  // threshold counts restarted because the table slot was taken
    Counter alerts;               // alert events handed to the management thread (summaries not included)
    Counter alerts_dropped;       // alert ring full and no summary slot free (live mode only): lost
    Counter alerts_suppressed;    // alert ring full (live mode only): folded into a summary alert
    Counter alert_summaries;      // summary alert events handed over
    Counter payload_bytes;        // reassembled bytes scanned for payload patterns
    Counter payload_no_stream;    // connections not scanned for payload patterns: no stream state free
    Counter generation;           // gauge: the rule set generation this worker runs
    std::unique_ptr<Counter[]> rule_matches = std::make_unique<Counter[]>(kRuleSlots);
  } signatures;

  // Alert evidence (dataplane/evidence/evidence_recorder.h).
  struct Evidence {
    Counter packets_recorded;  // frames copied into a flow's packet history
    Counter alerts;            // alerts whose evidence was started
    Counter no_slot;           // flows not recorded: every history slot was taken
    Counter records_dropped;   // evidence packets lost: the evidence ring was full (live mode only)
  } evidence;
};

}  // namespace segward::dataplane
