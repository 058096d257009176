#!/usr/bin/env bash
# segward against the machine's I/O ceiling, in one run, on the same sources:
#
#   dpdk-testpmd io forwarding  vs  segward inline (flow tracking on),
#   both: net_pcap0,rx_pcap=F,infinite_rx=1 -> net_null0,no-rx=1, one
#   forwarding core, the same EAL arguments, the same mbuf count;
#
# then, unless --skip-callgrind, instructions per packet from callgrind on a
# fixed `segward replay` of each source (`--no-policy --no-rules`: replay's
# defaults are the baseline policy and the built-in rule pack; row (e)
# `--config` with its policy, row (f) `--rules PACK` and `--no-rules`).
#
#   bench.sh SEGWARD_BIN [--duration SECONDS (default 10)] [--skip-callgrind] [--hugepages]
#            [--only a,b,c,d,e,f,g] [--rules PATH] [--scan-bench PATH] [--iterations N]
#
# --hugepages: both programs on 2 MiB hugepages (--in-memory -m 600) instead
# of the default --no-huge; reserve them first, e.g.
#   echo 400 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
#
# Sources: (a) a synthetic capture, 64-byte TCP ACKs over 10,000 flows
# (make-synthetic-pcap.py; 40,000 packets for the rate runs, exactly 200,000
# for callgrind), (b) tests/data/zk-cluster.pcap, real ZooKeeper traffic,
# (c) tests/data/mesos-cluster.pcap, real libprocess/HTTP traffic (mesos-go,
# curl): every connection goes through reassembly, HTTP and the Mesos
# decoders, (d) tests/data/zk-getdata-flood.pcap, a kazoo client's 10,000
# pipelined getData calls and the server's replies on one session
# (tests/data/make-zk-flood-capture.sh): one small request per segment,
# replies several to a segment, the ZooKeeper decoder's per-request cost;
# (e) source (a) through a 1,000-rule allowlist (make-policy.py) whose last
# rule allows it: classification per flow (rte_acl), the cached verdict
# per packet; (f) the Mesos/ZooKeeper mix: tests/data/mesos-cluster.pcap
# then tests/data/zk-cluster.pcap in one classic pcap (records appended, as
# `mergecap -a -F pcap` would), segward with the signature rule pack
# (`signatures: {rules: [PACK]}`, PACK: --rules, default signatures/rules)
# and the same without rules, against one testpmd run; callgrind on a finite
# replay of the mix with and without the pack. Every rate run of (f) sends
# a `stats` event a second and its final one over syslog (UDP, `events:
# [stats]`) to a listener here: the row shows the requests decoded and the
# messages the rules inspected per pass of the file (the infinite loop
# replays the same 5-tuples and sequence numbers, so this is the check that
# each pass is decoded again), and a steady rate besides the `dataplane:`
# one: packets between the first periodic stats event and the last one
# before the worker stopped, over their time apart. The `dataplane:` line
# runs from worker launch until the worker stopped polling; the tail after
# it, in which the worker ends every flow and session and hands their events
# over (lossless, so it waits for the management thread; 0.5-4 s here on L7
# sources), is printed apart on the same line and not counted.
# (g) Hyperscan inside segward against Hyperscan alone on the same field
# values: callgrind on `segward replay --no-policy --rules PACK MIX` (all
# collected; inclusive Ir of the hs_scan variant, RuleSet::evaluate, the L7
# engine's inspection entry points, alert emission, and the payload rules'
# stream scans, L7Engine::scan_payload/end_payload) and on signature_scan_bench
# (tests/bench/signature_scan_bench.cc; --scan-bench, default
# BUILD/tests/signature_scan_bench next to SEGWARD_BIN) collecting only
# inside its bare hs_scan loop, one iteration; then the bare loop natively,
# --iterations times (default 20000), in ns per message.
# --only picks rows (e.g. --only a,e or --only f,g).
# Each row also gives Gbit/s of frame bytes (captured length).
#
# Packets/s, one principle for both programs: packets the program received
# from the pcap port divided by the time its forwarding core ran, from
# forwarding start to stop.
#   segward: its own `dataplane: P packets in S s` line (worker launch until
#            the worker stopped polling; the shutdown tail is not in S).
#   testpmd: port 0 RX-packets of its final forward statistics, divided by the
#            time between the line it prints just before launching forwarding
#            and "Telling cores to stop..." (lines time-stamped as they are
#            written, line-buffered; error a few ms). The median of
#            testpmd's periodic Rx-pps samples is printed alongside as a
#            cross-check only: with --stats-period 1 they come about every
#            2 s here, too few for short runs.
# net_null0 is given no-rx=1 for both: otherwise it generates packets on RX,
# which both programs poll and forward too (segward even counts them).
#
# Everything runs under `timeout`; temporary files and any child still running
# are removed on exit. Needs dpdk-testpmd, valgrind (unless --skip-callgrind),
# coreutils; python: /usr/bin/python3 (standard library only).
set -euo pipefail

