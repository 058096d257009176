// EVE `tls` events from the dataplane's TlsEvent records, with Suricata's
// field names where Suricata has the field. One difference: `fingerprint`
// is the SHA-256 of the leaf certificate (Suricata's is SHA-1), because
// that is what operators compare against `openssl x509 -fingerprint -sha256`.
#include <cstdio>
#include <ctime>
#include <string>

#include "decoders/tls/tls_event.h"
#include "mgmt/event_renderer.h"
#include "mgmt/l7_event_common.h"

namespace segward::mgmt {
namespace {

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes, bool colons) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(N * 3);
  for (std::size_t i = 0; i < N; ++i) {
    if (colons && i != 0) out.push_back(':');
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

template <std::size_t N>
bool all_zero(const std::array<std::uint8_t, N>& bytes) {
  for (auto b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

// Suricata's certificate time format: "2016-11-15T09:05:00" (UTC).
std::string cert_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

std::string cipher_id(std::uint16_t id) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", id);
  return buf;
}

}  // namespace

void render_tls_event(const dataplane::L7EventRecord& r, const std::vector<std::string>& port_names,
                      events::Event& out) {
  const tls::TlsEvent& e = r.tls;
  render_l7_envelope(r, port_names, "tls", "tls", out);
  events::Tls& t = *out.mutable_tls();
  // Absent until a ServerHello settles it; client_version is what was offered.
  if (e.server_hello_seen) t.set_version(std::string(tls::version_name(e.version)));
  if (e.client_hello_seen) t.set_client_version(std::string(tls::version_name(e.client_version)));
  put_text(e.sni, "sni", [&](std::string v) { t.set_sni(std::move(v)); }, nullptr);
  put_text(e.alpn_offered, "alpn", [&](std::string v) { t.set_alpn(std::move(v)); }, nullptr);
  if (e.server_hello_seen) {
    const std::string_view name = tls::cipher_suite_name(e.cipher_suite);
    t.set_cipher(name.empty() ? cipher_id(e.cipher_suite) : std::string(name));
    t.set_cipher_id(cipher_id(e.cipher_suite));
  }
  if (e.client_hello_seen) {
    events::TlsHash& ja3 = *t.mutable_ja3();
    ja3.set_hash(std::string(e.ja3_hash.data(), e.ja3_hash.size()));
    ja3.set_string(std::string(e.ja3_string.view()));
    if (!e.ja4.empty()) t.set_ja4(std::string(e.ja4.view()));
  }
  if (e.server_hello_seen) {
    events::TlsHash& ja3s = *t.mutable_ja3s();
    ja3s.set_hash(std::string(e.ja3s_hash.data(), e.ja3s_hash.size()));
    ja3s.set_string(std::string(e.ja3s_string.view()));
  }
  if (e.certificate_seen) {
    if (!all_zero(e.cert_sha256)) t.set_fingerprint(hex(e.cert_sha256, true));
    put_text(e.subject, "subject", [&](std::string v) { t.set_subject(std::move(v)); }, nullptr);
    put_text(e.issuer, "issuer", [&](std::string v) { t.set_issuer(std::move(v)); }, nullptr);
    put_text(e.subject_cn, "subject_cn", [&](std::string v) { t.set_subject_cn(std::move(v)); }, nullptr);
    put_text(e.issuer_cn, "issuer_cn", [&](std::string v) { t.set_issuer_cn(std::move(v)); }, nullptr);
    put_text(e.serial, "serial", [&](std::string v) { t.set_serial(std::move(v)); }, nullptr);
    if (e.not_before != 0 || e.not_after != 0) {
      t.set_notbefore(cert_time(e.not_before));
      t.set_notafter(cert_time(e.not_after));
    }
    t.set_chain_length(e.certificate_count);
  }
  if (e.alert_seen) {
    events::TlsAlert& a = *t.mutable_alert();
    a.set_level(e.alert_level == 2 ? "fatal" : e.alert_level == 1 ? "warning" : std::to_string(e.alert_level));
    const std::string_view d = tls::alert_description_name(e.alert_description);
    a.set_description(d.empty() ? std::to_string(e.alert_description) : std::string(d));
    a.set_from(e.alert_from_server ? "server" : "client");
  }
  if (e.resumed) t.set_resumed(true);
  if (e.truncated) t.set_truncated(true);
  if (e.malformed) t.set_malformed(true);
}

}  // namespace segward::mgmt
