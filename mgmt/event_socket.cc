#include "mgmt/event_socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "platform/log.h"

namespace segward::mgmt {

bool parse_socket_address(const std::string& text, SocketAddress& out, std::string& error) {
  auto host_port = [&](std::string rest) {
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon + 1 == rest.size()) {
      error = "expected HOST:PORT after the scheme, got '" + rest + "'";
      return false;
    }
    std::string host = rest.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port = rest.substr(colon + 1);
    if (host.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(port) == 0 || std::stoul(port) > 65535) {
      error = "expected HOST:PORT with a port 1-65535, got '" + rest + "'";
      return false;
    }
    out.host = host;
    out.port = static_cast<std::uint16_t>(std::stoul(port));
    return true;
  };
  if (text.rfind("udp://", 0) == 0) {
    out.kind = SocketAddress::Kind::kUdp;
    return host_port(text.substr(6));
  }
  if (text.rfind("tcp://", 0) == 0) {
    out.kind = SocketAddress::Kind::kTcp;
    return host_port(text.substr(6));
  }
  if (text.rfind("unix:", 0) == 0 && text.size() > 5) {
    out.kind = SocketAddress::Kind::kUnix;
    out.path = text.substr(5);
    if (out.path.size() >= sizeof(sockaddr_un::sun_path)) {
      error = "the socket path is too long";
      return false;
    }
    return true;
  }
  error = "expected udp://HOST:PORT, tcp://HOST:PORT or unix:/PATH, got '" + text + "'";
  return false;
}

EventSocket::EventSocket(SocketAddress address, std::string what)
    : address_(std::move(address)), what_(std::move(what)) {}

EventSocket::~EventSocket() {
  if (fd_ >= 0) ::close(fd_);
}

void EventSocket::disconnect(const std::string& why) {
  platform::log_warning(what_ + ": " + why + "; reconnecting in " + std::to_string(kRetryNs / 1'000'000'000ULL) +
                        " s, dropping (and counting) events meanwhile");
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pending_.clear();
}

bool EventSocket::connect(std::uint64_t now_ns) {
  if (now_ns < next_try_ns_) return false;
  next_try_ns_ = now_ns + kRetryNs;
  int fd = -1;
  if (address_.kind == SocketAddress::Kind::kUnix) {
    fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, address_.path.data(), address_.path.size());
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      platform::log_warning(what_ + ": cannot connect to unix:" + address_.path + ": " + std::strerror(errno));
      ::close(fd);
      return false;
    }
  } else {
    addrinfo hints{};
    hints.ai_socktype = address_.kind == SocketAddress::Kind::kUdp ? SOCK_DGRAM : SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(address_.host.c_str(), std::to_string(address_.port).c_str(), &hints, &found);
        rc != 0) {
      platform::log_warning(what_ + ": cannot resolve " + address_.host + ": " + gai_strerror(rc));
      return false;
    }
    fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
    // A connect that hangs must not stall the management thread: connect
    // non-blocking and give it at most 200 ms.
    bool ok = fd >= 0 && ::fcntl(fd, F_SETFL, O_NONBLOCK) == 0;
    if (ok && ::connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
      ok = errno == EINPROGRESS;
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      ok = ok && ::poll(&p, 1, 200) == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
      if (!ok) errno = err != 0 ? err : ETIMEDOUT;
    }
    ::freeaddrinfo(found);
    if (!ok) {
      platform::log_warning(what_ + ": cannot connect to " + address_.host + ":" + std::to_string(address_.port) +
                            ": " + std::strerror(errno));
      if (fd >= 0) ::close(fd);
      return false;
    }
  }
  if (fd < 0) return false;
  (void)::fcntl(fd, F_SETFL, O_NONBLOCK);
  fd_ = fd;
  return true;
}

bool EventSocket::send(std::string_view record, std::uint64_t now_ns) {
  if (fd_ < 0 && !connect(now_ns)) {
    ++dropped_;
    return false;
  }
  // A stream record the kernel took part of last time goes first.
  while (!pending_.empty()) {
    const ssize_t n = ::send(fd_, pending_.data(), pending_.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        ++dropped_;
        return false;
      }
      disconnect(std::string("send failed: ") + std::strerror(errno));
      ++dropped_;
      return false;
    }
    pending_.erase(0, static_cast<std::size_t>(n));
  }
  const ssize_t n = ::send(fd_, record.data(), record.size(), MSG_NOSIGNAL);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) disconnect(std::string("send failed: ") + std::strerror(errno));
    ++dropped_;
    return false;
  }
  if (static_cast<std::size_t>(n) < record.size()) pending_.assign(record.substr(static_cast<std::size_t>(n)));
  ++sent_;
  return true;
}

}  // namespace segward::mgmt