usage() { echo "usage: $0 SEGWARD_BIN [--duration SECONDS] [--skip-callgrind] [--hugepages] [--only a,b,c,d,e,f,g] [--rules PATH] [--scan-bench PATH] [--iterations N]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
if [[ $1 == -h || $1 == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; fi
BIN=$(realpath "$1"); shift
[[ -x $BIN ]] || { echo "$0: $BIN is not executable" >&2; exit 2; }
DURATION=10
CALLGRIND=1
ONLY=a,b,c,d,e,f,g
HUGE=0
RULES=""
SCAN_BENCH=""
ITERATIONS=20000
while [[ $# -gt 0 ]]; do
    case $1 in
        --hugepages) HUGE=1; shift ;;
        --duration) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; DURATION=$2; shift 2 ;;
        --skip-callgrind) CALLGRIND=0; shift ;;
        --only) [[ $# -ge 2 && $2 =~ ^[a-g](,[a-g])*$ ]] || usage; ONLY=$2; shift 2 ;;
        --rules) [[ $# -ge 2 ]] || usage; RULES=$(realpath "$2"); shift 2 ;;
        --scan-bench) [[ $# -ge 2 ]] || usage; SCAN_BENCH=$(realpath "$2"); shift 2 ;;
        --iterations) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; ITERATIONS=$2; shift 2 ;;
        *) usage ;;
    esac
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
ZK=$ROOT/tests/data/zk-cluster.pcap
MESOS=$ROOT/tests/data/mesos-cluster.pcap
ZKFLOOD=$ROOT/tests/data/zk-getdata-flood.pcap
[[ -r $ZK ]] || { echo "$0: missing $ZK" >&2; exit 2; }
[[ -r $MESOS ]] || { echo "$0: missing $MESOS" >&2; exit 2; }
[[ -r $ZKFLOOD ]] || { echo "$0: missing $ZKFLOOD" >&2; exit 2; }
for tool in dpdk-testpmd timeout stdbuf; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 2; }
done
if [[ $CALLGRIND -eq 1 ]]; then
    command -v valgrind >/dev/null || { echo "$0: valgrind not found (or pass --skip-callgrind)" >&2; exit 2; }
fi
wants() { [[ ,$ONLY, == *,$1,* ]]; }
if wants f || wants g; then
    [[ -n $RULES ]] || RULES=$ROOT/signatures/rules
    [[ -e $RULES ]] || { echo "$0: no rule pack at $RULES (pass --rules PATH)" >&2; exit 2; }
    # Refused rules would make every row (f)/(g) run fail: say so before any run.
    RULES_CHECK=$("$BIN" rules check "$RULES" 2>&1) || { echo "$0: $BIN rules check $RULES failed:" >&2; echo "$RULES_CHECK" >&2; exit 2; }
fi
if wants g; then
    [[ -n $SCAN_BENCH ]] || SCAN_BENCH=$(dirname "$BIN")/tests/signature_scan_bench
    [[ -x $SCAN_BENCH ]] || { echo "$0: $SCAN_BENCH not found (build the signature_scan_bench target or pass --scan-bench)" >&2; exit 2; }
fi

SCRIPT_START=$EPOCHREALTIME
TMP=$(mktemp -d /tmp/segward-bench.XXXXXX)
# shellcheck source=jobs.sh
source "$HERE/jobs.sh"   # run_job, stop_child
LISTENER=""  # row (f)'s syslog listener, while it runs
cleanup() {
    if [[ -n $LISTENER ]]; then kill -TERM "$LISTENER" 2>/dev/null || true; wait "$LISTENER" 2>/dev/null || true; fi
    stop_child
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mean_frame_bytes() {  # classic pcap: mean captured length
    "$PY" - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
e = "<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
off, n, total = 24, 0, 0
while off + 16 <= len(d):
    caplen = struct.unpack_from(e + "I", d, off + 8)[0]
    off += 16 + caplen
    n += 1
    total += caplen
print(f"{total / max(n, 1):.1f}")
EOF
}

count_records() { "$PY" "$HERE/pcap_records.py" "$1"; }  # classic pcap, either byte order

calc() { "$PY" -c "import sys; print($1)"; }

# Classic pcap files one after the other in OUT, records as they are (like
# `mergecap -a -F pcap`): the first file's header, then every record.
make_mix() {  # out in...
    "$PY" - "$@" <<'EOF'
import sys
out, ins = sys.argv[1], sys.argv[2:]
hdr = None
with open(out, "wb") as o:
    for p in ins:
        d = open(p, "rb").read()
        if d[:4] not in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d"):
            sys.exit(f"{p}: not a classic pcap file")
        if hdr is None:
            hdr = d[:24]
            o.write(hdr)
        elif d[:4] != hdr[:4] or d[20:24] != hdr[20:24]:
            sys.exit(f"{p}: byte order, time precision or link type differs from {ins[0]}")
        o.write(d[24:])
EOF
}

# The `stats` events in FILE (EVE JSON lines, or syslog lines whose message
# is the EVE JSON), read by one program in two ways (exit 1 if none fits):
#
# last_stats FILE: the last one, "MESSAGES MATCHES ALERTS SUPPRESSED
# SUMMARIES PACKETS MESOS_EVENTS ZK_EVENTS TLS_EVENTS HTTP_REQUESTS
# ZK_REQUESTS PAYLOAD_BYTES". The *_EVENTS are events handed to the outputs
# (a live run drops what the management thread cannot render); the
# *_REQUESTS are the decoders' own counts; PAYLOAD_BYTES the bytes the
# payload rules scanned.
#
# steady_rate FILE: "PPS SECONDS", packets per second between the first
# periodic event and the last one below the final count, i.e. while the
# worker forwarded, without start-up and the stop (segward's `dataplane:`
# line counts from worker launch until the worker has ended every flow and
# session and handed over their events, which waits for the management
# thread); needs two such events.
read_stats() {  # last|steady file
    "$PY" - "$1" "$2" <<'EOF'
import datetime, json, sys
mode, events = sys.argv[1], []
for line in open(sys.argv[2], errors="replace"):
    at = line.find("{")
    if at < 0:
        continue
    try:
        e = json.loads(line[at:])
    except ValueError:
        continue
    if e.get("event_type") == "stats":
        events.append(e)
if not events:
    sys.exit(1)
if mode == "last":
    last = events[-1]["stats"]
    s, l7 = last.get("signatures", {}), last.get("l7", {})
    print(s.get("messages", 0), s.get("matches", 0), s.get("alerts", 0), s.get("alerts_suppressed", 0),
          s.get("alert_summaries", 0), last["decoder"]["pkts"], l7.get("mesos_events", 0),
          l7.get("zookeeper_events", 0), l7.get("tls_events", 0), l7.get("http_requests", 0),
          l7.get("zookeeper", {}).get("requests", 0), s.get("payload_bytes", 0))
    sys.exit(0)
points = [(datetime.datetime.strptime(e["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z").timestamp(),
           e["stats"]["decoder"]["pkts"]) for e in events]
# Only points before the worker stopped receiving: below the final count.
points = [p for p in points if p[1] < points[-1][1]]
if len(points) < 2 or points[-1][0] <= points[0][0]:
    sys.exit(1)
print(f"{(points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0]):.0f} {points[-1][0] - points[0][0]:.2f}")
EOF
}
last_stats() { read_stats last "$1"; }
steady_rate() { read_stats steady "$1"; }

# A UDP listener on 127.0.0.1 that appends every datagram to OUT (row (f)
# sends segward's final stats event there): sets LISTENER and STATS_PORT.
start_listener() {  # out
    local portfile=$TMP/listener.port
    rm -f "$portfile"
    "$PY" - "$portfile" "$1" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(1 << 17) + b"\n")
EOF
    LISTENER=$!
    for _ in $(seq 50); do [[ -s $portfile ]] && break; sleep 0.1; done
    STATS_PORT=$(cat "$portfile" 2>/dev/null || true)
}
stop_listener() {  # out: waits up to 2 s for a stats event in it first
    for _ in $(seq 20); do grep -q '"event_type":"stats"' "$1" 2>/dev/null && break; sleep 0.1; done
    kill -TERM "$LISTENER" 2>/dev/null || true
    wait "$LISTENER" 2>/dev/null || true
    LISTENER=""
}

# Inclusive Ir and calls of functions in a callgrind out file: callgrind_functions.py.
callgrind_functions() { "$PY" "$HERE/callgrind_functions.py" "$@"; }  # out regex...

# Same EAL for both programs: DPDK 22.11 refuses --no-huge with --in-memory.
EAL=(--no-huge --no-shconf --no-pci -l 0-1 -m 512 --no-telemetry)
if [[ $HUGE -eq 1 ]]; then
    free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
    [[ ${free:-0} -ge 300 ]] || { echo "$0: --hugepages needs 300+ free 2 MiB hugepages (have ${free:-0})" >&2; exit 2; }
    EAL=(--in-memory --no-pci -l 0-1 -m 600 --no-telemetry)
fi
# shellcheck source=segward-config.sh
source "$HERE/segward-config.sh"
NULLDEV=$BENCH_NULLDEV

# ---------------------------------------------------------------- sources
SYN=$TMP/synthetic-10k.pcap
SYN_FIXED=$TMP/synthetic-200k.pcap
"$PY" "$HERE/make-synthetic-pcap.py" "$SYN" --flows 10000 >/dev/null
POLICY=$TMP/policy-1000.yaml
"$PY" "$HERE/make-policy.py" "$POLICY" --rules 1000
REPLAY_POLICY_CFG=$TMP/replay-policy.yaml
echo "policy: $POLICY" >"$REPLAY_POLICY_CFG"
[[ $CALLGRIND -eq 0 ]] || "$PY" "$HERE/make-synthetic-pcap.py" "$SYN_FIXED" --flows 10000 --packets 200000 >/dev/null

# ---------------------------------------------------------------- testpmd
# Sets RESULT to "PPS PACKETS SECONDS MEDIAN_PPS SAMPLES" (empty on failure).
testpmd_run() {  # pcap mbufs log
    local pcap=$1 mbufs=$2 log=$3
    TESTPMD_CMD=(dpdk-testpmd "${EAL[@]}" --vdev "net_pcap0,rx_pcap=$pcap,infinite_rx=1" --vdev "$NULLDEV"
                 -- --forward-mode=io --nb-cores=1 --total-num-mbufs="$mbufs" --stats-period 1)
    # Without -i, testpmd starts forwarding at once; with --stats-period it
    # prints statistics every second until SIGINT, then the totals.
    run_job bash -c '
        timeout -s INT -k 10 "$0" stdbuf -oL -eL "$@" </dev/null 2>&1 |
            while IFS= read -r line; do printf "%s %s\n" "$EPOCHREALTIME" "$line"; done
    ' "$DURATION" "${TESTPMD_CMD[@]}" >"$log" || true
    RESULT=$(awk '
        $2 == "No" && /No commandline core given, start packet forwarding/ { t0 = $1 }
        /Telling cores to stop/ { t1 = $1 }
        /Forward statistics for port 0 / { p0 = 1; next }
        p0 && /RX-packets:/ { rx = $3; p0 = 0 }
        /NIC statistics for port 0 / { s0 = 1; next }
        s0 && /Rx-pps:/ { pps[n++] = $3; s0 = 0 }
        END {
            if (t0 == "" || t1 == "" || rx == "" || t1 <= t0) exit 1
            # median of the per-second samples, the first (no interval yet) dropped
            m = 0; k = 0
            for (i = 1; i < n; i++) v[k++] = pps[i]
            if (k > 0) {
                for (i = 0; i < k; i++) for (j = i + 1; j < k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
                m = (k % 2) ? v[(k - 1) / 2] : (v[k / 2 - 1] + v[k / 2]) / 2
            }
            printf "%.0f %d %.3f %.0f %d\n", rx / (t1 - t0), rx, t1 - t0, m, k
        }' "$log") || true
}

# ---------------------------------------------------------------- segward
# Sets RESULT to "PPS PACKETS SECONDS" (empty on failure).
# rules: `signatures: {rules: [rules]}`; stats_port: a stats event every
# second and the final one go to syslog on udp://127.0.0.1:stats_port
# (stats events only; EVE still to /dev/null).
segward_run() {  # pcap mbufs config log [policy] [rules] [stats_port]
    local pcap=$1 mbufs=$2 cfg=$3 log=$4 policy=${5:-} rules=${6:-} stats_port=${7:-}
    {
        segward_config_head "$pcap" "$mbufs"
        if [[ -z $stats_port ]]; then
            echo "outputs: {eve: {path: /dev/null, stats_interval: 0}}"
        else
            echo "outputs:"
            echo "  eve: {path: /dev/null, stats_interval: 1}"
            echo "  syslog: {address: \"udp://127.0.0.1:$stats_port\", events: [stats]}"
        fi
        [[ -z $rules ]] || echo "signatures: {rules: [\"$rules\"]}"
        [[ -z $policy ]] || echo "policy: $policy"
    } >"$cfg"
    SEGWARD_CMD=("$BIN" run --config "$cfg")
    run_job timeout -s INT -k 10 "$DURATION" "${SEGWARD_CMD[@]}" </dev/null >"$log" 2>&1 || true
    # dataplane: <packets> packets in <seconds> s (<pps> packets/s)
    RESULT=$(awk '$1 == "dataplane:" && $3 == "packets" && $4 == "in" && $6 == "s" {
             if ($5 > 0) printf "%.0f %d %s\n", $2 / $5, $2, $5; found = 1 }
         END { if (!found) exit 1 }' "$log") || true
}

# ---------------------------------------------------------------- callgrind
# Sets RESULT to Ir per packet (empty on failure).
ir_per_packet() {  # pcap toggle-pattern packets out log [config] [rules]
    local pcap=$1 pattern=$2 packets=$3 out=$4 log=$5 config=${6:-} rules=${7:-}
    # Without a config, replay would judge by the built-in baseline policy
    # and run the built-in rule pack: rows (a)-(d) measure the dataplane
    # without any policy or signature rules, (f) with the rules of `rules`.
    local with_config=(--no-policy --no-rules)
    [[ -z $rules ]] || with_config=(--no-policy --rules "$rules")
    [[ -z $config ]] || with_config=(--config "$config")
    CALLGRIND_CMD=(valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no
                   "--toggle-collect=$pattern" "$BIN" replay -q "${with_config[@]}" --eve /dev/null "$pcap")
    run_job timeout -k 10 900 "${CALLGRIND_CMD[@]}" </dev/null >"$log" 2>&1 || true
    local ir
    RESULT=""
    ir=$(awk '$1 == "totals:" { print $2 }' "$out" 2>/dev/null || true)
    # Ir 0 means the pattern matched no function: the toggle never fired.
    if [[ -n $ir && $ir -gt 0 ]]; then RESULT=$(calc "f'{$ir / $packets:.0f}'"); fi
}

fail() {  # what log
    echo "FAILED: $1; last lines of its output:" >&2
    tail -n 15 "$2" | sed 's/^/    /' >&2
}

# testpmd on one source, its line printed: sets t_pps (empty on failure),
# t_pkts, t_secs, t_med, t_samples; a failure sets status.
testpmd_step() {  # pcap mbufs name
    testpmd_run "$1" "$2" "$TMP/testpmd-$3.log"
    read -r t_pps t_pkts t_secs t_med t_samples <<<"$RESULT" || true
    if [[ -z ${t_pps:-} ]]; then fail "testpmd on $3" "$TMP/testpmd-$3.log"; t_pps=""; status=1; fi
    echo "testpmd: ${t_pps:-n/a} packets/s (${t_pkts:-?} packets in ${t_secs:-?} s; cross-check: median of its ${t_samples:-?} periodic Rx-pps samples ${t_med:-?})"
}

CPU=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
DPDK_VER=$(pkg-config --modversion libdpdk 2>/dev/null || dpkg-query -W -f='${Version}' dpdk 2>/dev/null || echo "?")
SEG_VER=$("$BIN" --version 2>/dev/null || echo "segward ?")
echo "machine: $(nproc) cores (nproc), CPU: $CPU; kernel $(uname -r)"
echo "software: $SEG_VER, DPDK $DPDK_VER$([[ $CALLGRIND -eq 0 ]] || echo ", $(valgrind --version)")"
echo "duration: $DURATION s per rate run; temp dir $TMP (removed on exit)"
echo

LOOP_PAT='segward::dataplane::Worker::run*'
BURST_PAT='*Worker::process_burst*'
rows=()
status=0
for src in synthetic zk mesos zkflood policy; do
    row=$(case $src in synthetic) echo a;; zk) echo b;; mesos) echo c;; zkflood) echo d;; policy) echo e;; esac)
    [[ ,$ONLY, == *,$row,* ]] || continue
    policy=""; replay_cfg=""
    if [[ $src == policy ]]; then
        f=$SYN; fixed=$SYN_FIXED; policy=$POLICY; replay_cfg=$REPLAY_POLICY_CFG
        label="(e) synthetic through a 1,000-rule allowlist (the last rule allows it)"
    elif [[ $src == synthetic ]]; then
        f=$SYN; fixed=$SYN_FIXED
        label="(a) synthetic: 64-byte TCP ACKs, 10,000 flows"
    elif [[ $src == zk ]]; then
        f=$ZK; fixed=$ZK
        label="(b) zk-cluster.pcap: real ZooKeeper traffic"
    elif [[ $src == mesos ]]; then
        f=$MESOS; fixed=$MESOS
        label="(c) mesos-cluster.pcap: real libprocess/HTTP traffic, L7 decoding on"
    else
        f=$ZKFLOOD; fixed=$ZKFLOOD
        label="(d) zk-getdata-flood.pcap: zk getData flood, 10,000 pipelined requests on one session"
    fi
    frame_bytes=$(mean_frame_bytes "$f")
    n_file=$(count_records "$f")
    # net_pcap's infinite_rx copies the whole file into mbufs at start; the
    # forwarding path needs more on top.
    mbufs=$((n_file + 16384))

    echo "== $label ($n_file packets in the rate file, $mbufs mbufs)"
    testpmd_step "$f" "$mbufs" "$src"
    [[ $src == synthetic ]] && TESTPMD_SHOWN=("${TESTPMD_CMD[@]}")

    segward_run "$f" "$mbufs" "$TMP/segward-$src.yaml" "$TMP/segward-$src.log" "$policy"
    read -r s_pps s_pkts s_secs <<<"$RESULT" || true
    if [[ -z ${s_pps:-} ]]; then fail "segward run on $src" "$TMP/segward-$src.log"; s_pps=""; status=1; fi
    echo "segward: ${s_pps:-n/a} packets/s (${s_pkts:-?} packets in ${s_secs:-?} s)"
    if [[ $src == synthetic ]]; then SEGWARD_SHOWN=("${SEGWARD_CMD[@]}"); SEGWARD_YAML=$(cat "$TMP/segward-$src.yaml"); fi

    ratio="n/a"
    if [[ -n $t_pps && -n $s_pps && $t_pps -gt 0 ]]; then ratio=$(calc "f'{$s_pps / $t_pps:.3f}'"); fi
    echo "ratio segward/testpmd: $ratio"
    t_gbps="n/a"; s_gbps="n/a"
    [[ -z $t_pps ]] || t_gbps=$(calc "f'{$t_pps * $frame_bytes * 8 / 1e9:.2f}'")
    [[ -z $s_pps ]] || s_gbps=$(calc "f'{$s_pps * $frame_bytes * 8 / 1e9:.2f}'")
    echo "Gbit/s of frames (mean $frame_bytes bytes): testpmd $t_gbps, segward $s_gbps"

    loop="-"; burst="-"
    if [[ $CALLGRIND -eq 1 ]]; then
        n_fixed=$(count_records "$fixed")
        ir_per_packet "$fixed" "$LOOP_PAT" "$n_fixed" "$TMP/cg-loop-$src.out" "$TMP/cg-loop-$src.log" "$replay_cfg"; loop=$RESULT
        if [[ -z $loop ]]; then fail "callgrind ($LOOP_PAT) on $src" "$TMP/cg-loop-$src.log"; loop="n/a"; status=1; fi
        [[ $src == synthetic ]] && CALLGRIND_SHOWN=("${CALLGRIND_CMD[@]}")
        ir_per_packet "$fixed" "$BURST_PAT" "$n_fixed" "$TMP/cg-burst-$src.out" "$TMP/cg-burst-$src.log" "$replay_cfg"; burst=$RESULT
        if [[ -z $burst ]]; then fail "callgrind ($BURST_PAT) on $src" "$TMP/cg-burst-$src.log"; burst="n/a"; status=1; fi
        echo "Ir/packet over $n_fixed replayed packets: worker loop $loop, process_burst $burst"
    fi
    rows+=("| $label | ${t_pps:-n/a} ($t_gbps Gbit/s) | ${s_pps:-n/a} ($s_gbps Gbit/s) | $ratio | $loop | $burst |")
    echo
