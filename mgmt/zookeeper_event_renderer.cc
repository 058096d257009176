// EVE `zookeeper` events from the dataplane's ZkEvent records. Fields that
// do not apply to an event's kind or opcode are left out.
#include <cstdio>
#include <string>

#include "decoders/zookeeper/zk_event.h"
#include "mgmt/event_renderer.h"
#include "mgmt/l7_event_common.h"

namespace segward::mgmt {
namespace {

using zookeeper::ZkEvent;
using zookeeper::ZkEventKind;
namespace op = zookeeper::opcode;

bool is_create(std::int32_t opcode) {
  return opcode == op::kCreate || opcode == op::kCreate2 || opcode == op::kCreateContainer ||
         opcode == op::kCreateTtl;
}

void set_op(std::int32_t opcode, events::Zookeeper& z) {
  z.set_opcode(opcode);
  const std::string_view name = zookeeper::opcode_name(opcode);
  if (!name.empty()) z.set_op(std::string(name));
}

void set_err(std::int32_t err, events::Zookeeper& z) {
  const std::string_view name = zookeeper::error_name(err);
  if (name.empty()) {
    z.set_err("unknown");
    z.set_err_code(err);
  } else {
    z.set_err(std::string(name));
  }
}

std::string mode_name(std::int32_t flags) {
  const std::string_view name = zookeeper::create_mode_name(flags);
  return name.empty() ? std::to_string(flags) : std::string(name);
}

void render_request(const ZkEvent& e, events::Zookeeper& z) {
  auto* cut = z.mutable_truncated();
  set_op(e.opcode, z);
  z.set_xid(e.xid);
  put_text(e.path, "path", [&](std::string v) { z.set_path(std::move(v)); }, cut);
  if (e.has_flags) z.set_mode(mode_name(e.flags));
  for (std::uint8_t i = 0; i < e.acl_count && i < e.acl.size(); ++i) {
    const zookeeper::ZkAcl& a = e.acl[i];
    events::ZookeeperAcl& out = *z.add_acl();
    out.set_perms(a.perms);
    out.set_scheme(std::string(a.scheme.view()));
    out.set_id(std::string(a.id.view()));
    if (a.scheme.truncated || a.id.truncated) cut->Add("acl");
  }
  if (e.acl_total > e.acl_count) z.set_acl_count(e.acl_total);
  // An AuthPacket's length would tell the password's: left out.
  if (e.data_len >= 0 && e.opcode != op::kAuth && e.opcode != op::kSasl) z.set_data_len(e.data_len);
  if (e.has_version) z.set_version(e.version);
  // Shown whenever the op can set a watch, so "no watch" is visible too.
  if (e.opcode == op::kExists || e.opcode == op::kGetData || e.opcode == op::kGetChildren ||
      e.opcode == op::kGetChildren2) {
    z.set_watch(e.watch);
  }

  const bool multi = e.opcode == op::kMulti || e.opcode == op::kMultiRead;
  if (multi) {
    for (std::uint8_t i = 0; i < e.sub_op_count && i < e.sub_ops.size(); ++i) {
      const zookeeper::ZkSubOp& s = e.sub_ops[i];
      events::ZookeeperSubOp& out = *z.add_sub_ops();
      out.set_opcode(s.opcode);
      const std::string_view name = zookeeper::opcode_name(s.opcode);
      if (!name.empty()) out.set_op(std::string(name));
      if (!s.path.empty()) out.set_path(std::string(s.path.view()));
      if (s.path.truncated) cut->Add("sub_ops.path");
      if (s.has_flags) out.set_mode(mode_name(s.flags));
      if (s.data_len >= 0) out.set_data_len(s.data_len);
      if (s.has_version) out.set_version(s.version);
      if (s.replied) {
        const std::string_view err = zookeeper::error_name(s.err);
        out.set_err(err.empty() ? std::to_string(s.err) : std::string(err));
        if (s.error_result && s.err == 0) out.set_rolled_back(true);
      }
    }
    if (e.sub_op_total > e.sub_op_count) z.set_sub_op_count(e.sub_op_total);
  } else {
    const zookeeper::ZkOpDetail& d = e.detail;
    if (d.has_ttl) z.set_ttl_ms(d.ttl_ms);
    if (d.has_watch_mode) z.set_watch_mode(d.watch_mode);
    if (d.has_watcher_type) z.set_watcher_type(d.watcher_type);
    if (e.opcode == op::kSasl) {
      if (e.data_len >= 0) z.set_sasl_token_len(e.data_len);
      switch (d.sasl_mechanism) {
        case zookeeper::ZkSaslMechanism::kDigestMd5: z.set_sasl_mechanism("DIGEST-MD5"); break;
        case zookeeper::ZkSaslMechanism::kGssapi: z.set_sasl_mechanism("GSSAPI"); break;
        case zookeeper::ZkSaslMechanism::kUnknown: break;
      }
    }
    if (e.replied && e.err == 0) {
      if (d.reply_data_len >= 0) z.set_reply_data_len(d.reply_data_len);
      if (d.reply_count >= 0) z.set_reply_count(d.reply_count);
      if (d.has_stat) {
        events::ZookeeperStat& st = *z.mutable_stat();
        st.set_version(d.stat.version);
        st.set_aversion(d.stat.aversion);
        if (d.stat.ephemeral_owner != 0) st.set_ephemeral_owner(hex_id(static_cast<std::uint64_t>(d.stat.ephemeral_owner)));
        st.set_data_len(d.stat.data_length);
        st.set_num_children(d.stat.num_children);
      }
    }
  }
  put_text(e.auth_scheme, "auth_scheme", [&](std::string v) { z.set_auth_scheme(std::move(v)); }, cut);
  if (e.opcode == op::kAuth) z.set_credentials_sent(e.credentials_sent);
  put_text(e.auth_user, "auth_user", [&](std::string v) { z.set_auth_user(std::move(v)); }, cut);

  z.set_replied(e.replied);
  if (e.replied) {
    z.set_zxid(e.zxid);
    set_err(e.err, z);
    if (is_create(e.opcode) && e.err == 0) {
      put_text(e.created_path, "created_path", [&](std::string v) { z.set_created_path(std::move(v)); }, cut);
    }
  }
}

}  // namespace

void render_zookeeper_event(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                            events::Event& out) {
  const ZkEvent& e = r.zookeeper;
  render_l7_envelope(r, port_names, "zookeeper", "zookeeper", out);
  events::Zookeeper& z = *out.mutable_zookeeper();
  z.set_kind(std::string(zookeeper::event_kind_name(e.kind)));
  if (e.session_known) z.set_session_id(hex_id(e.session_id));
  switch (e.kind) {
    case ZkEventKind::kRequest: render_request(e, z); break;
    case ZkEventKind::kConnect:
      z.set_protocol_version(e.protocol_version);
      z.set_timeout_ms(e.timeout_ms);
      if (e.replied) z.set_negotiated_timeout_ms(e.negotiated_timeout_ms);
      z.set_last_zxid_seen(e.last_zxid_seen);
      if (e.requested_session_id != 0) z.set_requested_session_id(hex_id(e.requested_session_id));
      if (e.has_read_only) z.set_read_only(e.read_only);
      z.set_password_sent(e.password_sent);
      z.set_replied(e.replied);
      break;
    case ZkEventKind::kNotification: {
      set_op(e.opcode, z);
      z.set_xid(e.xid);
      put_text(e.path, "path", [&](std::string v) { z.set_path(std::move(v)); }, z.mutable_truncated());
      const std::string_view type = zookeeper::watch_event_type_name(e.watch_event_type);
      z.set_watch_event(type.empty() ? std::to_string(e.watch_event_type) : std::string(type));
      const std::string_view state = zookeeper::keeper_state_name(e.keeper_state);
      z.set_state(state.empty() ? std::to_string(e.keeper_state) : std::string(state));
      break;
    }
    case ZkEventKind::kFourLetterWord:
      z.set_four_letter_word(std::string(zookeeper::four_letter_word_text(e.four_letter_word)));
      z.set_response_bytes(e.response_bytes);
      if (e.has_trace_mask) z.set_trace_mask(hex_id(e.trace_mask));
      break;
    case ZkEventKind::kAdminCommand:
      out.set_app_proto("http");
      put_text(e.admin_command, "admin_command", [&](std::string v) { z.set_admin_command(std::move(v)); },
               z.mutable_truncated());
      if (e.four_letter_word[0] != '\0') {
        z.set_four_letter_word(std::string(zookeeper::four_letter_word_text(e.four_letter_word)));
      }
      if (e.has_trace_mask) z.set_trace_mask(hex_id(e.trace_mask));
      z.set_x_forwarded_for(e.x_forwarded_for);
      break;
    case ZkEventKind::kFrameTooLarge:
      z.set_frame_len(e.frame_len);
      z.set_direction(e.direction == zookeeper::ZkDirection::kClient ? "toserver" : "toclient");
      break;
  }
  if (e.malformed) z.set_malformed(true);
  if (e.incomplete) z.set_incomplete(true);
}

}  // namespace segward::mgmt
