#!/usr/bin/python3
"""Checks of policy_zk_inline.sh: segward's EVE output of a run (or of the
replay of its capture) against what the kazoo clients reported, and the
captures taken on both sides of segward against each other.

  policy_zk_check.py --mode inline|reset|tap|replay --eve EVE.json --report CLIENTS.json
                     [--server-pcap SERVER.pcap --client-pcap CLIENTS.pcap]

CLIENTS.json is policy_zk_clients.py's report (the clients' source ports,
the master's paths, the rogue's outcome). The captures are decoded by
zk_wire_eve.py (tshark and a Python jute decoder, nothing of segward);
in reset mode both must show the RST segward sent to that side.
Prints what it found; "FAIL: ..." and exit 1 on the first broken
expectation.
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from policy_pcap import TCP_RST, packets  # noqa: E402

MASTER, AGENT, ROGUE, SERVER, PORT = "192.0.2.11", "192.0.2.12", "192.0.2.13", "198.51.100.10", 2181
CREATES = {"create", "create2", "createContainer", "createTTL"}
HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def wire_events(pcap):
    out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "zk_wire_eve.py"), pcap],
                         capture_output=True, text=True, timeout=120)
    return [json.loads(l) for l in out.stdout.splitlines() if l.strip()]


def creates_from(events, ip):
    return [e for e in events if e.get("event_type") == "zookeeper" and e.get("src_ip") == ip
            and e["zookeeper"].get("op") in CREATES and e["zookeeper"].get("path", "").startswith("/mesos/")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["inline", "reset", "tap", "replay"], required=True)
    ap.add_argument("--eve", required=True)
    ap.add_argument("--report", required=True)
    ap.add_argument("--server-pcap")
    ap.add_argument("--client-pcap")
    a = ap.parse_args()
    report = json.load(open(a.report))
    events = [json.loads(l) for l in open(a.eve) if l.strip()]
    blocking = a.mode in ("inline", "reset")

    # --- alerts ----------------------------------------------------------------
    alerts = [e for e in events if e.get("event_type") == "alert"]
    for e in alerts:
        al = e["alert"]
        print(f"alert: {e.get('src_ip')}:{e.get('src_port')} -> {e.get('dest_ip')}:{e.get('dest_port')} "
              f"action={al.get('action')} signature={al.get('signature')} sid={al.get('signature_id')} "
              f"condition={al.get('condition')} rule={al.get('rule')} zookeeper={json.dumps(e.get('zookeeper'))}")
    rogue = [e for e in alerts if e.get("src_ip") == ROGUE and e["alert"].get("condition") == "zookeeper.write_paths"]
    if not rogue:
        fail(f"no alert with src_ip {ROGUE} and condition zookeeper.write_paths ({len(alerts)} alerts in all)")
    want_action = "blocked" if blocking else "allowed"
    for e in rogue:
        al = e["alert"]
        if al.get("action") != want_action:
            fail(f"{a.mode}: the rogue's alert has action {al.get('action')!r}, expected {want_action!r}")
        if al.get("signature") != "agents-read-only":
            fail(f"the rogue's alert names rule {al.get('signature')!r}, expected 'agents-read-only'")
        if (e.get("dest_ip"), e.get("dest_port")) != (SERVER, PORT):
            fail(f"the rogue's alert is not about {SERVER}:{PORT}: {e.get('dest_ip')}:{e.get('dest_port')}")
        z = e.get("zookeeper") or {}
        if z.get("op") not in CREATES or not z.get("path", "").startswith("/mesos/json.info_"):
            fail(f"the rogue's alert does not carry the create that broke the rule: zookeeper={z}")
        if not re.fullmatch(r".*policy\.yaml:\d+", al.get("rule", "")):
            fail(f"the rogue's alert.rule is {al.get('rule')!r}, expected the rule's place: policy.yaml:LINE")
        for key in ("signature_id", "category", "severity"):
            if key not in al:
                fail(f"the rogue's alert has no alert.{key}: {al}")
    first_port = report["rogue_ports"][0] if report.get("rogue_ports") else None
    if first_port is not None and first_port not in {e.get("src_port") for e in rogue}:
        fail(f"no write_paths alert for the rogue's connection from port {first_port}: "
             f"{[e.get('src_port') for e in rogue]}")
    print(f"ok: {len(rogue)} alert(s) for the rogue's create, action {want_action}, condition zookeeper.write_paths")
    legit = [e for e in alerts if {e.get("src_ip"), e.get("dest_ip")} & {MASTER, AGENT}]
    if legit:
        fail(f"{len(legit)} alert(s) about the master or the agent, expected none: {legit[:3]}")
    print("ok: no alert about the master or the agent")

    # --- flows -----------------------------------------------------------------------
    flows = [e for e in events if e.get("event_type") == "flow" and e.get("dest_ip") == SERVER
             and e.get("dest_port") == PORT]
    for name, ip in (("master", MASTER), ("agent", AGENT), ("rogue", ROGUE)):
        ports = report.get(f"{name}_ports") or []
        if not ports:
            fail(f"the clients' report names no port for the {name}")
        for p in ports:
            f = [e for e in flows if e.get("src_ip") == ip and e.get("src_port") == p]
            if len(f) != 1:
                fail(f"expected one EVE flow {ip}:{p} -> {SERVER}:{PORT}, found {len(f)}")
            fl = f[0]["flow"]
            if fl["pkts_toserver"] < 1 or (name != "rogue" and fl["pkts_toclient"] < 1):
                fail(f"the {name}'s flow from port {p} looks empty: {fl}")
            print(f"flow: {name} {ip}:{p} toserver {fl['pkts_toserver']} pkts, toclient {fl['pkts_toclient']} "
                  f"pkts, state {fl['state']}, reason {fl['reason']}")

    # --- segward's own decode of the master's writes ---------------------------------
    zk = [e for e in events if e.get("event_type") == "zookeeper"]
    mc = [e for e in creates_from(zk, MASTER) if e["zookeeper"].get("err") == "OK"]
    if len(mc) < 2:
        fail(f"segward's zookeeper events show {len(mc)} successful creates by the master, expected 2")
    print(f"ok: segward decoded the master's creates {[e['zookeeper'].get('created_path') for e in mc]}")

    # --- verdict counters --------------------------------------------------------------
    stats = [e for e in events if e.get("event_type") == "stats"]
    if not stats:
        fail("no stats event")
    st = stats[-1]["stats"]
    v = st.get("verdict", {})
    print(f"verdicts: {v}")
    if "policy" in st:
        print(f"stats.policy: {json.dumps(st['policy'])[:400]}")
    if blocking:
        if v.get("drop", 0) < 1:
            fail(f"inline: no packet counted as dropped: {v}")
        if v.get("forward", 0) < 1:
            fail(f"inline: nothing forwarded: {v}")
    else:
        if v.get("drop", 0) != 0 or v.get("tx_packets", 0) != 0 or v.get("forward", 0) != 0:
            fail(f"{a.mode}: segward dropped or transmitted: {v}")
        if v.get("observe", 0) < 1:
            fail(f"{a.mode}: nothing observed: {v}")

    # --- the wire on both sides ---------------------------------------------------------
    if a.server_pcap:
        srv = wire_events(a.server_pcap)
        m = [e for e in creates_from(srv, MASTER) if e["zookeeper"].get("err") == "OK"]
        r = creates_from(srv, ROGUE)
        print(f"server-side capture: {len(srv)} zookeeper events; master creates OK {len(m)}, "
              f"rogue creates {[(e['zookeeper'].get('path'), e['zookeeper'].get('err')) for e in r]}")
        if len(m) < 2:
            fail(f"the server-side capture shows {len(m)} successful master creates, expected 2")
        if blocking and r:
            fail(f"the rogue's create reached the server: {r}")
        if not blocking and not any(e["zookeeper"].get("err") == "OK" for e in r):
            fail("tap: the rogue's create did not reach the server (or failed there)")
    if a.client_pcap:
        cli = wire_events(a.client_pcap)
        r = creates_from(cli, ROGUE)
        print(f"client-side capture: {len(cli)} zookeeper events; rogue creates sent {len(r)}")
        if not r:
            fail("the client-side capture holds no create from the rogue: the test proved nothing")
    # --- reset: the rogue's connection is torn down on both sides ----------------------
    if a.mode == "reset":
        secs = report["rogue_create"]["seconds"]
        print(f"reset: the rogue's create failed after {secs:.2f} s ({report['rogue_create']['error']})")
        if secs > 3.0:
            fail(f"reset: the rogue's create failed only after {secs:.1f} s: no RST reached the rogue")
        if "policy" in st and "resets_sent" in st["policy"] and st["policy"]["resets_sent"] < 1:
            fail(f"reset: stats.policy.resets_sent is {st['policy']['resets_sent']}")
        rp = report["rogue_ports"][0]
        to_rogue = [p for p in packets(a.client_pcap) if p.flags & TCP_RST and (p.src, p.sport, p.dst, p.dport) ==
                    (SERVER, PORT, ROGUE, rp)]
        to_server = [p for p in packets(a.server_pcap) if p.flags & TCP_RST and (p.src, p.sport, p.dst, p.dport) ==
                     (ROGUE, rp, SERVER, PORT)]
        print(f"reset: RST to the rogue on the client side {len(to_rogue)}, to the server on its side {len(to_server)}")
        if not to_rogue or not to_server:
            fail("reset: expected a RST to each end of the rogue's connection in the captures")
    print(f"policy_zk_check ({a.mode}): ok")


if __name__ == "__main__":
    main()