done

# ---------------------------------------------------------------- (f), (g): signatures
HS_VARIANT_RE='^[a-z0-9]+_hs_scan$'   # the fat runtime's variant (avx2_hs_scan, ...): hs_scan itself is its resolver
HS_PLAIN_RE='^hs_scan$'
ENGINE_RE='^segward::dataplane::L7Engine::(judge_mesos|inspect_zookeeper|inspect_tls)\('
# evaluate itself, not its nested Scan::text / Scan::number (they run inside it)
EVALUATE_RE='^segward::signatures::RuleSet::evaluate\(.*\) const$'
EMIT_RE='^void segward::dataplane::WorkerPolicy::emit<'   # an alert into the ring (or a summary)
PAYLOAD_RE='^segward::dataplane::L7Engine::(scan_payload|end_payload)\('   # payload rules: stream scans of reassembled bytes
HS_STREAM_RE='^([a-z0-9]+_)?hs_[a-z_]*_stream$'
BARE_RE='bare_scan_loop\('
g_rows=()
if wants f || wants g; then
    MIX=$TMP/mesos-zk-mix.pcap
    make_mix "$MIX" "$MESOS" "$ZK"
    n_mix=$(count_records "$MIX")
    echo "== signature rows: rule pack $RULES ($(echo "$RULES_CHECK" | tail -n 1))"
    echo "mix: mesos-cluster.pcap then zk-cluster.pcap, $n_mix packets"
    # One finite pass with the pack: what a pass of the file gives the rules.
    pass_msgs=""
    if "$BIN" replay -q --no-policy --rules "$RULES" --eve "$TMP/mix-replay-eve.json" "$MIX" >"$TMP/mix-replay.log" 2>&1 &&
       read -r pass_msgs pass_matches pass_alerts _ _ pass_pkts pass_mesos pass_zk pass_tls pass_http pass_zkreq pass_payload < <(last_stats "$TMP/mix-replay-eve.json"); then
        echo "one replay of the mix (segward replay --no-policy --rules PACK): $pass_pkts packets, $pass_http HTTP requests," \
             "$pass_zkreq ZooKeeper requests; $pass_mesos Mesos, $pass_zk ZooKeeper and $pass_tls TLS events;" \
             "$pass_msgs messages inspected by the rules, $pass_payload bytes scanned by the payload rules, $pass_matches matches, $pass_alerts alerts"
    else
        fail "segward replay of the mix with the pack" "$TMP/mix-replay.log"; status=1
    fi
    echo
