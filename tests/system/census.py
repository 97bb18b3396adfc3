#!/usr/bin/python3
"""The census of everyday programs under RLIMIT_NETWORK, run as root in the
Debian system guest by scripts/check-system (scripts/vm-run --system --add
build/system/census -- python3 /mnt/add/census.py).

It sets up what the cases talk to, all unrestricted (an HTTP server with a
git repository and an apt repository, a DNS server, the user's ssh and gpg
keys, a tmux server, the census's systemd units), then runs every case of
tests/system/cases twice: unrestricted, and with RLIMIT_NETWORK {0, 0}
("prlimit --network=0 --" around the case's command, or, for a case marked
"Limit: self", by the case's own means), each time in a login session of the
case's user (su -l).  A run's result is its exit status and output; a case
passes when both runs give what it expects.

Writes into the shared folder (the host's build/system/census/results/):
census.md (the table), verdicts ("pass NAME" / "fail NAME" lines, and
"skip NAME: WHY" for a case whose "Kernel:" is newer than the guest's), and
each run's output, NAME.unrestricted.log and NAME.limited.log.  Prints the
table and ends with "N passed, N failed"; exits 1 when a case failed.
"""
import datetime
import hashlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = '/usr/local/lib/census'
SRV = '/srv/census'
WORK = '/run/census'
RESULTS = os.path.join(HERE, 'results')
FIELDS = ('Case', 'User', 'Command', 'Summary', 'Limit', 'Timeout', 'Kernel',
          'Unrestricted', 'Limited', 'Why', 'Limitation')
EXPECT = re.compile(r'^(ok|fail)(?: +([0-9]+))?(?: +~ *(.+))?$')


class CaseError(Exception):
    """A malformed case in the cases file."""


class Case:
    def __init__(self, fields, where):
        self.where = where
        for name in ('Case', 'Command', 'Unrestricted', 'Limited', 'Why'):
            if not fields.get(name):
                raise CaseError(f'{where}: no {name}: field')
        self.name = fields['Case']
        if not re.fullmatch(r'[a-z0-9][a-z0-9-]*', self.name):
            raise CaseError(f'{where}: case name {self.name!r}: lower case, digits, dashes')
        self.user = fields.get('User', 'user')
        self.command = fields['Command']
        self.summary = fields.get('Summary') or self.command
        self.limit = fields.get('Limit', 'prlimit')
        if self.limit not in ('prlimit', 'self'):
            raise CaseError(f'{where}: Limit: {self.limit!r}: "prlimit" or "self"')
        try:
            self.timeout = int(fields.get('Timeout', '60'))
        except ValueError:
            raise CaseError(f'{where}: Timeout: not a number of seconds') from None
        self.expect = {run: self.parse_expect(fields[field])
                       for run, field in (('unrestricted', 'Unrestricted'),
                                          ('limited', 'Limited'))}
        self.why = fields['Why']
        self.limitation = fields.get('Limitation')
        self.kernel = fields.get('Kernel')
        if self.kernel and not re.fullmatch(r'[0-9]+\.[0-9]+', self.kernel):
            raise CaseError(f'{where}: Kernel: {self.kernel!r}: a version, such as 7.3')

    def parse_expect(self, text):
        match = EXPECT.match(text)
        if not match:
            raise CaseError(f'{self.where}: expectation {text!r}: '
                            '"ok|fail [STATUS] [~ REGEX]"')
        outcome, status, regex = match.groups()
        if outcome == 'ok' and status is not None:
            raise CaseError(f'{self.where}: "ok" takes no status')
        try:
            compiled = re.compile(regex, re.M) if regex else None
        except re.error as err:
            raise CaseError(f'{self.where}: regex {regex!r}: {err}') from None
        return outcome, int(status) if status else None, compiled, text


