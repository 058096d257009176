#pragma once
// ZooKeeper AdminServer (Jetty, default port 8080) recognition for the HTTP
// engine: GET /commands/<name> runs one command and answers JSON. Names and
// aliases as in 3.8/3.9 (research/zookeeper-wire.md §8.2).
#include <array>
#include <string_view>

#include "decoders/zookeeper/zk_event.h"

namespace segward::zookeeper {

/// "/commands/stat?x" -> out.reset(), kind kAdminCommand, admin_command =
/// the long name ("stats"), four_letter_word = its 4lw alias where one
/// exists ("stat"); an unknown name is kept as sent (the server answers it
/// with an error). "/commands" and "/commands/" -> admin_command "" (the
/// listing). Absolute-form targets ("http://h:8080/commands/stat") are
/// accepted. set_trace_mask?traceMask=N sets trace_mask. False (out
/// untouched) when the target is not under /commands.
bool admin_command(std::string_view http_target, ZkEvent& out) noexcept;

/// The long name of a known command or alias ("conf" -> "configuration"); "" if unknown.
std::string_view admin_command_long_name(std::string_view name) noexcept;

}  // namespace segward::zookeeper
