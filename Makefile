# RLIMIT_NETWORK: build, boot, test and measure a Linux patch series.
#
#   make            install what is missing, make build/linux, build the kernel,
#                   the selftests and the test initramfs
#   make check      all of that and the debug kernel, then checkpatch, the
#                   harness self-test, the tests and the demo in QEMU, and the
#                   tests on the debug kernel; ends with "N passed, N failed"
#   make check-debug  only the tests on the debug kernel
#   make demo       a narrated demonstration with real programs, in QEMU
#   make base       the same kernel without the series: build/out/bzImage.base
#   make bench      instructions per operation, base against patched and the
#                   alternatives (QEMU icount)
#   make docs, make man-pages   build and check the documentation
#   make check-all  make check and everything heavier: lint, check-lsm,
#                   coverage, fuzz, regress, check-tools, check-system,
#                   check-services, check-stable (each also a target of
#                   its own)
#   make shell      boot the patched kernel to a shell
#   make system     the patched kernel for a Debian 12 system, and that
#                   system's image (mmdebstrap): build/system/rootfs.ext4
#   make check-system   boot it and run the census of everyday programs
#                   under the limit (tests/system/); part of check-all
#   make check-services  in it, systemd's LimitNETWORK=, pam_limits's
#                   network item, su and ssh logins and sshd's
#                   pre-authentication child (issue 17; make systemd, make
#                   pam, make sshd build them); part of check-all
#   make shell-system   boot it to a login prompt
#   make tree       only make build/linux (work there, commit, then...)
#   make export     write build/linux's branch back to patches/linux
#   make check-stable  make check on the 6.12 backport (make BASE=6.12 TARGET
#                   runs any target on it)
# See README.md.

# The bases, named once: Debian's linux-source-SERIES packages, each by its
# series and the version last tested (scripts/fetch-base takes the newest
# of the series when the archive no longer has that one).  MAINLINE is the
# series' home, patches/linux, built in build/; STABLE is its backport,
# patches/linux-$(STABLE), built in build/$(STABLE)/.
MAINLINE := 7.3
STABLE := 6.12
BASE_VERSION_7.3 := 7.3.4-1~bpo13+1
BASE_VERSION_6.12 := 6.12.117-1~deb12u1

