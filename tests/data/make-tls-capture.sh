#!/usr/bin/env bash
# Capture real TLS handshakes (OpenSSL's s_server and s_client, curl) and
# two protocol mismatches, with what the tools themselves reported.
#
#   make-tls-capture.sh OUT_DIR
#
# writes OUT_DIR/tls.pcap and OUT_DIR/tls.expected.jsonl: per handshake the
# version and cipher s_client (or curl) printed (cipher mapped to its IANA
# name with `openssl ciphers -stdname`), the SNI it was given, the server
# certificate's SHA-256 fingerprint, subject, issuer, serial and validity
# from `openssl x509`, JA3/JA3S as tshark computes them, and JA4 computed by
# tests/e2e/ja4.py from tshark's decoded ClientHello; per mismatch the
# anomaly segward must raise (tests/e2e/tls_expected.py builds the file and
# cross-checks the tools against the capture).
#
# Two network namespaces joined by a veth pair: the servers in one
# (192.0.2.10), the clients in the other (192.0.2.20); tcpdump records TCP
# on the client end with full snaplen. Cases, one after the other:
#   tls12      s_client -tls1_2 -servername zk.example.test
#              -cipher ECDHE-RSA-AES256-GCM-SHA384 -> s_server :443
#   tls13      s_client -tls1_3 -servername master.example.test -> s_server :2281
#   alpn       s_client -alpn h2,http/1.1 -servername admin.example.test
#              -> s_server :8443 (-alpn h2, TLS 1.2 at most: the client
#              offers 1.3, the server settles on 1.2)
#   curl       curl https://api.example.test/ (TLS 1.3, ALPN h2,http/1.1,
#              source port 20444) -> s_server -www :443
#   http-on-443   curl http://192.0.2.10:443/ (source port 20080) against a
#                 plain HTTP server (python3 -m http.server) on 443:
#                 anomaly expected tls, detected http
#   tls-on-2181   s_client -> a plain TCP listener (nc -l) on 2181, which
#                 never answers: anomaly expected zookeeper, detected tls
# The test PKI is made fresh each run: CA "CN=segward test CA", server
# "CN=zk.example.test" (SANs zk/master/admin/api.example.test), serial
# 1A:2B:3C:4D:5E:6F:70:81, RSA 2048. Every tool runs under `timeout`.
# Needs root, openssl, tcpdump, tshark, curl, nc, /usr/bin/python3.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 OUT_DIR" >&2
    exit 2
fi
OUT=$(realpath -m "$1")
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E=$(cd "$HERE/../e2e" && pwd)
PY=/usr/bin/python3
SRV_IP=192.0.2.10
CLI_IP=192.0.2.20

for tool in openssl tcpdump tshark curl nc ip "$PY"; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

TAG=$$
NS_S=segtls-s-$TAG
NS_C=segtls-c-$TAG
IF_S=tls$TAG
IF_C=tlc$TAG
TMP=$(mktemp -d /tmp/segtls.XXXXXX)
SRV_PID=
DUMP_PID=

cleanup() {
    set +e
    # Background jobs are started with `ip netns exec` (which execs), so these
    # pids are the programs themselves.
    local p
    for p in "$DUMP_PID" "$SRV_PID"; do
        [[ -n $p ]] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    local ns pid
    for ns in "$NS_S" "$NS_C"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
    done
    ip netns del "$NS_S" 2>/dev/null
    ip netns del "$NS_C" 2>/dev/null
    ip link del "$IF_S" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

# --- test PKI ------------------------------------------------------------------
PKI=$TMP/pki
mkdir -p "$PKI"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.pem" -days 3650 \
    -subj "/CN=segward test CA" -set_serial 0x0C0FFEE0 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$PKI/server.key" -out "$PKI/server.csr" \
    -subj "/CN=zk.example.test" 2>/dev/null
cat >"$PKI/server.ext" <<'EOF'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:zk.example.test,DNS:master.example.test,DNS:admin.example.test,DNS:api.example.test
EOF
openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -set_serial 0x1A2B3C4D5E6F7081 \
    -days 365 -sha256 -extfile "$PKI/server.ext" -out "$PKI/server.pem" 2>/dev/null
openssl verify -CAfile "$PKI/ca.pem" "$PKI/server.pem" >/dev/null

# --- network -------------------------------------------------------------------
source "$HERE/netns_pair.sh"
netns_pair "$NS_S" "$IF_S" "$SRV_IP" "$NS_C" "$IF_C" "$CLI_IP"

wait_listen() { # PORT PID LABEL: wait until SRV_IP:PORT listens (10 s)
    for _ in $(seq 1 100); do
        kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; return 1; }
        in_s ss -Hltn src "$SRV_IP:$1" 2>/dev/null | grep -q LISTEN && return 0
        sleep 0.1
    done
    echo "$3 not listening on $1 after 10 s" >&2
    return 1
}
# Start a server in the server namespace (SRV_PID), wait for its port.
start_server() { # LOG PORT LABEL COMMAND...
    local log=$1 port=$2 label=$3
    shift 3
    ip netns exec "$NS_S" "$@" </dev/null >"$log" 2>&1 &
    SRV_PID=$!
    wait_listen "$port" "$SRV_PID" "$label" || { tail -n 20 "$log" >&2; exit 1; }
}
stop_server() {
    if [[ -n $SRV_PID ]]; then
        kill "$SRV_PID" 2>/dev/null || true
        wait "$SRV_PID" 2>/dev/null || true
        SRV_PID=
    fi
}
RUNS=$TMP/runs.jsonl
: >"$RUNS"
log_run() { # CASE TOOL SERVER_PORT SNI LOCAL_PORT|"" LOG
    printf '{"case":"%s","tool":"%s","server_port":%d,"sni":"%s","local_port":%s,"log":"%s"}\n' \
        "$1" "$2" "$3" "$4" "${5:-null}" "$6" >>"$RUNS"
}
s_client() { # CASE PORT SNI ARGS...: one handshake, s_client's report in TMP/CASE.log
    local case=$1 port=$2 sni=$3
    shift 3
    in_c timeout 10 openssl s_client -connect "$SRV_IP:$port" -servername "$sni" -CAfile "$PKI/ca.pem" \
        -verify_return_error "$@" </dev/null >"$TMP/$case.log" 2>&1 || {
        echo "s_client ($case) failed:" >&2; tail -n 20 "$TMP/$case.log" >&2; exit 1; }
    log_run "$case" s_client "$port" "$sni" "" "$TMP/$case.log"
    echo "[$case] $(grep -m1 -E '^ *Protocol *:' "$TMP/$case.log" | tr -s ' ') /$(grep -m1 -E '^ *Cipher *:' "$TMP/$case.log" | tr -s ' ')"
}
SERVER_ARGS=(-cert "$PKI/server.pem" -key "$PKI/server.key")

