#!/usr/bin/python3
"""curl against the fake Mesos masters of gen_mesos.sh, one scenario per
source address, for the rule-pack test (tests/e2e/rule_pack.sh).

  mesos_http.py benign|attack SCENARIO_LOG CAPTURE

Run with /usr/bin/python3 in the client namespace, which holds every address
below. Servers: tests/mesos/fake_master_http.py as a master (192.0.2.11:5050)
and as an agent's HTTP API (192.0.2.31:5051; /api/v1 on 5051 is the agent
operator API), and the mesos-go libprocess master (tests/mesos/fakemaster,
192.0.2.10:5050) for the libprocess shapes. The fake masters accept the
Bearer token `segward-rule-pack-token` (and answer 401 without it where a
real master with HTTP authentication would); what they answer does not
matter to the rules, which read the requests. SCENARIO_LOG gets one line
per scenario (CAPTURE, name, source address).

benign (192.0.2.21): the v1 SUBSCRIBE of a framework with a principal, its
ACCEPT of an ordinary task (read-only /etc/localtime and /etc/ssl/certs),
the reads of an operator with a Bearer token (GET_HEALTH, GET_STATE,
GET_VERSION, /master/state, sandbox files) or of monitoring without one
(/master/state-summary, /metrics/snapshot, /health, /version).
attack (192.0.2.130-.159): the scenarios of SCENARIOS below.
"""
import gzip
import json
import subprocess
import sys

MASTER = "192.0.2.11:5050"
AGENT = "192.0.2.31:5051"
LIBPROCESS = "192.0.2.10:5050"
TOKEN = "segward-rule-pack-token"
BEARER = f"Authorization: Bearer {TOKEN}"
BASIC = "Authorization: Basic c2Vnd2FyZC1wcmluY2lwYWw6c2Vnd2FyZC1zZWNyZXQ="  # segward-principal:segward-secret
STREAM = "Mesos-Stream-Id: 9b1f6c2e-4d3a-4f5b-8e7c-0a1b2c3d4e5f"  # fake_master_http.py's
FID = "2f6e8c1a-5b3d-4e7f-9a0b-1c2d3e4f5a6b-0001"
JSON = "Content-Type: application/json"
SANDBOX = f"/var/lib/mesos/slaves/S0/frameworks/{FID}/executors/web/runs/latest"


def framework(**kw):
    fi = {"user": "nobody", "name": "rule-pack-framework", "principal": "segward-principal",
          "roles": ["segward-role"], "hostname": "scheduler.segward.test"}
    fi.update(kw)
    return {k: v for k, v in fi.items() if v is not None}


def subscribe(**kw):
    return {"type": "SUBSCRIBE", "subscribe": {"framework_info": framework(**kw)}}


def lp(ip, message, *headers):
    """A libprocess message POST to the mesos-go master (empty protobuf body),
    from scheduler(1)@IP unless HEADERS name another Libprocess-From."""
    if not any(h.startswith("Libprocess-From:") for h in headers):
        headers += (f"Libprocess-From: scheduler(1)@{ip}:40000",)
    return dict(server=LIBPROCESS, method="POST", path=f"/master/mesos.internal.{message}", raw=b"",
                headers=["Content-Type: application/x-protobuf", *headers])


def launch_with_env(name, value):
    """An ACCEPT launching an ordinary task whose environment carries NAME=VALUE."""
    return {"framework_id": {"value": FID}, "type": "ACCEPT", "accept": {
        "offer_ids": [{"value": "O2"}], "operations": [{"type": "LAUNCH", "launch": {"task_infos": [{
            "name": "worker", "task_id": {"value": "worker-1"}, "agent_id": {"value": "S0"},
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
            "command": {"value": "/srv/worker", "environment": {"variables": [
                {"name": name, "type": "VALUE", "value": value}]}}}]}}]}}


def nested(depth):
    return '{"type":"GET_HEALTH","labels":' + "[" * depth + "1" + "]" * depth + "}"


