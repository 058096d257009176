#!/usr/bin/env bash
# The REST API of a running sensor, driven with curl as an operator would
# (issue 6): `segward run` in tap mode on the bundled ZooKeeper capture
# (net_pcap replays it once, then the port stays idle), the API on an
# ephemeral loopback port learnt from the log line
# "REST API listening on http://HOST:PORT".
#
#   api_curl.sh SEGWARD_BIN
#
# Checks: /healthz needs no token; /api/v1/status is 401 without a token and
# with an unknown one, 200 with the read token; PUT /api/v1/policy with the
# read token is 403; a policy naming an unknown segment is refused with 400
# and a located message (FILE:LINE:COL) and the old policy keeps running
# (GET /api/v1/policy returns it unchanged); a good policy is applied (200,
# a new policy_generation in the status, GET returns it); the stats count
# the refusals (unauthorized, forbidden); /metrics answers with the token;
# SIGTERM ends segward with exit 0.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" api-curl "$@"
PY=/usr/bin/python3
fail() {
    echo "FAIL: $*" >&2
    [[ -f $TMP/err ]] && { echo "--- segward's stderr:" >&2; cat "$TMP/err" >&2; }
    exit 1
}
need() { command -v "$1" >/dev/null || fail "$1 is not installed"; }
need curl
need "$PY"

