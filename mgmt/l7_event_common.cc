#include "mgmt/l7_event_common.h"

#include <cstdio>

#include "mgmt/event_renderer.h"
#include "mgmt/eve_writer.h"

namespace segward::mgmt {

void render_l7_envelope(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                        const char* event_type, const char* app_proto, events::Event& out) {
  out.Clear();
  const dataplane::L7Endpoints& ep = r.endpoints;
  out.set_timestamp(format_eve_time(r.timestamp_ns));
  out.set_flow_id(r.flow_id);
  if (ep.port_index < port_names.size()) out.set_in_iface(port_names[ep.port_index]);
  out.set_event_type(event_type);
  out.set_src_ip(format_address(ep.src_ip, ep.v6));
  out.set_src_port(ep.src_port);
  out.set_dest_ip(format_address(ep.dst_ip, ep.v6));
  out.set_dest_port(ep.dst_port);
  out.set_proto("TCP");
  if (app_proto != nullptr) out.set_app_proto(app_proto);
  if (ep.vlan != 0) out.add_vlan(ep.vlan);
}

std::string hex_id(std::uint64_t v) {
  char buf[19];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace segward::mgmt
