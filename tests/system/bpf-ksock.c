// SPDX-License-Identifier: GPL-2.0
/*
 * The census's BPF kernel socket case (tests/system/cases: bpf-kernel-socket):
 * what a process that loads BPF programs reaches through 7.3's BPF kernel
 * sockets (net/core/bpf_ksock.c), before and after it drops the network.
 *
 * The kfuncs run in the context of the process that runs the program
 * (BPF_PROG_RUN of a sleepable BPF_PROG_TYPE_SYSCALL program), so the limit
 * that applies is that process's own: bpf_ksock_create() goes through
 * sock_create(), bpf_ksock_connect() through connect_socket(), and
 * bpf_ksock_send() through sock_sendmsg() without an address.  In order:
 *
 *   1. a UDP socket bound to 127.0.0.1, to receive on;
 *   2. a kernel socket created, connected to it and kept in an array map
 *      (a referenced kptr), all before any drop;
 *   3. with "drop" as argument, setrlimit(RLIMIT_NETWORK, {0, 0});
 *   4. a send on the kept kernel socket, then a receive on 1;
 *   5. a second connect() of the kept kernel socket;
 *   6. a second kernel socket created.
 *
 * Each step prints one line, "allowed" or "refused: <error>".  Exits 0 when
 * every step ran, whatever the kernel answered; 2 when something the test
 * itself needs failed (no BTF, no JIT, a program the verifier rejects).
 *
 * The programs are written as instructions here, and the map's BTF by hand,
 * so that no BPF compiler is needed: the kfuncs are called by their BTF ids,
 * read from /sys/kernel/btf/vmlinux.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RLIMIT_NETWORK
#define RLIMIT_NETWORK 16
#endif
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define INSN(c, d, s, o, i) \
	((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define MOV64_IMM(d, i)		INSN(BPF_ALU64 | BPF_MOV | BPF_K, d, 0, 0, i)
#define MOV64_REG(d, s)		INSN(BPF_ALU64 | BPF_MOV | BPF_X, d, s, 0, 0)
#define ADD64_IMM(d, i)		INSN(BPF_ALU64 | BPF_ADD | BPF_K, d, 0, 0, i)
#define ST_W(d, o, i)		INSN(BPF_ST | BPF_MEM | BPF_W, d, 0, o, i)
#define ST_DW(d, o, i)		INSN(BPF_ST | BPF_MEM | BPF_DW, d, 0, o, i)
#define LDX_W(d, s, o)		INSN(BPF_LDX | BPF_MEM | BPF_W, d, s, o, 0)
#define JEQ_IMM(d, i, o)	INSN(BPF_JMP | BPF_JEQ | BPF_K, d, 0, o, i)
#define JNE_IMM(d, i, o)	INSN(BPF_JMP | BPF_JNE | BPF_K, d, 0, o, i)
#define CALL_HELPER(f)		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, f)
#define CALL_KFUNC(id)		INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, id)
#define EXIT()			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
/* Two instructions: r1 = the map whose descriptor is fd. */
#define LD_MAP_FD(d, fd) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, d, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)

enum { KSOCK_CREATE, KSOCK_CONNECT, KSOCK_SEND, KSOCK_RELEASE, KFUNCS };
static const char *const kfunc_names[KFUNCS] = {
	"bpf_ksock_create", "bpf_ksock_connect", "bpf_ksock_send", "bpf_ksock_release",
};

static int kfunc_ids[KFUNCS];
static int map_fd;
static char verifier_log[65536];

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static void __attribute__((noreturn)) cannot(const char *what)
{
	printf("bpf-ksock: cannot %s: %s\n", what, strerror(errno));
	if (verifier_log[0])
		printf("%s", verifier_log);
	exit(2);
}

