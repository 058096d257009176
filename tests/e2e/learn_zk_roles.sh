#!/usr/bin/env bash
# Learn mode on real ZooKeeper traffic (issue 5, acceptance 3): a policy
# learned from a benign cluster's capture raises no alert on that capture and
# flags the rogue writer of a capture that has one.
#
#   learn_zk_roles.sh SEGWARD_BIN
#
# The captures are bundled (tests/data/make-zk-roles-capture.sh made them:
# Debian's ZooKeeper server, kazoo clients each from its own address), so
# this needs no root (learn_zk_roles_fresh.sh runs it on fresh captures,
# through LEARN_BENIGN_PCAP and LEARN_ROGUE_PCAP):
#   zk-roles-benign.pcap  masters 192.0.2.21/.22 in the election, agents
#                         .31/.32 reading it, operator .41's ruok/srvr
#   zk-roles-rogue.pcap   the same plus rogue 192.0.2.66, which creates
#                         /mesos/json.info_ and rewrites the leader's znode
# Steps:
#  1. segward learn on the benign capture: a proposal that `policy check`
#     accepts, with the roles the clients played;
#  2. replay --policy of the benign capture: no alert at all;
#  3. replay --policy of the rogue capture: at least one alert whose source
#     is the rogue (an L7 one names a zookeeper condition), none for a
#     benign host;
#  4. the rogue placed in the readers' segment (an allowed host turning
#     writer): an alert from the readers' rule naming a zookeeper condition;
#  5. policy diff: a proposal against itself is the same (exit 0); a
#     proposal learned from the rogue capture against the benign one is
#     different (exit 1) and names the rogue's address.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" learn-zk-roles "$@"
PY=/usr/bin/python3
DATA=$ROOT/tests/data
BENIGN=${LEARN_BENIGN_PCAP:-$DATA/zk-roles-benign.pcap}
ROGUE=${LEARN_ROGUE_PCAP:-$DATA/zk-roles-rogue.pcap}
ROGUE_IP=192.0.2.66

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# replay_policy POLICY PCAP OUT: the replay's EVE lines in OUT.
replay_policy() {
    rm -f "$3"
    (cd "$TMP" && timeout 120 "$BIN" replay -q --no-rules --policy "$1" --eve "$3" "$2") 2>"$TMP/replay.err" || {
        cat "$TMP/replay.err" >&2
        fail "segward replay --policy $1 $2"
    }
    [[ -s $3 ]] || fail "no EVE output from the replay of $2"
}

echo "== 1. segward learn on $(basename "$BENIGN")"
(cd "$TMP" && timeout 120 "$BIN" learn --eve "$TMP/learn-eve.json" -o "$TMP/proposal.yaml" "$BENIGN") \
    2>"$TMP/learn.err" || { cat "$TMP/learn.err" >&2; fail "segward learn"; }
cat "$TMP/learn.err"
"$BIN" policy check "$TMP/proposal.yaml" || fail "the proposal does not pass policy check"
grep -q '^default: drop$' "$TMP/proposal.yaml" || fail "the proposal's default is not drop"
"$PY" - "$TMP/proposal.yaml" <<'EOF' || fail "the proposal does not have the roles the clients played"
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
seg = {name: sorted(s["cidrs"]) for name, s in p["segments"].items()}
want = {
    "zk-servers": ["192.0.2.10/32"],
    "zk-election-writers": ["192.0.2.21/32", "192.0.2.22/32"],
    "zk-readers": ["192.0.2.31/32", "192.0.2.32/32"],
    "zk-admins": ["192.0.2.41/32"],
}
ok = True
for name, cidrs in want.items():
    if seg.get(name) != cidrs:
        print(f"segment {name}: {seg.get(name)}, expected {cidrs}", file=sys.stderr)
        ok = False
rules = {r["name"]: r for r in p["rules"]}
readers = rules.get("zk-readers-to-zk-servers", {}).get("zookeeper", {})
if readers.get("write_paths") != []:
    print(f"the readers may write: {readers.get('write_paths')}", file=sys.stderr)
    ok = False
writers = rules.get("zk-election-writers-to-zk-servers", {}).get("zookeeper", {})
if "/mesos/json.info_*" not in writers.get("write_paths", []):
    print(f"the election writers' write_paths: {writers.get('write_paths')}", file=sys.stderr)
    ok = False
admins = rules.get("zk-admins-to-zk-servers", {}).get("zookeeper", {})
if sorted(admins.get("four_letter_words", [])) != ["ruok", "srvr"]:
    print(f"the admins' four-letter words: {admins.get('four_letter_words')}", file=sys.stderr)
    ok = False
