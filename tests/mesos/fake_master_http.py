#!/usr/bin/python3
"""A fake Mesos master for the v1 HTTP APIs and a few legacy endpoints.

Python 3 standard library only; used by tests/data/make-mesos-capture.sh.
Answers like a master started with --authenticate_http_frameworks and
--authenticate_http_readwrite (Basic, one credential; a fixed Bearer token
is also accepted), and without --authenticate_http_readonly:

  POST /api/v1/scheduler  (alias /master/api/v1/scheduler)
      no/wrong Authorization -> 401 + WWW-Authenticate: Basic realm="mesos-master-scheduler"
      SUBSCRIBE              -> 200, Mesos-Stream-Id, chunked RecordIO: SUBSCRIBED, HEARTBEAT
      other calls            -> 202 (400 if Mesos-Stream-Id is missing or wrong)
  POST /api/v1            (operator; alias /master/api/v1)
      no/wrong Authorization -> 401 + WWW-Authenticate: Basic realm="mesos-master-readwrite"
      GET_FLAGS              -> 200 with flags; TEARDOWN -> 200; others -> 200 {}
  GET  /master/flags, /master/state, /files/read   -> 200 JSON (canned; nothing is read from disk)
  POST /master/teardown   -> 200

JSON and protobuf bodies are accepted (protobuf: only the top-level type
field is read). Every request is printed on stdout. Exits on SIGTERM or
after --timeout seconds.
"""
import argparse
import base64
import hmac
import json
import signal
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ARGS = None
STREAM_ID = "9b1f6c2e-4d3a-4f5b-8e7c-0a1b2c3d4e5f"
V1_FRAMEWORK_ID = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0001"
MASTER_ID = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b"

FLAGS = {
    "authenticate_frameworks": "true",
    "authenticate_http_frameworks": "true",
    "authenticate_http_readwrite": "true",
    "authenticate_http_readonly": "false",
    "credentials": "/etc/mesos/credentials",
    "hostname": "master.segward.test",
    "port": "5050",
    "quorum": "1",
    "work_dir": "/var/lib/mesos",
    "zk": "zk://mesos:zk-secret-demo@192.0.2.10:2181/mesos",
}

PASSWD = ("root:x:0:0:root:/root:/bin/bash\n"
          "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
          "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")

SCHEDULER_CALLS = {0: "UNKNOWN", 1: "SUBSCRIBE", 2: "TEARDOWN", 3: "ACCEPT", 4: "DECLINE",
                   5: "REVIVE", 6: "KILL", 7: "SHUTDOWN", 8: "ACKNOWLEDGE", 9: "RECONCILE",
                   10: "MESSAGE", 11: "REQUEST", 12: "SUPPRESS"}
OPERATOR_CALLS = {1: "GET_HEALTH", 2: "GET_FLAGS", 3: "GET_VERSION", 9: "GET_STATE",
                  11: "GET_FRAMEWORKS", 18: "SUBSCRIBE", 31: "TEARDOWN"}


def say(msg):
    print(f"[fake-master-http] {msg}", flush=True)


def varint(buf, i):
    """Decode a protobuf varint at buf[i:]; returns (value, next index)."""
    shift = value = 0
    while i < len(buf) and shift < 64:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7
    raise ValueError("truncated varint")


def pb_field_varint(buf, field):
    """First top-level varint field `field` of a protobuf message, or None."""
    i = 0
    try:
        while i < len(buf):
            key, i = varint(buf, i)
            num, wt = key >> 3, key & 7
            if wt == 0:
                v, i = varint(buf, i)
                if num == field:
                    return v
            elif wt == 1:
                i += 8
            elif wt == 2:
                n, i = varint(buf, i)
                i += n
            elif wt == 5:
                i += 4
            else:
                return None
    except ValueError:
        return None
    return None


