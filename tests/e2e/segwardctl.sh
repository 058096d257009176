#!/usr/bin/env bash
# segwardctl against a real sensor (issue 6): every command a user runs, and
# the exit codes scripts rely on (0 ok, 1 HTTP error, 2 usage, 3 auth,
# 4 cannot connect, 5 policy refused).
#
#   segwardctl.sh SEGWARD_BIN     (segwardctl is next to it)
#
# The sensor (api_sensor.sh) replays zk-roles-rogue.pcap once under a policy
# learned from zk-roles-benign.pcap, so the rogue client 192.0.2.66 raises
# alerts. Checks:
#   - health, status (tap mode, the policy file), stats (the capture's packet
#     count), flows (at most --top, in --sort order), as tables and --json;
#   - alerts: at least one, from the rogue; --limit; --follow --since 0
#     prints the kept alerts from the stream and ends with 0 on SIGINT;
#   - evidence of an alert is a pcapng file;
#   - policy get is the file the sensor runs; validate accepts it; a bad
#     file is refused with exit 5 and a located message; apply with a read
#     token exits 3, a wrong token 3, a closed port 4, bad arguments 2;
#   - learn status / start / stop; completion bash is valid bash;
#   - the sensor exits 0 on SIGTERM.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" segwardctl "$@"
source "$HERE/api_sensor.sh"
# The sensor runs one signature rule, then two (rules reload below).
RULE_ONE='rules:
  - id: 1
    msg: ZooKeeper setData
    threat: zookeeper_tampering
    match:
      - field: zookeeper.op
        equals: setData
'
RULES_TWO="$RULE_ONE"'  - id: 2
    msg: ZooKeeper create
    threat: zookeeper_tampering
    match:
      - field: zookeeper.op
        equals: create
'
API_RULES=$TMP/rules.yaml
printf '%s' "$RULE_ONE" >"$API_RULES"
PY=/usr/bin/python3
trap 'api_sensor_kill; rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SEGWARDCTL ]] || fail "no segwardctl next to $BIN"

api_sensor_start
export SEGWARD_URL=$API_URL
ctl() { "$SEGWARDCTL" --token-file "$READ_TOKEN_FILE" "$@"; }
admin() { "$SEGWARDCTL" --token-file "$ADMIN_TOKEN_FILE" "$@"; }
# expect_exit CODE DESC CMD...: CMD's exit code must be CODE; its stderr in $TMP/last.err.
expect_exit() {
    local want=$1 desc=$2 rc=0
    shift 2
    "$@" >"$TMP/last.out" 2>"$TMP/last.err" || rc=$?
    if [[ $rc -ne $want ]]; then
        cat "$TMP/last.out" "$TMP/last.err" >&2
        fail "$desc: exit $rc, expected $want"
    fi
}
json_get() { $PY -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }

echo "== health, status"
ctl health >/dev/null || fail "segwardctl health"
ctl status | tee "$TMP/status.txt"
grep -Eq '^mode +tap$' "$TMP/status.txt" || fail "status table: no 'mode tap' line"
grep -Eq '^policy +.*policy\.yaml' "$TMP/status.txt" || fail "status table: not the policy file"
[[ $(ctl --json status | json_get 'd["mode"]') == tap ]] || fail "status --json: mode"

echo "== stats: the $API_PCAP_PACKETS packets of the capture"
pkts() { ctl --json stats | json_get 'd["totals"]["decoder"].get("pkts", 0)'; }
all_packets() { [[ $(pkts) -eq $API_PCAP_PACKETS ]]; }
wait_for "stats.totals.decoder.pkts == $API_PCAP_PACKETS" 60 all_packets || { ctl --json stats >&2; exit 1; }
ctl stats | tee "$TMP/stats.txt" | head -20
grep -Eq "^decoder\.pkts +$API_PCAP_PACKETS$" "$TMP/stats.txt" || fail "stats table: no 'decoder.pkts $API_PCAP_PACKETS' line"
grep -Eq '^WORKER ' "$TMP/stats.txt" || fail "stats table: no per-worker table"

