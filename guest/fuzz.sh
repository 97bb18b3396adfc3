#!/bin/sh
# Fuzz the kernel with trinity as an unprivileged process (uid 1000) whose
# RLIMIT_NETWORK is 0, watching that no process of uid 1000 ever holds a
# socket of any family but AF_UNIX or loses its limit; then look for leaks.
# Run in the guest by scripts/fuzz; prints TAP, with details on "# " lines.
#
# Usage: fuzz.sh SECONDS [OUTDIR]
#   SECONDS  how long trinity runs, split between two runs: "all" (every
#            system call) and "net" (the socket, rlimit, ptrace and
#            namespace calls the series guards, which "all" reaches rarely)
#   OUTDIR   where trinity-all.log and trinity-net.log go (default /tmp)
#
# The watch ("scan") lists /proc/PID/fd of every uid-1000 process and looks
# each socket:[INODE] up in /proc/PID/net/unix (for each process's network
# namespace, and init's).  A socket found there is AF_UNIX.  Any other is
# a suspect: socket-family (tests/socket-family.c) takes a copy of it with
# pidfd_getfd() and asks its SO_DOMAIN, which settles AF_UNIX sockets left
# in a namespace no process is in; the rest are forbidden (the fuzzer
# starts with no socket, so it made them itself), and named from
# /proc/net/{tcp,udp,raw,netlink,packet,...} when one lists them.  Unbound
# TCP, UDP or netlink sockets and vsocks are in no table but still caught.
# The scan also reads each process's RLIMIT_NETWORK from /proc/PID/limits.
seconds=$1 outdir=${2:-/tmp}
fuzzdir=/tmp/fuzz	# trinity's working directory, a small tmpfs
interval=10		# seconds between two scans
startup_max=300		# seconds trinity may take to start its children
min_calls=100		# fewer system calls than this in a run is a failure
# trinity options, for both runs:
#  -q -l off  less output, no log files
#  -C 4       four child processes
#  -x reboot  never call reboot (it fails for uid 1000, but ends the run)
#  -V DIR     (added by fuzz) take file names from DIR, not /dev, /proc and
#             /sys: walking those takes trinity over three minutes here
#  --disable-fds=sockets  make no sockets in trinity's main process: this
#             trinity (Debian 2023.01) then sets random socket options,
#             picking a protocol with rand() % 46 from a table of 45, and
#             dies of SIGSEGV before fuzzing when (as here) only AF_UNIX
#             sockets can be made.  The children still call socket() etc.
#  --stats    errno counts per system call at the end
trinity_common="-q -l off -C 4 -x reboot --disable-fds=sockets --stats"
net_calls="socket socketpair bind connect listen accept accept4 sendto sendmsg
	sendmmsg recvfrom recvmsg getsockopt shutdown getsockname getpeername
	socketcall ptrace setrlimit prlimit64 pidfd_open pidfd_getfd unshare
	setns io_uring_setup io_uring_enter dup3 close"
# The calls whose errno counts are shown.
stats_calls="socket socketpair bind connect listen sendto sendmsg sendmmsg
	socketcall ptrace setrlimit prlimit64 unshare io_uring_setup"
n=0 failed=0

echo "TAP version 13"
echo "1..9"

# result OK DESCRIPTION: one TAP line; OK is 0 for a pass.
result() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}

# as_fuzzer [--limited] CMD...: exec CMD as uid/gid 1000 at nice 10 (so
# that the scans, at 0, run on time on one busy CPU) in a mount namespace
# where /mnt (the folders shared with the host) is hidden.  --limited also
# sets RLIMIT_NETWORK to 0, soft and hard, with the project's prlimit.  It
# replaces the shell: run it as a background job, whose $! is then CMD's
# pid.
as_fuzzer() {
	limit=
	if [ "$1" = --limited ]; then
		limit="prlimit --network=0 --"; shift
	fi
	exec unshare -m --propagation private sh -c '
		renice 10 $$ > /dev/null
		mount -t tmpfs -o size=1m,mode=0755 hidden /mnt || exit 1
		exec su -s /bin/sh -c "exec \"\$@\"" -- user sh "$@"' sh $limit "$@"
}

# The /proc/PID of every process of uid 1000 (real, effective or saved).
user_procs() {
	grep -lE '^Uid:.*[[:space:]]1000([[:space:]]|$)' /proc/[0-9]*/status 2>/dev/null |
		sed 's|/status$||'
}

