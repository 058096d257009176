#!/usr/bin/env bash
# Issue 5, acceptance 2: policy reload (SIGHUP) under steady allowed traffic
# loses no allowed packet, a refused file leaves the old policy running, and
# a new rule applies to new AND existing flows.
#
#   policy_reload.sh SEGWARD_BIN
#
# Topology (policy_topology.sh): namespace "client" 192.0.2.21 on the client
# bridge, namespace "server" 198.51.100.20 behind segward, inline
# (net_af_packet on the two root-namespace ends). Servers and clients are
# policy_traffic.py: an echo server on TCP 7000/7001/7003/7009 and UDP 7002.
#
# Policies (written below; the live file is policy.yaml next to the config):
#   A     allows 7000 (steady), 7002/udp (steady), 7001 (long-lived), 7003 (probe); drops 7009; default drop
#   B     the same allows under other names and in another order, but not 7003 (default: drop)
#   BAD   A plus a rule naming an unknown segment: must be refused, B keeps running
#   DENY  B with 7001 dropped
# Under A, a long-lived connection to 7001 starts (a numbered line every
# 0.1 s, each echo awaited 1 s), and the steady traffic: one TCP connection
# (7000) and one UDP socket (7002), 100 numbered messages per second each for
# 24 s, every one echoed. Meanwhile SIGHUP with B, BAD, A, B, DENY in turn;
# after each, new connections probe what is in force: 7003 is open under A
# only, 7009 never, and after DENY a new 7001 connection is refused.
#
# Passes when (policy_reload_check.py):
#   - every steady message was echoed (TCP and UDP), the server counted each
#     exactly once, and tcpdump in the client's and in the server's namespace
#     saw the same packets of those two flows in both directions (nothing lost
#     in segward), and segward's EVE flow events count the same packets;
#   - no alert about the steady flows;
#   - the long-lived connection was answered through every reload up to DENY,
#     timed out within 2 s after DENY, got no echo after that, and no packet of
#     it reached the server after its first timeout; EVE has a blocked alert
#     for it and for the new 7001 connection (rule deny-long-lived);
#   - every probe saw what the policy in force says (the BAD file changed
#     nothing), and segward stayed up through every reload.
#
# Needs root and tcpdump. About 35 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" policy-reload "$@"
source "$HERE/policy_topology.sh"
PY=/usr/bin/python3
TRAFFIC="$HERE/policy_traffic.py"
SRV_IP=198.51.100.20
fail() { echo "FAIL: $*" >&2; exit 1; }
BG_PIDS=()
cleanup() {
    set +e
    for p in "${BG_PIDS[@]}"; do kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    pt_cleanup
    rm -rf "$TMP"
}
trap cleanup EXIT
command -v tcpdump >/dev/null || fail "tcpdump is not installed"
T0=$SECONDS

pt_init "pr$$"
pt_client client 192.0.2.21
pt_server server "$SRV_IP"
pt_finish

# --- policies -------------------------------------------------------------------
mkdir -p "$TMP/policies"
HEAD='segments:
  clients: { cidrs: [192.0.2.0/24] }
  servers: { cidrs: [198.51.100.20/32] }
services:
  steady-tcp: { proto: tcp, ports: [7000] }
  steady-udp: { proto: udp, ports: [7002] }
  long-lived: { proto: tcp, ports: [7001] }
  probe: { proto: tcp, ports: [7003] }
  closed: { proto: tcp, ports: [7009] }
rules:'
cat >"$TMP/policies/A.yaml" <<YAML
# policy_reload.sh: A
$HEAD
  - { name: steady-tcp-a, from: clients, to: servers, service: steady-tcp, action: allow }
  - { name: steady-udp-a, from: clients, to: servers, service: steady-udp, action: allow }
  - { name: long-lived-a, from: clients, to: servers, service: long-lived, action: allow }
  - { name: probe-open-a, from: clients, to: servers, service: probe, action: allow }
  - { name: closed-port, from: clients, to: servers, service: closed, action: drop }
