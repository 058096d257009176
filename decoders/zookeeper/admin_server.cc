// AdminServer command recognition (Commands.java names and aliases, 3.8/3.9).
#include "decoders/zookeeper/admin_server.h"

#include <cstdint>
#include <cstring>

#include "decoders/common/ascii.h"

namespace segward::zookeeper {
namespace {

struct AdminCommandName {
  std::string_view name;   // the primary (long) name
  std::string_view alias;  // another accepted name, or ""
  std::string_view alias2;
  std::string_view word;   // the four-letter word doing the same, or ""
};

constexpr AdminCommandName kCommands[] = {
    {"configuration", "conf", "config", "conf"},
    {"connection_stat_reset", "crst", "", "crst"},
    {"connections", "cons", "", "cons"},
    {"dirs", "", "", "dirs"},
    {"dump", "", "", "dump"},
    {"environment", "env", "envi", "envi"},
    {"get_trace_mask", "gtmk", "", "gtmk"},
    {"hash", "", "", "hash"},
    {"initial_configuration", "icfg", "", ""},
    {"is_read_only", "isro", "", "isro"},
    {"last_snapshot", "lsnp", "", ""},
    {"leader", "lead", "", ""},
    {"monitor", "mntr", "", "mntr"},
    {"observer_connection_stat_reset", "orst", "", ""},
    {"observers", "obsr", "", ""},
    {"ruok", "", "", "ruok"},
    {"server_stats", "srvr", "", "srvr"},
    {"set_trace_mask", "stmk", "", "stmk"},
    {"stat_reset", "srst", "", "srst"},
    {"stats", "stat", "", "stat"},
    {"system_properties", "sysp", "", ""},
    {"voting_view", "", "", ""},
    {"watch_summary", "wchs", "", "wchs"},
    {"watches", "wchc", "", "wchc"},
    {"watches_by_path", "wchp", "", "wchp"},
    {"zabstate", "", "", ""},
    {"snapshot", "snap", "", ""},
    {"restore", "rest", "", ""},
    {"shed_connections", "shed", "", ""},
};

const AdminCommandName* find_command(std::string_view name) noexcept {
  if (name.empty()) return nullptr;
  for (const auto& c : kCommands) {
    if (c.name == name || (!c.alias.empty() && c.alias == name) || (!c.alias2.empty() && c.alias2 == name)) return &c;
  }
  return nullptr;
}

// The value of `key` in a query string; false if absent.
bool query_value(std::string_view query, std::string_view key, std::string_view& value) noexcept {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == key) {
      value = pair.substr(eq + 1);
      return true;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

}  // namespace

std::string_view admin_command_long_name(std::string_view name) noexcept {
  const AdminCommandName* c = find_command(name);
  return c == nullptr ? std::string_view{} : c->name;
}

bool admin_command(std::string_view target, ZkEvent& out) noexcept {
  // Absolute form: drop "scheme://authority".
  if (const std::size_t sep = target.find("://"); sep != std::string_view::npos && target.substr(0, 1) != "/") {
    const std::string_view scheme = target.substr(0, sep);
    if (!decoders::iequals(scheme, "http") && !decoders::iequals(scheme, "https")) return false;
    const std::size_t slash = target.find('/', sep + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  const std::size_t query_at = target.find_first_of("?#");
  const std::string_view path = target.substr(0, query_at);
  std::string_view query;
  if (query_at != std::string_view::npos && target[query_at] == '?') {
    query = target.substr(query_at + 1);
    query = query.substr(0, query.find('#'));
  }
  constexpr std::string_view kPrefix = "/commands";
  if (path.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = path.substr(kPrefix.size());
  if (!rest.empty() && rest.front() != '/') return false;  // "/commandsX"
  if (!rest.empty()) rest.remove_prefix(1);
  const std::string_view name = rest.substr(0, rest.find('/'));

  out.reset();
  out.kind = ZkEventKind::kAdminCommand;
  const AdminCommandName* c = find_command(name);
  if (c != nullptr) {
    out.admin_command.assign(c->name);
    if (!c->word.empty()) std::memcpy(out.four_letter_word.data(), c->word.data(), 4);
  } else {
    out.admin_command.assign(name);
    if (out.admin_command.truncated) out.truncated = true;
  }
  if (out.admin_command.view() == "set_trace_mask") {
    std::string_view mask;
    if (query_value(query, "traceMask", mask) && !mask.empty() && mask.size() <= 20) {
      std::uint64_t v = 0;
      bool ok = true;
      for (const char ch : mask) {
        if (!decoders::is_digit(static_cast<unsigned char>(ch)) || v > (~std::uint64_t{0} - 9) / 10) {
          ok = false;
          break;
        }
        v = v * 10 + static_cast<std::uint64_t>(ch - '0');
      }
      if (ok) {
        out.trace_mask = v;
        out.has_trace_mask = true;
      }
    }
  }
  return true;
}

}  // namespace segward::zookeeper
