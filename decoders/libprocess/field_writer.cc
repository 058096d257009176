#include "decoders/libprocess/field_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>

#include "decoders/common/ascii.h"

namespace segward::mesos {
namespace {

using schema::Field;
using schema::Node;
using schema::NodeRole;
using schema::Slot;

template <std::size_t N>
void put(BoundedText<N>& text, std::string_view value, bool truncated) noexcept {
  text.assign(value);
  if (truncated) text.truncated = true;
}

template <std::size_t N>
void append_joined(BoundedText<N>& text, char separator, std::string_view value, bool truncated) noexcept {
  if (!text.empty()) text.append(std::string_view(&separator, 1));
  text.append(value);
  if (truncated) text.truncated = true;
}

// Decimal text of a signed value, in a caller-owned buffer.
std::string_view decimal(std::int64_t value, std::array<char, 24>& buffer) noexcept {
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data())};
}

bool is_hex(char c) noexcept { return decoders::hex_value(static_cast<unsigned char>(c)) >= 0; }

// A CRAM-MD5 client response (RFC 2195): "<principal> <32 hex digits of HMAC-MD5>".
// Only this exact shape yields a principal; any other step data (a server
// challenge, another mechanism's data, which may hold a password) is never copied.
bool cram_md5_principal(std::string_view data, std::string_view& principal) noexcept {
  constexpr std::size_t kDigestHex = 32;
  if (data.size() < kDigestHex + 2) return false;
  const std::size_t space = data.size() - kDigestHex - 1;
  if (data[space] != ' ') return false;
  for (std::size_t i = space + 1; i < data.size(); ++i) {
    if (!is_hex(data[i])) return false;
  }
  principal = data.substr(0, space);
  return true;
}

// A CRAM-MD5 server challenge: "<random.timestamp@hostname>" (not a secret;
// it names the master's host).
bool cram_md5_challenge(std::string_view data) noexcept {
  return data.size() >= 3 && data.front() == '<' && data.back() == '>' && data.find('@') != std::string_view::npos &&
         data.find(' ') == std::string_view::npos;
}

}  // namespace

int FieldWriter::level() const noexcept {
  if (task_depth_ > 0 && !in_first_task_) return 0;
  return executor_depth_ > 0 ? 1 : 2;
}

std::uint8_t FieldWriter::new_scope() noexcept {
  if (next_scope_ < kScopes) return next_scope_++;
  return static_cast<std::uint8_t>(kScopes);  // past the table: privileged becomes sticky
}

void FieldWriter::set_privileged(bool value) noexcept {
  const std::uint8_t scope = depth_ > 0 && depth_ <= kMaxFrames ? frames_[depth_ - 1].scope : 0;
  if (scope >= kScopes) {
    if (value) privileged_sticky_ = true;
  } else if (value) {
    privileged_scopes_ |= std::uint64_t{1} << scope;
  } else {
    privileged_scopes_ &= ~(std::uint64_t{1} << scope);
  }
  out_.task.privileged = privileged_sticky_ || privileged_scopes_ != 0;
  out_.task.present = true;
}

void FieldWriter::begin(const Field& via) noexcept {
  if (via.child == nullptr) return;
  const Node& node = *via.child;
  if (depth_ >= kMaxFrames) {
    ++overflow_;
    return;
  }
  // Is this a second occurrence of a non-repeated field in the same parent?
  Frame* parent = depth_ > 0 ? &frames_[depth_ - 1] : nullptr;
  Child* first = nullptr;
  bool continuation = false;
  std::int16_t index = -1;
  if (parent != nullptr && !via.repeated) {
    // Field numbers identify fields within their parent; the schema's are
    // all below 64 (a larger one would count every occurrence as new).
    index = static_cast<std::int16_t>(via.number);
    if (via.number > 0 && via.number < 64) {
      const std::uint64_t bit = std::uint64_t{1} << via.number;
      continuation = (parent->entered & bit) != 0;
      parent->entered |= bit;
    }
    for (Child& c : parent->children) {
      if (c.field == index) first = &c;
    }
  }
  Frame& frame = frames_[depth_++];
  frame = Frame{};
  frame.scope = parent != nullptr ? parent->scope : 0;

  auto remember = [&](std::uint8_t scope, bool first_task) {
    if (parent == nullptr || via.repeated) return;
    for (Child& c : parent->children) {
      if (c.field == -1) {
        c = Child{index, scope, first_task};
        return;
      }
    }
  };

  switch (node.role) {
    case NodeRole::kTaskInfo:
      ++task_depth_;
      if (continuation && first != nullptr) {
        in_first_task_ = first->first_task;
        frame.scope = first->scope;
      } else {
        if (out_.task.count < UINT16_MAX) ++out_.task.count;
        in_first_task_ = out_.task.count == 1;
        task_command_.clear();
        frame.scope = new_scope();
        remember(frame.scope, in_first_task_);
      }
      out_.task.present = true;
      break;
    case NodeRole::kExecutorInfo:
      ++executor_depth_;
      if (continuation && first != nullptr) {
        frame.scope = first->scope;
      } else {
        executor_command_.clear();
        frame.scope = new_scope();
        remember(frame.scope, false);
      }
      break;
    case NodeRole::kAgentResource:
      resource_name_.clear();
      resource_value_ = 0;
      resource_has_value_ = false;
      break;
    case NodeRole::kCommandInfo:
    case NodeRole::kPlain:
      break;
  }
}

