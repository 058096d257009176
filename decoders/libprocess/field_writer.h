#pragma once
// FieldWriter: where both body scanners (protobuf, JSON) put what they
// decode. It turns (schema::Field, value) pairs into MesosEvent fields, so
// the meaning of every field lives here once, whatever the encoding.
//
// Context rules (a TaskInfo can sit in many places):
//  - task.count counts TaskInfos; name, id, command, image and user are the
//    first TaskInfo's (or, outside any TaskInfo, the message's own, e.g.
//    KillTaskMessage.task_id or a nested container's command);
//  - a command or image inside an ExecutorInfo is used only while no
//    task-level one has been seen (custom executors carry the command);
//  - privileged: true when any task's or executor's container says so, each
//    one's own value being the last one given for it; host_path is the
//    first one seen anywhere;
//  - a non-repeated message field given twice (RunTaskMessage.task twice,
//    an ExecutorInfo twice) is one message, as protobuf merges it: not a
//    second task, and its fields continue the first occurrence's;
//  - CommandInfo.value and its arguments are joined with spaces, whatever
//    order they arrive in;
//  - scalar fields: the last value wins (protobuf's rule, and Mesos's for
//    duplicate JSON keys); repeated text (roles, mechanisms) is joined with
//    ','; a JSON array for a repeated field replaces an earlier one.
//
// No allocation; all state is fixed-size. One FieldWriter per body.
#include <array>
#include <cstdint>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/schema.h"

namespace segward::mesos {

class FieldWriter {
 public:
  explicit FieldWriter(MesosEvent& out) noexcept : out_(out) {}

  /// Entering the message `via` leads to (*via.child); `via` is a
  /// synthetic field for the root. Calls nest: every begin has its end,
  /// unless the scan stops on an error.
  void begin(const schema::Field& via) noexcept;
  void end(const schema::Field& via) noexcept;

  /// A string or bytes value; `truncated`: the value was longer than what is passed.
  void on_text(const schema::Field& field, std::string_view value, bool truncated) noexcept;
  /// A varint: bool, integer or enum number.
  void on_varint(const schema::Field& field, std::uint64_t value) noexcept;
  void on_double(const schema::Field& field, double value) noexcept;
  /// An enum given by name (JSON). Unknown names are dropped, as Mesos does
  /// for optional fields, except a call type, which is kept as sent.
  void on_enum_name(const schema::Field& field, std::string_view name, bool truncated) noexcept;
  /// JSON: an array for a repeated field starts (a duplicate key's array replaces the first).
  void on_array_begin(const schema::Field& field) noexcept;

  /// The README class of the call type seen (kUnclassified if none or unknown).
  [[nodiscard]] EndpointClass call_class() const noexcept { return call_class_; }
  [[nodiscard]] bool saw_call_type() const noexcept { return saw_call_type_; }

 private:
  struct CommandParts {
    BoundedText<256> value;
    BoundedText<256> arguments;
    void clear() noexcept {
      value.clear();
      arguments.clear();
    }
  };

  // 0: ignore (not the first task), 1: executor level, 2: task level.
  [[nodiscard]] int level() const noexcept;
  void write_command(int level) noexcept;
  void on_enum(const schema::Field& field, int value, const schema::EnumName* known) noexcept;
  void append_detail(std::string_view label, std::string_view value, bool truncated) noexcept;
  void append_detail_list(const schema::Field& field, std::string_view value, bool truncated) noexcept;

  // One open message. `entered`: the non-repeated message fields already
  // entered in it (bit = field index), so a second occurrence continues the
  // first; `children` remembers, for TaskInfo/ExecutorInfo fields, what the
  // first occurrence was.
  struct Child {
    std::int16_t field = -1;
    std::uint8_t scope = 0;
    bool first_task = false;
  };
  struct Frame {
    std::uint64_t entered = 0;
    std::uint8_t scope = 0;  // privileged scope of this context
    std::array<Child, 4> children{};
  };
  static constexpr std::size_t kMaxFrames = 48;  // deeper than either scanner goes
  static constexpr std::size_t kScopes = 64;

  void set_privileged(bool value) noexcept;
  [[nodiscard]] std::uint8_t new_scope() noexcept;

  MesosEvent& out_;
  std::array<Frame, kMaxFrames> frames_{};
  std::size_t depth_ = 0;
  std::size_t overflow_ = 0;  // begins past kMaxFrames (not tracked)
  std::uint64_t privileged_scopes_ = 0;  // bit n: scope n's last DockerInfo.privileged
  std::uint8_t next_scope_ = 1;          // scope 0: outside any task or executor
  bool privileged_sticky_ = false;       // a privileged scope past kScopes
  int task_depth_ = 0;
  int executor_depth_ = 0;
  bool in_first_task_ = false;
  int command_level_ = 0, image_level_ = 0, user_level_ = 0;  // level of what out_ holds
  CommandParts task_command_, executor_command_;
  bool roles_from_role_ = false;  // framework.roles holds the deprecated single role
  bool roles_seen_ = false;
  BoundedText<16> resource_name_;
  double resource_value_ = 0;
  bool resource_has_value_ = false;
  const schema::Field* last_list_field_ = nullptr;  // the detail list being appended to
  EndpointClass call_class_ = EndpointClass::kUnclassified;
  bool saw_call_type_ = false;
};

}  // namespace segward::mesos
