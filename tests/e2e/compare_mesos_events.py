#!/usr/bin/env python3
"""Check segward's EVE `mesos` events against what the programs logged they sent.

  compare_mesos_events.py SENT_JSONL EVE_JSON

SENT_JSONL comes from tests/data/make-mesos-capture.sh (one record per
request, in wire order); EVE_JSON from `segward replay` of the same capture.
Request events (mesos.direction == "request") are taken in timestamp order
and must pair one to one, in order, with the records: same kind, message type
or call, sender PID, URI, auth scheme, HTTP status, framework, task and
authentication fields wherever the record names them. A record with
spoofed_pid must give pid_ip_matches_source false, every other libprocess
record true. Prints one line per mismatch; exits 1 on any.
"""
import json
import sys


def load_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sent = load_jsonl(sys.argv[1])
    events = [e for e in load_jsonl(sys.argv[2]) if e.get("event_type") == "mesos"]
    requests = sorted((e for e in events if e["mesos"].get("direction") == "request"), key=lambda e: e["timestamp"])
    responses = [e for e in events if e["mesos"].get("direction") == "response"]
    problems = []

    def check(i, what, want, got):
        if want != got:
            problems.append(f"record {i} ({sent[i - 1].get('message') or sent[i - 1].get('call')}): {what}: "
                            f"sent {want!r}, segward {got!r}")

    if len(requests) != len(sent):
        problems.append(f"{len(sent)} requests sent, {len(requests)} request events")
    for i, (rec, ev) in enumerate(zip(sent, requests), start=1):
        m = ev["mesos"]
        check(i, "kind", rec["kind"], m.get("kind"))
        check(i, "http.method", rec.get("method"), m.get("http", {}).get("method"))
        check(i, "http.uri", rec.get("uri"), m.get("http", {}).get("uri"))
        if "http_status" in rec:
            check(i, "http.status", rec["http_status"], m.get("http", {}).get("status"))
        if rec["kind"] == "libprocess":
            check(i, "message", rec["message"], m.get("message"))
            check(i, "from_pid", rec["from_pid"], m.get("from_pid"))
            check(i, "pid_ip_matches_source", not rec.get("spoofed_pid", False), m.get("pid_ip_matches_source"))
        else:
            if "call" in rec and rec["kind"] == "api":
                check(i, "call", rec["call"], m.get("call"))
            if "endpoint" in rec:
                check(i, "endpoint", rec["endpoint"], m.get("endpoint"))
            if "auth_scheme" in rec:
                check(i, "auth_scheme", rec["auth_scheme"], m.get("auth_scheme"))
        fw = rec.get("framework", {})
        for key in ("name", "user", "principal", "id", "hostname"):
            if key in fw:
                check(i, f"framework.{key}", fw[key], m.get("framework", {}).get(key))
        if "roles" in fw:
            check(i, "framework.roles", fw["roles"], m.get("framework", {}).get("roles"))
        task = rec.get("task", {})
        for key in ("name", "id", "command", "image"):
            if key in task:
                check(i, f"task.{key}", task[key], m.get("task", {}).get(key))
        if "status" in rec:
            check(i, "task.state", rec["status"], m.get("task", {}).get("state"))
        if "principal" in rec and rec["kind"] == "libprocess":
            check(i, "auth_principal", rec["principal"], m.get("auth_principal"))
        if "mechanism" in rec:
            check(i, "auth_mechanism", rec["mechanism"], m.get("auth_mechanism"))
        if "mechanisms" in rec:
            check(i, "auth_mechanism", ",".join(rec["mechanisms"]), m.get("auth_mechanism"))
        # Nothing secret may reach the output: the CRAM-MD5 response digest.
        step = rec.get("step_data", "")
        if " " in step:
            digest = step.split(" ", 1)[1]
            if digest and digest in json.dumps(ev):
                problems.append(f"record {i}: the CRAM-MD5 response digest appears in the event")

    # Every SUBSCRIBE answered 200 starts an event stream whose SUBSCRIBED
    # record names the framework id the master assigned.
    subscribed = [e for e in responses if e["mesos"].get("call") == "SUBSCRIBED"]
    ok_subscribes = [r for r in sent if r.get("call") == "SUBSCRIBE" and r.get("http_status") == 200]
    if len(subscribed) != len(ok_subscribes):
        problems.append(f"{len(ok_subscribes)} SUBSCRIBE calls answered 200, {len(subscribed)} SUBSCRIBED stream events")
    for e in subscribed:
        if not e["mesos"].get("framework", {}).get("id"):
            problems.append("a SUBSCRIBED stream event without framework.id")

    for p in problems:
        print("MISMATCH", p)
    kinds = {}
    for e in requests:
        kinds[e["mesos"]["kind"]] = kinds.get(e["mesos"]["kind"], 0) + 1
    print(f"{len(sent)} sent, {len(requests)} request events {kinds}, {len(responses)} stream events, "
          f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
