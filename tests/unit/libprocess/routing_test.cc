// What makes a request a libprocess message, who sent it, where it goes,
// and what never leaves the head (credentials).
#include <gtest/gtest.h>

#include <cstring>
#include <new>
#include <typeinfo>

#include "decoders/libprocess/messages.pb.h"
#include "decoders/libprocess/upid.h"
#include "tests/unit/libprocess/mesos_test_support.h"

namespace segward::mesos {
namespace {

using namespace segward::mesos::testing;
namespace mi = ::mesos::internal;

Bytes register_framework_body() {
  mi::RegisterFrameworkMessage msg;
  msg.mutable_framework()->set_name("spark");
  msg.mutable_framework()->set_principal("spark-principal");
  return serialize(msg);
}

TEST(LibprocessRouting, ModernLibprocessSender) {
  Request r = libprocess("master", "mesos.internal.RegisterFrameworkMessage", register_framework_body(),
                         "scheduler-3c1f@10.0.0.2:41000");
  r.headers.emplace_back("Transfer-Encoding", "chunked");
  const RequestRoute route = route_of(r);
  EXPECT_TRUE(route.is_mesos);
  EXPECT_TRUE(route.wants_body);
  EXPECT_EQ(route.kind, MesosKind::kLibprocess);
  EXPECT_EQ(route.receiver.view(), "master");
  EXPECT_EQ(route.message.view(), "mesos.internal.RegisterFrameworkMessage");
  EXPECT_EQ(route.from_pid.view(), "scheduler-3c1f@10.0.0.2:41000");
  EXPECT_EQ(route.flags, 0u);
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.framework.name.view(), "spark");
  EXPECT_EQ(e.pid_check, PidCheck::kMatches);
}

TEST(LibprocessRouting, OldLibprocessSendsOnlyTheUserAgent) {
  Request r;
  r.target = "/master/mesos.internal.RegisterFrameworkMessage";
  r.headers = {{"User-Agent", "libprocess/scheduler-1@10.0.0.2:41000"}, {"Transfer-Encoding", "chunked"}};
  r.body = register_framework_body();
  MesosRequestHead head = head_of(r);
  head.version_minor = 0;
  const RequestRoute route = route_request(head, 5050);
  EXPECT_EQ(route.kind, MesosKind::kLibprocess);
  EXPECT_EQ(route.from_pid.view(), "scheduler-1@10.0.0.2:41000");
  EXPECT_TRUE(has_flag(route.flags, MesosFlag::kPre022Libprocess));
  EXPECT_EQ(decode(r).framework.principal.view(), "spark-principal");
}

TEST(LibprocessRouting, MesosGoSender) {
  // mesos-go 0.0.6: Go's User-Agent, Libprocess-From, a Content-Length body.
  Request r;
  r.target = "/master/mesos.internal.RegisterFrameworkMessage";
  r.body = register_framework_body();
  r.headers = {{"Host", "10.0.0.1:5050"},
               {"User-Agent", "Go-http-client/1.1"},
               {"Content-Length", std::to_string(r.body.size())},
               {"Connection", "Keep-Alive"},
               {"Content-Type", "application/x-protobuf"},
               {"Libprocess-From", "scheduler(1)@10.0.0.2:39000"},
               {"Accept-Encoding", "gzip"}};
  const RequestRoute route = route_of(r);
  EXPECT_EQ(route.kind, MesosKind::kLibprocess);
  EXPECT_EQ(route.from_pid.view(), "scheduler(1)@10.0.0.2:39000");
  EXPECT_FALSE(has_flag(route.flags, MesosFlag::kPidHeaderMismatch));
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.status, DecodeStatus::kOk);
  EXPECT_EQ(e.framework.name.view(), "spark");
  EXPECT_EQ(e.pid_check, PidCheck::kMatches);
}

