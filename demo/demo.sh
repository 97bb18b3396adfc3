#!/bin/sh
# The RLIMIT_NETWORK demonstration, run in the test guest by "make demo":
# real programs (busybox httpd, wget and nc, prlimit, three small C
# programs), every step saying what it does and what happened.
#
# Usage: demo.sh [DEMO-BIN-DIR]   (default: the directory of this script)
bin=${1:-$(dirname "$0")}
port=8080
passed=0 failed=0
work=$(mktemp -d)

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
step() {
	# step DESCRIPTION EXPECTED-STATUS(0 or nonzero) COMMAND...
	desc=$1 want=$2; shift 2
	run "$@" > "$work/out" 2>&1
	status=$?
	sed 's/^/  | /' "$work/out"
	{ [ "$want" = 0 ] && [ $status = 0 ]; } || { [ "$want" != 0 ] && [ $status != 0 ]; }
	verdict $? "$desc" "(exit status $status)"
}
verdict() {
	# verdict STATUS DESCRIPTION [WHY-IF-NOT]: counts and prints one result
	if [ "$1" = 0 ]; then
		echo "[ok]   $2"
		passed=$((passed + 1))
	else
		echo "[FAIL] $2 $3"
		failed=$((failed + 1))
	fi
}

command -v prlimit > /dev/null || { echo "demo: no prlimit on PATH"; exit 1; }
mkdir -p "$work/www"
echo "hello from the loopback web server" > "$work/www/index.html"
busybox httpd -f -p 127.0.0.1:$port -h "$work/www" &
httpd=$!
sleep 1

say "1. A client reaches a loopback server, and fails under prlimit --network=0"
step "wget without a limit fetches the page" 0 \
	busybox wget -q -O - http://127.0.0.1:$port/
step "prlimit --network=0 wget is refused" 1 \
	prlimit --network=0 -- busybox wget -q -O - http://127.0.0.1:$port/
grep -q "Operation not permitted" "$work/out"
verdict $? "...and the error says: Operation not permitted"

say "2. A privilege-separated server binds, gives up the network, and goes on serving"
"$bin/privsep-server" 8081 2 > "$work/server" 2>&1 &
server=$!
sleep 1
step "a first client is served by the restricted server" 0 \
	sh -c "busybox nc 127.0.0.1 8081 < /dev/null | grep 'hello, client 1'"
step "a second client is served too" 0 \
	sh -c "busybox nc 127.0.0.1 8081 < /dev/null | grep 'hello, client 2'"
wait $server
status=$?
sed 's/^/  | /' "$work/server"
[ $status = 0 ] && grep -q "outgoing connection is refused: Operation not permitted" "$work/server"
verdict $? "the server's own outgoing connection was refused, and it served both" \
	"(exit status $status)"

say "3. A broker holding the network hands a connected socket to a restricted worker"
step "the worker uses the socket it was handed, and cannot open its own" 0 \
	"$bin/broker" $port

say "4. Abstract versus filesystem AF_UNIX sockets under the limit"
step "filesystem names work, abstract names look absent, X11-style clients fall back" 0 \
	"$bin/unix-names" "$work"

kill $httpd 2>/dev/null
rm -rf "$work"
echo
if [ $failed = 0 ]; then
	echo "Every step behaved as expected."
else
	echo "Some steps did not behave as expected."
fi
echo "$passed passed, $failed failed"
[ $failed = 0 ]
