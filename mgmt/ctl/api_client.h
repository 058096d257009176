#pragma once
// segwardctl's side of the REST API: one httplib client (HTTP or HTTPS, a
// bearer token), answers turned into exit codes and the server's message.
#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "mgmt/ctl/exit_codes.h"
#include "mgmt/ctl/sse_parser.h"

namespace segward::ctl {

struct ClientOptions {
  std::string url = "http://127.0.0.1:8080";  // scheme://host:port
  std::string token;                          // empty: none sent
  std::string token_source;                   // where the token came from, for messages
  std::string cacert;                         // PEM bundle to verify the server with (https)
  bool insecure = false;                      // https without verifying the server
  int timeout_s = 30;
};

struct Reply {
  int status = 0;
  std::string body;
  std::string content_type;
};

class ApiClient {
 public:
  explicit ApiClient(ClientOptions options);  // throws CtlError(kUsage) on a bad URL

  // One request. Throws CtlError(kCannotConnect) when there is no answer;
  // any HTTP status is returned.
  Reply request(const std::string& method, const std::string& path, const httplib::Params& params = {},
                const std::string& body = "", const std::string& content_type = "");

  // request(), and a 4xx/5xx answer thrown as CtlError (401/403: kAuth,
  // others: kServerError) with the server's api.Error message.
  Reply call(const std::string& method, const std::string& path, const httplib::Params& params = {},
             const std::string& body = "", const std::string& content_type = "");

  // The CtlError a 4xx/5xx reply means.
  [[nodiscard]] CtlError error_for(const Reply& reply, const std::string& what) const;

  // Reads a Server-Sent Events stream until `on_event` returns false or the
  // connection ends; `parser` keeps the last event id across calls (sent as
  // Last-Event-ID). Returns normally when the stream ended (or was
  // stopped); throws CtlError as call() for an error answer, and
  // kCannotConnect when no connection could be made.
  void stream(const std::string& path, const httplib::Params& params, SseParser& parser,
              const std::function<bool(const SseEvent&)>& on_event);

  [[nodiscard]] const ClientOptions& options() const { return options_; }

 private:
  [[nodiscard]] std::unique_ptr<httplib::Client> connect(int read_timeout_s) const;

  ClientOptions options_;
};

}  // namespace segward::ctl
