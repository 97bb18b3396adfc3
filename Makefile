# RLIMIT_NETWORK: build, boot, test and measure a Linux patch series.
#
#   make            install what is missing, make build/linux, build the kernel,
#                   the selftests and the test initramfs
#   make check      all of that, then checkpatch, the harness self-test and the
#                   kselftests in QEMU; ends with "N passed, N failed"
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

# kselftest targets that make check runs.
KSELFTESTS :=
export KSELFTESTS

JOBS ?= $(shell nproc)
export JOBS

TREE := build/linux
OUT := build/out
OBJ := build/obj
GUEST_CONFIG := configs/guest.config
SERIES_CONFIG := configs/series.config

.PHONY: all deps tree kernel base selftests initramfs check check-harness \
	checkpatch shell export clean distclean
.DEFAULT_GOAL := all

all: kernel initramfs

deps: build/deps.stamp
build/deps.stamp: scripts/install-deps
	scripts/install-deps $(BASE_PACKAGE)=$(BASE_VERSION)
	@mkdir -p build && touch $@

tree: build/tree.stamp
build/tree.stamp: build/deps.stamp $(wildcard patches/linux/series patches/linux/*.patch) scripts/make-tree
	scripts/make-tree
	@touch $@

# Kbuild decides what is out of date, so the kernel is always asked.
kernel: build/tree.stamp
	scripts/build-kernel $(TREE) $(OBJ)/guest $(OUT)/bzImage $(GUEST_CONFIG) $(SERIES_CONFIG)

selftests: build/tree.stamp kernel
	scripts/build-selftests $(TREE) $(OBJ)/guest $(OUT)/kselftest $(KSELFTESTS)

initramfs: selftests
	scripts/make-initramfs $(OUT)/initramfs.cpio.gz kselftest=$(OUT)/kselftest guest=guest

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

shell: all
	scripts/vm-run --shell --add .

export:
	scripts/export-series

clean:
	rm -rf $(OUT) $(OBJ) build/run build/check

distclean:
	rm -rf build
