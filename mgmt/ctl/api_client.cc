#include "mgmt/ctl/api_client.h"

#include <google/protobuf/util/json_util.h>

#include "mgmt/proto/api.pb.h"

namespace segward::ctl {

namespace {

// httplib's error names ("Connection") as sentences.
std::string no_answer(const std::string& url, httplib::Error e) {
  std::string why;
  switch (e) {
    case httplib::Error::Connection: why = "could not connect (is segward running, with an api: section?)"; break;
    case httplib::Error::ConnectionTimeout: why = "connection timed out"; break;
    case httplib::Error::Read: why = "no answer (connection closed or read timed out)"; break;
    case httplib::Error::SSLConnection: why = "TLS handshake failed (https to a plain HTTP port?)"; break;
    case httplib::Error::SSLServerVerification:
      why = "the server's certificate was not accepted (--cacert FILE, or --insecure)";
      break;
    case httplib::Error::SSLLoadingCerts: why = "cannot load the CA certificates (--cacert)"; break;
    default: why = httplib::to_string(e); break;
  }
  return "cannot reach the sensor at " + url + ": " + why;
}

std::string path_with_query(const std::string& path, const httplib::Params& params) {
  return params.empty() ? path : httplib::append_query_params(path, params);
}

}  // namespace

ApiClient::ApiClient(ClientOptions options) : options_(std::move(options)) {
  while (options_.url.ends_with('/')) options_.url.pop_back();
  if (!options_.url.starts_with("http://") && !options_.url.starts_with("https://")) {
    throw CtlError(kUsage, "--url " + options_.url + ": expected http://HOST:PORT or https://HOST:PORT");
  }
  if (!httplib::Client(options_.url).is_valid()) {
    throw CtlError(kUsage, "--url " + options_.url + ": expected http://HOST:PORT or https://HOST:PORT (no path)");
  }
}

std::unique_ptr<httplib::Client> ApiClient::connect(int read_timeout_s) const {
  auto c = std::make_unique<httplib::Client>(options_.url);
  c->set_connection_timeout(options_.timeout_s, 0);
  c->set_read_timeout(read_timeout_s, 0);
  c->set_write_timeout(options_.timeout_s, 0);
  if (!options_.token.empty()) c->set_bearer_token_auth(options_.token);
  if (!options_.cacert.empty()) c->set_ca_cert_path(options_.cacert);
  if (options_.insecure) c->enable_server_certificate_verification(false);
  return c;
}

Reply ApiClient::request(const std::string& method, const std::string& path, const httplib::Params& params,
                         const std::string& body, const std::string& content_type) {
  auto c = connect(options_.timeout_s);
  const std::string target = path_with_query(path, params);
  httplib::Result r = method == "GET"    ? c->Get(target)
                      : method == "PUT"  ? c->Put(target, body, content_type)
                      : method == "POST" ? c->Post(target, body, content_type)
                                         : c->Delete(target);
  if (!r) {
    throw CtlError(kCannotConnect, no_answer(options_.url, r.error()));
  }
  return Reply{r->status, r->body, r->get_header_value("Content-Type")};
}

CtlError ApiClient::error_for(const Reply& reply, const std::string& what) const {
  // The server's api.Error when the body is one; else the status alone.
  api::Error e;
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;
  std::string text = what + ": HTTP " + std::to_string(reply.status);
  if (google::protobuf::util::JsonStringToMessage(reply.body, &e, opts).ok() && !e.message().empty()) {
    if (!e.error().empty()) text += " " + e.error();
    text += ": " + e.message();
  } else if (!reply.body.empty()) {
    text += ": " + reply.body.substr(0, reply.body.find('\n'));
  }
  if (reply.status == 401) {
    text += options_.token.empty() ? " (no token sent: give --token-file FILE or set SEGWARD_TOKEN_FILE)"
                                   : " (token from " + options_.token_source + ")";
    return CtlError(kAuth, text);
  }
  if (reply.status == 403) return CtlError(kAuth, text);  // the server says which role is needed
  return CtlError(kServerError, text);
}

Reply ApiClient::call(const std::string& method, const std::string& path, const httplib::Params& params,
                      const std::string& body, const std::string& content_type) {
  Reply r = request(method, path, params, body, content_type);
  if (r.status >= 400) throw error_for(r, method + " " + path);
  return r;
}

void ApiClient::stream(const std::string& path, const httplib::Params& params, SseParser& parser,
                       const std::function<bool(const SseEvent&)>& on_event) {
  // A long read timeout: an idle stream is normal. When it passes, the
  // caller reconnects, which also finds a server that went away quietly.
  auto c = connect(3600);
  httplib::Headers headers{{"Accept", "text/event-stream"}};
  if (!parser.last_event_id().empty()) headers.emplace("Last-Event-ID", parser.last_event_id());
  int status = 0;
  std::string error_body;
  bool stopped = false;
  httplib::Result r = c->Get(
      path_with_query(path, params), headers,
      [&](const httplib::Response& resp) {
        status = resp.status;
        return true;
      },
      [&](const char* data, size_t len) {
        if (status >= 400) {
          error_body.append(data, len);
          return true;
        }
        parser.feed(std::string_view(data, len), [&](const SseEvent& e) {
          if (!stopped && !on_event(e)) stopped = true;
        });
        return !stopped;
      });
  parser.reset_partial();
  if (status >= 400) throw error_for(Reply{status, error_body, ""}, "GET " + path);
  if (!r && status == 0 && r.error() != httplib::Error::Canceled) {
    throw CtlError(kCannotConnect, no_answer(options_.url, r.error()));
  }
}

}  // namespace segward::ctl
