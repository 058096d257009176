#!/usr/bin/env bash
# Inline and tap mode between two network namespaces joined ONLY through
# segward (net_af_packet on the root-namespace ends of two veth pairs):
#
#   ns A [a-in 192.0.2.1] <-veth-> a-sw --segward-- b-sw <-veth-> [b-in 192.0.2.2] ns B
#
# Inline: a real TCP exchange passes, byte for byte, and its EVE flow has the
# packet and byte counts per direction that tcpdump sees inside ns A.
# Tap: segward observes the same attempt and forwards nothing.
#
#   inline_netns.sh SEGWARD_BIN [WORKERS]
#
# With WORKERS > 1 each port gets that many queue pairs (the kernel's
# symmetric fanout hash spreads flows over them) and segward one worker per
# queue; the EAL maps the extra worker lcores onto the machine's CPUs.
set -euo pipefail
WORKERS=${2:-1}
set -- "$1"

source "$(dirname "${BASH_SOURCE[0]}")/common.sh" inline "$@"
PY=/usr/bin/python3
ID=$$
NSA=swa$ID NSB=swb$ID
AIN=sa${ID}i ASW=sa${ID}s BIN_IF=sb${ID}i BSW=sb${ID}s
SEG_PID=""
cleanup() {
    [[ -n $SEG_PID ]] && kill -KILL "$SEG_PID" 2>/dev/null || true
    ip netns pids "$NSA" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns pids "$NSB" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip link del "$ASW" 2>/dev/null || true
    ip link del "$BSW" 2>/dev/null || true
    ip netns del "$NSA" 2>/dev/null || true
    ip netns del "$NSB" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- topology -------------------------------------------------------------
ip netns add "$NSA"
ip netns add "$NSB"
ip link add "$AIN" type veth peer name "$ASW"
ip link add "$BIN_IF" type veth peer name "$BSW"
ip link set "$AIN" netns "$NSA"
ip link set "$BIN_IF" netns "$NSB"
for dev in "$ASW" "$BSW"; do
    # The root-namespace ends carry no IP: the host must neither answer nor
    # route what crosses them; segward alone joins the two segments.
    sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
    sysctl -qw "net.ipv4.conf.$dev.arp_ignore=8"
    ethtool -K "$dev" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip link set "$dev" promisc on up
done
setup_ns() {  # ns dev addr
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.all.disable_ipv6=1"
    ip netns exec "$1" ethtool -K "$2" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n "$1" addr add "$3/24" dev "$2"
    ip -n "$1" link set "$2" up
    ip -n "$1" link set lo up
}
setup_ns "$NSA" "$AIN" 192.0.2.1
setup_ns "$NSB" "$BIN_IF" 192.0.2.2
# Static neighbours: in tap mode nothing answers ARP, and the test wants the
# TCP attempt itself on the wire.
MAC_A=$(ip -n "$NSA" -o link show "$AIN" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
MAC_B=$(ip -n "$NSB" -o link show "$BIN_IF" | grep -o 'link/ether [0-9a-f:]*' | cut -d' ' -f2)
ip -n "$NSA" neigh replace 192.0.2.2 lladdr "$MAC_B" dev "$AIN" nud permanent
ip -n "$NSB" neigh replace 192.0.2.1 lladdr "$MAC_A" dev "$BIN_IF" nud permanent

# lcore 0 manages; lcores 1..WORKERS poll, spread over the CPUs there are.
LCORES="0@0"
for ((w = 1; w <= WORKERS; w++)); do LCORES+=",$w@$(( w % $(nproc) ))"; done

write_config() {  # mode eve
    cat >"$TMP/segward-$1.yaml" <<YAML
eal:
  args: [--no-huge, --no-shconf, --no-pci, --lcores, "$LCORES", -m, "640", --no-telemetry, --log-level, "*:error"]
dataplane:
  mode: $1
  workers: $WORKERS
  mbufs: 8191
  ports:
    - {name: segment-a, device: "net_af_packet0,iface=$ASW,qpairs=$WORKERS"}
    - {name: segment-b, device: "net_af_packet1,iface=$BSW,qpairs=$WORKERS"}
flow:
  timeouts: {new: 30, established: 300, closed: 5}
outputs:
  eve: {path: "$2", stats_interval: 0}
YAML
}

start_segward() {  # mode
    write_config "$1" "$TMP/eve-$1.json"
    "$BIN" check-config "$TMP/segward-$1.yaml" >/dev/null
    "$BIN" run --config "$TMP/segward-$1.yaml" >"$TMP/segward-$1.out" 2>"$TMP/segward-$1.err" &
    SEG_PID=$!
}

stop_segward() {  # mode
    kill -TERM "$SEG_PID"
    local rc=0
    timeout 20 tail --pid="$SEG_PID" -f /dev/null || fail "segward did not stop within 20 s of SIGTERM"
    wait "$SEG_PID" || rc=$?
    SEG_PID=""
    echo "segward ($1) exited $rc; stderr:"
    sed 's/^/    /' "$TMP/segward-$1.err"
    [[ $rc -eq 0 ]] || fail "segward exited $rc after SIGTERM, expected 0"
}

# A server in B that reads everything, then answers with a fixed reply.
SERVER_PY='
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 5050)); s.listen(1); s.settimeout(30)
c, _ = s.accept(); c.settimeout(30)
got = 0
while True:
    b = c.recv(65536)
    if not b: break
    got += len(b)
c.sendall(b"R" * 30000 + str(got).encode()); c.close()
'
# A client in A that sends 200,000 bytes, half-closes, reads the reply.
CLIENT_PY='
import socket, sys
c = socket.create_connection(("192.0.2.2", 5050), timeout=float(sys.argv[1]))
c.sendall(b"M" * 200000); c.shutdown(socket.SHUT_WR)
data = b""
while True:
    b = c.recv(65536)
    if not b: break
    data += b
