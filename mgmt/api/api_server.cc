#include "mgmt/api/api_server.h"

#include <fcntl.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <regex>
#include <thread>
#include <type_traits>

#include <httplib.h>

#include "mgmt/api/alert_stream.h"
#include "mgmt/api/http_json.h"
#include "mgmt/api/metrics.h"
#include "mgmt/api/query_params.h"
#include "mgmt/api/token_store.h"
#include "platform/log.h"
#include "platform/startup_error.h"

namespace segward::api {
namespace {

using httplib::Request;
using httplib::Response;

constexpr std::size_t kMaxBody = 1 << 20;  // a policy is a few KiB; this bounds what a client makes us hold
constexpr std::size_t kMaxDrain = 16 << 20;
// Streams hold a pool thread each for their lifetime: capped, and the pool
// has room for this many streams plus kRequestThreads others.
constexpr std::uint64_t kMaxStreams = 16;
constexpr std::size_t kRequestThreads = 8;
// Idle keep-alive connections also hold a thread, and delay stop() by as much.
constexpr time_t kKeepAliveSeconds = 2;

std::string host_port(const std::string& host, int port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

// A path as documented ("/api/v1/evidence/{alert_id}.pcapng") as the regex
// httplib routes by: literal text, each {name} one path segment.
std::string path_regex(const std::string& path) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "([^/]+?)";
    } else {
      if (std::strchr(".^$|()[]*+?\\", path[i]) != nullptr) out += '\\';
      out += path[i];
    }
  }
  return out;
}

std::string_view role_text(Role role) { return role == Role::none ? "none" : role_name(role); }

void reply_json(Response& res, int status, const std::string& json) {
  res.status = status;
  res.set_content(json, "application/json");
}

void reply_error(Response& res, int status, std::string_view message, std::string_view error = {}) {
  reply_json(res, status, error_json(status, message, error));
}

// The bearer token of a request, "" when there is none.
std::string bearer_token(const Request& req) {
  const std::string value = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i]) return {};
  }
  const std::size_t start = value.find_first_not_of(' ', scheme.size());
  if (start == std::string::npos) return {};
  return value.substr(start, value.find_last_not_of(' ') + 1 - start);
}

bool has_body(const Request& req) {
  return req.has_header("Transfer-Encoding") || req.get_header_value<std::uint64_t>("Content-Length") > 0;
}

}  // namespace

struct ApiServer::Impl {
  using Serve = void (Impl::*)(const Request&, Response&, const std::string& body);
  struct Endpoint {
    std::string method, path;
    Role role;
    Serve serve;
  };
  // The routes of the API listener, in the order of the OpenAPI document.
  static const std::vector<Endpoint>& endpoints();
  // The metrics listener's: no tokens (a management network's Prometheus).
  static const std::vector<Endpoint>& metrics_endpoints();

  Impl(const ApiConfig& c, ApiState& s, ApiHandlers h)
      : config(c), state(s), handlers(std::move(h)), tokens(TokenStore::load(c.tokens_path)) {}

  ApiConfig config;
  ApiState& state;
  ApiHandlers handlers;
  TokenStore tokens;
  struct Listener {
    std::unique_ptr<httplib::Server> server;
    std::thread thread;
    int port = 0;
  };
  Listener api, metrics;

  std::unique_ptr<httplib::Server> make_api_server() const;
  void configure(httplib::Server& server, const std::vector<Endpoint>& routes, std::size_t threads);
  void listen(Listener& l, const ListenAddress& at, const std::string& scheme, const std::string& what);
  void dispatch(const Endpoint& e, const Request& req, Response& res, const std::string& body);
  bool authorize(const Endpoint& e, const Request& req, Response& res);
  void count(int status);

  // Runs a handler on the management thread; copies, so that a timed-out
  // call abandoned by this thread can still run safely.
  template <class R, class... Args>
  R on_mgmt(const std::function<R(Args...)>& handler, std::type_identity_t<Args>... args) {
    return state.call<R>([handler, args...]() { return handler(args...); });
  }
  template <class F>
  static const F& need(const F& handler, const char* why) {
    if (!handler) throw HttpError(404, why);
    return handler;
  }

