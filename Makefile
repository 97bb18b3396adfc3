# RLIMIT_NETWORK: build, boot, test and measure a Linux patch series.
#
#   make            install what is missing, make build/linux, build the kernel,
#                   the selftests and the test initramfs
#   make check      all of that, then checkpatch, the harness self-test and the
#                   kselftests in QEMU; ends with "N passed, N failed"
#   make demo       a narrated demonstration with real programs, in QEMU
#   make base       the same kernel without the series: build/out/bzImage.base
#   make shell      boot the patched kernel to a shell
#   make tree       only make build/linux (work there, commit, then...)
#   make export     write build/linux's branch back to patches/linux
# See README.md.

# The base, named once: Debian's packaged 6.12 LTS source.
BASE_PACKAGE := linux-source-6.12
BASE_VERSION := 6.12.117-1~deb12u1
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

TREE := build/linux
OUT := build/out
OBJ := build/obj
GUEST_CONFIG := configs/guest.config $(foreach t,$(KSELFTESTS),$(TREE)/tools/testing/selftests/$(t)/config)
SERIES_CONFIG := configs/series.config
DEMO_PROGS := $(addprefix $(OUT)/demo/,privsep-server broker unix-names demo.sh)

.PHONY: all deps tree kernel base selftests initramfs prlimit check \
	check-harness checkpatch demo shell export clean distclean
.DEFAULT_GOAL := all

all: kernel initramfs

deps: build/deps.stamp
build/deps.stamp: scripts/install-deps
	scripts/install-deps $(BASE_PACKAGE)=$(BASE_VERSION)
	@mkdir -p build && touch $@

tree: build/tree.stamp
build/tree.stamp: $(wildcard patches/linux/series patches/linux/*.patch) scripts/make-tree | build/deps.stamp
	scripts/make-tree
	@touch $@

# Kbuild decides what is out of date, so the kernel is always asked.
kernel: build/tree.stamp
	scripts/build-kernel $(TREE) $(OBJ)/guest $(OUT)/bzImage $(GUEST_CONFIG) $(SERIES_CONFIG)

selftests: build/tree.stamp kernel
	scripts/build-selftests $(TREE) $(OBJ)/guest $(OUT)/kselftest $(KSELFTESTS)

# prlimit from Debian's util-linux source with patches/util-linux applied.
prlimit: build/deps.stamp
	scripts/build-prlimit

$(OUT)/demo/%: demo/%.c demo/nonet.h
	@mkdir -p $(@D)
	gcc -static -O2 -Wall -o $@ $<
$(OUT)/demo/demo.sh: demo/demo.sh
	@mkdir -p $(@D)
	cp $< $@

initramfs: selftests prlimit $(DEMO_PROGS)
	@mkdir -p $(OUT)/bin && cmp -s $(OUT)/prlimit $(OUT)/bin/prlimit || cp $(OUT)/prlimit $(OUT)/bin/prlimit
	scripts/make-initramfs $(OUT)/initramfs.cpio.gz kselftest=$(OUT)/kselftest \
		guest=guest tests=tests demo=$(OUT)/demo usr/local/bin=$(OUT)/bin

# The same kernel and configuration without the series, from a worktree of
# the pristine commit.
base: build/tree.stamp initramfs
	@[ -d build/linux-base ] || git -C $(TREE) worktree add -q --detach ../linux-base base
	scripts/build-kernel build/linux-base $(OBJ)/base $(OUT)/bzImage.base $(GUEST_CONFIG)

check: all
	scripts/check

check-harness: all
	scripts/check-harness

checkpatch: build/tree.stamp
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