TEST(LibprocessRouting, WhatIsNotAMessage) {
  Request get = libprocess("master", "mesos.internal.RegisterFrameworkMessage", {});
  get.method = "GET";
  EXPECT_EQ(route_of(get).kind, MesosKind::kLegacy);

  Request curl;
  curl.target = "/master/mesos.internal.RegisterFrameworkMessage";
  curl.headers = {{"User-Agent", "curl/7.88.1"}};
  EXPECT_EQ(route_of(curl).kind, MesosKind::kLegacy);
  EXPECT_TRUE(route_of(curl).is_mesos);  // port 5050

  Request embedded;  // "libprocess/" must start the User-Agent
  embedded.target = "/master/x";
  embedded.headers = {{"User-Agent", "evil libprocess/master@1.2.3.4:5050"}};
  EXPECT_EQ(route_of(embedded).kind, MesosKind::kLegacy);

  Request lowercase = libprocess("master", "mesos.internal.RegisterFrameworkMessage", {});
  lowercase.headers = {{"libprocess-from", "x@10.0.0.2:1"}};  // header names are case-insensitive
  EXPECT_EQ(route_of(lowercase).kind, MesosKind::kLibprocess);
}

TEST(LibprocessRouting, LibprocessFromWinsOverTheUserAgent) {
  Request r = libprocess("master", "mesos.internal.RegisterFrameworkMessage", register_framework_body());
  r.headers = {{"User-Agent", "libprocess/scheduler-1@10.0.0.2:41000"},
               {"Libprocess-From", "  scheduler-1@203.0.113.66:41000 \t"}};
  const RequestRoute route = route_of(r);
  EXPECT_EQ(route.from_pid.view(), "scheduler-1@203.0.113.66:41000");
  EXPECT_TRUE(has_flag(route.flags, MesosFlag::kPidHeaderMismatch));
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.pid_check, PidCheck::kDiffers);
  EXPECT_TRUE(has_flag(e.flags, MesosFlag::kPidHeaderMismatch));
}

TEST(LibprocessRouting, PidChecks) {
  const struct {
    const char* pid;
    net::IpAddress source;
    PidCheck want;
  } cases[] = {
      {"slave(1)@10.0.0.2:5051", kAgentIp, PidCheck::kMatches},
      {"slave(1)@203.0.113.66:5051", kAgentIp, PidCheck::kDiffers},
      {"scheduler@sched.example.com:4000", kAgentIp, PidCheck::kHostname},
      {"nonsense", kAgentIp, PidCheck::kUnparsable},
      {"", kAgentIp, PidCheck::kUnparsable},
      {"a@10.0.0.2", kAgentIp, PidCheck::kUnparsable},
      {"a@10.0.0.2:", kAgentIp, PidCheck::kUnparsable},
      {"a@10.0.0.2:99999", kAgentIp, PidCheck::kUnparsable},
      {"a@10.0.0.2:5051junk", kAgentIp, PidCheck::kMatches},  // sscanf("%hu") stops at the digits
      {"a@:5051", kAgentIp, PidCheck::kUnparsable},
      {"a@ho$t:5051", kAgentIp, PidCheck::kUnparsable},
      {"a@010.0.0.2:5051", kAgentIp, PidCheck::kHostname},  // not a strict dotted quad
      {"@10.0.0.2:5051", kAgentIp, PidCheck::kMatches},     // an empty id parses
      {"slave(1)@10.0.0.2:5051", net::IpAddress::v6_from({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 2}),
       PidCheck::kMatches},
      {"slave(1)@10.0.0.2:5051", net::IpAddress::v6_from({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2}),
       PidCheck::kDiffers},
  };
  for (const auto& c : cases) EXPECT_EQ(check_pid(c.pid, c.source), c.want) << c.pid;

  Upid pid;
  ASSERT_TRUE(parse_upid("  slave(1)@10.0.0.2:5051 trailing", pid));
  EXPECT_EQ(pid.id, "slave(1)");
  EXPECT_EQ(pid.host, "10.0.0.2");
  EXPECT_EQ(pid.port, 5051);
  EXPECT_TRUE(pid.host_is_ipv4);

  Request garbage = libprocess("master", "mesos.internal.PongSlaveMessage", {}, "garbage");
  EXPECT_EQ(decode(garbage).pid_check, PidCheck::kUnparsable);
  Request host = libprocess("master", "mesos.internal.PongSlaveMessage", {}, "scheduler@sched.example.com:4000");
  EXPECT_EQ(decode(host).pid_check, PidCheck::kHostname);
}

