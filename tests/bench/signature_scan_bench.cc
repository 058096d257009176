// Issue 7 benchmark: Hyperscan alone on the field values segward scans.
//
//   signature_scan_bench [--iterations N] [--dump] --rules PATH [--rules PATH ...] CAPTURE...
//
// 1. Loads the rule files (mgmt::load_rule_files), as segward does.
// 2. Replays the captures through the real sensor (mgmt::run_sensor, replay
//    mode, the same rules, no policy, EVE to /dev/null) and collects, from
//    every application-layer record the rules inspect (Mesos requests, not
//    response-stream events; ZooKeeper requests, connects, four-letter words,
//    AdminServer commands and oversize frames, not notifications; TLS
//    handshakes), the values of every field the rule set tests, read with
//    signatures::read_field exactly as the engine reads them. The Mesos
//    records carry the MesosEvent only, not the request head, so the
//    http.header.* fields read from the head are absent here (the program
//    names those the rules test); segward scans them.
// 3. Scans every collected text value of a field that has a Hyperscan
//    database (RuleSet::field_patterns) with hs_scan, one scratch allocated
//    for every database, N times, and prints messages, values, bytes and ns
//    per message. --dump prints every value read first (message number,
//    field, value), numbers too, for checking what the engine sees.
//
// Under callgrind, `--toggle-collect='*bare_scan_loop*'` with one iteration
// gives hs_scan's instructions per message for the bare loop (bench.sh row g
// compares them with segward's own replay).
#include <hs/hs.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "dataplane/l7_event.h"
#include "mgmt/config.h"
#include "mgmt/rule_file.h"
#include "mgmt/sensor.h"
#include "signatures/fields.h"
#include "signatures/rule_set.h"

namespace {

using segward::signatures::FieldId;
using segward::signatures::Subject;

struct Value {
  const hs_database_t* db;
  FieldId field;
  std::size_t offset;  // into Collected::bytes
  std::size_t length;
};

struct Collected {
  std::string bytes;          // every text value, back to back
  std::vector<Value> values;  // the ones with a database to scan
  std::uint64_t messages[static_cast<std::size_t>(Subject::kCount)] = {};
  std::uint64_t text_values = 0, number_values = 0, unscanned_text = 0;
  std::uint64_t skipped_records = 0;  // records the engine does not inspect
};

// Hands one field's values to the collection (and to standard output with --dump).
class Sink final : public segward::signatures::ValueSink {
 public:
  Sink(Collected& c, FieldId field, const hs_database_t* db, std::uint64_t dump_message)
      : c_(c), field_(field), db_(db), dump_(dump_message) {}
  void text(std::string_view value) override {
    ++c_.text_values;
    if (dump_ != 0) {
      std::printf("%llu\t%s\t%.*s\n", static_cast<unsigned long long>(dump_),
                  std::string(segward::signatures::field_info(field_).name).c_str(), static_cast<int>(value.size()),
                  value.data());
    }
    if (db_ == nullptr) {
      ++c_.unscanned_text;
      return;
    }
    c_.values.push_back({db_, field_, c_.bytes.size(), value.size()});
    c_.bytes.append(value);
  }
  void number(std::int64_t value) override {
    ++c_.number_values;
    if (dump_ != 0) {
      std::printf("%llu\t%s\t%lld\n", static_cast<unsigned long long>(dump_),
                  std::string(segward::signatures::field_info(field_).name).c_str(), static_cast<long long>(value));
    }
  }

