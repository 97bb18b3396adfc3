#!/bin/sh
# RLIMIT_NETWORK in the everyday tools (issue 16), run in the test guest as
# root with the loopback up (TAP on stdout): the ulimit -W of the patched
# bash, dash and busybox ash and hush (static builds in /usr/local/bin;
# busybox as busybox-patched), and the patched strace.  The network client
# is Debian's busybox wget against a busybox httpd on 127.0.0.1; every
# refusal has its control, the same client from the same shell unlimited.
#
# Usage: sh tests/tools.sh [BINDIR]     (default /usr/local/bin)
# Exits 1 when a check fails.

B=${1:-/usr/local/bin}
PORT=8473
url=http://127.0.0.1:$PORT/
served="served by busybox httpd for tools.sh"
. /guest/tap.sh
pids=
tmp=$(mktemp -d /tmp/tools-test.XXXXXX) || exit 1
chmod 755 "$tmp"	# uid 1000 runs the shells linked in it

cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# The shells, each one executable: busybox picks its applet from the name.
mkdir -p "$tmp/bin"
ln -s "$B/bash" "$tmp/bin/bash"
ln -s "$B/dash" "$tmp/bin/dash"
ln -s "$B/busybox-patched" "$tmp/bin/ash"
ln -s "$B/busybox-patched" "$tmp/bin/hush"

# run_in SHELL SCRIPT: run SCRIPT with one of the patched shells, output in
# $tmp/out (stdout and stderr), its status appended as "status N".
run_in() {
	"$tmp/bin/$1" -c "$2" > "$tmp/out" 2>&1
	echo "status $?" >> "$tmp/out"
}
# as_user SHELL SCRIPT: the same as uid 1000 ("user").
as_user() {
	su -s "$tmp/bin/$1" user -c "$2" > "$tmp/out" 2>&1
	echo "status $?" >> "$tmp/out"
}

# The client, as the shells run it: prints the page or wget's error.
fetch='timeout 10 busybox wget -q -O - '"$url"
refused='Operation not permitted'

echo "TAP version 13"
echo "1..38"

start_httpd "$served"
wait_for $fetch || true

# How each shell lists the limit in "ulimit -a" (dash shows no letters).
row_bash='^network access +\(-W\) unlimited$'
row_dash='^network +unlimited$'
row_ash='^network access +\(-W\) unlimited$'
row_hush=$row_ash

for sh in bash dash ash hush; do
	eval row=\$row_$sh
	run_in $sh 'ulimit -a'
	cp "$tmp/out" "$tmp/$sh-a"
	show="$tmp/$sh-a"
	check "$sh: ulimit -a lists the network limit, unlimited" has "$tmp/$sh-a" "$row" '^status 0$'

	run_in $sh "$fetch"
	show="$tmp/out"
	check "$sh: control: the client gets the page from an unlimited shell" \
		has "$tmp/out" "^$served\$" '^status 0$'

	# -W alone sets both limits: the client is refused, and the shell
	# reads 0 for both.
	run_in $sh "ulimit -W 0 && ulimit -S -W && ulimit -H -W && $fetch"
	show="$tmp/out"
	check "$sh: ulimit -W 0 sets soft and hard to 0, then the client fails with EPERM" \
		cond 'has "$tmp/out" "^0$" "$refused" && [ "$(grep -c "^0$" "$tmp/out")" -eq 2 ] &&
			lacks "$tmp/out" "^$served\$" && lacks "$tmp/out" "^status 0$"'

	# -S then -H: the hard limit may go to 0 once the soft one is there.
	run_in $sh "ulimit -S -W 0 && ulimit -H -W 0 && ulimit -H -W && $fetch"
	show="$tmp/out"
	check "$sh: ulimit -S -W 0 then ulimit -H -W 0 set the hard limit to 0, and the client fails with EPERM" \
		cond 'has "$tmp/out" "^0$" "$refused" && lacks "$tmp/out" "^$served\$"'

	# A soft limit alone can be lifted again.
	run_in $sh "ulimit -S -W 0; $fetch; ulimit -S -W unlimited && $fetch"
	show="$tmp/out"
	check "$sh: under ulimit -S -W 0 the client fails with EPERM, after ulimit -S -W unlimited it works" \
		has "$tmp/out" "$refused" "^$served\$" "^status 0$"

	# -H alone below the soft limit: the kernel's EINVAL, nothing changed.
	run_in $sh "ulimit -H -W 0; echo \"rc=\$?\"; ulimit -S -W; ulimit -H -W; $fetch"
	show="$tmp/out"
	check "$sh: ulimit -H -W 0 under an unlimited soft limit fails with EINVAL, the limit and the client unchanged" \
		cond 'has "$tmp/out" "Invalid argument" "^rc=[1-9]" "^$served\$" &&
			[ "$(grep -c "^unlimited$" "$tmp/out")" -eq 2 ]'

	# Values but 0 and unlimited: the kernel's EINVAL, nothing changed.
	run_in $sh "ulimit -W 5; echo \"rc=\$?\"; ulimit -W; $fetch"
	show="$tmp/out"
	check "$sh: ulimit -W 5 fails with the shell's error and EINVAL, the limit and the client unchanged" \
		has "$tmp/out" "Invalid argument" "^rc=[1-9]" "^unlimited$" "^$served\$"

	# Irrevocable for an unprivileged user: a hard limit at 0 stays; the
	# soft limit alone comes back (the control).
	as_user $sh 'ulimit -W 0; ulimit -W unlimited; echo "rc=$?"; ulimit -H -W'
	cp "$tmp/out" "$tmp/$sh-user-hard"
	as_user $sh 'ulimit -S -W 0; ulimit -S -W unlimited; echo "rc=$?"; ulimit -S -W'
	cp "$tmp/out" "$tmp/$sh-user-soft"
	show="$tmp/$sh-user-hard $tmp/$sh-user-soft"
	check "$sh: as uid 1000, ulimit -W unlimited after ulimit -W 0 fails with EPERM (control: the soft limit alone comes back)" \
		cond 'has "$tmp/$sh-user-hard" "$refused" "^rc=[1-9]" "^0$" &&
			has "$tmp/$sh-user-soft" "^rc=0$" "^unlimited$"'
