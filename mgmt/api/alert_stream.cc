#include "mgmt/api/alert_stream.h"

#include <limits>

#include "mgmt/api/http_json.h"

namespace segward::api {

AlertStream::AlertStream(const ApiState& state, std::uint64_t since, std::uint32_t max_severity,
                         std::chrono::milliseconds keepalive)
    : state_(state), since_(since), max_severity_(max_severity), keepalive_(keepalive) {
  const std::uint64_t newest = state.alerts(std::numeric_limits<std::uint64_t>::max(), 0, 0).next_since();
  if (since_ > newest) since_ = newest;
}

bool AlertStream::pump(httplib::DataSink& sink) {
  std::string out;
  if (!greeted_) {
    // Says where the stream starts, and gets the client past its headers
    // before the first alert.
    out = ": alerts after sequence " + std::to_string(since_) + "\n\n";
    greeted_ = true;
  }
  while (out.empty()) {
    if (state_.closed()) return false;
    const auto wait = std::chrono::ceil<std::chrono::milliseconds>(keepalive_ -
                                                                    (std::chrono::steady_clock::now() - last_write_));
    // Unfiltered: the alerts after since_ are then consecutive sequences
    // ending at next_since, so each one's sequence is known; severity is
    // filtered here.
    const AlertList got = state_.wait_alerts(since_, 0, std::max(std::chrono::milliseconds(1), wait));
    const std::uint64_t first = got.next_since() - static_cast<std::uint64_t>(got.alerts_size()) + 1;
    if (got.alerts_size() > 0 && first > since_ + 1) {
      out += ": " + std::to_string(first - since_ - 1) + " alerts left the buffer before this stream sent them\n\n";
    }
    std::uint64_t sequence = first;
    for (const events::Event& alert : got.alerts()) {
      if (max_severity_ == 0 || alert.alert().severity() <= max_severity_) {
        out += "id: " + std::to_string(sequence) + "\nevent: alert\ndata: " + to_json(alert, false) + "\n\n";
      }
      ++sequence;
    }
    since_ = std::max(since_, got.next_since());
    if (out.empty() && std::chrono::steady_clock::now() - last_write_ >= keepalive_) out = ": keepalive\n\n";
  }
  if (!sink.write(out.data(), out.size())) return false;
  last_write_ = std::chrono::steady_clock::now();
  return true;
}

}  // namespace segward::api
