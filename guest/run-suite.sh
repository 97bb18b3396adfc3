#!/bin/sh
# The test suite as make check runs it in the guest: the harness's own
# checks, prlimit from the shell, then every installed kselftest through
# the kernel's runner.
#
# Usage: run-suite.sh EXPECTED-UTS-VERSION
rc=0
sh /guest/harness.sh "$1" || rc=1
if [ -f /tests/prlimit.sh ]; then
	sh /tests/prlimit.sh /usr/local/bin/prlimit || rc=1
fi
if [ -s /kselftest/kselftest-list.txt ]; then
	cd /kselftest && ./run_kselftest.sh || rc=1
fi
exit $rc
