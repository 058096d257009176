#!/usr/bin/env bash
# segward against the machine's I/O ceiling, in one run, on the same sources:
#
#   dpdk-testpmd io forwarding  vs  segward inline (flow tracking on),
#   both: net_pcap0,rx_pcap=F,infinite_rx=1 -> net_null0,no-rx=1, one
#   forwarding core, the same EAL arguments, the same mbuf count;
#
# then, unless --skip-callgrind, instructions per packet from callgrind on a
# fixed `segward replay` of each source.
#
#   bench.sh SEGWARD_BIN [--duration SECONDS (default 10)] [--skip-callgrind] [--hugepages]
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
# per packet. --only picks rows (e.g. --only a,e).
# Each row also gives Gbit/s of frame bytes (captured length).
#
# Packets/s, one principle for both programs: packets the program received
# from the pcap port divided by the time its forwarding core ran, from
# forwarding start to stop.
#   segward: its own `dataplane: P packets in S s` line (worker launch to stop).
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

usage() { echo "usage: $0 SEGWARD_BIN [--duration SECONDS] [--skip-callgrind] [--hugepages] [--only a,b,c,d,e]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
if [[ $1 == -h || $1 == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; fi
BIN=$(realpath "$1"); shift
[[ -x $BIN ]] || { echo "$0: $BIN is not executable" >&2; exit 2; }
DURATION=10
CALLGRIND=1
ONLY=a,b,c,d,e
HUGE=0
while [[ $# -gt 0 ]]; do
    case $1 in
        --hugepages) HUGE=1; shift ;;
        --duration) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ ]] || usage; DURATION=$2; shift 2 ;;
        --skip-callgrind) CALLGRIND=0; shift ;;
        --only) [[ $# -ge 2 && $2 =~ ^[a-e](,[a-e])*$ ]] || usage; ONLY=$2; shift 2 ;;
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

SCRIPT_START=$EPOCHREALTIME
TMP=$(mktemp -d /tmp/segward-bench.XXXXXX)
CHILD=""   # the background job being waited for, if any
cleanup() {
    if [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null; then
        # The job is a subshell around `timeout ...`: signal its children by
        # parent id (timeout passes TERM on), then the subshell itself.
        pkill -TERM -P "$CHILD" 2>/dev/null || true
        kill -TERM "$CHILD" 2>/dev/null || true
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.5; done
        pkill -KILL -P "$CHILD" 2>/dev/null || true
        kill -KILL "$CHILD" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run "$@" as a background job and wait for it, so that a signal to this
# script is handled at once and cleanup() can stop the job.
run_job() {
    "$@" &
    CHILD=$!
    local rc=0
    wait "$CHILD" || rc=$?
    CHILD=""
    return "$rc"
}

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

count_records() {  # classic pcap, either byte order
    "$PY" - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic = d[:4]
if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
    e = "<"
elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
    e = ">"
else:
    sys.exit(f"{sys.argv[1]}: not a classic pcap file")
off, n = 24, 0
while off + 16 <= len(d):
    off += 16 + struct.unpack_from(e + "I", d, off + 8)[0]
    n += 1
print(n)
EOF
}

calc() { "$PY" -c "import sys; print($1)"; }

# Same EAL for both programs: DPDK 22.11 refuses --no-huge with --in-memory.
EAL=(--no-huge --no-shconf --no-pci -l 0-1 -m 512 --no-telemetry)
if [[ $HUGE -eq 1 ]]; then
    free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
    [[ ${free:-0} -ge 300 ]] || { echo "$0: --hugepages needs 300+ free 2 MiB hugepages (have ${free:-0})" >&2; exit 2; }
    EAL=(--in-memory --no-pci -l 0-1 -m 600 --no-telemetry)
fi
NULLDEV="net_null0,no-rx=1"

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
segward_run() {  # pcap mbufs config log [policy]
    local pcap=$1 mbufs=$2 cfg=$3 log=$4 policy=${5:-}
    {
        printf 'eal: {args: ['
        local first=1 a
        for a in "${EAL[@]}"; do
            [[ $first -eq 1 ]] || printf ', '
            printf '"%s"' "$a"; first=0
        done
        printf ']}\n'
        cat <<YAML
dataplane:
  mode: inline
  workers: 1
  mbufs: $mbufs
  ports:
    - {name: a, device: "net_pcap0,rx_pcap=$pcap,infinite_rx=1"}
    - {name: b, device: "$NULLDEV"}
outputs: {eve: {path: /dev/null, stats_interval: 0}}
YAML
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
ir_per_packet() {  # pcap toggle-pattern packets out log [config]
    local pcap=$1 pattern=$2 packets=$3 out=$4 log=$5 config=${6:-}
    # Without a config, replay would judge by the built-in baseline policy:
    # rows (a)-(d) measure the dataplane without any policy.
    local with_config=(--no-policy)
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
    testpmd_run "$f" "$mbufs" "$TMP/testpmd-$src.log"
    read -r t_pps t_pkts t_secs t_med t_samples <<<"$RESULT" || true
    if [[ -z ${t_pps:-} ]]; then fail "testpmd on $src" "$TMP/testpmd-$src.log"; t_pps=""; status=1; fi
    echo "testpmd: ${t_pps:-n/a} packets/s (${t_pkts:-?} packets in ${t_secs:-?} s; cross-check: median of its ${t_samples:-?} periodic Rx-pps samples ${t_med:-?})"
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
echo "Packets/s: packets received from the pcap port / forwarding time (start to stop), for both programs:"
echo "segward from its \`dataplane:\` line, testpmd from its port 0 RX-packets total and the time between its"
echo "forwarding start and \"Telling cores to stop\". Both: \`net_pcap0,rx_pcap=F,infinite_rx=1\` -> \`$NULLDEV\`,"
echo "one forwarding core, mbufs = packets in F + 16384 (infinite_rx preloads the file into mbufs)."
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
echo '```'
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
