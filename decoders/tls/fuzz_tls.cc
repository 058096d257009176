// Fuzz target: arbitrary bytes as the two directions of a TLS connection,
// and straight into the hello, certificate, DER-time and hash functions.
//
// Input: control byte, then segments. A segment header byte says the
// direction (bit 7: server) and the length (bits 0-6; 0x7f: the next two
// bytes, big-endian). The segments are fed in order.
//
// Invariants: no crash, no read outside the input (ASan); at most one event;
// the event and the counters for the segments fed whole equal those for the
// same segments cut at positions taken from the input, and one byte at a
// time; every text within its capacity, valid UTF-8 without control
// characters; hashes are hex; finished() after end(); incremental hashes
// equal one-shot hashes.
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>

#include "decoders/tls/hello.h"
#include "decoders/tls/md5.h"
#include "decoders/tls/sha1.h"
#include "decoders/tls/sha256.h"
#include "decoders/tls/tls_connection.h"
#include "decoders/tls/x509.h"

namespace {

using segward::tls::TlsConnection;
using segward::tls::TlsCounters;
using segward::tls::TlsEvent;

// __builtin_LINE(): clang 14 has no std::source_location with libstdc++.
void check(bool invariant, unsigned line = __builtin_LINE()) {
  if (invariant) return;
  std::fprintf(stderr, "fuzz_tls: invariant failed at line %u\n", line);
  std::abort();
}

// UTF-8, shortest form, no C0/C1 controls, DEL or surrogates.
bool clean_text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<std::uint8_t>(s[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7f) return false;
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((b & 0xe0) == 0xc0) {
      len = 2;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (len > s.size() - i) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<std::uint8_t>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000) || (cp >= 0x80 && cp < 0xa0)) return false;
    i += len;
  }
  return true;
}

template <std::size_t N>
void check_text(const segward::decoders::BoundedText<N>& t) {
  check(t.size <= N);
  check(clean_text(t.view()));
}

