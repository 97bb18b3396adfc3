#!/usr/bin/python3
"""The AppArmor test profiles of make check-lsm and make coverage
(guest/lsm.sh), compiled with the patched apparmor_parser and checked.
Used by scripts/check-lsm, scripts/coverage and
scripts/build-apparmor-parser --check.

  aa-policy.py build PARSER PROFILE DIR
      Compile PROFILE (tests/aa-nonet.profile) into DIR/aa-nonet.bin, and
      its control into DIR/aa-rttime.bin: the same profile with its one
      "set rlimit network <= 0," rule made "set rlimit rttime <= 0,"
      (written as DIR/aa-rttime.profile), which names another limit and
      not the network one.  Both with "PARSER --config-file=/dev/null -Q
      -S": compile only, Debian's parser.conf (which pins the features to
      Debian's own) left out.  Then decode the rlimits section of each:
      aa-nonet.bin must name the network limit (16) alone, at 0, in an
      array of 17; aa-rttime.bin rttime (15) alone, at 0, in an array of
      16, what a kernel with 16 limits accepts.  Prints "pass ..." or
      "fail ..." a step; exits 1 when one failed.

  aa-policy.py rlimits BINARY
      Print what the rlimits section of BINARY holds.

The section's encoding is the kernel's (unpack_rlimits() in
security/apparmor/policy_unpack.c): the name "rlimits" and a struct, a u32
mask of the limits that apply, an array of u64 hard limits (the kernel
refuses one longer than its RLIM_NLIMITS), the array's and the struct's
ends.
"""
import os
import re
import struct
import subprocess
import sys

AA_U32, AA_U64, AA_NAME, AA_STRUCT, AA_STRUCTEND, AA_ARRAY, AA_ARRAYEND = \
    2, 3, 4, 7, 8, 11, 12
RLIM_INFINITY = (1 << 64) - 1
RLIMIT_RTTIME, RLIMIT_NETWORK = 15, 16
NETWORK_RULE = re.compile(r'^(\s*set\s+rlimit\s+)network(\s*<=\s*0\s*,)', re.M)


def rlimits(path):
    """The mask and the array of limits of BINARY's one rlimits section."""
    policy = open(path, 'rb').read()
    tag = bytes((AA_NAME,)) + struct.pack('<H', 8) + b'rlimits\0' + bytes((AA_STRUCT,))
    at = policy.find(tag)
    if at < 0 or policy.find(tag, at + 1) >= 0:
        raise ValueError('not exactly one rlimits section')
    p = at + len(tag)
    if policy[p] != AA_U32 or policy[p + 5] != AA_ARRAY:
        raise ValueError('the rlimits section is not a mask and an array')
    mask = struct.unpack_from('<I', policy, p + 1)[0]
    count = struct.unpack_from('<H', policy, p + 6)[0]
    p += 8
    values = []
    for i in range(count):
        if policy[p] != AA_U64:
            raise ValueError('entry %d of the array is not a u64' % i)
        values.append(struct.unpack_from('<Q', policy, p + 1)[0])
        p += 9
    if policy[p:p + 2] != bytes((AA_ARRAYEND, AA_STRUCTEND)):
        raise ValueError('the array does not end the section after %d entries' % count)
    return mask, values


def describe(mask, values):
    named = [i for i in range(32) if mask & (1 << i)]
    return 'mask 0x%x (limits %s), array of %d entries%s' % (
        mask, ', '.join(map(str, named)) or 'none', len(values),
        ''.join(', [%d] = %s' % (i, 'infinity' if values[i] == RLIM_INFINITY else values[i])
                for i in named if i < len(values)))


def build(parser, profile, out):
    ok = True

    def report(passed, what):
        nonlocal ok
        print('%s %s' % ('pass' if passed else 'fail', what))
        ok = ok and passed

    text = open(profile).read()
    rules = len(NETWORK_RULE.findall(text))
    report(rules == 1, 'the control aa-rttime.profile is %s with its network rule made an rttime one'
           % os.path.basename(profile) + ('' if rules == 1 else ' (%d "set rlimit network <= 0," rules)' % rules))
    if rules != 1:
        return 1
    control = os.path.join(out, 'aa-rttime.profile')
    with open(control, 'w') as f:
        f.write(NETWORK_RULE.sub(r'\1rttime\2', text))

    for name, source, limit, count, why in (
            ('aa-nonet', profile, RLIMIT_NETWORK, RLIMIT_NETWORK + 1,
             'names the network limit alone, at 0, in an array of 17'),
            ('aa-rttime', control, RLIMIT_RTTIME, RLIMIT_RTTIME + 1,
             'names rttime alone, at 0, in an array of 16, the length a kernel with 16 limits accepts')):
        binary = os.path.join(out, name + '.bin')
        with open(binary, 'wb') as f:
            run = subprocess.run([parser, '--config-file=/dev/null', '-Q', '-S', source],
                                 stdout=f, stderr=subprocess.PIPE, text=True)
        # The last line says why; the first is the parser's note that
        # this machine has no AppArmor (no cache).
        err = run.stderr.strip().splitlines()
        report(run.returncode == 0, '%s.profile compiles (apparmor_parser -Q -S --config-file=/dev/null)%s'
               % (name, '' if run.returncode == 0 else ': ' + (err[-1] if err else 'exit %d' % run.returncode)))
        if run.returncode != 0:
            continue
        try:
            mask, values = rlimits(binary)
        except (ValueError, IndexError, struct.error) as e:
            report(False, '%s.bin %s: %s' % (name, why, e))
            continue
        report(mask == 1 << limit and len(values) == count and values[limit] == 0,
               '%s.bin %s: %s' % (name, why, describe(mask, values)))
    return 0 if ok else 1


def main(argv):
    if len(argv) == 4 and argv[0] == 'build':
        return build(*argv[1:])
    if len(argv) == 2 and argv[0] == 'rlimits':
        try:
            print(describe(*rlimits(argv[1])))
        except (OSError, ValueError, IndexError, struct.error) as e:
            print('%s: %s' % (argv[1], e))
            return 1
        return 0
    sys.exit(__doc__)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
