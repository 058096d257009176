#pragma once
// Pieces every L7 event renderer shares: the EVE envelope (time, flow id,
// interface, addresses) and bounded-text fields that note when they were cut.
#include <string>
#include <vector>

#include "dataplane/l7_event.h"
#include "decoders/common/bounded_text.h"
#include "mgmt/proto/events.pb.h"

namespace segward::mgmt {

// Fills the top-level fields of an L7 event from where it was seen.
void render_l7_envelope(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                        const char* event_type, const char* app_proto, events::Event& out);

// Sets a string field only when there is text; a cut value adds `name` to
// the event's `truncated` list (when `truncated` is given).
template <std::size_t N, class Setter>
void put_text(const decoders::BoundedText<N>& text, const char* name, Setter&& set,
              google::protobuf::RepeatedPtrField<std::string>* truncated) {
  if (text.empty()) return;
  set(std::string(text.view()));
  if (text.truncated && truncated != nullptr) truncated->Add(std::string(name));
}

// "0x" and lower-case hex, as ZooKeeper's own tools print session ids.
std::string hex_id(std::uint64_t v);

}  // namespace segward::mgmt