# name, last octet, request. A request: server (default MASTER), method,
# path (or target: the raw request target), headers, json / raw body, curl
# options, max_time.
SCENARIOS = [
    ("operator-teardown-noauth", 130, dict(path="/api/v1", json={
        "type": "TEARDOWN", "teardown": {"framework_id": {"value": FID}}})),
    ("agent-session-noauth", 131, dict(server=AGENT, path="/api/v1", json={
        "type": "LAUNCH_NESTED_CONTAINER_SESSION", "launch_nested_container_session": {
            "container_id": {"value": "debug-1", "parent": {"value": "web-0"}},
            "command": {"value": "/bin/sh"}}})),
    ("agent-session-bearer", 132, dict(server=AGENT, path="/api/v1", headers=[BEARER], json={
        "type": "ATTACH_CONTAINER_INPUT", "attach_container_input": {
            "type": "CONTAINER_ID", "container_id": {"value": "debug-1", "parent": {"value": "web-0"}}}})),
    ("legacy-teardown-noauth", 133, dict(path="/master/teardown", raw=f"frameworkId={FID}".encode(),
                                         headers=["Content-Type: application/x-www-form-urlencoded"])),
    ("logging-toggle-noauth", 134, dict(method="GET", path="/logging/toggle?level=3&duration=1hrs")),
    ("flags-noauth", 135, dict(method="GET", path="/master/flags")),
    ("getflags-noauth", 136, dict(path="/api/v1", json={"type": "GET_FLAGS"})),
    ("files-read-etc", 137, dict(method="GET", path="/files/read?path=/etc/shadow&offset=0", headers=[BEARER])),
    ("files-download-encoded", 138, dict(method="GET", path="/files/download?path=%2Froot%2F.ssh%2Fid_rsa",
                                         headers=[BEARER])),
    ("files-browse-dotdot", 139, dict(method="GET", path="/files/browse?path=/var/lib/mesos/slaves/../../../../etc",
                                      headers=[BEARER], curl=["--path-as-is"])),
    ("read-file-etc", 140, dict(path="/api/v1", headers=[BEARER], json={
        "type": "READ_FILE", "read_file": {"path": "/etc/mesos/credentials", "offset": 0}})),
    ("basic-auth", 141, dict(method="GET", path="/master/state-summary", headers=[BASIC])),
    # CVE-2017-9790: a libprocess message whose request-target lacks the leading '/'.
    ("cve-2017-9790", 142, dict(lp=("ReviveOffersMessage",), target="master/mesos.internal.ReviveOffersMessage")),
    # CVE-2017-7687: an invalid percent escape in the first path segment.
    ("cve-2017-7687", 143, dict(lp=("ReviveOffersMessage",), target="/ma%zzster/mesos.internal.ReviveOffersMessage")),
    # CVE-2018-1330: a number beyond int64 and double range.
    ("cve-2018-1330", 144, dict(path="/api/v1", headers=[BEARER, JSON],
                                raw=b'{"type":"GET_HEALTH","id":123456789012345678901234567890,"w":1e999}')),
    # CVE-2018-11793: JSON nested 200 deep.
    ("cve-2018-11793", 145, dict(path="/api/v1", headers=[BEARER, JSON], raw=nested(200).encode())),
    ("path-dot-dot", 146, dict(method="GET", path="/files/../master/flags", headers=[BEARER], curl=["--path-as-is"])),
    ("jsonp-state", 147, dict(method="GET", path="/master/state?jsonp=steal", headers=[BEARER])),
    ("non-canonical-teardown", 148, dict(path="//master//teardown/", raw=f"frameworkId={FID}".encode(),
                                         headers=[BEARER, "Content-Type: application/x-www-form-urlencoded"],
                                         curl=["--path-as-is"])),
    ("gzip-body", 149, dict(path="/api/v1", headers=[BEARER, JSON, "Content-Encoding: gzip"],
                            raw=gzip.compress(b'{"type":"GET_HEALTH"}'))),
    ("removed-endpoint", 150, dict(method="GET", path="/master/state.json", headers=[BEARER])),
    ("subscribe-noprincipal", 151, dict(path="/api/v1/scheduler", headers=[BEARER],
                                        json=subscribe(principal=None, name="no-principal-framework"))),
    ("subscribe-root", 152, dict(path="/api/v1/scheduler", headers=[BEARER], json=subscribe(user="root"))),
    ("accept-privileged", 153, dict(path="/api/v1/scheduler", headers=[BEARER, STREAM], json={
        "framework_id": {"value": FID}, "type": "ACCEPT", "accept": {
            "offer_ids": [{"value": "O1"}], "operations": [{"type": "LAUNCH", "launch": {"task_infos": [{
                "name": "web", "task_id": {"value": "web-1"}, "agent_id": {"value": "S0"},
                "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
                "command": {"value": "sleep 30"},
                "container": {"type": "DOCKER", "docker": {"image": "library/alpine:3.19",
                                                           "privileged": True}}}]}}]}})),
    ("agent-launch-hostroot", 154, dict(server=AGENT, path="/api/v1", headers=[BEARER], json={
        "type": "LAUNCH_CONTAINER", "launch_container": {
            "container_id": {"value": "standalone-1"}, "command": {"value": "sleep 30"},
            "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}}],
            "container": {"type": "MESOS", "volumes": [{
                "mode": "RW", "container_path": "/host",
                "source": {"type": "HOST_PATH", "host_path": {"path": "/"}}}]}}})),
    # mesos-go never answers a libprocess/ User-Agent: curl gives up after 1.5 s.
    ("pid-header-mismatch", 155, dict(lp=("ReviveOffersMessage", "Libprocess-From: scheduler(1)@192.0.2.155:40000"),
                                      ua="libprocess/scheduler(1)@198.51.100.7:40000", max_time=1.5)),
    ("hostname-pid", 156, dict(lp=("ReviveOffersMessage", "Libprocess-From: scheduler(1)@rogue.example.test:40000"))),
    # Payload rules (credentials.yaml): secrets in a task's environment, in the clear.
    ("private-key-in-task", 158, dict(path="/api/v1/scheduler", headers=[BEARER, STREAM], json=launch_with_env(
        "TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"))),
    ("aws-key-in-task", 159, dict(path="/api/v1/scheduler", headers=[BEARER, STREAM], json=launch_with_env(
        "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"))),
]