def pb_bytes(field, payload):
    out, n = bytearray([(field << 3) | 2]), len(payload)
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    return bytes(out) + payload


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet default access log
        pass

    def send_response(self, code, message=None):
        # Like libprocess: status line, Date; no Server header.
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    # ---- helpers ----------------------------------------------------------
    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def reply(self, code, body=b"", ctype=None, extra=()):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def reply_json(self, code, obj):
        self.reply(code, json.dumps(obj).encode(), "application/json")

    def auth_scheme(self):
        h = self.headers.get("Authorization")
        if not h:
            return "none", None
        scheme, _, cred = h.partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, pw = base64.b64decode(cred).decode().partition(":")
            except Exception:
                return "basic", None
            ok = hmac.compare_digest(f"{user}:{pw}", f"{ARGS.principal}:{ARGS.secret}")
            return "basic", user if ok else None
        if scheme.lower() == "bearer":
            return "bearer", "jwt" if hmac.compare_digest(cred.strip(), ARGS.bearer) else None
        return scheme.lower(), None

    def challenge(self, realm):
        self.reply(401, b"", None, [("WWW-Authenticate", f'Basic realm="{realm}"')])

    def parse_call(self, raw, names):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype == "application/json":
            try:
                call = json.loads(raw)
            except ValueError:
                return ctype, None, None
            return ctype, call, call.get("type") if isinstance(call, dict) else None
        if ctype == "application/x-protobuf":
            # scheduler Call.type is field 2, master Call.type field 1
            field = 2 if names is SCHEDULER_CALLS else 1
            t = pb_field_varint(raw, field)
            return ctype, None, names.get(t, f"#{t}") if t is not None else None
        return ctype, None, None

    # ---- routes -----------------------------------------------------------
    def do_GET(self):
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        say(f"GET {self.path} auth={self.auth_scheme()[0]}")
        if path in ("/master/flags", "/flags"):
            self.reply_json(200, {"flags": FLAGS})
        elif path in ("/master/state", "/state"):
            self.reply_json(200, {
                "version": "1.11.0", "id": MASTER_ID, "pid": f"master@{ARGS.ip}:{ARGS.port}",
                "hostname": "master.segward.test", "leader": f"master@{ARGS.ip}:{ARGS.port}",
                "flags": FLAGS,
                "frameworks": [{"id": V1_FRAMEWORK_ID, "name": "segward-v1-framework",
                                "pid": "scheduler(1)@192.0.2.20:40000", "user": "nobody",
                                "principal": ARGS.principal, "roles": ["segward-role"],
                                "active": True}],
                "slaves": [{"id": MASTER_ID + "-S0", "pid": "slave(1)@192.0.2.30:5051",
                            "hostname": "agent-1.segward.test"}],
            })
        elif path in ("/files/read", "/master/files/read", "/files/read.json"):
            q = parse_qs(url.query)
            offset = int((q.get("offset") or ["0"])[0] or 0)
            self.reply_json(200, {"data": PASSWD[offset:], "offset": offset})
        else:
            self.reply(404, b"404 Not Found.", "text/plain; charset=utf-8")

    def do_POST(self):
        url = urlsplit(self.path)
        path = url.path.rstrip("/")
        raw = self.body()
        scheme, principal = self.auth_scheme()
        if path in ("/api/v1/scheduler", "/master/api/v1/scheduler"):
            self.scheduler_api(raw, scheme, principal)
        elif path in ("/api/v1", "/master/api/v1"):
            self.operator_api(raw, scheme, principal)
        elif path in ("/master/teardown", "/teardown"):
            fid = (parse_qs(raw.decode(errors="replace")).get("frameworkId") or [""])[0]
            say(f"POST {self.path} frameworkId={fid} auth={scheme}")
            self.reply(200)
        else:
            say(f"POST {self.path} ({len(raw)} bytes) -> 404")
            self.reply(404, b"404 Not Found.", "text/plain; charset=utf-8")

    def scheduler_api(self, raw, scheme, principal):
        ctype, call, ctype_call = self.parse_call(raw, SCHEDULER_CALLS)
        say(f"POST {self.path} {ctype} call={ctype_call} auth={scheme} principal={principal}")
        if principal is None:
            return self.challenge("mesos-master-scheduler")
        if ctype not in ("application/json", "application/x-protobuf"):
            return self.reply(415 if ctype else 400, b"unsupported Content-Type", "text/plain; charset=utf-8")
        if ctype_call == "SUBSCRIBE":
            if self.headers.get("Mesos-Stream-Id"):
                return self.reply(400, b"Subscribe calls should not include the 'Mesos-Stream-Id' header",
                                  "text/plain; charset=utf-8")
            return self.subscribed(ctype)
        if self.headers.get("Mesos-Stream-Id") != STREAM_ID:
            return self.reply(400, b"All non-subscribe calls should include the 'Mesos-Stream-Id' header",
                              "text/plain; charset=utf-8")
        self.reply(202)

    def subscribed(self, ctype):
        if ctype == "application/json":
            events = [json.dumps({"type": "SUBSCRIBED", "subscribed": {
                          "framework_id": {"value": V1_FRAMEWORK_ID},
                          "heartbeat_interval_seconds": 15.0,
                          "master_info": {"id": MASTER_ID, "ip": 0, "port": ARGS.port,
                                          "pid": f"master@{ARGS.ip}:{ARGS.port}",
                                          "hostname": "master.segward.test", "version": "1.11.0"}}}).encode(),
                      json.dumps({"type": "HEARTBEAT"}).encode()]
        else:
            # Event{type=SUBSCRIBED(1), subscribed{framework_id{value}, heartbeat 15.0}}, Event{HEARTBEAT(8)}
            sub = pb_bytes(1, pb_bytes(1, V1_FRAMEWORK_ID.encode())) + b"\x11" + struct.pack("<d", 15.0)
            events = [b"\x08\x01" + pb_bytes(2, sub), b"\x08\x08"]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Mesos-Stream-Id", STREAM_ID)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for ev in events:  # one RecordIO record per HTTP chunk
            rec = str(len(ev)).encode() + b"\n" + ev
            self.wfile.write(b"%x\r\n%s\r\n" % (len(rec), rec))
            self.wfile.flush()
            time.sleep(0.05)
        # A real master keeps the stream open; this one ends it so the
        # client returns.
        self.wfile.write(b"0\r\n\r\n")
        self.close_connection = True

    def operator_api(self, raw, scheme, principal):
        ctype, call, ctype_call = self.parse_call(raw, OPERATOR_CALLS)
        say(f"POST {self.path} {ctype} call={ctype_call} auth={scheme} principal={principal}")
        if principal is None:
            return self.challenge("mesos-master-readwrite")
        if ctype not in ("application/json", "application/x-protobuf"):
            return self.reply(415 if ctype else 400, b"unsupported Content-Type", "text/plain; charset=utf-8")
        if ctype == "application/x-protobuf":
            return self.reply(200, b"", "application/x-protobuf")
        if ctype_call == "GET_FLAGS":
            return self.reply_json(200, {"type": "GET_FLAGS", "get_flags": {
                "flags": [{"name": k, "value": v} for k, v in sorted(FLAGS.items())]}})
        if ctype_call == "TEARDOWN":
            return self.reply(200)
        self.reply_json(200, {})


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--ip", default="192.0.2.10")
    ap.add_argument("--port", type=int, default=5050)
    ap.add_argument("--principal", default="segward-principal")
    ap.add_argument("--secret", default="segward-secret")
    ap.add_argument("--bearer", required=True, help="the one Bearer token accepted")
    ap.add_argument("--timeout", type=float, default=40.0)
    ARGS = ap.parse_args()
    srv = ThreadingHTTPServer((ARGS.ip, ARGS.port), Handler)
    srv.daemon_threads = True
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    say(f"listening on {ARGS.ip}:{ARGS.port}")
    stop.wait(ARGS.timeout)
    srv.shutdown()
    say("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
