#include "signatures/pattern_set.h"

#include <cstdlib>

namespace segward::signatures {

PatternSet::PatternSet(const std::vector<Pattern>& patterns, unsigned mode) {
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
                       mode, nullptr, &db_, &error) != HS_SUCCESS) {
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

std::string check_expression(const std::string& expression, bool caseless) {
  hs_expr_info_t* info = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_expression_info(expression.c_str(), caseless ? HS_FLAG_CASELESS : 0U, &info, &error) != HS_SUCCESS) {
    std::string why = error != nullptr ? error->message : "not a valid expression";
    hs_free_compile_error(error);
    return why;
  }
  const bool empty = info->min_width == 0;
  std::free(info);
  return empty ? "matches the empty string (use absent: false to test that a field has a value)" : "";
}

std::string escape_literal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() * 4);
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

PatternSet::~PatternSet() { hs_free_database(db_); }

void PatternScratch::add(const PatternSet& set) {
  if (hs_alloc_scratch(set.database(), &scratch_) != HS_SUCCESS) {
    throw PatternError("cannot allocate Hyperscan scratch space");
  }
}

PatternScratch::~PatternScratch() { hs_free_scratch(scratch_); }

}  // namespace segward::signatures
