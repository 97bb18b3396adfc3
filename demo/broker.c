// SPDX-License-Identifier: GPL-2.0
/*
 * A broker that holds the network passes a connected socket to a worker
 * that gave up the network, over SCM_RIGHTS.  The worker uses it: it sends
 * an HTTP request and prints the answer.  It cannot open a socket of its
 * own.
 *
 * Usage: broker PORT
 *   connects to the HTTP server on 127.0.0.1:PORT on the worker's behalf.
 *   Exits 0 when the worker got an answer over the socket it was handed and
 *   was refused a socket of its own.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nonet.h"

static int send_fd(int channel, int fd)
{
	char byte = 0;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control = { 0 };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	return sendmsg(channel, &msg, 0) == 1 ? 0 : -1;
}

static int receive_fd(int channel)
{
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg;
	int fd;

	if (recvmsg(channel, &msg, 0) != 1)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (!cmsg || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

static int worker(int channel)
{
	static const char request[] = "GET / HTTP/1.0\r\n\r\n";
	char answer[512];
	ssize_t n;
	int fd, own;

	drop_network("worker");
	own = socket(AF_INET, SOCK_STREAM, 0);
	if (own >= 0) {
		printf("worker: could open a socket of its own: NOT restricted\n");
		return 1;
	}
	printf("worker: a socket of its own is refused: %s\n", strerror(errno));

	fd = receive_fd(channel);
	if (fd < 0) {
		perror("worker: receive");
		return 1;
	}
	printf("worker: received a connected socket from the broker\n");
	if (write(fd, request, strlen(request)) < 0) {
		perror("worker: write");
		return 1;
	}
	n = read(fd, answer, sizeof(answer) - 1);
	if (n <= 0) {
		perror("worker: read");
		return 1;
	}
	answer[n] = '\0';
	printf("worker: the server answered: %.*s\n",
	       (int)strcspn(answer, "\r\n"), answer);
	return strncmp(answer, "HTTP/1.", 7) != 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int channel[2], fd, status;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, channel)) {
		perror("socketpair");
		return 2;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(channel[0]);
		exit(worker(channel[1]));
	}
	close(channel[1]);

	addr.sin_port = htons(atoi(argv[1]));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("broker: connect");
		return 2;
	}
	printf("broker: connected to 127.0.0.1:%s, handing the socket over\n",
	       argv[1]);
	fflush(stdout);
	if (send_fd(channel[0], fd)) {
		perror("broker: send");
		return 2;
	}
	close(fd);
	if (waitpid(pid, &status, 0) != pid)
		return 2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