echo "== flows"
ctl flows --top 3 --sort packets | tee "$TMP/flows.txt"
grep -q '^FLOW_ID ' "$TMP/flows.txt" || fail "flows: no table header"
ctl --json flows --top 3 --sort packets >"$TMP/flows.json"
$PY - "$TMP/flows.json" <<'PY' || fail "flows --json"
import json, sys
f = json.load(open(sys.argv[1]))
flows = f.get("flows", [])
pk = [int(x.get("pkts_toserver", 0)) + int(x.get("pkts_toclient", 0)) for x in flows]
print(f"{len(flows)} flows shown of {f.get('active', 0)} active; packets {pk}")
if len(flows) > 3: sys.exit("more flows than --top 3")
if pk != sorted(pk, reverse=True): sys.exit("not sorted by packets")
PY

echo "== alerts"
some_alert() { [[ $(ctl --json alerts | json_get 'len(d.get("alerts", []))') -ge 1 ]]; }
wait_for "at least one alert" 60 some_alert
ctl alerts | tee "$TMP/alerts.txt"
grep -q '192\.0\.2\.66' "$TMP/alerts.txt" || fail "alerts table: nothing from the rogue 192.0.2.66"
ctl --json alerts >"$TMP/alerts.json"
$PY - "$TMP/alerts.json" <<'PY' || fail "alerts --json"
import json, sys
a = json.load(open(sys.argv[1]))["alerts"]
ids = [int(e["alert"]["id"]) for e in a]
print(f"{len(a)} alerts, ids {ids[:10]}")
if any(e["event_type"] != "alert" for e in a): sys.exit("an alert that is not an alert event")
if len(set(ids)) != len(ids): sys.exit("repeated alert ids")
if not any(e.get("src_ip") == "192.0.2.66" for e in a): sys.exit("no alert from the rogue")
PY
FIRST_ID=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["alerts"][0]["alert"]["id"])' "$TMP/alerts.json")
[[ $(ctl --json alerts --limit 1 | json_get 'len(d["alerts"])') -eq 1 ]] || fail "alerts --limit 1"

echo "== alerts --follow --since 0 (the kept alerts come through the stream)"
rc=0
timeout --preserve-status -s INT 5 "$SEGWARDCTL" --token-file "$READ_TOKEN_FILE" --json alerts --follow --since 0 >"$TMP/follow.out" 2>"$TMP/follow.err" || rc=$?
[[ $rc -eq 0 ]] || { cat "$TMP/follow.err" >&2; fail "alerts --follow: exit $rc after SIGINT, expected 0"; }
$PY - "$TMP/follow.out" "$TMP/alerts.json" <<'PY' || fail "alerts --follow"
import json, sys
got = [json.loads(l)["alert"]["id"] for l in open(sys.argv[1]) if l.strip()]
kept = [e["alert"]["id"] for e in json.load(open(sys.argv[2]))["alerts"]]
print(f"stream gave {len(got)} alerts; {len(kept)} kept")
if not got: sys.exit("no alert from the stream")
if got[:len(kept)] != kept: sys.exit(f"stream {got[:5]}... is not the kept alerts {kept[:5]}...")
PY

echo "== evidence of alert $FIRST_ID"
evidence_ready() { ctl evidence "$FIRST_ID" -o "$TMP/alert.pcapng" 2>/dev/null; }
wait_for "evidence of alert $FIRST_ID" 60 evidence_ready
[[ $(od -An -N4 -tx1 "$TMP/alert.pcapng" | tr -d ' ') == 0a0d0d0a ]] || fail "evidence is not pcapng"
expect_exit 1 "evidence of an unknown alert" ctl evidence 999999 -o "$TMP/none.pcapng"
cat "$TMP/last.err"

echo "== policy get / validate / apply"
ctl policy get -o "$TMP/running.yaml"
cmp "$TMP/running.yaml" "$TMP/policy.yaml" || fail "policy get is not the file the sensor runs"
ctl policy get | cmp - "$TMP/policy.yaml" || fail "policy get to standard output"
admin policy validate "$TMP/policy.yaml" | tee "$TMP/valid.txt"
grep -q '^valid: ' "$TMP/valid.txt" || fail "policy validate: no 'valid:' line"
cat >"$TMP/bad.yaml" <<'YAML'
segments:
  zk-servers: { cidrs: [192.0.2.10/32] }