  // Routes.
  void healthz(const Request&, Response&, const std::string&);
  void status(const Request&, Response&, const std::string&);
  void stats(const Request&, Response&, const std::string&);
  void flows(const Request&, Response&, const std::string&);
  void alerts(const Request&, Response&, const std::string&);
  void alert_stream(const Request&, Response&, const std::string&);
  void evidence(const Request&, Response&, const std::string&);
  void get_policy(const Request&, Response&, const std::string&);
  void put_policy(const Request&, Response&, const std::string&);
  void validate_policy(const Request&, Response&, const std::string&);
  void reload_policy(const Request&, Response&, const std::string&);
  void reload_rules(const Request&, Response&, const std::string&);
  void learn_start(const Request&, Response&, const std::string&);
  void learn_stop(const Request&, Response&, const std::string&);
  void learn_status(const Request&, Response&, const std::string&);
  void learn_proposal(const Request&, Response&, const std::string&);
  void openapi(const Request&, Response&, const std::string&);
  void metrics_text(const Request&, Response&, const std::string&);
};

namespace {
constexpr const char* kNoPolicy = "no policy is configured in this run (the config has no `policy:` file)";
constexpr const char* kNoRules = "no signature rules are configured in this run (the config has no `signatures.rules`)";
constexpr const char* kNoLearn = "learn mode is not available in this run";

// A policy the handler refused: 400 with its located error, which is the
// message people need ("policy.yaml:12:7: ...").
void reply_validation(Response& res, const PolicyValidation& v) {
  if (!v.valid()) throw HttpError(400, v.error(), "invalid_policy");
  reply_json(res, 200, to_json(v));
}
}  // namespace

const std::vector<ApiServer::Impl::Endpoint>& ApiServer::Impl::endpoints() {
  static const std::vector<Endpoint> all = {
      {"GET", "/healthz", Role::none, &Impl::healthz},
      {"GET", "/api/v1/status", Role::read, &Impl::status},
      {"GET", "/api/v1/stats", Role::read, &Impl::stats},
      {"GET", "/api/v1/flows", Role::read, &Impl::flows},
      {"GET", "/api/v1/alerts", Role::read, &Impl::alerts},
      {"GET", "/api/v1/alerts/stream", Role::read, &Impl::alert_stream},
      {"GET", "/api/v1/evidence/{alert_id}.pcapng", Role::read, &Impl::evidence},
      {"GET", "/api/v1/policy", Role::read, &Impl::get_policy},
      {"PUT", "/api/v1/policy", Role::admin, &Impl::put_policy},
      {"POST", "/api/v1/policy/validate", Role::read, &Impl::validate_policy},
      {"POST", "/api/v1/policy/reload", Role::admin, &Impl::reload_policy},
      {"POST", "/api/v1/rules/reload", Role::admin, &Impl::reload_rules},
      {"GET", "/api/v1/learn", Role::read, &Impl::learn_status},
      {"POST", "/api/v1/learn/start", Role::admin, &Impl::learn_start},
      {"POST", "/api/v1/learn/stop", Role::admin, &Impl::learn_stop},
      {"GET", "/api/v1/learn/proposal", Role::read, &Impl::learn_proposal},
      {"GET", "/api/v1/openapi.json", Role::read, &Impl::openapi},
      {"GET", "/metrics", Role::read, &Impl::metrics_text},
  };
  return all;
}

const std::vector<ApiServer::Impl::Endpoint>& ApiServer::Impl::metrics_endpoints() {
  static const std::vector<Endpoint> all = {
      {"GET", "/healthz", Role::none, &Impl::healthz},
      {"GET", "/metrics", Role::none, &Impl::metrics_text},
  };
  return all;
}

void ApiServer::Impl::count(int status) {
  ApiState::Counters& c = state.counters;
  ++c.requests;
  if (status == 401) {
    ++c.unauthorized;
  } else if (status == 403) {
    ++c.forbidden;
  } else if (status == 404) {
    ++c.not_found;
  } else if (status >= 500) {
    ++c.server_errors;
  } else if (status >= 400) {
    ++c.bad_requests;  // 400, 405, 413, ...: the request was at fault
  }
}

bool ApiServer::Impl::authorize(const Endpoint& e, const Request& req, Response& res) {
  if (e.role == Role::none) return true;
  const std::string token = bearer_token(req);
  const Role role = token.empty() ? Role::none : tokens.role_of(token);
  std::string why;
  int status = 401;
  if (token.empty()) {
    why = "no bearer token (send Authorization: Bearer TOKEN)";
  } else if (role == Role::none) {
    why = "unknown token";
  } else if (role < e.role) {
    status = 403;
    why = std::string("this route needs a token of role ") + std::string(role_text(e.role)) + ", not " +
          std::string(role_text(role));
  } else {
    return true;
  }
  platform::log_warning("REST API: refused " + req.method + " " + req.path + " from " +
                        host_port(req.remote_addr, req.remote_port) + ": " + why);
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"segward\"");
  reply_error(res, status, why);
  return false;
}