default: drop
YAML
cat >"$TMP/policies/B.yaml" <<YAML
# policy_reload.sh: B (7003 falls to the default)
$HEAD
  - { name: closed-port, from: clients, to: servers, service: closed, action: drop }
  - { name: long-lived-b, from: clients, to: servers, service: long-lived, action: allow }
  - { name: steady-udp-b, from: clients, to: servers, service: steady-udp, action: allow }
  - { name: steady-tcp-b, from: clients, to: servers, service: steady-tcp, action: allow }
default: drop
YAML
cat >"$TMP/policies/BAD.yaml" <<YAML
# policy_reload.sh: BAD (an unknown segment); applied by mistake it would open 7003
$HEAD
  - { name: steady-tcp-a, from: clients, to: servers, service: steady-tcp, action: allow }
  - { name: steady-udp-a, from: clients, to: servers, service: steady-udp, action: allow }
  - { name: long-lived-a, from: clients, to: servers, service: long-lived, action: allow }
  - { name: probe-open-a, from: clients, to: servers, service: probe, action: allow }
  - { name: typo, from: no-such-segment, to: servers, service: probe, action: allow }
default: drop
YAML
cat >"$TMP/policies/DENY.yaml" <<YAML
# policy_reload.sh: DENY (B, and the long-lived service dropped)
$HEAD
  - { name: closed-port, from: clients, to: servers, service: closed, action: drop }
  - { name: deny-long-lived, from: clients, to: servers, service: long-lived, action: drop }
  - { name: steady-udp-b, from: clients, to: servers, service: steady-udp, action: allow }
  - { name: steady-tcp-b, from: clients, to: servers, service: steady-tcp, action: allow }
default: drop
YAML
cp "$TMP/policies/A.yaml" "$TMP/policy.yaml"
: >"$TMP/reloads.jsonl"
: >"$TMP/probes.jsonl"
CURRENT=A

pt_config inline "$TMP/eve.json" policy.yaml
pt_start inline
ip netns exec "$(pt_ns server)" "$PY" "$TRAFFIC" server --bind "$SRV_IP" --tcp 7000,7001,7003,7009 --udp 7002 \
    --seconds 120 --out "$TMP/server.json" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
BG_PIDS+=("$SERVER_PID")

probe() {  # port -> "open" | "closed: why"
    pt_in client "$PY" "$TRAFFIC" probe --server "$SRV_IP" --port "$1" --timeout 1.5 || true
}
expect() {  # port open|closed
    local got
    got=$(probe "$1")
    printf '{"t":%s,"policy":"%s","port":%d,"expected":"%s","got":"%s"}\n' \
        "$EPOCHREALTIME" "$CURRENT" "$1" "$2" "$got" >>"$TMP/probes.jsonl"
    echo "  probe $1 under $CURRENT: ${got} (expected $2)"
    [[ $got == "$2"* ]] || fail "under policy $CURRENT a new connection to port $1 is '${got}', expected $2"
}

ok=""
for _ in $(seq 1 40); do
    pt_alive inline
    [[ $(probe 7000) == open ]] && { ok=1; break; }
    sleep 0.3
done
[[ -n $ok ]] || fail "port 7000 not reachable through segward within 40 tries (policy A allows it)"
echo "policy A in force, 7000 reachable through segward ($((SECONDS - T0)) s)"
expect 7003 open
expect 7009 closed

# --- captures on both sides, then the traffic -----------------------------------------
FILTER="tcp port 7000 or tcp port 7001 or udp port 7002"
start_dump() {  # name out
    ip netns exec "$(pt_ns "$1")" tcpdump -i eth0 -s 0 -U -n -w "$2" "$FILTER" >"$2.log" 2>&1 &
    BG_PIDS+=($!)
    DUMPS+=($!)
    for _ in $(seq 1 50); do grep -q "listening on" "$2.log" && return 0; sleep 0.1; done
    cat "$2.log" >&2; fail "tcpdump did not start in $1"
}
DUMPS=()
start_dump client "$TMP/client.pcap"
start_dump server "$TMP/server.pcap"

