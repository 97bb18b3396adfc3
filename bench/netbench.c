// SPDX-License-Identifier: GPL-2.0
/*
 * netbench - the cost of RLIMIT_NETWORK's checks, and of the alternatives
 *
 * Runs in the test guest (static), one configuration per run:
 *
 *   netbench [--config NAME] [--limit] [--seccomp] [--landlock]
 *            [--others-limited] [--iters N] [--rounds R] [--only OP]
 *            [--dump]
 *   netbench --list
 *
 * Every run first sets up what a privilege-separated program would hold
 * before it restricts itself (listeners, receivers, a connected UDP
 * socket), then applies the restrictions asked for, then measures each
 * operation and prints one CSV line per operation:
 *
 *   config,operation,ns_per_op_median,min,max,iterations
 *
 * How an operation is measured: each iteration runs an untimed preparation
 * (a fresh socket, say), the timed part between two clock_gettime(
 * CLOCK_MONOTONIC) reads, and an untimed clean-up (close, unlink, accept,
 * draining a receiver), so that every iteration starts from the same
 * state.  A round is N iterations (N = --iters times the operation's
 * weight); its figure is the median of the N timed parts.  After one
 * warm-up round, R rounds are measured; the line gives the median of the
 * rounds' figures, their min and max, and N.  The cost of the two clock
 * reads alone is measured the same way with an empty timed part (the
 * "# clock," line) and subtracted from every figure.
 *
 * Why a median per iteration rather than a mean: under QEMU -icount the
 * guest clock counts instructions, and the common path of a system call
 * takes the same count every time, to the instruction; what varies is
 * rare and lumpy (a timer tick, a batch of RCU callbacks freeing sockets,
 * a slab refill), and one such event in a round moves its mean by percents
 * where the checks cost hundredths of one.  The means are still printed,
 * as "# amortized," lines with the same columns.
 *
 * What is timed:
 *   unix_dgram_socket    socket(AF_UNIX, SOCK_DGRAM) + close()
 *   inet_dgram_socket    socket(AF_INET, SOCK_DGRAM) + close()
 *   unix_bind_path       bind() of a fresh AF_UNIX socket to a path
 *                        (socket, close and unlink untimed): bind alone,
 *                        so that the check's share is not diluted
 *   udp_bind_port0       bind() of a fresh UDP socket to 127.0.0.1:0
 *                        (socket and close untimed)
 *   unix_stream_connect  connect() of a fresh AF_UNIX stream socket to a
 *                        listening path (socket, accept, closes untimed)
 *   tcp_connect          connect() of a fresh TCP socket to a loopback
 *                        listener: the whole handshake runs in the call
 *                        (socket, accept, closes untimed; the client
 *                        closes with SO_LINGER 0, so no TIME_WAIT piles up)
 *   udp_sendto           sendto() of 16 bytes to a loopback UDP receiver
 *                        (the receiver is drained untimed)
 *   udp_send_connected   send() of 16 bytes on a UDP socket connected
 *                        before any restriction
 *   unix_sendto_path     sendto() of 16 bytes on an AF_UNIX datagram
 *                        socket to a path (drained untimed)
 *   getppid              getppid(): the control, touched by no check
 * and their io_uring forms, which reach the same checks without the
 * system calls that seccomp sees (one ring, set up before any
 * restriction; each timed part is one io_uring_enter() that submits one
 * request and waits for its completion, which the kernel runs inline):
 *   uring_socket_unix    IORING_OP_SOCKET(AF_UNIX, SOCK_DGRAM) (the new
 *                        descriptor is closed untimed)
 *   uring_socket_inet    IORING_OP_SOCKET(AF_INET, SOCK_DGRAM) (same)
 *   uring_send_unix_path IORING_OP_SEND of 16 bytes with an address: an
 *                        AF_UNIX datagram socket to a path (drained untimed)
 *   uring_send_udp       IORING_OP_SEND of 16 bytes with an address: UDP
 *                        to loopback (drained untimed)
 *   uring_send_connected IORING_OP_SEND of 16 bytes on the connected UDP
 *                        socket, without an address
 * The AF_UNIX paths are /netbench-NN/{b,l,r}, one folder per round (see
 * struct place): run it as root, in a throw-away guest.
 *
 * Restrictions (they may be combined; each operation one of them refuses
 * is reported "n/a"):
 *   --limit     setrlimit(RLIMIT_NETWORK, {0, 0})
 * Not a restriction of this process:
 *   --others-limited  a child process drops the network and exits first,
 *               which turns on the static key behind the series' checks:
 *               from then on an unrestricted process pays for reading its
 *               limit, as it does on a system where anything is sandboxed
 *   --seccomp   a seccomp-bpf filter like systemd's RestrictAddressFamilies=
 *               AF_UNIX: socket() of any other family fails with EPERM,
 *               every other system call is allowed; sets no_new_privs
 *   --landlock  the Landlock ruleset closest to the policy: TCP bind and
 *               connect (ABI 4), UDP bind and connect/send to an address
 *               (ABI 10) handled with no rule, scoped to abstract AF_UNIX
 *               sockets (ABI 6), no filesystem access handled, as ABI 11's
 *               struct (its quiet_* fields zero); sets no_new_privs;
 *               degrades (and says so on a "# DEGRADED" line) on a kernel
 *               whose Landlock ABI is older: without UDP below 10, without
 *               scoping below 6
 *
 * Which operations each restriction must allow is known in advance: a
 * refusal that was not expected, or an operation that was expected to be
 * refused and succeeded, is reported on a "# MISMATCH" line and makes the
 * exit status 1.  Other errors stop the program (exit status 2).
 *
 * All output is kept in memory and printed at the end, so that nothing is
 * written while measuring.  --dump adds each operation's last round of
 * samples; --only OP measures one operation (with the clock reads before
 * it: scripts/bench boots once per operation, since an operation's count
 * depends by up to a percent on what ran before it in the same boot);
 * --list prints the operations' names, one a line, and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>

#ifndef RLIMIT_NETWORK
#define RLIMIT_NETWORK 16
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define MAX_ROUNDS 31
#define PAYLOAD 16

/* The restrictions, as bits of a mask. */
enum {
	R_LIMIT		= 1 << 0,
	R_SECCOMP	= 1 << 1,
	R_LANDLOCK	= 1 << 2,
	/* Landlock with UDP handled (ABI 10 and later) */
	R_LANDLOCK_UDP	= 1 << 3,
};

