#!/usr/bin/env bash
# Issue 7, acceptance 3: signature rules reloaded (SIGHUP) under steady
# traffic through an inline segward lose no packet, a refused rule file
# leaves the running rules, and the new rules are active at once.
#
#   rules_reload.sh SEGWARD_BIN
#
# Topology (policy_topology.sh): namespace "client" 192.0.2.21, namespace
# "server" 198.51.100.20 behind segward inline (net_af_packet on the two
# root-namespace ends), no policy. policy_traffic.py's echo server on TCP
# 7000 (steady) and 7003 (probes), UDP 7002 (steady). The steady client
# sends 100 numbered messages per second on one TCP connection and one UDP
# socket for 14 s; meanwhile the rule file changes and segward gets SIGHUP:
#   R1    payload rule 910001 (the text segward-probe-one)
#   R2    910002 (segward-probe-two) instead
#   BAD   R2 plus a rule with a broken regex: refused, R2 keeps running
#   R3    910002 and 910003 (segward-probe-three)
# After each, new connections to 7003 send an HTTP-looking line naming a
# probe text (HTTP is decoded on any port, so its bytes meet the payload
# patterns). Passes when every steady message was echoed, tcpdump on both
# sides of segward saw the same steady packets, segward's flow event counts
# them too, each probe raised exactly the alerts of the rules in force, and
# stats.signatures counts 2 reloads and 1 refusal.
#
# Needs root and tcpdump. About 25 s.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" rules-reload "$@"
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
[[ $(id -u) -eq 0 ]] || { echo "SKIP: needs root"; exit 77; }
command -v tcpdump >/dev/null || fail "tcpdump is not installed"
T0=$SECONDS

pt_init "rr$$"
pt_client client 192.0.2.21
pt_server server "$SRV_IP"
pt_finish

rule() {  # id text
    printf '  - id: %s\n    msg: probe %s\n    threat: credential_exposure\n    payload:\n      - literal: %s\n        direction: to_server\n' "$1" "$2" "$2"
}
mkdir -p "$TMP/rules"
{ echo "rules:"; rule 910001 segward-probe-one; } >"$TMP/rules/R1.yaml"
{ echo "rules:"; rule 910002 segward-probe-two; } >"$TMP/rules/R2.yaml"
{ cat "$TMP/rules/R2.yaml"; printf '  - id: 910009\n    msg: broken\n    threat: mitm\n    payload:\n      - regex: "(unclosed"\n'; } >"$TMP/rules/BAD.yaml"
{ cat "$TMP/rules/R2.yaml"; rule 910003 segward-probe-three; } >"$TMP/rules/R3.yaml"
cp "$TMP/rules/R1.yaml" "$TMP/rules.yaml"

pt_config inline "$TMP/eve.json"
echo "signatures: {rules: [rules.yaml]}" >>"$TMP/segward-inline.yaml"
pt_start inline
ip netns exec "$(pt_ns server)" "$PY" "$TRAFFIC" server --bind "$SRV_IP" --tcp 7000,7003 --udp 7002 \
    --seconds 90 --out "$TMP/server.json" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
BG_PIDS+=("$SERVER_PID")

: >"$TMP/probes.tsv"
CURRENT=R1
probe() {  # text: one connection to 7003 sending "GET /TEXT HTTP/1.1"
    local got
    got=$(pt_in client "$PY" "$TRAFFIC" probe --server "$SRV_IP" --port 7003 --timeout 2 --show-port \
        --text "GET /$1 HTTP/1.1" || true)
    [[ $got == open* ]] || fail "probe $1 under $CURRENT: $got"
    printf '%s\t%s\t%s\n' "${got#open }" "$1" "$CURRENT" >>"$TMP/probes.tsv"
    echo "  probe $1 under $CURRENT from port ${got#open }"
}
ok=""
for _ in $(seq 1 40); do
    pt_alive inline
    [[ $(pt_in client "$PY" "$TRAFFIC" probe --server "$SRV_IP" --port 7000 --timeout 1 || true) == open* ]] && { ok=1; break; }
    sleep 0.3
done
[[ -n $ok ]] || fail "port 7000 not reachable through segward"

DUMPS=()
start_dump() {  # name out
    ip netns exec "$(pt_ns "$1")" tcpdump -i eth0 -s 0 -U -n -w "$2" "tcp port 7000 or udp port 7002" >"$2.log" 2>&1 &
    BG_PIDS+=($!)
    DUMPS+=($!)
    for _ in $(seq 1 50); do grep -q "listening on" "$2.log" && return 0; sleep 0.1; done
    cat "$2.log" >&2; fail "tcpdump did not start in $1"
}
start_dump client "$TMP/client.pcap"
start_dump server "$TMP/server.pcap"
ip netns exec "$(pt_ns client)" "$PY" "$TRAFFIC" steady --server "$SRV_IP" --tcp 7000 --udp 7002 --rate 100 \
    --seconds 14 --out "$TMP/steady.json" >"$TMP/steady.log" 2>&1 &