ip netns exec "$(pt_ns client)" "$PY" "$TRAFFIC" longlived --server "$SRV_IP" --port 7001 --interval 0.1 \
    --seconds 40 --out "$TMP/longlived.json" >"$TMP/longlived.log" 2>&1 &
LONG_PID=$!
BG_PIDS+=("$LONG_PID")
ip netns exec "$(pt_ns client)" "$PY" "$TRAFFIC" steady --server "$SRV_IP" --tcp 7000 --udp 7002 --rate 100 \
    --seconds 24 --out "$TMP/steady.json" >"$TMP/steady.log" 2>&1 &
STEADY_PID=$!
BG_PIDS+=("$STEADY_PID")
echo "steady traffic and the long-lived connection started ($((SECONDS - T0)) s)"
sleep 1.5

reload() {  # name applied|refused
    cp "$TMP/policies/$1.yaml" "$TMP/policy.yaml.new"
    mv -f "$TMP/policy.yaml.new" "$TMP/policy.yaml"
    local before
    before=$(wc -l <"$TMP/segward-inline.err")
    printf '{"t":%s,"policy":"%s","expect":"%s"}\n' "$EPOCHREALTIME" "$1" "$2" >>"$TMP/reloads.jsonl"
    kill -HUP "$PT_SEG_PID"
    # segward logs every reload, taken or refused: wait for that line (5 s at
    # most; the probes that follow decide what is in force).
    for _ in $(seq 1 50); do
        [[ $(wc -l <"$TMP/segward-inline.err") -gt $before ]] && break
        sleep 0.1
    done
    sleep 0.2
    pt_alive inline
    [[ $2 == applied ]] && CURRENT=$1
    echo "SIGHUP with $1 ($2 expected) at $((SECONDS - T0)) s; segward said:"
    tail -n +"$((before + 1))" "$TMP/segward-inline.err" | sed 's/^/    /'
    kill -0 "$STEADY_PID" 2>/dev/null || fail "the steady client ended early: $(cat "$TMP/steady.log")"
}

reload B applied
expect 7003 closed
expect 7009 closed
sleep 1
reload BAD refused
expect 7003 closed
sleep 1
reload A applied
expect 7003 open
sleep 1
reload B applied
expect 7003 closed
sleep 1
reload DENY applied
expect 7001 closed
expect 7003 closed

echo "waiting for the long-lived connection and the steady traffic to end"
for p in "$LONG_PID" "$STEADY_PID"; do
    timeout 50 tail --pid="$p" -f /dev/null || fail "a traffic client did not end in time"
    wait "$p" || fail "a traffic client failed: $(cat "$TMP/longlived.log" "$TMP/steady.log")"
done
cat "$TMP/longlived.log" "$TMP/steady.log"
sleep 1
for p in "${DUMPS[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
kill -TERM "$SERVER_PID"
timeout 10 tail --pid="$SERVER_PID" -f /dev/null || fail "the echo server did not stop"
wait "$SERVER_PID" || fail "the echo server failed: $(cat "$TMP/server.log")"
BG_PIDS=()
pt_alive inline
pt_stop inline
grep -h "packets captured\|dropped by kernel" "$TMP"/*.pcap.log | sed 's/^/tcpdump: /'
# The loss check compares the two captures: they must be whole.
if grep -h "dropped by kernel" "$TMP"/*.pcap.log | grep -qv "^0 packets"; then
    fail "tcpdump itself dropped packets: the captures cannot be compared (a harness problem, not segward's)"
fi

echo "== checks"
"$PY" "$HERE/policy_reload_check.py" "$TMP" || fail "reload checks"
echo "PASS: policy_reload in $((SECONDS - T0)) s"