/* The ids of the kfuncs: BTF_KIND_FUNC types of the kernel's BTF. */
static void find_kfuncs(void)
{
	static char buf[16 << 20];
	const struct btf_header *hdr = (const void *)buf;
	const char *types, *strings;
	size_t len = 0, off;
	ssize_t n;
	int fd, id, i;

	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY);
	if (fd < 0)
		cannot("open /sys/kernel/btf/vmlinux (a kernel without BTF)");
	while ((n = read(fd, buf + len, sizeof(buf) - len)) > 0)
		len += n;
	close(fd);
	if (len < sizeof(*hdr) || hdr->magic != BTF_MAGIC || len == sizeof(buf)) {
		errno = EINVAL;
		cannot("read the kernel's BTF");
	}
	types = buf + hdr->hdr_len + hdr->type_off;
	strings = buf + hdr->hdr_len + hdr->str_off;
	for (off = 0, id = 1; off < hdr->type_len; id++) {
		const struct btf_type *t = (const void *)(types + off);
		unsigned int vlen = BTF_INFO_VLEN(t->info);

		off += sizeof(*t);
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_INT:
		case BTF_KIND_VAR:
		case BTF_KIND_DECL_TAG:
			off += 4;
			break;
		case BTF_KIND_ARRAY:
			off += sizeof(struct btf_array);
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			off += vlen * sizeof(struct btf_member);
			break;
		case BTF_KIND_ENUM:
			off += vlen * sizeof(struct btf_enum);
			break;
		case BTF_KIND_ENUM64:
			off += vlen * 12;
			break;
		case BTF_KIND_FUNC_PROTO:
			off += vlen * sizeof(struct btf_param);
			break;
		case BTF_KIND_DATASEC:
			off += vlen * sizeof(struct btf_var_secinfo);
			break;
		case BTF_KIND_FUNC:
			for (i = 0; i < KFUNCS; i++)
				if (!strcmp(strings + t->name_off, kfunc_names[i]))
					kfunc_ids[i] = id;
			break;
		default:
			break;
		}
	}
	for (i = 0; i < KFUNCS; i++) {
		if (!kfunc_ids[i]) {
			printf("bpf-ksock: the kernel's BTF has no %s (a kernel before 7.3)\n",
			       kfunc_names[i]);
			exit(2);
		}
	}
}

/*
 * An array map of one element, struct { struct bpf_ksock __kptr *ks; }: its
 * BTF says the field is a referenced kptr, which the verifier matches by
 * name with the kernel's struct bpf_ksock.
 */
static void create_map(void)
{
	static const char strings[] = "\0unsigned int\0bpf_ksock\0kptr\0value\0ks";
	static const uint32_t types[] = {
		/* 1: unsigned int */
		1, BTF_KIND_INT << 24, 4, 32,
		/* 2: struct bpf_ksock, opaque */
		14, BTF_KIND_STRUCT << 24, 0,
		/* 3: a pointer to 4 */
		0, BTF_KIND_PTR << 24, 4,
		/* 4: 2 tagged "kptr" */
		24, BTF_KIND_TYPE_TAG << 24, 2,
		/* 5: struct value { 3 ks; }, the map's value */
		29, BTF_KIND_STRUCT << 24 | 1, 8, 35, 3, 0,
	};
	struct btf_header hdr = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(hdr),
		.type_off = 0, .type_len = sizeof(types),
		.str_off = sizeof(types), .str_len = sizeof(strings),
	};
	char btf[sizeof(hdr) + sizeof(types) + sizeof(strings)];
	union bpf_attr attr;
	int btf_fd;

	memcpy(btf, &hdr, sizeof(hdr));
	memcpy(btf + sizeof(hdr), types, sizeof(types));
	memcpy(btf + sizeof(hdr) + sizeof(types), strings, sizeof(strings));

	memset(&attr, 0, sizeof(attr));
	attr.btf = (uintptr_t)btf;
	attr.btf_size = sizeof(btf);
	attr.btf_log_buf = (uintptr_t)verifier_log;
	attr.btf_log_size = sizeof(verifier_log);
	attr.btf_log_level = 1;
	btf_fd = sys_bpf(BPF_BTF_LOAD, &attr);
	if (btf_fd < 0)
		cannot("load the map's BTF");
	verifier_log[0] = '\0';

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 8;
	attr.max_entries = 1;
	attr.btf_fd = btf_fd;
	attr.btf_key_type_id = 1;
	attr.btf_value_type_id = 5;
	map_fd = sys_bpf(BPF_MAP_CREATE, &attr);
	if (map_fd < 0)
		cannot("create the map with a kptr field");
}

