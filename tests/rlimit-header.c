// SPDX-License-Identifier: GPL-2.0
/*
 * RLIMIT_NETWORK from <sys/resource.h> alone: built against the patched
 * glibc headers (scripts/build-glibc-headers), it needs no define of its
 * own, and fails to build against headers without the limit.
 *
 * Usage: rlimit-header         print the limit, then socket(AF_INET) and
 *                              socket(AF_UNIX) results ("ok" or the error)
 *        rlimit-header drop    the same after setrlimit(RLIMIT_NETWORK, {0, 0})
 *        rlimit-header 5       setrlimit(RLIMIT_NETWORK, {5, 5}): its result
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef RLIMIT_NETWORK
#error "<sys/resource.h> does not define RLIMIT_NETWORK"
#endif
_Static_assert(RLIMIT_NETWORK == 16, "RLIMIT_NETWORK is 16");
_Static_assert(RLIM_NLIMITS == 17, "RLIM_NLIMITS counts RLIMIT_NETWORK");

static const char *result(int rc)
{
	return rc < 0 ? strerror(errno) : "ok";
}

static void try_socket(const char *name, int family)
{
	int fd = socket(family, SOCK_STREAM, 0);

	printf("socket(%s): %s\n", name, result(fd));
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	struct rlimit lim;

	if (argc > 1 && strcmp(argv[1], "drop") != 0) {
		lim.rlim_cur = lim.rlim_max = strtoul(argv[1], NULL, 0);
		printf("setrlimit(RLIMIT_NETWORK, {%s, %s}): %s\n", argv[1], argv[1],
		       result(setrlimit(RLIMIT_NETWORK, &lim)));
		return 0;
	}
	if (argc > 1) {
		lim.rlim_cur = lim.rlim_max = 0;
		printf("setrlimit(RLIMIT_NETWORK, {0, 0}): %s\n",
		       result(setrlimit(RLIMIT_NETWORK, &lim)));
	}
	if (getrlimit(RLIMIT_NETWORK, &lim) < 0) {
		printf("getrlimit(RLIMIT_NETWORK): %s\n", strerror(errno));
		return 1;
	}
	if (lim.rlim_cur == RLIM_INFINITY && lim.rlim_max == RLIM_INFINITY)
		printf("RLIMIT_NETWORK: unlimited unlimited\n");
	else
		printf("RLIMIT_NETWORK: %llu %llu\n", (unsigned long long)lim.rlim_cur,
		       (unsigned long long)lim.rlim_max);
	try_socket("AF_INET", AF_INET);
	try_socket("AF_UNIX", AF_UNIX);
	return 0;
}