services:
  zookeeper: { proto: tcp, ports: [2181] }
rules:
  - { name: typo, from: no-such-segment, to: zk-servers, service: zookeeper, action: allow }
default: drop
YAML
expect_exit 5 "policy validate of a bad file" admin policy validate "$TMP/bad.yaml"
cat "$TMP/last.err"
grep -Eq ':6:[0-9]+: .*no-such-segment' "$TMP/last.err" || fail "policy validate: no located message naming the segment"
expect_exit 5 "policy apply of a bad file" admin policy apply "$TMP/bad.yaml"
ctl policy get | cmp - "$TMP/policy.yaml" || fail "a refused apply changed the running policy"
expect_exit 3 "policy apply with a read token" ctl policy apply "$TMP/policy.yaml"
cat "$TMP/last.err"
grep -q '403' "$TMP/last.err" || fail "policy apply with a read token: no 403 in the message"

echo "== rules reload"
ctl status | tee "$TMP/status-rules.txt"
grep -q '^signatures *1 rules (' "$TMP/status-rules.txt" || fail "status: no signatures line with 1 rule"
gen_before=$(ctl --json status | json_get 'd.get("rules_generation")')
printf '%s' "$RULES_TWO" >"$API_RULES"
admin rules reload | tee "$TMP/reload.txt"
grep -q '^rules reloaded: 2 rules from 1 files' "$TMP/reload.txt" || fail "rules reload: not 2 rules"
[[ $(ctl --json status | json_get 'd.get("rules_generation")') -eq $((gen_before + 1)) ]] ||
    fail "rules reload: the generation did not move from $gen_before"
version=$(ctl --json status | json_get 'd.get("rules_version")')
printf '%s  - id: 3\n    msg: broken\n    threat: mitm\n    match:\n      - field: tls.sni\n        regex: "(x"\n' \
    "$RULES_TWO" >"$API_RULES"
expect_exit 5 "rules reload of a bad file" admin rules reload
cat "$TMP/last.err"
grep -q "rules.yaml:[0-9]*: rule 3: regex '(x'" "$TMP/last.err" || fail "rules reload: no located error"
[[ $(ctl --json status | json_get 'd.get("rules_version")') == "$version" ]] || fail "a refused reload changed the rules"
expect_exit 3 "rules reload with a read token" ctl rules reload

echo "== exit codes: wrong token 3, closed port 4, usage 2"
(umask 077; echo "not-a-token-of-this-sensor" >"$TMP/wrong.token")
expect_exit 3 "a wrong token" "$SEGWARDCTL" --token-file "$TMP/wrong.token" status
grep -q '401' "$TMP/last.err" || fail "wrong token: no 401 in the message"
expect_exit 0 "the server's ROLE TOKEN file" "$SEGWARDCTL" --token-file "$TMP/tokens" policy validate "$TMP/policy.yaml"
expect_exit 4 "a closed port" "$SEGWARDCTL" --url http://127.0.0.1:1 --token-file "$READ_TOKEN_FILE" status
expect_exit 2 "an unknown --sort" ctl flows --sort nonsense
expect_exit 2 "a missing command" ctl
expect_exit 2 "an unreadable token file" "$SEGWARDCTL" --token-file "$TMP/no-such-file" status

echo "== learn"
ctl learn status
admin learn start
[[ $(ctl --json learn status | json_get 'd.get("active", False)') == True ]] || fail "learn start: not active"
admin learn stop
[[ $(ctl --json learn status | json_get 'd.get("active", False)') == False ]] || fail "learn stop: still active"

echo "== completion bash"
"$SEGWARDCTL" completion bash >"$TMP/completion.bash"
bash -n "$TMP/completion.bash" || fail "completion bash: not valid bash"
bash -c 'source "$1"; COMP_WORDS=(segwardctl policy ""); COMP_CWORD=2; _segwardctl; echo "${COMPREPLY[*]}"' _ "$TMP/completion.bash" \
    | grep -q 'validate' || fail "completion: 'segwardctl policy <TAB>' does not offer validate"

api_sensor_stop
echo "segwardctl: ok"
