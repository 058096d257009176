#!/usr/bin/env bash
# Instructions per packet of the forwarding core in the steady state,
# segward against dpdk-testpmd io forwarding, on the same source:
#
#   both: net_pcap0,rx_pcap=F,infinite_rx=1 -> net_null0,no-rx=1, one
#   forwarding core, bench.sh's EAL arguments and mbuf count, run under
#   `valgrind --tool=callgrind --separate-threads=yes` for SECONDS, then
#   SIGINT.
#
#   steady-ir.sh SEGWARD_BIN [--seconds N (default 90)] [--only a,b,e] [--keep DIR]
#
# --keep DIR: leave the callgrind files (one per thread, OUT-NN) and the
# programs' logs in DIR, for callgrind_annotate.
#
# Rows as in bench.sh: (a) 64-byte TCP ACKs over 10,000 flows
# (make-synthetic-pcap.py), (b) tests/data/zk-cluster.pcap, (e) source (a)
# through a 1,000-rule allowlist whose last rule allows it (make-policy.py).
#
# Why: bench.sh's packets/s ratio is the acceptance figure, but on a shared
# 2-core VM it moves by 20% from one run to the next. Instruction counts do
# not: this is the noise-free half of the comparison (the other half, how
# many instructions a cycle each program retires, only a rate run shows).
# bench.sh's callgrind rows count a finite `segward replay`, whose costs
# differ from the appliance's loop (every flow is new; net_pcap reads the
# file instead of looping over mbufs); this counts the running appliance.
#
# The forwarding thread: in each program, the thread that ran the most
# instructions inside the two PMDs (librte_net_pcap, librte_net_null), i.e.
# the one polling port 0 and sending to port 1; both programs start it the
# same way (an EAL lcore). Its instructions, divided by the packets it
# received (segward: its `dataplane: P packets` line; testpmd: port 0's
# RX-packets), are the row's figure. segward's excludes the shutdown flush
# (FlowTable::flush: the end record of every flow still open), as its rate
# line does; both include the thread's start-up (a few thousand
# instructions, nothing against the millions of packets).
# Printed besides: the part spent inside the two PMDs (the I/O both pay),
# and for segward the part inside Worker::process_burst.
#
# Under valgrind both run some 50 times slower, so SECONDS covers EAL
# start-up (10-20 s here) and tens of millions of packets; 30 s and 60 s
# runs gave the same figures to within 0.1 %. After the SIGINT segward ends
# its 10,000 flows and hands their records over, which takes another 40 s or
# so under valgrind (not counted). Everything runs under `timeout`;
# the temp dir is removed on exit. Needs dpdk-testpmd, valgrind, python3.
set -euo pipefail

