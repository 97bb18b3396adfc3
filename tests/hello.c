// SPDX-License-Identifier: GPL-2.0
/* A static binary built on the host and run from the guest's --add folder. */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from the host, %s\n", argc > 1 ? argv[1] : "nobody");
	return 0;
}
