#!/usr/bin/env bash
# A real Prometheus scrapes segward (issue 6): the /metrics text passes
# `promtool check metrics` with no complaint, and Prometheus, scraping both
# the separate metrics listener (no token) and the API listener (bearer
# read token from a credentials file), stores segward_rx_packets_total equal
# to the packets of the replayed capture, with up == 1 for both jobs.
#
#   api_prometheus.sh SEGWARD_BIN
#
# Needs prometheus and promtool (Debian package prometheus) and curl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" api-prometheus "$@"
source "$HERE/api_sensor.sh"
PY=/usr/bin/python3
PROM_PID=
cleanup() {
    set +e
    if [[ -n $PROM_PID ]]; then kill -KILL "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null; fi
    api_sensor_kill
    rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in prometheus promtool curl; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (platform/install-deps.sh)"
done

api_sensor_start metrics
scrape() { curl -fsS --max-time 5 "$METRICS_URL/metrics" >"$TMP/metrics.txt"; }
counted_all() {
    scrape && grep -qx "segward_rx_packets_total $API_PCAP_PACKETS" "$TMP/metrics.txt"
}
wait_for "/metrics: segward_rx_packets_total $API_PCAP_PACKETS" 60 counted_all || { cat "$TMP/metrics.txt" >&2; exit 1; }
echo "$(grep -c '^# TYPE' "$TMP/metrics.txt") families, $(grep -vc '^#' "$TMP/metrics.txt") samples"

echo "== promtool check metrics"
rc=0
promtool check metrics <"$TMP/metrics.txt" >"$TMP/promtool.out" 2>&1 || rc=$?
if [[ $rc -ne 0 || -s $TMP/promtool.out ]]; then
    cat "$TMP/promtool.out" >&2
    fail "promtool check metrics: exit $rc"
fi

echo "== /metrics on the API listener needs a token"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$API_URL/metrics")
[[ $code == 401 ]] || fail "API /metrics without a token answered $code, expected 401"
curl -fsS --max-time 5 -H "Authorization: Bearer $READ_TOKEN" "$API_URL/metrics" >"$TMP/api-metrics.txt" ||
    fail "API /metrics with the read token"
grep -q '^segward_rx_packets_total ' "$TMP/api-metrics.txt" || fail "API /metrics: no segward_rx_packets_total"

echo "== Prometheus"
PROM_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
strip() { echo "${1#http://}"; }
cat >"$TMP/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: segward
    static_configs: [{targets: ["$(strip "$METRICS_URL")"]}]
  - job_name: segward-api
    authorization: {type: Bearer, credentials_file: "$READ_TOKEN_FILE"}
    static_configs: [{targets: ["$(strip "$API_URL")"]}]
YAML
promtool check config "$TMP/prometheus.yml" >/dev/null || fail "promtool check config"
prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/tsdb" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$TMP/prometheus.log" 2>&1 &
PROM_PID=$!

# query EXPR WANT: Prometheus's instant query of EXPR gives exactly one
# series, of value WANT.
query() {
    curl -fsS --max-time 5 "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" >"$TMP/query.json" 2>/dev/null ||
        return 1
    $PY - "$TMP/query.json" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["data"]["result"]
sys.exit(0 if len(r) == 1 and float(r[0]["value"][1]) == float(sys.argv[2]) else 1)
PY
}
for job in segward segward-api; do
    wait_for "Prometheus: up{job=\"$job\"} == 1" 60 query "up{job=\"$job\"}" 1 ||
        { cat "$TMP/query.json" "$TMP/prometheus.log" >&2; exit 1; }
    wait_for "Prometheus: segward_rx_packets_total{job=\"$job\"} == $API_PCAP_PACKETS" 60 \
        query "segward_rx_packets_total{job=\"$job\"}" "$API_PCAP_PACKETS" || { cat "$TMP/query.json" >&2; exit 1; }
    echo "job $job: up 1, segward_rx_packets_total $API_PCAP_PACKETS"
done
# A per-worker series and a labelled one made it too.
query "sum(segward_worker_rx_packets_total{job=\"segward\"})" "$API_PCAP_PACKETS" ||
    { cat "$TMP/query.json" >&2; fail "the per-worker packets do not add up to the total"; }
query "count(segward_info{job=\"segward\",mode=\"tap\"})" 1 || { cat "$TMP/query.json" >&2; fail "segward_info{mode=\"tap\"}"; }

kill -TERM "$PROM_PID"; wait "$PROM_PID" 2>/dev/null || true; PROM_PID=
api_sensor_stop
echo "api_prometheus: ok"
