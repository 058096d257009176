#!/usr/bin/python3
"""Check OUT_DIR/sent.jsonl against the HTTP requests tshark finds in
OUT_DIR/mesos.pcap: same count, same order, and per request the same
method, URI, addresses, Libprocess-From / User-Agent PID, Content-Length,
Content-Type, Authorization scheme and Mesos-Stream-Id.

  check_capture.py OUT_DIR [-v]

Exit status 0 when every record matches its request one to one.
"""
import base64
import json
import os
import subprocess
import sys

FIELDS = ["frame.number", "frame.time_epoch", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport",
          "tcp.stream", "http.request.method", "http.request.uri", "http.user_agent",
          "http.content_length_header", "http.content_type", "http.authorization",
          "http.request.line"]
SEP = "\x1f"  # never in HTTP headers


def tshark_requests(pcap):
    cmd = ["tshark", "-r", pcap, "-Y", "http.request", "-T", "fields",
           "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=" + SEP]
    for f in FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    reqs = []
    for line in p.stdout.splitlines():
        vals = line.split("\t")
        vals += [""] * (len(FIELDS) - len(vals))
        r = dict(zip(FIELDS, vals))
        headers = {}
        for h in r["http.request.line"].split(SEP):
            # tshark prints each header line with its CRLF escaped
            h = h[:-4] if h.endswith("\\r\\n") else h
            k, sep, v = h.partition(":")
            if sep:
                headers.setdefault(k.strip().lower(), v.strip())
        r["headers"] = headers
        reqs.append(r)
    return reqs


def pid_hostport(pid):
    return pid.rpartition("@")[2]


def check(rec, req):
    """List of mismatches between a sent record and a captured request."""
    bad = []

    def want(what, got, exp):
        if got != exp:
            bad.append(f"{what}: capture {got!r} != log {exp!r}")

    h = req["headers"]
    want("method", req["http.request.method"], rec["method"])
    want("uri", req["http.request.uri"], rec["uri"])
    dst = f'{req["ip.dst"]}:{req["tcp.dstport"]}'
    if rec["kind"] == "libprocess":
        want("dst", dst, pid_hostport(rec["to_pid"]))
        if rec.get("spoofed_pid"):
            want("src ip", req["ip.src"], rec["src_ip"])
            if pid_hostport(rec["from_pid"]).rpartition(":")[0] == req["ip.src"]:
                bad.append("spoofed PID names the real source address")
        else:
            want("src ip", req["ip.src"], pid_hostport(rec["from_pid"]).rpartition(":")[0])
        if rec.get("pid_header") == "User-Agent":
            want("User-Agent", req["http.user_agent"], "libprocess/" + rec["from_pid"])
            want("Libprocess-From", h.get("libprocess-from"), None)
        else:
            want("Libprocess-From", h.get("libprocess-from"), rec["from_pid"])
    else:
        want("dst", dst, rec["dst"])
        want("src ip", req["ip.src"], rec["src_ip"])
        want("Content-Type", h.get("content-type"), rec.get("content_type"))
        auth = h.get("authorization")
        scheme = rec["auth_scheme"]
        if scheme == "none":
            want("Authorization", auth, None)
        elif scheme == "basic":
            ok = auth and auth.startswith("Basic ")
            user = base64.b64decode(auth[6:]).decode().partition(":")[0] if ok else None
            want("Basic principal", user, rec.get("principal"))
        elif scheme == "bearer":
            if not (auth and auth.startswith("Bearer ")):
                bad.append(f"Authorization: capture {auth!r} is not Bearer")
        if rec.get("pid_header") == "none":  # mesos-go's mesos.scheduler.Call
            want("Libprocess-From", h.get("libprocess-from"), None)
        if "stream_id" in rec:
            want("Mesos-Stream-Id", h.get("mesos-stream-id"), rec["stream_id"])
    if "user_agent" in rec:
        want("User-Agent", req["http.user_agent"], rec["user_agent"])
    cl = req["http.content_length_header"]
    if rec["method"] == "POST" or cl:
        want("Content-Length", int(cl) if cl else None, rec["body_len"])
    lag = float(req["frame.time_epoch"]) - float(rec["ts"])
    if not -0.01 <= lag <= 5.0:
        bad.append(f"frame time is {lag:+.3f} s from the log time")
    return bad, lag


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    verbose = "-v" in sys.argv[2:]
    with open(os.path.join(out, "sent.jsonl")) as f:
        recs = [json.loads(line) for line in f if line.strip()]
    reqs = tshark_requests(os.path.join(out, "mesos.pcap"))
    failures = 0
    max_lag = 0.0
    for i in range(max(len(recs), len(reqs))):
        rec = recs[i] if i < len(recs) else None
        req = reqs[i] if i < len(reqs) else None
        if rec is None or req is None:
            failures += 1
            print(f"#{i + 1}: only in {'capture' if rec is None else 'log'}: "
                  f"{(req or {}).get('http.request.uri') or rec.get('uri')}")
            continue
        bad, lag = check(rec, req)
        max_lag = max(max_lag, lag)
        label = rec.get("message") or f'{rec["kind"]} {rec.get("call")} auth={rec.get("auth_scheme")}'
        if bad:
            failures += 1
            print(f"#{i + 1} frame {req['frame.number']} {label}: MISMATCH")
            for b in bad:
                print(f"    {b}")
        elif verbose:
            print(f"#{i + 1} frame {req['frame.number']:>4} {req['ip.src']:>12} -> "
                  f"{req['ip.dst']}:{req['tcp.dstport']:<5} {req['http.request.method']:4} {label}")
    lp = [r["message"] for r in recs if r["kind"] == "libprocess"]
    if verbose:
        print("messages sent by the mesos-go programs, in order:")
        for r in recs:
            if r["sender"] in ("scheduler", "master"):
                print(f'  {r["sender"]:9} {r["message"]:48} {r["from_pid"]} -> {r["to_pid"]}')
    print(f"check: {len(recs)} log records, {len(reqs)} HTTP requests in the capture, "
          f"{failures} mismatches; {len(lp)} libprocess messages; "
          f"max log-to-wire lag {max_lag * 1000:.1f} ms")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
