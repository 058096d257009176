#include "mgmt/ctl/token_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "mgmt/ctl/exit_codes.h"

namespace segward::ctl {

std::string parse_token_file(const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string first, second;
    words >> first >> second;
    if (first.empty() || first.starts_with('#')) continue;
    return second.empty() ? first : second;
  }
  return "";
}

std::string read_token_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw CtlError(kUsage, "cannot read token file " + path + ": " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = parse_token_file(text.str());
  if (token.empty()) throw CtlError(kUsage, "token file " + path + " holds no token");
  return token;
}

}  // namespace segward::ctl
