// SPDX-License-Identifier: GPL-2.0
/*
 * A privilege-separated server in the style of the 2009 proposal: it binds
 * and listens while it may, gives up the network, and goes on accepting and
 * serving clients on the socket it holds.  A new outgoing connection from
 * it is refused.
 *
 * Usage: privsep-server PORT CLIENTS
 *   serves CLIENTS clients on 127.0.0.1:PORT, then exits 0; exits 1 if,
 *   after the drop, it can still open a connection of its own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nonet.h"

static struct sockaddr_in loopback(int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return addr;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr;
	int listener, fd, i, clients;
	const int one = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PORT CLIENTS\n", argv[0]);
		return 2;
	}
	clients = atoi(argv[2]);

	listener = socket(AF_INET, SOCK_STREAM, 0);
	addr = loopback(atoi(argv[1]));
	if (listener < 0 ||
	    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(listener, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(listener, 8)) {
		perror("server: socket/bind/listen");
		return 2;
	}
	printf("server: listening on 127.0.0.1:%s\n", argv[1]);
	drop_network("server");

	/* An outgoing connection of its own: to itself, which is listening. */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
		printf("server: opened a new connection: NOT restricted\n");
		return 1;
	}
	printf("server: a new outgoing connection is refused: %s\n",
	       strerror(errno));
	fflush(stdout);

	for (i = 1; i <= clients; i++) {
		char reply[64];
		int conn = accept(listener, NULL, NULL);

		if (conn < 0) {
			perror("server: accept");
			return 1;
		}
		snprintf(reply, sizeof(reply), "hello, client %d\n", i);
		if (write(conn, reply, strlen(reply)) < 0)
			perror("server: write");
		close(conn);
		printf("server: served client %d on the socket it held\n", i);
		fflush(stdout);
	}
	return 0;
}
