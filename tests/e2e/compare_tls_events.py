#!/usr/bin/python3
"""Check segward's EVE `tls` and `anomaly` events against what OpenSSL, curl
and tshark reported for the same capture.

  compare_tls_events.py EXPECTED_JSONL EVE_JSON
  compare_tls_events.py --self-test EXPECTED_JSONL

EXPECTED_JSONL comes from tests/data/make-tls-capture.sh (built by
tls_expected.py); EVE_JSON from `segward replay` of the same capture. A
connection is (client port, server port): the source and destination ports
of a tls event (src = the client), either orientation for an anomaly.

  tls record      exactly one tls event on its connection (an "optional"
                  record may have none) with, under "tls": version, sni,
                  cipher (IANA name), ja3.hash, ja3.string, ja3s.hash,
                  ja3s.string, ja4, fingerprint, subject, issuer, notbefore,
                  notafter equal to the expected ones wherever the record
                  names them; serial equal as a number (hex digits, any case,
                  any separators); the fields listed in "absent" missing (or
                  null / ""): TLS 1.3 certificates are encrypted.
  anomaly record  exactly one anomaly event on its connection with
                  anomaly.type, event, layer, expected and detected equal.
Also mismatches: a tls event on a connection with no tls record, an
unexpected_protocol anomaly on a connection with no anomaly record. Prints
one line per mismatch and a summary; exits 1 on any mismatch or when nothing
matched.

--self-test builds a synthetic EVE from the expectations and checks that it
passes, and fails with one event dropped, one ja4 changed, one anomaly's
detected protocol changed, a TLS 1.3 event carrying a fingerprint, and an
anomaly on a TLS connection added.
"""
import argparse
import json
import re
import sys

EXACT = ("version", "sni", "cipher", "ja4", "fingerprint", "subject", "issuer", "notbefore", "notafter")
ANOMALY_FIELDS = ("type", "event", "layer", "expected", "detected")