/* One io_uring instance, mapped by hand (no liburing in the guest). */
struct uring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

/*
 * The AF_UNIX names of one round.  Every round has its own folder, at the
 * top of the root file system (the guest's RAM disk), so that no component
 * of the paths is shared by all rounds.  The cost of a path lookup depends,
 * by a few instructions, on the names and on where the kernel happens to
 * put their dentries (a dcache hash chain to walk): a component common to
 * every round, such as /tmp, made that a constant offset that differed
 * between the two kernels for no reason in their code (6 instructions on
 * every path operation), and mkdtemp()'s random names made it noise
 * between runs.  Fixed names, a different one per round, make each run
 * repeatable and let the median over the rounds pick the usual case.
 */
struct place {
	char dir[32];
	struct sockaddr_un bind_path;	/* where unix_bind_path binds */
	struct sockaddr_un listen_path;	/* AF_UNIX stream listener */
	struct sockaddr_un dgram_path;	/* AF_UNIX datagram receiver */
	int unix_listener;
	int unix_rx;
};

/* What the operations work on: set up before any restriction. */
struct bench {
	struct place place[MAX_ROUNDS + 1];	/* warm-up, then each round */
	int nr_places;
	struct place *cur;		/* this round's */
	struct sockaddr_in lo_any;	/* 127.0.0.1:0 */
	struct sockaddr_in tcp_addr;	/* TCP listener */
	struct sockaddr_in udp_addr;	/* UDP receiver */
	int unix_tx;
	int tcp_listener;
	int udp_rx, udp_tx, udp_conn;
	int fd;				/* this iteration's socket */
	struct uring ring;
	char buf[PAYLOAD];
};

