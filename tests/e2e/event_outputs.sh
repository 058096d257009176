#!/usr/bin/env bash
# The syslog and protobuf outputs (issue 6, outputs) against real listeners:
# 1. syslog over UDP and a protobuf file: every EVE alert arrives as one
#    RFC 5424 datagram whose MSG is the alert's EVE JSON, and the file holds
#    every event as a length-delimited events.Event, decoded here with
#    protobuf's Python runtime from classes generated from events.proto;
# 2. syslog over TCP (RFC 6587 octet counting) and the protobuf stream over a
#    Unix socket: the same, plus the stats event's outputs counters agree.
#
#   event_outputs.sh SEGWARD_BIN
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" outputs "$@"
EAL='eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "512", --no-telemetry, --log-level, "*:error"]}'
protoc --proto_path="$ROOT" --python_out="$TMP" "$ROOT/mgmt/proto/events.proto"
CAPTURE=$ROOT/tests/data/zk-roles-rogue.pcap
"$BIN" learn -o "$TMP/policy.yaml" "$ROOT/tests/data/zk-roles-benign.pcap" >/dev/null 2>&1

# listen.py KIND ADDR OUT: receives until killed; writes one JSON list of messages on SIGTERM.
cat >"$TMP/listen.py" <<'PY'
import json, os, signal, socket, sys, threading
kind, addr, out = sys.argv[1], sys.argv[2], sys.argv[3]
got = []
def dump(*_):
    with open(out, "w") as f: json.dump(got, f)
    os._exit(0)
signal.signal(signal.SIGTERM, dump)
def read_stream(conn, octet_counted):
    buf = b""
    while True:
        data = conn.recv(65536)
        if not data: return
        buf += data
        while True:
            if octet_counted:
                sp = buf.find(b" ")
                if sp < 0: break
                n = int(buf[:sp]); 
                if len(buf) < sp + 1 + n: break
                got.append(buf[sp + 1:sp + 1 + n].decode()); buf = buf[sp + 1 + n:]
            else:
                # varint length, then the message: keep hex for the checker
                n = shift = i = 0
                while i < len(buf):
                    b = buf[i]; n |= (b & 0x7f) << shift; shift += 7; i += 1
                    if not b & 0x80: break
                else:
                    break
                if len(buf) < i + n: break
                got.append(buf[i:i + n].hex()); buf = buf[i + n:]
if kind == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
else:
    if kind == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(addr)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM); s.bind(("127.0.0.1", 0))
    s.listen(4)
with open(out + ".port", "w") as f: f.write(str(s.getsockname()[1]) if kind != "unix" else "0")
while True:
    if kind == "udp":
        got.append(s.recv(65536).decode())
    else:
        c, _ = s.accept()
        threading.Thread(target=read_stream, args=(c, kind == "tcp"), daemon=True).start()
PY
pids=()
trap 'kill ${pids[*]} 2>/dev/null || true; rm -rf "$TMP"' EXIT
listen() {  # KIND ADDR OUT -> sets PORT
  /usr/bin/python3 "$TMP/listen.py" "$1" "$2" "$3" & pids+=($!)
  local deadline=$((SECONDS + 10))
  until [[ -s $3.port ]]; do (( SECONDS < deadline )) || { echo "FAIL: listener did not start" >&2; exit 1; }; sleep 0.1; done
  PORT=$(cat "$3.port")
}
stop_listener() {  # OUT: ends the newest listener, waits for its dump
  kill -TERM "${pids[-1]}"; wait "${pids[-1]}" || true; unset 'pids[-1]'
  [[ -f $1 ]] || { echo "FAIL: listener wrote nothing" >&2; exit 1; }
}

