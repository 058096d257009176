#include "mgmt/cli/summary.h"

#include <algorithm>
#include <string_view>

#include "mgmt/eve_writer.h"

namespace segward::mgmt {
namespace {

// The services a Mesos cluster runs, by their usual ports: a hint for people
// reading the summary, not a classification (decoders do that).
std::string_view service_hint(const std::string& proto, std::uint16_t port) {
  if (proto != "TCP") return "";
  switch (port) {
    case 2181: return "zookeeper client";
    case 2281: return "zookeeper client (tls)";
    case 2888: return "zookeeper quorum";
    case 3888: return "zookeeper election";
    case 5050: return "mesos master";
    case 5051: return "mesos agent";
    case 8080: return "zookeeper admin / marathon";
    case 443: return "https";
    case 8443: return "https (alternate)";
    case 80: return "http";
    default: return "";
  }
}

std::string human_bytes(std::uint64_t b) {
  char buf[32];
  if (b >= 10ULL * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(b) / (1024.0 * 1024.0));
  } else if (b >= 10ULL * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(b) / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  }
  return buf;
}

}  // namespace

void print_replay_summary(std::FILE* out, const std::vector<std::string>& captures, const SensorReport& r,
                          const std::string& eve_path) {
  const StatsSnapshot& s = r.totals;
  std::fprintf(out, "segward replay: %zu capture file(s), %llu packets", captures.size(),
               static_cast<unsigned long long>(r.capture_packets));
  if (r.capture_packets != 0) {
    std::fprintf(out, " from %s to %s", format_eve_time(r.capture_first_ns).c_str(),
                 format_eve_time(r.capture_last_ns).c_str());
  }
  std::fprintf(out, "\n");
  for (const auto& c : captures) std::fprintf(out, "  file      %s\n", c.c_str());
  std::fprintf(out, "  packets   %llu decoded (%s): IPv4 %llu, IPv6 %llu, ARP %llu, other %llu\n",
               static_cast<unsigned long long>(s.rx_packets), human_bytes(s.rx_bytes).c_str(),
               static_cast<unsigned long long>(s.ipv4), static_cast<unsigned long long>(s.ipv6),
               static_cast<unsigned long long>(s.arp), static_cast<unsigned long long>(s.other_l3));
  std::fprintf(out, "            TCP %llu, UDP %llu, ICMP %llu, fragments %llu, decode errors %llu\n",
               static_cast<unsigned long long>(s.tcp), static_cast<unsigned long long>(s.udp),
               static_cast<unsigned long long>(s.icmp), static_cast<unsigned long long>(s.fragments),
               static_cast<unsigned long long>(s.decode_error_total()));
  for (std::size_t i = 1; i < s.decode_errors.size(); ++i) {
    if (s.decode_errors[i] == 0) continue;
    std::fprintf(out, "              %-24s %llu\n",
                 std::string(net::decode_error_name(static_cast<net::DecodeError>(i))).c_str(),
                 static_cast<unsigned long long>(s.decode_errors[i]));
  }
  std::fprintf(out, "  flows     %llu\n", static_cast<unsigned long long>(r.flow_events));

  std::vector<std::pair<std::pair<std::string, std::uint16_t>, ServiceTally>> services(r.by_service.begin(),
                                                                                        r.by_service.end());
  std::sort(services.begin(), services.end(), [](const auto& a, const auto& b) { return a.second.bytes > b.second.bytes; });
  if (!services.empty()) std::fprintf(out, "  services  (server port: flows, packets, bytes)\n");
  std::size_t shown = 0;
  for (const auto& [key, tally] : services) {
    if (++shown > 10) {
      std::fprintf(out, "            ... and %zu more\n", services.size() - 10);
      break;
    }
    const std::string port = key.second != 0 ? std::to_string(key.second) + "/" : "";
    std::string hint(service_hint(key.first, key.second));
    // A port of no well-known service that carried Mesos requests: a
    // framework's or executor's libprocess listener.
    if (hint.empty() && tally.mesos_flows != 0) hint = "mesos (libprocess peer)";
    std::fprintf(out, "            %-10s %6llu flows %8llu pkts %12s  %s\n",
                 (port + key.first).c_str(), static_cast<unsigned long long>(tally.flows),
                 static_cast<unsigned long long>(tally.packets), human_bytes(tally.bytes).c_str(), hint.c_str());
  }
  for (const auto& [type, tally] : r.l7) {
    if (type == "mesos") {
      std::fprintf(out, "  %-9s %llu events (libprocess %llu, v1 API %llu, legacy endpoints %llu)\n", type.c_str(),
                   static_cast<unsigned long long>(tally.events), static_cast<unsigned long long>(s.l7.mesos_libprocess),
                   static_cast<unsigned long long>(s.l7.mesos_api), static_cast<unsigned long long>(s.l7.mesos_legacy));
    } else {
      std::fprintf(out, "  %-9s %llu events\n", type.c_str(), static_cast<unsigned long long>(tally.events));
    }
    std::vector<std::pair<std::string, std::uint64_t>> names(tally.by_name.begin(), tally.by_name.end());
    std::stable_sort(names.begin(), names.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    std::size_t listed = 0;
    for (const auto& [name, n] : names) {
      if (++listed > 12) {
        std::fprintf(out, "            ... and %zu more kinds\n", names.size() - 12);
        break;
      }
      std::fprintf(out, "            %6llu  %s\n", static_cast<unsigned long long>(n), name.c_str());
    }
  }
  if (r.l7.count("alert") == 0) {
    std::fprintf(out, "  alerts    0%s\n",
                 r.policy_source.empty() && r.signatures.empty() ? " (no policy or signature rules loaded)" : "");
  }
  if (!r.policy_source.empty()) std::fprintf(out, "  policy    %s\n", r.policy_source.c_str());
  if (!r.signatures.empty()) std::fprintf(out, "  rules     %s\n", r.signatures.c_str());
  std::fprintf(out, "  events    %llu written to %s", static_cast<unsigned long long>(r.events_written),
               eve_path == "-" ? "standard output" : eve_path.c_str());
  if (r.eve_write_errors != 0) {
    std::fprintf(out, " (%llu write errors: events were lost)", static_cast<unsigned long long>(r.eve_write_errors));
  }
  std::fputc('\n', out);
}

}  // namespace segward::mgmt
