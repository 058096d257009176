// Path globs of the L7 conditions: the semantics policy.h promises, checked
// case by case and against a plain recursive reference on random inputs,
// and the truncated-text mode (a cut decoder field) never letting through a
// value whose full text might not match.
#include "dataplane/policy/glob.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

namespace segward::policy {
namespace {

// The obvious exponential definition, straight from policy.h.
bool reference_once(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p[0] == '*') {
    std::size_t run = 0;
    while (run < p.size() && p[run] == '*') ++run;
    const std::string_view rest = p.substr(run);
    for (std::size_t k = 0; k <= t.size(); ++k) {
      if (run == 1 && k > 0 && t[k - 1] == '/') break;
      if (reference_once(rest, t.substr(k))) return true;
    }
    return false;
  }
  if (t.empty()) return false;
  if (p[0] == '?') return t[0] != '/' && reference_once(p.substr(1), t.substr(1));
  return p[0] == t[0] && reference_once(p.substr(1), t.substr(1));
}

bool reference(std::string_view p, std::string_view t) {
  if (reference_once(p, t)) return true;
  std::size_t stars = 0;
  while (stars < p.size() && p[p.size() - 1 - stars] == '*') ++stars;
  return stars >= 2 && stars < p.size() && p[p.size() - 1 - stars] == '/' &&
         reference_once(p.substr(0, p.size() - 1 - stars), t);
}

TEST(Glob, LiteralsMatchOnlyThemselves) {
  EXPECT_TRUE(glob_match("/mesos/leader", "/mesos/leader"));
  EXPECT_FALSE(glob_match("/mesos/leader", "/mesos/leader2"));
  EXPECT_FALSE(glob_match("/mesos/leader", "/mesos/leade"));
  EXPECT_FALSE(glob_match("/mesos", "/MESOS"));
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "/"));
}

TEST(Glob, StarStaysWithinOneSegment) {
  EXPECT_TRUE(glob_match("/mesos/*", "/mesos/json.info_0000000001"));
  EXPECT_TRUE(glob_match("/mesos/*", "/mesos/"));
  EXPECT_FALSE(glob_match("/mesos/*", "/mesos/a/b"));
  EXPECT_FALSE(glob_match("/mesos/*", "/mesos"));
  EXPECT_TRUE(glob_match("/mesos/json.info_*", "/mesos/json.info_0000000007"));
  EXPECT_FALSE(glob_match("/mesos/json.info_*", "/mesos/log_replicas/json.info_1"));
  EXPECT_TRUE(glob_match("/*/leader", "/mesos/leader"));
  EXPECT_FALSE(glob_match("/*/leader", "/a/b/leader"));
  EXPECT_TRUE(glob_match("/a*b*c", "/aXbYc"));
  EXPECT_FALSE(glob_match("/a*b*c", "/aX/bYc"));
}

TEST(Glob, DoubleStarCrossesSegments) {
  EXPECT_TRUE(glob_match("/mesos/**", "/mesos/a/b/c"));
  EXPECT_TRUE(glob_match("/api/v1/**", "/api/v1/scheduler"));
  EXPECT_TRUE(glob_match("**", ""));
  EXPECT_TRUE(glob_match("**", "/any/thing"));
  EXPECT_TRUE(glob_match("/a/**/z", "/a/b/c/z"));
  EXPECT_TRUE(glob_match("/a/**/z", "/a//z"));
  EXPECT_FALSE(glob_match("/a/**/z", "/a/z"));  // only a trailing "/**" names the directory itself
  EXPECT_TRUE(glob_match("/a/**z", "/a/b/cz"));
  EXPECT_TRUE(glob_match("/a/***", "/a/b/c"));  // a longer run of stars is a `**`
}

TEST(Glob, TrailingDoubleStarAlsoMatchesTheDirectory) {
  EXPECT_TRUE(glob_match("/mesos/**", "/mesos"));
  EXPECT_TRUE(glob_match("/mesos/**", "/mesos/"));
  EXPECT_FALSE(glob_match("/mesos/**", "/mesosX"));
  EXPECT_FALSE(glob_match("/mesos/**", "/meso"));
  EXPECT_FALSE(glob_match("/mesos/**", "/"));
  EXPECT_TRUE(glob_match("/**", ""));
  EXPECT_TRUE(glob_match("/**", "/"));
  EXPECT_FALSE(glob_match("/mesos/*", "/mesos"));  // a single star does not
}