def parse_cases(path):
    """Stanzas of "Field: value" lines, separated by blank lines; a line
    starting with blanks continues the field before it (for Command, a new
    line of the script); "#" starts a comment line."""
    cases, fields, field, start = [], {}, None, 0
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    for number, line in enumerate(lines + [''], 1):
        if line.startswith('#'):
            continue
        if not line.strip():
            if fields:
                cases.append(Case(fields, f'{path}:{start}'))
            fields, field = {}, None
            continue
        if line[0] in ' \t':
            if field is None:
                raise CaseError(f'{path}:{number}: continuation line with no field')
            sep = '\n' if field == 'Command' else ' '
            fields[field] += sep + line[1:] if field == 'Command' else sep + line.strip()
            continue
        name, colon, value = line.partition(':')
        if not colon or name not in FIELDS:
            raise CaseError(f'{path}:{number}: not a "Field: value" line '
                            f'(fields: {", ".join(FIELDS)})')
        if name in fields:
            raise CaseError(f'{path}:{number}: {name}: given twice')
        if not fields:
            start = number
        fields[name], field = value.strip(), name
    names = [c.name for c in cases]
    for name in names:
        if names.count(name) > 1:
            raise CaseError(f'{path}: case {name} is given twice')
    return cases


def sh(command, user='root', check=True, timeout=300):
    """Run a shell command as USER in a login session; return its output."""
    proc = subprocess.run(['su', '-l', user, '-c', command], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout, check=False)
    out = proc.stdout.decode(errors='replace')
    if check and proc.returncode:
        raise RuntimeError(f'setup: "{command}" as {user} exited {proc.returncode}:\n{out}')
    return out


def wait_port(port, what, family=socket.AF_INET, kind=socket.SOCK_STREAM):
    for _ in range(100):
        with socket.socket(family, kind) as s:
            try:
                s.connect(('127.0.0.1', port))
                return
            except OSError:
                time.sleep(0.2)
    raise RuntimeError(f'setup: {what} does not listen on port {port}')


def limits_row(pid):
    with open(f'/proc/{pid}/limits', encoding='ascii') as f:
        for line in f:
            if line.startswith('Max network access'):
                return line.split()[3:5]
    raise RuntimeError(f'setup: /proc/{pid}/limits has no "Max network access" row')


def setup():
    """What the cases use, all unrestricted."""
    shutil.rmtree(LIB, ignore_errors=True)
    shutil.copytree(HERE, LIB, ignore=shutil.ignore_patterns('results'))
    for root, dirs, files in os.walk(LIB):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK, mode=0o755)

    # The HTTP server's tree: a page, a git repository served over dumb
    # HTTP and cloned from its path (owned by user, as git wants), and a flat
    # apt repository with an empty index and a Release file naming it.
    shutil.rmtree(SRV, ignore_errors=True)
    os.makedirs(f'{SRV}/apt')
    with open(f'{SRV}/index.html', 'w', encoding='ascii') as f:
        f.write('census\n')
    open(f'{SRV}/apt/Packages', 'w', encoding='ascii').close()
    digest = hashlib.sha256(b'').hexdigest()
    date = datetime.datetime.now(datetime.timezone.utc).strftime('%a, %d %b %Y %H:%M:%S UTC')
    with open(f'{SRV}/apt/Release', 'w', encoding='ascii') as f:
        f.write(f'Origin: census\nLabel: census\nSuite: census\nCodename: census\n'
                f'Date: {date}\nArchitectures: amd64 all\nSHA256:\n {digest} 0 Packages\n')
    with open(f'{WORK}/census.list', 'w', encoding='ascii') as f:
        f.write('deb [trusted=yes] http://127.0.0.1:8000/apt ./\n')
    os.makedirs(f'{WORK}/sources.list.d')
    os.chmod(SRV, 0o777)
    sh(f'''set -e
        git config --global user.name "Census User"
        git config --global user.email user@census.test
        git init -q ~/src
        cd ~/src && echo census > README && git add README && git commit -qm census
        git clone -q --bare ~/src {SRV}/repo.git
        git -C {SRV}/repo.git update-server-info
        mkdir -p -m 700 ~/.ssh
        ssh-keygen -q -t ed25519 -N "" -f ~/.ssh/id_ed25519
        cp ~/.ssh/id_ed25519.pub ~/.ssh/authorized_keys
        gpg --batch -q --passphrase "" --quick-gen-key census@census.test ed25519 sign never
        tmux -L before new-session -d -s before "sleep 3600"
        ''', user='user')

    servers = [
        (['python3', '-m', 'http.server', '8000', '--bind', '127.0.0.1', '--directory', SRV],
         'http-server'),
        (['python3', f'{LIB}/dns-server.py'], 'dns-server'),
    ]
    for argv, name in servers:
        log = open(os.path.join(RESULTS, f'{name}.log'), 'w', encoding='utf-8')
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                         start_new_session=True)
    wait_port(8000, 'the HTTP server')
    wait_port(22, 'sshd')
    for _ in range(50):
        try:
            socket.getaddrinfo('census.test', 80, socket.AF_INET)
            break
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError('setup: the DNS server does not answer for census.test')

    # The census's services: units under /run, socket-activated on demand.
    for unit in os.listdir(f'{LIB}/units'):
        shutil.copy(f'{LIB}/units/{unit}', f'/run/systemd/system/{unit}')
        os.chmod(f'/run/systemd/system/{unit}', 0o644)
    subprocess.run(['systemctl', 'daemon-reload'], check=True)

    # The X server runs unrestricted: the X11 cases' control is its own.
    pid = subprocess.run(['pgrep', '-x', 'Xvfb'], stdout=subprocess.PIPE,
                         check=False).stdout.split()
    if len(pid) != 1 or limits_row(int(pid[0])) != ['unlimited', 'unlimited']:
        raise RuntimeError('setup: Xvfb is not running, or not unrestricted')
    if not os.path.exists('/tmp/.X11-unix/X0'):
        raise RuntimeError('setup: Xvfb has no /tmp/.X11-unix/X0')


