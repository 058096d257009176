#include "signatures/pattern_set.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace segward::signatures {
namespace {

std::span<const std::uint8_t> bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(PatternSet, FindsEveryPatternInOnePass) {
  PatternSet set({{"Authorization: Basic ", 1, true}, {"mesos\\.internal\\.[A-Za-z]+Message", 2, false}});
  PatternScratch scratch(set);
  std::vector<unsigned> ids;
  ASSERT_TRUE(set.scan(bytes("POST /master/mesos.internal.RegisterFrameworkMessage HTTP/1.1\r\n"
                             "authorization: basic Zm9vOmJhcg==\r\n"),
                       scratch, [&](unsigned id, unsigned long long) {
                         ids.push_back(id);
                         return true;
                       }));
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ((std::vector<unsigned>{1, 2}), ids);
}

TEST(PatternSet, NoMatchNoCallback) {
  PatternSet set({{"secret", 7, false}});
  PatternScratch scratch(set);
  int calls = 0;
  set.scan(bytes("nothing to see"), scratch, [&](unsigned, unsigned long long) { return ++calls, true; });
  EXPECT_EQ(0, calls);
}

TEST(PatternSet, BadPatternNamesItsIndexAndId) {
  try {
    PatternSet set({{"fine", 1, false}, {"broken(", 9, false}});
    FAIL() << "compiled a bad pattern";
  } catch (const PatternError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("pattern 1 (id 9) 'broken('")) << e.what();
  }
}

}  // namespace
}  // namespace segward::signatures
