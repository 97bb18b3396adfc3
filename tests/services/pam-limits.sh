#!/bin/sh
# pam_limits's "network" item (patches/pam), driven through libpam by
# pam-session (tests/services/pam-session.c) with a limits file of its own
# (the module's conf= argument), as root, on whatever kernel runs it (TAP
# on stdout): with the limit (the Debian system image) a restricted user
# gets exactly {0, 0} and EPERM for an AF_INET socket while another user
# and the same user unrestricted do not; without it (the build machine)
# the 17-limit module refuses the sessions that would take the network
# away and opens the others.  The users are daemon (restricted) and nobody
# (the control), which every Debian system has.
#
# pam-session runs with DIR's libpam (patches/pam's 0002: libpam goes on
# without audit once the session's own stack gave up the network); the
# system's, whose audit socket the limit refuses, in one control.
#
# Usage: sh tests/services/pam-limits.sh DIR
#   DIR holds pam_limits.so, libpam.so.0 and pam-session
#   (build/out/services).
# Exits 1 when a check fails.

dir=$(cd "${1:?usage: pam-limits.sh DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../guest/tap.sh"
[ "$(id -u)" = 0 ] || { echo "Bail out! pam-limits.sh runs as root"; exit 1; }
tmp=$(mktemp -d /tmp/pam-limits.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
echo "session required $dir/pam_limits.so conf=$tmp/limits.conf" > "$tmp/rlimit-test"

if grep -q '^Max network access' /proc/self/limits; then
	kernel=17
	echo "# the kernel has RLIMIT_NETWORK"
else
	kernel=16
	echo "# the kernel has no RLIMIT_NETWORK: $(uname -r)"
fi

# session [--drop] USER LINE...: limits.conf of the LINEs, then a session
# for USER; pam-session's output and "status N" in $tmp/out.
session() {
	drop=
	[ "$1" != --drop ] || { drop=--drop; shift; }
	user=$1; shift
	printf '%s\n' "$@" > "$tmp/limits.conf"
	LD_LIBRARY_PATH=$libpath "$dir/pam-session" $drop "$tmp" rlimit-test "$user" > "$tmp/out" 2>&1
	echo "status $?" >> "$tmp/out"
	cp "$tmp/limits.conf" "$tmp/out.conf"
	show="$tmp/out.conf $tmp/out"
}
libpath=$dir
opened='^open_session: Success$'
refused='^open_session: Permission denied$'
free='^network: unlimited unlimited$'
[ "$kernel" = 17 ] || free='^network: Invalid argument$'

# The module runs at all, and applies other items.
session nobody 'nobody hard nofile 4096'
check "control: another item (nofile) is applied" \
	has "$tmp/out" "$opened" '^nofile: [0-9]+ 4096$' "$free" '^inet: ok$'

session nobody 'daemon hard network 0'
check "control: the network item of another user leaves this one alone" \
	has "$tmp/out" "$opened" "$free" '^inet: ok$' '^status 0$'

session daemon 'daemon hard network unlimited'
check "network unlimited opens the session, network untouched" \
	has "$tmp/out" "$opened" "$free" '^inet: ok$' '^status 0$'

session daemon 'daemon hard network 5'
check "network 5 refuses the session (only 0 and unlimited)" \
	has "$tmp/out" "$refused" '^status 1$'

session daemon 'daemon - network no'
check "network no refuses the session" \
	has "$tmp/out" "$refused" '^status 1$'

if [ "$kernel" = 17 ]; then
	libpath=/nonexistent
	session daemon 'daemon hard network 0'
	check "control: with the system's libpam, hard network 0 fails on the audit socket" \
		has "$tmp/out" '^open_session: System error$' '^network: 0 0$'
	libpath=$dir

	session daemon 'daemon hard network 0'
	check "hard network 0: the session gets {0, 0}" \
		has "$tmp/out" "$opened" '^network: 0 0$' '^status 0$'
	check "hard network 0: AF_INET socket() is EPERM" \
		has "$tmp/out" '^inet: Operation not permitted$'
	check "hard network 0: AF_UNIX socket() works" \
		has "$tmp/out" '^unix: ok$'

	session daemon '@daemon - network 0'
	check "@group - network 0: {0, 0}" \
		has "$tmp/out" "$opened" '^network: 0 0$' '^inet: Operation not permitted$'

	session daemon 'daemon soft network 0'
	check "soft network 0: {0, unlimited}, EPERM" \
		has "$tmp/out" "$opened" '^network: 0 unlimited$' '^inet: Operation not permitted$'

	session daemon '* hard network 0' 'daemon hard network unlimited'
	check "a user entry wins over *" \
		has "$tmp/out" "$opened" "$free" '^inet: ok$'

	session daemon '* hard network 0'
	check "* hard network 0 applies to daemon" \
		has "$tmp/out" "$opened" '^network: 0 0$'

	# Debian's pam_limits resets every limit the configuration does not
	# name to PID 1's: not this one.
	# libpam refuses a caller that came in without the network (its
	# audit socket), whatever pam_limits did.
	session --drop nobody 'nobody hard nofile 4096'
	check "a limited caller stays {0, 0} when no entry names the network (libpam refuses it)" \
		has "$tmp/out" '^open_session: System error$' '^network: 0 0$' \
		'^inet: Operation not permitted$'

	# An entry does set it, as for any limit: root (CAP_SYS_RESOURCE, as
	# su and sudo run) raises the hard limit.
	session --drop nobody 'nobody - network unlimited'
	check "a limited caller: an entry of unlimited gives the network back (root)" \
		has "$tmp/out" "$opened" "$free" '^inet: ok$'
else
	session daemon 'daemon hard network 0'
	check "hard network 0 on a kernel without the limit: the session is refused" \
		has "$tmp/out" "$refused" '^status 1$' '^inet: ok$'

	session daemon 'daemon soft network 0'
	check "soft network 0 on a kernel without the limit: refused" \
		has "$tmp/out" "$refused" '^status 1$'

	session nobody '@daemon hard network 0'
	check "control: @daemon hard network 0 leaves nobody's session open" \
		has "$tmp/out" "$opened" '^status 0$'
fi

echo "1..$n"
exit "$failed"
