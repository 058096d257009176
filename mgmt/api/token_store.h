#pragma once
// The REST API's bearer tokens: a file of "ROLE TOKEN" lines (ROLE read or
// admin; blank lines and # comments allowed), readable by its owner only,
// because anyone who can read it can change the policy.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace segward::api {

enum class Role { none, read, admin };  // ordered: admin implies read

// "none" | "read" | "admin"
std::string_view role_name(Role role);

class TokenStore {
 public:
  // Throws StartupError ("FILE:LINE: why", or the mode and the chmod that
  // fixes it) for a missing or unreadable file, a mode that lets group or
  // others in, a malformed line, an unknown role, a token shorter than
  // kMinTokenLength, a repeated token, or a file without tokens.
  static TokenStore load(const std::string& path);

  // The role of `token`, Role::none when it is unknown. Compares digests
  // in constant time against every token, so neither the time nor the
  // length of the comparison tells how much of a guess was right.
  [[nodiscard]] Role role_of(std::string_view token) const;
  [[nodiscard]] std::size_t size() const { return tokens_.size(); }

  static constexpr std::size_t kMinTokenLength = 16;

 private:
  using Digest = std::array<unsigned char, 32>;  // SHA-256
  static Digest digest(std::string_view token);
  std::vector<std::pair<Role, Digest>> tokens_;
};

}  // namespace segward::api