def run(case, kind):
    """One run of CASE, "unrestricted" or "limited": (status, output)."""
    limited = kind == 'limited'
    script = f'{WORK}/{case.name}.sh'
    with open(script, 'w', encoding='utf-8') as f:
        f.write(case.command + '\n')
    os.chmod(script, 0o755)
    inner = f'bash {shlex.quote(script)}'
    if limited and case.limit == 'prlimit':
        inner = f'prlimit --network=0 -- {inner}'
    env = {'CENSUS': LIB, 'CENSUS_LIMITED': '1' if limited else '0',
           'CENSUS_WORK': WORK, 'DISPLAY': ':0', 'TERM': 'xterm'}
    command = (f'export {" ".join(f"{k}={v}" for k, v in env.items())}; '
               f'cd "$(mktemp -d)" && exec timeout -k 5 {case.timeout} {inner}')
    try:
        proc = subprocess.run(['su', '-l', case.user, '-c', command],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=case.timeout + 60,
                              check=False)
        status, out = proc.returncode, proc.stdout.decode(errors='replace')
    except subprocess.TimeoutExpired as err:
        status, out = 124, (err.output or b'').decode(errors='replace')
    with open(os.path.join(RESULTS, f'{case.name}.{kind}.log'), 'w', encoding='utf-8') as f:
        f.write(f'$ su -l {case.user} -c {shlex.quote(command)}\n{case.command}\n'
                f'--- exit status {status}\n{out}')
    return status, out


def judge(expect, status, out):
    """(matches, what the table shows) for one run."""
    outcome, want_status, regex, _ = expect
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    shown = None
    found = regex.search(out) if regex else None
    if found:
        start = out.rfind('\n', 0, found.start()) + 1
        end = out.find('\n', found.end())
        shown = out[start:end if end >= 0 else None].strip()
    elif lines:
        shown = lines[-1]
    if status == 124:
        text = f'hung (killed after the timeout){": " + shown if shown else ""}'
    elif status == 0:
        text = 'ok' + (f': {shown}' if regex and shown else '')
    else:
        text = f'exit {status}' + (f': {shown}' if shown else '')
    ok = (status == 0) if outcome == 'ok' else (status not in (0, 124))
    if want_status is not None and status != want_status:
        ok = False
    if regex and not found:
        ok = False
    return ok, text


def cell(text, limit=90):
    text = ' '.join(text.split())
    if len(text) > limit:
        text = text[:limit - 1] + '…'
    return text.replace('|', '\\|')


def code(text, limit=70):
    text = cell(text, limit).replace('`', "'")
    return f'`{text}`'


