// SPDX-License-Identifier: GPL-2.0
/*
 * Abstract versus filesystem AF_UNIX sockets under RLIMIT_NETWORK.  An
 * unrestricted server listens on a path and on an abstract name, as Xorg
 * does; a process that gave up the network can still reach the path
 * (filesystem permissions decide who may) but not the abstract name
 * (nothing mediates it), which looks absent to it, so that a client that
 * tries the abstract name first, as X11's libxcb does, falls back to the
 * path.  It can name a socket of its own in the filesystem but not in the
 * abstract space.
 *
 * Usage: unix-names DIR
 *   makes its sockets in DIR; exits 0 when every step behaved as expected.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "nonet.h"

static socklen_t unix_address(struct sockaddr_un *addr, const char *dir,
			      const char *name, int abstract)
{
	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (abstract) {
		/* A leading NUL byte puts the name in the abstract space. */
		snprintf(addr->sun_path + 1, sizeof(addr->sun_path) - 1, "%s", name);
		return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	}
	snprintf(addr->sun_path, sizeof(addr->sun_path), "%s/%s", dir, name);
	return sizeof(*addr);
}

static int listen_on(const struct sockaddr_un *addr, socklen_t len)
{
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (const struct sockaddr *)addr, len) || listen(fd, 4))
		return -1;
	return fd;
}

static void serve(int fd, const char *greeting)
{
	int conn = accept(fd, NULL, NULL);

	if (conn >= 0) {
		if (write(conn, greeting, strlen(greeting)) < 0)
			perror("server: write");
		close(conn);
	}
}

/*
 * Connects to @addr, or when that name looks absent (ECONNREFUSED, ENOENT)
 * to @fallback if there is one, as libxcb does with DISPLAY=:0.  Returns 0
 * or -errno, and prints what the server said on success.
 */
static int talk(const struct sockaddr_un *addr, socklen_t len,
		const struct sockaddr_un *fallback, socklen_t fallback_len)
{
	char buf[64] = "";
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	int err = 0;

	if (connect(fd, (const struct sockaddr *)addr, len))
		err = -errno;
	if (fallback && (err == -ECONNREFUSED || err == -ENOENT)) {
		printf("client: the abstract name looks absent: trying the path\n");
		err = connect(fd, (const struct sockaddr *)fallback,
			      fallback_len) ? -errno : 0;
	}
	if (!err && read(fd, buf, sizeof(buf) - 1) > 0)
		printf("client: the server said: %s", buf);
	close(fd);
	return err;
}

static int expect(const char *what, int got, int want)
{
	int ok = got == want;

	printf("client: %-40s %s (%s)\n", what,
	       got ? strerror(-got) : "works", ok ? "as expected" : "UNEXPECTED");
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un path, abstract, own;
	socklen_t path_len, abstract_len, own_len;
	int ready[2], failures = 0, fd;
	char byte;
	pid_t server;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	path_len = unix_address(&path, argv[1], "demo.sock", 0);
	abstract_len = unix_address(&abstract, argv[1], "rlimit-network-demo", 1);
	unlink(path.sun_path);
	if (pipe(ready))
		return 2;

	fflush(stdout);
	server = fork();
	if (server == 0) {
		int by_path = listen_on(&path, path_len);
		int by_name = listen_on(&abstract, abstract_len);

		if (by_path < 0 || by_name < 0) {
			perror("server: listen");
			exit(2);
		}
		printf("server: listening on %s and on @rlimit-network-demo\n",
		       path.sun_path);
		fflush(stdout);
		if (write(ready[1], "", 1) != 1)
			exit(2);
		serve(by_path, "hello over the filesystem socket\n");
		serve(by_path, "hello again over the filesystem socket\n");
		pause();
		exit(0);
	}
	if (read(ready[0], &byte, 1) != 1)
		return 2;

	drop_network("client");
	failures += expect("connect to the filesystem socket:",
			   talk(&path, path_len, NULL, 0), 0);
	failures += expect("connect to the abstract name:",
			   talk(&abstract, abstract_len, NULL, 0), -ECONNREFUSED);
	failures += expect("abstract name first, then the path:",
			   talk(&abstract, abstract_len, &path, path_len), 0);

	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	own_len = unix_address(&own, argv[1], "client-own", 1);
	failures += expect("bind an abstract name of its own:",
			   bind(fd, (struct sockaddr *)&own, own_len) ? -errno : 0,
			   -EPERM);
	own_len = unix_address(&own, argv[1], "client.sock", 0);
	unlink(own.sun_path);
	failures += expect("bind a filesystem name of its own:",
			   bind(fd, (struct sockaddr *)&own, own_len) ? -errno : 0, 0);
	close(fd);

	kill(server, SIGTERM);
	unlink(path.sun_path);
	unlink(own.sun_path);
	return failures ? 1 : 0;
}
