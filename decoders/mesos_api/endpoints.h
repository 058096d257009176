#pragma once
// Which Mesos endpoint an HTTP request target reaches, and how the README's
// table classifies it. The normalisation mirrors libprocess's routing
// (process.cpp ProcessManager::handle, ProcessBase::consume):
//
//  - the query ('?...') and any fragment are not part of the path;
//  - the path is split on '/', empty segments dropped;
//  - the first segment is the actor id, percent-decoded ('+' is a space,
//    as http::decode); a bad escape leaves it undecoded (and flags it);
//  - an unknown actor id means the delegate's route: on a master `/state`
//    is `/master/state`; on an agent (port 5051) `/slave(1)/state`. When
//    only one of the two has the route (`/api/v1/executor`), that one;
//  - the rest is not decoded and matches a route by longest prefix on
//    segment boundaries: `/master/state/x/` reaches `/master/state`.
//
// The normalised endpoint keeps the actor as sent (decoded): `/%6Daster/state/`
// becomes `/master/state`, `/state` stays `/state`.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/common/ascii.h"

#include "decoders/libprocess/mesos_event.h"

namespace segward::mesos {

// What a legacy endpoint's body carries that segward reads.
enum class LegacyBody : std::uint8_t {
  kNone,
  kFrameworkIdForm,  // /master/teardown: frameworkId=<id>
  kAgentIdForm,      // /master/reserve, /unreserve, /create-volumes, /destroy-volumes: slaveId=<id>
  kJson,             // JSON bodies (/machine/down, /quota, ...): scanned for CVE shapes only
};

struct EndpointMatch {
  MesosKind kind = MesosKind::kLegacy;  // kApi for the v1 API routes
  ApiFamily api = ApiFamily::kNone;
  EndpointClass cls = EndpointClass::kUnclassified;
  LegacyBody body = LegacyBody::kNone;
  bool known = false;           // a Mesos route matched
  bool mesos_specific = false;  // the path names a Mesos actor or a route no generic web server has
  std::uint32_t flags = 0;      // MesosFlag bits of the target
  BoundedText<160> endpoint;    // the normalised path
  BoundedText<160> actor;       // the first segment, decoded (undecoded if its escape is bad)
  std::string_view path;        // the target's path (a view into the target): no query
  std::string_view query;       // after '?', without it
};

/// Classifies one request target. `method` decides the class of endpoints
/// that read on GET and mutate otherwise (/quota, /weights, /maintenance/schedule).
void match_endpoint(std::string_view target, std::string_view method, std::uint16_t server_port,
                    EndpointMatch& out) noexcept;

/// libprocess's http::decode: "%XX" to a byte, '+' to a space. Appends to
/// `out`; false (with what came before the bad escape appended) on a '%'
/// not followed by two hex digits.
template <std::size_t N>
bool percent_decode(std::string_view in, BoundedText<N>& out) noexcept;

/// True when every '%' in `in` starts a valid escape.
[[nodiscard]] bool percent_escapes_valid(std::string_view in) noexcept;

// One row of the README's endpoint table (exposed for the README test).
enum class RouteScope : std::uint8_t { kMaster, kAgent, kGlobal };
struct RouteRow {
  RouteScope scope;
  std::string_view actor;  // kGlobal: the actor id ("files"); kMaster/kAgent: empty
  std::string_view route;  // within the actor, no leading '/'; "" = the actor itself
  MesosKind kind;
  ApiFamily api;
  EndpointClass on_get;    // GET and HEAD
  EndpointClass on_other;  // any other method
  LegacyBody body;
  bool specific;           // counts as Mesos traffic on any port
  bool exact;              // matches only itself, not longer paths
};
[[nodiscard]] std::span<const RouteRow> route_table() noexcept;

// ---- implementation ----------------------------------------------------------

template <std::size_t N>
bool percent_decode(std::string_view in, BoundedText<N>& out) noexcept {
  std::size_t run = 0;  // start of the current run of plain bytes
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c != '%' && c != '+') continue;
    out.append(in.substr(run, i - run));
    if (c == '+') {
      out.append(" ");
      run = i + 1;
      continue;
    }
    if (i + 2 >= in.size()) return false;
    const int hi = decoders::hex_value(static_cast<unsigned char>(in[i + 1]));
    const int lo = decoders::hex_value(static_cast<unsigned char>(in[i + 2]));
    if (hi < 0 || lo < 0) return false;
    const char byte = static_cast<char>(hi * 16 + lo);
    out.append(std::string_view(&byte, 1));
    i += 2;
    run = i + 1;
  }
  out.append(in.substr(run));
  return true;
}

}  // namespace segward::mesos