template <std::size_t N>
void check_hex_or_empty(const std::array<char, N>& h) {
  const bool empty = h[0] == '\0';
  for (const char c : h) {
    if (empty) {
      check(c == '\0');
    } else {
      check((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
  }
}

void check_event(const TlsEvent& e) {
  check_text(e.sni);
  check_text(e.alpn_offered);
  check_text(e.ja3_string);
  check_text(e.ja3s_string);
  check_text(e.ja4);
  check_text(e.subject);
  check_text(e.issuer);
  check_text(e.subject_cn);
  check_text(e.issuer_cn);
  check_text(e.serial);
  check_text(e.alpn_selected);
  check_hex_or_empty(e.ja3_hash);
  check_hex_or_empty(e.ja3s_hash);
  check(e.client_hello_seen || e.server_hello_seen || e.sslv2_client_hello);
  check(e.client_hello_seen == (e.ja3_hash[0] != '\0'));
  check(e.server_hello_seen == (e.ja3s_hash[0] != '\0'));
  if (e.client_hello_seen) check(e.ja4.size == 36 && e.ja4.view()[0] == 't');
  if (!e.server_hello_seen) check(e.version == 0 && e.cipher_suite == 0);
  if (!e.certificate_seen) check(e.subject.empty() && e.certificate_count == 0);
  check(!segward::tls::version_name(e.version).empty());
  (void)segward::tls::cipher_suite_name(e.cipher_suite);
  (void)segward::tls::alert_description_name(e.alert_description);
  (void)segward::tls::alert_level_name(e.alert_level);
}

class CountingSink final : public segward::tls::TlsEventSink {
 public:
  // reset(), not `last{}`: aggregate initialisation leaves the padding
  // undefined, and events are compared with memcmp.
  CountingSink() { last.reset(); }
  void on_event(const TlsEvent& e) override {
    ++events;
    check(events == 1);
    check_event(e);
    std::memcpy(static_cast<void*>(&last), &e, sizeof e);
  }
  int events = 0;
  TlsEvent last;
};

struct Segment {
  bool server;
  std::span<const std::uint8_t> bytes;
};

constexpr std::size_t kMaxSegments = 512;

std::size_t split_segments(std::span<const std::uint8_t> in, std::array<Segment, kMaxSegments>& out) {
  std::size_t n = 0;
  std::size_t at = 0;
  while (at < in.size() && n < out.size()) {
    const std::uint8_t h = in[at++];
    std::size_t len = h & 0x7f;
    if (len == 0x7f) {
      if (in.size() - at < 2) break;
      len = std::size_t{in[at]} << 8 | in[at + 1];
      at += 2;
    }
    len = std::min(len, in.size() - at);
    out[n++] = Segment{(h & 0x80) != 0, in.subspan(at, len)};
    at += len;
  }
  return n;
}

std::size_t next_cut(std::uint32_t& state, std::size_t left) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return 1 + state % (left < 97 ? left : 97);
}

constexpr std::uint32_t kWhole = 0;
constexpr std::uint32_t kByteAtATime = ~std::uint32_t{0};

struct Run {
  int events;
  TlsEvent event;
  TlsCounters counters;
};

void run(TlsConnection& c, std::span<const Segment> segments, std::uint32_t seed, Run& out) {
  c.reset();
  CountingSink sink;
  for (const Segment& s : segments) {
    std::size_t at = 0;
    while (at < s.bytes.size()) {
      const std::size_t left = s.bytes.size() - at;
      const std::size_t n = seed == kWhole ? left : seed == kByteAtATime ? 1 : next_cut(seed, left);
      const auto piece = s.bytes.subspan(at, n);
      if (s.server) {
        c.feed_server(piece, sink);
      } else {
        c.feed_client(piece, sink);
      }
      at += n;
    }
  }
  const bool emitted_before_end = sink.events == 1;
  check(c.event_emitted() == emitted_before_end);
  if (c.finished()) check(emitted_before_end);  // before end(), finished needs the event out
  c.end(sink);
  check(c.finished());
  check(sink.events <= 1);
  if (sink.events == 1) check(std::memcmp(&sink.last, &c.event(), sizeof(TlsEvent)) == 0);
  out.events = sink.events;
  std::memcpy(static_cast<void*>(&out.event), &sink.last, sizeof(TlsEvent));
  out.counters = c.counters();
}

bool same(const Run& a, const Run& b) {
  if (a.events != b.events || !(a.counters == b.counters)) return false;
  return a.events == 0 || std::memcmp(&a.event, &b.event, sizeof(TlsEvent)) == 0;
}

void run_with_gap(TlsConnection& c, std::span<const Segment> segments, std::size_t gap_at, std::uint32_t lost) {
  c.reset();
  CountingSink sink;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    if (i == gap_at) {
      if (s.server) {
        c.gap_server(lost, sink);
      } else {
        c.gap_client(lost, sink);
      }
    }
    if (s.server) {
      c.feed_server(s.bytes, sink);
    } else {
      c.feed_client(s.bytes, sink);
    }
  }
  c.end(sink);
  check(sink.events <= 1);
  check(c.counters().gaps == (gap_at < segments.size() ? 1u : 0u));
}

template <class Hash>
void check_incremental(std::span<const std::uint8_t> input, std::uint32_t seed) {
  Hash h;
  std::size_t at = 0;
  while (at < input.size()) {
    const std::size_t n = next_cut(seed, input.size() - at);
    h.update(input.subspan(at, n));
    at += n;
  }
  check(h.finish() == Hash::of(input));
}

void direct_parsers(std::uint8_t control, std::span<const std::uint8_t> input) {
  TlsEvent e;
  e.reset();
  const bool complete = (control & 0x10) != 0;
  switch ((control >> 1) & 3) {
    case 0: {
      segward::tls::ClientHelloFacts facts;
      (void)segward::tls::parse_client_hello(input, complete, facts);
      (void)segward::tls::describe_client_hello(facts, e);
      check(e.ja4.size == 36);
      break;
    }
    case 1: {
      segward::tls::ServerHelloFacts facts;
      (void)segward::tls::parse_server_hello(input, complete, facts);
      (void)segward::tls::describe_server_hello(facts, e);
      break;
    }
    case 2:
      (void)segward::tls::decode_certificate_message(input, complete, e);
      (void)segward::tls::decode_certificate(input, complete, e);
      break;
    case 3:
      if (!input.empty()) {
        const auto t = segward::tls::parse_der_time(input[0], input.subspan(1));
        (void)t;
      }
      break;
  }
  check_text(e.sni);
  check_text(e.alpn_offered);
  check_text(e.subject);
  check_text(e.issuer);
  check_text(e.subject_cn);
  check_text(e.issuer_cn);
  check_text(e.serial);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t control = data[0];
  const std::span<const std::uint8_t> input(data + 1, size - 1);

  static TlsConnection connection;  // static: as the dataplane, one object reset and reused
  static std::array<Segment, kMaxSegments> segments;
  static Run whole, cut;
  const std::size_t n = split_segments(input, segments);
  const std::span<const Segment> used(segments.data(), n);

  for (const Segment& s : used) {  // the detectors on each direction's first bytes
    if (segward::tls::looks_like_tls_client_start(s.bytes)) check(segward::tls::looks_like_tls_record(s.bytes));
    (void)segward::tls::looks_like_sslv2_client_hello(s.bytes);
    break;
  }

  run(connection, used, kWhole, whole);
  TlsCounters twice = whole.counters;
  twice += whole.counters;
  check(twice.records == 2 * whole.counters.records && twice.events == 2 * whole.counters.events);
  run(connection, used, 0x9e3779b9u ^ control, cut);
  check(same(whole, cut));
  // One byte at a time is the slowest run: for small inputs, or when asked.
  if (input.size() <= 512 || ((control & 0x08) && input.size() <= 8192)) {
    run(connection, used, kByteAtATime, cut);
    check(same(whole, cut));
  }
  if (n > 0) run_with_gap(connection, used, control % n, control * 977u);

  if (control & 0x01) direct_parsers(control, input);
  if ((control & 0xe0) == 0xe0) {
    check_incremental<segward::tls::Sha256>(input, control | 1u);
    check_incremental<segward::tls::Sha1>(input, control | 1u);
    check_incremental<segward::tls::Md5>(input, control | 1u);
  }
  return 0;
}