BENIGN = [
    dict(path="/api/v1/scheduler", headers=[BEARER], json=subscribe()),
    # An ordinary web task: unprivileged, the host's clock and CA bundle read-only, its own data directory.
    dict(path="/api/v1/scheduler", headers=[BEARER, STREAM], json={
        "framework_id": {"value": FID}, "type": "ACCEPT", "accept": {
            "offer_ids": [{"value": "O1"}], "operations": [{"type": "LAUNCH", "launch": {"task_infos": [{
                "name": "web", "task_id": {"value": "web-1"}, "agent_id": {"value": "S0"},
                "resources": [{"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.5}}],
                "command": {"value": "python3 -m http.server 8080 --directory /srv/www"},
                "container": {"type": "DOCKER", "docker": {"image": "library/python:3.11-slim"},
                              "volumes": [{"mode": "RO", "container_path": "/etc/localtime",
                                           "host_path": "/etc/localtime"},
                                          {"mode": "RO", "container_path": "/etc/ssl/certs",
                                           "host_path": "/etc/ssl/certs"},
                                          {"mode": "RW", "container_path": "/srv/www",
                                           "host_path": "/srv/web-1"}]}}]}}]}}),
    dict(path="/api/v1", headers=[BEARER], json={"type": "GET_HEALTH"}),
    dict(path="/api/v1", headers=[BEARER], json={"type": "GET_STATE"}),
    dict(path="/api/v1", headers=[BEARER], json={"type": "GET_VERSION"}),
    dict(server=AGENT, path="/api/v1", headers=[BEARER], json={"type": "GET_CONTAINERS"}),
    dict(method="GET", path="/master/state", headers=[BEARER]),
    dict(method="GET", path=f"/files/browse?path={SANDBOX}", headers=[BEARER]),
    dict(method="GET", path=f"/files/read?path={SANDBOX}/stdout&offset=0", headers=[BEARER]),
    dict(method="GET", path="/master/state-summary"),
    dict(method="GET", path="/metrics/snapshot"),
    dict(method="GET", path="/master/health"),
    dict(method="GET", path="/version"),
]


def curl(ip, req):
    if "lp" in req:
        req = {**lp(ip, *req["lp"]), **{k: v for k, v in req.items() if k != "lp"}}
    server = req.get("server", MASTER)
    method = req.get("method", "POST")
    max_time = req.get("max_time", 5.0)
    cmd = ["curl", "-sS", "--max-time", str(max_time), "--interface", ip, "-o", "/dev/null",
           "-w", "%{http_code}", "-H", "Expect:", "-X", method, *req.get("curl", [])]
    if "ua" in req:
        cmd += ["-A", req["ua"]]
    headers = list(req.get("headers", []))
    body = req.get("raw")
    if "json" in req:
        body = json.dumps(req["json"]).encode()
        headers.append(JSON)
    for h in headers:
        cmd += ["-H", h]
    if body is not None:
        cmd += ["--data-binary", "@-"]
    if "target" in req:
        cmd += ["--request-target", req["target"], f"http://{server}/"]
    else:
        cmd.append(f"http://{server}{req['path']}")
    p = subprocess.run(cmd, input=body or b"", capture_output=True, timeout=max_time + 5)
    code = p.stdout.decode().strip()
    # 28: timed out, 52: closed without a reply (mesos-go and libprocess/ agents)
    if p.returncode not in (0, 28, 52):
        raise SystemExit(f"curl {cmd}: exit {p.returncode}: {p.stderr.decode().strip()}")
    return f"{method} {req.get('target') or req['path']} -> {code or 'no reply'}"


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("benign", "attack"):
        raise SystemExit(__doc__)
    mode, log_path, capture = sys.argv[1:]
    with open(log_path, "a") as log:
        if mode == "benign":
            log.write(f"{capture}\toperator-reads\t192.0.2.21\n")
            for req in BENIGN:
                print(f"[benign] {curl('192.0.2.21', req)}", flush=True)
            return 0
        for name, octet, req in SCENARIOS:
            ip = f"192.0.2.{octet}"
            log.write(f"{capture}\t{name}\t{ip}\n")
            print(f"[{name}] from {ip}: {curl(ip, req)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
