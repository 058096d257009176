#pragma once
// The table both Mesos body scanners walk: which fields of which protobuf
// messages segward reads, and what each one means for a MesosEvent.
//
// One Node per message type (per context, where the same type means
// different things, e.g. SlaveID inside a TaskInfo and at the top of a
// call). A Field carries the protobuf field number (always taken from the
// generated classes' k...FieldNumber constants, so the .proto files stay
// the one schema), the proto field name (the key of Mesos's JSON form) and
// a Slot: what to do with the value. The protobuf scanner (proto_scan.h)
// finds fields by number, the JSON scanner (mesos_api/json_scan.h) by
// name; both hand values to one FieldWriter (field_writer.h), so the two
// encodings extract exactly the same things.
//
// Everything here is constant data (constinit), read-only and shared by
// all workers.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"

namespace segward::mesos::schema {

// The protobuf type of a field, as far as decoding needs it.
enum class Kind : std::uint8_t {
  kMessage,  // length-delimited, decoded with Field::child
  kString,   // length-delimited text
  kBytes,    // length-delimited, binary (JSON: base64; not decoded from JSON)
  kBool,     // varint
  kEnum,     // varint; JSON: the value's name (Field::enums)
  kInt,      // varint (int32, uint32, int64, uint64)
  kDouble,   // fixed64
};

// What a decoded value does to the MesosEvent (see FieldWriter).
enum class Slot : std::uint8_t {
  kNone,
  // framework
  kFrameworkName,
  kFrameworkUser,
  kFrameworkPrincipal,
  kFrameworkRole,   // deprecated single role: used when no roles are given
  kFrameworkRoles,  // repeated; joined with ','
  kFrameworkId,
  kFrameworkHostname,
  kFrameworkCheckpoint,
  kFrameworkCapability,  // enum value n sets bit n (also on the repeated message: a JSON array resets the bits)
  kFrameworkFailover,    // ReregisterFrameworkMessage.failover, v0 Subscribe.force
  // agent
  kAgentHostname,
  kAgentId,
  kAgentPort,
  kResourceName,    // Resource.name inside an agent's SlaveInfo
  kResourceScalar,  // Resource.scalar.value: summed into cpus/mem/disk by name
  // task
  kTaskName,
  kTaskId,
  kCommandValue,
  kCommandArgument,
  kCommandUser,
  kImage,  // DockerInfo.image, Image.Docker.name, Image.Appc.name
  kPrivileged,
  kHostPath,
  kTaskState,
  // call / message
  kCallType,       // the call's or event's type enum: its name goes to `call`
  kDetail,         // text into `detail` (as "label=value" when Field::label is set)
  kDetailBool,     // "label=true|false" into `detail`
  kDetailInt,      // "label=<n>" into `detail`
  kDetailList,     // repeated: "label=a,b,c" into `detail` (enum names or text)
  kAuthMechanism,  // AuthenticationStartMessage.mechanism
  kAuthMechanisms, // repeated AuthenticationMechanismsMessage.mechanisms: joined with ','
  kAuthStepData,   // AuthenticationStepMessage.data: only a CRAM-MD5 response's principal is kept
};

// What entering or leaving a message does (for fields whose meaning
// depends on where they sit).
enum class NodeRole : std::uint8_t {
  kPlain,
  kTaskInfo,      // one more task; only the first one's name/id/command/image are kept
  kExecutorInfo,  // command and image inside count only when no task-level one exists
  kCommandInfo,   // value and arguments are joined into task.command
  kAgentResource, // Resource of a SlaveInfo: name and scalar are summed at its end
};

struct EnumName {
  int value;
  std::string_view name;
  EndpointClass cls = EndpointClass::kUnclassified;  // call types only: the README's class
};

struct EnumTable {
  std::string_view full_name;  // e.g. "mesos.TaskState"; tests check the table against the descriptor
  std::span<const EnumName> values;
};

struct Node;

struct Field {
  int number;
  std::string_view name;
  Kind kind;
  Slot slot = Slot::kNone;
  bool repeated = false;
  const Node* child = nullptr;        // kMessage
  const EnumTable* enums = nullptr;   // kEnum
  std::string_view label{};           // kDetail*: the "label=" written before the value
};

struct Node {
  std::string_view full_name;  // e.g. "mesos.FrameworkInfo"; tests check every field against the descriptor
  std::span<const Field> fields;
  NodeRole role = NodeRole::kPlain;
};

/// The field with this number, or nullptr.
[[nodiscard]] inline const Field* find_field(const Node& node, int number) noexcept {
  for (const Field& f : node.fields) {
    if (f.number == number) return &f;
  }
  return nullptr;
}

/// The field with this proto name (case-sensitive, as Mesos's JSON parser), or nullptr.
[[nodiscard]] inline const Field* find_field(const Node& node, std::string_view name) noexcept {
  for (const Field& f : node.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

[[nodiscard]] inline const EnumName* find_enum(const EnumTable& table, int value) noexcept {
  for (const EnumName& e : table.values) {
    if (e.value == value) return &e;
  }
  return nullptr;
}

[[nodiscard]] inline const EnumName* find_enum(const EnumTable& table, std::string_view name) noexcept {
  for (const EnumName& e : table.values) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// Constructors that keep the tables readable.
constexpr Field message(int number, std::string_view name, const Node& child, bool repeated = false,
                       Slot slot = Slot::kNone) noexcept {
  return Field{number, name, Kind::kMessage, slot, repeated, &child, nullptr, {}};
}
constexpr Field text(int number, std::string_view name, Slot slot, bool repeated = false,
                     std::string_view label = {}) noexcept {
  return Field{number, name, Kind::kString, slot, repeated, nullptr, nullptr, label};
}
constexpr Field bytes(int number, std::string_view name, Slot slot) noexcept {
  return Field{number, name, Kind::kBytes, slot, false, nullptr, nullptr, {}};
}
constexpr Field boolean(int number, std::string_view name, Slot slot, std::string_view label = {}) noexcept {
  return Field{number, name, Kind::kBool, slot, false, nullptr, nullptr, label};
}
constexpr Field integer(int number, std::string_view name, Slot slot, std::string_view label = {}) noexcept {
  return Field{number, name, Kind::kInt, slot, false, nullptr, nullptr, label};
}
constexpr Field real(int number, std::string_view name, Slot slot) noexcept {
  return Field{number, name, Kind::kDouble, slot, false, nullptr, nullptr, {}};
}
constexpr Field enumeration(int number, std::string_view name, Slot slot, const EnumTable& table,
                            bool repeated = false, std::string_view label = {}) noexcept {
  return Field{number, name, Kind::kEnum, slot, repeated, nullptr, &table, label};
}

}  // namespace segward::mesos::schema
