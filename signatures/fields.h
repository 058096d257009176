#pragma once
// The decoded fields signature rules test (the list: fields.def), and how
// each one's values are read from a decoder's event. A field belongs to one
// subject, the kind of message that carries it; a rule tests one subject.
// Reading a field allocates nothing: text values point into the event.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/libprocess/mesos_request.h"
#include "decoders/tls/tls_event.h"
#include "decoders/zookeeper/zk_event.h"

namespace segward::signatures {

enum class Subject : std::uint8_t { kMesos, kZookeeper, kTls, kCount };
enum class FieldType : std::uint8_t { kText, kNumber, kBool };

enum class FieldId : std::uint16_t {
#define SEGWARD_FIELD(id, name, subject, type, help) k##id,
#include "signatures/fields.def"
#undef SEGWARD_FIELD
  kCount
};
inline constexpr std::size_t kFieldCount = static_cast<std::size_t>(FieldId::kCount);

struct FieldInfo {
  FieldId id;
  std::string_view name;
  Subject subject;
  FieldType type;
  std::string_view help;
};

[[nodiscard]] std::span<const FieldInfo> field_catalog() noexcept;
[[nodiscard]] const FieldInfo& field_info(FieldId id) noexcept;
// Null for a name that is not a field.
[[nodiscard]] const FieldInfo* find_field(std::string_view name) noexcept;
[[nodiscard]] std::string_view subject_name(Subject s) noexcept;  // mesos, zookeeper, tls

// The values a field can take when the decoders name them from a fixed
// list (mesos.flag, mesos.kind, zookeeper.op, ...): `equals` tests are
// checked against it, so a typo is an error rather than a rule that never
// fires. Empty: free text.
[[nodiscard]] const std::vector<std::string_view>& field_vocabulary(FieldId id);

// One decoded message, as the engine hands it to the rules.
struct MessageView {
  Subject subject = Subject::kMesos;
  const mesos::MesosEvent* mesos = nullptr;
  const mesos::MesosRequestHead* http = nullptr;  // the request's head, when at hand (http.header.*)
  const zookeeper::ZkEvent* zookeeper = nullptr;
  const tls::TlsEvent* tls = nullptr;
};

class ValueSink {
 public:
  virtual void text(std::string_view value) = 0;
  virtual void number(std::int64_t value) = 0;  // bool fields: 0 or 1

 protected:
  ~ValueSink() = default;
};

// Hands every value `field` has in `m` to `sink`: none when the message
// lacks it (which is what `absent` tests), several for the multi-valued
// fields (mesos.flag, mesos.framework.role, zookeeper.op/path of a multi,
// zookeeper.acl, tls.offered_cipher). `m.subject` must be the field's.
void read_field(FieldId field, const MessageView& m, ValueSink& sink) noexcept;

}  // namespace segward::signatures