usage() { echo "usage: $0 SEGWARD_BIN [--seconds N] [--only a,b,e] [--keep DIR]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
if [[ $1 == -h || $1 == --help ]]; then sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0; fi
BIN=$(realpath "$1"); shift
[[ -x $BIN ]] || { echo "$0: $BIN is not executable" >&2; exit 2; }
SECONDS_RUN=90
ONLY=a,e
KEEP=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --seconds) [[ $# -ge 2 && $2 =~ ^[1-9][0-9]*$ && $2 -ge 30 ]] || { echo "$0: --seconds: an integer, 30 or more (EAL start-up alone takes 10-20 s under valgrind)" >&2; exit 2; }
                   SECONDS_RUN=$2; shift 2 ;;
        --only) [[ $# -ge 2 && $2 =~ ^[abe](,[abe])*$ ]] || usage; ONLY=$2; shift 2 ;;
        --keep) [[ $# -ge 2 ]] || usage; mkdir -p "$2"; KEEP=$(realpath "$2"); shift 2 ;;
        *) usage ;;
    esac
done
for tool in dpdk-testpmd valgrind timeout; do
    command -v "$tool" >/dev/null || { echo "$0: $tool not found" >&2; exit 2; }
done

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/segward-steady-ir.XXXXXX)
# shellcheck source=jobs.sh
source "$HERE/jobs.sh"   # run_job, stop_child
cleanup() {
    stop_child
    [[ -z $KEEP ]] || cp "$TMP"/cg-* "$TMP"/*.log "$KEEP"/ 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

EAL=(--no-huge --no-shconf --no-pci -l 0-1 -m 512 --no-telemetry)
# shellcheck source=segward-config.sh
source "$HERE/segward-config.sh"
CALLGRIND=(valgrind --tool=callgrind --separate-threads=yes)

# The forwarding thread's file among OUT-NN: "FILE TOTAL_IR PMD_IR".
forwarding_thread() {  # out-prefix
    "$PY" - "$1"-* <<'EOF'
import re, sys
pmd = re.compile(r"librte_net_(pcap|null)\.so")
best = None
for path in sys.argv[1:]:
    names, ob, ir_col, total, in_pmd, after_calls = {}, "", 1, 0, 0, False
    for line in open(path, errors="replace"):
        c = line[:1]
        if c.isdigit() or c in "+-*":
            if after_calls:          # a call's inclusive cost: not this function's own
                after_calls = False
                continue
            parts = line.split()
            if len(parts) > ir_col and pmd.search(ob):
                in_pmd += int(parts[ir_col])
        elif line.startswith(("ob=", "cob=")):
            # An object's compressed name, "(n) path", is defined where it
            # first appears, which may be a call's `cob=` line.
            key, _, v = line.rstrip("\n").partition("=")
            m = re.match(r"\((\d+)\)(?: (.*))?$", v)
            if m:
                if m.group(2) is not None:
                    names[m.group(1)] = m.group(2)
                v = names.get(m.group(1), "")
            if key == "ob":
                ob = v
        elif line.startswith("calls="):
            after_calls = True
        elif line.startswith("positions:"):
            ir_col = len(line.split()) - 1
        elif line.startswith(("summary:", "totals:")):
            total = int(line.split()[1])
    if best is None or in_pmd > best[2]:
        best = (path, total, in_pmd)
if best is None or best[2] == 0:
    sys.exit("no thread ran PMD code")
print(*best)
EOF
}

calc() { "$PY" -c "import sys; print($1)"; }
fail() { echo "FAILED: $1; last lines of its output:" >&2; tail -n 15 "$2" | sed 's/^/    /' >&2; }

SYN=$TMP/synthetic-10k.pcap
"$PY" "$HERE/make-synthetic-pcap.py" "$SYN" --flows 10000 >/dev/null
POLICY=$TMP/policy-1000.yaml
"$PY" "$HERE/make-policy.py" "$POLICY" --rules 1000
ZK=$ROOT/tests/data/zk-cluster.pcap

echo "machine: $(nproc) cores, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
echo "software: $("$BIN" --version 2>/dev/null || echo segward ?), $(valgrind --version); $SECONDS_RUN s per run under callgrind"
echo
rows=()
status=0
for row in a b e; do
    [[ ,$ONLY, == *,$row,* ]] || continue
    policy=""
    case $row in
        a) f=$SYN; label="(a) synthetic: 64-byte TCP ACKs, 10,000 flows" ;;
        b) f=$ZK; label="(b) zk-cluster.pcap: real ZooKeeper traffic" ;;
        e) f=$SYN; policy=$POLICY; label="(e) synthetic through a 1,000-rule allowlist" ;;
    esac
    n_file=$("$PY" "$HERE/pcap_records.py" "$f")
    mbufs=$((n_file + 16384))   # as bench.sh: the looped file, plus the forwarding path's
    echo "== $label"

    # testpmd: --stats-period keeps it running without stdin.
    tlog=$TMP/testpmd-$row.log
    run_job timeout -s INT -k 300 "$SECONDS_RUN" "${CALLGRIND[@]}" --callgrind-out-file="$TMP/cg-testpmd-$row" \
        dpdk-testpmd "${EAL[@]}" --vdev "net_pcap0,rx_pcap=$f,infinite_rx=1" --vdev "$BENCH_NULLDEV" \
        -- --forward-mode=io --nb-cores=1 --total-num-mbufs="$mbufs" --stats-period 1 </dev/null >"$tlog" 2>&1 || true
    t_pkts=$(awk '/Forward statistics for port 0 / { p = 1; next } p && /RX-packets:/ { print $2 == "RX-packets:" ? $3 : $2; exit }' "$tlog")
    t_ir=""; t_pmd=""
    if read -r _ t_total t_pmd_ir < <(forwarding_thread "$TMP/cg-testpmd-$row" 2>/dev/null) && [[ ${t_pkts:-0} -gt 0 ]]; then
        t_ir=$(calc "f'{$t_total / $t_pkts:.1f}'"); t_pmd=$(calc "f'{$t_pmd_ir / $t_pkts:.1f}'")
        echo "testpmd: $t_ir Ir/packet over $t_pkts packets ($t_pmd of them in the PMDs)"
    else
        fail "testpmd under callgrind on $row" "$tlog"; status=1
    fi

    # segward: the bench configuration.
    cfg=$TMP/segward-$row.yaml
    { segward_config_head "$f" "$mbufs"
      echo "outputs: {eve: {path: /dev/null, stats_interval: 0}}"
      [[ -z $policy ]] || echo "policy: $policy"; } >"$cfg"
    slog=$TMP/segward-$row.log
    run_job timeout -s INT -k 300 "$SECONDS_RUN" "${CALLGRIND[@]}" --callgrind-out-file="$TMP/cg-segward-$row" \
        "$BIN" run --config "$cfg" </dev/null >"$slog" 2>&1 || true
    s_pkts=$(awk '$1 == "dataplane:" && $3 == "packets" { print $2; exit }' "$slog")
    s_ir=""; s_pmd=""; s_burst=""
    if read -r s_file s_total s_pmd_ir < <(forwarding_thread "$TMP/cg-segward-$row" 2>/dev/null) && [[ ${s_pkts:-0} -gt 0 ]]; then
        read -r flush_ir _ _ < <("$PY" "$HERE/callgrind_functions.py" "$s_file" 'FlowTable::flush<')
        read -r burst_ir _ _ < <("$PY" "$HERE/callgrind_functions.py" "$s_file" 'Worker::process_burst\(')
        s_ir=$(calc "f'{($s_total - $flush_ir) / $s_pkts:.1f}'"); s_pmd=$(calc "f'{$s_pmd_ir / $s_pkts:.1f}'")
        s_burst=$(calc "f'{$burst_ir / $s_pkts:.1f}'")
        echo "segward: $s_ir Ir/packet over $s_pkts packets ($s_pmd of them in the PMDs, $s_burst in process_burst;" \
             "shutdown flush, left out: $flush_ir Ir)"
    else
        fail "segward under callgrind on $row" "$slog"; status=1
    fi
    ratio="n/a"
    [[ -z $t_ir || -z $s_ir ]] || ratio=$(calc "f'{$s_ir / $t_ir:.2f}'")
    echo "segward/testpmd instructions per packet: $ratio"
    rows+=("| $label | ${t_ir:-n/a} (${t_pmd:-?} in PMDs) | ${s_ir:-n/a} (${s_pmd:-?} in PMDs, ${s_burst:-?} in process_burst) | $ratio |")
    echo
done

echo "| source | testpmd Ir/packet | segward Ir/packet | segward/testpmd |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
exit "$status"
