#pragma once
// Server-Sent Events (the WHATWG "event stream" format) read incrementally:
// the alert stream arrives in chunks that split lines anywhere.
#include <functional>
#include <string>
#include <string_view>

namespace segward::ctl {

struct SseEvent {
  std::string id;     // the last id: field seen (kept across events, as the spec says)
  std::string event;  // "message" when the event had no event: field
  std::string data;   // data: lines joined with \n
};

class SseParser {
 public:
  using Handler = std::function<void(const SseEvent&)>;
  // Calls `on_event` for each event completed by `chunk` (a blank line ends one).
  void feed(std::string_view chunk, const Handler& on_event);
  // What to send as Last-Event-ID when reconnecting.
  [[nodiscard]] const std::string& last_event_id() const { return last_id_; }
  void set_last_event_id(std::string id) { last_id_ = std::move(id); }
  // Forgets a partly received event (the connection dropped mid-event).
  void reset_partial();

 private:
  void line(std::string_view l, const Handler& on_event);

  std::string buffer_;  // an incomplete line
  bool after_cr_ = false;  // the last chunk ended in \r: a \n first in the next one ends no line
  std::string last_id_, event_, data_;
  bool has_data_ = false;
};

}  // namespace segward::ctl
