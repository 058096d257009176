// The token file: refused at start-up, with where and why, unless it is
// private and well-formed; tokens found by content only.
#include <gtest/gtest.h>

#include "mgmt/api/token_store.h"
#include "platform/startup_error.h"
#include "tests/unit/api/api_test_support.h"

namespace segward::api::testing {
namespace {

// The StartupError message loading `text` (with `mode`) gives; "" if it loads.
std::string load_error(const std::string& text, mode_t mode = 0600) {
  const TempDir dir("tokens");
  const std::string path = dir.write("tokens", text, mode);
  try {
    (void)TokenStore::load(path);
  } catch (const StartupError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(path, 0), 0u) << "the message starts with the file: " << message;
    return message.substr(path.size());
  }
  return {};
}

TEST(TokenStore, LoadsRolesSkippingCommentsAndBlankLines) {
  const TempDir dir("tokens");
  const TokenStore store = TokenStore::load(dir.write("tokens", token_file_text() + "  # indented comment\n\t\n"));
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.role_of(kReadToken), Role::read);
  EXPECT_EQ(store.role_of(kAdminToken), Role::admin);
  EXPECT_EQ(store.role_of(std::string(kAdminToken) + "x"), Role::none);
  EXPECT_EQ(store.role_of(std::string(kAdminToken).substr(1)), Role::none);
  EXPECT_EQ(store.role_of(""), Role::none);
}

TEST(TokenStore, ModeOpenToGroupOrOthersIsRefusedWithTheFix) {
  for (const mode_t mode : {0644, 0640, 0604, 0660, 0602}) {
    const std::string why = load_error(token_file_text(), mode);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
    EXPECT_NE(why.find(std::string("mode ") + octal), std::string::npos) << why;
    EXPECT_NE(why.find("chmod 600 "), std::string::npos) << why;
  }
  EXPECT_EQ(load_error(token_file_text(), 0400), "");
}

TEST(TokenStore, MalformedFilesAreRefusedWithTheLine) {
  EXPECT_EQ(load_error("read abcdefghijklmnop\nadmin\n"), ":2: expected 'ROLE TOKEN' (ROLE read or admin)");
  EXPECT_EQ(load_error("read abcdefghijklmnop extra\n"), ":1: expected 'ROLE TOKEN' (ROLE read or admin)");
  EXPECT_EQ(load_error("# c\nwrite abcdefghijklmnop\n"), ":2: unknown role 'write' (read or admin)");
  EXPECT_EQ(load_error("admin abcdefghijklmno\n"), ":1: token shorter than 16 characters");
  EXPECT_EQ(load_error("read abcdefghijklmnop\nadmin abcdefghijklmnop\n"), ":2: the same token as line 1");
  EXPECT_EQ(load_error("# only comments\n\n"), ": no tokens (lines 'ROLE TOKEN', ROLE read or admin)");
  EXPECT_EQ(load_error(""), ": no tokens (lines 'ROLE TOKEN', ROLE read or admin)");
}

TEST(TokenStore, MissingFileIsRefused) {
  const TempDir dir("tokens");
  try {
    (void)TokenStore::load(dir.file("absent"));
    FAIL() << "loaded a missing file";
  } catch (const StartupError& e) {
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
}

TEST(TokenStore, ApiServerRefusesToStartWithAnOpenTokenFile) {
  const TempDir dir("server");
  ApiConfig config;
  config.listen = {"127.0.0.1", 0};
  config.tokens_path = dir.write("tokens", token_file_text(), 0644);
  ApiState state;
  EXPECT_THROW(ApiServer(config, state, {}), StartupError);
}

}  // namespace
}  // namespace segward::api::testing
