# TAP helpers for the guest's shell checks (sourced by guest/harness.sh,
# guest/lsm.sh and tests/*.sh).
n=0 failed=0 show=

# check DESCRIPTION COMMAND...: one test, passing if COMMAND succeeds
# (its output discarded).  On a failure the files named in $show are
# shown as "#   FILE: line" comments; $show is emptied for the next test.
check() {
	n=$((n + 1))
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		failed=1
		for f in $show; do
			[ -f "$f" ] && sed "s|^|#   ${f##*/}: |" "$f"
		done
	fi
	show=
}

# has FILE PATTERN...: FILE has a line matching each extended PATTERN.
has() {
	f=$1; shift
	for p in "$@"; do grep -Eq -- "$p" "$f" || return 1; done
}

# lacks FILE PATTERN: no line of FILE matches the extended PATTERN.
lacks() { ! grep -Eq -- "$2" "$1"; }

# cond SCRIPT: a condition written with has, lacks and test, evaluated
# here (where they are defined) when check runs it.
cond() { eval "$1"; }

# wait_for COMMAND...: poll for about 5 seconds until COMMAND succeeds.
wait_for() {
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 50 ] || return 1
		sleep 0.1
	done
}

# start_httpd TEXT: busybox httpd on 127.0.0.1:$PORT serving TEXT as its
# index from $tmp/www, logging to $tmp/httpd.log (background processes
# write to files only: none may hold the TAP stream open); its PID is
# added to $pids.
start_httpd() {
	mkdir -p "$tmp/www"
	echo "$1" > "$tmp/www/index.html"
	busybox httpd -f -p "127.0.0.1:$PORT" -h "$tmp/www" > "$tmp/httpd.log" 2>&1 &
	pids="$pids $!"
}
