// EVE `mesos` events from the dataplane's MesosEvent records.
#include <string>

#include "decoders/libprocess/mesos.pb.h"
#include "decoders/libprocess/mesos_event.h"
#include "mgmt/event_renderer.h"
#include "mgmt/eve_writer.h"
#include "mgmt/l7_event_common.h"

namespace segward::mgmt {
namespace {

void split_roles(std::string_view roles, events::MesosFramework& f) {
  while (!roles.empty()) {
    const std::size_t comma = roles.find(',');
    const std::string_view role = roles.substr(0, comma);
    if (!role.empty()) f.add_roles(std::string(role));
    if (comma == std::string_view::npos) break;
    roles.remove_prefix(comma + 1);
  }
}

}  // namespace

void render_mesos_event(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                        events::Event& out) {
  const mesos::MesosEvent& e = r.mesos;
  render_l7_envelope(r, port_names, "mesos", "mesos", out);

  events::Mesos& m = *out.mutable_mesos();
  m.set_kind(std::string(mesos::mesos_kind_name(e.kind)));
  m.set_direction(e.is_response ? "response" : "request");
  put_text(e.message, "message", [&](std::string v) { m.set_message(std::move(v)); }, m.mutable_truncated());
  put_text(e.call, "call", [&](std::string v) { m.set_call(std::move(v)); }, m.mutable_truncated());
  put_text(e.endpoint, "endpoint", [&](std::string v) { m.set_endpoint(std::move(v)); }, m.mutable_truncated());
  if (e.api != mesos::ApiFamily::kNone) m.set_api(std::string(mesos::api_family_name(e.api)));
  if (e.endpoint_class != mesos::EndpointClass::kUnclassified) {
    m.set_endpoint_class(std::string(mesos::endpoint_class_name(e.endpoint_class)));
  }
  put_text(e.receiver, "receiver", [&](std::string v) { m.set_receiver(std::move(v)); }, m.mutable_truncated());
  put_text(e.from_pid, "from_pid", [&](std::string v) { m.set_from_pid(std::move(v)); }, m.mutable_truncated());
  if (e.pid_check == mesos::PidCheck::kMatches || e.pid_check == mesos::PidCheck::kDiffers) {
    m.set_pid_ip_matches_source(e.pid_check == mesos::PidCheck::kMatches);
  }
  if (e.pid_check != mesos::PidCheck::kNotApplicable) m.set_pid_check(std::string(mesos::pid_check_name(e.pid_check)));
  if (!e.is_response) m.set_auth_scheme(std::string(mesos::auth_scheme_name(e.auth_scheme)));
  put_text(e.stream_id, "stream_id", [&](std::string v) { m.set_stream_id(std::move(v)); }, m.mutable_truncated());
  put_text(e.auth_mechanism, "auth_mechanism", [&](std::string v) { m.set_auth_mechanism(std::move(v)); }, m.mutable_truncated());
  put_text(e.auth_principal, "auth_principal", [&](std::string v) { m.set_auth_principal(std::move(v)); }, m.mutable_truncated());
  put_text(e.detail, "detail", [&](std::string v) { m.set_detail(std::move(v)); }, m.mutable_truncated());
  m.set_decode_status(std::string(mesos::decode_status_name(e.status)));
  if (e.status == mesos::DecodeStatus::kBodyTooLarge) m.set_body_too_large(true);
  if (e.body_bytes != 0) m.set_body_bytes(e.body_bytes);
  if (e.body_encoding != mesos::BodyEncoding::kNone) m.set_body_encoding(std::string(mesos::body_encoding_name(e.body_encoding)));
  for (std::size_t bit = 0; bit < mesos::kMesosFlagCount; ++bit) {
    const auto flag = static_cast<mesos::MesosFlag>(1u << bit);
    if (mesos::has_flag(e.flags, flag)) m.add_flags(std::string(mesos::mesos_flag_name(flag)));
  }

  if (!e.is_response || !e.http.method.empty()) {
    events::MesosHttp& h = *m.mutable_http();
    put_text(e.http.method, "http.method", [&](std::string v) { h.set_method(std::move(v)); }, m.mutable_truncated());
    put_text(e.http.uri, "http.uri", [&](std::string v) { h.set_uri(std::move(v)); }, m.mutable_truncated());
    if (e.http.status != 0) h.set_status(e.http.status);
  }

  if (e.framework.present) {
    events::MesosFramework& f = *m.mutable_framework();
    const mesos::FrameworkFields& in = e.framework;
    put_text(in.name, "framework.name", [&](std::string v) { f.set_name(std::move(v)); }, m.mutable_truncated());
    put_text(in.user, "framework.user", [&](std::string v) { f.set_user(std::move(v)); }, m.mutable_truncated());
    put_text(in.principal, "framework.principal", [&](std::string v) { f.set_principal(std::move(v)); }, m.mutable_truncated());
    split_roles(in.roles.view(), f);
    if (in.roles.truncated) m.add_truncated("framework.roles");
    put_text(in.id, "framework.id", [&](std::string v) { f.set_id(std::move(v)); }, m.mutable_truncated());
    put_text(in.hostname, "framework.hostname", [&](std::string v) { f.set_hostname(std::move(v)); }, m.mutable_truncated());
    if (in.checkpoint) f.set_checkpoint(true);
    if (in.failover) f.set_failover(true);
    for (int bit = 1; bit < 32; ++bit) {
      if ((in.capabilities & (1u << bit)) == 0) continue;
      const auto type = static_cast<::mesos::FrameworkInfo_Capability_Type>(bit);
      const std::string& name = ::mesos::FrameworkInfo_Capability_Type_IsValid(bit)
                                    ? ::mesos::FrameworkInfo_Capability_Type_Name(type)
                                    : std::to_string(bit);
      f.add_capabilities(name);
    }
  }
  if (e.agent.present) {
    events::MesosAgent& a = *m.mutable_agent();
    put_text(e.agent.hostname, "agent.hostname", [&](std::string v) { a.set_hostname(std::move(v)); }, m.mutable_truncated());
    put_text(e.agent.id, "agent.id", [&](std::string v) { a.set_id(std::move(v)); }, m.mutable_truncated());
    if (e.agent.port != 0) a.set_port(e.agent.port);
    if (e.agent.cpus != 0) a.set_cpus(e.agent.cpus);
    if (e.agent.mem_mb != 0) a.set_mem(e.agent.mem_mb);
    if (e.agent.disk_mb != 0) a.set_disk(e.agent.disk_mb);
  }
  if (e.task.present) {
    events::MesosTask& t = *m.mutable_task();
    const mesos::TaskFields& in = e.task;
    put_text(in.name, "task.name", [&](std::string v) { t.set_name(std::move(v)); }, m.mutable_truncated());
    put_text(in.id, "task.id", [&](std::string v) { t.set_id(std::move(v)); }, m.mutable_truncated());
    put_text(in.command, "task.command", [&](std::string v) { t.set_command(std::move(v)); }, m.mutable_truncated());
    put_text(in.image, "task.image", [&](std::string v) { t.set_image(std::move(v)); }, m.mutable_truncated());
    put_text(in.state, "task.state", [&](std::string v) { t.set_state(std::move(v)); }, m.mutable_truncated());
    put_text(in.host_path, "task.host_path", [&](std::string v) { t.set_host_path(std::move(v)); }, m.mutable_truncated());
    put_text(in.user, "task.user", [&](std::string v) { t.set_user(std::move(v)); }, m.mutable_truncated());
    if (in.count != 0) t.set_count(in.count);
    if (in.privileged) t.set_privileged(true);
  }
}

}  // namespace segward::mgmt
