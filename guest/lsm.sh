#!/bin/sh
# Run by scripts/check-lsm in a kernel booted with AppArmor or SELinux as its
# major LSM (TAP): that LSM is the one running, what it shows of
# RLIMIT_NETWORK, then the whole suite (guest/run-suite.sh).
#
# Usage: lsm.sh EXPECTED-UTS-VERSION, in a kernel booted with
# lsm=landlock,apparmor or lsm=landlock,selinux
lsm=$(sed -n 's/.*lsm=landlock,\([a-z]*\).*/\1/p' /proc/cmdline)
. /guest/tap.sh
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null

echo "TAP version 13"
case $lsm in
apparmor) echo "1..9" ;;
*) echo "1..2" ;;
esac
check "$lsm is an active LSM ($(cat /sys/kernel/security/lsm))" \
	grep -qw "$lsm" /sys/kernel/security/lsm
case $lsm in
apparmor)
	# The mask is generated from the uapi header at build time: a new
	# limit grows it, an ABI change the cover letter mentions.
	check "AppArmor's rlimit mask names the new limit ($(cat /sys/kernel/security/apparmor/features/rlimit/mask))" \
		grep -qw network /sys/kernel/security/apparmor/features/rlimit/mask
	# A profile's rlimit rule lowers the limit at exec by writing it
	# directly, not through setrlimit(), which nothing has called in this
	# boot yet: the checks are only on if loading the profile turned
	# them on.  The profile (/mnt/add, compiled by scripts/check-lsm with
	# the patched apparmor_parser from tests/aa-nonet.profile)
	# allows everything else, so a refusal is EPERM, not AppArmor's EACCES.
	# First, as a control, the same profile with an rlimit rule for
	# RLIMIT_RTTIME only: it must leave RLIMIT_NETWORK alone.
	confined=/usr/local/lib/aa-nonet/busybox
	mkdir -p "${confined%/*}" && cp /bin/busybox "$confined"
	check "control: before the profile is loaded, the same binary's socket(AF_INET) works (connect() is refused: nothing listens)" \
		sh -c "$confined nc 127.0.0.1 9 < /dev/null 2>&1 | grep -q 'Connection refused'"
	check "control: AppArmor loads the profile for $confined with an rlimit rule for RLIMIT_RTTIME only" \
		sh -c 'cat /mnt/add/aa-rttime.bin > /sys/kernel/security/apparmor/.load'
	check "control: a task entering it keeps RLIMIT_NETWORK unlimited, and its socket(AF_INET) works" \
		sh -c "$confined grep -q '^Max network access  *unlimited  *unlimited ' /proc/self/limits &&
			$confined nc 127.0.0.1 9 < /dev/null 2>&1 | grep -q 'Connection refused'"
	check "AppArmor replaces it with a profile whose rlimit rule sets RLIMIT_NETWORK to 0" \
		sh -c 'cat /mnt/add/aa-nonet.bin > /sys/kernel/security/apparmor/.replace'
	check "control: socket(AF_INET) outside the profile works (connect() is refused: nothing listens)" \
		sh -c 'busybox nc 127.0.0.1 9 < /dev/null 2>&1 | grep -q "Connection refused"'
	check "a task entering the profile at exec has RLIMIT_NETWORK {0, 0}" \
		"$confined" grep -q '^Max network access  *0  *0 ' /proc/self/limits
	check "its socket(AF_INET) fails with EPERM" \
		sh -c "$confined nc 127.0.0.1 9 < /dev/null 2>&1 | grep -q 'Operation not permitted'" ;;
selinux)
	# No policy is loaded, so SELinux allows everything; what is checked
	# is that the kernel builds, boots and passes the suite with it.
	check "selinuxfs is there" test -e /sys/fs/selinux -o -d /sys/kernel/security/selinux ;;
esac
sh /guest/run-suite.sh "$1" || failed=1
exit $failed
