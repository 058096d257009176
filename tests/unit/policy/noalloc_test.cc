// What a worker calls on a compiled policy (classify, rule, the L7 checks)
// never touches the heap: counted with the C allocator interposed on this
// thread, as the replay_noalloc test does for the whole worker.
#include <gtest/gtest.h>

#include "dataplane/policy/compiled_policy.h"
#include "tests/unit/policy/policy_builder.h"

#if !defined(__SANITIZE_ADDRESS__)  // the sanitizers own malloc themselves
#include "tests/support/alloc_counter.h"

namespace segward::policy {
namespace {

using namespace segward::policy::testing;
namespace zop = zookeeper::opcode;

TEST(NoAllocation, WorkerCallsDoNotAllocate) {
  Policy p;
  p.source = "noalloc.yaml";
  p.segments = {segment("frameworks", {"10.0.4.0/24", "fd00:4::/64"}, {}, {{2, 0, 0, 0, 0, 1}}),
                segment("masters", {"10.0.1.0/24", "fd00:1::/64"}, {100})};
  p.services = {service("mesos", 6, {{5050, 5051}}, ServiceApp::kMesos, TlsRequirement::kForbidden),
                service("zk", 6, {{2181, 2181}}, ServiceApp::kZookeeper)};
  Rule m = rule("m", {"frameworks"}, {"masters"}, "mesos");
  m.mesos.messages = std::vector<std::string>{"mesos.internal.RegisterFrameworkMessage"};
  m.mesos.calls = std::vector<std::string>{"SUBSCRIBE"};
  m.mesos.principals = std::vector<std::string>{"marathon"};
  m.mesos.roles = std::vector<std::string>{"web", "batch"};
  m.mesos.endpoints = std::vector<std::string>{"/master", "/api/v1/**"};
  Rule z = rule("z", {"frameworks"}, {"masters"}, "zk");
  z.zookeeper.ops = std::vector<std::string>{"getData", "multi", "create", "check"};
  z.zookeeper.paths = std::vector<std::string>{"/mesos/**"};
  z.zookeeper.write_paths = std::vector<std::string>{"/mesos/json.info_*"};
  z.zookeeper.four_letter_words = std::vector<std::string>{"ruok"};
  z.zookeeper.auth_required = true;
  p.rules = {m, z};
  const auto c = compile(p);

  FlowTuple v4 = tuple("10.0.4.9", "10.0.1.3", 5050);
  v4.vlan = 100;
  v4.src_mac = {2, 0, 0, 0, 0, 1};
  FlowTuple v6 = tuple("fd00:4::9", "fd00:1::3", 2181);
  v6.vlan = 100;
  v6.src_mac = v4.src_mac;
  mesos::MesosEvent reg;
  reg.reset();
  reg.kind = mesos::MesosKind::kLibprocess;
  reg.message.assign("mesos.internal.RegisterFrameworkMessage");
  reg.endpoint.assign("/master");
  reg.framework.principal.assign("marathon");
  reg.framework.roles.assign("web,batch");
  zookeeper::ZkEvent multi;
  multi.kind = zookeeper::ZkEventKind::kRequest;
  multi.opcode = zop::kMulti;
  multi.use_sub_ops();
  multi.sub_op_count = multi.sub_op_total = 2;
  multi.sub_ops[0].opcode = zop::kCheck;
  multi.sub_ops[0].path.assign("/mesos");
  multi.sub_ops[1].opcode = zop::kCreate;
  multi.sub_ops[1].path.assign("/mesos/json.info_0000000001");
  zookeeper::ZkEvent fourlw;
  fourlw.kind = zookeeper::ZkEventKind::kFourLetterWord;
  fourlw.four_letter_word = {'r', 'u', 'o', 'k'};

  std::uint32_t sink = 0;
  test::arm_alloc_counter();
  for (int i = 0; i < 100; ++i) {
    sink += c->classify(v4) + c->classify(v6);
    sink += static_cast<std::uint32_t>(c->rule(0).action) + c->rule(kDefaultRule).severity;
    sink += static_cast<std::uint32_t>(c->check_mesos(0, reg));
    sink += static_cast<std::uint32_t>(c->check_zookeeper(1, multi, true));
    sink += static_cast<std::uint32_t>(c->check_zookeeper(1, multi, false));
    sink += static_cast<std::uint32_t>(c->check_zookeeper(1, fourlw, false));
    sink += static_cast<std::uint32_t>(c->check_app(0, dataplane::AppProto::kTls));
    sink += static_cast<std::uint32_t>(c->check_app(1, dataplane::AppProto::kZookeeper));
  }
  const std::uint64_t allocations = test::disarm_alloc_counter();
  EXPECT_EQ(allocations, 0u);
  // What the calls answered (so none of them is optimised away, and the
  // policy really is the one described above).
  EXPECT_EQ(c->classify(v4), 0);
  EXPECT_EQ(c->classify(v6), 1);
  EXPECT_EQ(c->check_mesos(0, reg), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(1, multi, true), Condition::kNone);
  EXPECT_EQ(c->check_zookeeper(1, multi, false), Condition::kZookeeperAuth);
  EXPECT_EQ(c->check_app(0, dataplane::AppProto::kTls), Condition::kServiceTls);
  EXPECT_GT(sink, 0u);

  // The counter does see allocations on this thread.
  test::arm_alloc_counter();
  auto* probe = new std::string(200, 'x');
  const std::uint64_t seen = test::disarm_alloc_counter();
  delete probe;
  EXPECT_GE(seen, 1u);
}

}  // namespace
}  // namespace segward::policy
#endif
