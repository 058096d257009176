// TCP header (RFC 9293) and the options a sensor keys on: MSS, window
// scale, SACK-permitted, timestamps.
#include "decoders/common/byte_reader.h"
#include "decoders/net/layer_offsets.h"
#include "decoders/net/packet_layers.h"

namespace segward::net {
namespace {

constexpr std::size_t kTcpMinHeaderBytes = 20;

enum : std::uint8_t {
  kOptEnd = 0,
  kOptNop = 1,
  kOptMss = 2,
  kOptWindowScale = 3,
  kOptSackPermitted = 4,
  kOptTimestamps = 8,
};

// RFC 9293 §3.2: kinds 0 and 1 are one byte; every other option is kind,
// length (counting both), data. A known kind with a length other than its
// fixed one is refused: stacks ignore it, and a sensor wants to count it.
bool parse_options(std::span<const std::uint8_t> options, TcpOptions& out) noexcept {
  decoders::ByteReader r(options);
  while (const auto kind = r.be8()) {
    if (*kind == kOptEnd) return true;
    if (*kind == kOptNop) continue;
    const auto len = r.be8();
    if (!len || *len < 2) return false;
    const auto body = r.bytes(*len - 2u);
    if (!body) return false;
    const std::uint8_t* b = body->data();
    switch (*kind) {
      case kOptMss:
        if (*len != 4) return false;
        out.mss = decoders::load_be16(b);
        out.has_mss = true;
        break;
      case kOptWindowScale:
        if (*len != 3) return false;
        out.window_scale = b[0];
        out.has_window_scale = true;
        break;
      case kOptSackPermitted:
        if (*len != 2) return false;
        out.sack_permitted = true;
        break;
      case kOptTimestamps:
        if (*len != 10) return false;
        out.ts_value = decoders::load_be32(b);
        out.ts_echo = decoders::load_be32(b + 4);
        out.has_timestamps = true;
        break;
      default:
        break;  // SACK blocks, TFO, MD5, ...: framing checked, content unused
    }
  }
  return true;
}

}  // namespace

DecodeError decode_tcp(std::span<const std::uint8_t> l4, PacketLayers& out, std::size_t base_offset) noexcept {
  if (l4.size() < kTcpMinHeaderBytes) return DecodeError::kTcpTruncated;
  const std::uint8_t* p = l4.data();
  out.l4 = L4::kTcp;
  out.l4_offset = static_cast<std::uint16_t>(base_offset);
  out.src_port = decoders::load_be16(p);
  out.dst_port = decoders::load_be16(p + 2);
  out.tcp_seq = decoders::load_be32(p + 4);
  out.tcp_ack = decoders::load_be32(p + 8);
  out.tcp_flags = p[13];
  out.tcp_window = decoders::load_be16(p + 14);

  const std::size_t header_len = static_cast<std::size_t>(p[12] >> 4) * 4;
  if (header_len < kTcpMinHeaderBytes || header_len > l4.size()) return DecodeError::kTcpBadDataOffset;
  detail::set_payload(out, base_offset + header_len, l4.size() - header_len);
  if (header_len > kTcpMinHeaderBytes &&
      !parse_options(l4.subspan(kTcpMinHeaderBytes, header_len - kTcpMinHeaderBytes), out.tcp_options)) {
    return DecodeError::kTcpBadOptions;
  }
  return DecodeError::kNone;
}

}  // namespace segward::net