# table_of PROC INODE: the /proc/net table that lists the socket, if any,
# in PROC's network namespace or init's.
table_of() {
	for f in $1/net/tcp $1/net/tcp6 $1/net/udp $1/net/udp6 $1/net/udplite \
		$1/net/udplite6 $1/net/raw $1/net/raw6 $1/net/netlink $1/net/packet \
		$1/net/sctp/eps /proc/1/net/tcp /proc/1/net/tcp6 /proc/1/net/udp \
		/proc/1/net/udp6 /proc/1/net/netlink; do
		[ -r "$f" ] || continue
		t=${f#*/net/}
		# The inode's column: 9 in packet, 8 in sctp/eps, 10 elsewhere.
		col=10
		case $t in packet) col=9 ;; sctp/eps) col=8 ;; esac
		if awk -v c=$col -v ino="$2" '$c == ino { found = 1 } END { exit !found }' "$f"; then
			echo "in /proc/net/$t"
			return
		fi
	done
	echo "in no /proc/net table"
}

# scan: look at every socket uid 1000's processes hold, and their limits.
# Sets scan_socks (sockets seen), scan_unix (AF_UNIX among them), scan_bad
# (forbidden ones, one line each in /tmp/scan.bad) and scan_unlimited
# (processes whose RLIMIT_NETWORK is not 0/0, in /tmp/scan.unlimited).
scan() {
	: > /tmp/scan.bad
	scan_socks=0 scan_unix=0 scan_bad=0 scan_unlimited=0
	procs=$(user_procs)
	[ -n "$procs" ] || return 0
	# "PROC FD INODE" for each socket, then the inodes of every AF_UNIX
	# socket in the network namespaces those processes are in.
	for p in $procs; do
		echo $p
		ls -l $p/fd 2>/dev/null
	done | awk '
		/^\/proc\// { proc = $0 }
		/ -> socket:\[[0-9]+\]$/ {
			ino = $NF; gsub(/[^0-9]/, "", ino)
			print proc, $(NF - 2), ino
		}' > /tmp/scan.socks
	for p in /proc/1 $procs; do cat $p/net/unix 2>/dev/null; done |
		awk '$1 != "Num" && $1 != "Num:" { print $7 }' > /tmp/scan.unix
	scan_socks=$(wc -l < /tmp/scan.socks)
	awk 'NR == FNR { unix[$1] = 1; next } !($3 in unix)' \
		/tmp/scan.unix /tmp/scan.socks > /tmp/scan.other
	scan_unix=$((scan_socks - $(wc -l < /tmp/scan.other)))
	# Settle each suspect.  One closed since the listing is gone (exit 1).
	while read -r proc fd ino; do
		family=$(socket-family ${proc#/proc/} $fd $ino 2>&1)
		case $? in
		0) ;;
		1) continue ;;
		*) family="family unknown: $family" ;;
		esac
		if [ "$family" = "1 AF_UNIX" ]; then
			scan_unix=$((scan_unix + 1))
			continue
		fi
		echo "${proc#/proc/} $(cat $proc/comm 2>/dev/null) fd $fd socket:[$ino]" \
			"($family, $(table_of $proc $ino))" >> /tmp/scan.bad
	done < /tmp/scan.other
	scan_bad=$(wc -l < /tmp/scan.bad)
	# "Max network access  SOFT  HARD" in each process's limits.
	for p in $procs; do
		awk -v p="${p#/proc/}" '/^Max network access/ && ($4 != "0" || $5 != "0") {
			print p, "RLIMIT_NETWORK soft/hard", $4 "/" $5 }' $p/limits 2>/dev/null
	done > /tmp/scan.unlimited
	scan_unlimited=$(wc -l < /tmp/scan.unlimited)
}

# stop_user_procs: SIGKILL whatever uid 1000 still runs, and wait for it.
stop_user_procs() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		# Zombies hold nothing; only the living count.
		live=$(for p in $(user_procs); do
			grep -qE '^State:[[:space:]]*Z' $p/status 2>/dev/null || echo ${p#/proc/}
		done)
		[ -n "$live" ] || return 0
		kill -9 $live 2>/dev/null
		sleep 1
	done
	echo "# processes of uid 1000 survive SIGKILL:"
	for p in $(user_procs); do
		echo "#   ${p#/proc/} $(cat $p/comm) $(grep ^State: $p/status) in $(cat $p/wchan)"
		sed 's/^/#     /' $p/stack 2>/dev/null
	done
	return 1
}