struct op {
	const char *name;
	/* restrictions that refuse the operation */
	unsigned int refused_by;
	/* iterations per round, as a multiple of --iters */
	unsigned int weight;
	/* untimed, before the timed part; 0 or -errno */
	int (*prep)(struct bench *b);
	/* timed; 0 or -errno */
	int (*run)(struct bench *b);
	/* untimed, after the timed part, even when it failed */
	void (*post)(struct bench *b);
};

static char *out;
static bool dump;		/* --dump: print the last round's samples */
static size_t out_len, out_size;

/* Keep a line of output for the end. */
static void say(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(out + out_len, out_size - out_len, fmt, ap);
		va_end(ap);
		if (n >= 0 && out_len + n < out_size)
			break;
		out_size = out_size ? 2 * out_size : 8192;
		out = realloc(out, out_size);
		if (!out)
			abort();
	}
	out_len += n;
}

static void flush_output(void)
{
	if (out_len)
		fwrite(out, 1, out_len, stdout);
	fflush(stdout);
	out_len = 0;
}

static void __noreturn __printf(1, 2) die(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	flush_output();
	fprintf(stderr, "netbench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(2);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int neg_errno(long ret)
{
	return ret < 0 ? -errno : 0;
}

static void close_fd(struct bench *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

/* The operations.  A run function does only the call that is measured. */

static int nothing(struct bench *b)
{
	return 0;
}

static int unix_dgram_socket(struct bench *b)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int inet_dgram_socket(struct bench *b)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int new_unix_dgram(struct bench *b)
{
	b->fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	return neg_errno(b->fd);
}

static int new_unix_stream(struct bench *b)
{
	b->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	return neg_errno(b->fd);
}

static int new_udp(struct bench *b)
{
	b->fd = socket(AF_INET, SOCK_DGRAM, 0);
	return neg_errno(b->fd);
}

static int new_tcp(struct bench *b)
{
	b->fd = socket(AF_INET, SOCK_STREAM, 0);
	return neg_errno(b->fd);
}

static int unix_bind_path(struct bench *b)
{
	return neg_errno(bind(b->fd, (struct sockaddr *)&b->cur->bind_path,
			      sizeof(b->cur->bind_path)));
}

static void unix_bind_path_post(struct bench *b)
{
	close_fd(b);
	unlink(b->cur->bind_path.sun_path);
}

static int udp_bind_port0(struct bench *b)
{
	return neg_errno(bind(b->fd, (struct sockaddr *)&b->lo_any,
			      sizeof(b->lo_any)));
}

static int unix_stream_connect(struct bench *b)
{
	return neg_errno(connect(b->fd, (struct sockaddr *)&b->cur->listen_path,
				 sizeof(b->cur->listen_path)));
}

static void unix_stream_connect_post(struct bench *b)
{
	int fd = accept(b->cur->unix_listener, NULL, NULL);

	if (fd >= 0)
		close(fd);
	close_fd(b);
}

static int tcp_connect(struct bench *b)
{
	return neg_errno(connect(b->fd, (struct sockaddr *)&b->tcp_addr,
				 sizeof(b->tcp_addr)));
}

static void tcp_connect_post(struct bench *b)
{
	static const struct linger abort_on_close = { .l_onoff = 1 };
	int fd = accept(b->tcp_listener, NULL, NULL);

	/* The client resets: neither end lingers in TIME_WAIT. */
	if (b->fd >= 0)
		setsockopt(b->fd, SOL_SOCKET, SO_LINGER, &abort_on_close,
			   sizeof(abort_on_close));
	close_fd(b);
	if (fd >= 0)
		close(fd);
}

static int udp_sendto(struct bench *b)
{
	ssize_t n = sendto(b->udp_tx, b->buf, PAYLOAD, 0,
			   (struct sockaddr *)&b->udp_addr, sizeof(b->udp_addr));

	return n < 0 ? -errno : 0;
}

static int udp_send_connected(struct bench *b)
{
	ssize_t n = send(b->udp_conn, b->buf, PAYLOAD, 0);

	return n < 0 ? -errno : 0;
}

static void udp_drain(struct bench *b)
{
	char buf[PAYLOAD];

	while (recv(b->udp_rx, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

static int unix_sendto_path(struct bench *b)
{
	ssize_t n = sendto(b->unix_tx, b->buf, PAYLOAD, MSG_DONTWAIT,
			   (struct sockaddr *)&b->cur->dgram_path,
			   sizeof(b->cur->dgram_path));

	return n < 0 ? -errno : 0;
}

static void unix_drain(struct bench *b)
{
	char buf[PAYLOAD];

	while (recv(b->cur->unix_rx, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		;
}

static int do_getppid(struct bench *b)
{
	return syscall(SYS_getppid) < 0 ? -errno : 0;
}

/*
 * Submit one request and wait for its completion, in one io_uring_enter().
 * Return its result (a descriptor, a byte count or -errno), or -errno of
 * io_uring_enter() itself.
 */
static int uring_run(struct uring *r, const struct io_uring_sqe *req)
{
	unsigned int tail = *r->sq_tail, head, idx = tail & *r->sq_mask;
	struct io_uring_cqe *cqe;
	int res;

	r->sqes[idx] = *req;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) != 1)
		return -errno;
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EIO;	/* cannot happen: it waited for one */
	cqe = &r->cqes[head & *r->cq_mask];
	res = cqe->res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static int uring_socket(struct bench *b, int family)
{
	struct io_uring_sqe req = {
		.opcode = IORING_OP_SOCKET,
		.fd = family,
		.off = SOCK_DGRAM,
	};
	int res = uring_run(&b->ring, &req);

	if (res < 0)
		return res;
	b->fd = res;		/* closed by the post step, untimed */
	return 0;
}

static int uring_socket_unix(struct bench *b)
{
	return uring_socket(b, AF_UNIX);
}

static int uring_socket_inet(struct bench *b)
{
	return uring_socket(b, AF_INET);
}

static int uring_send(struct bench *b, int fd, const void *addr,
		      socklen_t len)
{
	struct io_uring_sqe req = {
		.opcode = IORING_OP_SEND,
		.fd = fd,
		.addr = (uintptr_t)b->buf,
		.len = PAYLOAD,
		.addr2 = (uintptr_t)addr,
		.addr_len = len,
	};
	int res = uring_run(&b->ring, &req);

	return res < 0 ? res : 0;
}

static int uring_send_unix_path(struct bench *b)
{
	return uring_send(b, b->unix_tx, &b->cur->dgram_path,
			  sizeof(b->cur->dgram_path));
}

static int uring_send_udp(struct bench *b)
{
	return uring_send(b, b->udp_tx, &b->udp_addr, sizeof(b->udp_addr));
}

static int uring_send_connected(struct bench *b)
{
	return uring_send(b, b->udp_conn, NULL, 0);
}

static const struct op clock_op = { "clock_overhead", 0, 16, NULL, nothing, NULL };

/*
 * The weights keep every round long enough (some ten timer ticks' worth of
 * guest time at the default --iters) that the ticks landing in the timed
 * parts average out.
 */
static const struct op ops[] = {
	{ "unix_dgram_socket", 0, 2,
	  NULL, unix_dgram_socket, NULL },
	{ "inet_dgram_socket", R_LIMIT | R_SECCOMP, 2,
	  NULL, inet_dgram_socket, NULL },
	{ "unix_bind_path", 0, 1,
	  new_unix_dgram, unix_bind_path, unix_bind_path_post },
	{ "udp_bind_port0", R_LIMIT | R_SECCOMP | R_LANDLOCK_UDP, 2,
	  new_udp, udp_bind_port0, close_fd },
	{ "unix_stream_connect", 0, 1,
	  new_unix_stream, unix_stream_connect, unix_stream_connect_post },
	{ "tcp_connect", R_LIMIT | R_SECCOMP | R_LANDLOCK, 1,
	  new_tcp, tcp_connect, tcp_connect_post },
	{ "udp_sendto", R_LIMIT | R_LANDLOCK_UDP, 2,
	  NULL, udp_sendto, udp_drain },
	{ "udp_send_connected", 0, 2,
	  NULL, udp_send_connected, udp_drain },
	{ "unix_sendto_path", 0, 2,
	  NULL, unix_sendto_path, unix_drain },
	{ "getppid", 0, 16,
	  NULL, do_getppid, NULL },
	/* seccomp sees io_uring_enter() only: it refuses none of these. */
	{ "uring_socket_unix", 0, 2,
	  NULL, uring_socket_unix, close_fd },
	{ "uring_socket_inet", R_LIMIT, 2,
	  NULL, uring_socket_inet, close_fd },
	{ "uring_send_unix_path", 0, 2,
	  NULL, uring_send_unix_path, unix_drain },
	{ "uring_send_udp", R_LIMIT | R_LANDLOCK_UDP, 2,
	  NULL, uring_send_udp, udp_drain },
	{ "uring_send_connected", 0, 2,
	  NULL, uring_send_connected, udp_drain },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* What one round gives: its typical and its amortized cost. */
struct round {
	double median;
	double mean;
};

/*
 * One round of @iters iterations; @samples holds room for them.
 * Return 0 or -errno.
 */
static int run_round(struct bench *b, const struct op *op, long iters,
		     uint64_t *samples, struct round *res)
{
	uint64_t sum = 0, t0, t1;
	long i;
	int err;

	for (i = 0; i < iters; i++) {
		b->fd = -1;
		if (op->prep) {
			err = op->prep(b);
			if (err)
				return err;
		}
		t0 = now_ns();
		err = op->run(b);
		t1 = now_ns();
		if (op->post)
			op->post(b);
		if (err)
			return err;
		samples[i] = t1 - t0;
		sum += t1 - t0;
	}
	qsort(samples, iters, sizeof(*samples), cmp_u64);
	res->median = iters % 2 ? samples[iters / 2] :
		      (samples[iters / 2 - 1] + samples[iters / 2]) / 2.0;
	res->mean = (double)sum / iters;
	return 0;
}

/* The figures of an operation, less the clock reads' cost, sorted. */
struct result {
	double median[MAX_ROUNDS];	/* each round's per-iteration median */
	double mean[MAX_ROUNDS];	/* each round's mean */
};

/*
 * Measure an operation: one warm-up round, then @rounds rounds.
 * Return 0 or -errno (the first error of an iteration).
 */
static int measure(struct bench *b, const struct op *op, long iters,
		   int rounds, double overhead, struct result *res)
{
	uint64_t *samples = calloc(iters, sizeof(*samples));
	struct round one;
	int r, err;

	if (!samples)
		die("calloc");
	b->cur = &b->place[0];
	err = run_round(b, op, iters, samples, &one);
	for (r = 0; !err && r < rounds; r++) {
		b->cur = &b->place[r + 1];
		err = run_round(b, op, iters, samples, &one);
		res->median[r] = one.median - overhead;
		res->mean[r] = one.mean - overhead;
	}
	if (!err) {
		qsort(res->median, rounds, sizeof(double), cmp_double);
		qsort(res->mean, rounds, sizeof(double), cmp_double);
		if (dump) {
			long i;

			say("# samples of the last round of %s:", op->name);
			for (i = 0; i < iters; i++)
				say(" %lu", (unsigned long)samples[i]);
			say("\n");
		}
	}
	free(samples);
	return err;
}

/* Set-up, before any restriction. */

static void unix_addr(struct sockaddr_un *sun, const char *dir, const char *name)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	snprintf(sun->sun_path, sizeof(sun->sun_path), "%s/%s", dir, name);
}

static int bound_socket(int type, void *addr, socklen_t len)
{
	int fd = socket(((struct sockaddr *)addr)->sa_family, type, 0);

	if (fd < 0)
		die("socket(%d, %d)", ((struct sockaddr *)addr)->sa_family, type);
	if (bind(fd, addr, len))
		die("bind");
	return fd;
}

static void remove_place(struct place *pl)
{
	unlink(pl->bind_path.sun_path);
	unlink(pl->listen_path.sun_path);
	unlink(pl->dgram_path.sun_path);
	rmdir(pl->dir);
}

static void tear_down(struct bench *b)
{
	int i;

	for (i = 0; i < b->nr_places; i++)
		remove_place(&b->place[i]);
}

static void set_up_place(struct place *pl, int i)
{
	snprintf(pl->dir, sizeof(pl->dir), "/netbench-%02d", i);
	unix_addr(&pl->bind_path, pl->dir, "b");
	unix_addr(&pl->listen_path, pl->dir, "l");
	unix_addr(&pl->dgram_path, pl->dir, "r");
	remove_place(pl);	/* what an interrupted run may have left */
	if (mkdir(pl->dir, 0700))
		die("mkdir %s", pl->dir);

	/* Non-blocking listener: accept() must not wait after a refusal. */
	pl->unix_listener = bound_socket(SOCK_STREAM | SOCK_NONBLOCK,
					 &pl->listen_path,
					 sizeof(pl->listen_path));
	if (listen(pl->unix_listener, 128))
		die("listen(AF_UNIX)");
	pl->unix_rx = bound_socket(SOCK_DGRAM, &pl->dgram_path,
				   sizeof(pl->dgram_path));
}

/* A ring of a few entries, mapped as liburing would. */
static void set_up_ring(struct uring *r)
{
	struct io_uring_params p = { 0 };
	size_t sq_size, cq_size;
	char *sq, *cq;

	r->fd = syscall(SYS_io_uring_setup, 4, &p);
	if (r->fd < 0)
		die("io_uring_setup");
	sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (cq_size > sq_size)
			sq_size = cq_size;
		cq_size = sq_size;
	}
	sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		die("mmap(IORING_OFF_SQ_RING)");
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			die("mmap(IORING_OFF_CQ_RING)");
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		die("mmap(IORING_OFF_SQES)");
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
}

static void set_up(struct bench *b, int rounds)
{
	const int big = 4 << 20;
	socklen_t len;
	int i;

	memset(b, 0, sizeof(*b));
	b->nr_places = rounds + 1;
	for (i = 0; i < b->nr_places; i++)
		set_up_place(&b->place[i], i);

	b->lo_any.sin_family = AF_INET;
	b->lo_any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(b->buf, 'x', sizeof(b->buf));

	b->unix_tx = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (b->unix_tx < 0)
		die("socket(AF_UNIX)");

	/* Non-blocking listener: accept() must not wait after a refusal. */
	b->tcp_listener = bound_socket(SOCK_STREAM | SOCK_NONBLOCK,
				       &b->lo_any, sizeof(b->lo_any));
	if (listen(b->tcp_listener, 128))
		die("listen(TCP)");
	len = sizeof(b->tcp_addr);
	if (getsockname(b->tcp_listener, (struct sockaddr *)&b->tcp_addr, &len))
		die("getsockname");

	b->udp_rx = bound_socket(SOCK_DGRAM, &b->lo_any, sizeof(b->lo_any));
	if (setsockopt(b->udp_rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) &&
	    setsockopt(b->udp_rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big)))
		die("SO_RCVBUF");
	len = sizeof(b->udp_addr);
	if (getsockname(b->udp_rx, (struct sockaddr *)&b->udp_addr, &len))
		die("getsockname");

	/* Bound now, so that no configuration autobinds while measured. */
	b->udp_tx = bound_socket(SOCK_DGRAM, &b->lo_any, sizeof(b->lo_any));
	b->udp_conn = socket(AF_INET, SOCK_DGRAM, 0);
	if (b->udp_conn < 0)
		die("socket(AF_INET)");
	if (connect(b->udp_conn, (struct sockaddr *)&b->udp_addr,
		    sizeof(b->udp_addr)))
		die("connect(UDP)");
	set_up_ring(&b->ring);
}

/* The restrictions. */

static void limit_network(void)
{
	const struct rlimit none = { 0, 0 };

	if (setrlimit(RLIMIT_NETWORK, &none))
		die("setrlimit(RLIMIT_NETWORK, {0, 0}) (does the kernel have it?)");
}

/*
 * The series' checks read the limit only once some process may have
 * lowered it: let a child lower its own, so that this process, still
 * unrestricted, pays for the read.
 */
static void limit_another_process(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		limit_network();
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		die("the child that drops the network failed");
}

static void no_new_privs(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("PR_SET_NO_NEW_PRIVS");
}

/*
 * What systemd's RestrictAddressFamilies=AF_UNIX does for the native
 * architecture: look at the system call number and, for socket(), at its
 * first argument.  (systemd adds clauses for the other ABIs and for
 * socketcall(); they change nothing to a 64-bit program's cost.)  The
 * kernel's seccomp cache sees that every other system call is always
 * allowed and skips the filter for them.
 */
static void install_seccomp(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 5),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
		/* The low 32 bits of the first argument: int family. */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_UNIX, 1, 0),
		BPF_STMT(BPF_RET | BPF_K,
			 SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {
		.len = ARRAY_SIZE(filter),
		.filter = filter,
	};

	no_new_privs();
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		die("seccomp(SECCOMP_SET_MODE_FILTER)");
}

/*
 * The Landlock ruleset closest to RLIMIT_NETWORK's policy.  Return the
 * restrictions it enforces (R_LANDLOCK, and R_LANDLOCK_UDP from ABI 10).
 */
static unsigned int install_landlock(void)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP |
				      LANDLOCK_ACCESS_NET_CONNECT_TCP |
				      LANDLOCK_ACCESS_NET_BIND_UDP |
				      LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP,
		.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
	};
	unsigned int enforced = R_LANDLOCK | R_LANDLOCK_UDP;
	size_t size = sizeof(attr);
	int abi, fd;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
		      LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		die("Landlock is not available");
	say("# landlock ABI %d\n", abi);
	if (abi < 11) {
		/* The quiet_* fields (ABI 11) are zero: leave them out. */
		size = offsetof(struct landlock_ruleset_attr, quiet_access_fs);
	}
	if (abi < 10) {
		say("# DEGRADED: landlock ABI %d < 10: no UDP bind, connect or send control: UDP is not restricted\n",
		    abi);
		attr.handled_access_net &= ~(LANDLOCK_ACCESS_NET_BIND_UDP |
					     LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP);
		enforced &= ~R_LANDLOCK_UDP;
	}
	if (abi < 6) {
		say("# DEGRADED: landlock ABI %d < 6: no abstract AF_UNIX scoping\n",
		    abi);
		attr.scoped = 0;
		size = offsetof(struct landlock_ruleset_attr, scoped);
	}
	if (abi < 4) {
		flush_output();
		errno = EOPNOTSUPP;
		die("landlock ABI %d can restrict none of what is measured", abi);
	}
	fd = syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		die("landlock_create_ruleset");
	no_new_privs();
	if (syscall(SYS_landlock_restrict_self, fd, 0))
		die("landlock_restrict_self");
	close(fd);
	return enforced;
}

static void __noreturn usage(void)
{
	fprintf(stderr,
		"usage: netbench [--config NAME] [--limit] [--seccomp] [--landlock]\n"
		"                [--others-limited] [--iters N] [--rounds R] [--only OP]\n"
		"                [--dump]\n"
		"       netbench --list\n");
	exit(2);
}

static void report(const char *prefix, const char *config, const char *name,
		   const double *v, int rounds, long iters)
{
	say("%s%s,%s,%.1f,%.1f,%.1f,%ld\n", prefix, config, name,
	    median(v, rounds), v[0], v[rounds - 1], iters);
}

int main(int argc, char **argv)
{
	const char *config = NULL, *only = NULL;
	unsigned int restrict_mask = 0;
	bool others_limited = false;
	int rounds = 7, mismatches = 0, i, err;
	long iters = 100;
	struct result res;
	struct bench b;
	double overhead;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--limit"))
			restrict_mask |= R_LIMIT;
		else if (!strcmp(argv[i], "--seccomp"))
			restrict_mask |= R_SECCOMP;
		else if (!strcmp(argv[i], "--landlock"))
			restrict_mask |= R_LANDLOCK;
		else if (!strcmp(argv[i], "--others-limited"))
			others_limited = true;
		else if (!strcmp(argv[i], "--dump"))
			dump = true;
		else if (!strcmp(argv[i], "--list")) {
			for (i = 0; i < (int)ARRAY_SIZE(ops); i++)
				printf("%s\n", ops[i].name);
			return 0;
		}
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			iters = atol(argv[++i]);
		else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else
			usage();
	}
	if (iters < 1 || rounds < 1 || rounds > MAX_ROUNDS)
		usage();
	if (only) {
		for (i = 0; i < (int)ARRAY_SIZE(ops); i++)
			if (!strcmp(only, ops[i].name))
				break;
		if (i == (int)ARRAY_SIZE(ops)) {
			fprintf(stderr, "netbench: no operation %s\n", only);
			exit(2);
		}
	}
	if (!config)
		config = !restrict_mask ? "unrestricted" :
			 restrict_mask == R_LIMIT ? "limit" :
			 restrict_mask == R_SECCOMP ? "seccomp" :
			 restrict_mask == R_LANDLOCK ? "landlock" : "combined";

	set_up(&b, rounds);
	if (others_limited)
		limit_another_process();
	if (restrict_mask & R_LIMIT)
		limit_network();
	if (restrict_mask & R_SECCOMP)
		install_seccomp();
	if (restrict_mask & R_LANDLOCK)
		restrict_mask |= install_landlock();

	say("# %s: ns per operation: median over %d rounds of each round's per-iteration median, min and max of those, iterations per round\n",
	    config, rounds);

	/* What the two clock reads cost: subtracted from every figure. */
	if (measure(&b, &clock_op, clock_op.weight * iters, rounds, 0, &res))
		die("clock_gettime");
	overhead = median(res.median, rounds);
	report("# clock,", config, clock_op.name, res.median, rounds,
	       clock_op.weight * iters);

	for (i = 0; i < (int)ARRAY_SIZE(ops); i++) {
		const struct op *op = &ops[i];
		bool expect_refused = op->refused_by & restrict_mask;
		long n = op->weight * iters;

		if (only && strcmp(only, op->name))
			continue;
		err = measure(&b, op, n, rounds, overhead, &res);
		if (err == -EPERM || err == -EACCES) {
			if (!expect_refused) {
				say("# MISMATCH: %s refused (%s), expected allowed\n",
				    op->name, strerror(-err));
				mismatches++;
			}
			say("%s,%s,n/a,n/a,n/a,0\n", config, op->name);
			continue;
		}
		if (err) {
			errno = -err;
			die("%s", op->name);
		}
		if (expect_refused) {
			say("# MISMATCH: %s allowed, expected refused\n",
			    op->name);
			mismatches++;
		}
		report("", config, op->name, res.median, rounds, n);
		report("# amortized,", config, op->name, res.mean, rounds, n);
	}

	tear_down(&b);
	flush_output();
	return mismatches ? 1 : 0;
}
