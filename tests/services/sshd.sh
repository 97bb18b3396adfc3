#!/bin/sh
# sshd's pre-authentication child under RLIMIT_NETWORK (patches/openssh)
# in the Debian system image (TAP on stdout), as root, on a kernel with the
# limit.  While a login is pending (a client that sent its banner and
# waits), the child (sshd: [net]) shows "Max network access 0 0" in
# /proc/PID/limits and its monitor does not; logins work and the session
# is not limited.  First Debian's own sshd (the control: its child has the
# network), then the patched one with the seccomp filter sandbox (the child
# has the filter too) and the one with the null sandbox (the limit alone).
# Also an interactive login (a pty) of a user whom limits.conf sandboxes:
# the monitor audits it over netlink, which it can only do with its own
# network limit given back (patch 0002).  The image is a throw-away
# snapshot.
#
# Usage: sh tests/services/sshd.sh DIR
#   DIR holds sshd and sshd-null (build/out/services), and pam_limits.so
#   and libpam.so.0 for the sandboxed user's interactive login.
# Exits 1 when a check fails.

me=sshd.sh
dir=$(cd "${1:?usage: $me DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
holder=
trap '[ -z "$holder" ] || kill $holder 2>/dev/null; rm -rf "$tmp"' EXIT

mkdir -p /root/.ssh
[ -f /root/.ssh/id_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
home=$(getent passwd user | cut -d: -f6)
install -d -o user -g user -m 700 "$home/.ssh"
install -o user -g user -m 600 /root/.ssh/id_ed25519.pub "$home/.ssh/authorized_keys"
ssh_opts="-i /root/.ssh/id_ed25519 -o BatchMode=yes -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"

# pending: hold a login open before authentication (a client that sent its
# banner and waits) and find the pre-authentication child; its PID in
# $child, its monitor's in $monitor, /proc/PID/limits and status copied to
# $tmp/child.limits, $tmp/child.status and $tmp/monitor.limits.
pending() {
	child= monitor=
	bash -c 'exec 3<>/dev/tcp/127.0.0.1/22 || exit 1
		printf "SSH-2.0-rlimit-test\r\n" >&3
		sleep 30' &
	holder=$!
	for _ in $(seq 100); do
		child=$(pgrep -f '^sshd: \[net\]$' | head -n 1)
		[ -n "$child" ] && break
		sleep 0.2
	done
	if [ -n "$child" ]; then
		monitor=$(awk '/^PPid:/ { print $2 }' "/proc/$child/status")
		cp "/proc/$child/limits" "$tmp/child.limits"
		cp "/proc/$child/status" "$tmp/child.status"
		cp "/proc/$monitor/limits" "$tmp/monitor.limits"
		echo "monitor: $(tr '\0' ' ' < "/proc/$monitor/cmdline")" >> "$tmp/monitor.limits"
	else
		: > "$tmp/child.limits"; : > "$tmp/child.status"; : > "$tmp/monitor.limits"
		ps -eo pid,ppid,args > "$tmp/ps"
	fi
	kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=
}

# login USER [OPTIONS]: ssh as USER running a report of its session.
login() {
	u=$1; shift
	timeout 60 ssh $ssh_opts "$@" "$u@127.0.0.1" \
		'grep "^Max network access" /proc/self/limits
		python3 -c "import socket; socket.socket().close(); print(\"inet: ok\")" 2>&1 | tail -n 1
		tty; echo "login done"' < /dev/null > "$tmp/out" 2>&1
	echo "status $?" >> "$tmp/out"
	show="$tmp/out"
}

# install_sshd FILE: /usr/sbin/sshd, then restart ssh.service (Type=notify).
install_sshd() {
	cp "$1" /usr/sbin/sshd.new && mv /usr/sbin/sshd.new /usr/sbin/sshd
	systemctl restart ssh > "$tmp/restart" 2>&1
	echo "restart status $?" >> "$tmp/restart"
	systemctl is-active ssh >> "$tmp/restart" 2>&1
	/usr/sbin/sshd -t >> "$tmp/restart" 2>&1
	echo "sshd -t status $?" >> "$tmp/restart"
}
limited='^Max network access +0 +0[[:space:]]*$'
free='^Max network access +unlimited +unlimited[[:space:]]*$'

systemctl is-active -q ssh || systemctl start ssh
pending
show="$tmp/child.limits $tmp/ps"
check "control, Debian's sshd: the pre-authentication child has the network" \
	has "$tmp/child.limits" "$free"

for variant in sshd:seccomp sshd-null:null; do
	bin=${variant%%:*} sandbox=${variant#*:}
	install_sshd "$dir/$bin"
	show="$tmp/restart"
	check "$sandbox sandbox: ssh.service restarts with the patched sshd (notify), sshd -t passes" \
		has "$tmp/restart" '^restart status 0$' '^active$' '^sshd -t status 0$'
	pending
	show="$tmp/child.limits $tmp/ps"
	check "$sandbox sandbox: the pending login's sshd: [net] shows Max network access 0 0" \
		has "$tmp/child.limits" "$limited"
	echo "# /proc/$child/limits of sshd: [net] ($sandbox sandbox):"
	sed 's/^/#   /' "$tmp/child.limits"
	show="$tmp/monitor.limits"
	check "$sandbox sandbox: its monitor does not" has "$tmp/monitor.limits" "$free"
	show="$tmp/child.status"
	if [ "$sandbox" = seccomp ]; then
		check "$sandbox sandbox: the child has its seccomp filter as well" \
			has "$tmp/child.status" '^Seccomp:[[:space:]]+2$'
	else
		check "$sandbox sandbox: the child has no seccomp filter: the limit is its only network barrier" \
			has "$tmp/child.status" '^Seccomp:[[:space:]]+0$'
	fi
	login user
	check "$sandbox sandbox: ssh user@127.0.0.1 logs in, its session has the network" \
		has "$tmp/out" "$free" '^inet: ok$' '^login done$' '^status 0$'
	login user -tt
	check "$sandbox sandbox: an interactive login (pty) works" \
		has "$tmp/out" '^/dev/pts/' '^login done' '^status 0'
done

# A user sandboxed by limits.conf logs in on a pty: the monitor audits the
# login over netlink after PAM limited the session (patched sshd, seccomp).
install_sshd "$dir/sshd"
# As dpkg installs files: a new one renamed over the old (PID 1 maps libpam).
for f in "$dir/pam_limits.so:/lib/x86_64-linux-gnu/security/pam_limits.so" \
	"$dir/libpam.so.0:$(readlink -f /lib/x86_64-linux-gnu/libpam.so.0)"; do
	cp "${f%%:*}" "${f#*:}.new" && mv "${f#*:}.new" "${f#*:}"
done
systemctl daemon-reexec
groupadd -f sandboxed
id sandy > /dev/null 2>&1 ||
	useradd --create-home --groups sandboxed --shell /bin/bash sandy
echo '@sandboxed      hard    network         0' > /etc/security/limits.d/90-network.conf
home=$(getent passwd sandy | cut -d: -f6)
install -d -o sandy -g sandy -m 700 "$home/.ssh"
install -o sandy -g sandy -m 600 /root/.ssh/id_ed25519.pub "$home/.ssh/authorized_keys"
since=$(date '+%Y-%m-%d %H:%M:%S')
sleep 1
login sandy -tt
check "sandy (hard network 0) logs in on a pty: {0, 0}, EPERM for AF_INET" \
	has "$tmp/out" "$limited" '^/dev/pts/' 'Operation not permitted' '^login done' '^status 0'
journalctl --no-pager -t sshd --since "$since" > "$tmp/journal" 2>&1
show="$tmp/journal"
check "sshd did not fail on its audit record" lacks "$tmp/journal" 'linux_audit_write_entry failed'

echo "1..$n"
exit "$failed"
