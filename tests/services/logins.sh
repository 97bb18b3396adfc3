#!/bin/sh
# Logins under limits.conf's "network" item in the Debian system image
# (TAP on stdout), as root, on a kernel with RLIMIT_NETWORK: a user in the
# group sandboxed, with "@sandboxed hard network 0" in limits.d, logs in
# with su - and over ssh and gets exactly {0, 0} and EPERM for an AF_INET
# socket, and a working login all the same (logind session, runtime
# directory, AF_UNIX); user (uid 1000), not in the group, gets neither.
# Controls first: Debian's own pam_limits, which does not know the item
# (nothing changes), then the patched module with Debian's libpam, whose
# audit socket the limit refuses (su fails: why patches/pam has 0002);
# then both patched, installed over Debian's.  Debian's sshd serves the ssh
# logins here (tests/services/sshd.sh tests the patched one).  The image
# is a throw-away snapshot.
#
# Usage: sh tests/services/logins.sh DIR
#   DIR holds pam_limits.so and libpam.so.0 (build/out/services).
# Exits 1 when a check fails.

me=logins.sh
dir=$(cd "${1:?usage: $me DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
module=/lib/x86_64-linux-gnu/security/pam_limits.so
[ -f "$module" ] || { echo "Bail out! no $module"; exit 1; }
libpam=$(readlink -f /lib/x86_64-linux-gnu/libpam.so.0)


# The sandboxed user, and a key for root to log in as it and as user.
groupadd -f sandboxed
id sandy > /dev/null 2>&1 ||
	useradd --create-home --groups sandboxed --shell /bin/bash sandy
echo '@sandboxed      hard    network         0' > /etc/security/limits.d/90-network.conf
mkdir -p /root/.ssh
[ -f /root/.ssh/id_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
for u in sandy user; do
	home=$(getent passwd "$u" | cut -d: -f6)
	install -d -o "$u" -g "$u" -m 700 "$home/.ssh"
	install -o "$u" -g "$u" -m 600 /root/.ssh/id_ed25519.pub "$home/.ssh/authorized_keys"
done
systemctl is-active -q ssh || systemctl start ssh

# What a login shell reports: its network limit, whether it can make an
# AF_INET and an AF_UNIX socket, and its logind session.
cat > "$tmp/report" <<'EOF'
grep '^Max network access' /proc/self/limits
python3 - <<'PY'
import socket
for name, family in (("inet", socket.AF_INET), ("unix", socket.AF_UNIX)):
    try:
        socket.socket(family, socket.SOCK_STREAM).close()
        print(name + ": ok")
    except OSError as e:
        print(name + ": " + e.strerror)
PY
echo "runtime dir: ${XDG_RUNTIME_DIR:-none}"
for i in $(seq 50); do
	[ -S "${XDG_RUNTIME_DIR:-/nonexistent}/bus" ] && { echo "session bus: yes"; break; }
	sleep 0.2
done
# The session's own user manager (user@UID.service's main process): a
# manager of an earlier login may still be stopping.
for i in $(seq 50); do
	pid=$(systemctl show -P MainPID "user@$(id -u).service" 2>/dev/null)
	[ "${pid:-0}" != 0 ] && l=$(grep '^Max network access' "/proc/$pid/limits" 2>/dev/null) &&
		{ echo "user manager: $l"; break; }
	sleep 0.2
done
[ -n "${l:-}" ] || { echo "no user manager: MainPID ${pid:-none}"; ps -u "$(id -u)" -o pid,args; }
echo "login done"
EOF
chmod 644 "$tmp/report"

# login HOW USER: su - or ssh as USER, running the report; output in $tmp/out.
login() {
	case $1 in
	su)	su - "$2" -c "sh $tmp/report" > "$tmp/out" 2>&1 ;;
	ssh)	timeout 60 ssh -i /root/.ssh/id_ed25519 -o BatchMode=yes \
			-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
			-o LogLevel=ERROR "$2@127.0.0.1" "sh $tmp/report" > "$tmp/out" 2>&1 ;;
	esac
	echo "status $?" >> "$tmp/out"
	show="$tmp/out"
}
limited='^Max network access +0 +0[[:space:]]*$'
free='^Max network access +unlimited +unlimited[[:space:]]*$'

