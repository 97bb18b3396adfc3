// SPDX-License-Identifier: GPL-2.0
/*
 * The census's traced program (tests/system/cases: strace, gdb): it says
 * whether it may create an AF_INET socket, so that the tracer's output
 * shows the program ran, and whether it ran inside the limit.  Exits 0
 * either way.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd >= 0) {
		printf("netprobe: socket(AF_INET): allowed\n");
		close(fd);
	} else {
		printf("netprobe: socket(AF_INET): refused: %s\n", strerror(errno));
	}
	return 0;
}
