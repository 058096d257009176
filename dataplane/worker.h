#pragma once
// One dataplane worker, run on one lcore: RX burst -> decode -> flow lookup ->
// verdict -> TX burst to the peer port (inline) or free (tap). Nothing here
// allocates, locks or makes a syscall once the worker runs.
#include <rte_mbuf.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "dataplane/event_ring.h"
#include "dataplane/evidence/evidence_recorder.h"
#include "dataplane/flow_snapshot.h"
#include "dataplane/flow_table.h"
#include "dataplane/l7_engine.h"
#include "dataplane/policy/policy_handle.h"
#include "dataplane/worker_policy.h"
#include "dataplane/worker_counters.h"
#include "decoders/net/packet_layers.h"
#include "platform/mbuf_clock.h"

namespace segward::dataplane {

enum class Mode : std::uint8_t { kInline, kTap };

inline constexpr std::uint16_t kNoTxPort = UINT16_MAX;

// Where a worker reads and, inline, where it forwards what it read.
struct PortLink {
  std::uint16_t rx_port = 0;
  std::uint16_t tx_port = kNoTxPort;
  std::uint8_t rx_index = 0;  // index into the configured port list (for in_iface)
};

struct WorkerSetup {
  unsigned index = 0;
  std::uint16_t queue = 0;
  Mode mode = Mode::kTap;
  std::vector<PortLink> links;
  bool drop_malformed = true;   // inline: drop frames whose headers do not decode
  bool replay = false;          // capture timestamps are engine time; events never dropped
  std::uint64_t replay_packets = 0;  // replay: stop once this many were received
  bool flush_on_exit = true;    // end every flow when the loop stops (false between replay files)
};

class Worker {
 public:
  static constexpr std::uint16_t kBurst = 64;  // FlowIndex looks up at most kMaxBulk (64) keys at once
  static constexpr unsigned kExpireBudget = 128;  // flows ended per loop pass, at most
  static constexpr unsigned kPublishEvery = 32;   // busy loop passes between two publications of the gauges

  // `l7` may be null: flows only, no application-layer decoding. `policy`
  // may be null: no allowlist; otherwise `policy_handle` says which policy
  // runs (read once per loop pass).
  Worker(WorkerSetup setup, FlowTable& flows, EventRing& events, WorkerCounters& counters,
         const platform::MbufClock& clock, L7Engine* l7 = nullptr, WorkerPolicy* policy = nullptr,
         policy::PolicyHandle* policy_handle = nullptr);

  // Polls until `stop` is set or, on replay, every packet was received; then
  // ends every flow (reason shutdown) and returns.
  void run(const std::atomic<bool>& stop);

  // The TSC when the polling loop ended (the stop, or the last packet of a
  // replay), before flows were ended and handed over; 0 until then. Read it
  // once the worker's lcore has returned.
  [[nodiscard]] std::uint64_t loop_end_tsc() const { return loop_end_tsc_; }

  // Answers top-flows requests (the REST API) between loop passes.
  void set_flow_snapshot(FlowSnapshot* snapshot) { flow_snapshot_ = snapshot; }

  // Hands the packets of flows marked kPolicyEvidence to `evidence` (null: none).
  void set_evidence(EvidenceRecorder* evidence) { evidence_ = evidence; }

  // Classifies and accounts one burst read from `link`, fills `verdicts`.
  // Returns how many of them are kForward.
  std::uint16_t process_burst(rte_mbuf** pkts, std::uint16_t n, const PortLink& link, std::uint64_t now_ns,
                              Verdict* verdicts);


 private:
  template <Mode kMode>
  void loop(const std::atomic<bool>& stop);
  // Sends the `forwarded` packets whose verdict is kForward, frees the rest.
  void act(rte_mbuf** pkts, std::uint16_t n, const PortLink& link, const Verdict* verdicts, std::uint16_t forwarded);
  void transmit(rte_mbuf** pkts, std::uint16_t n, const PortLink& link);
  void emit(const FlowRecord& record);
  void publish_flow_stats();

  WorkerSetup setup_;
  FlowTable& flows_;
  EventRing& events_;
  WorkerCounters& counters_;
  const platform::MbufClock& clock_;
  L7Engine* l7_;
  WorkerPolicy* policy_;
  policy::PolicyHandle* policy_handle_;
  std::uint64_t engine_now_ns_ = 0;
  bool stopping_ = false;  // the loop has ended: flush without dropping events
  std::uint64_t loop_end_tsc_ = 0;
  unsigned passes_unpublished_ = 0;  // busy loop passes since the gauges were last published
  FlowSnapshot* flow_snapshot_ = nullptr;
  EvidenceRecorder* evidence_ = nullptr;

  // What the flow part of process_burst needs of a packet it looks up: its
  // flow key, and what is read of its mbuf while the line is in cache (one
  // array, so that the per-packet loop keeps one base pointer). A
  // common-case frame is decoded no further than its flow key
  // (net::decode_common_case_headers) until something asks for its layers
  // (full_layers).
  struct TrackedPacket {
    FlowKey key;
    std::uint32_t hash;         // flow_hash(key)
    std::uint32_t candidate;    // FlowTable::lookup_candidate(hash)
    const std::uint8_t* frame;
    std::uint64_t time_ns;
    std::uint32_t frame_bytes;  // pkt_len, for the flow's byte counts
    std::uint16_t data_len;     // of the first segment: what the decoder reads
    std::uint16_t payload_len;
    std::uint8_t index;         // in the burst
    std::uint8_t tcp_flags;
    bool is_tcp;
    bool from_lo;               // travels from the key's low endpoint
    bool decoded;               // layers_[index] holds its layers
  };
  // The packet's layers, decoding them now if that was left for later.
  const net::PacketLayers& full_layers(TrackedPacket& t);

  // Per-burst scratch, reused: no allocation on the path.
  std::array<net::PacketLayers, kBurst> layers_{};
  std::array<TrackedPacket, kBurst> tracked_{};
};

}  // namespace segward::dataplane