TEST(LibprocessRouting, PercentEncodedReceiver) {
  Request r = libprocess("slave%281%29", "mesos.internal.PingSlaveMessage", to_bytes("\x08\x01"),
                         "slave-observer(1)@10.0.0.1:5050");
  r.source = kMasterIp;
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.receiver.view(), "slave(1)");
  EXPECT_EQ(e.endpoint.view(), "/slave(1)");
  EXPECT_EQ(e.message.view(), "mesos.internal.PingSlaveMessage");
  EXPECT_EQ(e.detail.view(), "connected=true");
  EXPECT_FALSE(has_flag(e.flags, MesosFlag::kBadPercentEscape));
  EXPECT_EQ(e.pid_check, PidCheck::kMatches);
}

TEST(LibprocessRouting, InvalidPercentEscapeInTheReceiverIsReported) {
  for (const char* receiver : {"mas%zzter", "master%", "master%4", "%g0"}) {
    Request r = libprocess(receiver, "mesos.internal.RegisterFrameworkMessage", register_framework_body());
    const MesosEvent e = decode(r);
    EXPECT_EQ(e.kind, MesosKind::kLibprocess) << receiver;
    EXPECT_TRUE(has_flag(e.flags, MesosFlag::kBadPercentEscape)) << receiver;
    EXPECT_EQ(e.receiver.view(), receiver);
    EXPECT_NE(e.detail.view().find("CVE-2017-7687"), std::string_view::npos) << e.detail.view();
    EXPECT_EQ(e.framework.name.view(), "spark");  // the body is still decoded
  }
}

TEST(LibprocessRouting, TargetWithoutLeadingSlashStillGivesAnEvent) {
  Request r = libprocess("master", "mesos.internal.RegisterFrameworkMessage", register_framework_body());
  r.target = "master/mesos.internal.RegisterFrameworkMessage";
  MesosEvent e = decode(r);
  EXPECT_EQ(e.kind, MesosKind::kLibprocess);
  EXPECT_TRUE(has_flag(e.flags, MesosFlag::kTargetNotOriginForm));
  EXPECT_NE(e.detail.view().find("CVE-2017-9790"), std::string_view::npos);
  EXPECT_EQ(e.http.uri.view(), "master/mesos.internal.RegisterFrameworkMessage");

  r.target = "http://10.0.0.1:5050/master/mesos.internal.RegisterFrameworkMessage";
  e = decode(r);
  EXPECT_TRUE(has_flag(e.flags, MesosFlag::kTargetNotOriginForm));
  EXPECT_EQ(e.receiver.view(), "master");
  EXPECT_EQ(e.framework.name.view(), "spark");

  Request star;
  star.method = "OPTIONS";
  star.target = "*";
  EXPECT_TRUE(route_of(star).is_mesos);  // port 5050
  const MesosEvent s = decode(star);
  EXPECT_EQ(s.kind, MesosKind::kLegacy);
  EXPECT_TRUE(has_flag(s.flags, MesosFlag::kTargetNotOriginForm));
  EXPECT_NE(s.detail.view().find("CVE-2017-9790"), std::string_view::npos);

  star.port = 8080;
  EXPECT_FALSE(route_of(star).is_mesos);
}

TEST(LibprocessRouting, PathShapes) {
  Request query = libprocess("master", "mesos.internal.RegisterFrameworkMessage?x=1", register_framework_body());
  EXPECT_EQ(route_of(query).message.view(), "mesos.internal.RegisterFrameworkMessage");

  Request no_receiver = libprocess("", "", {});
  no_receiver.target = "/mesos.internal.RegisterFrameworkMessage";  // to.id empty: libprocess reads it as the receiver
  const RequestRoute r = route_of(no_receiver);
  EXPECT_EQ(r.receiver.view(), "mesos.internal.RegisterFrameworkMessage");
  EXPECT_TRUE(r.message.empty());
  EXPECT_EQ(decode(no_receiver).status, DecodeStatus::kUnknownMessage);

  Request nested = libprocess("master", "a/b/c", {});
  EXPECT_EQ(route_of(nested).message.view(), "a/b/c");
}

