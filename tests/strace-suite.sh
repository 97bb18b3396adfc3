#!/bin/sh
# strace's own tests of the system calls that take a resource, run in the
# test guest on the patched kernel (TAP on stdout), from the build
# directory of scripts/build-strace shared with the guest: there
# getrlimit, setrlimit and prlimit64 of RLIMIT_NETWORK succeed, where the
# machine that built them (a kernel without the limit) answers EINVAL, so
# the decoding of the limit's values is tested too.
#
# Usage: sh tests/strace-suite.sh [DIR]    (default /mnt/add: build/strace-build)
# Each test runs as strace's "make check" runs it (tests/run.sh with the
# variables its Makefile passes).  Exits 1 when a check fails.

D=${1:-/mnt/add}
. /guest/tap.sh
tmp=$(mktemp -d /tmp/strace-suite.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

tests="getrlimit setrlimit setrlimit-Xabbrev setrlimit-Xraw setrlimit-Xverbose
	prlimit64 prlimit64-success prlimit64--pidns-translation
	prlimit64-success--pidns-translation"

echo "TAP version 13"
echo "1..$(($(echo $tests | wc -w) + 2))"

cd "$D/tests" || exit 1
for t in $tests; do
	env STRACE_ARCH=x86_64 STRACE_NATIVE_ARCH=x86_64 SIZEOF_KERNEL_LONG_T=8 \
		SIZEOF_LONG=8 MIPS_ABI= sh ./run.sh sh "./$t.gen.test" > "$tmp/$t" 2>&1
	echo "exit status $?" >> "$tmp/$t"
	show="$tmp/$t"
	check "strace's $t.gen.test passes on the patched kernel" has "$tmp/$t" '^exit status 0$'
done

show="$D/tests/getrlimit.dir/exp"
check "strace's getrlimit test decoded RLIMIT_NETWORK's value here: {RLIM64_INFINITY, RLIM64_INFINITY}" \
	has "$D/tests/getrlimit.dir/exp" \
		'^getrlimit\(RLIMIT_NETWORK, \{rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY\}\) = 0$'
show="$D/tests/setrlimit.dir/exp"
check "strace's setrlimit test set RLIMIT_NETWORK here (it sets what getrlimit read)" \
	has "$D/tests/setrlimit.dir/exp" \
		'^setrlimit\(RLIMIT_NETWORK, \{rlim_cur=RLIM64_INFINITY, rlim_max=RLIM64_INFINITY\}\) = 0$'

exit $failed
