#pragma once
// `segwardctl completion bash`: a bash completion script generated from the
// CLI11 command tree, so that it cannot fall behind the commands.
#include <CLI/CLI.hpp>

#include <string>

namespace segward::ctl {

std::string bash_completion(const CLI::App& app);

}  // namespace segward::ctl
