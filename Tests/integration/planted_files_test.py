#!/usr/bin/env python3
"""Files planted by the service account, against the real binary run as root.

The pid, log, state and report directories belong to the account elfstatsd runs as, which may
be an attacker. For every file elfstatsd writes there (pid file, its own log and the rotated
names, the state, the pending state, the lock, the reports) this plants, in turn, a symbolic
link and a hard link to a file of root's (mode 0600), then runs `elfstatsd run --user ACCOUNT`
and `elfstatsd once` as root. Each time the root file must keep its owner, mode, content and
link count, and elfstatsd must say which path it refused and why. Also: a FIFO as pid file (no
hang), a report of a third user, and a symbolic link among the report's directories.

The account is a real one, made with useradd for the test and removed at the end. The symbolic
links are owned by it, as if it had made them. The hard links are made by the test as root:
with fs.protected_hardlinks=1 (the default of most distributions) the account could not link a
file of root's itself, but elfstatsd must not rely on that setting.

Usage: planted_files_test.py BINARY    (as root; prints "N passed, N failed" last)
"""
import os, pwd, secrets, shutil, signal, subprocess, sys, tempfile, time

BINARY = os.path.abspath(sys.argv[1])
from tally import check, summary


class Victim:
    """A file of root's, mode 0600, that no elfstatsd run may change."""

    def __init__(self, directory, name):
        self.path = os.path.join(directory, name)
        self.content = "root's secret %s\n" % secrets.token_hex(8)
        with open(self.path, "w") as f:
            f.write(self.content)
        os.chown(self.path, 0, 0)
        os.chmod(self.path, 0o600)

    def problems(self, links=1):
        status = os.lstat(self.path)
        found = []
        if open(self.path).read() != self.content:
            found.append("content changed")
        if (status.st_uid, status.st_gid) != (0, 0):
            found.append("owner now %d:%d" % (status.st_uid, status.st_gid))
        if status.st_mode & 0o7777 != 0o600:
            found.append("mode now %o" % (status.st_mode & 0o7777))
        if status.st_nlink != links:
            found.append("%d links" % status.st_nlink)
        return found


class Setup:
    def __init__(self, account):
        self.account = account
        self.top = tempfile.mkdtemp(prefix="planted-test.")
        os.chmod(self.top, 0o755)
        self.secret = os.path.join(self.top, "secret")
        os.mkdir(self.secret, 0o700)
        self.service = os.path.join(self.top, "service")
        os.mkdir(self.service, 0o755)
        for sub in ("run", "log", "state", "reports"):
            path = os.path.join(self.service, sub)
            os.mkdir(path, 0o755)
            os.chown(path, account.pw_uid, account.pw_gid)
        logs = os.path.join(self.top, "logs")
        os.mkdir(logs, 0o755)
        self.log = os.path.join(logs, "access_log")
        with open(self.log, "w") as f:
            f.write('10.0.0.1 - - [08/Aug/2013:10:59:59 +0200] "GET /content/shop/basket HTTP/1.1" 200 512\n')
        os.chmod(self.log, 0o644)
        self.config = os.path.join(self.top, "elfstatsd.conf")
        self.write_config(os.path.join(self.service, "reports", "web.data"))

    def write_config(self, report):
        with open(self.config, "w") as f:
            f.write(f"""interval = 1
log_format = '%h %l %u %t "%r" %>s %b'
state_dir = '{self.service}/state'
pid_dir = '{self.service}/run'
log_dir = '{self.service}/log'
max_log_file_size = 2000
max_log_files = 3
[[data_files]]
name = 'web'
log = '{self.log}'
report = '{report}'
""")
        os.chmod(self.config, 0o644)

    def path(self, relative):
        return os.path.join(self.service, relative)

    def plant(self, relative, kind, victim):
        path = self.path(relative)
        if kind == "symbolic link":
            os.symlink(victim.path, path)
            os.lchown(path, self.account.pw_uid, self.account.pw_gid)
        else:
            os.link(victim.path, path)

    def daemon_log(self):
        try:
            return open(self.path("log/elfstatsd.log"), errors="replace").read()
        except OSError:
            return ""

    def remove(self):
        shutil.rmtree(self.top, ignore_errors=True)


