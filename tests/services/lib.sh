# What the scripts of tests/services that run in the system image start
# with (sourced, after setting $here, their folder, and $me, their name):
# the TAP helpers, the checks that they run as root on a kernel with
# RLIMIT_NETWORK, and $tmp, a folder every user can read, removed at exit
# (a script that needs more at exit sets its own trap).

. "$here/../../guest/tap.sh"
[ "$(id -u)" = 0 ] || { echo "Bail out! $me runs as root"; exit 1; }
grep -q '^Max network access' /proc/self/limits ||
	{ echo "Bail out! the kernel has no RLIMIT_NETWORK"; exit 1; }
tmp=$(mktemp -d "/tmp/${me%.sh}.XXXXXX") || exit 1
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# put FILE DEST: install FILE as DEST as dpkg does, a new file renamed over
# the old one: PID 1 and others have libraries and binaries mapped, and
# rewriting a file they map in place crashes them (user@.service died with
# SIGSEGV when libpam was rewritten).
put() { cp "$1" "$2.new" && mv "$2.new" "$2"; }