static int load(const struct bpf_insn *insns, size_t count)
{
	union bpf_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SYSCALL;
	attr.prog_flags = BPF_F_SLEEPABLE;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = count;
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)verifier_log;
	attr.log_size = sizeof(verifier_log);
	attr.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0)
		cannot("load a BPF program");
	verifier_log[0] = '\0';
	return fd;
}

/* Runs the program in this process; its return value is 0 or -errno. */
static int run(int prog_fd)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.test.prog_fd = prog_fd;
	if (sys_bpf(BPF_PROG_TEST_RUN, &attr))
		cannot("run a BPF program");
	return (int)attr.test.retval;
}

/*
 * r6 = the map's value, or return -ENOENT.  The key sits at fp - 4.
 */
#define LOOKUP_VALUE \
	ST_W(BPF_REG_10, -4, 0), \
	LD_MAP_FD(BPF_REG_1, map_fd), \
	MOV64_REG(BPF_REG_2, BPF_REG_10), \
	ADD64_IMM(BPF_REG_2, -4), \
	CALL_HELPER(BPF_FUNC_map_lookup_elem), \
	JNE_IMM(BPF_REG_0, 0, 2), \
	MOV64_IMM(BPF_REG_0, -ENOENT), \
	EXIT(), \
	MOV64_REG(BPF_REG_6, BPF_REG_0)

/* Put r7 back into the map (r6), and release what was there, if anything. */
#define STORE_R7 \
	MOV64_REG(BPF_REG_1, BPF_REG_6), \
	MOV64_REG(BPF_REG_2, BPF_REG_7), \
	CALL_HELPER(BPF_FUNC_kptr_xchg), \
	JEQ_IMM(BPF_REG_0, 0, 2), \
	MOV64_REG(BPF_REG_1, BPF_REG_0), \
	CALL_KFUNC(kfunc_ids[KSOCK_RELEASE])

/* Create an AF_INET UDP kernel socket and keep it in the map. */
static int create_program(void)
{
	const struct bpf_insn insns[] = {
		LOOKUP_VALUE,
		/* struct bpf_ksock_create_opts at fp - 16: AF_INET, SOCK_DGRAM, 0, 0 */
		ST_W(BPF_REG_10, -16, AF_INET | SOCK_DGRAM << 8),
		ST_W(BPF_REG_10, -8, 0),
		MOV64_REG(BPF_REG_1, BPF_REG_10),
		ADD64_IMM(BPF_REG_1, -16),
		MOV64_IMM(BPF_REG_2, 4),
		MOV64_REG(BPF_REG_3, BPF_REG_10),
		ADD64_IMM(BPF_REG_3, -8),
		CALL_KFUNC(kfunc_ids[KSOCK_CREATE]),
		JNE_IMM(BPF_REG_0, 0, 2),
		LDX_W(BPF_REG_0, BPF_REG_10, -8),
		EXIT(),
		MOV64_REG(BPF_REG_7, BPF_REG_0),
		STORE_R7,
		MOV64_IMM(BPF_REG_0, 0),
		EXIT(),
	};

	return load(insns, ARRAY_SIZE(insns));
}

/*
 * A program that takes the kept socket out of the map, stores the data of
 * @stores on its stack, calls @kfunc(socket, fp + @off, @size), puts the
 * socket back, and returns what the kfunc returned.
 */