c.close(); print(len(data), data[30000:].decode())
'

# --- inline ---------------------------------------------------------------
echo "== inline mode"
start_segward inline
ok=""
for _ in $(seq 1 40); do
    if ip netns exec "$NSA" ping -c 1 -W 0.5 192.0.2.2 >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$SEG_PID" 2>/dev/null || { cat "$TMP/segward-inline.err" >&2; fail "segward died"; }
done
[[ -n $ok ]] || fail "no forwarding within 20 s (ping ns A -> ns B)"
echo "forwarding: ping from ns A reaches ns B through segward"

ip netns exec "$NSA" tcpdump -i "$AIN" -U -w "$TMP/a.pcap" 'tcp port 5050' >/dev/null 2>&1 &
DUMP_PID=$!
sleep 1
ip netns exec "$NSB" timeout 40 "$PY" -c "$SERVER_PY" &
SERVER_PID=$!
sleep 0.5
reply=$(ip netns exec "$NSA" timeout 40 "$PY" -c "$CLIENT_PY" 10) || fail "TCP exchange through segward failed"
wait "$SERVER_PID" || fail "server failed"
[[ $reply == "30006 200000" ]] || fail "unexpected reply '$reply' (want 30006 bytes acknowledging 200000)"
echo "TCP exchange: 200000 bytes A->B, 30006 bytes B->A, intact"
sleep 1
kill -INT "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true
stop_segward inline

"$PY" - "$TMP/a.pcap" "$TMP/eve-inline.json" <<'PYEOF'
import json, struct, sys
def frames(path):
    data = open(path, "rb").read()
    magic = struct.unpack_from("<I", data, 0)[0]
    assert magic in (0xa1b2c3d4, 0xa1b23c4d), "tcpdump wrote a classic pcap"
    off = 24
    while off + 16 <= len(data):
        incl, orig = struct.unpack_from("<II", data, off + 8)
        yield data[off + 16: off + 16 + incl], orig
        off += 16 + incl
ts = [0, 0]; tc = [0, 0]
for frame, length in frames(sys.argv[1]):
    src = ".".join(map(str, frame[26:30]))
    side = ts if src == "192.0.2.1" else tc
    side[0] += 1; side[1] += length
flows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
match = [e for e in flows if e.get("event_type") == "flow" and e.get("proto") == "TCP"
         and e.get("src_ip") == "192.0.2.1" and e.get("dest_ip") == "192.0.2.2" and e.get("dest_port") == 5050]
if len(match) != 1:
    sys.exit(f"FAIL: expected one EVE flow 192.0.2.1 -> 192.0.2.2:5050, found {len(match)}")
f = match[0]["flow"]
print(f"tcpdump in ns A : toserver {ts[0]} pkts {ts[1]} bytes, toclient {tc[0]} pkts {tc[1]} bytes")
print(f"segward EVE flow: toserver {f['pkts_toserver']} pkts {f['bytes_toserver']} bytes, "
      f"toclient {f['pkts_toclient']} pkts {f['bytes_toclient']} bytes, state {f['state']}")
if (f["pkts_toserver"], f["pkts_toclient"]) != (ts[0], tc[0]):
    sys.exit("FAIL: packet counts differ from tcpdump's")
if (f["bytes_toserver"], f["bytes_toclient"]) != (ts[1], tc[1]):
    sys.exit("FAIL: byte counts differ from tcpdump's")
stats = [e for e in flows if e.get("event_type") == "stats"][-1]["stats"]
v = stats["verdict"]
if v["forward"] == 0 or v["tx_packets"] != v["forward"] or v["tx_dropped"] != 0 or v["observe"] != 0:
    sys.exit(f"FAIL: inline verdicts look wrong: {v}")
print(f"verdicts: {v}")
PYEOF

# --- tap ------------------------------------------------------------------
echo "== tap mode"
start_segward tap
sleep 3  # segward is up and polling (it forwards nothing, so no ping to wait for)
kill -0 "$SEG_PID" 2>/dev/null || { cat "$TMP/segward-tap.err" >&2; fail "segward died"; }
if ip netns exec "$NSA" ping -c 2 -W 1 192.0.2.2 >/dev/null 2>&1; then fail "tap mode forwarded a ping"; fi
ip netns exec "$NSB" timeout 10 "$PY" -c "$SERVER_PY" >/dev/null 2>&1 &
SERVER_PID=$!
sleep 0.5
if ip netns exec "$NSA" timeout 10 "$PY" -c "$CLIENT_PY" 3 >/dev/null 2>&1; then fail "tap mode let a TCP connection through"; fi
kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
stop_segward tap
"$PY" - "$TMP/eve-tap.json" <<'PYEOF'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
syn = [e for e in events if e.get("event_type") == "flow" and e.get("dest_port") == 5050]
if not syn or syn[0]["flow"]["pkts_toserver"] < 1 or syn[0]["flow"]["pkts_toclient"] != 0:
    sys.exit(f"FAIL: tap mode should record the unanswered SYNs to 5050, got {syn}")
v = [e for e in events if e.get("event_type") == "stats"][-1]["stats"]["verdict"]
if v["tx_packets"] != 0 or v["forward"] != 0 or v["observe"] == 0:
    sys.exit(f"FAIL: tap mode transmitted or counted no observed packets: {v}")
print(f"tap: observed {v['observe']} packets, transmitted none; SYN flow {syn[0]['flow']}")
PYEOF
echo "inline_netns: ok"