 private:
  Collected& c_;
  FieldId field_;
  const hs_database_t* db_;
  std::uint64_t dump_;  // the message's number, 0: no dump
};

struct MatchCount {
  std::uint64_t matches = 0;
};

int on_match(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++static_cast<MatchCount*>(ctx)->matches;
  return 0;
}

// The bare loop: nothing but hs_scan on each value. Not inlined, so that
// callgrind can collect inside it alone.
[[gnu::noinline]] std::uint64_t bare_scan_loop(const Collected& c, hs_scratch_t* scratch, unsigned iterations) {
  MatchCount count;
  for (unsigned i = 0; i < iterations; ++i) {
    for (const Value& v : c.values) {
      const hs_error_t rc = hs_scan(v.db, c.bytes.data() + v.offset, static_cast<unsigned>(v.length), 0, scratch,
                                    on_match, &count);
      if (rc != HS_SUCCESS) {
        std::fprintf(stderr, "signature_scan_bench: hs_scan failed (%d)\n", rc);
        std::exit(1);
      }
    }
  }
  return count.matches;
}

// Fields read from the request head (MesosRequestHead), which the records do not carry.
bool from_request_head(FieldId f) {
  switch (f) {
    case FieldId::kHttpUserAgent:
    case FieldId::kHttpHost:
    case FieldId::kHttpContentType:
    case FieldId::kHttpContentEncoding:
    case FieldId::kHttpAccept:
    case FieldId::kHttpLibprocessFrom: return true;
    default: return false;
  }
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: signature_scan_bench [--iterations N] [--dump] --rules PATH [--rules PATH ...] CAPTURE...\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  namespace mgmt = segward::mgmt;
  namespace sig = segward::signatures;
  namespace dp = segward::dataplane;
  unsigned iterations = 1000;
  bool dump = false;
  std::vector<std::string> rule_paths, captures;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if ((a == "--iterations" || a == "-n") && i + 1 < argc) {
      char* end = nullptr;
      const unsigned long n = std::strtoul(argv[++i], &end, 10);
      if (end == argv[i] || *end != 0 || n == 0 || n > 100'000'000) usage();
      iterations = static_cast<unsigned>(n);
    } else if (a == "--dump") {
      dump = true;
    } else if ((a == "--rules" || a == "-r") && i + 1 < argc) {
      rule_paths.emplace_back(argv[++i]);
    } else if (!a.empty() && a[0] == '-') {
      usage();
    } else {
      captures.emplace_back(a);
    }
  }
  if (rule_paths.empty() || captures.empty()) usage();

