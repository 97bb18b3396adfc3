#!/bin/sh
# In the coverage kernel (scripts/coverage), booted with AppArmor as the
# major LSM: zero the gcov counters, run guest/lsm.sh (AppArmor's checks,
# which load OUT-DIR/aa-nonet.bin, then the whole suite), then copy every
# counter file from debugfs to OUT-DIR, keeping its path:
# OUT-DIR/gcda/<object path>.gcda.
# Exits with the suite's status, or 2 when the counters cannot be read or
# copied.
#
# Usage: coverage.sh EXPECTED-UTS-VERSION OUT-DIR
uts=$1 out=$2
gcov=/sys/kernel/debug/gcov

mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ ! -w "$gcov/reset" ]; then
	echo "coverage.sh: no $gcov/reset: is the kernel built with CONFIG_GCOV_KERNEL?"
	exit 2
fi
# Only what the suite runs counts, not the boot.
echo 1 > "$gcov/reset"

rc=0
sh /guest/lsm.sh "$uts" || rc=$?

# Each counter file goes to the shared folder under its own path.
# (Object paths hold no blanks.)
n=0
for f in $(find "$gcov" -type f -name '*.gcda'); do
	dest=$out/gcda${f#"$gcov"}
	if ! mkdir -p "${dest%/*}" || ! cat "$f" > "$dest"; then
		echo "coverage.sh: cannot copy $f to $dest"
		exit 2
	fi
	n=$((n + 1))
done
echo "coverage.sh: copied $n counter files; the suite exited $rc"
exit $rc