def load_jsonl(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, start=1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError as e:
                    sys.exit(f"{path}:{n}: not JSON ({e})")
    return out


def serial_value(s):
    if not isinstance(s, str):
        return s
    digits = re.sub(r"[^0-9A-Fa-f]", "", s)
    return int(digits, 16) if digits else s


def compare(expected, eve, out=print):
    problems = []
    matched = 0
    tls_events = [e for e in eve if e.get("event_type") == "tls"]
    anomalies = [e for e in eve if e.get("event_type") == "anomaly"]
    tls_keys = {(r["client_port"], r["server_port"]) for r in expected if r["kind"] == "tls"}
    anomaly_keys = {(r["client_port"], r["server_port"]) for r in expected if r["kind"] == "anomaly"}

    def on(events, key, either=False):
        c, s = key
        return [e for e in events if (e.get("src_port"), e.get("dest_port")) == (c, s)
                or (either and (e.get("src_port"), e.get("dest_port")) == (s, c))]

    for rec in expected:
        key = (rec["client_port"], rec["server_port"])
        where = f"{rec['case']} ({rec['kind']}, client port {key[0]} -> {key[1]})"
        if rec["kind"] == "tls":
            evs = on(tls_events, key)
            if not evs:
                if not rec.get("optional"):
                    problems.append(f"{where}: no tls event")
                continue
            if len(evs) > 1:
                problems.append(f"{where}: {len(evs)} tls events, want one")
            matched += 1
            got = evs[0].get("tls") or {}
            want = rec["tls"]
            for f in EXACT:
                if f in want and want[f] != got.get(f):
                    problems.append(f"{where}: tls.{f}: expected {want[f]!r}, EVE {got.get(f)!r}")
            for f in ("ja3", "ja3s"):
                if f in want:
                    g = got.get(f) if isinstance(got.get(f), dict) else {}
                    for sub in ("hash", "string"):
                        if want[f][sub] != g.get(sub):
                            problems.append(f"{where}: tls.{f}.{sub}: expected {want[f][sub]!r}, EVE {g.get(sub)!r}")
            if "serial" in want and serial_value(want["serial"]) != serial_value(got.get("serial")):
                problems.append(f"{where}: tls.serial: expected {want['serial']!r}, EVE {got.get('serial')!r}")
            for f in rec.get("absent", []):
                if got.get(f) not in (None, "", {}):
                    problems.append(f"{where}: tls.{f} must be absent here, EVE {got.get(f)!r}")
        elif rec["kind"] == "anomaly":
            evs = [e for e in on(anomalies, key, either=True)
                   if (e.get("anomaly") or {}).get("event") == rec["anomaly"]["event"]]
            if not evs:
                problems.append(f"{where}: no anomaly event {rec['anomaly']['event']!r}")
                continue
            if len(evs) > 1:
                problems.append(f"{where}: {len(evs)} {rec['anomaly']['event']} anomaly events, want one")
            matched += 1
            got = evs[0].get("anomaly") or {}
            for f in ANOMALY_FIELDS:
                if rec["anomaly"].get(f) != got.get(f):
                    problems.append(f"{where}: anomaly.{f}: expected {rec['anomaly'].get(f)!r}, EVE {got.get(f)!r}")
    for e in tls_events:
        key = (e.get("src_port"), e.get("dest_port"))
        if key not in tls_keys:
            problems.append(f"unexpected tls event on client port {key[0]} -> {key[1]}: {json.dumps(e.get('tls'))[:200]}")
    for e in anomalies:
        a = e.get("anomaly") or {}
        if a.get("event") != "unexpected_protocol":
            continue
        key = (e.get("src_port"), e.get("dest_port"))
        if key not in anomaly_keys and key[::-1] not in anomaly_keys:
            problems.append(f"unexpected anomaly on {key[0]} -> {key[1]}: expected {a.get('expected')!r}, "
                            f"detected {a.get('detected')!r}")

    for p in problems:
        out(f"MISMATCH {p}")
    n_tls = sum(r["kind"] == "tls" for r in expected)
    n_opt = sum(r["kind"] == "tls" and bool(r.get("optional")) for r in expected)
    n_an = sum(r["kind"] == "anomaly" for r in expected)
    out(f"{n_tls} tls expectations ({n_opt} optional), {n_an} anomaly expectations; EVE: {len(tls_events)} tls, "
        f"{len(anomalies)} anomaly events; {matched} matched, {len(problems)} mismatches")
    if matched == 0:
        out("MISMATCH nothing matched")
        return 1
    return 1 if problems else 0


def synthetic_eve(expected):
    lines = []
    for rec in expected:
        c, s = rec["client_port"], rec["server_port"]
        base = {"timestamp": "2026-12-01T10:00:00.000000+0000", "flow_id": c, "src_ip": "192.0.2.20", "src_port": c,
                "dest_ip": "192.0.2.10", "dest_port": s, "proto": "TCP"}
        if rec["kind"] == "tls":
            lines.append(dict(base, event_type="tls", app_proto="tls", tls=json.loads(json.dumps(rec["tls"]))))
        else:
            lines.append(dict(base, event_type="anomaly", anomaly=dict(rec["anomaly"])))
    return lines


def self_test(path):
    expected = load_jsonl(path)
    results = []

    def run(what, eve, want_rc):
        msgs = []
        rc = compare(expected, eve, out=msgs.append)
        results.append((what, rc == want_rc, next((m for m in msgs if m.startswith("MISMATCH")), msgs[-1])))

    eve = synthetic_eve(expected)
    run("synthetic EVE from the expectations passes", eve, 0)
    req = [i for i, r in enumerate(expected) if not r.get("optional")]
    run("one event dropped fails", eve[:req[0]] + eve[req[0] + 1:], 1)
    t = json.loads(json.dumps(eve))
    i = next(i for i, e in enumerate(t) if e["event_type"] == "tls")
    t[i]["tls"]["ja4"] = "t13d0000h2_000000000000_000000000000"
    run("one ja4 changed fails", t, 1)
    t = json.loads(json.dumps(eve))
    i = next((i for i, e in enumerate(t) if e["event_type"] == "anomaly"), None)
    if i is not None:
        t[i]["anomaly"]["detected"] = "ssh"
        run("one anomaly's detected protocol changed fails", t, 1)
    t = json.loads(json.dumps(eve))
    i = next((i for i, e in enumerate(t) if e["event_type"] == "tls" and e["tls"].get("version") == "TLS 1.3"), None)
    if i is not None:
        t[i]["tls"]["fingerprint"] = "00:11"
        run("a TLS 1.3 event with a fingerprint fails", t, 1)
    t = json.loads(json.dumps(eve))
    i = next(i for i, e in enumerate(t) if e["event_type"] == "tls")
    t.append(dict(t[i], event_type="anomaly", anomaly={"type": "applayer", "event": "unexpected_protocol",
                                                       "layer": "proto_detect", "expected": "tls", "detected": "tls"}))
    run("an anomaly on a TLS connection added fails", t, 1)
    for what, ok, detail in results:
        print(f"self-test {'ok  ' if ok else 'FAIL'} {what}: {detail}")
    return 0 if all(ok for _, ok, _ in results) else 1


def main():
    ap = argparse.ArgumentParser(description="compare segward's tls/anomaly events with the tools' reports")
    ap.add_argument("--self-test", action="store_true")
    ap.add_argument("expected")
    ap.add_argument("eve", nargs="?")
    a = ap.parse_args()
    if a.self_test:
        return self_test(a.expected)
    if not a.eve:
        ap.error("EVE_JSON is required")
    return compare(load_jsonl(a.expected), load_jsonl(a.eve))


if __name__ == "__main__":
    sys.exit(main())
