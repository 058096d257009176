// EVE `anomaly` events: a server port configured (l7.expected) for one
// protocol carried another. Field names follow Suricata's applayer anomalies.
#include "dataplane/flow.h"
#include "mgmt/event_renderer.h"
#include "mgmt/l7_event_common.h"

namespace segward::mgmt {

void render_anomaly_event(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                          events::Event& out) {
  const dataplane::ProtocolMismatch& m = r.mismatch;
  const std::string_view detected = dataplane::app_proto_name(m.detected);
  render_l7_envelope(r, port_names, "anomaly", nullptr, out);
  if (!detected.empty()) out.set_app_proto(std::string(detected));
  events::Anomaly& a = *out.mutable_anomaly();
  a.set_type("applayer");
  a.set_event("unexpected_protocol");
  a.set_layer("proto_detect");
  a.set_expected(std::string(dataplane::app_proto_name(m.expected)));
  a.set_detected(detected.empty() ? "unknown" : std::string(detected));
}

}  // namespace segward::mgmt