TEST(LibprocessRouting, CompressedBodiesAreNotDecoded) {
  Request r = libprocess("master", "mesos.internal.RegisterFrameworkMessage", to_bytes("\x1f\x8b\x08\x00garbage"));
  r.headers.emplace_back("Content-Encoding", "gzip");
  const RequestRoute route = route_of(r);
  EXPECT_FALSE(route.wants_body);
  EXPECT_TRUE(has_flag(route.flags, MesosFlag::kCompressedBody));
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.status, DecodeStatus::kCompressedBody);
  EXPECT_EQ(e.detail.view(), "gzip body not decoded");
  EXPECT_TRUE(e.framework.name.empty());

  Request identity = libprocess("master", "mesos.internal.RegisterFrameworkMessage", register_framework_body());
  identity.headers.emplace_back("Content-Encoding", "identity");
  EXPECT_EQ(decode(identity).status, DecodeStatus::kOk);
}

TEST(LibprocessRouting, BodyCutByTheCap) {
  Request r = libprocess("master", "mesos.internal.RegisterFrameworkMessage", register_framework_body());
  r.body.resize(r.body.size() - 4);
  r.body_complete = false;
  const MesosEvent e = decode(r);
  EXPECT_EQ(e.status, DecodeStatus::kBodyTooLarge);
  EXPECT_EQ(e.framework.name.view(), "spark");
}

// ---- heads --------------------------------------------------------------------------

TEST(MesosHead, AuthorizationKeepsOnlyTheScheme) {
  const struct {
    const char* value;
    AuthScheme want;
  } cases[] = {
      {"Basic YWRtaW46aHVudGVyMg==", AuthScheme::kBasic},  // admin:hunter2
      {"basic YWRtaW46aHVudGVyMg==", AuthScheme::kBasic},
      {"Bearer eyJhbGciOiJIUzI1NiJ9.eyJmaWQiOiJ4In0.c2lnbmF0dXJl", AuthScheme::kBearer},
      {"Digest username=\"admin\", response=\"6629fae49393a05397450978507c4ef1\"", AuthScheme::kOther},
      {"", AuthScheme::kOther},
  };
  for (const auto& c : cases) {
    Request r = api_call("/api/v1", to_bytes("{\"type\":\"GET_FLAGS\"}"), "application/json");
    r.headers.emplace_back("Authorization", c.value);
    const MesosRequestHead head = head_of(r);
    EXPECT_EQ(head.auth, c.want) << c.value;
    const MesosEvent e = decode(r);
    EXPECT_EQ(e.auth_scheme, c.want) << c.value;
    for (const char* secret : {"YWRtaW46aHVudGVyMg", "hunter2", "eyJhbGciOiJIUzI1NiJ9", "c2lnbmF0dXJl",
                               "6629fae49393a05397450978507c4ef1"}) {
      EXPECT_FALSE(event_contains(e, secret)) << secret;
      const std::string_view head_bytes(reinterpret_cast<const char*>(&head), sizeof(head));
      EXPECT_EQ(head_bytes.find(secret), std::string_view::npos) << secret;
    }
  }
  Request none = api_call("/api/v1", to_bytes("{}"), "application/json");
  EXPECT_EQ(decode(none).auth_scheme, AuthScheme::kNone);
}

