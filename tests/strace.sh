#!/bin/sh
# strace inside and against a sandbox, run in the test guest (TAP on
# stdout).  Everything runs as the unprivileged user, who may trace its own
# processes: under RLIMIT_NETWORK a tracer may still trace the commands it
# starts (its own descendants, limited for good), and no other process.
#
# Usage: sh tests/strace.sh [PRLIMIT]   (default: prlimit on PATH)
. /guest/tap.sh
P=${1:-prlimit}
tmp=$(mktemp -d /tmp/strace-test.XXXXXX) || exit 1
chmod 777 "$tmp"
sandbox=
trap '[ -n "$sandbox" ] && kill $sandbox 2>/dev/null; rm -rf "$tmp"' EXIT

# as_user COMMAND-LINE: a shell command line run as the unprivileged user.
as_user() {
	su user -c "$1"
}

echo "TAP version 13"
echo "1..3"

check "strace CMD under prlimit --network=0 traces CMD and its children" \
	as_user "$P --network=0 -- strace -f -o $tmp/trace sh -c 'echo traced > $tmp/out' &&
		grep -q execve $tmp/trace && grep -qx traced $tmp/out"

# Another sandbox of the same user, not started by the tracer: it sleeps
# with the limit at 0, as a privilege-separated server waits with its
# listening socket.
as_user "exec $P --network=0 -- sleep 60" > /dev/null 2>&1 &
wait_for pidof sleep
sandbox=$(pidof sleep)

as_user "$P --network=0 -- strace -o /dev/null -p $sandbox" > "$tmp/attach.err" 2>&1
rc=$?
check "strace -p of another sandbox fails under prlimit --network=0 (Operation not permitted)" \
	sh -c '[ "$1" -ne 0 ] && grep -q "Operation not permitted" "$2"' sh "$rc" "$tmp/attach.err"

# The control: without the limit the same attach works, and strace follows
# the sandbox until it ends.
as_user "strace -o $tmp/attached -p $sandbox" > /dev/null 2>&1 &
tracer=$!
wait_for grep -q . "$tmp/attached"
kill "$sandbox"
wait "$tracer"
check "control: without the limit strace -p attaches to it and follows it to its end" \
	grep -q "killed by SIGTERM" "$tmp/attached"
exit $failed
