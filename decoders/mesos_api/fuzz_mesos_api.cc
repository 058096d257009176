// Fuzz target for the v1 API decoder. Byte 0 picks what the rest is:
//   0-4  a v1 call body of API (scheduler, executor, master operator, agent
//        operator, resource provider), sniffed or by byte 1 (bit 0: JSON,
//        bit 1: protobuf), through decode_v1_call
//   5    a JSON document, validated only
//   6    a RecordIO stream fed in pieces (sizes from byte 1), its records
//        decoded as scheduler events
//   7    a request target, through match_endpoint
//   8    a SchedulerCall in protobuf: when protobuf itself parses it, the
//        protobuf and JSON (MessageToJsonString) paths must agree
// Checks: no crash, no read outside the input (ASan), bounded fields, and
// the differential of mode 8.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "decoders/libprocess/mesos_event.h"
#include "decoders/mesos_api/endpoints.h"
#include "decoders/mesos_api/json_scan.h"
#include "decoders/mesos_api/recordio.h"
#include "decoders/mesos_api/v1.pb.h"
#include "decoders/mesos_api/v1_call.h"

namespace {

using namespace segward::mesos;

void check(bool invariant) {
  if (!invariant) std::abort();
}

// protobuf logs every invalid UTF-8 string it parses (mode 8): noise here.
[[maybe_unused]] const bool kQuietProtobuf = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

void check_event(const MesosEvent& e) {
  check(decode_status_name(e.status) != "unknown");
  check(endpoint_class_name(e.endpoint_class) != "unknown");
  check(e.call.size <= e.call.capacity() && e.detail.size <= e.detail.capacity());
  check(e.framework.roles.size <= e.framework.roles.capacity());
  check(e.task.command.size <= e.task.command.capacity());
}

struct EventSink {
  std::uint64_t seen = 0;
  void on_record(std::span<const std::uint8_t> first, std::uint64_t full) {
    check(first.size() <= RecordIoReader::kKeepBytes);
    check(first.size() == (full < RecordIoReader::kKeepBytes ? full : RecordIoReader::kKeepBytes));
    MesosEvent e;
    decode_scheduler_event(first, BodyEncoding::kNone, e);
    check(e.is_response);
    check_event(e);
    ++seen;
  }
};

bool printable(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

void differential(std::span<const std::uint8_t> bytes) {
  mesos::v1::SchedulerCall call;
  if (!call.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return;
  MesosEvent from_protobuf;
  decode_v1_call(ApiFamily::kScheduler, BodyEncoding::kProtobuf, bytes, from_protobuf);
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(call, &json, options).ok()) return;
  MesosEvent from_json;
  decode_v1_call(ApiFamily::kScheduler, BodyEncoding::kJson,
                 std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(json.data()), json.size()),
                 from_json);
  check(from_json.status == DecodeStatus::kOk);  // what protobuf prints, the scanner reads
  if (from_protobuf.status != DecodeStatus::kOk) return;  // e.g. a known field with another wire type
  // Where the wire order and the printer's field order can differ (two
  // FrameworkInfos, enum values protobuf files as unknown), no comparison.
  if (call.has_subscribe() && call.has_update_framework()) return;
  const auto& a = from_protobuf.framework;
  const auto& b = from_json.framework;
  for (const auto& [x, y] : {std::pair{a.name.view(), b.name.view()}, std::pair{a.user.view(), b.user.view()},
                             std::pair{a.principal.view(), b.principal.view()},
                             std::pair{a.hostname.view(), b.hostname.view()}}) {
    if (printable(x)) check(x == y);
  }
  if (printable(a.roles.view())) check(a.roles.view() == b.roles.view());
  check(from_protobuf.task.count == from_json.task.count);
  check(from_protobuf.task.privileged == from_json.task.privileged);
  if (call.has_type() && from_protobuf.call.view() == mesos::v1::SchedulerCall::Type_Name(call.type())) {
    check(from_json.call.view() == from_protobuf.call.view());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t mode = data[0] % 9;
  const std::uint8_t option = data[1];
  const std::span<const std::uint8_t> rest(data + 2, size - 2);
  switch (mode) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4: {
      static constexpr ApiFamily kApis[] = {ApiFamily::kScheduler, ApiFamily::kExecutor, ApiFamily::kMasterOperator,
                                            ApiFamily::kAgentOperator, ApiFamily::kResourceProvider};
      const BodyEncoding encoding = (option & 1) != 0   ? BodyEncoding::kJson
                                    : (option & 2) != 0 ? BodyEncoding::kProtobuf
                                                        : BodyEncoding::kNone;
      MesosEvent e;
      decode_v1_call(kApis[mode], encoding, rest, e);
      check_event(e);
      check(e.body_encoding == BodyEncoding::kJson || e.body_encoding == BodyEncoding::kProtobuf);
      if (!e.call.empty() && e.status == DecodeStatus::kOk) {
        check(classify_call(kApis[mode], e.call.view()) == e.endpoint_class);
      }
      break;
    }
    case 5: {
      const json::JsonScanResult r = json::scan_json(rest, nullptr, nullptr);
      check(r.offset <= rest.size());
      check(r.max_depth <= json::kMaxJsonDepth);
      check(json::json_error_name(r.error) != "unknown");
      break;
    }
    case 6: {
      RecordIoReader reader(1u << 20);
      EventSink sink;
      std::size_t piece = 1 + option % 17;
      std::size_t i = 0;
      while (i < rest.size()) {
        const std::size_t n = piece < rest.size() - i ? piece : rest.size() - i;
        reader.feed(rest.subspan(i, n), sink);
        i += n;
        piece = 1 + (piece * 7 + 3) % 23;
      }
      check(reader.records() == sink.seen);
      check(reader.oversize_records() <= reader.records());
      check(reader.bytes_consumed() <= rest.size());
      if (!reader.failed()) check(reader.bytes_consumed() == rest.size());
      break;
    }
    case 7: {
      const std::string_view target(reinterpret_cast<const char*>(rest.data()), rest.size());
      EndpointMatch m;
      match_endpoint(target, (option & 1) != 0 ? "GET" : "POST", (option & 2) != 0 ? 5051 : 5050, m);
      check(m.endpoint.size <= m.endpoint.capacity());
      check(m.endpoint.empty() || m.endpoint.view().front() == '/');
      check(m.kind != MesosKind::kApi || m.api != ApiFamily::kNone);
      break;
    }
    case 8:
      differential(rest);
      break;
  }
  return 0;
}
