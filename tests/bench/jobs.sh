# Sourced by bench.sh and steady-ir.sh: background jobs that a signal to the
# script can stop.
#
# run_job CMD...: runs CMD as a background job and waits for it, so that a
# signal to the script is handled at once; CHILD holds its pid meanwhile.
# stop_child: stops that job if it is still running (for the EXIT trap).
CHILD=""

run_job() {
    "$@" &
    CHILD=$!
    local rc=0
    wait "$CHILD" || rc=$?
    CHILD=""
    return "$rc"
}

stop_child() {
    [[ -n $CHILD ]] && kill -0 "$CHILD" 2>/dev/null || return 0
    # The job may be a subshell around `timeout ...`: signal its children by
    # parent id (timeout passes TERM on), then the subshell itself.
    pkill -TERM -P "$CHILD" 2>/dev/null || true
    kill -TERM "$CHILD" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.5; done
    pkill -KILL -P "$CHILD" 2>/dev/null || true
    kill -KILL "$CHILD" 2>/dev/null || true
}