# check EVE SYSLOG_JSON PROTOBUF(file|json-of-hex)
check() {
  PYTHONPATH="$TMP" /usr/bin/python3 - "$@" <<'PY'
import json, re, sys
from mgmt.proto import events_pb2
eve_path, syslog_path, pb_path, pb_kind = sys.argv[1:5]
eve = [json.loads(l) for l in open(eve_path)]
alerts = [l.rstrip("\n") for l in open(eve_path) if json.loads(l)["event_type"] == "alert"]
msgs = json.load(open(syslog_path))
rx = re.compile(r"^<(\d+)>1 (\S+) (\S+) (\S+) (\d+) (\S+) - (.*)$", re.S)
bodies = []
for m in msgs:
    g = rx.match(m)
    if not g: sys.exit(f"FAIL: not an RFC 5424 message: {m[:100]!r}")
    pri, ts, host, app, pid, msgid, body = g.groups()
    if app != "segward" or msgid != "alert": sys.exit(f"FAIL: header {app} {msgid}")
    if int(pri) // 8 != 16: sys.exit(f"FAIL: facility {int(pri) // 8}, expected local0 (16)")
    if not ts.endswith("Z"): sys.exit(f"FAIL: timestamp {ts} not RFC 3339 UTC")
    bodies.append(body)
if not alerts: sys.exit("FAIL: the capture raised no alert")
if bodies != alerts: sys.exit(f"FAIL: {len(alerts)} EVE alerts, {len(bodies)} syslog messages, or they differ")
if pb_kind == "file":
    data = open(pb_path, "rb").read(); records = []; i = 0
    while i < len(data):
        n = shift = 0
        while True:
            b = data[i]; i += 1; n |= (b & 0x7f) << shift; shift += 7
            if not b & 0x80: break
        records.append(data[i:i + n]); i += n
else:
    records = [bytes.fromhex(h) for h in json.load(open(pb_path))]
types = []
for r in records:
    e = events_pb2.Event(); e.ParseFromString(r); types.append(e.event_type)
if types != [e["event_type"] for e in eve]:
    sys.exit(f"FAIL: protobuf stream has {len(types)} events, EVE {len(eve)}, or their order differs")
stats = eve[-1]["stats"]
outs = {o["name"]: o for o in stats.get("outputs", [])}
print(f"{len(alerts)} alerts over syslog, {len(records)} protobuf events; outputs {outs}")
if outs.get("syslog", {}).get("sent") != len(alerts) or outs["syslog"].get("dropped", 0) != 0:
    sys.exit("FAIL: the syslog counters disagree with what arrived")
PY
}

# 1. UDP syslog, protobuf file.
listen udp - "$TMP/udp.json"
cat >"$TMP/a.yaml" <<YAML
$EAL
outputs:
  eve: {path: "$TMP/a-eve.json", stats_interval: 0}
  syslog: {address: "udp://127.0.0.1:$PORT", facility: local0}
  protobuf: {path: "$TMP/a.pb"}
policy: $TMP/policy.yaml
YAML
timeout 120 "$BIN" replay -q --config "$TMP/a.yaml" "$CAPTURE"
sleep 0.5
stop_listener "$TMP/udp.json"
check "$TMP/a-eve.json" "$TMP/udp.json" "$TMP/a.pb" file
echo "udp syslog + protobuf file: ok"

# 2. TCP syslog, protobuf over a Unix socket.
listen tcp - "$TMP/tcp.json"
TCP_PORT=$PORT
listen unix "$TMP/pb.sock" "$TMP/unix.json"
cat >"$TMP/b.yaml" <<YAML
$EAL
outputs:
  eve: {path: "$TMP/b-eve.json", stats_interval: 0}
  syslog: {address: "tcp://127.0.0.1:$TCP_PORT", events: [alert]}
  protobuf: {address: "unix:$TMP/pb.sock", events: all}
policy: $TMP/policy.yaml
YAML
timeout 120 "$BIN" replay -q --config "$TMP/b.yaml" "$CAPTURE"
sleep 0.5
stop_listener "$TMP/unix.json"
stop_listener "$TMP/tcp.json"
check "$TMP/b-eve.json" "$TMP/tcp.json" "$TMP/unix.json" json
echo "tcp syslog + protobuf unix socket: ok"
echo "event_outputs: ok"