# start_holder [--limited]: run hold-sockets as uid 1000 until it says
# "ready"; its output is in /tmp/holder.out.
start_holder() {
	as_fuzzer "$@" hold-sockets > /tmp/holder.out 2>&1 &
	for i in $(seq 50); do
		grep -q '^ready$' /tmp/holder.out && return 0
		sleep 0.2
	done
	echo "# hold-sockets did not get ready:"
	sed 's/^/#   /' /tmp/holder.out
	return 1
}

# fuzz NAME SECONDS TRINITY-ARGS...: run trinity as uid 1000 with
# RLIMIT_NETWORK 0 for SECONDS, scanning every $interval s and once more
# just before stopping it; three results.
fuzz() {
	name=$1 secs=$2; shift 2
	log=$outdir/trinity-$name.log
	echo "# [$name] trinity $*"
	# A directory of its own, with a few victim files (trinity -V).
	mkdir -p $fuzzdir/$name/victims/dir
	echo text > $fuzzdir/$name/victims/file
	: > $fuzzdir/$name/victims/empty
	: > $fuzzdir/$name/victims/dir/file
	chown -R 1000:1000 $fuzzdir/$name
	cd $fuzzdir/$name
	as_fuzzer --limited trinity -V $fuzzdir/$name/victims "$@" > $log 2>&1 &
	tpid=$!
	cd /
	start=$(date +%s)
	# su, sh and prlimit exec one another, all as pid $tpid, ending in
	# trinity, which names its main process trinity-main.
	for i in $(seq 30); do
		case $(cat /proc/$tpid/comm 2>/dev/null) in trinity*) break ;; esac
		sleep 1
	done
	ids=$(awk '/^Uid:/ { u = $2 "/" $3 "/" $4 "/" $5 } /^Gid:/ { g = $2 "/" $3 "/" $4 "/" $5 }
		END { print u, g }' /proc/$tpid/status 2>/dev/null)
	limits=$(awk '/^Max network access/ { print $4 "/" $5 }' /proc/$tpid/limits 2>/dev/null)
	comm=$(cat /proc/$tpid/comm 2>/dev/null)
	echo "# [$name] pid $tpid ($comm): uid/gid $ids, RLIMIT_NETWORK soft/hard ${limits:-?}"

	# trinity takes a minute or more to start here: the clock starts when
	# its first child does.
	while kill -0 $tpid 2>/dev/null &&
		! grep -qx 'trinity-c[0-9]*' /proc/[0-9]*/comm 2>/dev/null &&
		[ $(($(date +%s) - start)) -lt $startup_max ]; do
		sleep 1
	done
	fuzzing=$(date +%s)
	startup=$((fuzzing - start))
	echo "# [$name] fuzzing after $startup s of start-up"

	samples=0 bad=0 unlimited=0 socks=0 unix=0
	while kill -0 $tpid 2>/dev/null; do
		scan
		samples=$((samples + 1)) socks=$((socks + scan_socks)) unix=$((unix + scan_unix))
		if [ "$scan_bad" -gt 0 ] || [ "$scan_unlimited" -gt 0 ]; then
			bad=$((bad + scan_bad)) unlimited=$((unlimited + scan_unlimited))
			echo "# [$name] scan $samples at $(($(date +%s) - fuzzing)) s finds:"
			cat /tmp/scan.bad /tmp/scan.unlimited | sed 's/^/#   /'
		fi
		left=$((secs - ($(date +%s) - fuzzing)))
		[ $left -gt 0 ] || break
		sleep $((left < interval ? left : interval))
	done
	ran=$(($(date +%s) - fuzzing))
	early=
	kill -0 $tpid 2>/dev/null || early=" (trinity ended by itself)"
	echo "# [$name] $samples scans: $socks sockets seen, $unix of them AF_UNIX, $bad forbidden$early"
	# SIGINT makes trinity stop its children and print its count; what is
	# left a minute later is killed.
	kill -INT $tpid 2>/dev/null
	for i in $(seq 60); do
		kill -0 $tpid 2>/dev/null || break
		sleep 1
	done
	stop_user_procs
	wait $tpid
	echo "# [$name] trinity exited with status $?; its last words, and its"
	echo "# errno counts (--stats) for the calls the series guards:"
	awk -v calls="$stats_calls" '
		BEGIN { split(calls, c, " "); for (i in c) keep[c[i]] = 1 }
		/^\[main\] (Bailing|Ran)/ { print; stats = 1; next }
		!stats { next }
		/^(32|64)bit:$/ { print; next }
		/\(attempted:/ { name = $1; sub(/,?:$/, "", name); show = (name in keep) }
		show' $log | sed 's/^/#   /'

	rc=1
	case $comm in trinity*) ;; *) ids="not trinity" ;; esac
	[ "$ids" = "1000/1000/1000/1000 1000/1000/1000/1000" ] &&
		[ "$limits" = 0/0 ] && [ "$unlimited" -eq 0 ] && rc=0
	result $rc "[$name] trinity ran as uid/gid 1000 with RLIMIT_NETWORK 0, which every uid-1000 process kept in $samples scans"
	rc=1
	[ "$samples" -gt 0 ] && [ "$bad" -eq 0 ] && rc=0
	result $rc "[$name] no uid-1000 process held a non-AF_UNIX socket in $samples scans over $ran s ($unix AF_UNIX seen)"
	# trinity's own count: "Ran N syscalls. Successes: N  Failures: N".
	calls=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' $log | tail -n 1)
	rc=1
	[ -z "$early" ] && [ "${calls:-0}" -ge $min_calls ] && rc=0
	result $rc "[$name] trinity ran ${calls:-no} system calls in $ran s (after $startup s of start-up)$early"
}

