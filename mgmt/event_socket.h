#pragma once
// A management-thread client socket for event outputs (syslog, the protobuf
// stream): UDP, TCP or a Unix stream socket, connected lazily and again
// after a failure (at most every `kRetryNs`). Sends never block the
// management thread: what the peer cannot take now is dropped and counted,
// as the dataplane counts what the management thread cannot take.
#include <cstdint>
#include <string>
#include <string_view>

namespace segward::mgmt {

struct SocketAddress {
  enum class Kind { kUdp, kTcp, kUnix } kind = Kind::kUdp;
  std::string host;   // udp/tcp
  std::uint16_t port = 0;
  std::string path;   // unix
};

// "udp://HOST:PORT", "tcp://HOST:PORT", "unix:/PATH" ([v6] hosts in brackets).
// Returns false with `error` set when the text is none of these.
bool parse_socket_address(const std::string& text, SocketAddress& out, std::string& error);

class EventSocket {
 public:
  static constexpr std::uint64_t kRetryNs = 2'000'000'000ULL;

  EventSocket(SocketAddress address, std::string what);
  ~EventSocket();
  EventSocket(const EventSocket&) = delete;
  EventSocket& operator=(const EventSocket&) = delete;

  // One datagram (UDP) or a run of stream bytes (TCP/Unix; a record is sent
  // whole or not at all, so the stream stays framed). False: dropped.
  bool send(std::string_view record, std::uint64_t now_ns);

  [[nodiscard]] std::uint64_t sent() const { return sent_; }
  [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
  [[nodiscard]] bool stream() const { return address_.kind != SocketAddress::Kind::kUdp; }

 private:
  bool connect(std::uint64_t now_ns);
  void disconnect(const std::string& why);

  SocketAddress address_;
  std::string what_;
  int fd_ = -1;
  std::uint64_t next_try_ns_ = 0;
  std::string pending_;  // the unsent tail of a stream record the kernel took part of
  std::uint64_t sent_ = 0, dropped_ = 0;
};

}  // namespace segward::mgmt
