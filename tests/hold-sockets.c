// SPDX-License-Identifier: GPL-2.0
/*
 * hold-sockets: create one socket of each of several families, print each
 * one's inode number (or why it could not be made), then hold them all
 * until killed.  The control for guest/fuzz.sh: its scan for non-AF_UNIX
 * sockets must find every non-AF_UNIX socket listed here, and must not
 * flag the AF_UNIX one.
 *
 * Output, one line a socket, then "ready":
 *   NAME INODE        the socket exists, with that inode
 *   NAME error ERRNO  socket() (or bind/listen) failed
 * NAME tells what the socket is: unix (unbound stream), tcp (unbound),
 * tcp-listen (listening on 127.0.0.1), udp6-bound (bound to ::1),
 * netlink (route), vsock (stream; no /proc/net table lists these), and
 * unix-elsewhere: an AF_UNIX socket made in a new network namespace that
 * the process then leaves for another new one, so that no process is left
 * in the namespace whose /proc/net/unix lists it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <linux/netlink.h>
#include <linux/vm_sockets.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void report(const char *name, int fd)
{
	struct stat st;

	if (fd < 0) {
		printf("%s error %s\n", name, strerrorname_np(errno));
		return;
	}
	fstat(fd, &st);
	printf("%s %lu\n", name, (unsigned long)st.st_ino);
}

/* Close a socket that could not be set up, keeping the errno to report. */
static int give_up(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
	return -1;
}

int main(void)
{
	struct sockaddr_in lo4 = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 lo6 = { .sin6_family = AF_INET6,
				    .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd;

	report("unix", socket(AF_UNIX, SOCK_STREAM, 0));
	report("tcp", socket(AF_INET, SOCK_STREAM, 0));

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && (bind(fd, (struct sockaddr *)&lo4, sizeof(lo4)) ||
			listen(fd, 1)))
		fd = give_up(fd);
	report("tcp-listen", fd);

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&lo6, sizeof(lo6)))
		fd = give_up(fd);
	report("udp6-bound", fd);

	report("netlink", socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE));
	report("vsock", socket(AF_VSOCK, SOCK_STREAM, 0));

	fd = -1;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd >= 0 && unshare(CLONE_NEWNET))
			fd = give_up(fd);
	}
	report("unix-elsewhere", fd);

	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