def expected_text(expect):
    outcome, status, regex, _ = expect
    text = outcome + (f' {status}' if status is not None else '')
    if regex:
        text += f' ~ {regex.pattern}'
    return text


def version(text):
    """(major, minor) of a kernel release or a Kernel: field."""
    return tuple(int(n) for n in re.match(r'([0-9]+)\.([0-9]+)', text).groups())


def main():
    cases = parse_cases(os.path.join(HERE, 'cases'))
    shutil.rmtree(RESULTS, ignore_errors=True)
    os.makedirs(RESULTS)
    start = time.monotonic()
    try:
        setup()
    except (RuntimeError, OSError, subprocess.SubprocessError) as err:
        print(f'census: {err}', flush=True)
        with open(os.path.join(RESULTS, 'verdicts'), 'w', encoding='ascii') as f:
            f.write('fail setup\n')
        print('0 passed, 1 failed')
        return 1
    print(f'census: set up in {time.monotonic() - start:.0f} s; '
          f'{len(cases)} cases, each run unrestricted and limited', flush=True)

    rows, verdicts, notes = [], [], []
    release = os.uname().release
    for case in cases:
        if case.kernel and version(release) < version(case.kernel):
            why = f'what it tries exists from Linux {case.kernel} on, this is {release}'
            verdicts.append(f'skip {case.name}: {why}')
            rows.append(f'| {case.name} | {code(case.summary)} | | | | skipped: {why} |')
            print(f'  skip {case.name}: {why}', flush=True)
            continue
        results = {}
        for kind in ('unrestricted', 'limited'):
            status, out = run(case, kind)
            results[kind] = judge(case.expect[kind], status, out)
        passed = all(ok for ok, _ in results.values())
        verdict = 'pass' if passed else 'FAIL'
        verdicts.append(f'{"pass" if passed else "fail"} {case.name}')
        expected = (f'{expected_text(case.expect["unrestricted"])} / '
                    f'{expected_text(case.expect["limited"])}')
        if case.limitation:
            verdict += ' (limitation)'
        rows.append(f'| {case.name} | {code(case.summary)} | '
                    f'{cell(results["unrestricted"][1])} | {cell(results["limited"][1])} | '
                    f'{cell(expected, 120)} | {verdict} |')
        note = f'- **{case.name}**: {case.why}'
        if case.limitation:
            note += f' *Limitation:* {case.limitation}'
        notes.append(note)
        mark = 'ok  ' if passed else 'FAIL'
        print(f'  {mark} {case.name}: unrestricted {results["unrestricted"][1]!r}; '
              f'limited {results["limited"][1]!r}', flush=True)

    npass = sum(v.startswith('pass') for v in verdicts)
    nfail = sum(v.startswith('fail') for v in verdicts)
    nskip = len(verdicts) - npass - nfail
    uname = os.uname()
    table = [
        f'Census of {len(cases)} cases on {uname.sysname} {uname.release} '
        f'({uname.version}), Debian {open("/etc/debian_version").read().strip()}; '
        f'{time.monotonic() - start:.0f} s in the guest.',
        '',
        '| case | command | unrestricted | limited | expected (unrestricted / limited) | verdict |',
        '| --- | --- | --- | --- | --- | --- |',
        *rows,
        '',
        f'{npass} passed, {nfail} failed' + (f', {nskip} skipped' if nskip else ''),
        '',
        'Why each case expects what it does:',
        '',
        *notes,
    ]
    with open(os.path.join(RESULTS, 'census.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(table) + '\n')
    with open(os.path.join(RESULTS, 'verdicts'), 'w', encoding='ascii') as f:
        f.write('\n'.join(verdicts) + '\n')
    with open(os.path.join(RESULTS, 'journal.txt'), 'w', encoding='utf-8') as f:
        subprocess.run(['journalctl', '-b', '--no-pager', '-o', 'short-monotonic'],
                       stdout=f, stderr=subprocess.STDOUT, check=False)
    print()
    print('\n'.join(table[2:len(rows) + 4]))
    print()
    print(f'{npass} passed, {nfail} failed' + (f', {nskip} skipped' if nskip else ''))
    return 1 if nfail else 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except CaseError as err:
        print(f'census: {err}', file=sys.stderr)
        sys.exit(2)
