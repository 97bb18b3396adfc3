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
echo "1..2"
check "$lsm is an active LSM ($(cat /sys/kernel/security/lsm))" \
	grep -qw "$lsm" /sys/kernel/security/lsm
case $lsm in
apparmor)
	# The mask is generated from the uapi header at build time: a new
	# limit grows it, an ABI change the cover letter mentions.
	check "AppArmor's rlimit mask names the new limit ($(cat /sys/kernel/security/apparmor/features/rlimit/mask))" \
		grep -qw network /sys/kernel/security/apparmor/features/rlimit/mask ;;
selinux)
	# No policy is loaded, so SELinux allows everything; what is checked
	# is that the kernel builds, boots and passes the suite with it.
	check "selinuxfs is there" test -e /sys/fs/selinux -o -d /sys/kernel/security/selinux ;;
esac
sh /guest/run-suite.sh "$1" || failed=1
exit $failed
