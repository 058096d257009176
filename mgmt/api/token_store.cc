#include "mgmt/api/token_store.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "platform/startup_error.h"

namespace segward::api {
namespace {

[[noreturn]] void fail(const std::string& where, const std::string& why) { throw StartupError(where + ": " + why); }

// Reads the whole file, refusing modes that let group or others in (checked
// on the open descriptor, so the file checked is the file read).
std::string read_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(path, std::string("cannot open the API token file: ") + std::strerror(errno));
  struct stat st {};
  std::string text;
  const auto close_and_fail = [&](const std::string& why) {
    ::close(fd);
    fail(path, why);
  };
  if (::fstat(fd, &st) != 0) close_and_fail(std::string("cannot stat the API token file: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) close_and_fail("the API token file is not a regular file");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    close_and_fail(std::string("mode ") + mode + " lets group or others at the API tokens; chmod 600 " + path);
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) close_and_fail(std::string("cannot read the API token file: ") + std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

Role parse_role(std::string_view name) {
  if (name == "read") return Role::read;
  if (name == "admin") return Role::admin;
  return Role::none;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::read: return "read";
    case Role::admin: return "admin";
    case Role::none: break;
  }
  return "none";
}

TokenStore::Digest TokenStore::digest(std::string_view token) {
  Digest d{};
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), d.data(), &len, EVP_sha256(), nullptr);
  return d;
}

TokenStore TokenStore::load(const std::string& path) {
  std::istringstream in(read_private_file(path));
  TokenStore store;
  std::vector<std::size_t> line_of;  // the line of each token, for "same token as line N"
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    const std::string where = path + ":" + std::to_string(number);
    std::istringstream fields(line);
    std::string role_text, token, extra;
    if (!(fields >> role_text) || role_text.starts_with('#')) continue;  // blank or comment
    if (!(fields >> token) || (fields >> extra)) fail(where, "expected 'ROLE TOKEN' (ROLE read or admin)");
    const Role role = parse_role(role_text);
    if (role == Role::none) fail(where, "unknown role '" + role_text + "' (read or admin)");
    if (token.size() < kMinTokenLength) {
      fail(where, "token shorter than " + std::to_string(kMinTokenLength) + " characters");
    }
    for (const char c : token) {
      if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) {
        fail(where, "the token has a character that is not printable ASCII");
      }
    }
    const Digest d = digest(token);
    for (std::size_t i = 0; i < store.tokens_.size(); ++i) {
      if (store.tokens_[i].second == d) fail(where, "the same token as line " + std::to_string(line_of[i]));
    }
    store.tokens_.emplace_back(role, d);
    line_of.push_back(number);
  }
  if (store.tokens_.empty()) fail(path, "no tokens (lines 'ROLE TOKEN', ROLE read or admin)");
  return store;
}

Role TokenStore::role_of(std::string_view token) const {
  const Digest d = digest(token);
  Role found = Role::none;
  for (const auto& [role, known] : tokens_) {
    // No early exit: every token is compared whatever matched.
    if (CRYPTO_memcmp(known.data(), d.data(), d.size()) == 0) found = role;
  }
  return found;
}

}  // namespace segward::api
