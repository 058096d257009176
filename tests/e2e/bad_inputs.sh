#!/usr/bin/env bash
# Bad inputs get a clear, located, one-line error and a documented exit code,
# never a crash: truncated and non-pcap captures for `replay`, broken configs
# for `check-config` and `run --config`.
#
#   bad_inputs.sh SEGWARD_BIN
#
# Exit codes: 2 = usage or config error, 3 = capture file error.
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh" bad "$@"
cd "$TMP"
ulimit -c unlimited 2>/dev/null || true

# --- inputs ---------------------------------------------------------------
SRC_PCAP=$ROOT/tests/data/zk-cluster.pcap
[[ -s $SRC_PCAP ]] || { echo "missing $SRC_PCAP" >&2; exit 1; }
# Cut inside a record: past the global header (24) and the first record
# header (16), in the middle of the 5th record's data.
/usr/bin/python3 - "$SRC_PCAP" "$TMP/truncated.pcap" <<'EOF'
import struct, sys
data = open(sys.argv[1], "rb").read()
off = 24
for _ in range(4):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    off += 16 + incl
incl = struct.unpack_from("<I", data, off + 8)[0]
open(sys.argv[2], "wb").write(data[: off + 16 + incl // 2])
EOF
printf 'this is not a capture file\nit is text\n' >"$TMP/notpcap.pcap"

cat >"$TMP/unknown-key.yaml" <<'EOF'
dataplane:
  mode: inline
  workers: 1
  ports:
    - name: a
      device: "net_null0"
    - name: b
      device: "net_null1"
flow:
  capacity: 1024
  colour: blue
EOF
cat >"$TMP/wrong-type.yaml" <<'EOF'
dataplane:
  mode: inline
  workers: lots
  ports:
    - name: a
      device: "net_null0"
    - name: b
      device: "net_null1"
EOF
cat >"$TMP/missing-port.yaml" <<'EOF'
eal:
  args: ["--no-huge", "--no-shconf", "--no-pci", "-l", "0-1", "-m", "256"]
dataplane:
  mode: inline
  workers: 1
  ports:
    - name: a
      device: "net_null0"
EOF

# --- checks ---------------------------------------------------------------
fails=0
# case NAME WANT_RC LOCATION_REGEX FILE -- ARGS...
case_() {
    local name=$1 want=$2 loc=$3 file=$4; shift 5
    local err="$TMP/$name.err" rc lines problems=()
    rm -f core core.* 2>/dev/null
    timeout 60 "$BIN" "$@" >"$TMP/$name.out" 2>"$err"
    rc=$?
    lines=$(wc -l <"$err")
    # A last line without a newline still counts as a line.
    [[ -s $err && $(tail -c 1 "$err" | od -An -c | tr -d ' ') != '\n' ]] && lines=$((lines + 1))
    echo "--- $name: $BIN $* -> exit $rc"
    sed 's/^/    stderr| /' "$err"
    [[ $rc -eq 124 ]] && problems+=("timed out (hang)")
    [[ $rc -ge 128 ]] && problems+=("killed by signal $((rc - 128))")
    [[ $rc -eq 0 ]] && problems+=("exit 0 on bad input")
    [[ $rc -ne $want ]] && problems+=("exit $rc, expected $want")
    [[ $lines -ne 1 ]] && problems+=("stderr has $lines lines, expected exactly 1")
    grep -qF "$(basename "$file")" "$err" || problems+=("stderr does not name $(basename "$file")")
    grep -qE "$loc" "$err" || problems+=("stderr has no location matching /$loc/")
    if compgen -G "$TMP/core*" >/dev/null; then problems+=("core file left"); fi
    if [[ ${#problems[@]} -gt 0 ]]; then
        printf '    FAIL: %s\n' "${problems[@]}"
        fails=$((fails + 1))
    else
        echo "    ok"
    fi
}

# pcap location: "record N" or "offset/byte N" (or FILE:N:).
PCAP_LOC='(record|packet|offset|byte)[^0-9]{0,12}[0-9]+|\.pcap:[0-9]+'
case_ truncated-replay 3 "$PCAP_LOC" truncated.pcap -- replay --eve "$TMP/t.json" "$TMP/truncated.pcap"
case_ notpcap-replay   3 "$PCAP_LOC" notpcap.pcap   -- replay --eve "$TMP/n.json" "$TMP/notpcap.pcap"

for cfg in unknown-key wrong-type missing-port; do
    # Location FILE:LINE: (COL optional).
    LOC="$cfg\\.yaml:[0-9]+:"
    case_ "$cfg-check" 2 "$LOC" "$cfg.yaml" -- check-config "$TMP/$cfg.yaml"
    case_ "$cfg-run"   2 "$LOC" "$cfg.yaml" -- run --config "$TMP/$cfg.yaml"
done

# The located line must point at the offending key.
check_line() {
    local name=$1 want=$2
    if ! grep -qE "\\.yaml:$want:" "$TMP/$name.err"; then
        echo "--- $name: FAIL: expected the error on line $want"; fails=$((fails + 1))
    fi
}
check_line unknown-key-check 11   # colour: blue
check_line wrong-type-check 3     # workers: lots

echo
if [[ $fails -ne 0 ]]; then
    echo "bad_inputs: $fails failure(s)"
    exit 1
fi
echo "bad_inputs: all cases ok"
