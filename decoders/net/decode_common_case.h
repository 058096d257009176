#pragma once
// Internal to decoders/net: the straight-line decoder for the common case
// (see decode_common_case.cc) and the reset both decoders share.
#include <cstring>
#include <span>
#include <type_traits>

#include "decoders/net/packet_layers.h"

namespace segward::net::detail {

// Every field's default is all-zero bytes (enums start at kNone = 0), so one
// memset resets the struct; assigning PacketLayers{} builds a temporary and
// copies it, twice the stores on the per-packet path.
static_assert(std::is_trivially_copyable_v<PacketLayers>);
inline void reset(PacketLayers& out) noexcept { std::memset(static_cast<void*>(&out), 0, sizeof out); }

// True when `frame` is the common case and `out` now holds exactly what the
// layered decoder gives for it; false (and `out` unspecified) otherwise.
bool decode_common_case(std::span<const std::uint8_t> frame, PacketLayers& out) noexcept;

}  // namespace segward::net::detail
