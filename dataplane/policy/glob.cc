#include "dataplane/policy/glob.h"

#include <cstddef>

namespace segward::policy {
namespace {

// Stands for the unknown rest of a truncated text: only `**` may consume it
// (a `*`, `?` or literal might meet a '/' or another character there).
constexpr int kUnknownRest = 256;

// Greedy matching with two backtrack points: the latest `*` and the latest
// `**`. When the latest `*` cannot grow (it would swallow a '/'), no earlier
// `*` can help either, since everything between them is confined to the same
// '/'-free run; so the match falls back to the latest `**`, which can absorb
// whatever any earlier star could.
bool match_once(std::string_view pattern, std::string_view text, bool truncated) noexcept {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const std::size_t n = text.size() + (truncated ? 1 : 0);
  const auto at = [&](std::size_t i) -> int {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : kUnknownRest;
  };
  std::size_t p = 0, t = 0;
  std::size_t star_p = kNone, star_t = 0;    // pattern after the latest `*`; text where its match ends
  std::size_t dstar_p = kNone, dstar_t = 0;  // the same for the latest `**`
  for (;;) {
    if (p < pattern.size()) {
      const char c = pattern[p];
      if (c == '*') {
        std::size_t q = p;
        while (q < pattern.size() && pattern[q] == '*') ++q;
        if (q - p >= 2) {
          dstar_p = q;
          dstar_t = t;
          star_p = kNone;
        } else {
          star_p = q;
          star_t = t;
        }
        p = q;
        continue;
      }
      if (t < n) {
        const int x = at(t);
        const bool ok = c == '?' ? (x != '/' && x != kUnknownRest) : x == static_cast<unsigned char>(c);
        if (ok) {
          ++p;
          ++t;
          continue;
        }
      }
    } else if (t == n) {
      return true;
    }
    // Mismatch: let the latest star take one more character.
    if (star_p != kNone && star_t < n && at(star_t) != '/' && at(star_t) != kUnknownRest) {
      p = star_p;
      t = ++star_t;
      continue;
    }
    if (dstar_p != kNone && dstar_t < n) {
      star_p = kNone;
      p = dstar_p;
      t = ++dstar_t;
      continue;
    }
    return false;
  }
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool text_truncated) noexcept {
  if (match_once(pattern, text, text_truncated)) return true;
  // "/dir/**" also names "/dir" itself.
  std::size_t stars = 0;
  while (stars < pattern.size() && pattern[pattern.size() - 1 - stars] == '*') ++stars;
  if (stars >= 2 && stars < pattern.size() && pattern[pattern.size() - 1 - stars] == '/') {
    return match_once(pattern.substr(0, pattern.size() - 1 - stars), text, text_truncated);
  }
  return false;
}

}  // namespace segward::policy
