#!/usr/bin/env bash
# What each stage of segward's per-packet work costs on row (a)'s source
# (64-byte TCP ACKs over 10,000 flows), against testpmd io on the same source.
#
#   stage-costs.sh [--duration SECONDS (default 5, at least 4)] [--rounds N (default 5)]
#                  [--flows N (default 10000)] [--build-dir DIR (default build-stage-costs)]
#
# Builds segward six times from this tree (DIR, one configuration per
# SEGWARD_BENCH_CUT, target segward only; see dataplane/worker.cc, BenchCut):
#   0 everything (the product)       3 ... + flow key and hash
#   1 receive and forward only       4 ... + flow lookup (and creation)
#   2 ... + L2-L4 decode, counters   5 ... + flow accounting
# then, N rounds, each: one testpmd io run and each build once (in an order
# that rotates per round), on the same capture with bench.sh's EAL arguments
# and mbuf count. Prints per build the
# median packets/s, its median ratio to the testpmd run of the same round,
# and nanoseconds per packet, and what each stage adds (medians of the
# per-round differences). On this noisy 2-core VM single runs swing by
# +-15 %; the interleaved rounds and medians are what make the figures
# comparable. No callgrind here: bench.sh gives instructions per packet.
set -euo pipefail

DURATION=5
ROUNDS=5
FLOWS=10000
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$ROOT/build-stage-costs
while [[ $# -gt 0 ]]; do
    case $1 in
        --duration) DURATION=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --flows) FLOWS=$2; shift 2 ;;
        --build-dir) BUILD=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "stage-costs.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
# testpmd's rate is the median of its once-a-second samples, which start
# after about 2 s: shorter runs give none.
[[ $DURATION =~ ^[0-9]+$ && $DURATION -ge 4 ]] || { echo "stage-costs.sh: --duration must be a whole number of seconds, at least 4" >&2; exit 2; }
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "stage-costs.sh: --rounds must be a positive whole number" >&2; exit 2; }
for tool in dpdk-testpmd timeout cmake python3; do
    command -v "$tool" >/dev/null || { echo "stage-costs.sh: needs $tool" >&2; exit 2; }
done