SEG_PID=
cleanup() {
    set +e
    [[ -n $SEG_PID ]] && kill -KILL "$SEG_PID" 2>/dev/null && wait "$SEG_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

READ=read-token-e2e-0123456789
ADMIN=admin-token-e2e-0123456789
printf '# api_curl.sh\nread %s\nadmin %s\n' "$READ" "$ADMIN" >"$TMP/tokens"
chmod 600 "$TMP/tokens"
cp "$ROOT/mgmt/policies/default.yaml" "$TMP/policy.yaml"
OLD_POLICY=$(cat "$TMP/policy.yaml")
cat >"$TMP/segward.yaml" <<YAML
eal: {args: [--no-huge, --no-shconf, --no-pci, -l, "0-1", -m, "256", --no-telemetry, --log-level, "*:error"]}
dataplane:
  mode: tap
  workers: 1
  ports:
    - {name: tap0, device: "net_pcap0,rx_pcap=$ROOT/tests/data/zk-cluster.pcap"}
outputs: {eve: {path: "$TMP/eve.json"}}
policy: policy.yaml
api: {listen: "127.0.0.1:0", tokens: tokens}
YAML

echo "== check-config reads the token file as run does"
"$BIN" check-config "$TMP/segward.yaml" >"$TMP/check.out" 2>&1 || fail "check-config refused the config: $(cat "$TMP/check.out")"
grep -qx 'api: http://127.0.0.1:0, 2 tokens' "$TMP/check.out" || fail "check-config: $(cat "$TMP/check.out")"
chmod 644 "$TMP/tokens"
rc=0; "$BIN" check-config "$TMP/segward.yaml" >"$TMP/check.out" 2>&1 || rc=$?
[[ $rc -eq 2 ]] && grep -q 'chmod 600' "$TMP/check.out" || fail "check-config with a 0644 token file: exit $rc, $(cat "$TMP/check.out")"
chmod 600 "$TMP/tokens"
echo "ok: check-config"

echo "== segward run"
"$BIN" run --config "$TMP/segward.yaml" 2>"$TMP/err" &
SEG_PID=$!
URL=
for _ in $(seq 300); do  # 30 s
    URL=$(sed -n 's|.*REST API listening on \(https\?://[^ ]*\).*|\1|p' "$TMP/err" | head -n 1)
    [[ -n $URL ]] && break
    kill -0 "$SEG_PID" 2>/dev/null || fail "segward exited before the API listened"
    sleep 0.1
done
[[ -n $URL ]] || fail "no 'REST API listening on' line within 30 s"
echo "API at $URL"

# http_code METHOD PATH TOKEN [curl args...]: the status; the body in $TMP/body.
http_code() {
    local method=$1 path=$2 token=$3
    shift 3
    local auth=()
    [[ -n $token ]] && auth=(-H "Authorization: Bearer $token")
    curl -sS --max-time 15 -o "$TMP/body" -w '%{http_code}' -X "$method" "${auth[@]}" "$@" "$URL$path"
}
# expect CODE METHOD PATH TOKEN [curl args...]
expect() {
    local want=$1
    shift
    local got
    got=$(http_code "$@") || fail "curl $1 $2 failed"
    [[ $got == "$want" ]] || fail "$1 $2: HTTP $got, expected $want: $(cat "$TMP/body")"
    echo "ok: $1 $2 -> $got"
}
# json EXPR: EXPR of the last body's JSON (as j), printed.
json() { "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$TMP/body"; }

expect 200 GET /healthz ""
[[ $(json 'j["status"]') == ok ]] || fail "healthz body: $(cat "$TMP/body")"
expect 401 GET /api/v1/status ""
grep -q '"error":"unauthorized"' "$TMP/body" || fail "401 without an Error body: $(cat "$TMP/body")"
expect 401 GET /api/v1/status "not-a-token-0123456789"
expect 200 GET /api/v1/status "$READ"
GEN0=$(json 'j["policy_generation"]')
VERSION0=$(json 'j["policy_version"]')
echo "policy generation $GEN0, version $VERSION0"

expect 403 PUT /api/v1/policy "$READ" -H 'Content-Type: application/yaml' --data-binary @"$TMP/policy.yaml"

# A rule naming a segment that does not exist: refused, located.
sed '/^rules:$/a\  - {name: e2e-bad, from: no-such-segment, to: any, service: zookeeper, action: allow}' \
    "$TMP/policy.yaml" >"$TMP/bad.yaml"
expect 400 PUT /api/v1/policy "$ADMIN" -H 'Content-Type: application/yaml' --data-binary @"$TMP/bad.yaml"
MESSAGE=$(json 'j["message"]')
echo "refused: $MESSAGE"
[[ $(json 'j["error"]') == invalid_policy ]] || fail "the refusal is not invalid_policy: $(cat "$TMP/body")"
[[ $MESSAGE =~ :[0-9]+:[0-9]+: ]] || fail "the refusal is not located (FILE:LINE:COL): $MESSAGE"
expect 200 GET /api/v1/policy "$READ"
[[ $(json 'j["text"]') == "$OLD_POLICY" ]] || fail "GET /api/v1/policy after a refused PUT is not the old policy"
expect 200 GET /api/v1/status "$READ"
[[ $(json 'j["policy_version"]') == "$VERSION0" ]] || fail "a refused policy changed the running version"

# A good one: the default policy with one more service and rule.
sed -e '/^services:$/a\  e2e-ssh: {proto: tcp, ports: [22]}' \
    -e '/^rules:$/a\  - {name: e2e-ssh, from: any, to: any, service: e2e-ssh, action: alert}' \
    "$TMP/policy.yaml" >"$TMP/good.yaml"
expect 200 PUT /api/v1/policy "$ADMIN" -H 'Content-Type: application/yaml' --data-binary @"$TMP/good.yaml"
[[ $(json 'j["valid"]') == True ]] || fail "PUT answered 200 without valid: true: $(cat "$TMP/body")"
GEN1=$GEN0
for _ in $(seq 100); do  # the status is republished every 0.5 s: 10 s
    expect 200 GET /api/v1/status "$READ" >/dev/null
    GEN1=$(json 'j["policy_generation"]')
    [[ $GEN1 != "$GEN0" ]] && break
    sleep 0.1
done
[[ $GEN1 != "$GEN0" ]] || fail "policy_generation still $GEN0 10 s after the PUT"
echo "policy generation $GEN0 -> $GEN1"
expect 200 GET /api/v1/policy "$READ"
[[ $(json 'j["text"]') == "$(cat "$TMP/good.yaml")" ]] || fail "GET /api/v1/policy is not the policy PUT"

expect 200 GET /api/v1/stats "$READ"
UNAUTHORIZED=$(json 'j["api"]["unauthorized"]')
FORBIDDEN=$(json 'j["api"]["forbidden"]')
echo "stats: unauthorized $UNAUTHORIZED, forbidden $FORBIDDEN"
((UNAUTHORIZED == 2)) || fail "stats count $UNAUTHORIZED unauthorized requests, expected 2"
((FORBIDDEN == 1)) || fail "stats count $FORBIDDEN forbidden requests, expected 1"

expect 401 GET /metrics ""
expect 200 GET /metrics "$READ"
grep -q '^segward_api_requests_total' "$TMP/body" || fail "/metrics has no segward_api_requests_total"
# The refusals so far: no token and a wrong token on status, no token on /metrics; a read token on PUT.
grep -qx 'segward_api_refused_total{reason="unauthorized"} 3' "$TMP/body" ||
    fail "/metrics does not count 3 unauthorized requests: $(grep refused_total "$TMP/body" | tr '\n' ' ')"
grep -qx 'segward_api_refused_total{reason="forbidden"} 1' "$TMP/body" ||
    fail "/metrics does not count 1 forbidden request: $(grep refused_total "$TMP/body" | tr '\n' ' ')"

echo "== SIGTERM"
kill -TERM "$SEG_PID"
timeout 30 tail --pid="$SEG_PID" -f /dev/null || fail "segward did not exit within 30 s of SIGTERM"
rc=0
wait "$SEG_PID" || rc=$?
SEG_PID=
[[ $rc -eq 0 ]] || fail "segward exited $rc after SIGTERM"
echo "PASS: api_curl"