# Debian's pam_limits: "unknown limit item 'network'", nothing changes.
for how in su ssh; do
	login $how sandy
	check "control, Debian's pam_limits: $how - sandy is not limited (the item is unknown to it)" \
		has "$tmp/out" "$free" '^inet: ok$' '^login done$' '^status 0$'
done

put "$dir/pam_limits.so" "$module"
login su sandy
check "control, patched pam_limits with Debian's libpam: su - sandy fails on libpam's audit socket" \
	has "$tmp/out" '^su: cannot open session: System error$'

put "$dir/libpam.so.0" "$libpam"
# PID 1 keeps the libpam it mapped: user@.service's PAM step runs in its
# child (Debian's libpam there fails sandy's user manager at "step PAM").
systemctl daemon-reexec
# sandy's user manager of the control logins went through Debian's
# pam_limits and may still be running (it stops 10 s after the last
# session): the next logins would share it, unlimited.
systemctl stop "user@$(id -u sandy).service"
for how in su ssh; do
	login $how sandy
	check "$how - sandy (@sandboxed hard network 0): {0, 0}" \
		has "$tmp/out" "$limited" '^login done$' '^status 0$'
	check "$how - sandy: AF_INET socket() is EPERM" \
		has "$tmp/out" '^inet: Operation not permitted$'
	check "$how - sandy: AF_UNIX works" has "$tmp/out" '^unix: ok$'
	login $how user
	check "control: $how - user (not in the group): unlimited, AF_INET works" \
		has "$tmp/out" "$free" '^inet: ok$' '^unix: ok$' '^login done$' '^status 0$'
done
# Debian's sshd: PAM limited its monitor too, and the monitor's audit
# record of a pty login is netlink (why patches/openssh has 0002).
timeout 60 ssh -tt -i /root/.ssh/id_ed25519 -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR sandy@127.0.0.1 'echo login done' \
	< /dev/null > "$tmp/out" 2>&1
echo "status $?" >> "$tmp/out"
journalctl -b --no-pager -t sshd | grep 'linux_audit_write_entry' >> "$tmp/out"
show="$tmp/out"
check "control, Debian's sshd: sandy's pty login ends on the monitor's audit record" \
	cond "has '$tmp/out' 'linux_audit_write_entry failed: Operation not permitted' && lacks '$tmp/out' '^login done'"

login ssh sandy
check "ssh sandy: a logind session with its runtime directory and session bus" \
	has "$tmp/out" "$limited" '^runtime dir: /run/user/[0-9]+$' '^session bus: yes$'
show="$tmp/out"
check "ssh sandy: the user manager (user@.service, through pam_limits too) runs with {0, 0}" \
	has "$tmp/out" '^user manager: Max network access +0 +0[[:space:]]*$'
# sshd's session for sandy runs under the limit too: port forwarding is
# network the session asks sshd to do for it.
timeout 60 ssh -i /root/.ssh/id_ed25519 -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ExitOnForwardFailure=yes \
	-W 127.0.0.1:22 sandy@127.0.0.1 < /dev/null > "$tmp/fwd" 2>&1
echo "status $?" >> "$tmp/fwd"
show="$tmp/fwd"
check "ssh -W as sandy: sshd does not connect for the limited session" \
	lacks "$tmp/fwd" '^SSH-2.0'
timeout 60 ssh -i /root/.ssh/id_ed25519 -o BatchMode=yes -o StrictHostKeyChecking=no \
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
	-W 127.0.0.1:22 user@127.0.0.1 < /dev/null > "$tmp/fwd" 2>&1
show="$tmp/fwd"
check "control: ssh -W as user reaches 127.0.0.1:22" has "$tmp/fwd" '^SSH-2.0'

echo "1..$n"
exit "$failed"
