// Fuzz target: arbitrary text as a policy file. A ConfigError is the
// expected answer to a bad file; anything else (another exception, a crash,
// a hang) is a bug and ends the run.
//
// Invariants: an error is one line that starts "fuzz.yaml:"; a policy that
// parses keeps what the file format promises (names defined, unique names
// and ids, values in range, CIDRs without host bits, violation never allow),
// and parses to the same rules a second time.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "mgmt/policy_file.h"

namespace {

using segward::mgmt::ConfigError;
using segward::policy::Action;
using segward::policy::Policy;

void check_at(bool invariant, int line) {
  if (!invariant) {
    std::fprintf(stderr, "fuzz_policy: invariant at line %d failed\n", line);
    std::abort();
  }
}
#define CHECK(x) check_at((x), __LINE__)

void check_policy(const Policy& p) {
  std::set<std::string> segments{"any"}, services{"any"}, names;
  std::set<std::uint32_t> ids;
  for (const auto& s : p.segments) {
    CHECK(segments.insert(s.name).second);
    CHECK(!s.cidrs.empty());
    for (const auto& c : s.cidrs) {
      CHECK(c.prefix <= (c.address.v6 ? 128 : 32));
      for (std::size_t bit = c.prefix; bit < (c.address.v6 ? 128u : 32u); ++bit) {
        CHECK((c.address.bytes[bit / 8] & (0x80 >> (bit % 8))) == 0);
      }
    }
    for (const auto v : s.vlans) CHECK(v >= 1 && v <= 4094);
  }
  for (const auto& s : p.services) {
    CHECK(services.insert(s.name).second);
    CHECK(s.ip_proto == 0 || s.ip_proto == 6 || s.ip_proto == 17);
    for (const auto& r : s.ports) CHECK(r.first >= 1 && r.first <= r.last);
  }
  CHECK(p.rules.size() <= segward::mgmt::kMaxPolicyRules);
  for (const auto& r : p.rules) {
    CHECK(names.insert(r.name).second);
    CHECK(ids.insert(r.id).second);
    CHECK(r.id >= 1 && r.id <= 0x7fffffffu);
    CHECK(!r.from.empty() && !r.to.empty());
    for (const auto& n : r.from) CHECK(segments.count(n) == 1);
    for (const auto& n : r.to) CHECK(segments.count(n) == 1);
    CHECK(services.count(r.service) == 1);
    CHECK(r.violation != Action::kAllow);
    CHECK(r.severity >= 1 && r.severity <= 3);
    CHECK(!r.category.empty());
    CHECK(r.action == Action::kAllow || (!r.mesos.any() && !r.zookeeper.any()));
  }
  CHECK(p.default_severity >= 1 && p.default_severity <= 3);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Policy p = segward::mgmt::parse_policy(text, "fuzz.yaml");
    check_policy(p);
    const Policy again = segward::mgmt::parse_policy(text, "fuzz.yaml");
    CHECK(again.rules.size() == p.rules.size() && again.segments.size() == p.segments.size());
    for (std::size_t i = 0; i < p.rules.size(); ++i) {
      CHECK(again.rules[i].name == p.rules[i].name && again.rules[i].id == p.rules[i].id);
    }
  } catch (const ConfigError& e) {
    const std::string_view message = e.what();
    CHECK(message.starts_with("fuzz.yaml:"));
    CHECK(message.find('\n') == std::string_view::npos);
  }
  return 0;
}
