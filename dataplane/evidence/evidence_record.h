#pragma once
// One packet of an alert's evidence on its way from a worker to the
// management thread (mgmt/evidence_writer.h), which writes it to the alert's
// pcapng file. Fixed size: the frame is copied into the ring slot.
#include <cstdint>

#include "dataplane/event_ring.h"

namespace segward::dataplane {

// Frames are captured up to this many bytes: any Ethernet frame of a
// standard MTU (1518, 1522 with a VLAN tag) whole, so the alerting packet
// always decodes; jumbo frames are cut (orig_len keeps their length).
inline constexpr std::uint32_t kEvidenceSnapBytes = 2032;

// A captured frame, as the packet history keeps it and the ring carries it.
struct CapturedPacket {
  std::uint64_t timestamp_ns = 0;  // engine time: the capture's on replay
  std::uint32_t orig_len = 0;      // the frame's length on the wire
  std::uint16_t cap_len = 0;       // bytes in `bytes`
  std::uint8_t dir = 0;            // kToServer / kToClient
  std::uint8_t port_index = 0;     // the port it arrived on
  std::uint8_t bytes[kEvidenceSnapBytes];
};
static_assert(sizeof(CapturedPacket) == 2048, "history entries are 2 KiB");

// EvidenceRecord::flags.
inline constexpr std::uint8_t kEvidenceLast = 0x01;      // the evidence is complete after this record
inline constexpr std::uint8_t kEvidenceNoPacket = 0x02;  // no packet: only ends the evidence (with kEvidenceLast)
inline constexpr std::uint8_t kEvidenceAlerting = 0x04;  // the packet the alert was raised on

struct EvidenceRecord {
  std::uint64_t alert_id = 0;  // PolicyAlert::id: names the file
  std::uint64_t flow_id = 0;
  std::uint32_t rule_id = 0;   // the alert's signature_id, for the file's comment
  std::uint8_t flags = 0;
  std::uint8_t worker = 0;
  std::uint16_t reserved = 0;
  CapturedPacket packet;       // unused with kEvidenceNoPacket
};
static_assert(sizeof(EvidenceRecord) % 4 == 0);

using EvidenceRing = TypedRing<EvidenceRecord>;

}  // namespace segward::dataplane
