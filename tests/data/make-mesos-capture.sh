#!/usr/bin/env bash
# Capture real Mesos traffic between mesos-go programs, curl and fake
# masters, plus a log of everything the programs sent.
#
#   make-mesos-capture.sh OUT_DIR
#
# writes OUT_DIR/mesos.pcap and OUT_DIR/sent.jsonl (see tests/mesos/README.md).
#
# Two network namespaces joined by a veth pair: the masters in one
# (192.0.2.10), the scheduler and the HTTP clients in the other
# (192.0.2.20); tcpdump records all TCP on the client end with full snaplen.
# Phases, one after the other on the same link:
#   1. libprocess: tests/mesos/fakemaster (mesos-go messenger, PID
#      master@192.0.2.10:5050) and tests/mesos/scheduler (mesos-go v0
#      scheduler driver): CRAM-MD5 authentication, registration, one offer,
#      one task launch, TASK_RUNNING + acknowledgement, unregistration.
#   2. PID spoof: curl posts libprocess messages to the same master
#      claiming a PID on 203.0.113.66.
#   3. v1 HTTP API and legacy endpoints: curl against
#      tests/mesos/fake_master_http.py on 192.0.2.10:5050, plus every
#      v1 calls with application/x-protobuf bodies that
#      tests/mesos/make_v1_protobuf_bodies.py builds from segward's own
#      .proto files (or every *.bin in MESOS_V1_PROTOBUF_DIR, if set).
# Needs root, golang-go and golang-github-mesos-mesos-go-dev (built offline
# in GOPATH mode into a temporary directory), tcpdump, curl, python3;
# tshark for the self-check at the end (skipped if absent).
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
OUT=$(realpath -m "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MESOS_DIR=$(cd "$HERE/../mesos" && pwd)
PB_DIR=${MESOS_V1_PROTOBUF_DIR:-}
PY=/usr/bin/python3
GO=${GO:-go}
MASTER_IP=192.0.2.10
SCHED_IP=192.0.2.20
SPOOF_IP=203.0.113.66
PORT=5050
PRINCIPAL=segward-principal
SECRET=segward-secret
FRAMEWORK_ID=2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0000

TAG=$$
NS_M=segmesos-m-$TAG
NS_S=segmesos-s-$TAG
IF_M=msm$TAG
IF_S=mss$TAG
TMP=$(mktemp -d /tmp/segmesos.XXXXXX)
BUILD_PID=
MASTER_PID=
HTTP_PID=
DUMP_PID=
if [[ -z $PB_DIR ]]; then
    PB_DIR=$TMP/v1-protobuf-bodies
    "$PY" "$MESOS_DIR/make_v1_protobuf_bodies.py" "$PB_DIR"
fi

cleanup() {
    set +e
    # Background jobs are started with `ip netns exec` (which execs), so these
    # pids are the programs themselves.
    local p
    # timeout(1) passes the TERM on to go build.
    for p in "$BUILD_PID" "$DUMP_PID" "$MASTER_PID" "$HTTP_PID"; do
        [[ -n $p ]] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    local ns pid
    for ns in "$NS_M" "$NS_S"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    done
    ip netns del "$NS_M" 2>/dev/null
    ip netns del "$NS_S" 2>/dev/null
    ip link del "$IF_M" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

in_m() { ip netns exec "$NS_M" "$@"; }
in_s() { ip netns exec "$NS_S" "$@"; }

for tool in "$GO" tcpdump curl ip "$PY"; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[[ -d /usr/share/gocode/src/github.com/mesos/mesos-go/api/v0 ]] ||
    { echo "missing golang-github-mesos-mesos-go-dev" >&2; exit 1; }

# --- build (offline, GOPATH mode, into TMP) ----------------------------------
go_build() { # OUT PACKAGE; in the background so that the trap can stop it
    env GOPATH="$TMP/gopath:/usr/share/gocode" GO111MODULE=off GOFLAGS= GOCACHE="$TMP/gocache" \
        GOPROXY=off CGO_ENABLED=0 timeout 120 "$GO" build -o "$1" "$2" &
    BUILD_PID=$!
    local rc=0
    wait "$BUILD_PID" || rc=$?
    BUILD_PID=
    return "$rc"
}
T0=$SECONDS
mkdir -p "$TMP/gopath/src/segward/mesos" "$TMP/bin"
cp -r "$MESOS_DIR/sentlog" "$MESOS_DIR/fakemaster" "$MESOS_DIR/scheduler" "$TMP/gopath/src/segward/mesos/"
go_build "$TMP/bin/fake-master" segward/mesos/fakemaster || { echo "go build failed" >&2; exit 1; }
go_build "$TMP/bin/test-scheduler" segward/mesos/scheduler || { echo "go build failed" >&2; exit 1; }
echo "built fake-master and test-scheduler in $((SECONDS - T0)) s"

# --- network ------------------------------------------------------------------
source "$HERE/netns_pair.sh"
netns_pair "$NS_M" "$IF_M" "$MASTER_IP" "$NS_S" "$IF_S" "$SCHED_IP"

wait_listen() { # NS_FN PID LABEL: wait until MASTER_IP:PORT listens (10 s)
    local i
    for i in $(seq 1 100); do
        kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; return 1; }
        "$1" ss -Hltn src "$MASTER_IP:$PORT" 2>/dev/null | grep -q LISTEN && return 0
        sleep 0.1
    done
    echo "$3 not listening after 10 s" >&2
    return 1
}
show_logs() { local f; for f in "$@"; do [[ -s $f ]] && { echo "--- $f" >&2; tail -n 40 "$f" >&2; }; done; }

# --- capture ------------------------------------------------------------------
T1=$SECONDS
ip netns exec "$NS_S" tcpdump -i "$IF_S" -s 0 -U -n -w "$TMP/cap.pcap" tcp >"$TMP/dump.log" 2>&1 &
DUMP_PID=$!
for _ in $(seq 1 50); do
    grep -q "listening on" "$TMP/dump.log" && break
    sleep 0.1
done
grep -q "listening on" "$TMP/dump.log" || { echo "tcpdump did not start" >&2; cat "$TMP/dump.log" >&2; exit 1; }

# 1. libprocess: mesos-go scheduler driver against the mesos-go fake master.
ip netns exec "$NS_M" "$TMP/bin/fake-master" -ip "$MASTER_IP" -port "$PORT" -principal "$PRINCIPAL" -secret "$SECRET" \
    -log "$TMP/master-sent.jsonl" -timeout 40s >"$TMP/master.out" 2>"$TMP/master.err" &
MASTER_PID=$!
wait_listen in_m "$MASTER_PID" fake-master || { show_logs "$TMP/master.out" "$TMP/master.err"; exit 1; }
if ! in_s timeout 20 "$TMP/bin/test-scheduler" -master "master@$MASTER_IP:$PORT" -ip "$SCHED_IP" \
        -principal "$PRINCIPAL" -secret "$SECRET" -log "$TMP/scheduler-sent.jsonl" -timeout 15s \
        >"$TMP/scheduler.out" 2>"$TMP/scheduler.err"; then
    echo "scheduler failed" >&2
    show_logs "$TMP/scheduler.out" "$TMP/scheduler.err" "$TMP/master.out" "$TMP/master.err"
    exit 1
fi
sed 's/^/  /' "$TMP/scheduler.out"

# 2. PID spoof against the same master, from the scheduler's address.
SCHED_PID=$("$PY" -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["message"].endswith("RegisterFrameworkMessage"): print(r["from_pid"]); break' "$TMP/scheduler-sent.jsonl")
[[ -n $SCHED_PID ]] || { echo "no scheduler PID in its log" >&2; exit 1; }
in_s timeout 10 "$PY" "$MESOS_DIR/http_clients.py" spoof --master "$MASTER_IP:$PORT" --src-ip "$SCHED_IP" \
    --spoof-ip "$SPOOF_IP" --scheduler-pid "$SCHED_PID" --framework-id "$FRAMEWORK_ID" \
    --log "$TMP/spoof-sent.jsonl" || { echo "spoof client failed" >&2; exit 1; }
sleep 0.3
kill -TERM "$MASTER_PID"; wait "$MASTER_PID" 2>/dev/null || true; MASTER_PID=
sed 's/^/  /' "$TMP/master.out"
# mesos-go routes the Call ACCEPT (POST /api/v1/scheduler on the scheduler's
# kept-alive connection) by its second path segment and drops it.
grep -h "no message binding" "$TMP/master.err" | sed 's/^/  [master glog] /' || true
grep -q "recv UnregisterFrameworkMessage from scheduler(1)@$SPOOF_IP" "$TMP/master.out" ||
    { echo "the master did not get the spoofed message" >&2; exit 1; }

# 3. v1 HTTP APIs and legacy endpoints: curl against the Python fake master.
BEARER=$("$PY" - <<'EOF'
import base64, hashlib, hmac, json
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
body = b64(json.dumps({"fid": "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0000", "eid": "segward-task-0001",
                       "cid": "a1b2c3d4-0000-4000-8000-000000000001"}, separators=(",", ":")).encode())
sig = b64(hmac.new(b"segward-jwt-demo-key", f"{head}.{body}".encode(), hashlib.sha256).digest())
print(f"{head}.{body}.{sig}")
EOF
)
ip netns exec "$NS_M" "$PY" "$MESOS_DIR/fake_master_http.py" --ip "$MASTER_IP" --port "$PORT" --principal "$PRINCIPAL" \
    --secret "$SECRET" --bearer "$BEARER" --timeout 30 >"$TMP/http.out" 2>&1 &
HTTP_PID=$!
wait_listen in_m "$HTTP_PID" fake_master_http.py || { show_logs "$TMP/http.out"; exit 1; }
if ! in_s timeout 30 "$PY" "$MESOS_DIR/http_clients.py" v1 --master "$MASTER_IP:$PORT" --src-ip "$SCHED_IP" \
        --principal "$PRINCIPAL" --secret "$SECRET" --bearer "$BEARER" --framework-id "$FRAMEWORK_ID" \
        --protobuf-dir "$PB_DIR" --log "$TMP/http-sent.jsonl"; then
    echo "v1 clients failed" >&2; show_logs "$TMP/http.out"; exit 1
fi
kill -TERM "$HTTP_PID"; wait "$HTTP_PID" 2>/dev/null || true; HTTP_PID=

if (( SECONDS - T1 > 60 )); then
    echo "traffic phase exceeded 60 s" >&2; exit 1
fi
sleep 1   # let the last FIN/ACKs be captured
kill -INT "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true; DUMP_PID=

mkdir -p "$OUT"
cp "$TMP/cap.pcap" "$OUT/mesos.pcap"
"$PY" "$MESOS_DIR/merge_sent.py" "$OUT/sent.jsonl" "$TMP/master-sent.jsonl" "$TMP/scheduler-sent.jsonl" \
    "$TMP/spoof-sent.jsonl" "$TMP/http-sent.jsonl"
echo "wrote $OUT/mesos.pcap ($(stat -c %s "$OUT/mesos.pcap") bytes), $OUT/sent.jsonl ($(wc -l <"$OUT/sent.jsonl") lines); traffic phase $((SECONDS - T1)) s"

if command -v tshark >/dev/null; then
    "$PY" "$MESOS_DIR/check_capture.py" "$OUT"
else
    echo "tshark not installed: skipped the capture self-check"
fi
