#!/usr/bin/env bash
# segward against the machine's I/O ceiling, in one run on the same sources:
#   dpdk-testpmd io forwarding  vs  segward inline (flow tracking on),
#   both net_pcap,rx_pcap=F,infinite_rx=1 -> net_null, one forwarding core,
# then instructions per packet from callgrind on a fixed replay.
#
#   bench.sh SEGWARD_BIN [--duration SECONDS] [--skip-callgrind]
#
# Packets/s are each program's own count over its own forwarding time:
# testpmd's per-second Rx-pps samples (median, the first two dropped as
# warm-up) and segward's `dataplane:` line (packets / time from worker launch
# to stop). Ratios matter; absolute rates on a shared 2-core VM do not.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 SEGWARD_BIN [--duration S] [--skip-callgrind]" >&2; exit 2; }
BIN=$(realpath "$1"); shift
DURATION=10
CALLGRIND=1
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) DURATION=$2; shift 2 ;;
        --skip-callgrind) CALLGRIND=0; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/seg-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
EAL=(--no-huge --no-shconf --no-pci -l 0-1 -m 1024 --no-telemetry --log-level '*:error')
MBUFS=65535  # net_pcap's infinite_rx preloads every packet of the file into mbufs

"$PY" "$HERE/make-synthetic-pcap.py" "$TMP/synthetic-10k.pcap" --flows 10000 >/dev/null
"$PY" "$HERE/make-synthetic-pcap.py" "$TMP/synthetic-200k.pcap" --flows 10000 --packets 200000 >/dev/null
ZK=$ROOT/tests/data/zk-cluster.pcap

count_records() { "$PY" -c '
import struct, sys
d = open(sys.argv[1], "rb").read(); off = 24; n = 0
while off + 16 <= len(d):
    off += 16 + struct.unpack_from("<I", d, off + 8)[0]; n += 1
print(n)' "$1"; }

testpmd_pps() {  # pcap
    timeout $((DURATION + 15)) dpdk-testpmd "${EAL[@]}" \
        --vdev "net_pcap0,rx_pcap=$1,infinite_rx=1" --vdev net_null0 -- \
        --forward-mode=io --nb-cores=1 --total-num-mbufs=$MBUFS --stats-period 1 --auto-start \
        </dev/null >"$TMP/testpmd.out" 2>&1 &
    local pid=$!
    sleep "$DURATION"
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    # Port 0's Rx-pps is printed first in each stats block.
    awk '/Rx-pps:/ { if (n++ % 2 == 0) print $2 }' "$TMP/testpmd.out" | tail -n +3 | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print v[int((NR + 1) / 2)] }'
}

segward_pps() {  # pcap
    cat >"$TMP/bench.yaml" <<YAML
eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "1024", --no-telemetry, --log-level, "*:error"]}
dataplane:
  mode: inline
  workers: 1
  mbufs: $MBUFS
  ports:
    - {name: a, device: "net_pcap0,rx_pcap=$1,infinite_rx=1"}
    - {name: b, device: "net_null0"}
outputs: {eve: {path: /dev/null, stats_interval: 0}}
YAML
    timeout -s INT "$DURATION" "$BIN" run --config "$TMP/bench.yaml" >/dev/null 2>"$TMP/segward.err" || true
    grep -o '([0-9]* packets/s)' "$TMP/segward.err" | tr -dc '0-9'
}

ir_per_packet() {  # pcap toggle
    valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" --collect-atstart=no \
        --toggle-collect="$2" "$BIN" replay -q --eve /dev/null "$1" >/dev/null 2>&1
    local ir
    ir=$(awk '/^totals:/ { print $2 }' "$TMP/cg.out")
    "$PY" -c "print(f'{$ir / $(count_records "$1"):.0f}')"
}

CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo "machine: $(nproc) cores, $CPU; DPDK $(pkg-config --modversion libdpdk); segward $("$BIN" --version | awk '{print $2}')"
echo "duration: ${DURATION} s per run"
echo
rows=()
for src in synthetic zk; do
    if [[ $src == synthetic ]]; then
        f=$TMP/synthetic-10k.pcap; fixed=$TMP/synthetic-200k.pcap
        label="(a) 64-byte TCP, 10,000 flows"
    else
        f=$ZK; fixed=$ZK
        label="(b) real ZooKeeper capture ($(count_records "$ZK") packets)"
    fi
    t=$(testpmd_pps "$f")
    s=$(segward_pps "$f")
    ratio=$("$PY" -c "print(f'{$s / $t:.2f}' if $t else 'n/a')")
    if [[ $CALLGRIND -eq 1 ]]; then
        loop=$(ir_per_packet "$fixed" '*Worker::loop*')
        burst=$(ir_per_packet "$fixed" 'segward::dataplane::Worker::process_burst*')
    else
        loop=-; burst=-
    fi
    echo "$label: testpmd $t pps, segward $s pps, ratio $ratio, Ir/packet loop $loop, process_burst $burst"
    rows+=("| $label | $t | $s | **$ratio** | $loop | $burst |")
done
echo
echo "| source | testpmd io (pps) | segward inline (pps) | ratio | Ir/packet, worker loop | Ir/packet, process_burst |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Ir/packet: callgrind on \`segward replay\` of a fixed file (synthetic: 200,000 packets over 10,000 flows;"
echo "zk: the bundled capture), --collect-atstart=no --toggle-collect='*Worker::loop*'"
echo "(everything the worker does, net_pcap's RX included) or '...::Worker::process_burst*' (decode, flow"
echo "lookup and accounting only), total Ir divided by the file's packet count."
