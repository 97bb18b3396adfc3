// SPDX-License-Identifier: GPL-2.0
/*
 * A small socket-activated Type=notify service for the census
 * (tests/system/units/census-notify-*): systemd opens the listening socket
 * and passes it as descriptor 3; the server, started under
 * "prlimit --network=0" or not, tries to open a new socket of its own, tells
 * systemd it is ready through $NOTIFY_SOCKET (a pathname datagram socket),
 * logs to the journal through its standard output, and answers each client
 * with one HTTP/1.0 reply saying what its own socket attempt gave.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef RLIMIT_NETWORK
#define RLIMIT_NETWORK 16
#endif

/* sd_notify(3)'s protocol: one datagram to the path in $NOTIFY_SOCKET. */
static int notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd, ret;

	if (!path || !*path || strlen(path) >= sizeof(addr.sun_path))
		return -EINVAL;
	strcpy(addr.sun_path, path);
	len = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	if (addr.sun_path[0] == '@')
		addr.sun_path[0] = '\0';	/* an abstract name */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = sendto(fd, state, strlen(state), 0, (struct sockaddr *)&addr, len);
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

int main(void)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	char own[128], reply[256], request[1024];
	struct rlimit lim;
	int fd, served = 0, ret;

	if (!fds || !pid || atoi(fds) != 1 || atoi(pid) != getpid()) {
		fprintf(stderr, "notify-server: start me through a .socket unit (one ListenStream=)\n");
		return 2;
	}
	if (getrlimit(RLIMIT_NETWORK, &lim)) {
		printf("notify-server: getrlimit(RLIMIT_NETWORK): %s\n", strerror(errno));
		return 1;
	}
	printf("notify-server: listening on descriptor 3 from systemd; RLIMIT_NETWORK %s\n",
	       lim.rlim_cur == RLIM_INFINITY ? "unlimited" : "limited");

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0) {
		snprintf(own, sizeof(own), "a new socket of its own: allowed");
		close(fd);
	} else {
		snprintf(own, sizeof(own), "a new socket of its own: refused: %s",
			 strerror(errno));
	}
	printf("notify-server: %s\n", own);

	ret = notify("READY=1\nSTATUS=serving on the socket systemd passed");
	if (ret) {
		printf("notify-server: cannot notify systemd: %s\n", strerror(-ret));
		return 1;
	}
	printf("notify-server: told systemd it is ready\n");
	fflush(stdout);

	for (;;) {
		int conn = accept(3, NULL, NULL);

		if (conn < 0) {
			printf("notify-server: accept: %s\n", strerror(errno));
			return 1;
		}
		if (read(conn, request, sizeof(request)) < 0)
			printf("notify-server: read: %s\n", strerror(errno));
		served++;
		snprintf(reply, sizeof(reply),
			 "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
			 "client %d served; %s\n", served, own);
		if (write(conn, reply, strlen(reply)) < 0)
			printf("notify-server: write: %s\n", strerror(errno));
		close(conn);
		printf("notify-server: served client %d on the socket it holds\n", served);
		fflush(stdout);
	}
}
