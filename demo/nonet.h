/* SPDX-License-Identifier: GPL-2.0 */
/* What the demo programs share: the limit's number and how to drop it. */
#ifndef DEMO_NONET_H
#define DEMO_NONET_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#ifndef RLIMIT_NETWORK
#define RLIMIT_NETWORK 16
#endif

/* Give up the network for good, or stop: never go on unrestricted. */
static inline void drop_network(const char *who)
{
	const struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_NETWORK, &none)) {
		perror("setrlimit(RLIMIT_NETWORK, {0, 0})");
		exit(2);
	}
	printf("%s: gave up the network (RLIMIT_NETWORK = 0)\n", who);
	fflush(stdout);
}

#endif
