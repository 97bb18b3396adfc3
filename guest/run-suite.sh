#!/bin/sh
# The test suite as make check runs it in the guest: the harness's own
# checks, prlimit from the shell, strace and the shells' ulimit -W, then
# every installed kselftest through the kernel's runner.
#
# Usage: run-suite.sh EXPECTED-UTS-VERSION
rc=0
sh /guest/harness.sh "$1" || rc=1
if [ -f /tests/prlimit.sh ]; then
	sh /tests/prlimit.sh /usr/local/bin/prlimit || rc=1
fi
if [ -f /tests/tools.sh ]; then
	sh /tests/tools.sh /usr/local/bin || rc=1
fi
if [ -f /tests/strace.sh ]; then
	sh /tests/strace.sh /usr/local/bin/prlimit || rc=1
fi
if [ -s /kselftest/kselftest-list.txt ]; then
	cd /kselftest && ./run_kselftest.sh || rc=1
fi
# On a kernel with kmemleak, look for leaks once the tests are done, and put
# what it finds in the kernel log, where vm-run fails the run on it.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan > /sys/kernel/debug/kmemleak
	sleep 6	# objects younger than 5 s are not reported
	echo scan > /sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -n "$leaks" ]; then
		echo "not ok 1 kmemleak finds no leak after the tests"
		printf '%s\n' "$leaks" | head -n 40 | sed 's/^/# /'
		printf '%s\n' "$leaks" > /dev/kmsg
		rc=1
	else
		echo "ok 1 kmemleak finds no leak after the tests"
	fi
fi
exit $rc