fi

if wants f; then
    frame_bytes=$(mean_frame_bytes "$MIX")
    mbufs=$((n_mix + 16384))
    echo "== (f) Mesos/ZooKeeper mix ($n_mix packets in the rate file, $mbufs mbufs), full rule pack and without rules"
    testpmd_step "$MIX" "$mbufs" mix
    t_gbps="n/a"
    [[ -z $t_pps ]] || t_gbps=$(calc "f'{$t_pps * $frame_bytes * 8 / 1e9:.2f}'")
    declare -A f_pps=() f_line=() f_steady=()
    for variant in rules none; do
        rules_arg=""; [[ $variant == none ]] || rules_arg=$RULES
        stats_out=$TMP/stats-mix-$variant.log
        : >"$stats_out"
        start_listener "$stats_out"
        [[ -n $STATS_PORT ]] || { echo "FAILED: no UDP listener for the stats event" >&2; status=1; }
        segward_run "$MIX" "$mbufs" "$TMP/segward-mix-$variant.yaml" "$TMP/segward-mix-$variant.log" "" "$rules_arg" "$STATS_PORT"
        stop_listener "$stats_out"
        read -r s_pps s_pkts s_secs <<<"$RESULT" || true
        if [[ -z ${s_pps:-} ]]; then fail "segward run on the mix ($variant)" "$TMP/segward-mix-$variant.log"; s_pps=""; status=1; fi
        f_pps[$variant]=$s_pps
        read -r st_pps st_secs < <(steady_rate "$stats_out") || { st_pps=""; st_secs=""; }
        f_steady[$variant]=$st_pps
        [[ $variant == rules ]] && { SEGWARD_MIX_SHOWN=("${SEGWARD_CMD[@]}"); SEGWARD_MIX_YAML=$(cat "$TMP/segward-mix-$variant.yaml"); }
        per_pass="n/a"
        if read -r m_msgs m_matches m_alerts m_supp m_summ m_pkts _ _ _ m_http m_zkreq _ < <(last_stats "$stats_out") && [[ $m_pkts -gt 0 ]]; then
            passes=$(calc "f'{$m_pkts / $n_mix:.1f}'")
            per_pass=$(calc "f'{$m_msgs * $n_mix / $m_pkts:.1f}'")
            echo "segward ($([[ $variant == rules ]] && echo "rule pack" || echo "no rules")): ${s_pps:-n/a} packets/s (${s_pkts:-?} packets in ${s_secs:-?} s;" \
                 "steady ${st_pps:-n/a} packets/s over ${st_secs:-?} s of periodic stats);" \
                 "final stats: $passes passes of the file; per pass $(calc "f'{$m_http * $n_mix / $m_pkts:.1f}'") HTTP and" \
                 "$(calc "f'{$m_zkreq * $n_mix / $m_pkts:.1f}'") ZooKeeper requests decoded (one replay: ${pass_http:-?}, ${pass_zkreq:-?})," \
                 "messages inspected per pass $per_pass (one replay: ${pass_msgs:-?}), $m_matches matches, $m_alerts alerts" \
                 "($m_supp folded into $m_summ summaries: the alert ring was full)"
        else
            echo "segward ($variant): ${s_pps:-n/a} packets/s (${s_pkts:-?} packets in ${s_secs:-?} s); no final stats event received"
            [[ $variant == none ]] || status=1
        fi
        f_line[$variant]=$per_pass
    done
    loop_r="-"; burst_r="-"; loop_n="-"; burst_n="-"
    if [[ $CALLGRIND -eq 1 ]]; then
        ir_per_packet "$MIX" "$LOOP_PAT" "$n_mix" "$TMP/cg-loop-mix-rules.out" "$TMP/cg-loop-mix-rules.log" "" "$RULES"; loop_r=${RESULT:-n/a}
        CALLGRIND_MIX_SHOWN=("${CALLGRIND_CMD[@]}")
        ir_per_packet "$MIX" "$BURST_PAT" "$n_mix" "$TMP/cg-burst-mix-rules.out" "$TMP/cg-burst-mix-rules.log" "" "$RULES"; burst_r=${RESULT:-n/a}
        ir_per_packet "$MIX" "$LOOP_PAT" "$n_mix" "$TMP/cg-loop-mix-none.out" "$TMP/cg-loop-mix-none.log"; loop_n=${RESULT:-n/a}
        ir_per_packet "$MIX" "$BURST_PAT" "$n_mix" "$TMP/cg-burst-mix-none.out" "$TMP/cg-burst-mix-none.log"; burst_n=${RESULT:-n/a}
        for v in "$loop_r" "$burst_r" "$loop_n" "$burst_n"; do [[ $v != n/a ]] || { echo "FAILED: a callgrind run on the mix (logs in the temp dir)" >&2; status=1; }; done
        echo "Ir/packet over the $n_mix replayed packets: with the pack worker loop $loop_r, process_burst $burst_r;" \
             "without rules $loop_n, $burst_n"
        if [[ $burst_r != n/a && $burst_n != n/a && -n $pass_msgs && $pass_msgs -gt 0 ]]; then
            b_r=$(awk '$1 == "totals:" { print $2 }' "$TMP/cg-burst-mix-rules.out"); b_n=$(awk '$1 == "totals:" { print $2 }' "$TMP/cg-burst-mix-none.out")
            echo "the pack's cost in process_burst: $(calc "f'{($b_r - $b_n) / $n_mix:.0f}'") Ir/packet" \
                 "($(calc "f'{($b_r - $b_n) / 1e3:.0f}'") kIr per pass: field rules on $pass_msgs messages, payload patterns on ${pass_payload:-?} bytes; (g) splits it)"
        fi
    fi
    for variant in rules none; do
        s_pps=${f_pps[$variant]}; st_pps=${f_steady[$variant]}
        ratio="n/a"; st_ratio="n/a"; s_gbps="n/a"
        if [[ -n $t_pps && $t_pps -gt 0 ]]; then
            [[ -z $s_pps ]] || ratio=$(calc "f'{$s_pps / $t_pps:.3f}'")
            [[ -z $st_pps ]] || st_ratio=$(calc "f'{$st_pps / $t_pps:.3f}'")
        fi
        [[ -z $s_pps ]] || s_gbps=$(calc "f'{$s_pps * $frame_bytes * 8 / 1e9:.2f}'")
        echo "ratio segward/testpmd ($variant): $ratio (steady: $st_ratio)"
        if [[ $variant == rules ]]; then
            rows+=("| (f) Mesos/ZooKeeper mix, full rule pack (${f_line[rules]} messages inspected per pass) | ${t_pps:-n/a} ($t_gbps Gbit/s) | ${s_pps:-n/a} ($s_gbps Gbit/s); steady ${st_pps:-n/a} | $ratio (steady $st_ratio) | $loop_r | $burst_r |")
        else
            rows+=("| (f) the same mix, no rules | (same run) | ${s_pps:-n/a} ($s_gbps Gbit/s); steady ${st_pps:-n/a} | $ratio (steady $st_ratio) | $loop_n | $burst_n |")
        fi
    done
    if [[ -n ${f_pps[rules]} && -n ${f_pps[none]} ]]; then
        pack_steady="n/a"
        [[ -z ${f_steady[rules]} || -z ${f_steady[none]} ]] || pack_steady=$(calc "f'{${f_steady[rules]} / ${f_steady[none]}:.3f}'")
        echo "segward with the pack / without: $(calc "f'{${f_pps[rules]} / ${f_pps[none]}:.3f}'") (steady: $pack_steady)"
    fi
    echo
