// Fuzz target: one HTTP request through the Mesos entry points
// (note_request_header, route_request, decode_request). Input layout, so
// corpus seeds stay readable:
//   byte 0      options: bit 0 body complete, bits 1-2 server port
//               (5050, 5051, 8080, 31000), bit 3 IPv6 (v4-mapped) source
//   bytes 1-4   the source IPv4 address
//   then        "METHOD TARGET\n", header lines "Name: value\n", "\n", body
// Checks: no crash, no read outside the input (ASan), every text field
// within its capacity, stable enum names, the same result twice, and
// Authorization credentials never copied: with and without the header the
// head and the event are byte-identical but for the scheme.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/mesos_request.h"

namespace {

using namespace segward::mesos;

void check(bool invariant) {
  if (!invariant) std::abort();
}

template <std::size_t N>
void check_text(const BoundedText<N>& t) {
  check(t.size <= N);
}

void check_event(const MesosEvent& e) {
  check(mesos_kind_name(e.kind) != "unknown");
  check(api_family_name(e.api) != "unknown");
  check(endpoint_class_name(e.endpoint_class) != "unknown");
  check(auth_scheme_name(e.auth_scheme) != "unknown");
  check(pid_check_name(e.pid_check) != "unknown");
  check(body_encoding_name(e.body_encoding) != "unknown");
  check(decode_status_name(e.status) != "unknown");
  check((e.flags >> kMesosFlagCount) == 0);
  check_text(e.message);
  check_text(e.call);
  check_text(e.endpoint);
  check_text(e.receiver);
  check_text(e.from_pid);
  check_text(e.detail);
  check_text(e.http.uri);
  check_text(e.framework.name);
  check_text(e.framework.roles);
  check_text(e.task.command);
  check_text(e.task.image);
  check_text(e.agent.hostname);
  if (e.kind != MesosKind::kLibprocess) check(e.pid_check == PidCheck::kNotApplicable);
}

bool same(const MesosEvent& a, const MesosEvent& b) {
  return a.kind == b.kind && a.api == b.api && a.status == b.status && a.endpoint_class == b.endpoint_class &&
         a.flags == b.flags && a.call.view() == b.call.view() && a.detail.view() == b.detail.view() &&
         a.framework.name.view() == b.framework.name.view() && a.task.command.view() == b.task.command.view() &&
         a.task.count == b.task.count && a.agent.cpus == b.agent.cpus && a.endpoint.view() == b.endpoint.view();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5) return 0;
  const std::uint8_t options = data[0];
  const bool body_complete = (options & 1) != 0;
  static constexpr std::uint16_t kPorts[] = {5050, 5051, 8080, 31000};
  const std::uint16_t port = kPorts[(options >> 1) & 3];
  segward::net::IpAddress source = segward::net::IpAddress::v4_from(data[1], data[2], data[3], data[4]);
  if ((options & 8) != 0) {
    source = segward::net::IpAddress::v6_from(
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, data[1], data[2], data[3], data[4]});
  }
  const std::string_view input(reinterpret_cast<const char*>(data + 5), size - 5);

  MesosRequestHead head;
  head.reset();
  MesosRequestHead anonymous;  // the same head without Authorization
  std::size_t pos = input.find('\n');
  const std::string_view request_line = input.substr(0, pos);
  const std::size_t space = request_line.find(' ');
  const std::string_view method = request_line.substr(0, space);
  const std::string_view target = space == std::string_view::npos ? std::string_view{} : request_line.substr(space + 1);
  set_request_line(method, target, 1, head);
  anonymous.reset();
  set_request_line(method, target, 1, anonymous);
  std::string_view rest = pos == std::string_view::npos ? std::string_view{} : input.substr(pos + 1);
  while (!rest.empty()) {
    const std::size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    note_request_header(name, value, head);
    const bool is_authorization = name.size() == 13 && (name[0] | 0x20) == 'a' && [&] {
      constexpr std::string_view kName = "authorization";
      for (std::size_t i = 0; i < kName.size(); ++i) {
        if ((name[i] | 0x20) != kName[i]) return false;
      }
      return true;
    }();
    if (!is_authorization) note_request_header(name, value, anonymous);
  }
  const std::span<const std::uint8_t> body(reinterpret_cast<const std::uint8_t*>(rest.data()), rest.size());

  const RequestRoute route = route_request(head, port);
  check(!route.wants_body || route.is_mesos);
  MesosEvent event;  // decode_request resets it whole
  decode_request(head, route, body, body_complete, source, event);
  check_event(event);
  if (!route.is_mesos) check(event.status == DecodeStatus::kOk && event.framework.name.empty());

  // A pure function of its input: a dirty struct gives the same answer.
  MesosEvent again = event;
  again.detail.assign("dirty");
  again.task.count = 999;
  decode_request(head, route, body, body_complete, source, again);
  check(same(event, again));

  // Credentials are never copied: without the Authorization header (but
  // with its scheme), the head and the event are the same, byte for byte.
  anonymous.auth = head.auth;
  auto bytes_of = [](const auto& value) {
    return std::string_view(reinterpret_cast<const char*>(&value), sizeof(value));
  };
  check(bytes_of(head) == bytes_of(anonymous));
  MesosEvent reference;
  decode_request(anonymous, route_request(anonymous, port), body, body_complete, source, reference);
  check(bytes_of(event) == bytes_of(reference));
  return 0;
}
