#!/usr/bin/env bash
# Regenerates the real-traffic test data: OpenSSL 3 s_server and s_client on
# loopback, captured with tcpdump, payloads extracted with tshark into
# <name>.segments ("C <hex>" / "S <hex>", one TCP payload a line, capture
# order) and what the tools said into <name>.expected. Needs root (tcpdump)
# and ports 24431..24437 free. The tests hard-code the values from the
# .expected files; rerunning makes a new key and dates: update the kLeaf*
# constants in ../tls_test_support.h, and rerun make_fuzz_seeds.py.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -set_serial 7 \
  -subj "/C=US/O=Segward Test CA/CN=Segward Test Root" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr \
  -subj "/C=US/ST=California/L=San Francisco/O=Segward Test/OU=Sensors/CN=tls-test.segward.example/emailAddress=ops@segward.example" 2>/dev/null
printf 'subjectAltName=DNS:tls-test.segward.example\n' > ext.cnf
openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -set_serial 0x00c0ffee1234567890 -days 825 \
  -extfile ext.cnf -out leaf.crt 2>/dev/null

capture() {  # name port server-args -- client-args (s_client, or any command after "wget")
  local name=$1 port=$2; shift 2
  local server_args=() client_args=()
  while [[ $1 != -- ]]; do server_args+=("$1"); shift; done; shift
  client_args=("$@")
  local client=(openssl s_client -connect "127.0.0.1:$port" "${client_args[@]}")
  [[ ${client_args[0]} == wget ]] && client=("${client_args[@]}")
  tcpdump -i lo -U --immediate-mode -s 0 -w "$name.pcap" "tcp port $port" 2>/dev/null & local dump=$!
  sleep 1
  timeout 10 openssl s_server -accept "127.0.0.1:$port" -cert leaf.crt -key leaf.key -cert_chain ca.crt \
    -naccept 1 -quiet "${server_args[@]}" >/dev/null 2>&1 </dev/null & local server=$!
  sleep 0.5
  timeout 10 "${client[@]}" </dev/null >"$name.client.txt" 2>&1 || true
  wait "$server" || true
  sleep 1
  kill "$dump"; wait "$dump" || true
  tshark -r "$name.pcap" -Y 'tcp.len > 0' -T fields -e tcp.srcport -e tcp.payload 2>/dev/null |
    awk -v p="$port" '{ print ($1 == p ? "S" : "C"), $2 }' > "$here/$name.segments"
  {
    grep -E '^ *(Protocol|Cipher) *:|^New, |Reused, ' "$name.client.txt" || true
    tshark -r "$name.pcap" -Y 'tls.handshake.type == 1' -T fields -e tls.handshake.ja3_full -e tls.handshake.ja3 2>/dev/null | sed 's/^/ja3 /'
    tshark -r "$name.pcap" -Y 'tls.handshake.type == 2' -T fields -e tls.handshake.ja3s_full -e tls.handshake.ja3s 2>/dev/null | sed 's/^/ja3s /'
    tshark -r "$name.pcap" -Y 'tls.alert_message' -T fields -e tls.alert_message.level -e tls.alert_message.desc 2>/dev/null | sed 's/^/alert /'
  } > "$here/$name.expected"
}

capture tls12 24431 -tls1_2 -alpn h2,http/1.1 -- -tls1_2 -servername tls-test.segward.example -alpn h2,http/1.1
capture tls13 24432 -- -servername tls-test.segward.example -alpn h2
capture no_shared_cipher 24433 -tls1_2 -cipher AES128-SHA -- -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384 -servername tls-test.segward.example
capture hello_retry 24434 -groups P-256 -- -groups X25519:P-256 -servername tls-test.segward.example
# GnuTLS (Debian's wget) as the client: another stack's hello for the JA3 comparison.
capture gnutls_tls12 24436 -tls1_2 -www -- wget -4 -q -O /dev/null --no-check-certificate https://localhost:24436/
capture gnutls_tls13 24437 -www -- wget -4 -q -O /dev/null --no-check-certificate https://localhost:24437/

# TLS 1.2 session-id resumption: a first connection saves the session, the
# captured second one resumes it (abbreviated handshake, no Certificate).
timeout 10 openssl s_server -accept 127.0.0.1:24435 -cert leaf.crt -key leaf.key -naccept 2 -quiet -tls1_2 -no_ticket \
  >/dev/null 2>&1 </dev/null & server=$!
sleep 0.5
timeout 10 openssl s_client -connect 127.0.0.1:24435 -tls1_2 -no_ticket -sess_out sess.pem </dev/null >/dev/null 2>&1 || true
tcpdump -i lo -U --immediate-mode -s 0 -w resumed.pcap "tcp port 24435" 2>/dev/null & dump=$!
sleep 1
timeout 10 openssl s_client -connect 127.0.0.1:24435 -tls1_2 -no_ticket -sess_in sess.pem </dev/null >resumed.client.txt 2>&1 || true
wait "$server" || true
sleep 1
kill "$dump"; wait "$dump" || true
tshark -r resumed.pcap -Y 'tcp.len > 0' -T fields -e tcp.srcport -e tcp.payload 2>/dev/null |
  awk '{ print ($1 == 24435 ? "S" : "C"), $2 }' > "$here/resumed.segments"
{
  grep -E '^ *(Protocol|Cipher) *:|^New, |Reused, ' resumed.client.txt || true
  tshark -r resumed.pcap -Y 'tls.handshake.type == 1' -T fields -e tls.handshake.ja3_full -e tls.handshake.ja3 2>/dev/null | sed 's/^/ja3 /'
  tshark -r resumed.pcap -Y 'tls.handshake.type == 2' -T fields -e tls.handshake.ja3s_full -e tls.handshake.ja3s 2>/dev/null | sed 's/^/ja3s /'
} > "$here/resumed.expected"

{
  openssl x509 -in leaf.crt -noout -subject -issuer -serial -dates -fingerprint -sha256 -nameopt RFC2253
  openssl x509 -in leaf.crt -noout -fingerprint -sha1
  openssl x509 -in leaf.crt -noout -dates -dateopt iso_8601 2>/dev/null || true
} > "$here/leaf.expected"
openssl x509 -in leaf.crt -outform DER -out "$here/leaf.der"
echo "written to $here"