void ApiServer::Impl::dispatch(const Endpoint& e, const Request& req, Response& res, const std::string& body) {
  try {
    if (authorize(e, req, res)) (this->*e.serve)(req, res, body);
  } catch (const HttpError& err) {
    reply_error(res, err.status, err.what(), err.error);
  } catch (const Unavailable& err) {
    reply_error(res, 503, err.what());
  } catch (const std::exception& err) {
    platform::log_warning("REST API: " + req.method + " " + req.path + " failed: " + err.what());
    reply_error(res, 500, err.what());
  }
}

void ApiServer::Impl::configure(httplib::Server& server, const std::vector<Endpoint>& routes, std::size_t threads) {
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(kMaxBody);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  for (const Endpoint& e : routes) {
    const std::string pattern = path_regex(e.path);
    if (e.method == "GET") {
      server.Get(pattern, [this, &e](const Request& req, Response& res) { dispatch(e, req, res, {}); });
      continue;
    }
    // Bodies are read here, not by httplib: its chunked reader has no limit.
    // Past the limit the rest is read and dropped (up to kMaxDrain), so that
    // it is not taken for the connection's next request.
    const auto with_body = [this, &e](const Request& req, Response& res, const httplib::ContentReader& reader) {
      std::string body;
      std::size_t dropped = 0;
      const bool read = !has_body(req) || reader([&](const char* data, std::size_t n) {
        if (dropped == 0 && body.size() + n <= kMaxBody) {
          body.append(data, n);
          return true;
        }
        dropped += n;
        return dropped <= kMaxDrain;
      });
      if (dropped > 0 || res.status == 413) return reply_error(res, 413, "the request body is larger than 1 MiB");
      if (!read) return reply_error(res, 400, "the request body could not be read");
      dispatch(e, req, res, body);
    };
    if (e.method == "PUT") server.Put(pattern, with_body);
    if (e.method == "POST") server.Post(pattern, with_body);
  }
  // httplib's own answers (no route, 413, malformed requests) get an Error
  // body too; a known path with another method is 405, not 404.
  server.set_error_handler([&routes](const Request& req, Response& res) {
    if (!res.body.empty()) return;  // a route's own
    std::string allowed;
    if (res.status == 404) {
      for (const Endpoint& e : routes) {
        if (std::regex_match(req.path, std::regex(path_regex(e.path)))) allowed += (allowed.empty() ? "" : ", ") + e.method;
      }
    }
    if (!allowed.empty()) {
      res.set_header("Allow", allowed);
      reply_error(res, 405, req.method + " is not allowed on " + req.path + " (allowed: " + allowed + ")");
    } else if (res.status == 404) {
      reply_error(res, 404, "no route " + req.method + " " + req.path + " (the routes: GET /api/v1/openapi.json)");
    } else if (res.status == 413) {
      reply_error(res, 413, "the request body is larger than 1 MiB");
    } else {
      reply_error(res, res.status, "the request was refused (HTTP " + std::to_string(res.status) + ")");
    }
  });
  server.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
    reply_error(res, 500, "the request failed");
  });
  // Counted before the response is written, so that a client that reads
  // the counters next sees its previous request counted.
  server.set_post_routing_handler([this](const Request&, Response& res) { count(res.status); });
}

std::unique_ptr<httplib::Server> ApiServer::Impl::make_api_server() const {
  if (config.tls_cert.empty() && config.tls_key.empty()) return std::make_unique<httplib::Server>();
  for (const std::string& file : {config.tls_cert, config.tls_key}) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw StartupError(file + ": cannot open the API's TLS file: " + std::strerror(errno));
    ::close(fd);
  }
  auto server = std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
  if (!server->is_valid()) {
    throw StartupError(config.tls_cert + ", " + config.tls_key +
                       ": not a PEM certificate (chain) and the PEM private key that matches it");
  }
  SSL_CTX_set_min_proto_version(server->ssl_context(), TLS1_2_VERSION);
  return server;
}

