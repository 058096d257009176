#include "decoders/mesos_api/endpoints.h"

#include <array>

namespace segward::mesos {
namespace {

using C = EndpointClass;
using K = MesosKind;
using A = ApiFamily;
using B = LegacyBody;
using S = RouteScope;

constexpr C kUn = C::kUnclassified;
constexpr C kRd = C::kRead;
constexpr C kMu = C::kMutating;
constexpr C kSe = C::kSecretLeaking;

// The README's table, row for row. v1 API rows have no class of their own:
// their class is the call type's.
constexpr RouteRow kRoutes[] = {
    // master (`/master/...`, or bare on a master)
    {S::kMaster, "", "", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, true},
    {S::kMaster, "", "api/v1", K::kApi, A::kMasterOperator, kUn, kUn, B::kNone, true, false},
    {S::kMaster, "", "api/v1/scheduler", K::kApi, A::kScheduler, kUn, kUn, B::kNone, true, false},
    {S::kMaster, "", "teardown", K::kLegacy, A::kNone, kMu, kMu, B::kFrameworkIdForm, true, false},
    {S::kMaster, "", "machine/down", K::kLegacy, A::kNone, kMu, kMu, B::kJson, true, false},
    {S::kMaster, "", "machine/up", K::kLegacy, A::kNone, kMu, kMu, B::kJson, true, false},
    {S::kMaster, "", "maintenance/schedule", K::kLegacy, A::kNone, kRd, kMu, B::kJson, true, false},
    {S::kMaster, "", "maintenance/status", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kMaster, "", "quota", K::kLegacy, A::kNone, kRd, kMu, B::kJson, false, false},
    {S::kMaster, "", "weights", K::kLegacy, A::kNone, kRd, kMu, B::kJson, false, false},
    {S::kMaster, "", "reserve", K::kLegacy, A::kNone, kMu, kMu, B::kAgentIdForm, true, false},
    {S::kMaster, "", "unreserve", K::kLegacy, A::kNone, kMu, kMu, B::kAgentIdForm, true, false},
    {S::kMaster, "", "create-volumes", K::kLegacy, A::kNone, kMu, kMu, B::kAgentIdForm, true, false},
    {S::kMaster, "", "destroy-volumes", K::kLegacy, A::kNone, kMu, kMu, B::kAgentIdForm, true, false},
    {S::kMaster, "", "flags", K::kLegacy, A::kNone, kSe, kSe, B::kNone, false, false},
    {S::kMaster, "", "state", K::kLegacy, A::kNone, kSe, kSe, B::kNone, false, false},
    {S::kMaster, "", "state.json", K::kLegacy, A::kNone, kSe, kSe, B::kNone, true, false},
    {S::kMaster, "", "state-summary", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kMaster, "", "frameworks", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    {S::kMaster, "", "slaves", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kMaster, "", "tasks", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    {S::kMaster, "", "tasks.json", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kMaster, "", "roles", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    {S::kMaster, "", "roles.json", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kMaster, "", "health", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    {S::kMaster, "", "redirect", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    {S::kMaster, "", "static", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    // agent (`/slave(N)/...`, or bare on port 5051)
    {S::kAgent, "", "", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, true},
    {S::kAgent, "", "api/v1", K::kApi, A::kAgentOperator, kUn, kUn, B::kNone, true, false},
    {S::kAgent, "", "api/v1/executor", K::kApi, A::kExecutor, kUn, kUn, B::kNone, true, false},
    {S::kAgent, "", "api/v1/resource_provider", K::kApi, A::kResourceProvider, kMu, kMu, B::kNone, true, false},
    {S::kAgent, "", "state", K::kLegacy, A::kNone, kSe, kSe, B::kNone, false, false},
    {S::kAgent, "", "state.json", K::kLegacy, A::kNone, kSe, kSe, B::kNone, true, false},
    {S::kAgent, "", "flags", K::kLegacy, A::kNone, kSe, kSe, B::kNone, false, false},
    {S::kAgent, "", "monitor/statistics", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kAgent, "", "monitor/statistics.json", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kAgent, "", "containers", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    {S::kAgent, "", "containerizer/debug", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kAgent, "", "health", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
    // libprocess actors present in every Mesos process
    {S::kGlobal, "files", "browse", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kGlobal, "files", "browse.json", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kGlobal, "files", "read", K::kLegacy, A::kNone, kSe, kSe, B::kNone, true, false},
    {S::kGlobal, "files", "read.json", K::kLegacy, A::kNone, kSe, kSe, B::kNone, true, false},
    {S::kGlobal, "files", "download", K::kLegacy, A::kNone, kSe, kSe, B::kNone, true, false},
    {S::kGlobal, "files", "download.json", K::kLegacy, A::kNone, kSe, kSe, B::kNone, true, false},
    {S::kGlobal, "files", "debug", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kGlobal, "files", "debug.json", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kGlobal, "metrics", "snapshot", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kGlobal, "logging", "toggle", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "profiler", "start", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "profiler", "stop", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "start", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "stop", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "download/raw", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "download/text", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "download/graph", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "statistics", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "memory-profiler", "state", K::kLegacy, A::kNone, kMu, kMu, B::kNone, true, false},
    {S::kGlobal, "__processes__", "", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, true},
    {S::kGlobal, "system", "stats.json", K::kLegacy, A::kNone, kRd, kRd, B::kNone, true, false},
    {S::kGlobal, "version", "", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, true},
    {S::kGlobal, "help", "", K::kLegacy, A::kNone, kRd, kRd, B::kNone, false, false},
};

constexpr std::string_view kGlobalActors[] = {"files",           "metrics",       "logging", "profiler",
                                              "memory-profiler", "__processes__", "system",  "version",
                                              "help"};

bool is_agent_actor(std::string_view id) noexcept {
  // slave(N): the agent's libprocess delegate and its siblings.
  constexpr std::string_view kPrefix = "slave(";
  if (id.size() < kPrefix.size() + 2 || id.substr(0, kPrefix.size()) != kPrefix || id.back() != ')') return false;
  for (std::size_t i = kPrefix.size(); i + 1 < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return true;
}

bool is_global_actor(std::string_view id) noexcept {
  for (const std::string_view a : kGlobalActors) {
    if (a == id) return true;
  }
  return false;
}

// Whether `row` (a route within an actor) covers `route`, and how long the match is.
bool covers(const RouteRow& row, std::string_view route) noexcept {
  if (row.route.empty()) return row.exact ? route.empty() : true;
  if (route.size() < row.route.size() || route.substr(0, row.route.size()) != row.route) return false;
  if (route.size() == row.route.size()) return true;
  return !row.exact && route[row.route.size()] == '/';
}

const RouteRow* best_route(RouteScope scope, std::string_view actor, std::string_view route) noexcept {
  const RouteRow* best = nullptr;
  for (const RouteRow& row : kRoutes) {
    if (row.scope != scope) continue;
    if (scope == RouteScope::kGlobal && row.actor != actor) continue;
    if (!covers(row, route)) continue;
    if (best == nullptr || row.route.size() > best->route.size()) best = &row;
  }
  return best;
}

bool query_has(std::string_view query, std::string_view key) noexcept {
  std::size_t pos = 0;
  while (pos <= query.size()) {
    const std::size_t amp = query.find('&', pos);
    const std::string_view param = query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    if (param.substr(0, key.size()) == key && (param.size() == key.size() || param[key.size()] == '=')) return true;
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return false;
}

void set(std::uint32_t& flags, MesosFlag f) noexcept { flags |= static_cast<std::uint32_t>(f); }

}  // namespace

std::span<const RouteRow> route_table() noexcept { return kRoutes; }

bool percent_escapes_valid(std::string_view in) noexcept {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') continue;
    if (i + 2 >= in.size() || decoders::hex_value(static_cast<unsigned char>(in[i + 1])) < 0 || decoders::hex_value(static_cast<unsigned char>(in[i + 2])) < 0) return false;
    i += 2;
  }
  return true;
}

void match_endpoint(std::string_view target, std::string_view method, std::uint16_t server_port,
                    EndpointMatch& out) noexcept {
  out = EndpointMatch{};

  // The path: origin-form as is; absolute-form ("http://host/path") from
  // its path; anything else ("*", "master/x") has none Mesos would route.
  std::string_view path = target;
  if (target.empty() || target.front() != '/') {
    set(out.flags, MesosFlag::kTargetNotOriginForm);
    const std::size_t scheme_end = target.find("://");
    const std::size_t slash =
        scheme_end == std::string_view::npos ? std::string_view::npos : target.find('/', scheme_end + 3);
    path = slash == std::string_view::npos ? std::string_view{} : target.substr(slash);
  }
  const std::size_t fragment = path.find('#');
  if (fragment != std::string_view::npos) path = path.substr(0, fragment);
  const std::size_t question = path.find('?');
  if (question != std::string_view::npos) {
    out.query = path.substr(question + 1);
    path = path.substr(0, question);
    if (query_has(out.query, "jsonp")) set(out.flags, MesosFlag::kJsonp);
  }
  out.path = path;
  if (path.find("/..") != std::string_view::npos) set(out.flags, MesosFlag::kPathDotDot);
  if (path.empty()) return;

  // Segments; empty ones dropped (libprocess tokenizes on '/').
  std::array<std::string_view, 16> segments{};
  std::size_t count = 0;
  bool extra_segments = false;
  bool empty_segment = false;
  for (std::size_t pos = 0; pos <= path.size();) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) slash = path.size();
    const std::string_view segment = path.substr(pos, slash - pos);
    if (segment.empty()) {
      if (pos != 0 && !(pos == path.size() && count == 0)) empty_segment = true;
    } else if (count < segments.size()) {
      segments[count++] = segment;
    } else {
      extra_segments = true;
    }
    pos = slash + 1;
  }
  if (empty_segment) set(out.flags, MesosFlag::kNonCanonicalPath);

  std::string_view raw_actor = count > 0 ? segments[0] : std::string_view{};
  BoundedText<160> decoded;
  const bool decodes = percent_decode(raw_actor, decoded);
  if (!decodes) {
    set(out.flags, MesosFlag::kBadPercentEscape);
    out.actor.assign(raw_actor);
  } else {
    out.actor.assign(decoded.view());
    if (decoded.truncated) out.actor.truncated = true;
    if (decoded.view() != raw_actor) set(out.flags, MesosFlag::kNonCanonicalPath);
  }
  for (std::size_t i = 1; i < count; ++i) {
    if (!percent_escapes_valid(segments[i])) set(out.flags, MesosFlag::kBadPercentEscape);
  }

  // Actor and route.
  const std::string_view actor = out.actor.view();
  RouteScope scope = RouteScope::kMaster;
  bool explicit_actor = true;
  std::size_t first_route_segment = 1;
  if (count > 0 && decodes && actor == "master") {
    scope = RouteScope::kMaster;
  } else if (count > 0 && decodes && is_agent_actor(actor)) {
    scope = RouteScope::kAgent;
  } else if (count > 0 && decodes && is_global_actor(actor)) {
    scope = RouteScope::kGlobal;
  } else {
    explicit_actor = false;  // delegated: the whole (undecoded) path is the route
    first_route_segment = 0;
  }

  BoundedText<512> route;
  for (std::size_t i = first_route_segment; i < count; ++i) {
    if (i > first_route_segment) route.append("/");
    route.append(segments[i]);
  }

  const RouteRow* row = nullptr;
  if (explicit_actor) {
    row = best_route(scope, actor, route.view());
  } else {
    const RouteRow* master = best_route(RouteScope::kMaster, {}, route.view());
    const RouteRow* agent = best_route(RouteScope::kAgent, {}, route.view());
    const bool on_agent = server_port == 5051;
    if (master == nullptr) row = agent;
    else if (agent == nullptr) row = master;
    else if (master->route.size() != agent->route.size()) row = master->route.size() > agent->route.size() ? master : agent;
    else row = on_agent ? agent : master;
  }

  out.endpoint.assign("/");
  if (explicit_actor) out.endpoint.append(actor);
  if (row != nullptr) {
    out.known = true;
    out.kind = row->kind;
    out.api = row->api;
    const bool reads = method == "GET" || method == "HEAD";
    out.cls = reads ? row->on_get : row->on_other;
    out.body = row->body;
    out.mesos_specific = row->specific || (explicit_actor && scope != RouteScope::kGlobal);
    if (!row->route.empty()) {
      if (explicit_actor) out.endpoint.append("/");
      out.endpoint.append(row->route);
    }
    if (route.size != row->route.size() || extra_segments) set(out.flags, MesosFlag::kNonCanonicalPath);
  } else {
    out.mesos_specific = explicit_actor && scope != RouteScope::kGlobal;
    out.known = out.mesos_specific;  // /master/<unknown>: still a Mesos endpoint, unclassified
    if (route.size > 0) {
      if (explicit_actor) out.endpoint.append("/");
      out.endpoint.append(route.view());
    }
    if (route.truncated || extra_segments) out.endpoint.truncated = true;
  }
}

}  // namespace segward::mesos