TEST(Glob, QuestionMarkIsOneCharacterButSlash) {
  EXPECT_TRUE(glob_match("/zk?", "/zk1"));
  EXPECT_FALSE(glob_match("/zk?", "/zk"));
  EXPECT_FALSE(glob_match("/zk?", "/zk12"));
  EXPECT_FALSE(glob_match("/a?b", "/a/b"));
  EXPECT_TRUE(glob_match("/??", "/ab"));
  EXPECT_TRUE(glob_match("/*?", "/a"));
  EXPECT_FALSE(glob_match("/*?", "/"));
}

TEST(Glob, BacktracksPastAFailedStarToTheDoubleStar) {
  // The greedy `*` must give up at '/', and the `**` before it take more.
  EXPECT_TRUE(glob_match("**/x*y", "/a/xb/xcy"));
  EXPECT_TRUE(glob_match("/**/*.info", "/a/b/c.info"));
  EXPECT_FALSE(glob_match("/**/*.info", "/a/b/c.infox"));
  EXPECT_TRUE(glob_match("**a*a*a", "aaa/aaa"));
  EXPECT_FALSE(glob_match("*a*a*a", "aaa/aaa"));
}

TEST(Glob, AgreesWithTheReferenceOnRandomInputs) {
  std::mt19937 rng(12345);
  const std::string pattern_chars = "ab/*?";
  const std::string text_chars = "ab/";
  int matches = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string p, t;
    const int plen = static_cast<int>(rng() % 9), tlen = static_cast<int>(rng() % 10);
    for (int k = 0; k < plen; ++k) p += pattern_chars[rng() % pattern_chars.size()];
    for (int k = 0; k < tlen; ++k) t += text_chars[rng() % text_chars.size()];
    const bool expected = reference(p, t);
    matches += expected ? 1 : 0;
    ASSERT_EQ(glob_match(p, t), expected) << "pattern '" << p << "' text '" << t << "'";
  }
  EXPECT_GT(matches, 1000);  // the inputs exercise both outcomes
}

// Truncated text: a match must hold for every continuation of the text.
TEST(Glob, TruncatedTextMatchesOnlyWhenEveryContinuationWould) {
  EXPECT_TRUE(glob_match("/mesos/**", "/mesos/very/long", true));
  EXPECT_TRUE(glob_match("**", "x", true));
  EXPECT_FALSE(glob_match("/mesos/*", "/mesos/abc", true));  // the rest might hold a '/'
  EXPECT_FALSE(glob_match("/mesos/abc", "/mesos/abc", true));
  EXPECT_FALSE(glob_match("/mesos/**", "/mes", true));
  EXPECT_FALSE(glob_match("/mesos/**", "/mesos", true));  // "/mesosX" would not match
  EXPECT_TRUE(glob_match("/a/**", "/a/", true));

  std::mt19937 rng(777);
  const std::string pattern_chars = "ab/*?";
  const std::string text_chars = "ab/";
  std::vector<std::string> continuations = {""};
  for (int len = 1; len <= 3; ++len) {
    const std::size_t from = continuations.size();
    for (std::size_t i = 0; i < from; ++i) {
      if (continuations[i].size() != static_cast<std::size_t>(len - 1)) continue;
      for (char c : text_chars) continuations.push_back(continuations[i] + c);
    }
  }
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string p, t;
    const int plen = static_cast<int>(rng() % 8), tlen = static_cast<int>(rng() % 6);
    for (int k = 0; k < plen; ++k) p += pattern_chars[rng() % pattern_chars.size()];
    for (int k = 0; k < tlen; ++k) t += text_chars[rng() % text_chars.size()];
    if (!glob_match(p, t, true)) continue;
    ++accepted;
    for (const std::string& rest : continuations) {
      ASSERT_TRUE(reference(p, t + rest)) << "pattern '" << p << "' accepted cut text '" << t << "' but not '"
                                          << t + rest << "'";
    }
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace segward::policy
