#!/usr/bin/env bash
# EVE output rotation and reopen (issue 6, outputs):
# 1. by size: a replay writing ~9 MB with outputs.eve.rotate {size_mb: 1,
#    keep: 3} leaves eve.json and eve.json.1-.3, none over 1 MiB, none with a
#    split line, older files written earlier, the final stats event last in eve.json;
# 2. by time: `run` with rotate {interval: 1} and a stats event a second
#    rotates while it runs;
# 3. SIGHUP after logrotate-style `mv eve.json eve.json.moved` opens a fresh
#    eve.json, and the moved file is left whole.
#
#   eve_rotation.sh SEGWARD_BIN
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" everot "$@"
EAL='eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "512", --no-telemetry, --log-level, "*:error"]}'

/usr/bin/python3 "$ROOT/tests/bench/make-synthetic-pcap.py" --flows 20000 --packets 40000 "$TMP/flows.pcap" >/dev/null
cat >"$TMP/size.yaml" <<YAML
$EAL
outputs: {eve: {path: "$TMP/size/eve.json", stats_interval: 0, rotate: {size_mb: 1, keep: 3}}}
YAML
mkdir -p "$TMP/size"
timeout 120 "$BIN" replay -q --no-policy --config "$TMP/size.yaml" "$TMP/flows.pcap"
/usr/bin/python3 - "$TMP/size" <<'PY'
import json, os, sys
d = sys.argv[1]
names = sorted(os.listdir(d))
expected = ["eve.json", "eve.json.1", "eve.json.2", "eve.json.3"]
print("files:", names)
if names != expected:
    sys.exit(f"FAIL: expected {expected}")
mtimes = {}
for n in names:
    p = os.path.join(d, n)
    size = os.path.getsize(p)
    data = open(p).read()
    if size > 1 << 20: sys.exit(f"FAIL: {n} is {size} bytes, over the 1 MiB limit")
    if not data.endswith("\n"): sys.exit(f"FAIL: {n} ends inside a line")
    events = [json.loads(l) for l in data.splitlines()]  # every line whole JSON
    if n == "eve.json" and events[-1]["event_type"] != "stats":
        sys.exit("FAIL: the final stats event is not at the end of the current file")
    mtimes[n] = os.stat(p).st_mtime_ns
# Newest first: eve.json, then .1, .2, .3 were written ever earlier.
order = [mtimes[n] for n in expected]
if order != sorted(order, reverse=True): sys.exit(f"FAIL: rotated files out of order: {order}")
print("size rotation: ok")
PY

cat >"$TMP/run.yaml" <<YAML
$EAL
dataplane:
  mode: tap
  ports: [{name: p0, device: "net_pcap0,rx_pcap=$ROOT/tests/data/zk-cluster.pcap"}]
outputs: {eve: {path: "$TMP/run/eve.json", stats_interval: 1, rotate: {interval: 1, keep: 100}}}
YAML
mkdir -p "$TMP/run"
"$BIN" run --config "$TMP/run.yaml" 2>"$TMP/err" &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true; rm -rf "$TMP"' EXIT
deadline=$((SECONDS + 30))
until [[ -f $TMP/run/eve.json.2 ]]; do
  (( SECONDS < deadline )) && kill -0 $pid 2>/dev/null || { echo "FAIL: no time rotation within 30 s" >&2; cat "$TMP/err" >&2; exit 1; }
  sleep 0.2
done
echo "time rotation: ok ($(ls "$TMP/run" | wc -l) files)"

# logrotate's way: move the file, then SIGHUP.
mv "$TMP/run/eve.json" "$TMP/moved.json" 2>/dev/null || true
kill -HUP $pid
deadline=$((SECONDS + 20))
until [[ -s $TMP/run/eve.json ]]; do
  (( SECONDS < deadline )) || { echo "FAIL: no fresh eve.json after SIGHUP" >&2; cat "$TMP/err" >&2; exit 1; }
  sleep 0.2
done
grep -q "SIGHUP: reopened $TMP/run/eve.json" "$TMP/err" || { echo "FAIL: the reopen was not logged" >&2; cat "$TMP/err" >&2; exit 1; }
kill -TERM $pid
timeout 30 tail --pid=$pid -f /dev/null
wait $pid
/usr/bin/python3 - "$TMP/run" "$TMP/moved.json" <<'PY'
import json, os, sys
d, moved = sys.argv[1], sys.argv[2]
files = [os.path.join(d, n) for n in os.listdir(d)] + ([moved] if os.path.exists(moved) else [])
lines = 0
for p in files:
    data = open(p).read()
    if data and not data.endswith("\n"): sys.exit(f"FAIL: {p} ends inside a line")
    for l in data.splitlines():
        json.loads(l); lines += 1
print(f"reopen: ok ({len(files)} files, {lines} valid lines)")
PY
echo "eve_rotation: ok"
