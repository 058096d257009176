#!/usr/bin/python3
"""Drive a real ZooKeeper server the way a small Mesos cluster does.

Run with Debian's /usr/bin/python3 (python3-kazoo). Used by
make-zk-capture.sh; every client is a separate TCP connection:

  master-1, master-2  contend for leadership with ephemeral sequential
                      znodes /mesos/json.info_NNNNNNNNNN holding MasterInfo JSON
  agent               lists /mesos, reads the leader's data, watches
  operator            multi transaction, ~500 KB setData, digest auth +
                      setACL, deletes
Then master-1 (the leader) goes away, its ephemeral node disappears and the
agent observes the new leader.
"""
import json
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.security import make_digest_acl, OPEN_ACL_UNSAFE

HOSTS = sys.argv[1] if len(sys.argv) > 1 else "192.0.2.10:2181"
TIMEOUT = 10.0


def client(name):
    zk = KazooClient(hosts=HOSTS, timeout=TIMEOUT, connection_retry={"max_tries": 3},
                     command_retry={"max_tries": 3})
    zk.start(timeout=TIMEOUT)
    print(f"[{name}] connected, session 0x{zk.client_id[0]:x}", flush=True)
    return zk


def master_info(n, port):
    return json.dumps({
        "id": f"a3f5c2e1-7b9d-4c1e-9f00-00000000000{n}",
        "pid": f"master@192.0.2.{20 + n}:{port}",
        "port": port,
        "ip": 0,
        "hostname": f"master-{n}.mesos.example",
        "version": "1.11.0",
        "address": {"hostname": f"master-{n}.mesos.example",
                    "ip": f"192.0.2.{20 + n}", "port": port},
        "domain": {"fault_domain": {"region": {"name": "r1"}, "zone": {"name": "z1"}}},
    }, sort_keys=True).encode()


def leader_of(zk):
    kids = sorted(c for c in zk.get_children("/mesos") if c.startswith("json.info_"))
    return kids[0] if kids else None


def main():
    m1 = client("master-1")
    m2 = client("master-2")
    for zk in (m1, m2):
        zk.ensure_path("/mesos")
    # Contend: both register; the lowest sequence number leads.
    p1 = m1.create("/mesos/json.info_", master_info(1, 5050), ephemeral=True, sequence=True)
    time.sleep(0.2)
    p2 = m2.create("/mesos/json.info_", master_info(2, 5050), ephemeral=True, sequence=True)
    # Mesos masters also keep a log-replica znode group.
    m1.ensure_path("/mesos/log_replicas")
    m1.create("/mesos/log_replicas/", b"replica@192.0.2.21:5050", ephemeral=True, sequence=True)
    print(f"[masters] registered {p1} {p2}", flush=True)

    agent = client("agent")
    changed = threading.Event()

    def on_children(event):
        changed.set()

    kids = agent.get_children("/mesos", watch=on_children)
    lead = leader_of(agent)
    data, stat = agent.get("/mesos/" + lead)
    info = json.loads(data)
    print(f"[agent] children={sorted(kids)} leader={lead} pid={info['pid']} "
          f"version={stat.version}", flush=True)
    # Master-2 watches its predecessor as Mesos' contender does.
    m2.exists(p1, watch=lambda e: None)

    op = client("operator")
    op.ensure_path("/segward")
    tx = op.transaction()
    tx.create("/segward/tx-a", b"alpha")
    tx.create("/segward/tx-b", b"beta")
    tx.check("/segward", 0)
    results = tx.commit()
    print(f"[operator] multi -> {results}", flush=True)

    blob = bytes((i * 31 + 7) & 0xFF for i in range(500 * 1024))
    op.create("/segward/blob", b"")
    stat = op.set("/segward/blob", blob)
    print(f"[operator] setData {len(blob)} bytes -> version {stat.version}", flush=True)

    op.add_auth("digest", "mesos:s3cret-demo")
    acl = make_digest_acl("mesos", "s3cret-demo", all=True)
    op.create("/segward/secured", b"credentials=demo")
    op.set_acls("/segward/secured", [acl])
    acls, _ = op.get_acls("/segward/secured")
    print(f"[operator] ACL now {acls}", flush=True)
    op.set_acls("/segward/secured", OPEN_ACL_UNSAFE)

    for p in ("/segward/tx-a", "/segward/tx-b", "/segward/blob", "/segward/secured"):
        op.delete(p)
    print("[operator] deleted", flush=True)

    # The leader leaves: its session closes, its ephemeral znode goes away.
    m1.stop()
    m1.close()
    if not changed.wait(TIMEOUT):
        print("[agent] no watch event after leader left", file=sys.stderr)
        return 1
    lead2 = leader_of(agent)
    data, _ = agent.get("/mesos/" + lead2)
    print(f"[agent] new leader={lead2} pid={json.loads(data)['pid']}", flush=True)
    if lead2 == lead:
        print("[agent] leader did not change", file=sys.stderr)
        return 1

    for zk in (m2, agent, op):
        zk.stop()
        zk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
