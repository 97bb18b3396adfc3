# The AppArmor profile that make check-lsm loads (guest/lsm.sh): a task that
# executes /usr/local/lib/aa-nonet/busybox enters it, and the profile's
# rlimit rule lowers that task's RLIMIT_NETWORK to 0 at exec, writing the
# limit directly rather than through setrlimit().  Everything else is
# allowed, so that any refusal seen is RLIMIT_NETWORK's EPERM, not an
# AppArmor denial (EACCES).
#
# Compiled by scripts/check-lsm with the patched apparmor_parser
# (patches/apparmor, make apparmor-parser) into aa-nonet.bin: its rlimits
# section has the network limit alone in its mask, and an array of 17
# limits whose last is 0.  The control, aa-rttime.bin, is this profile with
# the network rule made "set rlimit rttime <= 0," (scripts/lib/aa-policy.py):
# it names no network limit.
profile rlimit-network-nonet /usr/local/lib/aa-nonet/busybox {
  file,
  network,
  capability,
  signal,
  ptrace,
  unix,
  mount,
  set rlimit network <= 0,
}
