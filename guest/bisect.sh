#!/bin/sh
# Run by scripts/check-bisect in the kernel of each prefix of the series:
# what a process gets when it asks for RLIMIT_NETWORK {0, 0}, as one word.
#   refused     prlimit --network=0 fails with EINVAL: the limit is reserved
#   enforced    it is accepted, and socket(AF_INET) under it fails with EPERM
#   unenforced  it is accepted, and socket(AF_INET) under it works
#   unknown     anything else (the output follows, indented)
# A prefix must never print "unenforced": setrlimit() may accept the limit
# only once the series enforces it.  Busybox's nc makes the socket; nothing
# listens on port 9, so with a socket it fails to connect instead.
#
# Usage: bisect.sh [PRLIMIT]   (default /usr/local/bin/prlimit)
p=${1:-/usr/local/bin/prlimit}
out=$("$p" --network=0 -- busybox nc 127.0.0.1 9 < /dev/null 2>&1)
case $out in
*"NETWORK"*"Invalid argument"*) echo refused ;;
*"socket: Operation not permitted"*) echo enforced ;;
*"Connection refused"*) echo unenforced ;;
*) echo unknown; printf '%s\n' "$out" | sed 's/^/  /' ;;
esac
