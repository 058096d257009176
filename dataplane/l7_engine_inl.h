#pragma once
// L7Engine's member templates shared by its per-protocol files
// (l7_engine.cc, l7_http.cc, l7_zookeeper.cc, l7_tls.cc). Not for other users.
#include <type_traits>

#include "dataplane/l7_engine.h"

namespace segward::dataplane {

template <class Fill>
void L7Engine::emit(L7EventKind kind, const L7Endpoints& from, std::uint64_t flow_id, std::uint64_t ts_ns,
                    Fill&& fill) {
  auto write = [&](L7EventRecord& r) {
    r.kind = kind;
    r.worker = worker_;
    r.timestamp_ns = ts_ns;
    r.flow_id = flow_id;
    r.endpoints = from;
    fill(r);
  };
  if (events_.emplace(lossless_, write)) {
    counters_.l7.events_of(kind).add();
  } else {
    counters_.l7.events_dropped.add();
  }
}

// A side's reassembly sink with the signature payload patterns in front:
// every in-order byte is scanned, then handed to the decoder's sink.
template <class Sink>
struct L7Engine::PayloadScanSink {
  static constexpr AppProto kPayloadApp = Sink::kPayloadApp;
  L7Engine& engine;
  L7SessionBase& s;
  int side;
  AppProto app;
  Sink& inner;
  void on_data(std::span<const std::uint8_t> bytes) {
    engine.scan_payload(s, side, bytes, app);
    inner.on_data(bytes);
  }
  void on_gap(std::uint32_t bytes) { inner.on_gap(bytes); }
  void on_overlap_conflict(std::uint32_t seq, std::uint32_t len) { inner.on_overlap_conflict(seq, len); }
  void on_end(stream::StreamEnd how) { inner.on_end(how); }
};

template <class Sink>
void L7Engine::reassemble(L7SessionBase& s, int dir, const net::PacketLayers& p,
                          std::span<const std::uint8_t> payload, Sink& client_sink, Sink& server_sink) {
  // Sink::kPayloadApp: what the bytes are for payload patterns; kNone
  // (TLS: ciphertext past the handshake) is never scanned.
  if constexpr (Sink::kPayloadApp != AppProto::kNone) {
    if (payload_active()) [[unlikely]] {
      PayloadScanSink<Sink> client{*this, s, 0, Sink::kPayloadApp, client_sink};
      PayloadScanSink<Sink> server{*this, s, 1, Sink::kPayloadApp, server_sink};
      reassemble_raw(s, dir, p, payload, client, server);
      return;
    }
  }
  reassemble_raw(s, dir, p, payload, client_sink, server_sink);
}

template <class Sink>
void L7Engine::reassemble_raw(L7SessionBase& s, int dir, const net::PacketLayers& p,
                              std::span<const std::uint8_t> payload, Sink& client_sink, Sink& server_sink) {
  const int here = dir == s.requests_dir ? 0 : 1;
  s.streams[here].segment(reassembly_pool_, limits_.per_direction, p.tcp_seq, p.tcp_flags, payload,
                          here == 0 ? client_sink : server_sink, s.stream_counters);
  // What this side acknowledges, the other side sent: data below it that
  // was never seen is lost, and waiting for it would stall that direction.
  if ((p.tcp_flags & net::tcp_flags::kAck) != 0 && s.streams[1 - here].started()) {
    s.streams[1 - here].acked(reassembly_pool_, p.tcp_ack, here == 0 ? server_sink : client_sink, s.stream_counters);
  }
}

template <class Sink>
void L7Engine::close_streams(L7SessionBase& s, Sink& sink0, Sink& sink1) {
  bool scanned = false;
  if constexpr (Sink::kPayloadApp != AppProto::kNone) {
    if (payload_active()) [[unlikely]] {
      PayloadScanSink<Sink> client{*this, s, 0, Sink::kPayloadApp, sink0};
      PayloadScanSink<Sink> server{*this, s, 1, Sink::kPayloadApp, sink1};
      s.streams[0].flush(reassembly_pool_, client, s.stream_counters);
      s.streams[1].flush(reassembly_pool_, server, s.stream_counters);
      end_payload(s, Sink::kPayloadApp);
      scanned = true;
    }
  }
  if (!scanned) {
    s.streams[0].flush(reassembly_pool_, sink0, s.stream_counters);
    s.streams[1].flush(reassembly_pool_, sink1, s.stream_counters);
    // A reload may have taken the payload rules away: streams opened before are dropped.
    s.payload_streams = {};
  }
  for (auto& dir : s.streams) dir.release(reassembly_pool_);
  stream_totals_ += s.stream_counters;
}

// The reassembly sink of one direction of a decoder that takes both
// directions' bytes (ZooKeeper, TLS): `Decoder` binds the connection state,
// its limits and its event sink.
template <class Decoder>
struct TwoWaySink {
  static constexpr AppProto kPayloadApp = Decoder::kPayloadApp;
  Decoder& decoder;
  bool client;
  void on_data(std::span<const std::uint8_t> bytes) {
    if (client) {
      decoder.feed_client(bytes);
    } else {
      decoder.feed_server(bytes);
    }
  }
  void on_gap(std::uint32_t bytes) {
    if (client) {
      decoder.gap_client(bytes);
    } else {
      decoder.gap_server(bytes);
    }
  }
  void on_overlap_conflict(std::uint32_t, std::uint32_t) {}  // counted by the reassembler
  void on_end(stream::StreamEnd) {}                          // the decoder ends with the connection
};

// Server -> client endpoints of a connection whose requests come from `c`.
inline L7Endpoints reversed(const L7Endpoints& c) {
  L7Endpoints r = c;
  r.src_ip = c.dst_ip;
  r.dst_ip = c.src_ip;
  r.src_port = c.dst_port;
  r.dst_port = c.src_port;
  return r;
}

}  // namespace segward::dataplane