# The base of this run: mainline, unless the archive serves no package of
# that series any more (backports moved on), in which case make says so and
# builds and tests the backport instead.
ifeq ($(origin BASE),undefined)
BASE := $(shell scripts/fetch-base --probe $(MAINLINE) $(BASE_VERSION_$(MAINLINE)) && echo $(MAINLINE))
ifeq ($(BASE),)
$(info make: Debian's archive serves no linux-source-$(MAINLINE) any more ($(shell scripts/fetch-base --served)); building and testing the $(STABLE) backport instead)
BASE := $(STABLE)
endif
endif
ifeq ($(BASE_VERSION_$(BASE)),)
$(error BASE=$(BASE): the bases are $(MAINLINE) and $(STABLE))
endif
BASE_PACKAGE := linux-source-$(BASE)
BASE_VERSION := $(BASE_VERSION_$(BASE))
ifeq ($(BASE),$(MAINLINE))
BUILD := build
SERIES := patches/linux
else
BUILD := build/$(BASE)
SERIES := patches/linux-$(BASE)
endif
export BASE BUILD SERIES
# Who the patches are from (and who signs them off).
PATCH_AUTHOR_NAME := Rlimit Network Project
PATCH_AUTHOR_EMAIL := rlimit-network@lists.example.org
export BASE_PACKAGE BASE_VERSION PATCH_AUTHOR_NAME PATCH_AUTHOR_EMAIL

# kselftest targets that make check runs; their "config" fragments are
# merged into the guest kernel's configuration.
KSELFTESTS := rlimit_network
export KSELFTESTS

JOBS ?= $(shell nproc)
export JOBS

TREE := $(BUILD)/linux
OUT := $(BUILD)/out
OBJ := $(BUILD)/obj
GUEST_CONFIG := configs/guest.config $(foreach t,$(KSELFTESTS),$(TREE)/tools/testing/selftests/$(t)/config)
SERIES_CONFIG := configs/series.config
DEMO_PROGS := $(addprefix $(OUT)/demo/,privsep-server broker unix-names demo.sh)

.PHONY: all deps tree kernel kernel-debug base selftests initramfs prlimit tools check-tools \
	pam sshd systemd apparmor-parser \
	check check-debug check-harness checkpatch demo docs man-pages bench \
	check-all check-stable lint bisect check-lsm coverage fuzz regress \
	kernel-system system check-system check-services shell-system \
	shell export clean distclean
.DEFAULT_GOAL := all

all: kernel initramfs

deps: build/deps.stamp
build/deps.stamp: scripts/install-deps
	scripts/install-deps
	@mkdir -p build && touch $@

tree: $(BUILD)/tree.stamp
$(BUILD)/tree.stamp: $(wildcard $(SERIES)/series $(SERIES)/*.patch) scripts/make-tree scripts/fetch-base | build/deps.stamp
	scripts/make-tree
	@touch $@

# Kbuild decides what is out of date, so the kernel is always asked.
kernel: $(BUILD)/tree.stamp
	scripts/build-kernel $(TREE) $(OBJ)/guest $(OUT)/bzImage $(GUEST_CONFIG) $(SERIES_CONFIG)

selftests: $(BUILD)/tree.stamp kernel
	scripts/build-selftests $(TREE) $(OBJ)/guest $(OUT)/kselftest $(KSELFTESTS)

# prlimit from Debian's util-linux source with patches/util-linux applied.
prlimit: build/deps.stamp
	scripts/build-prlimit

# The everyday tools with RLIMIT_NETWORK by name (issue 16), static, into
# build/out/bin (the initramfs's /usr/local/bin): strace, bash, dash and
# busybox (as busybox-patched: /bin/busybox stays Debian's).  Each script
# rebuilds only when its source version, patches or itself change.
tools: build/deps.stamp
	scripts/build-strace
	scripts/build-bash
	scripts/build-dash
	scripts/build-busybox

# Where services and logins start (issue 17): each built from its Debian
# 12 source package with patches/PACKAGE, rebuilt only when the version,
# the patches or the script change; build/out/services/.
#   pam         pam_limits.so (limits.conf's "network" item), libpam.so.0
#               and the test program pam-session
#   sshd        sshd with the seccomp filter sandbox and with the null one
#   systemd     PID 1, systemd-run and systemd-nspawn with LimitNETWORK=,
#               their private libraries and two of systemd's unit tests
#   apparmor-parser  apparmor_parser with the "network" rlimit, from
#               trixie's apparmor (Debian 12's cannot be fetched), into
#               build/out/apparmor_parser: make check-lsm compiles its
#               profile with it
pam: build/deps.stamp
	scripts/build-pam

sshd: build/deps.stamp
	scripts/build-sshd

systemd: build/deps.stamp
	scripts/build-systemd

apparmor-parser: build/deps.stamp
	scripts/build-apparmor-parser

$(OUT)/demo/%: demo/%.c demo/nonet.h
	@mkdir -p $(@D)
	gcc -static -O2 -Wall -o $@ $<
$(OUT)/demo/demo.sh: demo/demo.sh
	@mkdir -p $(@D)
	cp $< $@

initramfs: selftests prlimit tools $(DEMO_PROGS)
	@mkdir -p $(OUT)/bin && cmp -s $(OUT)/prlimit $(OUT)/bin/prlimit || cp $(OUT)/prlimit $(OUT)/bin/prlimit
	scripts/make-initramfs $(OUT)/initramfs.cpio.gz kselftest=$(OUT)/kselftest \
		guest=guest tests=tests demo=$(OUT)/demo usr/local/bin=$(OUT)/bin

# The same kernel and configuration without the series, from a worktree of
# the pristine commit.
base: $(BUILD)/tree.stamp initramfs
	@[ -d $(BUILD)/linux-base ] || git -C $(TREE) worktree add -q --detach ../linux-base base
	scripts/build-kernel $(BUILD)/linux-base $(OBJ)/base $(OUT)/bzImage.base $(GUEST_CONFIG)

# The patched kernel again, with KASAN, lockdep, UBSAN and kmemleak.
kernel-debug: $(BUILD)/tree.stamp
	scripts/build-kernel $(TREE) $(OBJ)/debug $(OUT)/bzImage.debug $(GUEST_CONFIG) \
		$(SERIES_CONFIG) configs/debug.config

# The Debian 12 system: the same tree and fragments as the guest plus
# configs/system.config, in its own object directory ($(OBJ)/system); the
# image, build/system/rootfs.ext4, is one for both bases and is remade only
# when system/packages, system/setup-root, system/overlay, prlimit or
# scripts/make-system change.
kernel-system: $(BUILD)/tree.stamp
	scripts/build-kernel $(TREE) $(OBJ)/system $(OUT)/bzImage.system $(GUEST_CONFIG) \
		$(SERIES_CONFIG) configs/system.config

system: kernel-system prlimit
	scripts/make-system

# The census of everyday programs under the limit (tests/system/cases);
# the table is $(BUILD)/system/census.md.
check-system: system $(OUT)/demo/privsep-server
	scripts/check-system

# Where services and logins start (issue 17), in that system: systemd's
# LimitNETWORK= (PID 1 re-executed into the patched manager), pam_limits's
# "network" item through libpam, su - and ssh logins, sshd's
# pre-authentication child (make systemd, make pam, make sshd); part of
# check-all.
check-services: system
	scripts/check-services

shell-system: system
	scripts/vm-run --system --shell

check: all kernel-debug
	scripts/check

# The suite on the backport: make check with BASE=$(STABLE) (build/$(STABLE)/).
check-stable:
	$(MAKE) BASE=$(STABLE) check

check-debug: all kernel-debug
	scripts/check-suite debug $(OBJ)/debug

# Everything too heavy for make check; each part also runs on its own.
FUZZ_MINUTES ?= 5
export FUZZ_MINUTES MAINLINE STABLE
check-all: all kernel-debug base system
	scripts/check-all

# Mechanical checks a maintainer and the kernel test robot apply.
lint: all base
	scripts/lint

# Each part of make lint but bisect, alone: sparse, W=1, coccicheck and
# kernel-doc on the files the series touches, against base; the
# configuration matrix; the i386 and arm64 kernels built and booted to run
# the suite (lint-arch).
.PHONY: lint-sparse lint-w1 lint-cocci lint-kdoc lint-matrix lint-arch
lint-sparse lint-w1 lint-cocci lint-kdoc lint-matrix lint-arch: $(BUILD)/tree.stamp
	scripts/$@

# Every prefix of the series builds and boots.
bisect: $(BUILD)/tree.stamp initramfs
	scripts/check-bisect

# The patched kernel with AppArmor and SELinux built in; its AppArmor
# profile is compiled with the patched apparmor_parser.
check-lsm: all apparmor-parser
	scripts/check-lsm

# Line and branch coverage of the series' own code by the suite.
coverage: all apparmor-parser
	scripts/coverage

# trinity in the debug kernel as a process whose RLIMIT_NETWORK is 0.
fuzz: all kernel-debug
	scripts/fuzz $(FUZZ_MINUTES)

# The kernel's own selftests near the series, patched against base.
regress: all base
	scripts/regress

# The tools' own test suites against Debian's unpatched builds, glibc's
# patched header, and Python's resource module in QEMU.
check-tools: all
	scripts/check-tools

# The series' documentation: the kernel's Sphinx build of userspace-api
# (compared with the base tree's own warnings), and the getrlimit(2) page.
docs: $(BUILD)/tree.stamp
	scripts/check-docs

man-pages: build/deps.stamp
	scripts/check-man-pages

# Instructions per operation under QEMU's icount, base kernel against the
# series and the alternatives; build/bench/ holds the CSV and the plot.
bench: all base
	scripts/bench

check-harness: all
	scripts/check-harness

checkpatch: $(BUILD)/tree.stamp
	scripts/checkpatch-series

demo: all
	scripts/vm-run --timeout 300 -- sh /demo/demo.sh /demo

shell: all
	scripts/vm-run --shell --add .

export:
	scripts/export-series

clean:
	rm -rf $(OUT) $(OBJ) build/run build/check

distclean:
	rm -rf build