static int kept_socket_program(int kfunc, const struct bpf_insn *stores,
			       size_t nr_stores, int off, int size)
{
	const struct bpf_insn take[] = {
		LOOKUP_VALUE,
		MOV64_REG(BPF_REG_1, BPF_REG_6),
		MOV64_IMM(BPF_REG_2, 0),
		CALL_HELPER(BPF_FUNC_kptr_xchg),
		JNE_IMM(BPF_REG_0, 0, 2),
		MOV64_IMM(BPF_REG_0, -ENOENT),
		EXIT(),
		MOV64_REG(BPF_REG_7, BPF_REG_0),
	};
	const struct bpf_insn call_and_put_back[] = {
		MOV64_REG(BPF_REG_1, BPF_REG_7),
		MOV64_REG(BPF_REG_2, BPF_REG_10),
		ADD64_IMM(BPF_REG_2, off),
		MOV64_IMM(BPF_REG_3, size),
		CALL_KFUNC(kfunc_ids[kfunc]),
		MOV64_REG(BPF_REG_8, BPF_REG_0),
		STORE_R7,
		MOV64_REG(BPF_REG_0, BPF_REG_8),
		EXIT(),
	};
	struct bpf_insn insns[64];
	size_t n = 0;

	memcpy(insns + n, take, sizeof(take));
	n += ARRAY_SIZE(take);
	memcpy(insns + n, stores, nr_stores * sizeof(*stores));
	n += nr_stores;
	memcpy(insns + n, call_and_put_back, sizeof(call_and_put_back));
	n += ARRAY_SIZE(call_and_put_back);
	return load(insns, n);
}

/* Connect the kept socket to 127.0.0.1:@port. */
static int connect_program(unsigned short port)
{
	/*
	 * union bpf_ksock_addr (28 bytes) at fp - 48: a sockaddr_in, family,
	 * port and address as a little-endian machine reads them.
	 */
	const struct bpf_insn stores[] = {
		ST_W(BPF_REG_10, -48, AF_INET | htons(port) << 16),
		ST_W(BPF_REG_10, -44, htonl(INADDR_LOOPBACK)),
		ST_DW(BPF_REG_10, -40, 0),
		ST_DW(BPF_REG_10, -32, 0),
		ST_W(BPF_REG_10, -24, 0),
	};

	return kept_socket_program(KSOCK_CONNECT, stores, ARRAY_SIZE(stores), -48, 28);
}

/* Send "ksock" on the kept socket, without an address. */
static int send_program(void)
{
	const struct bpf_insn stores[] = {
		ST_DW(BPF_REG_10, -24, 0),
		ST_W(BPF_REG_10, -24, 'k' | 's' << 8 | 'o' << 16 | 'c' << 24),
		ST_W(BPF_REG_10, -20, 'k'),
	};

	return kept_socket_program(KSOCK_SEND, stores, ARRAY_SIZE(stores), -24, 5);
}

static void say(const char *step, int ret)
{
	if (ret >= 0)
		printf("%s: allowed\n", step);
	else
		printf("%s: refused: %s\n", step, strerror(-ret));
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int create, connect_fd, send_fd, udp, ret;
	char buf[16];
	ssize_t n;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "drop"))) {
		fprintf(stderr, "usage: %s [drop]\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* 1. The receiving socket, on an ephemeral port of 127.0.0.1. */
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (udp < 0 || bind(udp, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(udp, (struct sockaddr *)&sin, &len))
		cannot("bind a UDP socket to 127.0.0.1 (run this unrestricted)");

	/* 2. A kernel socket, connected to it and kept, before any drop. */
	find_kfuncs();
	create_map();
	create = create_program();
	connect_fd = connect_program(ntohs(sin.sin_port));
	send_fd = send_program();
	ret = run(create);
	say("bpf_ksock_create() before the drop", ret);
	if (ret < 0)
		return 2;
	ret = run(connect_fd);
	say("bpf_ksock_connect() before the drop", ret);
	if (ret < 0)
		return 2;

	/* 3. */
	if (argc == 2) {
		struct rlimit zero = { 0, 0 };

		if (setrlimit(RLIMIT_NETWORK, &zero))
			cannot("set RLIMIT_NETWORK to 0");
		printf("setrlimit(RLIMIT_NETWORK, {0, 0}): done\n");
	}

	/* 4. The kept socket sends to its peer, which receives. */
	say("bpf_ksock_send() on the kept socket", run(send_fd));
	n = recv(udp, buf, sizeof(buf), 0);
	if (n == 5 && !memcmp(buf, "ksock", 5))
		printf("the receiving socket got the message\n");
	else
		printf("the receiving socket got no message\n");

	/* 5 and 6. */
	say("bpf_ksock_connect() of the kept socket again", run(connect_fd));
	say("bpf_ksock_create() of another socket", run(create));
	return 0;
}