print(f"[proposal] {len(seg)} segments, {len(rules)} rules: {', '.join(rules)}")
sys.exit(0 if ok else 1)
EOF

# alerts EVE: "src_ip signature condition" per alert.
alerts() {
    "$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event_type") == "alert":
        a = e.get("alert", {})
        print(e.get("src_ip"), a.get("signature"), a.get("condition", "-"))' "$1"
}

echo "== 2. the proposal on the capture it was learned from"
replay_policy "$TMP/proposal.yaml" "$BENIGN" "$TMP/benign-eve.json"
n=$(alerts "$TMP/benign-eve.json" | wc -l)
alerts "$TMP/benign-eve.json" | sed 's/^/[benign alert] /'
[[ $n -eq 0 ]] || fail "$n alerts on the benign capture"
grep -q '"event_type":"zookeeper"' "$TMP/benign-eve.json" || fail "the benign replay decoded no ZooKeeper"
echo "[benign] 0 alerts"

echo "== 3. the proposal on the capture with a rogue writer"
replay_policy "$TMP/proposal.yaml" "$ROGUE" "$TMP/rogue-eve.json"
alerts "$TMP/rogue-eve.json" | tee "$TMP/rogue-alerts.txt" | sed 's/^/[rogue alert] /'
"$PY" - "$TMP/rogue-alerts.txt" "$ROGUE_IP" <<'EOF' || fail "the rogue writer was not flagged as it should be"
import sys
alerts = [l.split() for l in open(sys.argv[1]) if l.strip()]
rogue = [a for a in alerts if a[0] == sys.argv[2]]
others = [a for a in alerts if a[0] != sys.argv[2]]
bad_condition = [a for a in rogue if a[2] != "-" and not a[2].startswith("zookeeper.")]
print(f"[rogue] {len(rogue)} alerts from {sys.argv[2]}, {len(others)} from other hosts")
if not rogue:
    print("no alert from the rogue", file=sys.stderr)
if others:
    print(f"alerts for benign hosts: {others}", file=sys.stderr)
if bad_condition:
    print(f"L7 alerts that name no zookeeper condition: {bad_condition}", file=sys.stderr)
sys.exit(0 if rogue and not others and not bad_condition else 1)
EOF

echo "== 4. the rogue inside the readers' segment: an allowed host that writes"
"$PY" - "$TMP/proposal.yaml" "$TMP/rogue-reader.yaml" "$ROGUE_IP" <<'EOF'
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))
p["segments"]["zk-readers"]["cidrs"].append(sys.argv[3] + "/32")
yaml.safe_dump(p, open(sys.argv[2], "w"), sort_keys=False)
EOF
"$BIN" policy check "$TMP/rogue-reader.yaml" || fail "the edited policy does not pass policy check"
replay_policy "$TMP/rogue-reader.yaml" "$ROGUE" "$TMP/rogue-reader-eve.json"
alerts "$TMP/rogue-reader-eve.json" | tee "$TMP/rogue-reader-alerts.txt" | sed 's/^/[reader alert] /'
grep -Eq "^$ROGUE_IP zk-readers-to-zk-servers zookeeper\.(ops|write_paths|paths)$" "$TMP/rogue-reader-alerts.txt" ||
    fail "no L7 alert from the readers' rule for the rogue's write"
[[ $(grep -vc "^$ROGUE_IP " "$TMP/rogue-reader-alerts.txt") -eq 0 ]] || fail "alerts for benign hosts"

echo "== 5. policy diff"
rc=0
"$BIN" policy diff "$TMP/proposal.yaml" "$TMP/proposal.yaml" >"$TMP/same.txt" || rc=$?
cat "$TMP/same.txt"
[[ $rc -eq 0 ]] || fail "policy diff of a file with itself exited $rc"
(cd "$TMP" && timeout 120 "$BIN" learn --eve "$TMP/learn-rogue-eve.json" -o "$TMP/proposal-rogue.yaml" "$ROGUE") \
    2>"$TMP/learn.err" || { cat "$TMP/learn.err" >&2; fail "segward learn on the rogue capture"; }
rc=0
"$BIN" policy diff "$TMP/proposal-rogue.yaml" "$TMP/proposal.yaml" >"$TMP/diff.txt" || rc=$?
cat "$TMP/diff.txt"
[[ $rc -eq 1 ]] || fail "policy diff of the rogue and benign proposals exited $rc, expected 1"
grep -q "+ $ROGUE_IP/32" "$TMP/diff.txt" || fail "the diff does not name the rogue's address"
echo "[diff] the rogue's proposal differs from the benign one by $ROGUE_IP"

echo "PASS: learned from the benign capture, no alert on it, the rogue writer flagged"
