#include "mgmt/learn/policy_writer.h"

#include <cctype>
#include <cstdio>
#include <optional>
#include <sstream>
#include <vector>

#include "decoders/net/packet_layers.h"

namespace segward::learn {
namespace {

using policy::Action;

bool plain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '/' || c == '-' ||
         c == '(' || c == ')';
}

// Words YAML 1.1 readers turn into something other than a string.
bool special_word(const std::string& s) {
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"};
  std::string l;
  for (char c : s) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const char* w : kWords) {
    if (l == w) return true;
  }
  return false;
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ", ";
    out += yaml_scalar(items[i]);
  }
  return out + "]";
}

std::string proto_text(std::uint8_t p) { return p == 6 ? "tcp" : p == 17 ? "udp" : "any"; }

// Comment lines: one per note, never a line break inside.
void comment(std::ostringstream& out, const std::string& indent, const std::string& text) {
  std::string line;
  for (char c : text) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  out << indent << "# " << line << "\n";
}

std::string seen_text(const Evidence& e) {
  std::string out;
  if (!e.first_seen.empty()) out = "first seen " + e.first_seen + ", last seen " + e.last_seen;
  return out;
}

std::string count(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void write(std::ostringstream& out, const policy::Policy& p, const Proposal* proposal) {
  // By member pointer: without a proposal there is no map to name.
  const auto evidence = [&](std::map<std::string, Evidence> Proposal::*member,
                            const std::string& name) -> const Evidence* {
    if (proposal == nullptr) return nullptr;
    const auto& m = proposal->*member;
    const auto it = m.find(name);
    return it == m.end() ? nullptr : &it->second;
  };

  out << "segments:\n";
  if (p.segments.empty()) out << "  {}\n";
  for (const auto& s : p.segments) {
    if (const Evidence* e = evidence(&Proposal::segments, s.name)) {
      for (std::size_t i = 0; i < e->notes.size(); ++i) comment(out, "  ", (i == 0 ? "" : "  ") + e->notes[i]);
    }
    std::vector<std::string> cidrs, vlans, macs;
    for (const auto& c : s.cidrs) cidrs.push_back(policy::cidr_text(c));
    out << "  " << yaml_scalar(s.name) << ": { cidrs: " << list(cidrs);
    if (!s.vlans.empty()) {
      out << ", vlans: [";
      for (std::size_t i = 0; i < s.vlans.size(); ++i) out << (i == 0 ? "" : ", ") << s.vlans[i];
      out << "]";
    }
    if (!s.macs.empty()) {
      for (const auto& m : s.macs) macs.push_back(policy::mac_text(m));
      out << ", macs: " << list(macs);
    }
    out << " }\n";
  }

  out << "services:\n";
  if (p.services.empty()) out << "  {}\n";
  for (const auto& s : p.services) {
    if (const Evidence* e = evidence(&Proposal::services, s.name)) {
      for (const auto& n : e->notes) comment(out, "  ", n);
    }
    out << "  " << yaml_scalar(s.name) << ": { proto: " << proto_text(s.ip_proto);
    if (!s.ports.empty()) {
      out << ", ports: [";
      for (std::size_t i = 0; i < s.ports.size(); ++i) {
        const auto& r = s.ports[i];
        out << (i == 0 ? "" : ", ");
        if (r.first == r.last) {
          out << r.first;
        } else {
          out << '"' << r.first << '-' << r.last << '"';
        }
      }
      out << "]";
    }
    if (s.app != policy::ServiceApp::kAny) out << ", app: " << policy::service_app_name(s.app);
    if (s.tls != policy::TlsRequirement::kOptional) out << ", tls: " << policy::tls_requirement_name(s.tls);
    out << " }\n";
  }

  out << "rules:\n";
  if (p.rules.empty()) out << "  []\n";
  for (const auto& r : p.rules) {
    if (const Evidence* e = evidence(&Proposal::rules, r.name)) {
      std::string line = count(e->flows, "flow", "flows") + ", " + count(e->requests, "request", "requests");
      if (const std::string seen = seen_text(*e); !seen.empty()) line += "; " + seen;
      comment(out, "  ", line);
      for (const auto& n : e->notes) comment(out, "  ", n);
    }
    out << "  - name: " << yaml_scalar(r.name) << "\n";
    if (r.id != 0) out << "    id: " << r.id << "\n";
    out << "    from: " << list(r.from) << "\n";
    out << "    to: " << list(r.to) << "\n";
    out << "    service: " << yaml_scalar(r.service) << "\n";
    out << "    action: " << policy::action_name(r.action) << "\n";
    const bool l7 = r.zookeeper.any() || r.mesos.any();
    if (l7 || r.violation != Action::kDrop) out << "    violation: " << policy::action_name(r.violation) << "\n";
    if (r.severity != 2) out << "    severity: " << static_cast<unsigned>(r.severity) << "\n";
    if (!r.category.empty() && r.category != "segmentation") out << "    category: " << yaml_scalar(r.category) << "\n";
    const auto opt_list = [&](const char* key, const std::optional<std::vector<std::string>>& v) {
      if (v) out << "      " << key << ": " << list(*v) << "\n";
    };
    if (r.zookeeper.any()) {
      out << "    zookeeper:\n";
      opt_list("ops", r.zookeeper.ops);
      opt_list("paths", r.zookeeper.paths);
      opt_list("write_paths", r.zookeeper.write_paths);
      opt_list("four_letter_words", r.zookeeper.four_letter_words);
      if (r.zookeeper.auth_required) out << "      auth: required\n";
    }
    if (r.mesos.any()) {
      out << "    mesos:\n";
      opt_list("messages", r.mesos.messages);
      opt_list("calls", r.mesos.calls);
      if (r.mesos.principals || r.mesos.roles) {
        out << "      framework: {";
        const char* sep = " ";
        if (r.mesos.principals) {
          out << sep << "principals: " << list(*r.mesos.principals);
          sep = ", ";
        }
        if (r.mesos.roles) out << sep << "roles: " << list(*r.mesos.roles);
        out << " }\n";
      }
      opt_list("endpoints", r.mesos.endpoints);
    }
  }

  if (proposal != nullptr) {
    for (const auto& n : proposal->notes) comment(out, "", n);
  }
  out << "default: ";
  if (p.default_severity != 2) {
    out << "{ action: " << policy::action_name(p.default_action)
        << ", severity: " << static_cast<unsigned>(p.default_severity) << " }\n";
  } else {
    out << policy::action_name(p.default_action) << "\n";
  }
}

}  // namespace

std::string yaml_scalar(const std::string& text) {
  bool plain = !text.empty() && !special_word(text);
  if (plain) {
    const char c0 = text[0];
    plain = std::isalnum(static_cast<unsigned char>(c0)) != 0 || c0 == '/' || c0 == '_';
  }
  for (const char c : text) plain = plain && plain_char(c);
  if (plain) return text;
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

std::string write_policy_yaml(const policy::Policy& policy) {
  std::ostringstream out;
  write(out, policy, nullptr);
  return out.str();
}

std::string write_policy_yaml(const Proposal& proposal, const std::string& origin) {
  std::ostringstream out;
  comment(out, "", "segward policy proposed by `segward learn` " + origin);
  out << "# Every rule allows what the learn run saw and nothing else (L7 lists are allowlists:\n"
      << "# [] allows nothing). Review it, then check it with `segward policy check FILE` and\n"
      << "# compare it with the running one with `segward policy diff FILE RUNNING`.\n";
  write(out, proposal.policy, &proposal);
  return out.str();
}

}  // namespace segward::learn
