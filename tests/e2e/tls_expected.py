#!/usr/bin/python3
"""Build the expectation file of a TLS capture from what the tools reported,
cross-checked against the capture.

  tls_expected.py --pcap tls.pcap --runs runs.jsonl --cert server.pem --out tls.expected.jsonl

Used by tests/data/make-tls-capture.sh; RUNS has one line per client run
({case, tool, server_port, sni, local_port, log}). Sources, per handshake:
  version      s_client's "Protocol :" line (TLS 1.3: its "New, TLSv1.3,
               Cipher is ..." line, as s_client closes before the session
               block), curl's "SSL connection using ..." line
  cipher       the same lines' OpenSSL name, mapped to the IANA name with
               `openssl ciphers -V -stdname`
  sni          the -servername / URL host the client was given
  fingerprint, subject, issuer, serial, notbefore, notafter
               `openssl x509` of the server certificate (TLS <= 1.2 only: in
               TLS 1.3 the certificate is encrypted, so these must be absent)
  ja3, ja3s    tshark's tls.handshake.ja3 / ja3_full / ja3s / ja3s_full
  ja4          tests/e2e/ja4.py over tshark's decoded ClientHello fields
Cross-checks (any failure exits 1): the ServerHello's version and cipher
code (tshark) agree with the client's report, the ClientHello's SNI with the
one given, MD5 of each JA3/JA3S string with tshark's hash, the SHA-256 of the
certificate tshark saw with openssl's fingerprint, and each mismatch case's
first client bytes with the protocol it is meant to carry.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ja4 as ja4mod  # noqa: E402

TLS_PORTS = (443, 2281, 8443, 2181)
VERSION_NAMES = {0x0304: "TLS 1.3", 0x0303: "TLS 1.2", 0x0302: "TLS 1.1", 0x0301: "TLS 1.0", 0x0300: "SSL 3.0"}
OPENSSL_VERSIONS = {"TLSv1.3": "TLS 1.3", "TLSv1.2": "TLS 1.2", "TLSv1.1": "TLS 1.1", "TLSv1": "TLS 1.0",
                    "SSLv3": "SSL 3.0"}
CERT_FIELDS = ("fingerprint", "subject", "issuer", "serial", "notbefore", "notafter")
ANOMALY = {"type": "applayer", "event": "unexpected_protocol", "layer": "proto_detect"}

problems = []


def fail(msg):
    problems.append(msg)
    print(f"tls_expected: {msg}", file=sys.stderr)


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def tshark(pcap, display_filter, fields):
    decode = [a for p in TLS_PORTS for a in ("-d", f"tcp.port=={p},tls")]
    out = run("tshark", "-r", pcap, *decode, "-Y", display_filter, "-T", "fields", "-E", "separator=\t",
              "-E", "aggregator=;", *[a for f in fields for a in ("-e", f)])
    rows = []
    for line in out.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(fields) - len(vals))
        rows.append(dict(zip(fields, vals)))
    return rows


def ints(s):
    return [int(v, 0) for v in s.split(";") if v]


def cipher_table():
    """OpenSSL cipher name -> (IANA name, code)."""
    table = {}
    for line in run("openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL").splitlines():
        m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})\s+-\s+(\S+)\s+-\s+(\S+)\s", line)
        if m:
            table[m.group(4)] = (m.group(3), int(m.group(1) + m.group(2), 16))
    return table


def cert_facts(pem):
    def x509(*opts):
        return run("openssl", "x509", "-in", pem, "-noout", *opts).strip()

    fp = x509("-fingerprint", "-sha256").split("=", 1)[1].lower()
    subject = x509("-subject", "-nameopt", "RFC2253").split("=", 1)[1]
    issuer = x509("-issuer", "-nameopt", "RFC2253").split("=", 1)[1]
    serial = x509("-serial").split("=", 1)[1].upper()
    if len(serial) % 2:
        serial = "0" + serial
    serial = ":".join(serial[i:i + 2] for i in range(0, len(serial), 2))

    def date(opt):
        text = x509(opt).split("=", 1)[1]
        return datetime.datetime.strptime(" ".join(text.split()), "%b %d %H:%M:%S %Y GMT").strftime(
            "%Y-%m-%dT%H:%M:%S")

    der = subprocess.run(["openssl", "x509", "-in", pem, "-outform", "DER"], check=True, capture_output=True).stdout
    return {"fingerprint": fp, "subject": subject, "issuer": issuer, "serial": serial,
            "notbefore": date("-startdate"), "notafter": date("-enddate")}, der


def client_report(tool, log):
    """(version, OpenSSL cipher name) as the client printed them."""
    text = open(log, errors="replace").read()
    if tool == "curl":
        m = re.search(r"SSL connection using (\S+) / (\S+)", text)
        return (OPENSSL_VERSIONS.get(m.group(1)), m.group(2)) if m else (None, None)
    proto = re.search(r"^\s*Protocol\s*:\s*(\S+)", text, re.M)
    cipher = re.search(r"^\s*Cipher\s*:\s*(\S+)", text, re.M)
    new = re.search(r"^New, (\S+), Cipher is (\S+)", text, re.M)
    version = proto.group(1) if proto else (new.group(1) if new else None)
    name = cipher.group(1) if cipher else (new.group(2) if new else None)
    if "Verify return code: 0 (ok)" not in text:
        fail(f"{log}: s_client did not verify the server certificate")
    return OPENSSL_VERSIONS.get(version), name


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pcap", required=True)
    ap.add_argument("--runs", required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    ch_fields = ["tcp.stream", "tcp.srcport", "tcp.dstport", "tls.handshake.type", "tls.handshake.version",
                 "tls.handshake.ciphersuite", "tls.handshake.extension.type", "tls.handshake.sig_hash_alg",
                 "tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version",
                 "tls.handshake.extensions_server_name", "tls.handshake.ja3", "tls.handshake.ja3_full"]
    hellos = tshark(a.pcap, "tls.handshake.type == 1", ch_fields)
    sh_fields = ["tcp.stream", "tls.handshake.type", "tls.handshake.version", "tls.handshake.ciphersuite",
                 "tls.handshake.extensions.supported_version", "tls.handshake.ja3s", "tls.handshake.ja3s_full"]
    server_hellos = {r["tcp.stream"]: r for r in tshark(a.pcap, "tls.handshake.type == 2", sh_fields)}
    certs = {r["tcp.stream"]: r["tls.handshake.certificate"].split(";")[0]
             for r in tshark(a.pcap, "tls.handshake.type == 11", ["tcp.stream", "tls.handshake.certificate"])}
    first_bytes = {}
    for r in tshark(a.pcap, "tcp.len > 0", ["tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.payload"]):
        key = (int(r["tcp.srcport"]), int(r["tcp.dstport"]))
        first_bytes.setdefault(key, bytes.fromhex(r["tcp.payload"].replace(":", "")))
    facts, der = cert_facts(a.cert)
    ciphers = cipher_table()
    runs = [json.loads(l) for l in open(a.runs) if l.strip()]
    out = []

    def hello_for(run_):
        found = []
        for h in hellos:
            if h["tls.handshake.type"].split(";") != ["1"]:
                continue
            if run_.get("local_port"):
                if int(h["tcp.srcport"]) == run_["local_port"]:
                    found.append(h)
            elif int(h["tcp.dstport"]) == run_["server_port"] and h["tls.handshake.extensions_server_name"] == run_["sni"]:
                found.append(h)
        if len(found) != 1:
            fail(f"{run_['case']}: {len(found)} ClientHellos in the capture for this run")
            return None
        return found[0]

    def fingerprints(case, h):
        ja3_string, ja3_hash = h["tls.handshake.ja3_full"], h["tls.handshake.ja3"]
        if hashlib.md5(ja3_string.encode()).hexdigest() != ja3_hash:
            fail(f"{case}: MD5 of tshark's JA3 string is not its JA3 hash")
        exts = ints(h["tls.handshake.extension.type"])
        if 50 in exts:
            fail(f"{case}: the ClientHello has signature_algorithms_cert: tshark's sig_hash_alg would mix both lists")
        alpn = h["tls.handshake.extensions_alpn_str"].split(";")[0] if h["tls.handshake.extensions_alpn_str"] else None
        value = ja4mod.ja4(ints(h["tls.handshake.ciphersuite"]), exts, ints(h["tls.handshake.sig_hash_alg"]), alpn,
                           ints(h["tls.handshake.extensions.supported_version"]), int(h["tls.handshake.version"], 0),
                           0 in exts)
        raw = ja4mod.ja4(ints(h["tls.handshake.ciphersuite"]), exts, ints(h["tls.handshake.sig_hash_alg"]), alpn,
                         ints(h["tls.handshake.extensions.supported_version"]), int(h["tls.handshake.version"], 0),
                         0 in exts, raw=True)
        return {"ja3": {"hash": ja3_hash, "string": ja3_string}, "ja4": value}, raw

    for r in runs:
        case = r["case"]
        if case == "http-on-443":
            key = (r["local_port"], r["server_port"])
            head = first_bytes.get(key, b"")
            if not head.startswith(b"GET / HTTP/1."):
                fail(f"{case}: the client's first bytes are not an HTTP request: {head[:16]!r}")
            out.append({"case": case, "kind": "anomaly", "client_port": key[0], "server_port": key[1],
                        "anomaly": dict(ANOMALY, expected="tls", detected="http"),
                        "from": "curl http:// to a plain HTTP server on 443 (python3 -m http.server)"})
            continue
        h = hello_for(r)
        if h is None:
            continue
        client_port, server_port, stream = int(h["tcp.srcport"]), int(h["tcp.dstport"]), h["tcp.stream"]
        if h["tls.handshake.extensions_server_name"] != r["sni"]:
            fail(f"{case}: SNI on the wire {h['tls.handshake.extensions_server_name']!r}, client given {r['sni']!r}")
        fp, ja4_raw = fingerprints(case, h)
        if case == "tls-on-2181":
            if stream in server_hellos:
                fail(f"{case}: a ServerHello from the plain listener?")
            out.append({"case": case, "kind": "anomaly", "client_port": client_port, "server_port": server_port,
                        "anomaly": dict(ANOMALY, expected="zookeeper", detected="tls"),
                        "from": "s_client to a plain TCP listener (nc -l) on 2181"})
            out.append({"case": case, "kind": "tls", "optional": True, "client_port": client_port,
                        "server_port": server_port, "tls": dict(fp, sni=r["sni"]),
                        "absent": ["version", "cipher", "ja3s"] + list(CERT_FIELDS), "ja4_r": ja4_raw,
                        "from": "ClientHello only (the listener never answered); segward may or may not "
                                "write a tls event for it, but if it does these fields must match"})
            continue
        version, openssl_cipher = client_report(r["tool"], r["log"])
        sh = server_hellos.get(stream)
        if sh is None:
            fail(f"{case}: no ServerHello in the capture")
            continue
        sv = ints(sh["tls.handshake.extensions.supported_version"])
        wire_version = VERSION_NAMES.get(sv[0] if sv else int(sh["tls.handshake.version"], 0))
        if version != wire_version:
            fail(f"{case}: the client reported {version}, the ServerHello says {wire_version}")
        iana, code = ciphers.get(openssl_cipher, (None, None))
        if iana is None:
            fail(f"{case}: no IANA name for OpenSSL cipher {openssl_cipher!r}")
        elif ints(sh["tls.handshake.ciphersuite"]) != [code]:
            fail(f"{case}: the client reported {openssl_cipher} ({code:#06x}), the ServerHello chose "
                 f"{sh['tls.handshake.ciphersuite']}")
        if hashlib.md5(sh["tls.handshake.ja3s_full"].encode()).hexdigest() != sh["tls.handshake.ja3s"]:
            fail(f"{case}: MD5 of tshark's JA3S string is not its JA3S hash")
        tls = {"version": version, "sni": r["sni"], "cipher": iana, **fp,
               "ja3s": {"hash": sh["tls.handshake.ja3s"], "string": sh["tls.handshake.ja3s_full"]}}
        rec = {"case": case, "kind": "tls", "client_port": client_port, "server_port": server_port, "tls": tls,
               "ja4_r": ja4_raw, "tool": r["tool"]}
        if version == "TLS 1.3":
            rec["absent"] = list(CERT_FIELDS)
            if stream in certs:
                fail(f"{case}: a clear-text Certificate in a TLS 1.3 handshake?")
        else:
            wire = bytes.fromhex(certs.get(stream, "").replace(":", ""))
            if wire != der:
                fail(f"{case}: the certificate on the wire is not the server's certificate")
            tls.update(facts)
        alpn = h["tls.handshake.extensions_alpn_str"]
        if alpn:
            rec["alpn_offered"] = alpn.split(";")
        out.append(rec)

    with open(a.out, "w") as f:
        for rec in out:
            f.write(json.dumps(rec, sort_keys=True) + "\n")
    print(f"tls_expected: {sum(r['kind'] == 'tls' for r in out)} tls and {sum(r['kind'] == 'anomaly' for r in out)} "
          f"anomaly expectations from {len(runs)} runs, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
