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
