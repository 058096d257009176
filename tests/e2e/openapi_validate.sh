#!/usr/bin/env bash
# The OpenAPI document the sensor serves (issue 6): it is the one in the
# source tree (mgmt/api/openapi.json), a validator accepts it
# (@apidevtools/swagger-cli from the npm registry, cached under the build
# directory), and every operation it lists is served by the running sensor
# (openapi_routes.py: not 405 nor the router's 404, with a status and media
# type the document lists).
#
#   openapi_validate.sh SEGWARD_BIN
#
# Needs node and npm (the first run installs the validator: the npm
# registry must be reachable, or SEGWARD_NPM_TOOLS name a directory where
# it is installed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" openapi "$@"
source "$HERE/api_sensor.sh"
PY=/usr/bin/python3
trap 'api_sensor_kill; rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v npm >/dev/null || fail "npm is not installed (platform/install-deps.sh)"

TOOLS=${SEGWARD_NPM_TOOLS:-$(dirname "$BIN")/npm-tools}
VALIDATOR=$TOOLS/node_modules/.bin/swagger-cli
if [[ ! -x $VALIDATOR ]]; then
    echo "== npm install @apidevtools/swagger-cli into $TOOLS"
    mkdir -p "$TOOLS"
    npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error @apidevtools/swagger-cli@4.0.4 >"$TMP/npm.log" 2>&1 ||
        { cat "$TMP/npm.log" >&2; fail "npm install @apidevtools/swagger-cli"; }
fi

api_sensor_start
echo "== GET /api/v1/openapi.json"
curl -fsS --max-time 10 -H "Authorization: Bearer $READ_TOKEN" "$API_URL/api/v1/openapi.json" >"$TMP/openapi.json" ||
    fail "GET /api/v1/openapi.json"
$PY - "$TMP/openapi.json" "$ROOT/mgmt/api/openapi.json" <<'PY' || fail "the served document is not mgmt/api/openapi.json"
import json, sys
sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)
PY

echo "== swagger-cli validate"
"$VALIDATOR" validate "$TMP/openapi.json" || fail "swagger-cli: the document is not valid OpenAPI"

echo "== every operation is served"
# An alert id with evidence, so that the evidence route answers 200 (a 404
# for an unknown id is also listed, but proves less).
alerts_in() {
    curl -fsS --max-time 5 -H "Authorization: Bearer $READ_TOKEN" "$API_URL/api/v1/alerts" >"$TMP/alerts.json" &&
        $PY -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get("alerts") else 1)' "$TMP/alerts.json"
}
wait_for "an alert" 60 alerts_in
ALERT_ID=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["alerts"][0]["alert"]["id"])' "$TMP/alerts.json")
evidence_in() {
    curl -fsS --max-time 5 -o /dev/null -H "Authorization: Bearer $READ_TOKEN" "$API_URL/api/v1/evidence/$ALERT_ID.pcapng"
}
wait_for "the evidence of alert $ALERT_ID" 60 evidence_in
$PY "$HERE/openapi_routes.py" "$TMP/openapi.json" "$API_URL" "$ADMIN_TOKEN" "$TMP/policy.yaml" "$ALERT_ID" ||
    fail "a route of the document is not served as documented"

api_sensor_stop
echo "openapi_validate: ok"
