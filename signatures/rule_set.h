#pragma once
// A compiled set of signature rules, shared read-only by every worker
// (swapped whole on reload; see dataplane/policy/policy_handle.h).
//
// Compilation: every `equals`/`literal`/`regex` test of one field, over all
// rules, goes into one Hyperscan block-mode database for that field, so a
// message's field is scanned once whatever the number of rules; numeric and
// `absent` tests are evaluated beside it. Matching one message: scan each
// field the rules of its subject use, set one bit per condition that
// holds, then report every rule whose conditions all hold. Nothing is
// allocated: each worker owns a scratch (Hyperscan scratch space, the
// condition bits) made with the set.
//
// Payload patterns go into one streaming-mode database per side (client to
// server, server to client). A connection's stream state comes from a
// fixed pool per worker, allocated with the set (`payload_streams` states
// per worker): it lives and dies with this set, so a connection that
// outlives a reload forgets its old state (never touches it again) and
// opens a new one under the new set.
#include <array>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "signatures/fields.h"
#include "signatures/pattern_set.h"
#include "signatures/rule.h"

namespace segward::signatures {

// Every error of a refused rule set, each one line: "FILE:LINE: rule ID: what".
class RuleError : public std::runtime_error {
 public:
  explicit RuleError(std::vector<std::string> errors);
  [[nodiscard]] const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

class RuleSet {
 public:
  // Validates (every regex, field subjects against `app`, numbers against
  // types) and compiles. Throws RuleError listing every problem found.
  RuleSet(std::vector<Rule> rules, unsigned workers, std::string version, std::uint32_t payload_streams = 4096);
  ~RuleSet();
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

  [[nodiscard]] std::size_t size() const { return rules_.size(); }
  [[nodiscard]] const Rule& rule(std::size_t index) const { return rules_[index]; }
  [[nodiscard]] const std::vector<Rule>& rules() const { return rules_; }
  // The rule files' digest (16 hex digits), for status and metrics.
  [[nodiscard]] const std::string& version() const { return version_; }
  [[nodiscard]] bool tests(Subject subject) const { return !plans_[static_cast<std::size_t>(subject)].rules.empty(); }

  // Calls on_fire(rule_index) for every rule of `m.subject` whose
  // conditions all hold on `m`, travelling `direction` (kToServer: from
  // the client). Thresholds are left to the caller. `worker` picks the
  // scratch; each worker calls with its own index only.
  // The block-mode database of `field`'s text tests (null: none), for
  // benchmarks that scan the same values with Hyperscan alone.
  [[nodiscard]] const PatternSet* field_patterns(FieldId field) const;
  // The fields the rules of `subject` test, in scan order.
  [[nodiscard]] std::vector<FieldId> fields_tested(Subject subject) const;

  template <class OnFire>
  void match(const MessageView& m, FlowDirection direction, unsigned worker, OnFire&& on_fire) const;

  // ---- payload patterns; `side` 0: client to server, 1: server to client
  [[nodiscard]] bool scans_payload(int side) const { return payload_[side].patterns != nullptr; }
  [[nodiscard]] bool scans_payload() const { return scans_payload(0) || scans_payload(1); }
  // A stream state from `worker`'s pool (null: none free).
  [[nodiscard]] hs_stream_t* open_stream(int side, unsigned worker) const;
  // The next in-order bytes of a side; on_fire(rule_index) per pattern found (once per stream and pattern).
  template <class OnFire>
  void scan_stream(hs_stream_t* stream, int side, std::span<const std::uint8_t> bytes, unsigned worker,
                   OnFire&& on_fire) const;
  // The end of the side: patterns anchored at the end may match now; the state goes back to the pool.
  template <class OnFire>
  void close_stream(hs_stream_t* stream, int side, unsigned worker, OnFire&& on_fire) const;
  [[nodiscard]] std::size_t stream_state_bytes() const { return stream_block_; }

