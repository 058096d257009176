// Name and description lookup, generated from decode_errors.def.
#include <array>
#include <string_view>

#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

constexpr std::array<std::string_view, kDecodeErrorCount> kNames = {
    "none",
#define SEGWARD_NET_ERROR(id, name, description) name,
#include "decoders/net/decode_errors.def"
#undef SEGWARD_NET_ERROR
};

constexpr std::array<std::string_view, kDecodeErrorCount> kDescriptions = {
    "decoded without error",
#define SEGWARD_NET_ERROR(id, name, description) description,
#include "decoders/net/decode_errors.def"
#undef SEGWARD_NET_ERROR
};

}  // namespace

std::string_view decode_error_name(DecodeError error) noexcept {
  const auto i = static_cast<std::size_t>(error);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::string_view decode_error_description(DecodeError error) noexcept {
  const auto i = static_cast<std::size_t>(error);
  return i < kDescriptions.size() ? kDescriptions[i] : std::string_view("unknown decode error");
}

}  // namespace segward::net