fi

if wants g; then
    echo "== (g) Hyperscan inside segward vs a bare hs_scan loop on the same field values (mix, rule pack)"
    if [[ $CALLGRIND -eq 1 ]]; then
        G_SEG_CMD=(valgrind --tool=callgrind --callgrind-out-file="$TMP/cg-g-segward.out"
                   "$BIN" replay -q --no-policy --rules "$RULES" --eve "$TMP/g-eve.json" "$MIX")
        run_job timeout -k 10 900 "${G_SEG_CMD[@]}" </dev/null >"$TMP/cg-g-segward.log" 2>&1 || { fail "callgrind on segward replay" "$TMP/cg-g-segward.log"; status=1; }
        G_BARE_CMD=(valgrind --tool=callgrind --callgrind-out-file="$TMP/cg-g-bare.out" --collect-atstart=no
                    "--toggle-collect=*bare_scan_loop*" "$SCAN_BENCH" --iterations 1 --rules "$RULES" "$MIX")
        run_job timeout -k 10 900 "${G_BARE_CMD[@]}" </dev/null >"$TMP/cg-g-bare.log" 2>&1 || { fail "callgrind on signature_scan_bench" "$TMP/cg-g-bare.log"; status=1; }
        seg_msgs=""; bare_msgs=""
        read -r seg_msgs _ _ _ _ _ _ _ _ _ _ seg_payload <<<"$(last_stats "$TMP/g-eve.json" 2>/dev/null)" || true
        bare_msgs=$(awk '$1 == "messages:" { print $2 }' "$TMP/cg-g-bare.log")
        { read -r sv_ir sv_calls sv_name; read -r sp_ir sp_calls _; read -r ev_ir ev_calls _; read -r en_ir en_calls en_names
          read -r em_ir em_calls _; read -r pl_ir pl_calls _; read -r hst_ir hst_calls _; } \
            < <(callgrind_functions "$TMP/cg-g-segward.out" "$HS_VARIANT_RE" "$HS_PLAIN_RE" "$EVALUATE_RE" "$ENGINE_RE" "$EMIT_RE" \
                "$PAYLOAD_RE" "$HS_STREAM_RE" 2>/dev/null || true) || true
        { read -r bv_ir bv_calls bv_name; read -r bp_ir bp_calls _; read -r bl_ir _ _; } \
            < <(callgrind_functions "$TMP/cg-g-bare.out" "$HS_VARIANT_RE" "$HS_PLAIN_RE" "$BARE_RE" 2>/dev/null || true) || true
        # Without a fat runtime there is no variant: hs_scan is the function itself.
        if [[ ${sv_ir:-0} -eq 0 ]]; then sv_ir=${sp_ir:-0}; sv_calls=${sp_calls:-0}; sv_name=hs_scan; fi
        if [[ ${bv_ir:-0} -eq 0 ]]; then bv_ir=${bp_ir:-0}; bv_calls=${bp_calls:-0}; bv_name=hs_scan; fi
        if [[ -n $seg_msgs && $seg_msgs -gt 0 && -n $bare_msgs && $bare_msgs -gt 0 && $sv_ir -gt 0 && $bv_ir -gt 0 ]]; then
            [[ $seg_msgs == "$bare_msgs" ]] || echo "WARNING: segward inspected $seg_msgs messages, the bare program collected $bare_msgs"
            seg_hs=$(calc "f'{$sv_ir / $seg_msgs:.0f}'"); bare_hs=$(calc "f'{$bv_ir / $bare_msgs:.0f}'")
            hs_ratio=$(calc "f'{$sv_ir / $seg_msgs / ($bv_ir / $bare_msgs):.2f}'")
            seg_call=$(calc "f'{$sv_ir / max($sv_calls, 1):.0f}'"); bare_call=$(calc "f'{$bv_ir / max($bv_calls, 1):.0f}'")
            call_ratio=$(calc "f'{($sv_ir / max($sv_calls, 1)) / ($bv_ir / max($bv_calls, 1)):.2f}'")
            ev=$(calc "f'{${ev_ir:-0} / $seg_msgs:.0f}'"); en=$(calc "f'{${en_ir:-0} / $seg_msgs:.0f}'")
            beyond=$(calc "f'{(${en_ir:-0} - $sv_ir) / $seg_msgs:.0f}'")
            echo "Hyperscan's scan function under valgrind: $sv_name (segward), $bv_name (bare); natively the fat runtime picks by CPU"
            echo "segward: $seg_msgs messages, $sv_calls hs_scan calls ($(calc "f'{$sv_calls / $seg_msgs:.2f}'")/message), hs_scan inclusive $sv_ir Ir = $seg_hs Ir/message ($seg_call Ir/call)"
            echo "bare:    $bare_msgs messages, $bv_calls hs_scan calls ($(calc "f'{$bv_calls / $bare_msgs:.2f}'")/message), hs_scan inclusive $bv_ir Ir = $bare_hs Ir/message ($bare_call Ir/call); the whole bare loop $(calc "f'{${bl_ir:-0} / $bare_msgs:.0f}'") Ir/message"
            echo "ratio segward/bare hs_scan Ir: $hs_ratio per message, $call_ratio per call"
            echo "segward per message: RuleSet::evaluate $ev Ir (field reads, scans, condition bits; $ev_calls calls)," \
                 "inspection entry points $en Ir ($en_calls calls: $(echo "$en_names" | tr '|' '\n' | sed 's/(.*//; s/.*:://' | paste -sd, -)): $beyond Ir beyond hs_scan"
            echo "  of which: RuleSet::evaluate minus hs_scan $(calc "f'{(${ev_ir:-0} - $sv_ir) / $seg_msgs:.0f}'") Ir (reading the fields, condition bits)," \
                 "alert emission (WorkerPolicy::emit, ${em_calls:-0} alerts) $(calc "f'{${em_ir:-0} / $seg_msgs:.0f}'") Ir," \
                 "the rest (rule loop, thresholds, entry) $(calc "f'{(${en_ir:-0} - ${ev_ir:-0} - ${em_ir:-0}) / $seg_msgs:.0f}'") Ir"
            [[ ${en_ir:-0} -gt 0 ]] || { echo "WARNING: no inspection entry point matched $ENGINE_RE"; status=1; }
            pl_byte="n/a"; hst_byte="n/a"
            if [[ ${seg_payload:-0} -gt 0 ]]; then
                pl_byte=$(calc "f'{${pl_ir:-0} / $seg_payload:.2f}'"); hst_byte=$(calc "f'{${hst_ir:-0} / $seg_payload:.2f}'")
            fi
            echo "payload rules: ${seg_payload:-0} bytes scanned in stream mode; scan_payload + end_payload ${pl_ir:-0} Ir ($pl_byte Ir/byte," \
                 "$(calc "f'{${pl_ir:-0} / $seg_msgs:.0f}'") per inspected message), of which Hyperscan's stream calls ${hst_ir:-0} Ir ($hst_byte Ir/byte, ${hst_calls:-0} calls)"
            echo "the pack per pass of the mix: field rules $(calc "f'{${en_ir:-0} / 1e3:.0f}'") kIr + payload rules $(calc "f'{${pl_ir:-0} / 1e3:.0f}'") kIr" \
                 "= $(calc "f'{(${en_ir:-0} + ${pl_ir:-0}) / $n_mix:.0f}'") Ir/packet"
        else
            echo "FAILED: no hs_scan figures (messages: segward ${seg_msgs:-?}, bare ${bare_msgs:-?}; Ir ${sv_ir:-?} / ${bv_ir:-?})" >&2
            seg_hs="n/a"; bare_hs="n/a"; hs_ratio="n/a"; seg_call="n/a"; bare_call="n/a"; call_ratio="n/a"; ev="n/a"; en="n/a"; beyond="n/a"
            status=1
        fi
    fi
    # The bare loop natively, many passes: ns per message.
    bare_ns="n/a"
    G_NATIVE_CMD=("$SCAN_BENCH" --iterations "$ITERATIONS" --rules "$RULES" "$MIX")
    if run_job timeout -k 10 600 "${G_NATIVE_CMD[@]}" </dev/null >"$TMP/g-native.log" 2>&1; then
        grep -v '^EAL:\|^segward: notice' "$TMP/g-native.log" | sed 's/^/bare program: /'
        bare_ns=$(awk '$1 == "bare" && $2 == "hs_scan" { for (i = 1; i <= NF; i++) if ($i ~ /^ns\/message/) print $(i - 1) }' "$TMP/g-native.log")
    else
        fail "signature_scan_bench" "$TMP/g-native.log"; status=1
    fi
    if [[ $CALLGRIND -eq 1 ]]; then
        g_rows+=("| $seg_hs ($seg_call/call) | $bare_hs ($bare_call/call) | **$hs_ratio** ($call_ratio/call) | $ev | $en | $beyond | ${pl_byte:-n/a} | ${bare_ns:-n/a} |")
    else
        g_rows+=("| - | - | - | - | - | - | - | ${bare_ns:-n/a} |")
    fi
    echo