 private:
  struct Test {  // one condition of one rule
    ConditionOp op;
    bool negate;
    bool has_patterns;
    std::vector<std::int64_t> numbers;
  };
  struct PatternRef {  // by Hyperscan pattern id
    std::uint32_t test;
    bool whole;  // `equals`: only a match that ends where the value ends counts
  };
  struct FieldPlan {
    FieldId field;
    std::unique_ptr<PatternSet> patterns;  // null: no text test of this field
    std::vector<PatternRef> refs;
    std::vector<std::uint32_t> tests;      // every test of this field (subject-local indices)
  };
  struct SubjectPlan {
    std::vector<FieldPlan> fields;
    std::vector<Test> tests;                   // by subject-local index
    std::vector<std::uint64_t> negate_mask;    // bit set: the test has `not: true`
    std::vector<std::uint32_t> rules;          // rule indices testing this subject
    std::vector<std::vector<std::uint32_t>> rule_tests;  // by position in `rules`
  };
  struct Scratch {
    PatternScratch hs;
    std::array<std::vector<std::uint64_t>, static_cast<std::size_t>(Subject::kCount)> bits;
  };

  void evaluate(const SubjectPlan& plan, const MessageView& m, Scratch& s) const;

  struct PayloadPlan {
    std::unique_ptr<PatternSet> patterns;  // stream mode
    std::vector<std::uint32_t> rule_of;    // by pattern id
  };
  template <class OnFire>
  static int on_stream_match(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx);
  struct StreamPool;

  std::vector<Rule> rules_;
  std::string version_;
  std::array<SubjectPlan, static_cast<std::size_t>(Subject::kCount)> plans_;
  std::unique_ptr<Scratch[]> scratch_;
  unsigned workers_;
  std::array<PayloadPlan, 2> payload_;
  std::size_t stream_block_ = 0;
  std::unique_ptr<StreamPool[]> pools_;
};

template <class OnFire>
void RuleSet::match(const MessageView& m, FlowDirection direction, unsigned worker, OnFire&& on_fire) const {
  const SubjectPlan& plan = plans_[static_cast<std::size_t>(m.subject)];
  if (plan.rules.empty()) return;
  Scratch& s = scratch_[worker];
  evaluate(plan, m, s);
  const std::vector<std::uint64_t>& bits = s.bits[static_cast<std::size_t>(m.subject)];
  for (std::size_t r = 0; r < plan.rules.size(); ++r) {
    const Rule& rule = rules_[plan.rules[r]];
    if (rule.flow != FlowDirection::kAny && rule.flow != direction) continue;
    bool all = true;
    for (const std::uint32_t t : plan.rule_tests[r]) {
      const bool holds = (((bits[t >> 6] ^ plan.negate_mask[t >> 6]) >> (t & 63)) & 1) != 0;
      if (!holds) {
        all = false;
        break;
      }
    }
    if (all) on_fire(plan.rules[r]);
  }
}

template <class OnFire>
int RuleSet::on_stream_match(unsigned id, unsigned long long, unsigned long long, unsigned, void* ctx) {
  auto& [self, side, fire] = *static_cast<std::tuple<const RuleSet*, int, OnFire*>*>(ctx);
  (*fire)(self->payload_[side].rule_of[id]);
  return 0;
}

template <class OnFire>
void RuleSet::scan_stream(hs_stream_t* stream, int side, std::span<const std::uint8_t> bytes, unsigned worker,
                          OnFire&& on_fire) const {
  std::tuple<const RuleSet*, int, std::remove_reference_t<OnFire>*> ctx{this, side, &on_fire};
  hs_scan_stream(stream, reinterpret_cast<const char*>(bytes.data()), static_cast<unsigned>(bytes.size()), 0,
                 scratch_[worker].hs.get(), &on_stream_match<std::remove_reference_t<OnFire>>, &ctx);
}

template <class OnFire>
void RuleSet::close_stream(hs_stream_t* stream, int side, unsigned worker, OnFire&& on_fire) const {
  std::tuple<const RuleSet*, int, std::remove_reference_t<OnFire>*> ctx{this, side, &on_fire};
  hs_close_stream(stream, scratch_[worker].hs.get(), &on_stream_match<std::remove_reference_t<OnFire>>, &ctx);
}

}  // namespace segward::signatures