if [ -n "$(user_procs)" ]; then
	echo "Bail out! processes of uid 1000 are already running"
	exit 1
fi

# The control: an unlimited uid-1000 process holds sockets of several
# families; the scan must flag exactly its non-AF_UNIX ones.
rc=1
if start_holder; then
	scan
	awk '$1 != "ready" && $2 != "error" && $1 !~ /^unix/ { print $2 }' /tmp/holder.out |
		sort > /tmp/control.want
	sed 's/.*socket:\[\([0-9]*\)\].*/\1/' /tmp/scan.bad | sort > /tmp/control.got
	echo "# the unlimited holder made:" $(grep -v '^ready$' /tmp/holder.out)
	sed 's/^/# the scan flags: /' /tmp/scan.bad /tmp/scan.unlimited
	# Each of the five non-AF_UNIX sockets was made and flagged, and
	# nothing else: the two AF_UNIX ones are seen as such.  The limit is
	# seen unset.
	[ "$(wc -l < /tmp/control.want)" -eq 5 ] && [ "$(grep -c '^unix' /tmp/holder.out)" -eq 2 ] &&
		! grep -q '^unix.* error' /tmp/holder.out &&
		cmp -s /tmp/control.want /tmp/control.got && [ "$scan_unix" -eq 2 ] &&
		[ "$scan_unlimited" -eq 1 ] && rc=0
fi
stop_user_procs
wait
result $rc "control: the scan flags the 5 non-AF_UNIX sockets and the missing limit of an unlimited uid-1000 process, not its 2 AF_UNIX sockets"

# The same process under the fuzzer's limit gets its AF_UNIX sockets only,
# and the scan sees them and flags nothing.
rc=1
if start_holder --limited; then
	scan
	echo "# the limited holder made:" $(grep -v '^ready$' /tmp/holder.out)
	sed 's/^/# the scan flags: /' /tmp/scan.bad /tmp/scan.unlimited
	[ "$(grep -c ' error EPERM$' /tmp/holder.out)" -eq 5 ] &&
		[ "$(grep -c '^unix[a-z-]* [0-9]' /tmp/holder.out)" -eq 2 ] && [ "$scan_unix" -eq 2 ] &&
		[ "$scan_bad" -eq 0 ] && [ "$scan_unlimited" -eq 0 ] && rc=0
fi
stop_user_procs
wait
result $rc "control: under the fuzzer's limit only the 2 AF_UNIX sockets are made, and the scan sees them and flags nothing"

# trinity's directories: a small tmpfs of their own.
mkdir -p $fuzzdir
mount -t tmpfs -o size=64m,mode=0755,uid=1000,gid=1000 fuzz $fuzzdir

net_args=
for c in $net_calls; do net_args="$net_args -c $c"; done
fuzz all $((seconds / 2)) $trinity_common
fuzz net $((seconds - seconds / 2)) $trinity_common $net_args
umount $fuzzdir

# kmemleak: scan (it reports no object younger than 5 s), and scan again
# if it finds something, to drop transient references.  The leaks go to
# this output, not the kernel log, so that they fail this check alone.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
rc=1
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -n "$leaks" ]; then
		echo scan > /sys/kernel/debug/kmemleak
		leaks=$(cat /sys/kernel/debug/kmemleak)
	fi
	if [ -z "$leaks" ]; then
		rc=0
	else
		printf '%s\n' "$leaks" | head -n 60 | sed 's/^/# /'
	fi
else
	echo "# /sys/kernel/debug/kmemleak is missing: not the debug kernel?"
fi
result $rc "kmemleak finds no leak after fuzzing"
exit $failed
