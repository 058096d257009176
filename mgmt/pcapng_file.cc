#include "mgmt/pcapng_file.h"

#include <string>

namespace segward::mgmt::pcapng {
namespace {

constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
constexpr std::uint32_t kInterfaceDescription = 0x00000001;
constexpr std::uint32_t kEnhancedPacket = 0x00000006;
constexpr std::uint16_t kOptEnd = 0;
constexpr std::uint16_t kOptComment = 1;
constexpr std::uint16_t kShbUserAppl = 4;
constexpr std::uint16_t kIfName = 2;
constexpr std::uint16_t kIfTsresol = 9;

// One block in host byte order (the section's byte-order magic tells readers which).
class Block {
 public:
  explicit Block(std::uint32_t type) {
    u32(type);
    u32(0);  // total length, set by write()
  }
  void u16(std::uint16_t v) { raw(&v, sizeof v); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void bytes(const void* p, std::size_t n) {
    raw(p, n);
    pad();
  }
  void option(std::uint16_t code, std::string_view value) {
    if (value.empty()) return;
    u16(code);
    u16(static_cast<std::uint16_t>(value.size()));
    bytes(value.data(), value.size());
  }
  void end_options() {
    u16(kOptEnd);
    u16(0);
  }
  bool write(std::FILE* out) {
    const auto total = static_cast<std::uint32_t>(data_.size() + 4);
    u32(total);
    data_.replace(4, 4, reinterpret_cast<const char*>(&total), 4);
    return std::fwrite(data_.data(), 1, data_.size(), out) == data_.size();
  }

 private:
  void raw(const void* p, std::size_t n) { data_.append(static_cast<const char*>(p), n); }
  void pad() { data_.append((4 - data_.size() % 4) % 4, '\0'); }
  std::string data_;
};

}  // namespace

bool write_section_header(std::FILE* out, std::string_view comment, std::string_view application) {
  Block b(kSectionHeader);
  b.u32(0x1A2B3C4D);  // byte-order magic
  b.u16(1);           // version 1.0
  b.u16(0);
  b.u64(~std::uint64_t{0});  // section length: not given
  b.option(kOptComment, comment);
  b.option(kShbUserAppl, application);
  b.end_options();
  return b.write(out);
}

bool write_interface(std::FILE* out, std::uint16_t link_type, std::uint32_t snap_len, std::string_view name) {
  Block b(kInterfaceDescription);
  b.u16(link_type);
  b.u16(0);
  b.u32(snap_len);
  b.option(kIfName, name);
  const char nanoseconds = 9;  // 10^-9 s per timestamp unit
  b.option(kIfTsresol, std::string_view(&nanoseconds, 1));
  b.end_options();
  return b.write(out);
}

bool write_packet(std::FILE* out, std::uint32_t interface, std::uint64_t timestamp_ns, std::uint32_t orig_len,
                  std::span<const std::uint8_t> captured, std::string_view comment) {
  Block b(kEnhancedPacket);
  b.u32(interface);
  b.u32(static_cast<std::uint32_t>(timestamp_ns >> 32));
  b.u32(static_cast<std::uint32_t>(timestamp_ns));
  b.u32(static_cast<std::uint32_t>(captured.size()));
  b.u32(orig_len);
  b.bytes(captured.data(), captured.size());
  if (!comment.empty()) {
    b.option(kOptComment, comment);
    b.end_options();
  }
  return b.write(out);
}

}  // namespace segward::mgmt::pcapng
