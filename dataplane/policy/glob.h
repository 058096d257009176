#pragma once
// Path globs of the policy's L7 conditions (zookeeper paths, mesos
// endpoints), with the semantics policy.h gives them: `*` any run of
// characters but '/', `**` (or a longer run of stars) any run including '/',
// `?` one character but '/', everything else itself; a trailing "/**" also
// matches the directory itself ("/mesos/**" matches "/mesos").
//
// Iterative, no allocation, no recursion: safe on a worker.
#include <string_view>

namespace segward::policy {

// `text_truncated`: `text` is only the beginning of the real value (a
// decoder's bounded field was cut). The glob then matches only when it
// matches every possible continuation, so a cut value never passes a glob
// its full value might fail.
[[nodiscard]] bool glob_match(std::string_view pattern, std::string_view text, bool text_truncated = false) noexcept;

}  // namespace segward::policy
