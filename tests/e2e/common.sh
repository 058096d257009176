# Sourced by the end-to-end scripts: `source common.sh NAME "$@"` checks the
# one argument (the segward binary) and sets BIN, HERE, ROOT and a private
# TMP directory that is removed on exit (scripts with more to clean up
# replace the trap and remove TMP themselves).
if [[ $# -ne 2 ]]; then
    echo "usage: $(basename "$0") SEGWARD_BIN" >&2
    exit 2
fi
BIN=$(realpath "$2")
HERE=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TMP=$(mktemp -d "/tmp/seg-$1.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# replay_to_eve PCAP: `segward replay` of PCAP into $TMP/eve.json, printing
# its summary; fails the script (exit 1) when segward fails or writes nothing.
replay_to_eve() {
    echo "== segward replay"
    local rc=0
    (cd "$TMP" && timeout 120 "$BIN" replay --eve "$TMP/eve.json" "$1") >"$TMP/replay.out" 2>"$TMP/replay.err" || rc=$?
    cat "$TMP/replay.out"
    if [[ $rc -ne 0 ]]; then
        echo "FAIL: segward replay exited $rc" >&2
        cat "$TMP/replay.err" >&2
        exit 1
    fi
    if [[ ! -s $TMP/eve.json ]]; then
        echo "FAIL: segward wrote no EVE output" >&2
        exit 1
    fi
}
