// SPDX-License-Identifier: GPL-2.0
/*
 * socket-family PID FD INODE: print the address family of the socket that
 * process PID holds as file descriptor FD, if that is still the socket
 * with inode number INODE.  Used by guest/fuzz.sh to settle, for a socket
 * it finds in no /proc/net/unix (e.g. an AF_UNIX socket left in a network
 * namespace no process is in any more), whether it is AF_UNIX.
 *
 * It takes a copy of the descriptor with pidfd_getfd() (which needs ptrace
 * access to PID: run it as root) and asks the socket for SO_DOMAIN.
 *
 * Output: "FAMILY NAME", e.g. "1 AF_UNIX" or "2 AF_INET"; exit 0.
 * Exit 1 when the socket is gone (PID ended, FD closed or reused);
 * exit 2 on any other failure, with the reason on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *family_name(int family)
{
	switch (family) {
	case AF_UNIX:		return "AF_UNIX";
	case AF_INET:		return "AF_INET";
	case AF_INET6:		return "AF_INET6";
	case AF_NETLINK:	return "AF_NETLINK";
	case AF_PACKET:		return "AF_PACKET";
	case AF_VSOCK:		return "AF_VSOCK";
	default:		return "AF_?";
	}
}

int main(int argc, char **argv)
{
	int pidfd, fd, family;
	socklen_t len = sizeof(family);
	struct stat st;

	if (argc != 4) {
		fprintf(stderr, "usage: socket-family PID FD INODE\n");
		return 2;
	}
	pidfd = syscall(SYS_pidfd_open, atoi(argv[1]), 0);
	if (pidfd < 0 && errno == ESRCH)
		return 1;
	if (pidfd < 0) {
		fprintf(stderr, "pidfd_open: %s\n", strerror(errno));
		return 2;
	}
	fd = syscall(SYS_pidfd_getfd, pidfd, atoi(argv[2]), 0);
	if (fd < 0 && (errno == EBADF || errno == ESRCH))
		return 1;
	if (fd < 0) {
		fprintf(stderr, "pidfd_getfd: %s\n", strerror(errno));
		return 2;
	}
	if (fstat(fd, &st) || !S_ISSOCK(st.st_mode) ||
	    st.st_ino != strtoull(argv[3], NULL, 10))
		return 1;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &family, &len)) {
		fprintf(stderr, "getsockopt(SO_DOMAIN): %s\n", strerror(errno));
		return 2;
	}
	printf("%d %s\n", family, family_name(family));
	return 0;
}
