#!/usr/bin/python3
"""Send hand-made Mesos HTTP requests with curl and log each as a JSON line.

Python 3 standard library only; curl does the HTTP. Used by
tests/data/make-mesos-capture.sh, always inside the client network
namespace. Two modes:

  spoof  two libprocess messages to the master whose claimed PID names
         --spoof-ip while the TCP source is this host: one with
         Libprocess-From, one with only a `libprocess/<pid>` User-Agent
         (a mesos-go receiver never answers the latter; curl gives up).
  v1     scheduler and operator v1 calls (JSON bodies) with Basic, Bearer
         and no Authorization, four legacy endpoints, then every
         <api>-<CALL>[-<auth>].bin file in --protobuf-dir as an
         application/x-protobuf body (api: scheduler -> /api/v1/scheduler,
         operator -> /api/v1; auth: basic (default), bearer, none); an
         optional <file>.bin.json holds extra fields for its log record.

Each record is written after curl returns; its "ts" is taken just before
curl starts.
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ARGS = None
LOG = None
TMP = None
UA = None


def now():
    return round(time.time(), 6)


def log(rec):
    LOG.write(json.dumps(rec) + "\n")
    LOG.flush()


def curl(path, headers=(), body=None, max_time=5.0, user_agent=None):
    """Run curl once; returns (http status or None, response headers dict, body bytes)."""
    hdr_file = os.path.join(TMP, "h")
    out_file = os.path.join(TMP, "o")
    for f in (hdr_file, out_file):
        if os.path.exists(f):
            os.unlink(f)
    cmd = ["curl", "-sS", "--max-time", str(max_time), "-o", out_file, "-D", hdr_file,
           "-w", "%{http_code}", "-H", "Expect:"]
    if user_agent is not None:
        cmd += ["-A", user_agent]
    for h in headers:
        cmd += ["-H", h]
    if body is not None:
        body_file = os.path.join(TMP, "b")
        with open(body_file, "wb") as f:
            f.write(body)
        cmd += ["--data-binary", "@" + body_file]
    cmd.append(f"http://{ARGS.master}{path}")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=max_time + 5)
    code = int(p.stdout) if p.stdout.strip().isdigit() and int(p.stdout) else None
    rh = {}
    if os.path.exists(hdr_file):
        with open(hdr_file, "rb") as f:
            for line in f.read().decode("latin-1").splitlines()[1:]:
                k, sep, v = line.partition(":")
                if sep:
                    rh[k.strip().lower()] = v.strip()
    data = b""
    if os.path.exists(out_file):
        with open(out_file, "rb") as f:
            data = f.read()
    return code, rh, data, p.returncode


def auth_header(scheme):
    if scheme == "basic":
        tok = base64.b64encode(f"{ARGS.principal}:{ARGS.secret}".encode()).decode()
        return [f"Authorization: Basic {tok}"]
    if scheme == "bearer":
        return [f"Authorization: Bearer {ARGS.bearer}"]
    return []


def base_record(kind, call, endpoint, uri, method, scheme, ctype, body):
    rec = {"ts": now(), "kind": kind, "sender": "client", "client": "curl", "call": call,
           "endpoint": endpoint, "uri": uri, "method": method, "auth_scheme": scheme}
    if scheme == "basic":
        rec["principal"] = ARGS.principal
    if ctype:
        rec["content_type"] = ctype
    rec["body_len"] = len(body) if body is not None else 0
    rec.update({"src_ip": ARGS.src_ip, "dst": ARGS.master, "user_agent": UA})
    return rec


# ---- spoof --------------------------------------------------------------------
def pb_len(field, payload):
    n, out = len(payload), bytearray([(field << 3) | 2])
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    return bytes(out) + payload


def spoof():
    real = ARGS.scheduler_pid  # scheduler(1)@192.0.2.20:PORT
    ident, _, hostport = real.partition("@")
    port = hostport.rpartition(":")[2]
    fake = f"{ident}@{ARGS.spoof_ip}:{port}"
    master_pid = f"master@{ARGS.master}"
    fid = ARGS.framework_id
    frameworkid = pb_len(1, fid.encode())  # FrameworkID{value}
    sends = [
        # Unregister/Deactivate carry FrameworkID as field 1.
        ("mesos.internal.UnregisterFrameworkMessage", "Libprocess-From", pb_len(1, frameworkid)),
        ("mesos.internal.DeactivateFrameworkMessage", "User-Agent", pb_len(1, frameworkid)),
    ]
    rc = 0
    for name, how, body in sends:
        uri = f"/master/{name}"
        rec = {"ts": now(), "kind": "libprocess", "sender": "spoofer", "client": "curl",
               "message": name, "from_pid": fake, "to_pid": master_pid, "method": "POST",
               "uri": uri, "body_len": len(body), "framework": {"id": fid},
               "spoofed_pid": True, "pid_header": how, "src_ip": ARGS.src_ip,
               "content_type": "application/x-protobuf"}
        headers = ["Content-Type: application/x-protobuf"]
        if how == "Libprocess-From":
            headers += [f"Libprocess-From: {fake}", "Connection: Keep-Alive"]
            ua, max_time = None, 5.0
            rec["user_agent"] = UA
        else:
            ua, max_time = f"libprocess/{fake}", 1.5
            rec["user_agent"] = ua
        code, _, _, crc = curl(uri, headers, body, max_time=max_time, user_agent=ua)
        rec["http_status"] = code
        if how == "User-Agent":
            # mesos-go sends no reply to a libprocess/ User-Agent: curl
            # times out (28) or sees the connection close (52).
            rec["reply"] = "none" if code is None else "got one"
            rec["curl_exit"] = crc
            if crc not in (0, 28, 52):
                rc = 1
        elif code != 202:
            rc = 1
        log(rec)
        print(f"[spoof] {name} via {how} as {fake} -> {code} (curl exit {crc})", flush=True)
    return rc


# ---- v1 + legacy ---------------------------------------------------------------
def v1():
    fid = ARGS.framework_id
    framework_info = {"user": "nobody", "name": "segward-v1-framework",
                      "principal": ARGS.principal, "roles": ["segward-role"],
                      "hostname": "scheduler.segward.test",
                      "capabilities": [{"type": "MULTI_ROLE"}]}
    fw_rec = {"name": framework_info["name"], "user": "nobody", "principal": ARGS.principal,
              "roles": ["segward-role"], "hostname": framework_info["hostname"]}
    failures = []
    stream = {"id": None}

    def call(kind, call_name, endpoint, scheme, body_obj=None, raw=None, ctype=None,
             uri=None, method="POST", extra=(), framework=None, expect=None, accept=None,
             side=None, source=None):
        uri = uri or endpoint
        body = None
        if body_obj is not None:
            body = json.dumps(body_obj).encode()
            ctype = ctype or "application/json"
        elif raw is not None:
            body = raw
        headers = list(auth_header(scheme))
        if ctype:
            headers.append(f"Content-Type: {ctype}")
        if accept:
            headers.append(f"Accept: {accept}")
        headers += list(extra)
        rec = base_record(kind, call_name, endpoint, uri, method, scheme, ctype, body)
        if accept:
            rec["accept"] = accept
        if framework:
            rec["framework"] = framework
        for h in extra:
            if h.lower().startswith("mesos-stream-id:"):
                rec["stream_id"] = h.split(":", 1)[1].strip()
        if source:
            rec["body_file"] = source
        for k, v in (side or {}).items():
            rec.setdefault(k, v)
        code, rh, data, _ = curl(uri, headers, body)
        rec["http_status"] = code
        if "mesos-stream-id" in rh:
            rec["response_stream_id"] = rh["mesos-stream-id"]
            stream["id"] = rh["mesos-stream-id"]
        log(rec)
        print(f"[v1] {method} {uri} {call_name} auth={scheme} -> {code}", flush=True)
        if expect is not None and code != expect:
            failures.append(f"{call_name} {scheme}: got {code}, want {expect}")
        return code, rh, data

    sched, oper = "/api/v1/scheduler", "/api/v1"
    jaccept = "application/json"
    sub = {"type": "SUBSCRIBE", "subscribe": {"framework_info": framework_info}}
    call("api", "SUBSCRIBE", sched, "basic", sub, framework=fw_rec, expect=200, accept=jaccept)
    call("api", "SUBSCRIBE", sched, "none", sub, framework=fw_rec, expect=401, accept=jaccept)
    sid = [f"Mesos-Stream-Id: {stream['id'] or 'missing'}"]
    td = {"framework_id": {"value": fid}, "type": "TEARDOWN"}
    call("api", "TEARDOWN", sched, "basic", td, extra=sid, framework={"id": fid}, expect=202, accept=jaccept)
    call("api", "TEARDOWN", sched, "none", td, extra=sid, framework={"id": fid}, expect=401, accept=jaccept)
    call("api", "GET_FLAGS", oper, "basic", {"type": "GET_FLAGS"}, expect=200, accept=jaccept)
    call("api", "GET_FLAGS", oper, "none", {"type": "GET_FLAGS"}, expect=401, accept=jaccept)
    call("api", "GET_FLAGS", oper, "bearer", {"type": "GET_FLAGS"}, expect=200, accept=jaccept)
    otd = {"type": "TEARDOWN", "teardown": {"framework_id": {"value": fid}}}
    call("api", "TEARDOWN", oper, "basic", otd, framework={"id": fid}, expect=200, accept=jaccept)
    call("api", "TEARDOWN", oper, "none", otd, framework={"id": fid}, expect=401, accept=jaccept)

    call("legacy", "FLAGS", "/master/flags", "none", method="GET", expect=200)
    call("legacy", "FILES_READ", "/files/read", "none", method="GET",
         uri="/files/read?path=/etc/passwd&offset=0", expect=200)
    call("legacy", "TEARDOWN", "/master/teardown", "none", raw=f"frameworkId={fid}".encode(),
         ctype="application/x-www-form-urlencoded", framework={"id": fid}, expect=200)
    call("legacy", "STATE", "/master/state", "none", method="GET", expect=200)

    # Hook: protobuf bodies, <api>-<CALL>[-<auth>].bin
    pdir = ARGS.protobuf_dir
    if pdir and os.path.isdir(pdir):
        pat = re.compile(r"^(scheduler|operator)-([A-Z][A-Z0-9_]*)(?:-(basic|bearer|none))?\.bin$")
        for name in sorted(os.listdir(pdir)):
            m = pat.match(name)
            if not m:
                if name.endswith(".bin"):
                    failures.append(f"{name}: name is not <scheduler|operator>-<CALL>[-<auth>].bin")
                continue
            api, call_name, scheme = m.group(1), m.group(2), m.group(3) or "basic"
            with open(os.path.join(pdir, name), "rb") as f:
                raw = f.read()
            endpoint = sched if api == "scheduler" else oper
            extra = sid if api == "scheduler" and call_name != "SUBSCRIBE" else []
            # Optional sidecar <name>.json: fields to add to the record
            # (e.g. {"framework": {...}}), since the body is not parsed here.
            side = {}
            side_path = os.path.join(pdir, name + ".json")
            if os.path.exists(side_path):
                with open(side_path) as f:
                    side = json.load(f)
            call("api", call_name, endpoint, scheme, raw=raw, ctype="application/x-protobuf",
                 accept="application/x-protobuf", extra=extra, side=side, source=name)
    for f in failures:
        print(f"[v1] UNEXPECTED: {f}", file=sys.stderr)
    return 1 if failures else 0


def main():
    global ARGS, LOG, TMP, UA
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["spoof", "v1"])
    ap.add_argument("--master", default="192.0.2.10:5050", help="ip:port")
    ap.add_argument("--src-ip", default="192.0.2.20", help="this host's address (for the log)")
    ap.add_argument("--log", required=True)
    ap.add_argument("--framework-id", required=True)
    ap.add_argument("--scheduler-pid", help="spoof: the real scheduler PID to imitate")
    ap.add_argument("--spoof-ip", default="203.0.113.66")
    ap.add_argument("--principal", default="segward-principal")
    ap.add_argument("--secret", default="segward-secret")
    ap.add_argument("--bearer", default="")
    ap.add_argument("--protobuf-dir")
    ARGS = ap.parse_args()
    ver = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split()
    UA = f"curl/{ver[1]}" if len(ver) > 1 else "curl"
    with tempfile.TemporaryDirectory(prefix="seg-curl.") as TMP, open(ARGS.log, "a") as LOG:
        if ARGS.mode == "spoof":
            if not ARGS.scheduler_pid:
                ap.error("spoof needs --scheduler-pid")
            return spoof()
        return v1()


if __name__ == "__main__":
    sys.exit(main())
