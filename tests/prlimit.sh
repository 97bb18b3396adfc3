#!/bin/sh
# prlimit's --network (RLIMIT_NETWORK), run in the test guest as root with the
# loopback up and busybox's httpd, wget and nc (TAP on stdout).
#
# Usage: sh tests/prlimit.sh [PRLIMIT]
#   PRLIMIT defaults to /mnt/add/prlimit if it is there, else prlimit on PATH.
# E.g. from the host, with a folder holding this script and build/out/prlimit:
#   scripts/vm-run --add DIR -- sh /mnt/add/prlimit.sh /mnt/add/prlimit
# Exits 1 when a check fails.

P=${1:-}
if [ -z "$P" ]; then
	if [ -x /mnt/add/prlimit ]; then P=/mnt/add/prlimit; else P=prlimit; fi
fi
PORT=8471	# busybox httpd on 127.0.0.1
PORT2=8472	# busybox nc server, for the established connection

. /guest/tap.sh
pids=
tmp=$(mktemp -d /tmp/prlimit-test.XXXXXX) || exit 1
url=http://127.0.0.1:$PORT/

cleanup() {
	exec 3>&- 4>&-
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
# A peer gone early must fail a check, not kill the script mid-write.
trap '' PIPE

# The NETWORK row of "prlimit [--pid PID]", columns squeezed.
network_row() {
	"$P" "$@" | sed -n 's/  */ /g; s/ $//; /^NETWORK /p'
}

# (busybox 1.35's wget -T crashes: "timeout" bounds it instead)
fetch() {
	timeout 10 busybox wget -q -O - "$url"
}

echo "TAP version 13"
echo "1..11"

start_httpd "served by busybox httpd for prlimit.sh"
wait_for fetch

# 1. The listing has the NETWORK row, with its description, unlimited here.
"$P" > "$tmp/list" 2>&1
row=$(sed -n 's/  */ /g; s/ $//; /^NETWORK /p' "$tmp/list")
show="$tmp/list"
check "prlimit lists NETWORK with its description, unlimited by default" \
	sh -c 'case "$1" in "NETWORK network access"*" unlimited unlimited") exit 0 ;; *) exit 1 ;; esac' sh "$row"

# 2. Control: wget reaches httpd without prlimit.
fetch > "$tmp/plain.out" 2> "$tmp/plain.err"
rc=$?
show="$tmp/plain.out $tmp/plain.err"
check "control: busybox wget without prlimit gets the served file" \
	sh -c '[ "$1" -eq 0 ] && grep -qx "served by busybox httpd for prlimit.sh" "$2"' sh "$rc" "$tmp/plain.out"

# 3. The same wget under --network=0 fails with EPERM.  In make check's boots
# this is the first time anything lowers the limit, so it also checks that
# setrlimit() turns on the static key behind the checks before it returns.
timeout 10 "$P" --network=0 -- busybox wget -q -O - "$url" > "$tmp/denied.out" 2> "$tmp/denied.err"
rc=$?
show="$tmp/denied.out $tmp/denied.err"
echo "exit status $rc" >> "$tmp/denied.err"
check "prlimit --network=0 -- busybox wget fails with \"Operation not permitted\"" \
	sh -c '[ "$1" -ne 0 ] && grep -q "Operation not permitted" "$2" && ! grep -q "served by" "$3"' \
	sh "$rc" "$tmp/denied.err" "$tmp/denied.out"

# 4. The command runs with {0, 0}; a plain cat shows unlimited.
"$P" --network=0 -- cat /proc/self/limits > "$tmp/limits0" 2>&1
cat /proc/self/limits > "$tmp/limits"
show="$tmp/limits0 $tmp/limits"
check "prlimit --network=0 -- cat /proc/self/limits shows \"Max network access 0 0\" (control: unlimited)" \
	sh -c 'grep -Eq "^Max network access +0 +0 *\$" "$1" &&
		grep -Eq "^Max network access +unlimited +unlimited *\$" "$2"' sh "$tmp/limits0" "$tmp/limits"

# 5-6. A shell restricts itself with "prlimit --pid $$ --network=0".
sh -c '
	P=$1 d=$2 url=$3
	timeout 10 busybox wget -q -O - "$url" > "$d/self-before.out" 2>&1; echo $? > "$d/self-before.rc"
	"$P" --pid $$ --network=0 > "$d/self-prlimit.out" 2>&1; echo $? > "$d/self-prlimit.rc"
	timeout 10 busybox wget -q -O - "$url" > "$d/self-after.out" 2>&1; echo $? > "$d/self-after.rc"
	echo ready > "$d/self-ready"
	exec sleep 120
' sh "$P" "$tmp" "$url" > "$tmp/self.log" 2>&1 &
self=$!
pids="$pids $self"
wait_for test -f "$tmp/self-ready" || sleep 10	# two wget timeouts at worst
row=$(network_row --pid "$self")
echo "prlimit --pid $self: $row" > "$tmp/self-row"
show="$tmp/self-prlimit.out $tmp/self-row"
check "sh -c 'prlimit --pid \$\$ --network=0' works, prlimit --pid shows NETWORK 0 0" \
	sh -c '[ "$(cat "$1")" = 0 ] && case "$2" in NETWORK*" 0 0") exit 0 ;; *) exit 1 ;; esac' \
	sh "$tmp/self-prlimit.rc" "$row"
show="$tmp/self-before.out $tmp/self-after.out"
check "that shell's wget worked before and fails with EPERM after" \
	sh -c '[ "$(cat "$1/self-before.rc")" = 0 ] && grep -q "served by" "$1/self-before.out" &&
		[ "$(cat "$1/self-after.rc")" != 0 ] && grep -q "Operation not permitted" "$1/self-after.out"' \
	sh "$tmp"

# 7. A process restricted from outside with --pid loses the network; its
# unrestricted twin (the control) does not.
# waiter NAME: a shell that waits for $tmp/go, then runs wget.
waiter() {
	sh -c '
		d=$1 who=$2 url=$3
		echo waiting > "$d/$who-waiting"
		while [ ! -e "$d/go" ]; do sleep 0.1; done
		timeout 10 busybox wget -q -O - "$url" > "$d/$who.out" 2>&1; echo $? > "$d/$who.rc"
		exec sleep 120
	' sh "$tmp" "$1" "$url" > "$tmp/$1.log" 2>&1 &
	pids="$pids $!"
}
waiter limited
limited=$!
waiter twin
wait_for test -f "$tmp/limited-waiting" -a -f "$tmp/twin-waiting"
"$P" --pid "$limited" --network=0 > "$tmp/outside.out" 2>&1
rc=$?
touch "$tmp/go"
wait_for test -f "$tmp/limited.rc" -a -f "$tmp/twin.rc" || sleep 10
show="$tmp/outside.out $tmp/limited.out $tmp/twin.out"
check "prlimit --pid PID --network=0 takes the network from a running shell (its twin keeps it)" \
	sh -c '[ "$1" -eq 0 ] && [ "$(cat "$2/limited.rc")" != 0 ] && grep -q "Operation not permitted" "$2/limited.out" &&
		[ "$(cat "$2/twin.rc")" = 0 ] && grep -q "served by" "$2/twin.out"' sh "$rc" "$tmp"

# 8-9. An established connection survives the client's restriction with --pid.
# Each nc reads a fifo kept open here: an nc whose input ends shuts its
# sending half down, and the other nc then quits.
mkfifo "$tmp/server-in" "$tmp/fifo"
busybox nc -l -p "$PORT2" < "$tmp/server-in" > "$tmp/nc.recv" 2> "$tmp/nc-server.err" &
pids="$pids $!"
exec 4> "$tmp/server-in"
wait_for grep -q ":$(printf '%04X' "$PORT2") 00000000:0000 0A" /proc/net/tcp
busybox nc 127.0.0.1 "$PORT2" < "$tmp/fifo" > /dev/null 2> "$tmp/nc-client.err" &
client=$!
pids="$pids $client"
exec 3> "$tmp/fifo"
echo "line before the drop" >&3
wait_for grep -qx "line before the drop" "$tmp/nc.recv"
"$P" --pid "$client" --network=0 > "$tmp/nc-prlimit.out" 2>&1
rc=$?
show="$tmp/nc-prlimit.out $tmp/nc.recv"
check "prlimit --pid on an nc client holding a connection: its limits read 0 0" \
	sh -c '[ "$1" -eq 0 ] && grep -qx "line before the drop" "$2" &&
		grep -Eq "^Max network access +0 +0 *\$" /proc/"$3"/limits' sh "$rc" "$tmp/nc.recv" "$client"
echo "line after the drop" >&3
wait_for grep -qx "line after the drop" "$tmp/nc.recv"
show="$tmp/nc.recv $tmp/nc-server.err $tmp/nc-client.err"
check "the restricted nc client's established connection still carries data" \
	grep -qx "line after the drop" "$tmp/nc.recv"
exec 3>&- 4>&-

# 10. Values but 0 and unlimited are refused by prlimit itself; 0 and
# unlimited (the control) are taken.
: > "$tmp/values"
for v in 5 0:7 7:unlimited; do
	"$P" --network="$v" true >> "$tmp/values" 2>&1
	echo "--network=$v: exit $?" >> "$tmp/values"
done
ctl=0
for v in 0 unlimited 0:unlimited -1; do
	"$P" --network="$v" true >> "$tmp/values" 2>&1 || ctl=1
done
show="$tmp/values"
check "prlimit --network=5, =0:7 and =7:unlimited fail with a clear message (control: 0, unlimited, 0:unlimited, -1 work)" \
	sh -c '[ "$(grep -c "^prlimit: the network limit can only be 0 or unlimited\$" "$1")" -eq 3 ] &&
		[ "$(grep -c "exit 1\$" "$1")" -eq 3 ] && [ "$2" -eq 0 ]' sh "$tmp/values" "$ctl"

# 11. A soft limit above the hard one is refused.
"$P" --network=unlimited:0 true > "$tmp/softhard" 2>&1
rc=$?
show="$tmp/softhard"
check "prlimit --network=unlimited:0 is refused (soft above hard)" \
	sh -c '[ "$1" -ne 0 ] && grep -q "cannot exceed the hard limit" "$2"' sh "$rc" "$tmp/softhard"

exit $failed
