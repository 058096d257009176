#include "signatures/fields.h"

#include <array>
#include <charconv>

namespace segward::signatures {

namespace {

constexpr std::array<FieldInfo, kFieldCount> kCatalog{{
#define SEGWARD_FIELD(id, name, subject, type, help) {FieldId::k##id, name, Subject::subject, FieldType::type, help},
#include "signatures/fields.def"
#undef SEGWARD_FIELD
}};

// An empty text is no value: `absent` holds on it.
void text(ValueSink& sink, std::string_view v) {
  if (!v.empty()) sink.text(v);
}

// Each item of a `sep`-joined list.
void each_item(ValueSink& sink, std::string_view list, char sep) {
  while (!list.empty()) {
    const std::size_t at = list.find(sep);
    text(sink, list.substr(0, at));
    if (at == std::string_view::npos) break;
    list.remove_prefix(at + 1);
  }
}

void read_mesos(FieldId field, const mesos::MesosEvent& e, const mesos::MesosRequestHead* head, ValueSink& sink) {
  // Headers are in the request's head, which only the live decoder has.
  auto header = [&](const auto& value, bool present) {
    if (head != nullptr && present) text(sink, value.view());
  };
  switch (field) {
    case FieldId::kHttpMethod: text(sink, e.http.method.view()); break;
    case FieldId::kHttpUri: text(sink, e.http.uri.view()); break;
    case FieldId::kHttpUserAgent: if (head != nullptr) header(head->user_agent, head->has_user_agent); break;
    case FieldId::kHttpHost: if (head != nullptr) header(head->host, head->has_host); break;
    case FieldId::kHttpContentType: if (head != nullptr) header(head->content_type, true); break;
    case FieldId::kHttpContentEncoding: if (head != nullptr) header(head->content_encoding, true); break;
    case FieldId::kHttpAccept: if (head != nullptr) header(head->accept, true); break;
    case FieldId::kHttpLibprocessFrom: if (head != nullptr) header(head->libprocess_from, head->has_libprocess_from); break;
    case FieldId::kHttpStreamId: text(sink, e.stream_id.view()); break;
    case FieldId::kHttpAuthorization:
      if (e.auth_scheme != mesos::AuthScheme::kNone) sink.text(mesos::auth_scheme_name(e.auth_scheme));
      break;
    case FieldId::kMesosKind: sink.text(mesos::mesos_kind_name(e.kind)); break;
    case FieldId::kMesosMessage: text(sink, e.message.view()); break;
    case FieldId::kMesosCall: text(sink, e.call.view()); break;
    case FieldId::kMesosApi: sink.text(mesos::api_family_name(e.api)); break;
    case FieldId::kMesosEndpoint: text(sink, e.endpoint.view()); break;
    case FieldId::kMesosEndpointClass: sink.text(mesos::endpoint_class_name(e.endpoint_class)); break;
    case FieldId::kMesosReceiver: text(sink, e.receiver.view()); break;
    case FieldId::kMesosFromPid: text(sink, e.from_pid.view()); break;
    case FieldId::kMesosPidCheck: sink.text(mesos::pid_check_name(e.pid_check)); break;
    case FieldId::kMesosAuth: sink.text(mesos::auth_scheme_name(e.auth_scheme)); break;
    case FieldId::kMesosFlag:
      for (std::size_t bit = 0; bit < mesos::kMesosFlagCount; ++bit) {
        const auto flag = static_cast<mesos::MesosFlag>(1u << bit);
        if (mesos::has_flag(e.flags, flag)) sink.text(mesos::mesos_flag_name(flag));
      }
      break;
    case FieldId::kMesosDetail: text(sink, e.detail.view()); break;
    case FieldId::kMesosDecodeStatus: sink.text(mesos::decode_status_name(e.status)); break;
    case FieldId::kMesosAuthMechanism: text(sink, e.auth_mechanism.view()); break;
    case FieldId::kMesosAuthPrincipal: text(sink, e.auth_principal.view()); break;
    case FieldId::kMesosBodyBytes: sink.number(e.body_bytes); break;
    case FieldId::kFrameworkName: text(sink, e.framework.name.view()); break;
    case FieldId::kFrameworkUser: text(sink, e.framework.user.view()); break;
    case FieldId::kFrameworkPrincipal: text(sink, e.framework.principal.view()); break;
    case FieldId::kFrameworkRoles: each_item(sink, e.framework.roles.view(), ','); break;
    case FieldId::kFrameworkId: text(sink, e.framework.id.view()); break;
    case FieldId::kFrameworkHostname: text(sink, e.framework.hostname.view()); break;
    case FieldId::kFrameworkPresent: sink.number(e.framework.present ? 1 : 0); break;
    case FieldId::kFrameworkCheckpoint:
      if (e.framework.present) sink.number(e.framework.checkpoint ? 1 : 0);
      break;
    case FieldId::kAgentHostname: text(sink, e.agent.hostname.view()); break;
    case FieldId::kAgentId: text(sink, e.agent.id.view()); break;
    case FieldId::kTaskName: text(sink, e.task.name.view()); break;
    case FieldId::kTaskCommand: text(sink, e.task.command.view()); break;
    case FieldId::kTaskImage: text(sink, e.task.image.view()); break;
    case FieldId::kTaskHostPath: text(sink, e.task.host_path.view()); break;
    case FieldId::kTaskUser: text(sink, e.task.user.view()); break;
    case FieldId::kTaskState: text(sink, e.task.state.view()); break;
    case FieldId::kTaskPrivileged:
      if (e.task.present) sink.number(e.task.privileged ? 1 : 0);
      break;
    case FieldId::kTaskCount:
      if (e.task.present) sink.number(e.task.count);
      break;
    default: break;
  }
}

// Opcodes whose requests carry an ACL list (create, create2, setACL, createContainer, createTTL).
bool carries_acl(std::int32_t op) {
  using namespace zookeeper::opcode;
  return op == kCreate || op == kCreate2 || op == kSetAcl || op == kCreateContainer || op == kCreateTtl;
}

bool is_multi(const zookeeper::ZkEvent& e) {
  return e.kind == zookeeper::ZkEventKind::kRequest &&
         (e.opcode == zookeeper::opcode::kMulti || e.opcode == zookeeper::opcode::kMultiRead);
}

void read_zookeeper(FieldId field, const zookeeper::ZkEvent& e, ValueSink& sink) {
  using zookeeper::ZkEventKind;
  const bool request = e.kind == ZkEventKind::kRequest;
  const std::size_t acls = std::min<std::size_t>(e.acl_count, e.acl.size());
  const std::size_t sub_ops = is_multi(e) ? std::min<std::size_t>(e.sub_op_count, e.sub_ops.size()) : 0;
  switch (field) {
    case FieldId::kZkKind: sink.text(zookeeper::event_kind_name(e.kind)); break;
    case FieldId::kZkOp:
      if (!request) break;
      sink.text(zookeeper::opcode_name(e.opcode));
      for (std::size_t i = 0; i < sub_ops; ++i) sink.text(zookeeper::opcode_name(e.sub_ops[i].opcode));
      break;
    case FieldId::kZkOpcode:
      if (!request) break;
      sink.number(e.opcode);
      for (std::size_t i = 0; i < sub_ops; ++i) sink.number(e.sub_ops[i].opcode);
      break;
    case FieldId::kZkPath:
      text(sink, e.path.view());
      for (std::size_t i = 0; i < sub_ops; ++i) text(sink, e.sub_ops[i].path.view());
      break;
    case FieldId::kZkFourLetterWord:
      if (e.kind == ZkEventKind::kFourLetterWord || e.kind == ZkEventKind::kAdminCommand) {
        if (e.four_letter_word[0] != 0) sink.text(zookeeper::four_letter_word_text(e.four_letter_word));
      }
      break;
    case FieldId::kZkAdminCommand:
      if (e.kind == ZkEventKind::kAdminCommand) text(sink, e.admin_command.view());
      break;
    case FieldId::kZkAuthScheme: text(sink, e.auth_scheme.view()); break;
    case FieldId::kZkAuthUser: text(sink, e.auth_user.view()); break;
    case FieldId::kZkAcl:
    case FieldId::kZkAclPerms: {
      if (!request || !carries_acl(e.opcode)) break;
      // "scheme:id" assembled in a stack buffer: the event keeps them apart.
      for (std::size_t i = 0; i < acls; ++i) {
        const zookeeper::ZkAcl& a = e.acl[i];
        if (field == FieldId::kZkAclPerms) {
          sink.number(a.perms);
          continue;
        }
        std::array<char, decltype(a.scheme)::capacity() + 1 + decltype(a.id)::capacity()> joined;
        const std::string_view scheme = a.scheme.view(), id = a.id.view();
        std::copy(scheme.begin(), scheme.end(), joined.begin());
        joined[scheme.size()] = ':';
        std::copy(id.begin(), id.end(), joined.begin() + scheme.size() + 1);
        sink.text({joined.data(), scheme.size() + 1 + id.size()});
      }
      break;
    }
    case FieldId::kZkCreateMode:
      if (e.has_flags) sink.number(e.flags);
      for (std::size_t i = 0; i < sub_ops; ++i) {
        if (e.sub_ops[i].has_flags) sink.number(e.sub_ops[i].flags);
      }
      break;
    case FieldId::kZkDataLength:
      if (e.data_len >= 0) sink.number(e.data_len);
      for (std::size_t i = 0; i < sub_ops; ++i) {
        if (e.sub_ops[i].data_len >= 0) sink.number(e.sub_ops[i].data_len);
      }
      break;
    case FieldId::kZkFrameLength:
      if (request || e.kind == ZkEventKind::kFrameTooLarge) sink.number(e.frame_len);
      break;
    case FieldId::kZkCredentialsSent:
      if (request && e.opcode == zookeeper::opcode::kAuth) sink.number(e.credentials_sent ? 1 : 0);
      break;
    case FieldId::kZkPasswordSent:
      if (e.kind == ZkEventKind::kConnect) sink.number(e.password_sent ? 1 : 0);
      break;
    case FieldId::kZkRequestedSession:
      if (e.kind == ZkEventKind::kConnect) sink.number(static_cast<std::int64_t>(e.requested_session_id));
      break;
    case FieldId::kZkTraceMask:
      if (e.has_trace_mask) sink.number(static_cast<std::int64_t>(e.trace_mask));
      break;
    case FieldId::kZkReconfigJoining:
      if (request && e.opcode == zookeeper::opcode::kReconfig) text(sink, e.detail.reconfig_joining.view());
      break;
    case FieldId::kZkReconfigLeaving:
      if (request && e.opcode == zookeeper::opcode::kReconfig) text(sink, e.detail.reconfig_leaving.view());
      break;
    case FieldId::kZkReconfigMembers:
      if (request && e.opcode == zookeeper::opcode::kReconfig) text(sink, e.detail.reconfig_members.view());
      break;
    default: break;
  }
}

// The cipher suites of a JA3 string ("771,4865-4866-49195,0-23,29,0"): its second field.
void offered_ciphers(std::string_view ja3, ValueSink& sink) {
  const std::size_t first = ja3.find(',');
  if (first == std::string_view::npos) return;
  std::string_view list = ja3.substr(first + 1);
  list = list.substr(0, list.find(','));
  while (!list.empty()) {
    const std::size_t at = list.find('-');
    const std::string_view item = list.substr(0, at);
    std::int64_t v = 0;
    if (std::from_chars(item.data(), item.data() + item.size(), v).ec == std::errc{}) sink.number(v);
    if (at == std::string_view::npos) break;
    list.remove_prefix(at + 1);
  }
}

void read_tls(FieldId field, const tls::TlsEvent& e, ValueSink& sink) {
  switch (field) {
    case FieldId::kTlsSni: text(sink, e.sni.view()); break;
    case FieldId::kTlsVersion: if (e.server_hello_seen) sink.number(e.version); break;
    case FieldId::kTlsClientVersion: if (e.client_hello_seen) sink.number(e.client_version); break;
    case FieldId::kTlsCipher: if (e.server_hello_seen) sink.number(e.cipher_suite); break;
    case FieldId::kTlsCipherName:
      if (e.server_hello_seen) text(sink, tls::cipher_suite_name(e.cipher_suite));
      break;
    case FieldId::kTlsOfferedCipher: offered_ciphers(e.ja3_string.view(), sink); break;
    case FieldId::kTlsJa3:
      if (e.client_hello_seen) sink.text({e.ja3_hash.data(), e.ja3_hash.size()});
      break;
    case FieldId::kTlsJa4: text(sink, e.ja4.view()); break;
    case FieldId::kTlsAlpn: text(sink, e.alpn_offered.view()); break;
    case FieldId::kTlsSubject: text(sink, e.subject.view()); break;
    case FieldId::kTlsIssuer: text(sink, e.issuer.view()); break;
    case FieldId::kTlsNotAfter: if (e.certificate_seen) sink.number(e.not_after); break;
    case FieldId::kTlsSslv2Hello: sink.number(e.sslv2_client_hello ? 1 : 0); break;
    case FieldId::kTlsServerHello: sink.number(e.server_hello_seen ? 1 : 0); break;
    case FieldId::kTlsAlert: if (e.alert_seen) sink.number(e.alert_description); break;
    default: break;
  }
}

// Every name `name_of` gives for the values 0, 1, ... until it says
// "unknown" (or nothing).
template <class Enum, class NameOf>
std::vector<std::string_view> enum_names(NameOf name_of) {
  std::vector<std::string_view> names;
  for (unsigned v = 0; v < 256; ++v) {
    const std::string_view n = name_of(static_cast<Enum>(v));
    if (n.empty() || n == "unknown") break;
    names.push_back(n);
  }
  return names;
}

std::vector<std::string_view> vocabulary_of(FieldId id) {
  switch (id) {
    case FieldId::kMesosFlag: {
      std::vector<std::string_view> names;
      for (std::size_t bit = 0; bit < mesos::kMesosFlagCount; ++bit) {
        names.push_back(mesos::mesos_flag_name(static_cast<mesos::MesosFlag>(1u << bit)));
      }
      return names;
    }
    case FieldId::kMesosKind: return enum_names<mesos::MesosKind>(mesos::mesos_kind_name);
    case FieldId::kMesosApi: return enum_names<mesos::ApiFamily>(mesos::api_family_name);
    case FieldId::kMesosEndpointClass: return enum_names<mesos::EndpointClass>(mesos::endpoint_class_name);
    case FieldId::kMesosPidCheck: return enum_names<mesos::PidCheck>(mesos::pid_check_name);
    case FieldId::kMesosAuth: return enum_names<mesos::AuthScheme>(mesos::auth_scheme_name);
    case FieldId::kHttpAuthorization: {
      auto names = enum_names<mesos::AuthScheme>(mesos::auth_scheme_name);
      names.erase(names.begin());  // "none" is the header's absence: `absent: true`
      return names;
    }
    case FieldId::kMesosDecodeStatus: return enum_names<mesos::DecodeStatus>(mesos::decode_status_name);
    case FieldId::kZkKind: return enum_names<zookeeper::ZkEventKind>(zookeeper::event_kind_name);
    case FieldId::kZkOp: {
      std::vector<std::string_view> names;
      for (std::int32_t op = -16; op < 256; ++op) {
        const std::string_view n = zookeeper::opcode_name(op);
        if (!n.empty() && n != "unknown") names.push_back(n);
      }
      return names;
    }
    default: return {};
  }
}

}  // namespace

const std::vector<std::string_view>& field_vocabulary(FieldId id) {
  static const auto all = [] {
    std::array<std::vector<std::string_view>, kFieldCount> v;
    for (std::size_t i = 0; i < kFieldCount; ++i) v[i] = vocabulary_of(static_cast<FieldId>(i));
    return v;
  }();
  return all[static_cast<std::size_t>(id)];
}

std::span<const FieldInfo> field_catalog() noexcept { return kCatalog; }

const FieldInfo& field_info(FieldId id) noexcept { return kCatalog[static_cast<std::size_t>(id)]; }

const FieldInfo* find_field(std::string_view name) noexcept {
  for (const FieldInfo& f : kCatalog) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string_view subject_name(Subject s) noexcept {
  switch (s) {
    case Subject::kMesos: return "mesos";
    case Subject::kZookeeper: return "zookeeper";
    case Subject::kTls: return "tls";
    case Subject::kCount: break;
  }
  return "unknown";
}

void read_field(FieldId field, const MessageView& m, ValueSink& sink) noexcept {
  switch (m.subject) {
    case Subject::kMesos: if (m.mesos != nullptr) read_mesos(field, *m.mesos, m.http, sink); break;
    case Subject::kZookeeper: if (m.zookeeper != nullptr) read_zookeeper(field, *m.zookeeper, sink); break;
    case Subject::kTls: if (m.tls != nullptr) read_tls(field, *m.tls, sink); break;
    case Subject::kCount: break;
  }
}

}  // namespace segward::signatures
