#!/usr/bin/env python3
"""Write v1 API calls as application/x-protobuf bodies, for the capture.

  make_v1_protobuf_bodies.py OUT_DIR

Bodies are built with classes that protoc generates (into a temporary
directory) from segward's own decoders/libprocess/mesos.proto and
decoders/mesos_api/v1.proto, so they carry Mesos's field numbers. Each file
is named <scheduler|operator>-<CALL>[-<auth>].bin, as http_clients.py
expects, with a <name>.json sidecar holding what the log should record.
Needs protoc and python3-protobuf (Debian).
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def generated_modules():
    out = tempfile.mkdtemp(prefix="segward-v1-py.")
    subprocess.run(["protoc", f"--proto_path={ROOT}", f"--python_out={out}",
                    "decoders/libprocess/mesos.proto", "decoders/mesos_api/v1.proto"],
                   check=True, cwd=ROOT)
    sys.path.insert(0, out)
    from decoders.mesos_api import v1_pb2  # noqa: E402  (generated above)
    return v1_pb2


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    v1 = generated_modules()

    def write(name, message, side):
        with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
            f.write(message.SerializeToString())
        with open(os.path.join(out_dir, name + ".bin.json"), "w") as f:
            json.dump(side, f)

    sub = v1.SchedulerCall()
    sub.type = v1.SchedulerCall.SUBSCRIBE
    info = sub.subscribe.framework_info
    info.name = "segward-protobuf-framework"
    info.user = "root"
    info.principal = "segward-pb-principal"
    info.roles.append("segward-pb-role")
    info.hostname = "pb.segward.test"
    write("scheduler-SUBSCRIBE-basic", sub,
          {"framework": {"name": info.name, "user": info.user, "principal": info.principal,
                         "roles": list(info.roles), "hostname": info.hostname}})

    # The operator calls the issue names, with and without Authorization.
    flags = v1.MasterCall()
    flags.type = v1.MasterCall.GET_FLAGS
    write("operator-GET_FLAGS-none", flags, {})
    write("operator-GET_FLAGS-basic", flags, {})

    teardown = v1.MasterCall()
    teardown.type = v1.MasterCall.TEARDOWN
    teardown.teardown.framework_id.value = "segward-pb-framework-0001"
    side = {"framework": {"id": teardown.teardown.framework_id.value}}
    write("operator-TEARDOWN-bearer", teardown, side)
    write("operator-TEARDOWN-none", teardown, side)
    return 0


if __name__ == "__main__":
    sys.exit(main())
