// Fuzz target: decode_packet on arbitrary bytes must not crash, must not read
// past its input (ASan), and must leave offsets that point inside the frame.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "decoders/net/decode_common_case.h"
#include "decoders/net/packet_layers.h"

namespace {

using segward::net::PacketLayers;

void check(bool invariant) {
  if (!invariant) std::abort();
}

void check_invariants(const PacketLayers& p, segward::net::DecodeError err, std::size_t size) {
  using segward::net::DecodeError;
  using segward::net::L3;
  using segward::net::L4;
  check(static_cast<std::size_t>(err) < segward::net::kDecodeErrorCount);
  check(!segward::net::decode_error_name(err).empty());
  check(p.vlan_count <= segward::net::kMaxVlanTags);
  check(p.l3_offset <= size && p.l4_offset <= size);
  check(std::size_t{p.payload_offset} + p.payload_len <= size);
  if (p.l4 != L4::kNone) check(p.l3 == L3::kIpv4 || p.l3 == L3::kIpv6);
  if (p.is_later_fragment) check(p.is_fragment && p.l4 == L4::kNone);
  if (err == DecodeError::kNone) {
    check(p.l3 != L3::kNone);
    if (p.l4 != L4::kNone) check(p.l3_offset < p.l4_offset && p.l4_offset <= p.payload_offset);
    if (p.l3 == L3::kIpv4 || p.l3 == L3::kIpv6) check(p.src_ip.v6 == (p.l3 == L3::kIpv6));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> frame(data, size);
  PacketLayers layers;
  const auto err = segward::net::decode_packet(frame, layers);
  const std::size_t decoded = size < segward::net::kMaxFrameBytes ? size : segward::net::kMaxFrameBytes;
  check_invariants(layers, err, decoded);

  // Decoding is a pure function of the bytes: the same frame into a dirty
  // struct gives the same answer.
  PacketLayers again = layers;
  again.tcp_seq ^= 1;
  check(segward::net::decode_packet(frame, again) == err);
  check(again.payload_offset == layers.payload_offset && again.payload_len == layers.payload_len &&
        again.tcp_seq == layers.tcp_seq && again.l4 == layers.l4);

  // The common-case shortcut is an optimisation only: the layered decoder
  // gives exactly the same result on every input.
  PacketLayers layered;
  check(segward::net::decode_packet_layered(frame, layered) == err);
  check(layered == layers);
  PacketLayers shortcut;
  const bool common = segward::net::detail::decode_common_case(frame, shortcut);
  if (common) {
    check(err == segward::net::DecodeError::kNone);
    check(shortcut == layers);
  }
  // The headers-only decode takes the same frames and reads the same values.
  segward::net::CommonCaseHeaders headers;
  check(segward::net::decode_common_case_headers(frame, headers) == common);
  if (common) check(segward::net::headers_agree(headers, layers));
  return 0;
}