fi

show() {  # a command line to paste: quote only the arguments that need it
    local a out=""
    for a in "$@"; do
        a=${a//"$TMP/"/}
        if [[ $a =~ ^[A-Za-z0-9_./,=:@%+-]+$ ]]; then out+=" $a"; else out+=" '$a'"; fi
    done
    echo "${out# }"
}
elapsed=$(calc "f'{$EPOCHREALTIME - $SCRIPT_START:.0f}'")

echo "### Results ($(date -u +%Y-%m-%d), ${DURATION} s per rate run)"
echo
echo "Machine: $(nproc) cores (nproc), $CPU. $SEG_VER, DPDK $DPDK_VER."
echo
echo "| source | testpmd io (packets/s) | segward inline (packets/s) | segward/testpmd | Ir/packet, worker loop | Ir/packet, process_burst |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
if [[ ${#g_rows[@]} -gt 0 ]]; then
    echo "(g) Hyperscan in segward vs alone, the mix with the pack, per inspected message (callgrind; last column native):"
    echo
    echo "| segward hs_scan Ir/message | bare hs_scan Ir/message | segward/bare | RuleSet::evaluate Ir/message | inspection Ir/message | beyond hs_scan | payload rules Ir/byte | bare loop ns/message (native) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${g_rows[@]}"
    echo
fi
echo "Packets/s: packets received from the pcap port / forwarding time (start to stop), for both programs:"
echo "segward from its \`dataplane:\` line, testpmd from its port 0 RX-packets total and the time between its"
echo "forwarding start and \"Telling cores to stop\". Both: \`net_pcap0,rx_pcap=F,infinite_rx=1\` -> \`$NULLDEV\`,"
echo "one forwarding core, mbufs = packets in F + 16384 (infinite_rx preloads the file into mbufs)."
if wants f; then
    echo "(f) 'steady': packets/s between segward's periodic stats events while its worker forwarded (the"
    echo "\`dataplane:\` time also holds the stop, when the worker hands its last events over); (f) Ir/packet: the mix"
    echo "replayed once ($n_mix packets) with \`--rules PACK\` / \`--no-rules\`."
fi
if [[ $CALLGRIND -eq 1 ]]; then
    echo "Ir/packet: callgrind total Ir / packets in the replayed file (synthetic: exactly 200,000 packets over"
    echo "10,000 flows; zk, mesos, zk getData flood: the bundled captures, $(count_records "$ZK"), $(count_records "$MESOS")"
    echo "and $(count_records "$ZKFLOOD") packets), collecting only inside"
    echo "\`$LOOP_PAT\` (all the worker does: net_pcap RX, decode, flows, forwarding, final flush) or"
    echo "\`$BURST_PAT\` (per-packet work without the driver)."
fi
echo
echo "Commands (synthetic source shown; the other sources differ only in the file and mbuf count; F.pcap etc. were in a temp dir):"
echo
echo '```sh'
echo "$(show "$HERE/make-synthetic-pcap.py" synthetic-10k.pcap --flows 10000)"
[[ $CALLGRIND -eq 0 ]] || echo "$(show "$HERE/make-synthetic-pcap.py" synthetic-200k.pcap --flows 10000 --packets 200000)"
echo "$(show "$HERE/make-policy.py" policy-1000.yaml --rules 1000)   # row (e): segward's config gets 'policy: policy-1000.yaml'"
[[ -z ${TESTPMD_SHOWN+x} ]] || echo "timeout -s INT $DURATION $(show "${TESTPMD_SHOWN[@]}") </dev/null"
[[ -z ${SEGWARD_SHOWN+x} ]] || echo "timeout -s INT $DURATION $(show "${SEGWARD_SHOWN[@]}")"
if [[ -n ${CALLGRIND_SHOWN+x} ]]; then
    echo "$(show "${CALLGRIND_SHOWN[@]}")"
    echo "# and the same with --toggle-collect='$BURST_PAT'; Ir from the 'totals:' line of the out file"
fi
if wants f || wants g; then
    echo "# rows (f), (g): the mix (mesos-cluster.pcap, then zk-cluster.pcap, records appended) and the rule pack"
    echo "mergecap -a -F pcap -w mesos-zk-mix.pcap $(show "$MESOS" "$ZK")   # what make_mix does, in python"
    echo "$(show "$BIN" rules check "$RULES")"
fi
[[ -z ${SEGWARD_MIX_SHOWN+x} ]] || echo "timeout -s INT $DURATION $(show "${SEGWARD_MIX_SHOWN[@]}")   # and segward-mix-none.yaml: no signatures"
[[ -z ${CALLGRIND_MIX_SHOWN+x} ]] || echo "$(show "${CALLGRIND_MIX_SHOWN[@]}")   # and --no-rules"
[[ -z ${G_SEG_CMD+x} ]] || echo "$(show "${G_SEG_CMD[@]}")"
[[ -z ${G_BARE_CMD+x} ]] || echo "$(show "${G_BARE_CMD[@]}")"
[[ -z ${G_NATIVE_CMD+x} ]] || echo "$(show "${G_NATIVE_CMD[@]}")"
if [[ -n ${G_SEG_CMD+x} ]]; then
    echo "# (g) inclusive Ir from the out files: '$HS_VARIANT_RE' (hs_scan if none), '$EVALUATE_RE', '$ENGINE_RE', '$EMIT_RE'," \
         "'$PAYLOAD_RE', '$HS_STREAM_RE'"
fi
echo '```'
if [[ -n ${SEGWARD_MIX_YAML:-} ]]; then
    echo
    echo "segward-mix-rules.yaml:"
    echo
    echo '```yaml'
    echo "$SEGWARD_MIX_YAML" | sed "s|$TMP/||g"
    echo '```'
fi
if [[ -n ${SEGWARD_YAML:-} ]]; then
    echo
    echo "segward-synthetic.yaml:"
    echo
    echo '```yaml'
    echo "$SEGWARD_YAML" | sed "s|$TMP/||g"
    echo '```'
fi
echo
echo "bench.sh took ${elapsed} s."
exit "$status"
