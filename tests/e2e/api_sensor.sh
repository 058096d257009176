# Sourced by the REST API's end-to-end scripts (segwardctl.sh,
# api_prometheus.sh, openapi_validate.sh) after common.sh: a real
# `segward run` in tap mode on one net_pcap port that replays the rogue
# ZooKeeper capture once (then the port stays idle and the sensor keeps
# running), with a policy learned from the benign capture (so the rogue
# client raises alerts), evidence files, and the API on a free loopback port.
#
#   api_sensor_start [metrics]   starts it; sets API_URL (and METRICS_URL with
#                                "metrics": the separate /metrics listener),
#                                ADMIN_TOKEN_FILE, READ_TOKEN_FILE, SEG_PID
#   api_sensor_stop              SIGTERM; fails unless it exits 0 within 30 s
#   api_sensor_kill              for an EXIT trap: kills it if still running
#   wait_for DESC SECONDS CMD... runs CMD every 0.5 s until it succeeds
#
# API_PCAP is the capture replayed; API_PCAP_PACKETS its packet count.
API_PCAP=$ROOT/tests/data/zk-roles-rogue.pcap
API_PCAP_PACKETS=$(/usr/bin/python3 - "$API_PCAP" <<'PY'
import struct, sys
# Counts the records of a classic pcap file (no dependency on tshark).
with open(sys.argv[1], "rb") as f:
    magic = f.read(24)[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    n = 0
    while True:
        h = f.read(16)
        if len(h) < 16:
            break
        f.seek(struct.unpack(endian + "IIII", h)[2], 1)
        n += 1
print(n)
PY
)
SEG_PID=
SEGWARDCTL=$(dirname "$BIN")/segwardctl

wait_for() {
    local desc=$1 limit=$2 deadline
    shift 2
    deadline=$((SECONDS + limit))
    until "$@"; do
        if (( SECONDS >= deadline )); then
            echo "FAIL: $desc: not within $limit s" >&2
            return 1
        fi
        if [[ -n $SEG_PID ]] && ! kill -0 "$SEG_PID" 2>/dev/null; then
            echo "FAIL: $desc: segward exited" >&2
            cat "$TMP/segward.err" >&2
            return 1
        fi
        sleep 0.5
    done
}

api_sensor_kill() {
    if [[ -n $SEG_PID ]] && kill -0 "$SEG_PID" 2>/dev/null; then
        kill -KILL "$SEG_PID" 2>/dev/null
        wait "$SEG_PID" 2>/dev/null
    fi
    SEG_PID=
}

_api_listening() {
    API_URL=$(sed -n 's/.*REST API listening on \(https\?:\/\/[^ ]*\).*/\1/p' "$TMP/segward.err" | head -1)
    [[ -n $API_URL ]] || return 1
    if [[ $1 == metrics ]]; then
        METRICS_URL=$(sed -n 's/.*metrics listening on \(http:\/\/[^ ]*\).*/\1/p' "$TMP/segward.err" | head -1)
        [[ -n $METRICS_URL ]] || return 1
    fi
}

api_sensor_start() {
    local with_metrics=${1:-}
    echo "== segward learn on zk-roles-benign.pcap (the policy)"
    (cd "$TMP" && timeout 120 "$BIN" learn -o "$TMP/policy.yaml" "$ROOT/tests/data/zk-roles-benign.pcap") \
        >"$TMP/learn.out" 2>&1 || { cat "$TMP/learn.out" >&2; echo "FAIL: segward learn" >&2; return 1; }
    # Tokens: the server's file ("ROLE TOKEN", mode 0600) and one bare
    # token per file for segwardctl (it reads either format).
    ADMIN_TOKEN=admin-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    READ_TOKEN=read-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    (umask 077; printf '# api_sensor.sh\nadmin %s\nread %s\n' "$ADMIN_TOKEN" "$READ_TOKEN" >"$TMP/tokens")
    ADMIN_TOKEN_FILE=$TMP/admin.token
    READ_TOKEN_FILE=$TMP/read.token
    (umask 077; echo "$ADMIN_TOKEN" >"$ADMIN_TOKEN_FILE"; echo "$READ_TOKEN" >"$READ_TOKEN_FILE")
    local metrics_yaml=""
    [[ $with_metrics == metrics ]] && metrics_yaml="metrics: {listen: 127.0.0.1:0}"
    # API_RULES (optional): a signature rule file the sensor runs too.
    local rules_yaml=""
    [[ -n ${API_RULES:-} ]] && rules_yaml="signatures: {rules: [\"$API_RULES\"]}"
    cat >"$TMP/segward.yaml" <<YAML
eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "256", --no-telemetry, --log-level, "*:error"]}
dataplane:
  mode: tap
  workers: 1
  ports:
    - {name: zk, device: "net_pcap0,rx_pcap=$API_PCAP"}
outputs: {eve: {path: "$TMP/eve.json", stats_interval: 1}}
policy: policy.yaml
evidence: {dir: evidence, packets_after: 0}
api: {listen: "127.0.0.1:0", tokens: tokens}
$metrics_yaml
$rules_yaml
YAML
    echo "== segward run (API on a free port)"
    "$BIN" run --config "$TMP/segward.yaml" >"$TMP/segward.out" 2>"$TMP/segward.err" &
    SEG_PID=$!
    wait_for "the 'REST API listening' line" 60 _api_listening "$with_metrics" || return 1
    echo "API at $API_URL${METRICS_URL:+, metrics at $METRICS_URL}"
}

api_sensor_stop() {
    echo "== SIGTERM"
    kill -TERM "$SEG_PID"
    if ! timeout 30 tail --pid="$SEG_PID" -f /dev/null; then
        echo "FAIL: segward did not exit within 30 s of SIGTERM" >&2
        api_sensor_kill
        return 1
    fi
    local rc=0
    wait "$SEG_PID" || rc=$?
    SEG_PID=
    if [[ $rc -ne 0 ]]; then
        echo "FAIL: segward exited $rc after SIGTERM" >&2
        cat "$TMP/segward.err" >&2
        return 1
    fi
}
