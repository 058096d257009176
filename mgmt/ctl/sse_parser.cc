#include "mgmt/ctl/sse_parser.h"

namespace segward::ctl {

void SseParser::feed(std::string_view chunk, const Handler& on_event) {
  for (char c : chunk) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // the \n of a \r\n
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      line(buffer_, on_event);
      buffer_.clear();
    } else {
      buffer_ += c;
    }
  }
}

void SseParser::reset_partial() {
  buffer_.clear();
  after_cr_ = false;
  event_.clear();
  data_.clear();
  has_data_ = false;
}

void SseParser::line(std::string_view l, const Handler& on_event) {
  if (l.empty()) {
    // Dispatch; an event with no data: line is dropped, per the spec.
    if (has_data_) {
      if (!data_.empty() && data_.back() == '\n') data_.pop_back();
      on_event(SseEvent{last_id_, event_.empty() ? "message" : event_, data_});
    }
    event_.clear();
    data_.clear();
    has_data_ = false;
    return;
  }
  if (l.front() == ':') return;  // a comment (keep-alive)
  const auto colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
  if (value.starts_with(' ')) value.remove_prefix(1);
  if (field == "data") {
    data_.append(value);
    data_ += '\n';
    has_data_ = true;
  } else if (field == "event") {
    event_ = value;
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = value;
  }
  // retry: and unknown fields are ignored: segwardctl has its own back-off.
}

}  // namespace segward::ctl