void ApiServer::Impl::listen(Listener& l, const ListenAddress& at, const std::string& scheme,
                             const std::string& what) {
  errno = 0;
  l.port = at.port == 0 ? l.server->bind_to_any_port(at.host) : (l.server->bind_to_port(at.host, at.port) ? at.port : -1);
  if (l.port <= 0) {
    throw StartupError(what + ": cannot listen on " + host_port(at.host, at.port) +
                       (errno != 0 ? std::string(": ") + std::strerror(errno) : std::string()));
  }
  httplib::Server* server = l.server.get();
  l.thread = std::thread([server] { server->listen_after_bind(); });
  // httplib's stop() is a no-op until the loop runs: wait for it, so that
  // stop() right after start() cannot leave the thread serving.
  for (int i = 0; i < 5000 && !server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  platform::log_notice(what + " listening on " + scheme + "://" + host_port(at.host, l.port));
}

ApiServer::ApiServer(const ApiConfig& config, ApiState& state, ApiHandlers handlers)
    : impl_(std::make_unique<Impl>(config, state, std::move(handlers))) {}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() {
  Impl& i = *impl_;
  i.api.server = i.make_api_server();
  i.configure(*i.api.server, Impl::endpoints(), kMaxStreams + kRequestThreads);
  const bool tls = !i.config.tls_cert.empty();
  i.listen(i.api, i.config.listen, tls ? "https" : "http", "REST API");
  if (i.config.metrics_listener) {
    i.metrics.server = std::make_unique<httplib::Server>();
    i.configure(*i.metrics.server, Impl::metrics_endpoints(), 2);
    i.listen(i.metrics, i.config.metrics_listen, "http", "metrics");
  }
}

void ApiServer::stop() {
  if (!impl_) return;
  impl_->state.close();  // ends the streams, which hold pool threads
  for (Impl::Listener* l : {&impl_->api, &impl_->metrics}) {
    if (l->server) l->server->stop();
    if (l->thread.joinable()) l->thread.join();
  }
}

std::uint16_t ApiServer::port() const { return static_cast<std::uint16_t>(impl_->api.port); }
std::uint16_t ApiServer::metrics_port() const { return static_cast<std::uint16_t>(impl_->metrics.port); }

std::vector<Route> ApiServer::routes() {
  std::vector<Route> out;
  for (const Impl::Endpoint& e : Impl::endpoints()) out.push_back({e.method, e.path, std::string(role_text(e.role))});
  return out;
}

// --- routes

void ApiServer::Impl::healthz(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, R"({"status":"ok"})");
}

void ApiServer::Impl::status(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, to_json(state.status()));
}

void ApiServer::Impl::stats(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, to_json(state.stats()));
}

void ApiServer::Impl::flows(const Request& req, Response& res, const std::string&) {
  check_params(req, {"top", "sort"});
  const auto top = static_cast<std::uint32_t>(uint_param(req, "top", 20, 1, 1000));
  const std::string sort = choice_param(req, "sort", "bytes", {"bytes", "packets", "age"});
  reply_json(res, 200, to_json(need(handlers.flows, "flow listing is not available in this run")(top, sort)));
}

void ApiServer::Impl::alerts(const Request& req, Response& res, const std::string&) {
  check_params(req, {"since", "severity", "limit"});
  const std::uint64_t since = req.has_param("since") ? parse_since(req.get_param_value("since"), state, "since") : 0;
  const auto severity = static_cast<std::uint32_t>(uint_param(req, "severity", 0, 1, 3));
  const std::size_t limit = uint_param(req, "limit", 100, 1, 10000);
  const AlertList list = state.alerts(since, severity, limit);
  // By hand around the alerts: they print without defaults (as in EVE),
  // next_since with them (0 is a value a client passes back).
  std::string json = "{\"next_since\":" + std::to_string(list.next_since()) + ",\"alerts\":[";
  for (int k = 0; k < list.alerts_size(); ++k) json += (k ? "," : "") + to_json(list.alerts(k), false);
  reply_json(res, 200, json + "]}");
}

