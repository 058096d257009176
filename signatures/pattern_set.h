#pragma once
// A compiled set of regular expressions scanned in one pass with Hyperscan.
// Compilation happens off the packet path and names the offending pattern on
// error; scanning never allocates (each worker owns a PatternScratch).
#include <hs/hs.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace segward::signatures {

class PatternError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Pattern {
  std::string expression;
  unsigned id = 0;
  bool caseless = false;
};

// Why Hyperscan refuses `expression` ("" when it accepts it); an
// expression that matches the empty string is refused too.
[[nodiscard]] std::string check_expression(const std::string& expression, bool caseless);

// `text` as a Hyperscan expression that matches it literally.
[[nodiscard]] std::string escape_literal(std::string_view text);

class PatternScratch;

class PatternSet {
 public:
  // Throws PatternError("pattern N (id I) 'expr': reason") for a bad pattern.
  // `mode`: HS_MODE_BLOCK, or HS_MODE_STREAM for scanning a byte stream in pieces.
  explicit PatternSet(const std::vector<Pattern>& patterns, unsigned mode = HS_MODE_BLOCK);
  ~PatternSet();
  PatternSet(const PatternSet&) = delete;
  PatternSet& operator=(const PatternSet&) = delete;

  // Calls on_match(id, end_offset) for every match; returns false if the
  // callback asked to stop. `on_match` returns true to continue.
  template <class OnMatch>
  bool scan(std::span<const std::uint8_t> data, PatternScratch& scratch, OnMatch&& on_match) const;

  [[nodiscard]] const hs_database_t* database() const { return db_; }

 private:
  hs_database_t* db_ = nullptr;
};

class PatternScratch {
 public:
  PatternScratch() = default;  // grown to fit with add()
  explicit PatternScratch(const PatternSet& set) { add(set); }
  // Makes the scratch big enough for `set` too: one scratch serves many
  // sets, scanned one after the other.
  void add(const PatternSet& set);
  ~PatternScratch();
  PatternScratch(const PatternScratch&) = delete;
  PatternScratch& operator=(const PatternScratch&) = delete;
  hs_scratch_t* get() { return scratch_; }

 private:
  hs_scratch_t* scratch_ = nullptr;
};

template <class OnMatch>
bool PatternSet::scan(std::span<const std::uint8_t> data, PatternScratch& scratch, OnMatch&& on_match) const {
  auto trampoline = [](unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) -> int {
    return (*static_cast<OnMatch*>(ctx))(id, to) ? 0 : 1;
  };
  const hs_error_t rc = hs_scan(db_, reinterpret_cast<const char*>(data.data()), static_cast<unsigned>(data.size()), 0,
                                scratch.get(), trampoline, &on_match);
  return rc == HS_SUCCESS;
}

}  // namespace segward::signatures
