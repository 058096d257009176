#pragma once
// The event outputs besides EVE: syslog (RFC 5424, over UDP, or TCP with
// RFC 6587 octet counting) carrying each event's EVE JSON as its message,
// and a stream of length-delimited events.Event protobufs (a varint length,
// then the message: protobuf's writeDelimitedTo framing) to a file or a
// socket. Each takes a set of event types. Management thread only.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mgmt/event_socket.h"
#include "mgmt/output_file.h"
#include "mgmt/proto/events.pb.h"

namespace segward::mgmt {

struct SyslogConfig {
  bool enabled = false;
  SocketAddress address;          // outputs.syslog.address
  std::uint8_t facility = 16;     // local0
  std::string app_name = "segward";
  std::set<std::string> events = {"alert"};  // event types; empty: all
};

struct ProtobufOutputConfig {
  bool enabled = false;
  std::string path;               // a file (rotated like EVE), or
  SocketAddress address;          // a socket when path is empty
  RotationPolicy rotation;
  std::set<std::string> events;   // empty: all
};

// "kern".."local7" -> facility number; -1 when unknown.
int syslog_facility(const std::string& name);

// One RFC 5424 message (without transport framing). `json` is the event's
// EVE line (no newline).
std::string format_syslog(const events::Event& event, std::string_view json, std::uint8_t facility,
                          const std::string& hostname, const std::string& app_name, int pid);

class EventOutputs {
 public:
  EventOutputs(const SyslogConfig& syslog, const ProtobufOutputConfig& protobuf);
  ~EventOutputs();

  [[nodiscard]] bool any() const { return syslog_ != nullptr || pb_file_ != nullptr || pb_socket_ != nullptr; }
  // `json`: the EVE line the event was rendered to (no newline).
  void write(const events::Event& event, std::string_view json, std::uint64_t now_ns);
  void flush();
  bool reopen();  // SIGHUP: the protobuf file
  void tick(std::uint64_t now_s);
  // stats.outputs: sent and dropped per output ("syslog", "protobuf").
  void render_stats(events::Stats& out) const;

 private:
  SyslogConfig syslog_config_;
  ProtobufOutputConfig pb_config_;
  std::unique_ptr<EventSocket> syslog_;
  std::unique_ptr<OutputFile> pb_file_;
  std::unique_ptr<EventSocket> pb_socket_;
  std::uint64_t pb_written_ = 0;
  std::string hostname_;
  int pid_ = 0;
  std::string buffer_;
};

}  // namespace segward::mgmt