void FieldWriter::end(const Field& via) noexcept {
  if (via.child == nullptr) return;
  const Node& node = *via.child;
  if (overflow_ > 0) {
    --overflow_;
    return;
  }
  if (depth_ > 0) --depth_;
  switch (node.role) {
    case NodeRole::kTaskInfo:
      if (task_depth_ > 0) --task_depth_;
      in_first_task_ = false;
      break;
    case NodeRole::kExecutorInfo:
      if (executor_depth_ > 0) --executor_depth_;
      break;
    case NodeRole::kAgentResource: {
      if (!resource_has_value_) break;
      const std::string_view name = resource_name_.view();
      double* total = name == "cpus" ? &out_.agent.cpus
                      : name == "mem" ? &out_.agent.mem_mb
                      : name == "disk" ? &out_.agent.disk_mb
                                       : nullptr;
      if (total == nullptr) break;
      if (std::isfinite(*total + resource_value_)) *total += resource_value_;
      out_.agent.present = true;
      break;
    }
    case NodeRole::kCommandInfo:
    case NodeRole::kPlain:
      break;
  }
}

void FieldWriter::write_command(int lvl) noexcept {
  if (lvl < command_level_) return;
  const CommandParts& parts = lvl == 1 ? executor_command_ : task_command_;
  out_.task.command.assign(parts.value.view());
  if (!parts.arguments.empty()) {
    if (!parts.value.empty()) out_.task.command.append(" ");
    out_.task.command.append(parts.arguments.view());
  }
  if (parts.value.truncated || parts.arguments.truncated) out_.task.command.truncated = true;
  command_level_ = lvl;
  out_.task.present = true;
}

void FieldWriter::append_detail(std::string_view label, std::string_view value, bool truncated) noexcept {
  last_list_field_ = nullptr;
  BoundedText<256>& detail = out_.detail;
  if (!detail.empty()) detail.append("; ");
  if (!label.empty()) {
    detail.append(label);
    detail.append("=");
  }
  detail.append(value);
  if (truncated) detail.truncated = true;
}

void FieldWriter::append_detail_list(const Field& field, std::string_view value, bool truncated) noexcept {
  if (last_list_field_ == &field) {
    out_.detail.append(",");
    out_.detail.append(value);
    if (truncated) out_.detail.truncated = true;
    return;
  }
  append_detail(field.label, value, truncated);
  last_list_field_ = &field;
}

void FieldWriter::on_text(const Field& field, std::string_view value, bool truncated) noexcept {
  switch (field.slot) {
    case Slot::kFrameworkName:
      put(out_.framework.name, value, truncated);
      out_.framework.present = true;
      break;
    case Slot::kFrameworkUser:
      put(out_.framework.user, value, truncated);
      out_.framework.present = true;
      break;
    case Slot::kFrameworkPrincipal:
      put(out_.framework.principal, value, truncated);
      out_.framework.present = true;
      break;
    case Slot::kFrameworkId:
      put(out_.framework.id, value, truncated);
      out_.framework.present = true;
      break;
    case Slot::kFrameworkHostname:
      put(out_.framework.hostname, value, truncated);
      out_.framework.present = true;
      break;
    case Slot::kFrameworkRole:
      // Mesos uses the deprecated single role only when no roles are given.
      if (!roles_seen_) {
        put(out_.framework.roles, value, truncated);
        roles_from_role_ = true;
      }
      out_.framework.present = true;
      break;
    case Slot::kFrameworkRoles:
      if (roles_from_role_) {
        out_.framework.roles.clear();
        roles_from_role_ = false;
      }
      roles_seen_ = true;
      append_joined(out_.framework.roles, ',', value, truncated);
      out_.framework.present = true;
      break;
    case Slot::kAgentHostname:
      put(out_.agent.hostname, value, truncated);
      out_.agent.present = true;
      break;
    case Slot::kAgentId:
      put(out_.agent.id, value, truncated);
      out_.agent.present = true;
      break;
    case Slot::kResourceName:
      put(resource_name_, value, truncated);
      break;
    case Slot::kTaskName:
      if (level() == 0 || executor_depth_ > 0) break;
      put(out_.task.name, value, truncated);
      out_.task.present = true;
      break;
    case Slot::kTaskId:
      if (level() == 0 || executor_depth_ > 0) break;
      put(out_.task.id, value, truncated);
      out_.task.present = true;
      break;
    case Slot::kCommandValue:
    case Slot::kCommandArgument: {
      const int lvl = level();
      if (lvl == 0) break;
      CommandParts& parts = lvl == 1 ? executor_command_ : task_command_;
      if (field.slot == Slot::kCommandValue) put(parts.value, value, truncated);
      else append_joined(parts.arguments, ' ', value, truncated);
      write_command(lvl);
      break;
    }
    case Slot::kCommandUser: {
      const int lvl = level();
      if (lvl == 0 || lvl < user_level_) break;
      put(out_.task.user, value, truncated);
      user_level_ = lvl;
      out_.task.present = true;
      break;
    }
    case Slot::kImage: {
      const int lvl = level();
      if (lvl == 0 || lvl < image_level_) break;
      put(out_.task.image, value, truncated);
      image_level_ = lvl;
      out_.task.present = true;
      break;
    }
    case Slot::kHostPath:
      if (out_.task.host_path.empty() && !value.empty()) put(out_.task.host_path, value, truncated);
      out_.task.present = true;
      break;
    case Slot::kDetail:
      append_detail(field.label, value, truncated);
      break;
    case Slot::kDetailList:
      append_detail_list(field, value, truncated);
      break;
    case Slot::kAuthMechanism:
      put(out_.auth_mechanism, value, truncated);
      break;
    case Slot::kAuthMechanisms:
      append_joined(out_.auth_mechanism, ',', value, truncated);
      break;
    case Slot::kAuthStepData: {
      if (truncated) break;  // the shape cannot be checked on a cut value
      std::string_view principal;
      if (cram_md5_principal(value, principal)) {
        out_.auth_principal.assign(principal);
      } else if (cram_md5_challenge(value)) {
        append_detail("challenge", value, false);
      }
      break;
    }
    case Slot::kCallType:
    case Slot::kTaskState:
      on_enum_name(field, value, truncated);
      break;
    default:
      break;  // a text value where the slot wants a number: ignored
  }
}

