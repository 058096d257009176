#!/usr/bin/env bash
# Alert evidence (issue 6): every alert of a replay names a pcapng file in
# evidence.dir that tshark opens and that holds the alerting packet (the
# capture's frame at the alert's timestamp, byte for byte), with no more than
# packets_before + packets_after packets of the alert's flow.
#
#   evidence_tshark.sh SEGWARD_BIN
#
# On the bundled ZooKeeper captures (no root): a policy learned from the
# benign one (learn_zk_roles.sh) replayed on the rogue one,
#  1. as learned: the rogue host is in no segment, the default's L3/L4 alert
#     fires on its flow's first packet (the SYN), which opens the evidence;
#  2. with the rogue in the readers' segment: the L7 alert fires on its
#     write request, whose evidence has the session's packets before it
#     and the flow's packets after it, and the request in the alerting packet.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" evidence-tshark "$@"
PY=/usr/bin/python3
DATA=$ROOT/tests/data
BENIGN=$DATA/zk-roles-benign.pcap
ROGUE=$DATA/zk-roles-rogue.pcap
BEFORE=6
AFTER=5

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
command -v tshark >/dev/null || fail "tshark is not installed"

echo "== a policy learned from $(basename "$BENIGN")"
(cd "$TMP" && timeout 120 "$BIN" learn --eve "$TMP/learn-eve.json" -o "$TMP/proposal.yaml" "$BENIGN") \
    2>"$TMP/learn.err" || { cat "$TMP/learn.err" >&2; fail "segward learn"; }
"$PY" - "$TMP/proposal.yaml" "$TMP/rogue-reader.yaml" <<'EOF2'
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
p["segments"]["zk-readers"]["cidrs"].append("192.0.2.66/32")
yaml.safe_dump(p, open(sys.argv[2], "w"), sort_keys=False)
EOF2

# The capture's frames once: epoch time (ns string) -> raw bytes.
tshark -r "$ROGUE" -T json -x 2>/dev/null >"$TMP/capture.json" || fail "tshark -r $ROGUE"

# check CASE POLICY WANT: replay with evidence on; WANT is l3l4 or l7.
check() {
    local dir=$TMP/evidence-$1
    cat >"$TMP/config-$1.yaml" <<EOF2
evidence:
  dir: $dir
  packets_before: $BEFORE
  packets_after: $AFTER
EOF2
    echo "== $1: segward replay --policy $(basename "$2") with evidence"
    rm -f "$TMP/eve-$1.json"
    (cd "$TMP" && timeout 120 "$BIN" replay -q --config "$TMP/config-$1.yaml" --policy "$2" --eve "$TMP/eve-$1.json" "$ROGUE") \
        2>"$TMP/replay.err" || { cat "$TMP/replay.err" >&2; fail "segward replay ($1)"; }
    ls "$dir" | sed "s/^/[$1 evidence] /"
    # Each alert's file through tshark, in JSON with the frames' bytes.
    "$PY" - "$TMP/eve-$1.json" "$dir" "$TMP/capture.json" "$BEFORE" "$AFTER" "$3" <<'EOF2'
import datetime, json, subprocess, sys
eve, dir_, capture, before, after, want = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]

def frames(tshark_json):
    out = []
    for f in tshark_json:
        layers = f["_source"]["layers"]
        out.append({
            "time": layers["frame"]["frame.time_epoch"],
            "raw": layers["frame_raw"][0],
            "comment": layers.get("pkt_comment", {}).get("frame.comment", ""),
        })
    return out

def micros(epoch):  # "1796136219.469362000" -> 1796136219469362
    sec, _, frac = epoch.partition(".")
    return int(sec) * 1_000_000 + int((frac + "000000")[:6])

capture_frames = frames(json.load(open(capture)))
alerts = [json.loads(l) for l in open(eve) if '"event_type":"alert"' in l]
if not alerts:
    sys.exit("no alert in the replay")
ok = True
for a in alerts:
    al = a["alert"]
    cond = al.get("condition")
    if want == "l7" and not (cond or "").startswith("zookeeper."):
        continue
    if "id" not in al or "evidence" not in al:
        print(f"alert without id/evidence: {al}", file=sys.stderr); ok = False; continue
    path = f"{dir_}/{al['evidence']}"
    r = subprocess.run(["tshark", "-r", path, "-T", "json", "-x"], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"tshark -r {path}: {r.stderr}", file=sys.stderr); ok = False; continue
    ev = frames(json.loads(r.stdout))
    ts = datetime.datetime.strptime(a["timestamp"], "%Y-%m-%dT%H:%M:%S.%f%z")
    alert_us = int(ts.timestamp()) * 1_000_000 + ts.microsecond
    alerting = [i for i, f in enumerate(ev) if f["comment"]]
    if len(alerting) != 1:
        print(f"{path}: {len(alerting)} packets marked as alerting", file=sys.stderr); ok = False; continue
    i = alerting[0]
    pkt = ev[i]
    # The alerting packet is the capture's frame of the alert's time, byte for byte.
    same = [c for c in capture_frames if c["time"] == pkt["time"] and c["raw"] == pkt["raw"]]
    if micros(pkt["time"]) != alert_us or not same:
        print(f"{path}: the alerting packet ({pkt['time']}) is not the capture's frame at the alert's time {a['timestamp']}",
              file=sys.stderr); ok = False
    if not all(any(c["time"] == f["time"] and c["raw"] == f["raw"] for c in capture_frames) for f in ev):
        print(f"{path}: a packet that is not in the capture", file=sys.stderr); ok = False
    if len(ev) > before + after:
        print(f"{path}: {len(ev)} packets, more than {before} + {after}", file=sys.stderr); ok = False
    if i > before - 1 or len(ev) - 1 - i > after:
        print(f"{path}: {i} packets before, {len(ev) - 1 - i} after", file=sys.stderr); ok = False
    if want == "l7":
        zk_path = a.get("zookeeper", {}).get("path", "")
        if not zk_path or zk_path.encode().hex() not in pkt["raw"]:
            print(f"{path}: the alerting packet does not carry the request for {zk_path!r}", file=sys.stderr); ok = False
        if i == 0 or len(ev) - 1 - i == 0:
            print(f"{path}: expected packets before and after the alerting one ({i} before, {len(ev)-1-i} after)",
                  file=sys.stderr); ok = False
    elif i != 0:
        print(f"{path}: an L3/L4 alert's evidence starts with its alerting packet, got {i} before", file=sys.stderr); ok = False
    print(f"[{want}] alert {al['id']} {al['signature']} ({cond or 'L3/L4'}): {path.rsplit('/', 1)[1]}, "
          f"{len(ev)} packets, alerting #{i + 1} at {pkt['time']}")
checked = sum(1 for a in alerts if want != "l7" or (a["alert"].get("condition") or "").startswith("zookeeper."))
if checked == 0:
    sys.exit(f"no {want} alert to check")
stats = [json.loads(l) for l in open(eve) if '"event_type":"stats"' in l][-1]["stats"]["evidence"]
print(f"[{want}] stats.evidence: {stats}")
if stats.get("files_written", 0) < checked:
    print("stats.evidence.files_written is lower than the alerts checked", file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
EOF2
    [[ -z $(find "$dir" -name '*.part') ]] || fail "$1: a .part file was left behind"
}

check l3l4 "$TMP/proposal.yaml" l3l4 || fail "L3/L4 alert evidence"
check l7 "$TMP/rogue-reader.yaml" l7 || fail "L7 alert evidence"
echo "PASS: every alert's evidence opens in tshark and holds its alerting packet"