void ApiServer::Impl::alert_stream(const Request& req, Response& res, const std::string&) {
  check_params(req, {"since", "severity"});
  const auto severity = static_cast<std::uint32_t>(uint_param(req, "severity", 0, 1, 3));
  // Last-Event-ID (a reconnecting EventSource) wins over since=; neither: from now on.
  std::uint64_t since = std::numeric_limits<std::uint64_t>::max();
  if (req.has_header("Last-Event-ID")) {
    since = parse_since(req.get_header_value("Last-Event-ID"), state, "Last-Event-ID");
  } else if (req.has_param("since")) {
    since = parse_since(req.get_param_value("since"), state, "since");
  }
  std::atomic<std::uint64_t>& clients = state.counters.stream_clients;
  if (clients.fetch_add(1) >= kMaxStreams) {
    --clients;
    throw HttpError(503, "too many alert streams open (" + std::to_string(kMaxStreams) + "); try again later");
  }
  auto stream = std::make_shared<AlertStream>(state, since, severity);
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream",
      [stream](std::size_t, httplib::DataSink& sink) {
        if (!stream->pump(sink)) sink.done();
        return true;
      },
      [&clients](bool) { --clients; });
}

void ApiServer::Impl::evidence(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  const std::string id_text = req.matches[1].str();
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc{} || end != id_text.data() + id_text.size()) {
    throw HttpError(400, "alert_id: '" + id_text + "' is not an alert id (a number)");
  }
  const std::string path = need(handlers.evidence_path, "evidence capture is not configured in this run")(id);
  if (path.empty()) {
    throw HttpError(404, "no evidence for alert " + id_text + ": none was captured for it, or it is not written yet");
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const off_t size = fd < 0 ? -1 : ::lseek(fd, 0, SEEK_END);
  if (size < 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) ::close(fd);
    throw HttpError(404, "the evidence of alert " + id_text + " (" + path + ") cannot be read: " + why);
  }
  // Streamed from the file (and Range requests served): captures can be large.
  auto file = std::shared_ptr<int>(new int(fd), [](int* f) {
    ::close(*f);
    delete f;
  });
  res.set_header("Content-Disposition", "attachment; filename=\"alert-" + id_text + ".pcapng\"");
  res.set_content_provider(
      static_cast<std::size_t>(size), "application/x-pcapng",
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        char buf[65536];
        const ssize_t n = ::pread(*file, buf, std::min(length, sizeof buf), static_cast<off_t>(offset));
        return n > 0 && sink.write(buf, static_cast<std::size_t>(n));
      });
}

void ApiServer::Impl::get_policy(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, to_json(on_mgmt(need(handlers.get_policy, kNoPolicy))));
}

void ApiServer::Impl::put_policy(const Request& req, Response& res, const std::string& body) {
  check_params(req, {});
  const auto& apply = need(handlers.apply_policy, kNoPolicy);
  if (body.empty()) throw HttpError(400, "the body must be the new policy (YAML)");
  reply_validation(res, on_mgmt(apply, body));
}

void ApiServer::Impl::validate_policy(const Request& req, Response& res, const std::string& body) {
  check_params(req, {});
  const auto& validate = need(handlers.validate_policy, "policy validation is not available in this run");
  if (body.empty()) throw HttpError(400, "the body must be a policy (YAML)");
  reply_validation(res, validate(body));
}

void ApiServer::Impl::reload_policy(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_validation(res, on_mgmt(need(handlers.reload_policy, kNoPolicy)));
}

void ApiServer::Impl::reload_rules(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  const RulesReply r = on_mgmt(need(handlers.reload_rules, kNoRules));
  if (!r.valid()) throw HttpError(400, r.error(), "invalid_rules");
  reply_json(res, 200, to_json(r));
}

void ApiServer::Impl::learn_start(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, to_json(on_mgmt(need(handlers.learn_start, kNoLearn))));
}

void ApiServer::Impl::learn_stop(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, to_json(on_mgmt(need(handlers.learn_stop, kNoLearn))));
}

void ApiServer::Impl::learn_status(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, to_json(on_mgmt(need(handlers.learn_status, kNoLearn))));
}

void ApiServer::Impl::learn_proposal(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  const auto& proposal = need(handlers.learn_proposal, kNoLearn);
  std::string yaml;
  try {
    yaml = on_mgmt(proposal);
  } catch (const Unavailable&) {
    throw;
  } catch (const std::runtime_error& none) {  // the handler's "no proposal yet, because ..."
    throw HttpError(404, none.what());
  }
  res.status = 200;
  res.set_content(yaml, "text/yaml");
}

void ApiServer::Impl::openapi(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  reply_json(res, 200, openapi_document());
}

void ApiServer::Impl::metrics_text(const Request& req, Response& res, const std::string&) {
  check_params(req, {});
  res.status = 200;
  res.set_content(render_metrics(state.stats(), state.status()), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace segward::api