TEST(MesosHead, HeadersAreCaseInsensitiveAndTrimmedAndTheLastWins) {
  MesosRequestHead head;
  set_request_line("POST", "/api/v1/scheduler", 1, head);
  note_request_header("content-TYPE", "  application/json ", head);
  note_request_header("MESOS-STREAM-ID", "a0b1c2d3-0000-4000-8000-000000000001", head);
  note_request_header("Mesos-Stream-Id", "a0b1c2d3-0000-4000-8000-000000000002", head);
  note_request_header("X-Unrelated", "ignored", head);
  EXPECT_EQ(head.content_type.view(), "application/json");
  EXPECT_EQ(head.stream_id.view(), "a0b1c2d3-0000-4000-8000-000000000002");
  EXPECT_FALSE(head.has_host);
  note_request_header("host", "", head);
  EXPECT_TRUE(head.has_host);  // libprocess 0.22-1.11 sends an empty Host
  head.reset();
  EXPECT_TRUE(head.content_type.empty());

  MesosRequestHead long_head;
  set_request_line("GET", "/" + std::string(2000, 'a'), 1, long_head);
  EXPECT_TRUE(long_head.target.truncated);
  EXPECT_EQ(long_head.target.size, 1024);
}

TEST(MesosHead, ResponseHeadAndStreams) {
  MesosResponseHead response;
  response.status = 200;
  note_response_header("Content-Type", "application/json", response);
  note_response_header("Mesos-Stream-Id", "stream-1", response);
  EXPECT_EQ(response.stream_id.view(), "stream-1");
  EXPECT_FALSE(response.recordio);

  MesosEvent subscribe;
  subscribe.kind = MesosKind::kApi;
  subscribe.api = ApiFamily::kScheduler;
  subscribe.call.assign("SUBSCRIBE");
  EXPECT_EQ(response_record_encoding(subscribe, response), BodyEncoding::kJson);

  MesosEvent teardown = subscribe;
  teardown.call.assign("TEARDOWN");
  EXPECT_EQ(response_record_encoding(teardown, response), BodyEncoding::kNone);

  MesosResponseHead protobuf = response;
  note_response_header("content-type", "application/x-protobuf", protobuf);
  EXPECT_EQ(response_record_encoding(subscribe, protobuf), BodyEncoding::kProtobuf);

  MesosResponseHead redirect;
  redirect.status = 307;
  note_response_header("Location", "//m2.example.com:5050/api/v1/scheduler", redirect);
  EXPECT_EQ(redirect.location.view(), "//m2.example.com:5050/api/v1/scheduler");
  EXPECT_EQ(response_record_encoding(subscribe, redirect), BodyEncoding::kNone);

  MesosEvent attach;
  attach.kind = MesosKind::kApi;
  attach.api = ApiFamily::kAgentOperator;
  attach.call.assign("ATTACH_CONTAINER_OUTPUT");
  MesosResponseHead recordio;
  recordio.status = 200;
  note_response_header("Content-Type", "application/recordio", recordio);
  note_response_header("Message-Content-Type", "application/x-protobuf", recordio);
  EXPECT_TRUE(recordio.recordio);
  EXPECT_EQ(response_record_encoding(attach, recordio), BodyEncoding::kProtobuf);

  MesosResponseHead gzip = response;
  note_response_header("Content-Encoding", "gzip", gzip);
  EXPECT_EQ(response_record_encoding(subscribe, gzip), BodyEncoding::kNone);
}

TEST(MesosHead, ContentTypes) {
  EXPECT_EQ(encoding_of_content_type("application/json"), BodyEncoding::kJson);
  EXPECT_EQ(encoding_of_content_type("Application/JSON; charset=utf-8"), BodyEncoding::kJson);
  EXPECT_EQ(encoding_of_content_type("application/x-protobuf"), BodyEncoding::kProtobuf);
  EXPECT_EQ(encoding_of_content_type("application/recordio"), BodyEncoding::kRecordIo);
  EXPECT_EQ(encoding_of_content_type("application/x-www-form-urlencoded"), BodyEncoding::kForm);
  EXPECT_EQ(encoding_of_content_type("text/plain"), BodyEncoding::kOther);
  EXPECT_EQ(encoding_of_content_type(""), BodyEncoding::kNone);
}