STEADY_PID=$!
BG_PIDS+=("$STEADY_PID")
sleep 1

reload() {  # name applied|refused
    cp "$TMP/rules/$1.yaml" "$TMP/rules.yaml.new"
    mv -f "$TMP/rules.yaml.new" "$TMP/rules.yaml"
    local before
    before=$(wc -l <"$TMP/segward-inline.err")
    kill -HUP "$PT_SEG_PID"
    for _ in $(seq 1 50); do
        grep -q "signature" <(tail -n +"$((before + 1))" "$TMP/segward-inline.err") && break
        sleep 0.1
    done
    sleep 0.2
    pt_alive inline
    [[ $2 == applied ]] && CURRENT=$1
    echo "SIGHUP with $1 ($2 expected) at $((SECONDS - T0)) s; segward said:"
    tail -n +"$((before + 1))" "$TMP/segward-inline.err" | sed 's/^/    /'
    if [[ $2 == refused ]]; then
        tail -n +"$((before + 1))" "$TMP/segward-inline.err" | grep -q "signature rules refused" ||
            fail "segward did not refuse $1"
    fi
    kill -0 "$STEADY_PID" 2>/dev/null || fail "the steady client ended early: $(cat "$TMP/steady.log")"
}

probe segward-probe-one
reload R2 applied
probe segward-probe-two
probe segward-probe-one
sleep 1
reload BAD refused
probe segward-probe-two
sleep 1
reload R3 applied
probe segward-probe-three
probe segward-probe-two

timeout 40 tail --pid="$STEADY_PID" -f /dev/null || fail "the steady client did not end in time"
wait "$STEADY_PID" || fail "the steady client failed: $(cat "$TMP/steady.log")"
cat "$TMP/steady.log"
sleep 1
for p in "${DUMPS[@]}"; do kill -INT "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
BG_PIDS=()
pt_stop inline
if grep -h "dropped by kernel" "$TMP"/*.pcap.log | grep -qv "^0 packets"; then
    fail "tcpdump itself dropped packets: the captures cannot be compared (a harness problem, not segward's)"
fi
tcpdump -r "$TMP/client.pcap" -n 2>/dev/null | wc -l >"$TMP/client.count"
tcpdump -r "$TMP/server.pcap" -n 2>/dev/null | wc -l >"$TMP/server.count"

echo "== checks"
"$PY" - "$TMP" <<'PYCHECK'
import json, sys
tmp = sys.argv[1]
errors = []
def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        errors.append(what)
steady = json.load(open(f"{tmp}/steady.json"))
check(steady["tcp_echoed"] == steady["tcp_sent"] and steady["udp_echoed"] == steady["udp_sent"],
      f"every steady message echoed: tcp {steady['tcp_echoed']}/{steady['tcp_sent']}, udp {steady['udp_echoed']}/{steady['udp_sent']}")
client, server = (int(open(f"{tmp}/{n}.count").read()) for n in ("client", "server"))
check(client == server and client > 2 * steady["tcp_sent"],
      f"tcpdump on both sides of segward saw the same steady packets: client {client}, server {server}")
events = [json.loads(l) for l in open(f"{tmp}/eve.json") if l.strip()]
flows = [e for e in events if e.get("event_type") == "flow" and e.get("src_port") in (steady["tcp_port"], steady["udp_port"])
         and e.get("dest_port") in (7000, 7002)]
in_flows = sum(e["flow"].get("pkts_toserver", 0) + e["flow"].get("pkts_toclient", 0) for e in flows)
check(in_flows == client, f"segward's flow events count the same steady packets: {in_flows}")
alerts = [e for e in events if e.get("event_type") == "alert" and e["alert"].get("source") == "signature"]
rules_of = {"R1": {910001}, "R2": {910002}, "R3": {910002, 910003}}
wanted = {"segward-probe-one": 910001, "segward-probe-two": 910002, "segward-probe-three": 910003}
for line in open(f"{tmp}/probes.tsv"):
    port, text, current = line.split()
    got = sorted(e["alert"]["signature_id"] for e in alerts if e.get("src_port") == int(port))
    want = [wanted[text]] if wanted[text] in rules_of[current] else []
    check(got == want, f"probe {text} under {current} (port {port}): alerts {got}, expected {want}")
stats = [e["stats"] for e in events if e.get("event_type") == "stats"][-1]
sig = stats.get("signatures", {})
check(sig.get("reloads") == 2 and sig.get("reload_failures") == 1,
      f"stats.signatures: {sig.get('reloads')} reloads, {sig.get('reload_failures')} refused (2 and 1 expected)")
v = stats.get("verdict", {})
check(v.get("drop", 0) == 0 and v.get("tx_dropped", 0) == 0, f"no packet dropped by segward: {v}")
sys.exit(1 if errors else 0)
PYCHECK
echo "PASS: rules_reload in $((SECONDS - T0)) s"
