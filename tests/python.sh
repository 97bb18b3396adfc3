#!/bin/sh
# RLIMIT_NETWORK from Python and from glibc's patched <sys/resource.h>, run
# in the test guest as root (TAP on stdout): Debian's python3.11 with the
# resource module of patches/python3.11, and tests/rlimit-header built
# against patches/glibc's headers, both from scripts/build-python-resource's
# folder (build/out/python), shared with the guest.
#
# Usage: sh tests/python.sh [DIR]     (default /mnt/add)
#   scripts/vm-run --add build/out/python -- sh /tests/python.sh
# The guest has no C library: DIR's loader and libraries are linked where
# Debian's python3.11 looks for them, and its standard library at
# /usr/lib/python3.11.  Exits 1 when a check fails.

D=${1:-/mnt/add}
. /guest/tap.sh
tmp=$(mktemp -d /tmp/python-test.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "TAP version 13"
echo "1..10"

mkdir -p /lib64 /lib/x86_64-linux-gnu /usr/lib /usr/bin
for l in "$D"/lib/*; do
	ln -sf "$l" "/lib/x86_64-linux-gnu/${l##*/}"
done
ln -sf "$D"/lib/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
ln -sfn "$D/usr/lib/python3.11" /usr/lib/python3.11
ln -sf "$D/usr/bin/python3.11" /usr/bin/python3.11
py=/usr/bin/python3.11

# 1. The module is the new one, and has the constant.
$py -c 'import resource; print(resource.__file__); print(resource.RLIMIT_NETWORK)' > "$tmp/const" 2>&1
show="$tmp/const"
check "python3.11: resource.RLIMIT_NETWORK is 16, from the patched module" \
	has "$tmp/const" "^($D)?/usr/lib/python3\.11/lib-dynload/resource\.cpython-311-x86_64-linux-gnu\.so\$" '^16$'

# 2-3. getrlimit, and the drop with socket() refused after it; control
# before it.
cat > "$tmp/drop.py" <<'EOF'
import resource, socket
print("limit", resource.getrlimit(resource.RLIMIT_NETWORK) == (resource.RLIM_INFINITY,) * 2)
s = socket.socket()
print("before", s.family.name)
resource.setrlimit(resource.RLIMIT_NETWORK, (0, 0))
print("after setrlimit", resource.getrlimit(resource.RLIMIT_NETWORK))
try:
    socket.socket()
except PermissionError as e:
    print("socket() raised PermissionError", e.errno)
socket.socket(socket.AF_UNIX).close()
print("AF_UNIX ok")
s.close()
EOF
$py "$tmp/drop.py" > "$tmp/drop" 2>&1
show="$tmp/drop"
check "python3.11: getrlimit(RLIMIT_NETWORK) is unlimited, and socket.socket() works (control)" \
	has "$tmp/drop" '^limit True$' '^before AF_INET$'
check "python3.11: after setrlimit(RLIMIT_NETWORK, (0, 0)) socket.socket() raises PermissionError (EPERM), AF_UNIX works" \
	has "$tmp/drop" '^after setrlimit \(0, 0\)$' '^socket\(\) raised PermissionError 1$' '^AF_UNIX ok$'

# 4. Other values: the module's ValueError for the kernel's EINVAL.
$py -c '
import resource
try:
    resource.setrlimit(resource.RLIMIT_NETWORK, (5, 5))
except ValueError as e:
    print("ValueError:", e)
print(resource.getrlimit(resource.RLIMIT_NETWORK) == (resource.RLIM_INFINITY,) * 2)
' > "$tmp/five" 2>&1
show="$tmp/five"
check "python3.11: setrlimit(RLIMIT_NETWORK, (5, 5)) raises ValueError, the limit unchanged" \
	has "$tmp/five" '^ValueError: ' '^True$'

# 5. prlimit() on another process: its socket() is refused; its twin's is not.
cat > "$tmp/prlimit.py" <<'EOF'
import os, resource, socket, sys
def child(r):
    os.read(r, 1)
    try:
        socket.socket().close()
        os._exit(0)
    except PermissionError:
        os._exit(1)
pids = []
for drop in (True, False):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        child(r)
    if drop:
        resource.prlimit(pid, resource.RLIMIT_NETWORK, (0, 0))
    os.write(w, b"x")
    pids.append(pid)
for pid, name in zip(pids, ("limited", "twin")):
    print(name, os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
EOF
$py "$tmp/prlimit.py" > "$tmp/prlimit" 2>&1
show="$tmp/prlimit"
check "python3.11: prlimit(pid, RLIMIT_NETWORK, (0, 0)) takes socket() from a running child (its twin keeps it)" \
	has "$tmp/prlimit" '^limited 1$' '^twin 0$'

# 6-7. CPython's own test_resource with the patched test, test_network
# run (not skipped) on this kernel.
(cd "$D/tests" && $py -m unittest -v test_resource) > "$tmp/unittest" 2>&1
rc=$?
show="$tmp/unittest"
check "python3.11: test_resource passes" \
	sh -c '[ "$1" -eq 0 ] && grep -q "^OK" "$2"' sh "$rc" "$tmp/unittest"
check "python3.11: test_resource's test_network ran here and passed" \
	has "$tmp/unittest" '^test_network \(test_resource\.ResourceTest\.test_network\)[^.]*\.\.\. ok$'

# 8-10. tests/rlimit-header, built with RLIMIT_NETWORK from glibc's header.
H=$D/tests/rlimit-header
"$H" > "$tmp/h1" 2>&1
"$H" drop > "$tmp/h2" 2>&1
"$H" 5 > "$tmp/h3" 2>&1
show="$tmp/h1"
check "rlimit-header (glibc's RLIMIT_NETWORK): unlimited, socket(AF_INET) works (control)" \
	has "$tmp/h1" '^RLIMIT_NETWORK: unlimited unlimited$' '^socket\(AF_INET\): ok$'
show="$tmp/h2"
check "rlimit-header drop: setrlimit {0, 0} works, then socket(AF_INET) fails with EPERM and AF_UNIX works" \
	has "$tmp/h2" '^setrlimit\(RLIMIT_NETWORK, \{0, 0\}\): ok$' '^RLIMIT_NETWORK: 0 0$' \
		'^socket\(AF_INET\): Operation not permitted$' '^socket\(AF_UNIX\): ok$'
show="$tmp/h3"
check "rlimit-header 5: setrlimit {5, 5} fails with EINVAL" \
	has "$tmp/h3" '^setrlimit\(RLIMIT_NETWORK, \{5, 5\}\): Invalid argument$'

exit $failed
