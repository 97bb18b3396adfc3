#!/bin/sh
# The services' tests in the Debian system image, as root (scripts/
# check-services): systemd's LimitNETWORK=, pam_limits through libpam,
# logins with su and ssh, and sshd's pre-authentication child.  TAP on
# stdout, each script's own.  systemd.sh goes first: it needs Debian's
# libpam (logins.sh installs the patched one), and it leaves PID 1 the
# patched manager, under which the others then run.
#
# Usage: sh tests/services/guest.sh DIR
#   DIR holds build/out/services (systemd/, pam_limits.so, libpam.so.0,
#   pam-session, sshd, sshd-null).
# Exits 1 when a check fails.

dir=${1:?usage: guest.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
echo "# kernel $(uname -r); systemd $(systemctl is-system-running 2>&1)"
rc=0
for t in systemd pam-limits logins sshd; do
	echo "# $t.sh"
	case $t in
	systemd) sh "$here/$t.sh" "$dir/systemd" || rc=1 ;;
	*) sh "$here/$t.sh" "$dir" || rc=1 ;;
	esac
done
exit "$rc"
