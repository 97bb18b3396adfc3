# The AppArmor profile that make check-lsm loads (guest/lsm.sh): a task that
# executes /usr/local/lib/aa-nonet/busybox enters it, and the profile's
# rlimit rule lowers that task's RLIMIT_NETWORK to 0 at exec, writing the
# limit directly rather than through setrlimit().  Everything else is
# allowed, so that any refusal seen is RLIMIT_NETWORK's EPERM, not an
# AppArmor denial (EACCES).
#
# Debian's apparmor_parser knows only the limits of its own build's
# headers, so "network" cannot be written here: the rttime rule below makes
# the parser emit the rlimits section, and scripts/make-apparmor-policy
# rewrites that section to hold RLIMIT_NETWORK alone, at 0.
profile rlimit-network-nonet /usr/local/lib/aa-nonet/busybox {
  file,
  network,
  capability,
  signal,
  ptrace,
  unix,
  mount,
  set rlimit rttime <= 0,
}