TEST(MesosNames, EveryEnumHasAStableName) {
  EXPECT_EQ(mesos_kind_name(MesosKind::kLibprocess), "libprocess");
  EXPECT_EQ(mesos_kind_name(MesosKind::kApi), "api");
  EXPECT_EQ(mesos_kind_name(MesosKind::kLegacy), "legacy");
  EXPECT_EQ(auth_scheme_name(AuthScheme::kBasic), "basic");
  EXPECT_EQ(auth_scheme_name(AuthScheme::kBearer), "bearer");
  EXPECT_EQ(auth_scheme_name(AuthScheme::kNone), "none");
  EXPECT_EQ(auth_scheme_name(AuthScheme::kOther), "other");
  EXPECT_EQ(endpoint_class_name(EndpointClass::kRead), "read");
  EXPECT_EQ(endpoint_class_name(EndpointClass::kMutating), "mutating");
  EXPECT_EQ(endpoint_class_name(EndpointClass::kSecretLeaking), "secret-leaking");
  EXPECT_EQ(endpoint_class_name(EndpointClass::kUnclassified), "unclassified");
  EXPECT_EQ(pid_check_name(PidCheck::kDiffers), "differs");
  EXPECT_EQ(pid_check_name(PidCheck::kNotApplicable), "not_applicable");
  EXPECT_EQ(decode_status_name(DecodeStatus::kOk), "ok");
  EXPECT_EQ(decode_status_name(DecodeStatus::kBodyTooLarge), "body_too_large");
  EXPECT_EQ(decode_status_name(DecodeStatus::kBadProtobuf), "bad_protobuf");
  EXPECT_EQ(api_family_name(ApiFamily::kMasterOperator), "master_operator");
  EXPECT_EQ(body_encoding_name(BodyEncoding::kRecordIo), "recordio");
  EXPECT_EQ(mesos_flag_name(MesosFlag::kTargetNotOriginForm), "target_not_origin_form");
  EXPECT_EQ(mesos_flag_name(static_cast<MesosFlag>(3)), "unknown");
  EXPECT_EQ(mesos_kind_name(static_cast<MesosKind>(200)), "unknown");
  for (int i = 0; i <= static_cast<int>(DecodeStatus::kBadRecordIo); ++i) {
    EXPECT_NE(decode_status_name(static_cast<DecodeStatus>(i)), "unknown") << i;
  }
  for (int i = 0; i <= static_cast<int>(ApiFamily::kResourceProvider); ++i) {
    EXPECT_NE(api_family_name(static_cast<ApiFamily>(i)), "unknown") << i;
  }
  for (std::size_t bit = 0; bit < kMesosFlagCount; ++bit) {
    EXPECT_NE(mesos_flag_name(static_cast<MesosFlag>(1u << bit)), "unknown") << bit;
  }
  for (int i = 0; i <= static_cast<int>(PidCheck::kUnparsable); ++i) {
    EXPECT_NE(pid_check_name(static_cast<PidCheck>(i)), "unknown") << i;
  }
  for (int i = 0; i <= static_cast<int>(BodyEncoding::kOther); ++i) {
    EXPECT_NE(body_encoding_name(static_cast<BodyEncoding>(i)), "unknown") << i;
  }
}

}  // namespace
}  // namespace segward::mesos

namespace segward::mesos {
namespace {

// reset() writes zeros and the few non-zero defaults in one pass; it must
// equal the member initializers, byte for byte (here: constructed over a
// zeroed buffer, so padding compares too).
template <class T>
void expect_reset_is_the_default() {
  alignas(T) unsigned char constructed[sizeof(T)];
  std::memset(constructed, 0, sizeof(T));
  ::new (static_cast<void*>(constructed)) T;
  alignas(T) unsigned char reset[sizeof(T)];
  std::memset(reset, 0xa5, sizeof(T));  // stale bytes everywhere, padding included
  reinterpret_cast<T*>(reset)->reset();
  EXPECT_EQ(std::memcmp(constructed, reset, sizeof(T)), 0) << typeid(T).name();
}

TEST(MesosStructs, ResetEqualsTheDefaultsAndClearsPadding) {
  expect_reset_is_the_default<MesosEvent>();
  expect_reset_is_the_default<MesosRequestHead>();
  expect_reset_is_the_default<MesosResponseHead>();
}

}  // namespace
}  // namespace segward::mesos
