#pragma once
// Internal to decoders/net: writes frame offsets into PacketLayers.
// decode_packet caps a frame at kMaxFrameBytes, so every offset and length
// it passes here fits in 16 bits; direct callers of the per-layer functions
// keep base_offset + span size within that cap too.
#include <cstddef>
#include <cstdint>

#include "decoders/net/packet_layers.h"

namespace segward::net::detail {

inline void set_payload(PacketLayers& out, std::size_t offset, std::size_t len) noexcept {
  out.payload_offset = static_cast<std::uint16_t>(offset);
  out.payload_len = static_cast<std::uint16_t>(len);
}

}  // namespace segward::net::detail