void FieldWriter::on_varint(const Field& field, std::uint64_t value) noexcept {
  if (field.kind == schema::Kind::kEnum) {
    const int number = static_cast<int>(static_cast<std::int32_t>(value));
    on_enum(field, number, field.enums ? schema::find_enum(*field.enums, number) : nullptr);
    return;
  }
  switch (field.slot) {
    case Slot::kFrameworkCheckpoint:
      out_.framework.checkpoint = value != 0;
      out_.framework.present = true;
      break;
    case Slot::kFrameworkFailover:
      out_.framework.failover = value != 0;
      out_.framework.present = true;
      break;
    case Slot::kAgentPort:
      out_.agent.port = static_cast<std::int32_t>(value);
      out_.agent.present = true;
      break;
    case Slot::kPrivileged:
      set_privileged(value != 0);
      break;
    case Slot::kDetailBool:
      append_detail(field.label, value != 0 ? "true" : "false", false);
      break;
    case Slot::kDetailInt: {
      std::array<char, 24> buffer{};
      const std::int64_t signed_value = field.kind == schema::Kind::kInt ? static_cast<std::int64_t>(value) : 0;
      append_detail(field.label, decimal(signed_value, buffer), false);
      break;
    }
    default:
      break;
  }
}

void FieldWriter::on_double(const Field& field, double value) noexcept {
  // NaN and infinities are no quantity (and no valid JSON downstream).
  if (field.slot == Slot::kResourceScalar && std::isfinite(value)) {
    resource_value_ = value;
    resource_has_value_ = true;
  }
}

void FieldWriter::on_enum_name(const Field& field, std::string_view name, bool truncated) noexcept {
  const schema::EnumName* known = field.enums ? schema::find_enum(*field.enums, name) : nullptr;
  if (known != nullptr) {
    on_enum(field, known->value, known);
    return;
  }
  if (field.slot == Slot::kCallType) {
    // Mesos would refuse the call; what was attempted is still worth reporting.
    put(out_.call, name, truncated);
    call_class_ = EndpointClass::kUnclassified;
    saw_call_type_ = true;
  }
}

void FieldWriter::on_enum(const Field& field, int value, const schema::EnumName* known) noexcept {
  std::array<char, 24> buffer{};
  const std::string_view name = known != nullptr ? known->name : decimal(value, buffer);
  switch (field.slot) {
    case Slot::kCallType:
      out_.call.assign(name);
      call_class_ = known != nullptr ? known->cls : EndpointClass::kUnclassified;
      saw_call_type_ = true;
      break;
    case Slot::kTaskState:
      if (level() == 0) break;
      out_.task.state.assign(name);
      out_.task.present = true;
      break;
    case Slot::kFrameworkCapability:
      if (value >= 0 && value < 32) out_.framework.capabilities |= 1u << value;
      out_.framework.present = true;
      break;
    case Slot::kDetailList:
      append_detail_list(field, name, false);
      break;
    case Slot::kDetail:
      append_detail(field.label, name, false);
      break;
    default:
      break;
  }
}

void FieldWriter::on_array_begin(const Field& field) noexcept {
  switch (field.slot) {
    case Slot::kFrameworkRoles:
      out_.framework.roles.clear();
      roles_from_role_ = false;
      break;
    case Slot::kAuthMechanisms:
      out_.auth_mechanism.clear();
      break;
    case Slot::kFrameworkCapability:
      out_.framework.capabilities = 0;
      break;
    default:
      break;
  }
}

}  // namespace segward::mesos
