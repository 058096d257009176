#include "mgmt/event_outputs.h"

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <unistd.h>

#include <array>

namespace segward::mgmt {
namespace {

constexpr std::array<const char*, 24> kFacilities = {
    "kern",   "user",   "mail",   "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "authpriv", "ftp",  "ntp",    "audit",  "alert",  "clock",
    "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};

// RFC 5424 severity: alerts by their severity (1 high -> critical), all
// else informational.
int syslog_severity(const events::Event& e) {
  if (e.event_type() != "alert") return 6;
  switch (e.alert().severity()) {
    case 1: return 2;
    case 2: return 3;
    default: return 4;
  }
}

// EVE's 2026-11-24T11:31:09.123456+0000 as RFC 3339 (RFC 5424 wants a
// colon in the offset, or Z).
std::string rfc3339(const std::string& eve) {
  if (eve.size() >= 5 && eve.compare(eve.size() - 5, 5, "+0000") == 0) return eve.substr(0, eve.size() - 5) + "Z";
  return eve.empty() ? "-" : eve;
}

// PRINTUSASCII without spaces, at most `max` characters (RFC 5424 header fields).
std::string header_field(const std::string& s, std::size_t max) {
  std::string out;
  for (const char c : s) {
    if (out.size() == max) break;
    if (c > 32 && c < 127) out += c;
  }
  return out.empty() ? "-" : out;
}

bool wanted(const std::set<std::string>& types, const events::Event& e) {
  return types.empty() || types.count(e.event_type()) != 0;
}

}  // namespace

int syslog_facility(const std::string& name) {
  for (std::size_t i = 0; i < kFacilities.size(); ++i) {
    if (name == kFacilities[i]) return static_cast<int>(i);
  }
  return -1;
}

std::string format_syslog(const events::Event& e, std::string_view json, std::uint8_t facility,
                          const std::string& hostname, const std::string& app_name, int pid) {
  std::string m = "<" + std::to_string(facility * 8 + syslog_severity(e)) + ">1 ";
  m += rfc3339(e.timestamp());
  m += ' ';
  m += header_field(hostname, 255);
  m += ' ';
  m += header_field(app_name, 48);
  m += ' ';
  m += std::to_string(pid);
  m += ' ';
  m += header_field(e.event_type(), 32);
  m += " - ";
  m += json;
  return m;
}

EventOutputs::EventOutputs(const SyslogConfig& syslog, const ProtobufOutputConfig& protobuf)
    : syslog_config_(syslog), pb_config_(protobuf), pid_(static_cast<int>(::getpid())) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) hostname_ = host;
  if (syslog.enabled) syslog_ = std::make_unique<EventSocket>(syslog.address, "syslog output");
  if (protobuf.enabled) {
    if (!protobuf.path.empty()) {
      pb_file_ = std::make_unique<OutputFile>(protobuf.path, protobuf.rotation, "protobuf output");
    } else {
      pb_socket_ = std::make_unique<EventSocket>(protobuf.address, "protobuf output");
    }
  }
}

EventOutputs::~EventOutputs() { flush(); }

void EventOutputs::write(const events::Event& e, std::string_view json, std::uint64_t now_ns) {
  if (syslog_ != nullptr && wanted(syslog_config_.events, e)) {
    buffer_ = format_syslog(e, json, syslog_config_.facility, hostname_, syslog_config_.app_name, pid_);
    // Over a stream, RFC 6587 octet counting: "LENGTH SP MESSAGE".
    if (syslog_->stream()) buffer_.insert(0, std::to_string(buffer_.size()) + " ");
    (void)syslog_->send(buffer_, now_ns);
  }
  if ((pb_file_ != nullptr || pb_socket_ != nullptr) && wanted(pb_config_.events, e)) {
    buffer_.clear();
    {
      // The varint length prefix, then the message (protobuf's own framing).
      google::protobuf::io::StringOutputStream out(&buffer_);
      (void)google::protobuf::util::SerializeDelimitedToZeroCopyStream(e, &out);
    }
    if (pb_file_ != nullptr) {
      if (pb_file_->write(buffer_, now_ns / 1'000'000'000ULL)) ++pb_written_;
    } else {
      (void)pb_socket_->send(buffer_, now_ns);
    }
  }
}

void EventOutputs::flush() {
  if (pb_file_ != nullptr) (void)pb_file_->flush();
}

bool EventOutputs::reopen() { return pb_file_ == nullptr || pb_file_->reopen(); }

void EventOutputs::tick(std::uint64_t now_s) {
  if (pb_file_ != nullptr) pb_file_->tick(now_s);
}

void EventOutputs::render_stats(events::Stats& out) const {
  auto add = [&out](const char* name, std::uint64_t sent, std::uint64_t dropped) {
    events::OutputStats& o = *out.add_outputs();
    o.set_name(name);
    o.set_sent(sent);
    o.set_dropped(dropped);
  };
  if (syslog_ != nullptr) add("syslog", syslog_->sent(), syslog_->dropped());
  if (pb_file_ != nullptr) add("protobuf", pb_written_, pb_file_->write_errors());
  if (pb_socket_ != nullptr) add("protobuf", pb_socket_->sent(), pb_socket_->dropped());
}

}  // namespace segward::mgmt