TMP=$(mktemp -d)
cleanup() { jobs -p | xargs -r kill 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

STAGES=(all io decode key lookup account)
# 0 last: the build directory is left configured as a product build.
for cut in 1 2 3 4 5 0; do
    echo "building SEGWARD_BENCH_CUT=$cut (${STAGES[$cut]}) in $BUILD" >&2
    cmake -S "$ROOT" -B "$BUILD" -DSEGWARD_TESTS=OFF -DSEGWARD_BENCH_CUT=$cut >"$TMP/cmake.log" 2>&1 ||
        { cat "$TMP/cmake.log" >&2; exit 1; }
    cmake --build "$BUILD" -j"$(nproc)" --target segward >"$TMP/build.log" 2>&1 ||
        { tail -30 "$TMP/build.log" >&2; exit 1; }
    cp "$BUILD/segward" "$TMP/segward-$cut"
done

PCAP=$TMP/synthetic.pcap
python3 "$HERE/make-synthetic-pcap.py" "$PCAP" --flows "$FLOWS" --packets 40000 >/dev/null
MBUFS=$((40000 + 16384))
EAL=(--no-huge --no-shconf --no-pci -l 0-1 -m 512 --no-telemetry)  # bench.sh's default
# shellcheck source=segward-config.sh
source "$HERE/segward-config.sh"

testpmd_pps() {
    timeout -s INT -k 10 "$DURATION" dpdk-testpmd "${EAL[@]}" \
        --vdev "net_pcap0,rx_pcap=$PCAP,infinite_rx=1" --vdev "$BENCH_NULLDEV" \
        -- --forward-mode=io --nb-cores=1 --total-num-mbufs="$MBUFS" --stats-period 1 \
        </dev/null >"$TMP/testpmd.log" 2>&1 || true
    # Port 0's periodic Rx-pps samples (port 1 only transmits): their median.
    awk '/NIC statistics for port/ {port = $0} /Rx-pps:/ && port ~ /port 0 / && $2 > 0 {print $2}' "$TMP/testpmd.log" |
        sort -n | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'
}

segward_pps() {  # binary
    {
        segward_config_head "$PCAP" "$MBUFS"
        echo "outputs: {eve: {path: /dev/null, stats_interval: 0}}"
    } >"$TMP/segward.yaml"
    timeout -s INT -k 10 "$DURATION" "$1" run --config "$TMP/segward.yaml" </dev/null >"$TMP/segward.log" 2>&1 || true
    awk '$1 == "dataplane:" && $3 == "packets" && $5 > 0 {printf "%.0f\n", $2 / $5}' "$TMP/segward.log"
}

: >"$TMP/results"
# The order of the seven runs rotates from round to round: the run right
# after another program exits was seen to be slower, and no build may always
# be the one in that place.
for round in $(seq "$ROUNDS"); do
    runs=(t 0 1 2 3 4 5)
    shift_by=$(( (round - 1) % ${#runs[@]} ))
    runs=("${runs[@]:$shift_by}" "${runs[@]:0:$shift_by}")
    declare -A rate=()
    line=""
    for run in "${runs[@]}"; do
        if [[ $run == t ]]; then
            rate[t]=$(testpmd_pps)
            [[ -n ${rate[t]} ]] || { echo "stage-costs.sh: testpmd gave no rate" >&2; cat "$TMP/testpmd.log" >&2; exit 1; }
            line+=" testpmd=${rate[t]}"
        else
            rate[$run]=$(segward_pps "$TMP/segward-$run")
            [[ -n ${rate[$run]} ]] ||
                { echo "stage-costs.sh: segward (cut $run) gave no rate" >&2; cat "$TMP/segward.log" >&2; exit 1; }
            line+=" ${STAGES[$run]}=${rate[$run]}"
        fi
    done
    for cut in 0 1 2 3 4 5; do echo "$round $cut ${rate[t]} ${rate[$cut]}" >>"$TMP/results"; done
    echo "round $round:$line" >&2
    unset rate
done

python3 - "$TMP/results" "$DURATION" "$ROUNDS" "$FLOWS" <<'PY'
import statistics, sys
path, duration, rounds, flows = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
names = ["all", "io", "decode", "key", "lookup", "account"]
rows = {}
for line in open(path):
    r, cut, t, s = line.split()
    rows.setdefault(int(cut), []).append((int(r), float(t), float(s)))
tp = statistics.median(t for _, t, _ in rows[0])
print(f"row (a) source, {flows} flows, {rounds} rounds of {duration} s; testpmd io median {tp / 1e6:.2f} Mpps "
      f"({1e9 / tp:.1f} ns/packet)")
print(f"{'build (stops after)':<22} {'Mpps':>6} {'ratio':>6} {'ns/packet':>10} {'stage adds':>11}")
order = [1, 2, 3, 4, 5, 0]
prev = None
for cut in order:
    pps = [s for _, _, s in rows[cut]]
    ratio = statistics.median(s / t for _, t, s in rows[cut])
    ns = statistics.median(1e9 / s for s in pps)
    if prev is None:
        adds = statistics.median(1e9 / s - 1e9 / t for _, t, s in rows[cut])
        label = "vs testpmd"
    else:
        per_round = {r: 1e9 / s for r, _, s in rows[cut]}
        before = {r: 1e9 / s for r, _, s in rows[prev]}
        adds = statistics.median(per_round[r] - before[r] for r in per_round if r in before)
        label = ""
    name = names[cut] if cut != 0 else "all (+ L7 hooks, verdicts)"
    print(f"{name:<22} {statistics.median(pps) / 1e6:>6.2f} {ratio:>6.3f} {ns:>10.1f} {adds:>+8.1f} ns {label}")
    prev = cut
PY
