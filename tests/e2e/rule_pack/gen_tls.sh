#!/usr/bin/env bash
# The rule pack's TLS capture: Debian 12's OpenSSL 3 s_server at
# 192.0.2.10:4433 and one client per scenario from its own address.
#
#   gen_tls.sh OUT.pcap SCENARIO_LOG
#
# s_client on both ends where OpenSSL 3 still speaks it at SECLEVEL=0:
#   tls10 .100, tls11 .101 (-tls1 / -tls1_1 on both sides), null .102
#   (NULL-SHA256), anon .103 (ADH, s_server -nocert).
# OpenSSL 3 can no longer offer RC4 or EXPORT suites nor send an
# SSLv2-compatible hello, so for rc4 .105, export .106 and sslv2 .107 a
# hand-built ClientHello (tls_hello.py, python3) goes to a real s_server.
# s_client cannot bind a source address: the route gives each its own.
# Needs root, openssl, tcpdump, /usr/bin/python3.
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 OUT.pcap SCENARIO_LOG" >&2; exit 2; }
OUT=$(realpath -m "$1")
RP_SCENARIOS=$(realpath -m "$2")
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
CAP=$(basename "$OUT")
SRV=192.0.2.10

rp_init tls
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$RP_TMP/key.pem" -out "$RP_TMP/cert.pem" -days 30 \
    -subj "/CN=master.example.test" 2>/dev/null
rp_net "$SRV" "$(echo 192.0.2.{100..107})"

server() { # NACCEPT S_SERVER_ARGS...: a fresh s_server on :4433
    local n=$1
    shift
    rp_bg "$RP_TMP/s_server.log" timeout 30 openssl s_server -accept "$SRV:4433" -naccept "$n" -www "$@"
    SRV_PID=$RP_LAST
    rp_wait_listen "$SRV:4433" "$SRV_PID" s_server || { cat "$RP_TMP/s_server.log" >&2; exit 1; }
}
client() { # NAME IP S_CLIENT_ARGS...: one handshake, then s_client's verdict
    local name=$1 ip=$2
    shift 2
    rp_src "$ip"
    rp_scenario "$CAP" "$name" "$ip"
    in_c timeout 10 openssl s_client -connect "$SRV:4433" -servername master.example.test "$@" </dev/null \
        >"$RP_TMP/$name.log" 2>&1 || true
    local proto cipher
    proto=$(grep -m1 -E '^ *Protocol *:' "$RP_TMP/$name.log" | tr -s ' ' || true)
    cipher=$(grep -m1 -E '^ *Cipher *:' "$RP_TMP/$name.log" | tr -s ' ' || true)
    [[ -n $cipher && $cipher != *"0000"* ]] || { echo "[$name] no handshake:" >&2; head -n 15 "$RP_TMP/$name.log" "$RP_TMP/s_server.log" >&2; exit 1; }
    echo "[$name] from $ip:$proto /$cipher"
    rp_stop "$SRV_PID"
}
KEYS=(-cert "$RP_TMP/cert.pem" -key "$RP_TMP/key.pem")

rp_capture_start "$OUT"
server 1 "${KEYS[@]}" -tls1 -cipher 'DEFAULT@SECLEVEL=0'
client tls10 192.0.2.100 -tls1 -cipher 'DEFAULT@SECLEVEL=0'
server 1 "${KEYS[@]}" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
client tls11 192.0.2.101 -tls1_1 -cipher 'DEFAULT@SECLEVEL=0'
server 1 "${KEYS[@]}" -tls1_2 -cipher 'NULL-SHA256@SECLEVEL=0'
client null 192.0.2.102 -tls1_2 -cipher 'NULL-SHA256@SECLEVEL=0'
server 1 -nocert -tls1_2 -cipher 'ADH-AES128-GCM-SHA256@SECLEVEL=0'
client anon 192.0.2.103 -tls1_2 -cipher 'aNULL@SECLEVEL=0'

server 3 "${KEYS[@]}" -cipher 'DEFAULT@SECLEVEL=0'
for sc in rc4:105 export:106 sslv2:107; do
    rp_scenario "$CAP" "${sc%%:*}-offered" "192.0.2.${sc##*:}"
    in_c timeout 10 "$RP_PY" "$RP_HERE/tls_hello.py" "${sc%%:*}" "$SRV:4433" "192.0.2.${sc##*:}"
done
rp_stop "$SRV_PID"
rp_capture_stop