  try {
    const mgmt::LoadedRules loaded = mgmt::load_rule_files(rule_paths, 1);
    const sig::RuleSet& set = *loaded.set;

    std::vector<FieldId> tested[static_cast<std::size_t>(Subject::kCount)];
    for (std::size_t s = 0; s < static_cast<std::size_t>(Subject::kCount); ++s) {
      tested[s] = set.fields_tested(static_cast<Subject>(s));
    }

    mgmt::Config config = mgmt::default_config();
    config.signature_rules = rule_paths;
    config.policy.reset();
    config.policy_path.clear();
    config.l7.enabled = true;
    config.eve.path = "/dev/null";
    config.eve.stats_interval_s = 0;

    Collected c;
    mgmt::SensorOptions options;
    options.replay_captures = captures;
    options.record_observer = [&](const dp::L7EventRecord& r) {
      sig::MessageView m;
      switch (r.kind) {
        case dp::L7EventKind::kMesos:
          // Response-stream events (SUBSCRIBED, ...) are the server's: the engine inspects requests only.
          if (r.mesos.is_response) {
            ++c.skipped_records;
            return;
          }
          m.subject = Subject::kMesos;
          m.mesos = &r.mesos;  // m.http stays null: the record has no request head
          break;
        case dp::L7EventKind::kZookeeper:
          if (r.zookeeper.kind == segward::zookeeper::ZkEventKind::kNotification) {
            ++c.skipped_records;
            return;
          }
          m.subject = Subject::kZookeeper;
          m.zookeeper = &r.zookeeper;
          break;
        case dp::L7EventKind::kTls:
          m.subject = Subject::kTls;
          m.tls = &r.tls;
          break;
        default: return;  // alerts, protocol mismatches
      }
      const auto s = static_cast<std::size_t>(m.subject);
      if (tested[s].empty()) return;  // the engine skips subjects no rule tests
      ++c.messages[s];
      std::uint64_t number = 0;
      if (dump) {
        for (const std::uint64_t n : c.messages) number += n;
        std::printf("%llu\t(%s message, flow %llu)\n", static_cast<unsigned long long>(number),
                    std::string(sig::subject_name(m.subject)).c_str(), static_cast<unsigned long long>(r.flow_id));
      }
      for (const FieldId f : tested[s]) {
        const sig::PatternSet* p = set.field_patterns(f);
        Sink sink(c, f, p != nullptr ? p->database() : nullptr, number);
        sig::read_field(f, m, sink);
      }
    };
    const mgmt::SensorReport report = mgmt::run_sensor(config, options);

    // One scratch for every database.
    hs_scratch_t* scratch = nullptr;
    std::set<const hs_database_t*> dbs;
    std::size_t fields_with_db = 0;
    for (const auto& fields : tested) {
      for (const FieldId f : fields) {
        const sig::PatternSet* p = set.field_patterns(f);
        if (p == nullptr) continue;
        ++fields_with_db;
        if (dbs.insert(p->database()).second && hs_alloc_scratch(p->database(), &scratch) != HS_SUCCESS) {
          std::fprintf(stderr, "signature_scan_bench: hs_alloc_scratch failed\n");
          return 1;
        }
      }
    }

    std::uint64_t messages = 0;
    for (const std::uint64_t n : c.messages) messages += n;
    std::printf("rules: %zu (version %s) from %zu file%s; fields tested: mesos %zu, zookeeper %zu, tls %zu; "
                "with a Hyperscan database: %zu\n",
                set.size(), set.version().c_str(), loaded.files.size(), loaded.files.size() == 1 ? "" : "s",
                tested[0].size(), tested[1].size(), tested[2].size(), fields_with_db);
    std::string head_fields;
    for (const FieldId f : tested[static_cast<std::size_t>(Subject::kMesos)]) {
      if (!from_request_head(f)) continue;
      head_fields += (head_fields.empty() ? "" : ", ") + std::string(sig::field_info(f).name);
      if (set.field_patterns(f) != nullptr) head_fields += " (scanned by segward)";
    }
    std::printf("absent here, present in segward (read from the request head): %s\n",
                head_fields.empty() ? "none the rules test" : head_fields.c_str());
    std::printf("segward's own count: stats.signatures.messages %llu\n",
                static_cast<unsigned long long>(report.totals.signatures.messages));
    std::printf("messages: %llu (mesos %llu, zookeeper %llu, tls %llu; %llu records skipped: not inspected)\n",
                static_cast<unsigned long long>(messages), static_cast<unsigned long long>(c.messages[0]),
                static_cast<unsigned long long>(c.messages[1]), static_cast<unsigned long long>(c.messages[2]),
                static_cast<unsigned long long>(c.skipped_records));
    std::printf("values: %llu text (%llu scanned, %llu of fields without a database), %llu numeric; "
                "bytes scanned: %zu\n",
                static_cast<unsigned long long>(c.text_values), static_cast<unsigned long long>(c.values.size()),
                static_cast<unsigned long long>(c.unscanned_text), static_cast<unsigned long long>(c.number_values),
                c.bytes.size());
    if (messages != report.totals.signatures.messages) {
      std::printf("WARNING: the records give %llu inspected messages, segward counted %llu\n",
                  static_cast<unsigned long long>(messages),
                  static_cast<unsigned long long>(report.totals.signatures.messages));
    }
    if (messages == 0 || c.values.empty()) {
      std::fprintf(stderr, "signature_scan_bench: nothing to scan\n");
      hs_free_scratch(scratch);
      return 1;
    }

    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t matches = bare_scan_loop(c, scratch, iterations);
    const auto t1 = std::chrono::steady_clock::now();
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    const double per_pass = static_cast<double>(iterations);
    std::printf("bare hs_scan loop: %u iterations, %.0f ns; %.1f ns/message, %.1f ns/value, %.2f ns/byte; "
                "matches per pass %llu\n",
                iterations, ns, ns / (per_pass * static_cast<double>(messages)),
                ns / (per_pass * static_cast<double>(c.values.size())),
                ns / (per_pass * static_cast<double>(c.bytes.size())),
                static_cast<unsigned long long>(matches / iterations));
    hs_free_scratch(scratch);
    return 0;
  } catch (const sig::RuleError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signature_scan_bench: %s\n", e.what());
    return 1;
  }
}
