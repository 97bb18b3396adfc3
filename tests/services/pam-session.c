/*
 * Open and close a PAM session through libpam, with a configuration
 * directory of its own (pam_start_confdir), then report what the session
 * left in this process: the network limit (RLIMIT_NETWORK), the open files
 * limit (a control that the module ran) and whether an AF_INET and an
 * AF_UNIX socket can be created.  tests/services/pam-limits.sh drives it.
 *
 * Usage: pam-session [--drop] CONFDIR SERVICE USER
 *   --drop  give up the network ({0, 0}) before the session opens, as a
 *           limited process that runs su or sudo would have.
 * Prints "open_session: MESSAGE", "network: SOFT HARD" (or the error),
 * "nofile: SOFT HARD", "inet: ok|ERROR", "unix: ok|ERROR"; exits 0 when
 * the session opened, 1 when PAM refused it, 2 on a usage or set-up error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <security/pam_appl.h>

#ifndef RLIMIT_NETWORK
#define RLIMIT_NETWORK 16
#endif

static int conv(int n, const struct pam_message **msg,
		struct pam_response **resp, void *data)
{
	(void)resp; (void)data;
	for (int i = 0; i < n; i++)
		printf("pam says: %s\n", msg[i]->msg);
	return PAM_CONV_ERR;
}

static void show(const char *name, int resource)
{
	struct rlimit r;

	if (getrlimit(resource, &r)) {
		printf("%s: %s\n", name, strerror(errno));
		return;
	}
	printf("%s:", name);
	if (r.rlim_cur == RLIM_INFINITY)
		printf(" unlimited");
	else
		printf(" %llu", (unsigned long long)r.rlim_cur);
	if (r.rlim_max == RLIM_INFINITY)
		printf(" unlimited\n");
	else
		printf(" %llu\n", (unsigned long long)r.rlim_max);
}

static void try_socket(const char *name, int family)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0) {
		printf("%s: %s\n", name, strerror(errno));
		return;
	}
	close(fd);
	printf("%s: ok\n", name);
}

int main(int argc, char **argv)
{
	struct pam_conv c = { conv, NULL };
	pam_handle_t *h;
	int rc, drop = 0;

	if (argc > 1 && !strcmp(argv[1], "--drop")) {
		drop = 1;
		argv++, argc--;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: pam-session [--drop] CONFDIR SERVICE USER\n");
		return 2;
	}
	if (drop) {
		struct rlimit none = { 0, 0 };

		if (setrlimit(RLIMIT_NETWORK, &none)) {
			perror("setrlimit(RLIMIT_NETWORK, {0, 0})");
			return 2;
		}
	}
	rc = pam_start_confdir(argv[2], argv[3], &c, argv[1], &h);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "pam_start_confdir: %s\n", pam_strerror(NULL, rc));
		return 2;
	}
	rc = pam_open_session(h, 0);
	printf("open_session: %s\n", pam_strerror(h, rc));
	if (rc == PAM_SUCCESS)
		pam_close_session(h, 0);
	pam_end(h, rc);
	show("network", RLIMIT_NETWORK);
	show("nofile", RLIMIT_NOFILE);
	try_socket("inet", AF_INET);
	try_socket("unix", AF_UNIX);
	fflush(stdout);
	return rc == PAM_SUCCESS ? 0 : 1;
}
