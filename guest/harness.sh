#!/bin/sh
# The harness's own checks, run in the guest (TAP): the kernel running is the
# one just built, and the guest has what the tests rely on.
#
# Usage: harness.sh EXPECTED-UTS-VERSION
expected=$1
. /guest/tap.sh

echo "TAP version 13"
echo "1..5"
check "the running kernel is the one just built ($(uname -r) $expected)" \
	test "$(uname -v)" = "$expected"
check "/proc, /sys and /dev are mounted" \
	test -r /proc/self/limits -a -d /sys/kernel -a -c /dev/null
check "the loopback interface is up" sh -c 'ip link show lo | grep -q "UP"'
check "the results folder is shared over 9p" sh -c 'grep -q " /mnt/out 9p " /proc/mounts'
check "an unprivileged user can run programs" sh -c 'su user -c "id -u" | grep -qx 1000'
exit $failed