done

# dash's option string is made from its table now: every letter it takes
# prints a value, and an unknown one is refused.
run_in dash 'for o in t f d s c m l p n v w r W; do ulimit -$o || echo "bad -$o"; done; ulimit -g'
show="$tmp/out"
check "dash: each ulimit letter of its table is taken, -g is refused" \
	cond 'lacks "$tmp/out" "^bad " && has "$tmp/out" "Illegal option -g" &&
		[ "$(grep -Ec "^([0-9]+|unlimited)$" "$tmp/out")" -eq 13 ]'

# strace decodes the limit by name, in what prlimit and the shells call.
"$B/strace" -e trace=prlimit64 "$B/prlimit" --network=0 true > "$tmp/st1" 2>&1
show="$tmp/st1"
check "strace -e trace=prlimit64 prlimit --network=0 true shows RLIMIT_NETWORK set to {rlim_cur=0, rlim_max=0}" \
	has "$tmp/st1" '^prlimit64\(0, RLIMIT_NETWORK, \{rlim_cur=0, rlim_max=0\}, NULL\) = 0$'

"$B/strace" -e trace=prlimit64 "$B/bash" -c 'ulimit -S -W; ulimit -S -W 0' > "$tmp/st2" 2>&1
show="$tmp/st2"
check "strace shows bash's ulimit -W reading RLIMIT_NETWORK unlimited and setting it" \
	has "$tmp/st2" '^prlimit64\(0, RLIMIT_NETWORK, NULL, \{rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY\}\) = 0$' \
		'^prlimit64\(0, RLIMIT_NETWORK, \{rlim_cur=0, rlim_max=RLIM64_INFINITY\}, NULL\) = 0$'

"$B/strace" -e trace=prlimit64 "$B/prlimit" --network=5 true > "$tmp/st3" 2>&1
"$B/strace" -e trace=prlimit64 "$B/bash" -c 'ulimit -W 5' >> "$tmp/st3" 2>&1
show="$tmp/st3"
check "strace shows bash's ulimit -W 5 refused with EINVAL (prlimit refuses it before any call)" \
	cond 'has "$tmp/st3" "^prlimit64\(0, RLIMIT_NETWORK, \{rlim_cur=5, rlim_max=5\}, NULL\) = -1 EINVAL" &&
		[ "$(grep -c "rlim_cur=5" "$tmp/st3")" -eq 1 ]'

# The refusal itself, and its control, as strace shows them.
"$B/strace" -f -e trace=socket sh -c "$fetch" > "$tmp/st4" 2>&1
"$B/strace" -f -e trace=socket "$B/prlimit" --network=0 -- sh -c "$fetch" > "$tmp/st5" 2>&1
show="$tmp/st4 $tmp/st5"
check "strace shows wget's socket(AF_INET) refused with EPERM under prlimit --network=0 (control: it works without)" \
	cond 'has "$tmp/st4" "socket\(AF_INET, SOCK_STREAM[^)]*\) = [0-9]+$" &&
		has "$tmp/st5" "socket\(AF_INET, SOCK_STREAM[^)]*\) = -1 EPERM \(Operation not permitted\)" &&
		lacks "$tmp/st5" "^$served\$"'

# strace itself under the limit traces its own child (SPEC-NOTES note 10).
"$B/prlimit" --network=0 -- "$B/strace" -f -e trace=socket sh -c "$fetch" > "$tmp/st6" 2>&1
show="$tmp/st6"
check "prlimit --network=0 -- strace -f wget: a limited strace traces its limited child, whose socket() gets EPERM" \
	has "$tmp/st6" "socket\(AF_INET, SOCK_STREAM[^)]*\) = -1 EPERM" "^wget: .*$refused"

exit $failed
