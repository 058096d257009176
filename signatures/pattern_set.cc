#include "signatures/pattern_set.h"

namespace segward::signatures {

PatternSet::PatternSet(const std::vector<Pattern>& patterns) {
  if (patterns.empty()) throw PatternError("a pattern set needs at least one pattern");
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (const auto& p : patterns) {
    expressions.push_back(p.expression.c_str());
    flags.push_back(HS_FLAG_SINGLEMATCH | (p.caseless ? HS_FLAG_CASELESS : 0U));
    ids.push_back(p.id);
  }
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(patterns.size()),
                       HS_MODE_BLOCK, nullptr, &db_, &error) != HS_SUCCESS) {
    std::string message = "cannot compile patterns";
    if (error != nullptr) {
      const int at = error->expression;
      message = at >= 0 ? "pattern " + std::to_string(at) + " (id " + std::to_string(patterns[at].id) + ") '" +
                              patterns[at].expression + "': " + error->message
                        : std::string("patterns: ") + error->message;
      hs_free_compile_error(error);
    }
    throw PatternError(message);
  }
}

PatternSet::~PatternSet() { hs_free_database(db_); }

PatternScratch::PatternScratch(const PatternSet& set) {
  if (hs_alloc_scratch(set.database(), &scratch_) != HS_SUCCESS) {
    throw PatternError("cannot allocate Hyperscan scratch space");
  }
}

PatternScratch::~PatternScratch() { hs_free_scratch(scratch_); }

}  // namespace segward::signatures
