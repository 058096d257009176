#!/usr/bin/env bash
# The rule pack's Mesos captures, with real programs on both ends:
#
#   gen_mesos.sh OUT_DIR SCENARIO_LOG
#
# OUT_DIR/mesos-benign.pcap  a healthy cluster: tests/mesos/scheduler (mesos-go
#     v0 driver: CRAM-MD5, registration WITH a principal, a task launch,
#     acknowledgement, ACCEPT, unregistration) against tests/mesos/fakemaster
#     (mesos-go messenger, master@192.0.2.10:5050) from 192.0.2.20, and an
#     operator's curl reads with a Bearer token or on read-only endpoints
#     (mesos_http.py benign) from 192.0.2.21
# OUT_DIR/mesos.pcap  the scenarios, one source address each:
#     rogue/main.go (mesos-go messenger) sending libprocess messages to the
#     fake master and to a fake agent (rogue -mode agent, slave(1)@192.0.2.30:5051);
#     tests/mesos/http_clients.py spoof (curl: PIDs claiming 203.0.113.66);
#     mesos_http.py attack (curl against tests/mesos/fake_master_http.py
#     on 192.0.2.11:5050 and, as an agent's HTTP API, 192.0.2.31:5051, and
#     libprocess shapes against the mesos-go master)
#
# The Go programs are built offline in GOPATH mode against Debian's
# golang-github-mesos-mesos-go-dev, as tests/data/make-mesos-capture.sh does.
# mesos-go and curl's libprocess helper cannot bind a source address: each
# scenario sets the route's source (lib.sh rp_src). Needs root, golang-go,
# golang-github-mesos-mesos-go-dev, curl, tcpdump, /usr/bin/python3.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 OUT_DIR SCENARIO_LOG" >&2; exit 2; }
OUT=$(realpath -m "$1")
RP_SCENARIOS=$(realpath -m "$2")
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
MESOS_DIR=$(cd "$RP_HERE/../../mesos" && pwd)
GO=${GO:-go}
FID=2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0000
TOKEN=segward-rule-pack-token

rp_init mesos

# --- build (offline, GOPATH mode) ---------------------------------------------
GP=$RP_TMP/gopath
mkdir -p "$GP/src/segward/mesos" "$RP_TMP/bin"
cp -r "$MESOS_DIR/sentlog" "$MESOS_DIR/fakemaster" "$MESOS_DIR/scheduler" "$RP_HERE/rogue" "$GP/src/segward/mesos/"
T0=$SECONDS
for prog in fakemaster scheduler rogue; do
    env GOPATH="$GP:/usr/share/gocode" GO111MODULE=off GOFLAGS= GOCACHE="$RP_TMP/gocache" GOPROXY=off \
        CGO_ENABLED=0 timeout 180 "$GO" build -o "$RP_TMP/bin/$prog" "segward/mesos/$prog" ||
        { echo "go build segward/mesos/$prog failed" >&2; exit 1; }
done
echo "built fakemaster, scheduler, rogue in $((SECONDS - T0)) s"

rp_net "192.0.2.10 192.0.2.11 192.0.2.30 192.0.2.31" "192.0.2.20 192.0.2.21 $(echo 192.0.2.{100..160})"

start_masters() { # the mesos-go master, the HTTP fake master and the agent's HTTP API
    rp_bg "$RP_TMP/master-$1.log" "$RP_TMP/bin/fakemaster" -ip 192.0.2.10 -port 5050 \
        -log "$RP_TMP/master-$1.jsonl" -timeout 90s
    MASTER_PID=$RP_LAST
    rp_bg "$RP_TMP/http-$1.log" "$RP_PY" "$MESOS_DIR/fake_master_http.py" --ip 192.0.2.11 --port 5050 \
        --bearer "$TOKEN" --timeout 90
    HTTP_PID=$RP_LAST
    rp_bg "$RP_TMP/agent-http-$1.log" "$RP_PY" "$MESOS_DIR/fake_master_http.py" --ip 192.0.2.31 --port 5051 \
        --bearer "$TOKEN" --timeout 90
    AGENT_HTTP_PID=$RP_LAST
    rp_wait_listen 192.0.2.10:5050 "$MASTER_PID" fakemaster || { cat "$RP_TMP/master-$1.log" >&2; exit 1; }
    rp_wait_listen 192.0.2.11:5050 "$HTTP_PID" fake_master_http.py || { cat "$RP_TMP/http-$1.log" >&2; exit 1; }
    rp_wait_listen 192.0.2.31:5051 "$AGENT_HTTP_PID" "fake_master_http.py (agent)" || exit 1
}
stop_masters() {
    local p
    for p in "$MASTER_PID" "$HTTP_PID" "$AGENT_HTTP_PID" "$@"; do rp_stop "$p"; done
}

