#!/bin/sh
# LimitNETWORK= in the Debian system image (TAP on stdout), as root, on a
# kernel with RLIMIT_NETWORK.  Controls first, under Debian's own PID 1,
# which does not know the setting: a unit with LimitNETWORK=0 runs
# unrestricted ("Unknown key name"), and a unit with LimitNETWORK=5 loads.
# Then PID 1 is re-executed into the patched manager (scripts/build-systemd;
# its private libraries go next to Debian's) and, under it:
#   - a socket-activated Type=notify service with LimitNETWORK=0 serves
#     clients on its inherited listener, notifies, logs to the journal,
#     shows "Max network access 0 0" and gets EPERM for a new AF_INET
#     socket; systemctl show says LimitNETWORK=0;
#   - the same with User= and PAMName= (Debian's libpam, whose audit
#     socket the limit would refuse: PID 1 sets this limit after PAM);
#   - with PrivateNetwork= too: the loopback device is up;
#   - systemd-run -p LimitNETWORK=0 --wait: curl and python fail with
#     EPERM, where the same commands without it succeed;
#   - LimitNETWORK=5 in a unit file: the unit does not load (bad-setting),
#     with the reason in the journal; systemd-run refuses it, and so does
#     PID 1 when a client sends it over D-Bus;
#   - a unit without the setting, and the manager's default: infinity;
#   - DefaultLimitNETWORK=0 in system.conf and in user.conf: the units of
#     PID 1 and of user's user manager get EPERM, and do not without it;
#   - systemd-nspawn gives a container infinity by default and 0 with
#     --rlimit=NETWORK=0 or LimitNETWORK=0 in its .nspawn file;
#   - systemd's own test-rlimit-util and test-load-fragment.
# The image is a throw-away snapshot.
#
# Usage: sh tests/services/systemd.sh DIR
#   DIR holds build/out/services/systemd.
# Exits 1 when a check fails.

