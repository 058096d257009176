#!/usr/bin/env bash
# Replay a fresh capture of real TLS handshakes (OpenSSL s_server/s_client,
# curl) and protocol mismatches (plain HTTP on 443, a ClientHello to 2181)
# through segward and check its EVE `tls` and `anomaly` events against what
# the tools reported (version, cipher, SNI, certificate) and what tshark and
# an independent JA4 implementation computed (JA3, JA3S, JA4).
#
#   tls_vs_openssl.sh SEGWARD_BIN
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh" tls "$@"

echo "== JA4 implementation on FoxIO's published examples"
/usr/bin/python3 "$HERE/ja4.py" --self-test | tail -n 1

echo "== capturing fresh TLS traffic"
timeout 180 bash "$ROOT/tests/data/make-tls-capture.sh" "$TMP/cap" </dev/null >"$TMP/capture.log" 2>&1 || {
    tail -n 30 "$TMP/capture.log" >&2
    echo "FAIL: capture script" >&2
    exit 1
}
tail -n 2 "$TMP/capture.log"

echo "== comparator self-test on the fresh expectations"
/usr/bin/python3 "$HERE/compare_tls_events.py" --self-test "$TMP/cap/tls.expected.jsonl" >"$TMP/selftest.log" || {
    cat "$TMP/selftest.log" >&2; echo "FAIL: comparator self-test" >&2; exit 1; }

replay_to_eve "$TMP/cap/tls.pcap"

echo "== compare tls and anomaly events with the tools' reports"
/usr/bin/python3 "$HERE/compare_tls_events.py" "$TMP/cap/tls.expected.jsonl" "$TMP/eve.json"