# --- benign ---------------------------------------------------------------------
T1=$SECONDS
start_masters benign
rp_capture_start "$OUT/mesos-benign.pcap"
rp_src 192.0.2.20
rp_scenario mesos-benign.pcap scheduler-with-principal 192.0.2.20
in_c timeout 30 "$RP_TMP/bin/scheduler" -master master@192.0.2.10:5050 -ip 192.0.2.20 \
    -log "$RP_TMP/scheduler.jsonl" -timeout 20s >"$RP_TMP/scheduler.out" 2>"$RP_TMP/scheduler.err" ||
    { echo "benign scheduler failed" >&2; tail -n 30 "$RP_TMP/scheduler.out" "$RP_TMP/scheduler.err" >&2; exit 1; }
sed 's/^/  /' "$RP_TMP/scheduler.out"
in_c timeout 60 "$RP_PY" "$RP_HERE/mesos_http.py" benign "$RP_SCENARIOS" mesos-benign.pcap
rp_capture_stop
stop_masters

# --- scenarios ------------------------------------------------------------------
start_masters attack
rp_bg "$RP_TMP/agent.log" "$RP_TMP/bin/rogue" -mode agent -ip 192.0.2.30 -port 5051 -timeout 90s
AGENT_PID=$RP_LAST
rp_wait_listen 192.0.2.30:5051 "$AGENT_PID" "rogue agent" || { cat "$RP_TMP/agent.log" >&2; exit 1; }
rp_capture_start "$OUT/mesos.pcap"
n=100
for sc in register-noprincipal reregister-root launch-privileged launch-hostpath launch-docker-sock \
    launch-docker-sock-cmd launch-revshell launch-curl-sh launch-nsenter launch-chroot launch-root-user \
    launch-miner runtask-agent killtask-agent shutdown-framework-agent ping-agent status-forged auth-burst; do
    ip=192.0.2.$n
    n=$((n + 1))
    rp_src "$ip"
    rp_scenario mesos.pcap "$sc" "$ip"
    in_c timeout 15 "$RP_TMP/bin/rogue" -mode send -ip "$ip" -scenario "$sc" \
        -master master@192.0.2.10:5050 -agent 'slave(1)@192.0.2.30:5051' 2>>"$RP_TMP/rogue.err" ||
        { echo "rogue $sc failed" >&2; tail -n 20 "$RP_TMP/rogue.err" >&2; exit 1; }
done
# PID spoofing (Libprocess-From, then a pre-0.22 User-Agent), curl by tests/mesos/http_clients.py.
rp_src 192.0.2.157
rp_scenario mesos.pcap spoofed-pid 192.0.2.157
in_c timeout 20 "$RP_PY" "$MESOS_DIR/http_clients.py" spoof --master 192.0.2.10:5050 --src-ip 192.0.2.157 \
    --spoof-ip 203.0.113.66 --scheduler-pid 'scheduler(1)@192.0.2.157:40000' --framework-id "$FID" \
    --log "$RP_TMP/spoof.jsonl"
in_c timeout 90 "$RP_PY" "$RP_HERE/mesos_http.py" attack "$RP_SCENARIOS" mesos.pcap
rp_capture_stop
stop_masters "$AGENT_PID"
sed 's/^/  /' "$RP_TMP/agent.log"
grep -c "agent: recv" "$RP_TMP/agent.log" | grep -qx 4 || { echo "the agent did not get its 4 messages" >&2; exit 1; }
(( SECONDS - T1 <= 120 )) || { echo "Mesos traffic took more than 120 s" >&2; exit 1; }