me=systemd.sh
dir=$(cd "${1:?usage: $me DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
units=/run/systemd/system
PORT=8089
pids=
trap 'kill $pids 2>/dev/null; rm -rf "$tmp"' EXIT
limits() { grep '^Max network access' "/proc/$1/limits"; }
mainpid() { systemctl show -P MainPID "$1"; }
journal() { journalctl -q -o cat -u "$1" --no-pager > "$tmp/$1.journal" 2>&1; }

# The service: its listener is fd 3 (socket activation); it logs what it
# can and cannot do, notifies READY=1, then answers each client with its
# own network limit.
cat > "$tmp/server.py" <<'EOF'
import os, socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    print("new inet socket: ok", flush=True)
except OSError as e:
    print("new inet socket: " + e.strerror, flush=True)
limit = [l for l in open("/proc/self/limits") if l.startswith("Max network access")][0].strip()
print(limit, flush=True)
lo = int(open("/sys/class/net/lo/flags").read(), 16) & 1
print("loopback: " + ("up" if lo else "down"), flush=True)
print("netns: " + os.readlink("/proc/self/ns/net"), flush=True)
n = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
n.sendto(b"READY=1", os.environ["NOTIFY_SOCKET"])
listener = socket.socket(fileno=3)
while True:
    c, _ = listener.accept()
    c.sendall((limit + "\n").encode())
    c.close()
EOF
# client: connect to the service's port and print what it answers.
cat > "$tmp/client.py" <<EOF
import socket
s = socket.create_connection(("127.0.0.1", $PORT), timeout=30)
print(s.makefile().readline().strip())
EOF
chmod 644 "$tmp/server.py" "$tmp/client.py"

# service NAME [SETTING...]: a socket-activated notify service NAME with
# LimitNETWORK=0 and the SETTINGs, on port $PORT.
service() {
	name=$1; shift
	cat > "$units/$name.socket" <<-EOF
	[Socket]
	ListenStream=127.0.0.1:$PORT
	EOF
	{
		echo '[Service]'
		echo 'Type=notify'
		echo 'LimitNETWORK=0'
		echo "ExecStart=/usr/bin/python3 $tmp/server.py"
		for s in "$@"; do echo "$s"; done
	} > "$units/$name.service"
	systemctl daemon-reload
	systemctl start "$name.socket"
}

stop() {
	systemctl stop "$1.socket" "$1.service" 2>/dev/null
	rm -f "$units/$1.socket" "$units/$1.service"
	systemctl daemon-reload
	systemctl reset-failed 2>/dev/null
}

# The controls, under Debian's PID 1.
service rlnet-control
python3 "$tmp/client.py" > "$tmp/control.out" 2>&1
journal rlnet-control.service
show="$tmp/control.out $tmp/rlnet-control.service.journal"
check "control: Debian's systemd ignores LimitNETWORK=0: the service runs unlimited" \
	cond 'has "$tmp/control.out" "unlimited +unlimited( |\$)" && has "$tmp/rlnet-control.service.journal" "new inet socket: ok"'
stop rlnet-control
printf '[Service]\nLimitNETWORK=5\nExecStart=/bin/true\n' > "$units/rlnet-bad.service"
systemctl daemon-reload
check "control: Debian's systemd loads a unit with LimitNETWORK=5" \
	test "$(systemctl show -P LoadState rlnet-bad.service)" = loaded
rm -f "$units/rlnet-bad.service"

# The patched manager: its libraries next to Debian's, then PID 1
# re-executed into it (its state carried over).
libdir=/usr/lib/x86_64-linux-gnu/systemd
for f in "$dir"/libsystemd-*.so; do put "$f" "$libdir/${f##*/}"; done
put "$dir/systemd" /lib/systemd/systemd
put "$dir/systemd-run" /usr/bin/systemd-run
put "$dir/systemd-nspawn" /usr/bin/systemd-nspawn
systemctl daemon-reexec
wait_for systemctl is-system-running
check "PID 1 is the patched manager after daemon-reexec" \
	grep -q 'libsystemd-core-252-network.so' /proc/1/maps

# A socket-activated notify service with LimitNETWORK=0.
service rlnet-echo
python3 "$tmp/client.py" > "$tmp/echo.out" 2>&1
journal rlnet-echo.service
show="$tmp/echo.out $tmp/rlnet-echo.service.journal"
check "LimitNETWORK=0: the service serves on its inherited listener, limited {0, 0}" \
	has "$tmp/echo.out" '^Max network access +0 +0( |$)'
check "LimitNETWORK=0: the service notified READY=1 (active)" \
	test "$(systemctl is-active rlnet-echo.service)" = active
show="$tmp/rlnet-echo.service.journal"
check "LimitNETWORK=0: a new AF_INET socket fails with EPERM, logged to the journal" \
	has "$tmp/rlnet-echo.service.journal" '^new inet socket: Operation not permitted$'
pid=$(mainpid rlnet-echo.service)
limits "$pid" > "$tmp/echo.limits" 2>&1
show="$tmp/echo.limits"
check "LimitNETWORK=0: /proc/MAINPID/limits shows 0 0" \
	has "$tmp/echo.limits" '^Max network access +0 +0( |$)'
systemctl show -p LimitNETWORK -p LimitNETWORKSoft rlnet-echo.service > "$tmp/echo.show"
show="$tmp/echo.show"
check "systemctl show: LimitNETWORK=0 and LimitNETWORKSoft=0" \
	has "$tmp/echo.show" '^LimitNETWORK=0$' '^LimitNETWORKSoft=0$'
stop rlnet-echo

# With a PAM session, as user (Debian's libpam, which audits through a
# netlink socket), and with PrivateNetwork=.
cat > /etc/pam.d/rlnet <<'EOF'
@include common-session-noninteractive
EOF
service rlnet-pam User=user PAMName=rlnet
python3 "$tmp/client.py" > "$tmp/pam.out" 2>&1
journal rlnet-pam.service
show="$tmp/pam.out $tmp/rlnet-pam.service.journal"
check "with PAMName= and User=: the PAM session opens and the service runs limited" \
	cond 'has "$tmp/pam.out" "^Max network access +0 +0( |\$)" && test "$(systemctl show -P SubState rlnet-pam.service)" = running'
check "with PAMName= and User=: the service runs as user" \
	test "$(ps -o user= -p "$(mainpid rlnet-pam.service)")" = user
stop rlnet-pam
service rlnet-private PrivateNetwork=yes
systemctl start rlnet-private.service
wait_for test "$(systemctl is-active rlnet-private.service)" = active
journal rlnet-private.service
show="$tmp/rlnet-private.service.journal"
check "with PrivateNetwork=: limited, and the loopback device was brought up first" \
	has "$tmp/rlnet-private.service.journal" '^Max network access +0 +0( |$)' '^loopback: up$'
ns=$(sed -n 's/^netns: //p' "$tmp/rlnet-private.service.journal")
show="$tmp/rlnet-private.service.journal"
check "with PrivateNetwork=: in a network namespace of its own" \
	cond 'test -n "$ns" && test "$ns" != "$(readlink /proc/1/ns/net)"'
stop rlnet-private

# systemd-run: the limit on a transient service, with controls.
mkdir -p "$tmp/www"
echo served > "$tmp/www/index.html"
(cd "$tmp/www" && exec python3 -m http.server --bind 127.0.0.1 "$PORT") > "$tmp/httpd.log" 2>&1 &
pids="$pids $!"
wait_for curl -s -o /dev/null "http://127.0.0.1:$PORT/"
systemd-run -q --wait --pipe curl -sS "http://127.0.0.1:$PORT/" > "$tmp/run-control.out" 2>&1
show="$tmp/run-control.out"
check "control: systemd-run --wait curl fetches the page" has "$tmp/run-control.out" '^served$'
systemd-run -q --wait --pipe -p LimitNETWORK=0 curl -sS "http://127.0.0.1:$PORT/" > "$tmp/run-curl.out" 2>&1
rc=$?
show="$tmp/run-curl.out"
check "systemd-run -p LimitNETWORK=0 --wait curl: fails, nothing fetched" \
	cond 'test "$rc" -ne 0 && lacks "$tmp/run-curl.out" "^served$"'
sed 's/^/#   curl said: /' "$tmp/run-curl.out"
systemd-run -q --wait --pipe -p LimitNETWORK=0 python3 -c 'import socket; socket.socket()' > "$tmp/run-py.out" 2>&1
show="$tmp/run-py.out"
check "systemd-run -p LimitNETWORK=0: socket() fails with EPERM" \
	has "$tmp/run-py.out" 'PermissionError: \[Errno 1\] Operation not permitted'
systemd-run -q --wait --pipe python3 -c 'import socket; socket.socket(); print("ok")' > "$tmp/run-py-control.out" 2>&1
show="$tmp/run-py-control.out"
check "control: systemd-run python3 socket() succeeds" has "$tmp/run-py-control.out" '^ok$'

# Values the kernel would refuse are refused where they are written.
printf '[Service]\nLimitNETWORK=5\nExecStart=/bin/true\n' > "$units/rlnet-bad.service"
systemctl daemon-reload
check "LimitNETWORK=5 in a unit file: the unit does not load (bad-setting)" \
	test "$(systemctl show -P LoadState rlnet-bad.service)" = bad-setting
journalctl -q -o cat --no-pager -b > "$tmp/boot.journal" 2>&1
show="$tmp/bad.grep"
grep 'LimitNETWORK=5' "$tmp/boot.journal" > "$tmp/bad.grep"
check "LimitNETWORK=5: the journal says why" \
	has "$tmp/bad.grep" 'rlnet-bad.service.*Invalid LimitNETWORK=5: takes 0 or infinity'
rm -f "$units/rlnet-bad.service"
systemctl daemon-reload
systemd-run -q --wait -p LimitNETWORK=5 true > "$tmp/run-bad.out" 2>&1
rc=$?
show="$tmp/run-bad.out"
check "systemd-run -p LimitNETWORK=5: refused with a clear message" \
	cond 'test "$rc" -ne 0 && has "$tmp/run-bad.out" "Failed to parse LimitNETWORK=5: takes 0 or infinity"'
# transient LIMIT ARGV...: start rlnet-bus.service over D-Bus, as a client
# of PID 1's API would, with LimitNETWORK=LIMIT and ExecStart=ARGV.
transient() {
	limit=$1; shift
	busctl call org.freedesktop.systemd1 /org/freedesktop/systemd1 \
		org.freedesktop.systemd1.Manager StartTransientUnit 'ssa(sv)a(sa(sv))' \
		rlnet-bus.service fail 2 LimitNETWORK t "$limit" \
		ExecStart 'a(sasb)' 1 "$1" $# "$@" false 0
}
transient 5 /bin/true > "$tmp/bus-bad.out" 2>&1
rc=$?
show="$tmp/bus-bad.out"
check "LimitNETWORK=5 over D-Bus: PID 1 answers InvalidArgs" \
	cond 'test "$rc" -ne 0 && has "$tmp/bus-bad.out" "LimitNETWORK= takes 0 or infinity"'
transient 0 /bin/sleep 30 > "$tmp/bus-ok.out" 2>&1
wait_for test "$(systemctl is-active rlnet-bus.service)" = active
limits "$(mainpid rlnet-bus.service)" > "$tmp/bus.limits" 2>&1
show="$tmp/bus-ok.out $tmp/bus.limits"
check "LimitNETWORK=0 over D-Bus: the transient service runs limited" \
	has "$tmp/bus.limits" '^Max network access +0 +0( |$)'
systemctl stop rlnet-bus.service 2>/dev/null

# Unset: infinity, for the unit and the manager's default.
systemctl show -p LimitNETWORK -p LimitNETWORKSoft ssh.service > "$tmp/unset.show"
systemctl show -p DefaultLimitNETWORK -p DefaultLimitNETWORKSoft > "$tmp/default.show"
show="$tmp/unset.show $tmp/default.show"
check "unset: LimitNETWORK and DefaultLimitNETWORK are infinity" \
	cond 'has "$tmp/unset.show" "^LimitNETWORK=infinity$" "^LimitNETWORKSoft=infinity$" &&
		has "$tmp/default.show" "^DefaultLimitNETWORK=infinity$" "^DefaultLimitNETWORKSoft=infinity$"'

# DefaultLimitNETWORK= in system.conf: once PID 1 has re-read it, a unit
# that does not set the limit gets it; taken out again at once.
sockettest="import socket; socket.socket(); print('socket: ok')"
mkdir -p /etc/systemd/system.conf.d
printf '[Manager]\nDefaultLimitNETWORK=0\n' > /etc/systemd/system.conf.d/90-rlnet.conf
systemctl daemon-reexec
systemctl show -p DefaultLimitNETWORK > "$tmp/default0.show"
systemd-run -q --wait --pipe python3 -c "$sockettest" > "$tmp/default0.out" 2>&1
rm -f /etc/systemd/system.conf.d/90-rlnet.conf
systemctl daemon-reexec
systemctl show -p DefaultLimitNETWORK > "$tmp/default-back.show"
show="$tmp/default0.show $tmp/default0.out"
check "DefaultLimitNETWORK=0 in system.conf: the default is 0, a unit without the setting gets EPERM" \
	cond 'has "$tmp/default0.show" "^DefaultLimitNETWORK=0$" &&
		has "$tmp/default0.out" "PermissionError: \[Errno 1\] Operation not permitted"'
show="$tmp/default-back.show"
check "control: without it, the default is infinity again" \
	has "$tmp/default-back.show" '^DefaultLimitNETWORK=infinity$'

# DefaultLimitNETWORK= in user.conf, for the user manager of user.
loginctl enable-linger user
wait_for test -S /run/user/1000/bus
mkdir -p /etc/systemd/user.conf.d
printf '[Manager]\nDefaultLimitNETWORK=0\n' > /etc/systemd/user.conf.d/90-rlnet.conf
systemctl --user -M user@ daemon-reexec
wait_for test -S /run/user/1000/bus
systemctl --user -M user@ show -p DefaultLimitNETWORK > "$tmp/user0.show" 2>&1
rm -f /tmp/rlnet-user.out
systemd-run --user -M user@ -q --wait -p StandardOutput=file:/tmp/rlnet-user.out \
	-p StandardError=file:/tmp/rlnet-user.out python3 -c "$sockettest" > "$tmp/user-run.out" 2>&1
cp /tmp/rlnet-user.out "$tmp/user0.out" 2>> "$tmp/user-run.out"
rm -f /etc/systemd/user.conf.d/90-rlnet.conf /tmp/rlnet-user.out
systemctl --user -M user@ daemon-reexec
wait_for test -S /run/user/1000/bus
systemd-run --user -M user@ -q --wait -p StandardOutput=file:/tmp/rlnet-user.out \
	-p StandardError=file:/tmp/rlnet-user.out python3 -c "$sockettest" >> "$tmp/user-run.out" 2>&1
cp /tmp/rlnet-user.out "$tmp/user-back.out" 2>> "$tmp/user-run.out"
rm -f /tmp/rlnet-user.out
show="$tmp/user0.show $tmp/user0.out $tmp/user-run.out"
check "DefaultLimitNETWORK=0 in user.conf: the user manager's units get EPERM" \
	cond 'has "$tmp/user0.show" "^DefaultLimitNETWORK=0$" &&
		has "$tmp/user0.out" "PermissionError: \[Errno 1\] Operation not permitted"'
show="$tmp/user-back.out $tmp/user-run.out"
check "control: without it, the user manager's unit makes its socket" \
	has "$tmp/user-back.out" '^socket: ok$'

# systemd-nspawn: a container over the image's /usr.
ct=/var/lib/machines/rlnet
mkdir -p "$ct/usr" "$ct/etc" "$ct/tmp" /etc/systemd/nspawn
for d in bin sbin lib lib64; do ln -sfn "usr/$d" "$ct/$d"; done
cat > "$tmp/report.py" <<'EOF'
import socket
print([l for l in open("/proc/self/limits") if l.startswith("Max network access")][0].strip())
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close()
    print("inet: ok")
except OSError as e:
    print("inet: " + e.strerror)
EOF
chmod 644 "$tmp/report.py"
nspawn() {
	systemd-nspawn -q --pipe --register=no --keep-unit -D "$ct" --bind-ro=/usr --bind-ro="$tmp" \
		"$@" python3 "$tmp/report.py"
}
nspawn > "$tmp/nspawn.out" 2>&1
show="$tmp/nspawn.out"
check "systemd-nspawn: the container's default is infinity, sockets work" \
	has "$tmp/nspawn.out" '^Max network access +unlimited +unlimited( |$)' '^inet: ok$'
nspawn --rlimit=NETWORK=0 > "$tmp/nspawn-0.out" 2>&1
show="$tmp/nspawn-0.out"
check "systemd-nspawn --rlimit=NETWORK=0: limited, EPERM" \
	has "$tmp/nspawn-0.out" '^Max network access +0 +0( |$)' '^inet: Operation not permitted$'
printf '[Exec]\nLimitNETWORK=0\n' > /etc/systemd/nspawn/rlnet.nspawn
nspawn > "$tmp/nspawn-file.out" 2>&1
show="$tmp/nspawn-file.out"
check "systemd-nspawn with LimitNETWORK=0 in rlnet.nspawn: limited, EPERM" \
	has "$tmp/nspawn-file.out" '^Max network access +0 +0( |$)' '^inet: Operation not permitted$'
rm -f /etc/systemd/nspawn/rlnet.nspawn

# systemd's own unit tests, on a kernel with the limit.
for t in test-rlimit-util test-load-fragment; do
	LD_LIBRARY_PATH=$libdir "$dir/$t" > "$tmp/$t.log" 2>&1
	rc=$?
	show="$tmp/$t.log"
	check "$t passes on a kernel with RLIMIT_NETWORK" test "$rc" -eq 0
done
show="$tmp/test-rlimit-util.log"
check "test-rlimit-util took the kernel-with-the-limit branch" \
	has "$tmp/test-rlimit-util.log" 'The running kernel has RLIMIT_NETWORK'

echo "1..$n"
exit "$failed"