# --- capture -------------------------------------------------------------------
T0=$SECONDS
ip netns exec "$NS_C" tcpdump -i "$IF_C" -s 0 -U -n -w "$TMP/cap.pcap" tcp >"$TMP/dump.log" 2>&1 &
DUMP_PID=$!
for _ in $(seq 1 50); do
    grep -q "listening on" "$TMP/dump.log" && break
    sleep 0.1
done
grep -q "listening on" "$TMP/dump.log" || { echo "tcpdump did not start" >&2; cat "$TMP/dump.log" >&2; exit 1; }

# tls12 and curl: s_server on 443, two connections.
start_server "$TMP/srv-443.log" 443 "s_server :443" \
    timeout 30 openssl s_server -accept "$SRV_IP:443" "${SERVER_ARGS[@]}" -naccept 2 -www
s_client tls12 443 zk.example.test -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384
in_c timeout 10 curl -sS -v --max-time 5 --local-port 20444 --cacert "$PKI/ca.pem" \
    --resolve "api.example.test:443:$SRV_IP" -o /dev/null https://api.example.test/ >"$TMP/curl.log" 2>&1 || {
    echo "curl https failed:" >&2; tail -n 20 "$TMP/curl.log" >&2; exit 1; }
log_run curl curl 443 api.example.test 20444 "$TMP/curl.log"
echo "[curl] $(grep -m1 'SSL connection using' "$TMP/curl.log")"
stop_server

# tls13: s_server on 2281.
start_server "$TMP/srv-2281.log" 2281 "s_server :2281" \
    timeout 30 openssl s_server -accept "$SRV_IP:2281" "${SERVER_ARGS[@]}" -naccept 1 -www
s_client tls13 2281 master.example.test -tls1_3
stop_server

# alpn: s_server on 8443 selects h2 and speaks TLS 1.2 at most.
start_server "$TMP/srv-8443.log" 8443 "s_server :8443" \
    timeout 30 openssl s_server -accept "$SRV_IP:8443" "${SERVER_ARGS[@]}" -naccept 1 -www -alpn h2 -no_tls1_3
s_client alpn 8443 admin.example.test -alpn h2,http/1.1
grep -q "ALPN protocol: h2" "$TMP/alpn.log" || { echo "alpn: h2 not negotiated" >&2; exit 1; }
stop_server

# http-on-443: plaintext HTTP to the TLS port.
mkdir -p "$TMP/www"
echo "segward test page" >"$TMP/www/index.html"
start_server "$TMP/http-443.log" 443 "http.server :443" \
    timeout 30 "$PY" -m http.server 443 --bind "$SRV_IP" --directory "$TMP/www"
in_c timeout 10 curl -sS --max-time 5 --local-port 20080 -o "$TMP/http-443.body" "http://$SRV_IP:443/" || {
    echo "plain HTTP to :443 failed" >&2; exit 1; }
log_run http-on-443 curl 443 "" 20080 ""
echo "[http-on-443] got $(stat -c %s "$TMP/http-443.body") bytes over plain HTTP"
stop_server

# tls-on-2181: a ClientHello to a port that expects ZooKeeper. The listener
# never answers; s_client gives up after 3 s (timeout), the kernel closes.
start_server "$TMP/nc-2181.log" 2181 "nc -l :2181" timeout 30 nc -d -l "$SRV_IP" 2181
in_c timeout 3 openssl s_client -connect "$SRV_IP:2181" -servername zk.example.test </dev/null \
    >"$TMP/tls-on-2181.log" 2>&1 || true
log_run tls-on-2181 s_client 2181 zk.example.test "" "$TMP/tls-on-2181.log"
sleep 0.3
stop_server

if (( SECONDS - T0 > 60 )); then
    echo "traffic phase exceeded 60 s" >&2; exit 1
fi
sleep 1   # let the last FIN/ACKs be captured
kill -INT "$DUMP_PID"; wait "$DUMP_PID" 2>/dev/null || true; DUMP_PID=

mkdir -p "$OUT"
cp "$TMP/cap.pcap" "$OUT/tls.pcap"
"$PY" "$E2E/tls_expected.py" --pcap "$OUT/tls.pcap" --runs "$RUNS" --cert "$PKI/server.pem" \
    --out "$OUT/tls.expected.jsonl"
echo "wrote $OUT/tls.pcap ($(stat -c %s "$OUT/tls.pcap") bytes), $OUT/tls.expected.jsonl ($(wc -l <"$OUT/tls.expected.jsonl") records); traffic phase $((SECONDS - T0)) s"
