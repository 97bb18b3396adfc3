#!/bin/sh
# make regress, in the guest: the kernel's own selftests near the series
# (installed in /kselftest by scripts/regress), each collection or test
# through the kernel's runner with the given per-test timeout (QEMU's TCG is
# far slower than hardware).
#
# The suites run with a tmpfs as their root, in a mount namespace of their
# own: the initramfs's root is rootfs, which pivot_root(2) cannot move
# (EINVAL; landlock's fs_test pivots), and a plain chroot would make
# unshare(CLONE_NEWUSER) fail (EPERM; many of the tests use user
# namespaces).  So the tmpfs is moved over / (as switch_root does), which
# is not a chroot as far as the kernel is concerned.
# tracefs is mounted where landlock's trace_* fixtures look for it (they
# mount it only where sysfs has no directory for it, and skip otherwise).
# A first line says what RLIMIT_NETWORK the suites run with: unlimited, as
# every process has it by default; the base kernel has no such limit.
#
# Usage: regress.sh TIMEOUT COLLECTION[:TEST]...
case ${REGRESS_STAGE:-} in
'')	# A mount namespace of our own.
	REGRESS_STAGE=newroot exec unshare -m sh /guest/regress.sh "$@" ;;
newroot)
	root=/mnt/regress-root
	mkdir -p $root
	mount -t tmpfs -o mode=755 regress-root $root || exit 1
	cp -a /bin /sbin /usr /etc /root /kselftest /guest $root/ || exit 1
	mkdir -p $root/proc $root/sys $root/dev $root/tmp $root/mnt
	cd $root && mount --move . / || exit 1
	REGRESS_STAGE=run exec chroot . /bin/sh /guest/regress.sh "$@" ;;
esac

mount -t proc proc /proc &&
mount -t sysfs sysfs /sys &&
{ [ ! -d /sys/kernel/tracing ] || mount -t tracefs tracefs /sys/kernel/tracing; } &&
mount -t devtmpfs devtmpfs /dev &&
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts &&
mount -t tmpfs tmpfs /tmp || exit 1

timeout=$1; shift
limit=$(sed -n 's/^Max network access  *\([^ ]*\)  *\([^ ]*\).*/\1 \2/p' /proc/self/limits)
echo "# regress: RLIMIT_NETWORK soft hard: ${limit:-none (base kernel)}"
echo "# regress: root: $(awk '$2 == "/" { print $1, $3 }' /proc/mounts)"
rc=0
cd /kselftest || exit 1
for sel in "$@"; do
	case $sel in
	*:*) ./run_kselftest.sh -o "$timeout" -t "$sel" || rc=1 ;;
	*) ./run_kselftest.sh -o "$timeout" -c "$sel" || rc=1 ;;
	esac
done
exit $rc
