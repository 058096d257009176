#include "signatures/rule_set.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <mutex>
#include <map>
#include <set>

namespace segward::signatures {

// A worker's stream states: fixed-size blocks carved from one arena, and a
// free list reserved to hold them all (so giving one back never allocates).
struct RuleSet::StreamPool {
  std::vector<std::uint8_t> arena;
  std::vector<void*> free;
};

namespace {

// Hyperscan takes stream states from one process-wide allocator. While a
// worker opens a stream, this names its pool; anywhere else (tests, the
// management thread) the heap serves. Every block starts with a header
// naming where it came from, so the free function needs no lookup.
struct alignas(16) BlockHeader {
  void* pool;  // RuleSet::StreamPool*, or null: the heap
};
thread_local void* t_opening_pool = nullptr;
thread_local std::size_t t_block_bytes = 0;

void* stream_alloc(std::size_t size) {
  auto* pool = static_cast<std::vector<void*>*>(t_opening_pool);
  if (pool != nullptr) {
    if (size + sizeof(BlockHeader) > t_block_bytes || pool->empty()) return nullptr;
    void* block = pool->back();
    pool->pop_back();
    return static_cast<BlockHeader*>(block) + 1;
  }
  auto* h = static_cast<BlockHeader*>(std::malloc(size + sizeof(BlockHeader)));
  if (h == nullptr) return nullptr;
  h->pool = nullptr;
  return h + 1;
}

void stream_free(void* p) {
  if (p == nullptr) return;
  BlockHeader* h = static_cast<BlockHeader*>(p) - 1;
  if (h->pool == nullptr) {
    std::free(h);
  } else {
    static_cast<std::vector<void*>*>(h->pool)->push_back(h);
  }
}

std::string join_errors(const std::vector<std::string>& errors) {
  std::string all;
  for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
  return all;
}

std::string where(const Rule& rule, std::uint32_t line) {
  return rule.file + ":" + std::to_string(line != 0 ? line : rule.line) + ": rule " + std::to_string(rule.id) + ": ";
}

std::string_view op_name(ConditionOp op) {
  switch (op) {
    case ConditionOp::kEquals: return "equals";
    case ConditionOp::kLiteral: return "literal";
    case ConditionOp::kRegex: return "regex";
    case ConditionOp::kAbsent: return "absent";
    case ConditionOp::kLess: return "lt";
    case ConditionOp::kLessEqual: return "le";
    case ConditionOp::kGreater: return "gt";
    case ConditionOp::kGreaterEqual: return "ge";
  }
  return "?";
}

std::string_view type_name(FieldType t) {
  switch (t) {
    case FieldType::kText: return "text";
    case FieldType::kNumber: return "number";
    case FieldType::kBool: return "bool";
  }
  return "?";
}

// Which subject an app restricts a rule to (kCount: any).
Subject app_subject(RuleApp app) {
  switch (app) {
    case RuleApp::kMesos:
    case RuleApp::kHttp: return Subject::kMesos;
    case RuleApp::kZookeeper: return Subject::kZookeeper;
    case RuleApp::kTls: return Subject::kTls;
    case RuleApp::kAny: break;
  }
  return Subject::kCount;
}

bool compare(ConditionOp op, std::int64_t value, const std::vector<std::int64_t>& numbers) {
  switch (op) {
    case ConditionOp::kEquals: return std::find(numbers.begin(), numbers.end(), value) != numbers.end();
    case ConditionOp::kLess: return value < numbers[0];
    case ConditionOp::kLessEqual: return value <= numbers[0];
    case ConditionOp::kGreater: return value > numbers[0];
    case ConditionOp::kGreaterEqual: return value >= numbers[0];
    default: return false;
  }
}

}  // namespace

RuleError::RuleError(std::vector<std::string> errors) : std::runtime_error(join_errors(errors)), errors_(std::move(errors)) {}

RuleSet::RuleSet(std::vector<Rule> rules, unsigned workers, std::string version, std::uint32_t payload_streams)
    : rules_(std::move(rules)), version_(std::move(version)), workers_(workers) {
  std::array<std::vector<Pattern>, 2> payload_patterns;
  std::vector<std::string> errors;
  std::map<std::uint32_t, const Rule*> by_id;
  // Per subject, per field: the patterns and their tests.
  struct Building {
    std::map<FieldId, std::vector<Pattern>> patterns;
    std::map<FieldId, std::vector<PatternRef>> refs;
    std::map<FieldId, std::vector<std::uint32_t>> tests;
  };
  std::array<Building, static_cast<std::size_t>(Subject::kCount)> building;

  for (std::uint32_t index = 0; index < rules_.size(); ++index) {
    const Rule& rule = rules_[index];
    if (auto [it, fresh] = by_id.emplace(rule.id, &rule); !fresh) {
      errors.push_back(where(rule, rule.line) + "duplicate id (first at " + it->second->file + ":" +
                       std::to_string(it->second->line) + ")");
      continue;
    }
    if (!rule.payload.empty()) {
      for (const PayloadPattern& p : rule.payload) {
        if (const std::string why = check_expression(p.expression, p.caseless); !why.empty()) {
          errors.push_back(where(rule, p.line) + "payload '" + p.expression + "': " + why);
          continue;
        }
        for (int side = 0; side < 2; ++side) {
          const FlowDirection d = side == 0 ? FlowDirection::kToServer : FlowDirection::kToClient;
          if (p.direction != FlowDirection::kAny && p.direction != d) continue;
          if (rule.flow != FlowDirection::kAny && rule.flow != d) continue;
          payload_patterns[side].push_back(
              {p.expression, static_cast<unsigned>(payload_[side].rule_of.size()), p.caseless});
          payload_[side].rule_of.push_back(index);
        }
      }
      continue;
    }
    if (rule.match.empty()) continue;  // refused by the reader
    if (rule.flow == FlowDirection::kToClient) {
      // Every decoded message rules test is a client's (a request, a
      // connect, a handshake): such a rule could never fire.
      errors.push_back(where(rule, rule.line) +
                       "flow: to_client applies to payload patterns; match conditions test what clients send");
      continue;
    }
    Subject subject = app_subject(rule.app);
    bool ok = true;
    for (const Condition& c : rule.match) {
      if (c.field == FieldId::kCount) {
        ok = false;
        continue;
      }
      const FieldInfo& f = field_info(c.field);
      if (subject == Subject::kCount) subject = f.subject;
      if (f.subject != subject) {
        errors.push_back(where(rule, c.line) + "field '" + std::string(f.name) + "' belongs to " +
                         std::string(subject_name(f.subject)) + " messages, the rule tests " +
                         std::string(subject_name(subject)) + " messages (app: " +
                         std::string(rule_app_name(rule.app)) + ")");
        ok = false;
      }
      const bool text_op = c.op == ConditionOp::kLiteral || c.op == ConditionOp::kRegex ||
                           (c.op == ConditionOp::kEquals && f.type == FieldType::kText);
      const bool number_op = c.op == ConditionOp::kLess || c.op == ConditionOp::kLessEqual ||
                             c.op == ConditionOp::kGreater || c.op == ConditionOp::kGreaterEqual;
      if ((text_op && f.type != FieldType::kText) || (number_op && f.type != FieldType::kNumber)) {
        errors.push_back(where(rule, c.line) + "'" + std::string(op_name(c.op)) + "' does not apply to " +
                         std::string(type_name(f.type)) + " field '" + std::string(f.name) + "'");
        ok = false;
      }
      if (c.op == ConditionOp::kEquals && f.type == FieldType::kBool) {
        for (const std::int64_t v : c.numbers) {
          if (v != 0 && v != 1) {
            errors.push_back(where(rule, c.line) + "field '" + std::string(f.name) + "' is true or false");
            ok = false;
          }
        }
      }
      if (c.op == ConditionOp::kEquals && !field_vocabulary(c.field).empty()) {
        const auto& known = field_vocabulary(c.field);
        for (const std::string& v : c.texts) {
          const bool found = std::any_of(known.begin(), known.end(), [&](std::string_view k) {
            return k.size() == v.size() &&
                   std::equal(k.begin(), k.end(), v.begin(), [&](char a, char b) {
                     return c.caseless ? std::tolower(static_cast<unsigned char>(a)) ==
                                             std::tolower(static_cast<unsigned char>(b))
                                       : a == b;
                   });
          });
          if (found) continue;
          std::string list;
          for (const std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
          errors.push_back(where(rule, c.line) + "'" + v + "' is not a value of " + std::string(f.name) +
                           " (one of: " + list + ")");
          ok = false;
        }
      }
      if (c.op == ConditionOp::kRegex) {
        for (const std::string& r : c.texts) {
          if (const std::string why = check_expression(r, c.caseless); !why.empty()) {
            errors.push_back(where(rule, c.line) + "regex '" + r + "': " + why);
            ok = false;
          }
        }
      }
    }
    if (!ok) continue;
    SubjectPlan& plan = plans_[static_cast<std::size_t>(subject)];
    Building& b = building[static_cast<std::size_t>(subject)];
    std::vector<std::uint32_t> tests;
    for (const Condition& c : rule.match) {
      const auto t = static_cast<std::uint32_t>(plan.tests.size());
      const bool text_op = c.op == ConditionOp::kLiteral || c.op == ConditionOp::kRegex ||
                           (c.op == ConditionOp::kEquals && field_info(c.field).type == FieldType::kText);
      plan.tests.push_back({c.op, c.negate, text_op, c.numbers});
      b.tests[c.field].push_back(t);
      tests.push_back(t);
      if (!text_op) continue;
      std::vector<Pattern>& patterns = b.patterns[c.field];
      std::vector<PatternRef>& refs = b.refs[c.field];
      for (const std::string& text : c.texts) {
        std::string expression = text;
        if (c.op == ConditionOp::kEquals) expression = "^" + escape_literal(text);
        if (c.op == ConditionOp::kLiteral) expression = escape_literal(text);
        patterns.push_back({std::move(expression), static_cast<unsigned>(refs.size()), c.caseless});
        refs.push_back({t, c.op == ConditionOp::kEquals});
      }
    }
    plan.rules.push_back(index);
    plan.rule_tests.push_back(std::move(tests));
  }
  if (!errors.empty()) throw RuleError(std::move(errors));

  for (std::size_t s = 0; s < plans_.size(); ++s) {
    SubjectPlan& plan = plans_[s];
    Building& b = building[s];
    for (auto& [field, tests] : b.tests) {
      FieldPlan fp{field, nullptr, std::move(b.refs[field]), std::move(tests)};
      if (!b.patterns[field].empty()) {
        try {
          fp.patterns = std::make_unique<PatternSet>(b.patterns[field]);
        } catch (const PatternError& e) {
          errors.push_back("field " + std::string(field_info(field).name) + ": " + e.what());
          continue;
        }
      }
      plan.fields.push_back(std::move(fp));
    }
    plan.negate_mask.assign((plan.tests.size() + 63) / 64, 0);
    for (std::size_t t = 0; t < plan.tests.size(); ++t) {
      if (plan.tests[t].negate) plan.negate_mask[t >> 6] |= 1ULL << (t & 63);
    }
  }
  if (!errors.empty()) throw RuleError(std::move(errors));

  if (rules_.size() > 65535) errors.push_back("a rule set holds at most 65,535 rules, these files have " + std::to_string(rules_.size()));
  for (int side = 0; side < 2; ++side) {
    if (payload_patterns[side].empty()) continue;
    try {
      payload_[side].patterns = std::make_unique<PatternSet>(payload_patterns[side], HS_MODE_STREAM);
      std::size_t bytes = 0;
      hs_stream_size(payload_[side].patterns->database(), &bytes);
      stream_block_ = std::max(stream_block_, bytes);
    } catch (const PatternError& e) {
      errors.push_back(std::string("payload patterns: ") + e.what());
    }
  }
  if (!errors.empty()) throw RuleError(std::move(errors));
  if (stream_block_ != 0) {
    static std::once_flag installed;
    std::call_once(installed, [] { hs_set_stream_allocator(stream_alloc, stream_free); });
    stream_block_ = (stream_block_ + sizeof(BlockHeader) + 15) & ~std::size_t{15};
    pools_ = std::make_unique<StreamPool[]>(workers_);
    for (unsigned w = 0; w < workers_; ++w) {
      StreamPool& pool = pools_[w];
      pool.arena.resize(stream_block_ * payload_streams + 16);
      // Blocks 16-byte aligned within the arena.
      auto* base = reinterpret_cast<std::uint8_t*>((reinterpret_cast<std::uintptr_t>(pool.arena.data()) + 15) & ~std::uintptr_t{15});
      pool.free.reserve(payload_streams);
      for (std::uint32_t i = 0; i < payload_streams; ++i) {
        auto* h = reinterpret_cast<BlockHeader*>(base + std::size_t{i} * stream_block_);
        h->pool = &pool.free;
        pool.free.push_back(h);
      }
    }
  }

  scratch_ = std::make_unique<Scratch[]>(workers_);
  for (unsigned w = 0; w < workers_; ++w) {
    for (std::size_t s = 0; s < plans_.size(); ++s) {
      scratch_[w].bits[s].assign(plans_[s].negate_mask.size(), 0);
      for (const FieldPlan& fp : plans_[s].fields) {
        if (fp.patterns != nullptr) scratch_[w].hs.add(*fp.patterns);
      }
    }
    for (const PayloadPlan& pp : payload_) {
      if (pp.patterns != nullptr) scratch_[w].hs.add(*pp.patterns);
    }
  }
}

hs_stream_t* RuleSet::open_stream(int side, unsigned worker) const {
  if (!scans_payload(side) || pools_ == nullptr) return nullptr;
  t_opening_pool = &pools_[worker].free;
  t_block_bytes = stream_block_;
  hs_stream_t* stream = nullptr;
  if (hs_open_stream(payload_[side].patterns->database(), 0, &stream) != HS_SUCCESS) stream = nullptr;
  t_opening_pool = nullptr;
  return stream;
}

RuleSet::~RuleSet() = default;

const PatternSet* RuleSet::field_patterns(FieldId field) const {
  for (const SubjectPlan& plan : plans_) {
    for (const FieldPlan& fp : plan.fields) {
      if (fp.field == field) return fp.patterns.get();
    }
  }
  return nullptr;
}

std::vector<FieldId> RuleSet::fields_tested(Subject subject) const {
  std::vector<FieldId> fields;
  for (const FieldPlan& fp : plans_[static_cast<std::size_t>(subject)].fields) fields.push_back(fp.field);
  return fields;
}

void RuleSet::evaluate(const SubjectPlan& plan, const MessageView& m, Scratch& s) const {
  std::vector<std::uint64_t>& bits = s.bits[static_cast<std::size_t>(m.subject)];
  std::fill(bits.begin(), bits.end(), 0);
  struct Scan final : ValueSink {
    const SubjectPlan& plan;
    const FieldPlan& field;
    PatternScratch& hs;
    std::uint64_t* bits;
    unsigned values = 0;
    Scan(const SubjectPlan& p, const FieldPlan& f, PatternScratch& h, std::uint64_t* b)
        : plan(p), field(f), hs(h), bits(b) {}
    void set(std::uint32_t t) { bits[t >> 6] |= 1ULL << (t & 63); }
    void text(std::string_view value) override {
      ++values;
      if (field.patterns == nullptr) return;
      const std::span<const std::uint8_t> bytes{reinterpret_cast<const std::uint8_t*>(value.data()), value.size()};
      field.patterns->scan(bytes, hs, [&](unsigned id, unsigned long long to) {
        const PatternRef& ref = field.refs[id];
        if (!ref.whole || to == value.size()) set(ref.test);
        return true;
      });
    }
    void number(std::int64_t value) override {
      ++values;
      for (const std::uint32_t t : field.tests) {
        const Test& test = plan.tests[t];
        if (!test.has_patterns && test.op != ConditionOp::kAbsent && compare(test.op, value, test.numbers)) set(t);
      }
    }
  };
  for (const FieldPlan& fp : plan.fields) {
    Scan scan(plan, fp, s.hs, bits.data());
    read_field(fp.field, m, scan);
    if (scan.values != 0) continue;
    for (const std::uint32_t t : fp.tests) {
      if (plan.tests[t].op == ConditionOp::kAbsent) scan.set(t);
    }
  }
}

}  // namespace segward::signatures