def run_daemon(setup, seconds):
    """`run --user` as root in the foreground; stopped after `seconds` unless it exits first."""
    process = subprocess.Popen([BINARY, "run", "--foreground", "--config", setup.config, "--user", setup.account.pw_name],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        try:
            out, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    return process.returncode, err


def run_once(setup):
    run = subprocess.run([BINARY, "once", "--config", setup.config], capture_output=True, text=True, timeout=30)
    return run.returncode, run.stderr


# What to plant, where, and what elfstatsd must say: (file, path in the service directory,
# refusal verb, whether the daemon fails at start, which commands write it).
TARGETS = [
    ("pid file", "run/elfstatsd.pid", "write", True, ["run"]),
    ("daemon log", "log/elfstatsd.log", "write", True, ["run"]),
    ("rotated daemon log", "log/elfstatsd.log.1", "rotate the log through", False, ["run"]),
    ("lock", "state/elfstatsd.lock", "lock", True, ["run", "once"]),
    ("state", "state/web.state", "read", False, ["run", "once"]),
    ("pending state", "state/web.state.pending", "replace", False, ["run", "once"]),
    ("report", "reports/web.data", "replace", False, ["run", "once"]),
]


def planted_case(account, target, kind, command):
    label, relative, verb, fails_at_start, _ = target
    setup = Setup(account)
    try:
        victim = Victim(setup.secret, "victim")
        if relative == "log/elfstatsd.log.1":
            # A full log of the account's own, so that the first line written rotates it.
            with open(setup.path("log/elfstatsd.log"), "w") as f:
                f.write("x" * 3000 + "\n")
            os.chown(setup.path("log/elfstatsd.log"), account.pw_uid, account.pw_gid)
        setup.plant(relative, kind, victim)
        if command == "run":
            status, err = run_daemon(setup, 1 if fails_at_start else 3)
        else:
            status, err = run_once(setup)
        said = err + setup.daemon_log()
        expected = "refusing to %s %s: it %s" % (verb, setup.path(relative),
                                                 "is a symbolic link" if kind == "symbolic link" else "has 2 hard links")
        name = "%s: %s as root, %s planted as the %s" % (label, "run --user" if command == "run" else "once", kind, label)
        problems = victim.problems(links=1 if kind == "symbolic link" else 2)
        check(name + ": root's file keeps owner, mode, content", not problems, "; ".join(problems))
        check(name + ": refused with a message naming it", expected in said,
              "expected %r in:\n%s" % (expected, said[-1500:]))
        if fails_at_start:
            check(name + ": %s exits 1" % ("the daemon does not start:" if command == "run" else "it"), status == 1, "exit %s" % status)
        elif command == "once" and label != "state":
            check(name + ": once exits 1", status == 1, "exit %s" % status)
    finally:
        setup.remove()


def fifo_case(account):
    setup = Setup(account)
    try:
        os.mkfifo(setup.path("run/elfstatsd.pid"))
        os.chown(setup.path("run/elfstatsd.pid"), account.pw_uid, account.pw_gid)
        started = time.time()
        status, err = run_daemon(setup, 5)
        check("a FIFO as pid file is refused at once, without hanging (%.1f s)" % (time.time() - started),
              status == 1 and "it is a FIFO, not a regular file" in err and time.time() - started < 4, err[-500:])
    finally:
        setup.remove()


def foreign_owner_case(account, other):
    setup = Setup(account)
    try:
        with open(setup.path("reports/web.data"), "w") as f:
            f.write("a report of someone else\n")
        os.chown(setup.path("reports/web.data"), other.pw_uid, other.pw_gid)
        status, err = run_once(setup)
        check("once refuses a report of a third user (uid %d)" % other.pw_uid,
              status == 1 and "it belongs to uid %d" % other.pw_uid in err
              and open(setup.path("reports/web.data")).read() == "a report of someone else\n", err[-500:])
    finally:
        setup.remove()


def directory_link_case(account):
    setup = Setup(account)
    try:
        # The account swaps a report directory for a link to a directory of root's.
        os.symlink(setup.secret, setup.path("reports/daily"))
        os.lchown(setup.path("reports/daily"), account.pw_uid, account.pw_gid)
        setup.write_config(setup.path("reports/daily/web.data"))
        status, err = run_once(setup)
        check("once refuses a report directory that is a link the account planted",
              status == 1 and "the path goes through a symbolic link in a directory that uid %d may change" % account.pw_uid in err
              and os.listdir(setup.secret) == [], err[-500:])
    finally:
        setup.remove()


def root_log_case(account):
    """A log of root's (from a start as root without --user) is rotated away, not written."""
    setup = Setup(account)
    try:
        with open(setup.path("log/elfstatsd.log"), "w") as f:
            f.write("written by root\n")
        os.chmod(setup.path("log/elfstatsd.log"), 0o644)
        status, err = run_daemon(setup, 2)
        old = setup.path("log/elfstatsd.log.1")
        check("run --user finds root's log, moves it to elfstatsd.log.1 untouched and starts a new one (exit %s)" % status,
              status == 0 and os.path.exists(old) and open(old).read() == "written by root\n" and os.lstat(old).st_uid == 0
              and os.lstat(setup.path("log/elfstatsd.log")).st_uid == account.pw_uid, err[-500:])
    finally:
        setup.remove()


def clean_run_case(account):
    """Nothing planted: the daemon as the account writes everything, mode 0644, owned by it."""
    setup = Setup(account)
    try:
        with open(setup.log, "a") as f:
            now = time.strftime("%d/%b/%Y:%H:%M:%S %z", time.localtime(time.time() - 1))
            f.write('10.0.0.1 - - [%s] "GET /content/shop/basket HTTP/1.1" 200 512\n' % now)
        status, err = run_daemon(setup, 3)
        report = setup.path("reports/web.data")
        owners = {os.lstat(setup.path(p)).st_uid for p in ("log/elfstatsd.log", "state/elfstatsd.lock", "reports/web.data")
                  if os.path.exists(setup.path(p))}
        check("without plants run --user writes its files as the account (exit %s)" % status,
              status == 0 and os.path.exists(report) and owners == {account.pw_uid}
              and os.stat(report).st_mode & 0o777 == 0o644, "owners %s; %s" % (owners, err[-500:]))
        leftovers = [n for d in ("reports", "state") for n in os.listdir(setup.path(d)) if n.endswith(".tmp")]
        check("no temporary file is left", not leftovers, str(leftovers))
    finally:
        setup.remove()


def main():
    if os.geteuid() != 0:
        print("planted_files_test.py: run as root (it runs elfstatsd as root and adds a user)")
        print("0 passed, 1 failed")
        return 1
    names = ["elfplant%s" % secrets.token_hex(3), "elfother%s" % secrets.token_hex(3)]
    nologin = "/usr/sbin/nologin" if os.path.exists("/usr/sbin/nologin") else "/sbin/nologin"
    try:
        for name in names:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", nologin, name], check=True)
        account, other = (pwd.getpwnam(n) for n in names)
        started = time.time()
        for target in TARGETS:
            for command in target[4]:
                for kind in ("symbolic link", "hard link"):
                    planted_case(account, target, kind, command)
        fifo_case(account)
        foreign_owner_case(account, other)
        directory_link_case(account)
        root_log_case(account)
        clean_run_case(account)
        print("(%d s)" % (time.time() - started))
    finally:
        for name in names:
            subprocess.run(["userdel", name], capture_output=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
