#!/usr/bin/env python3
"""Integration tests of the elfstatsd daemon and of `elfstatsd once`, against the real binary.

The main test starts `elfstatsd run --foreground` with a 1-second interval on two logs that a
writer thread appends to (lines made by scripts/genlog, their times rewritten to now, in +0200), and
meanwhile: rotates by rename + create, by copytruncate, and by templated hourly names (the hour
turns during the test thanks to `?ts=`), appends late lines to a log renamed away, writes a line in two halves, kills the daemon with -9
and starts it again (taking over the stale pid file), tries a second start, sends SIGHUP with a
valid and with an invalid configuration, deletes a log, and finally stops the daemon with
SIGTERM. Then the sum of records.total over all rounds must equal the lines written, and the
calls per method must equal the ground truth computed here with Python's `re`.

Every report is collected by polling (each round's report replaces the last, so the poller keys
them by daemon_invoked); the daemon's own log, which holds one line per data file and round (and
at debug level the calls per method), fills in any round the poller missed. Where both exist
they must agree.

Usage: daemon_test.py BINARY    (prints "N passed, N failed" last; exits 1 on any failure)
"""
import os, re, shutil, signal, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GENLOG = os.environ.get("GENLOG", os.path.join(REPO, "scripts", "genlog"))
BINARY = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(REPO, ".build", "debug", "elfstatsd")

VALID = [r"^/content/(?P<group>[\w.-]+)/(?P<method>[\w.-]+)", r"^/content/(?P<method>[\w.-]+)", r"^/(?P<group>user)/\d+/(?P<method>\w+)"]
SKIP = [r"^/static/", r"^/$"]
FORBIDDEN = re.compile(r"[.-]")
TIME_FIELD = re.compile(r"\[[^\]]*\]")

from tally import check, summary
from report_file import local_epoch, parse_report, stamp


def config_text(directory, interval=1, extra=""):
    """The test configuration; `extra` goes before the tables."""
    valid = ", ".join("'%s'" % v for v in VALID)
    skip = ", ".join("'%s'" % v for v in SKIP)
    return f"""interval = {interval}
valid_requests = [{valid}]
requests_to_skip = [{skip}]
state_dir = '{directory}/state'
pid_dir = '{directory}/run'
log_dir = '{directory}/log'
log_level = 'debug'
max_log_file_size = 50000
max_log_files = 40
{extra}
[[data_files]]
name = 'plain'
log = '{directory}/plain/access_log'
previous_log = '{directory}/plain/access_log.1'
report = '{directory}/reports/plain.data'
"""


def hourly_table(directory, shift):
    return f"""
[[data_files]]
name = 'hourly'
log = '{directory}/hourly/access_log-%Y-%m-%d-%H?ts={shift}&ts-name-only=true'
report = '{directory}/reports/hourly.data'
"""


def method_of(line):
    """The method id elfstatsd must count this generated line under, or None (skipped/error)."""
    m = re.search(r'"\S+ (\S+) HTTP/1\.1"', line)
    if not m:
        return None
    request = m.group(1)
    for pattern in VALID:
        found = re.search(pattern, request)
        if found:
            group = found.groupdict().get("group") or "nogroup"
            return FORBIDDEN.sub("", group + "_" + found.group("method"))
    return None


class ReportCollector(threading.Thread):
    """Reads every report file every 30 ms and keeps each round's report once."""

    def __init__(self, paths):
        super().__init__(daemon=True)
        self.paths = paths
        self.reports = {}          # (name, round) -> sections
        self.problems = []
        self.modes = set()
        self.running = True

    def run(self):
        while self.running:
            for name, path in self.paths.items():
                try:
                    with open(path) as f:
                        text = f.read()
                    self.modes.add(os.stat(path).st_mode & 0o777)
                except OSError:
                    continue
                sections, bad = parse_report(text)
                meta = sections.get("metadata", {})
                records = sections.get("records")
                if bad or "daemon_invoked" not in meta or records is None:
                    self.problems.append("incomplete report for %s: %r" % (name, text[:200]))
                    continue
                key = (name, local_epoch(meta["daemon_invoked"]))
                if key in self.reports and self.reports[key] != sections:
                    self.problems.append("two different reports for %s round %s" % key)
                self.reports.setdefault(key, sections)
            time.sleep(0.03)


class Writer(threading.Thread):
    """Appends generated lines, stamped now, to each log, opening it per write (O_APPEND), and
    records the ground truth of what it wrote."""

    def __init__(self, templates, paths):
        super().__init__(daemon=True)
        self.templates = templates
        self.paths = paths         # name -> function giving the path to write now
        self.lock = threading.Lock()
        self.paused = set()
        self.written = {name: 0 for name in paths}
        self.calls = {name: {} for name in paths}
        self.running = True
        self.index = 0

    def record(self, name, line):
        self.written[name] += 1
        method = method_of(line)
        if method:
            self.calls[name][method] = self.calls[name].get(method, 0) + 1

    def next_line(self, now):
        template = self.templates[self.index % len(self.templates)]
        self.index += 1
        if self.index % 97 == 0:
            return "garbage line without a time"
        return TIME_FIELD.sub(lambda _: stamp(now), template, count=1)

    def run(self):
        while self.running:
            with self.lock:
                now = time.time()
                for name, path_of in self.paths.items():
                    if name in self.paused:
                        continue
                    lines = [self.next_line(now) for _ in range(3)]
                    with open(path_of(now), "a") as f:
                        f.write("\n".join(lines) + "\n")
                    for line in lines:
                        self.record(name, line)
            time.sleep(0.02)


def daemon_log_rounds(log_dir):
    """(name, round) -> (total, calls) from the daemon's own log and its rotated files."""
    totals, calls = {}, {}
    files = sorted(f for f in os.listdir(log_dir) if f.startswith("elfstatsd.log"))
    for name in files:
        with open(os.path.join(log_dir, name), errors="replace") as f:
            for line in f:
                m = re.search(r"round=(\d+) (\w+) records=(\d+) ", line)
                if m:
                    totals[(m.group(2), int(m.group(1)))] = int(m.group(3))
                m = re.search(r"round=(\d+) (\w+) calls ?(.*)$", line)
                if m:
                    pairs = dict(p.split("=", 1) for p in m.group(3).split())
                    calls[(m.group(2), int(m.group(1)))] = {k: int(v) for k, v in pairs.items()}
    return totals, calls


def read_log(log_dir):
    text = ""
    for name in sorted(os.listdir(log_dir)):
        if name.startswith("elfstatsd.log"):
            with open(os.path.join(log_dir, name), errors="replace") as f:
                text += f.read()
    return text


def wait_for(condition, timeout, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def start_daemon(config, directory):
    err = open(os.path.join(directory, "daemon-stderr.txt"), "a")
    process = subprocess.Popen([BINARY, "run", "--config", config, "--foreground"], stdout=err, stderr=err)
    pid_file = os.path.join(directory, "run", "elfstatsd.pid")
    def running():
        try:
            with open(pid_file) as f:
                return f.read().strip() == str(process.pid)
        except OSError:
            return False
    return process, wait_for(running, 10)


def main_test():
    directory = tempfile.mkdtemp(prefix="elfstatsd-daemon-test-")
    try:
        run_main_test(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run_main_test(directory):
    print("--- daemon: rounds, rotations, restarts, signals (in %s)" % directory)
    templates = subprocess.run([sys.executable, GENLOG, "--lines", "3000", "--seed", "11"],
                               check=True, capture_output=True, text=True).stdout.splitlines()
    for sub in ("plain", "hourly", "reports"):
        os.makedirs(os.path.join(directory, sub))
    plain = os.path.join(directory, "plain", "access_log")
    # The hour of the templated name turns about 14 s into the test.
    turn = time.time() + 14
    lt = time.localtime(turn)
    shift = 3600 - (lt.tm_min * 60 + lt.tm_sec)
    hourly_pattern = os.path.join(directory, "hourly", "access_log-%Y-%m-%d-%H")
    hourly_path = lambda now: time.strftime(hourly_pattern, time.localtime(int(now) + shift))
    config = os.path.join(directory, "elfstatsd.conf")
    base_config = config_text(directory) + hourly_table(directory, shift)
    with open(config, "w") as f:
        f.write(base_config)
    open(plain, "w").close()
    open(hourly_path(time.time()), "w").close()

    process, started = start_daemon(config, directory)
    check("daemon starts in the foreground and writes its pid file", started)
    collector = ReportCollector({"plain": os.path.join(directory, "reports", "plain.data"),
                                 "hourly": os.path.join(directory, "reports", "hourly.data")})
    collector.start()
    writer = Writer(templates, {"plain": lambda now: plain, "hourly": hourly_path})
    writer.start()
    time.sleep(3)

    # rename + create (logrotate's default); the writer's next line creates the new file.
    with writer.lock:
        os.rename(plain, plain + ".1")
    # An old server process logs its last requests to the renamed file a little later.
    time.sleep(0.5)
    with writer.lock:
        late = [writer.next_line(time.time()) for _ in range(2)]
        with open(plain + ".1", "a") as f:
            f.write("\n".join(late) + "\n")
        for line in late:
            writer.record("plain", line)
    time.sleep(2)

    # copytruncate: copy, then truncate in place, with no line written in between.
    with writer.lock:
        shutil.copyfile(plain, plain + ".1")
        os.truncate(plain, 0)
    time.sleep(2.5)

    # A line written in two halves, the second one two rounds later.
    with writer.lock:
        writer.paused.add("plain")
        line = writer.next_line(time.time())
        with open(plain, "a") as f:
            f.write(line[:40])
    time.sleep(2.2)
    with writer.lock:
        with open(plain, "a") as f:
            f.write(line[40:] + "\n")
        writer.record("plain", line)
        writer.paused.discard("plain")
    time.sleep(1.5)

    # kill -9, a pause while the writer goes on, and a restart that takes over the pid file.
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(1.7)
    check("after kill -9 the pid file is left behind", os.path.exists(os.path.join(directory, "run", "elfstatsd.pid")))
    process, started = start_daemon(config, directory)
    # The log line may come after the pid file that start_daemon waits for: wait for it too.
    check("a restart takes over the stale pid file", started and
          wait_for(lambda: "took over the pid file" in read_log(os.path.join(directory, "log")), 5))
    second = subprocess.run([BINARY, "run", "--config", config], capture_output=True, text=True, timeout=20)
    check("a second start is refused while the daemon runs", second.returncode != 0 and "already running" in second.stderr,
          "exit %s, stderr %r" % (second.returncode, second.stderr))
    time.sleep(2)

    # SIGHUP with a valid configuration: rc302 is reported, and rounds come every 2 s, from the
    # next round on.
    with open(config, "w") as f:
        f.write(config_text(directory, interval=2, extra="response_codes = [200, 302, 404, 500]") + hourly_table(directory, shift))
    reload_time = time.time()
    process.send_signal(signal.SIGHUP)
    check("a valid reload applies from the next round",
          wait_for(lambda: any(r > reload_time + 1 and "rc302" in s.get("response_codes", {})
                               for (n, r), s in list(collector.reports.items())), 6))
    time.sleep(4.5)
    later = sorted(r for (n, r), s in list(collector.reports.items()) if n == "plain" and r > reload_time + 1)
    check("the new interval applies after a reload", len(later) >= 2 and all(r % 2 == 0 for r in later)
          and all(b - a == 2 for a, b in zip(later, later[1:])), str(later))

    # SIGHUP with an invalid configuration: logged, the old one stays, rounds go on.
    with open(config, "w") as f:
        f.write("interval = 'soon'\n" + base_config.split("\n", 1)[1])
    bad_time = time.time()
    process.send_signal(signal.SIGHUP)
    check("an invalid reload is logged with its line",
          wait_for(lambda: re.search(r"error: reload: .*elfstatsd.conf:1: interval", read_log(os.path.join(directory, "log"))), 5))
    check("after an invalid reload the old configuration goes on",
          wait_for(lambda: any(r > bad_time + 1 and "rc302" in s.get("response_codes", {})
                               for (n, r), s in list(collector.reports.items())), 6))
    check("the daemon is still running after the reloads", process.poll() is None)

    # The log is deleted; nothing is written for two rounds; then it comes back.
    with writer.lock:
        writer.paused.add("plain")
        os.unlink(plain)
    deleted_time = time.time()
    check("a deleted log gets reports with an error key",
          wait_for(lambda: any(n == "plain" and r > deleted_time + 1 and "No such file" in s["metadata"].get("error", "")
                               for (n, r), s in list(collector.reports.items())), 6))
    with writer.lock:
        writer.paused.discard("plain")
    back_time = time.time()
    check("a log that comes back is read again, its reports without the error key",
          wait_for(lambda: any(n == "plain" and r > back_time + 1 and "error" not in s["metadata"]
                               and int(s["records"]["total"]) > 0 for (n, r), s in list(collector.reports.items())), 6))

    # Make sure the hour turned during the test, then let the last records be reported.
    wait_for(lambda: time.time() > turn + 3, 30)
    writer.running = False
    writer.join()
    stop_writing = time.time()
    check("the templated log switched files during the test",
          len(os.listdir(os.path.join(directory, "hourly"))) == 2, str(os.listdir(os.path.join(directory, "hourly"))))
    wait_for(lambda: all(any(n == name and r >= stop_writing + 2 for (n, r) in list(collector.reports))
                         for name in ("plain", "hourly")), 8)
    time.sleep(0.3)

    stop_sent = time.time()
    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        status = None
        process.kill()
    check("SIGTERM stops the daemon with status 0 within 5 s", status == 0, "status %s after %.1f s" % (status, time.time() - stop_sent))
    check("the pid file is removed at exit", not os.path.exists(os.path.join(directory, "run", "elfstatsd.pid")))
    collector.running = False
    collector.join()

    check("every report read was complete", not collector.problems, "; ".join(collector.problems[:3]))
    check("reports are readable by everyone (0644)", collector.modes == {0o644}, str(collector.modes))

    late = [(key, s["metadata"]["last_record"]) for key, s in collector.reports.items()
            if s["metadata"].get("last_record", "U") != "U" and local_epoch(s["metadata"]["last_record"]) >= key[1]]
    check("no report holds a record at or after its round start", not late, str(late[:3]))

    log_totals, log_calls = daemon_log_rounds(os.path.join(directory, "log"))
    disagreements = []
    for key, total in log_totals.items():
        if key in collector.reports and int(collector.reports[key]["records"]["total"]) != total:
            disagreements.append("%s: log %d, report %s" % (key, total, collector.reports[key]["records"]["total"]))
    check("the daemon's log and its reports agree", not disagreements, "; ".join(disagreements[:3]))
    missed = [k for k in log_totals if k not in collector.reports]
    print("       %d rounds reported, %d reports collected, %d taken from the daemon's log" % (
        len(set(log_totals) | set(collector.reports)), len(collector.reports), len(missed)))

    for name in ("plain", "hourly"):
        keys = set(k for k in log_totals if k[0] == name) | set(k for k in collector.reports if k[0] == name)
        total = 0
        calls = {}
        for key in keys:
            if key in collector.reports:
                report = collector.reports[key]
                total += int(report["records"]["total"])
                for section, values in report.items():
                    if section.startswith("method_") and int(values.get("calls", 0)):
                        method = section[len("method_"):]
                        calls[method] = calls.get(method, 0) + int(values["calls"])
            else:
                total += log_totals[key]
                for method, count in log_calls.get(key, {}).items():
                    if count:
                        calls[method] = calls.get(method, 0) + count
        check("%s: records.total summed over all rounds equals the lines written (%d)" % (name, writer.written[name]),
              total == writer.written[name], "reported %d, written %d" % (total, writer.written[name]))
        wrong = {m: (calls.get(m, 0), writer.calls[name].get(m, 0))
                 for m in set(calls) | set(writer.calls[name]) if calls.get(m, 0) != writer.calls[name].get(m, 0)}
        check("%s: calls per method equal the ground truth (%d methods)" % (name, len(writer.calls[name])),
              not wrong, "reported vs written: %s" % dict(list(wrong.items())[:5]))

    log_text = read_log(os.path.join(directory, "log"))
    check("the daemon logged the rename + create rotation", "was rotated" in log_text)
    check("the daemon logged the copytruncate rotation", "truncated in place (copytruncate); reading the rest" in log_text)
    sizes = [os.path.getsize(os.path.join(directory, "log", f)) for f in os.listdir(os.path.join(directory, "log"))]
    check("the daemon's own log rotates at max_log_file_size (%d files)" % len(sizes),
          len(sizes) > 1 and max(sizes) <= 50000 and not os.path.exists(os.path.join(directory, "log", "elfstatsd.log.41")), str(sizes))


def once_test():
    directory = tempfile.mkdtemp(prefix="elfstatsd-once-test-")
    try:
        print("--- once (in %s)" % directory)
        config = os.path.join(directory, "elfstatsd.conf")
        with open(config, "w") as f:
            f.write(config_text(directory))
        os.makedirs(os.path.join(directory, "plain"))
        log = os.path.join(directory, "plain", "access_log")
        templates = subprocess.run([sys.executable, GENLOG, "--lines", "500", "--seed", "3"],
                                   check=True, capture_output=True, text=True).stdout.splitlines()
        report = os.path.join(directory, "reports", "plain.data")

        def once():
            run = subprocess.run([BINARY, "once", "--config", config], capture_output=True, text=True, timeout=60)
            m = re.search(r"^plain records=(\d+) parsed=(\d+) skipped=(\d+) errors=(\d+) ms=(\d+)", run.stdout, re.M)
            return run, (int(m.group(1)) if m else None)

        def killed_once(step, lines):
            """Appends the lines, runs once killed at `step` (ELFSTATSD_CRASH_AT); its exit status and the report."""
            with open(log, "a") as f:
                f.write("\n".join(lines) + "\n")
            crashed = subprocess.run([BINARY, "once", "--config", config], capture_output=True, text=True, timeout=60,
                                     env=dict(os.environ, ELFSTATSD_CRASH_AT=step))
            return crashed.returncode, parse_report(open(report).read())[0]

        run, records = once()
        check("once on a missing log exits 0 and says so on stderr", run.returncode == 0 and "No such file" in run.stderr,
              "exit %s, %r" % (run.returncode, run.stderr))
        sections, _ = parse_report(open(report).read())
        check("once on a missing log writes a report with zero counts and an error key",
              sections["records"]["total"] == "0" and "error" in sections["metadata"])

        with open(log, "w") as f:
            f.write("\n".join(templates[:300]) + "\n" + templates[300][:25])
        run, records = once()
        check("once counts the complete lines", run.returncode == 0 and records == 300, "%r" % run.stdout)
        run, records = once()
        check("once run again counts nothing twice", records == 0, "%r" % run.stdout)
        with open(log, "a") as f:
            f.write(templates[300][25:] + "\n" + "\n".join(templates[301:400]) + "\n")
        run, records = once()
        check("the half-written line is counted once its newline arrives", records == 100, "%r" % run.stdout)
        sections, _ = parse_report(open(report).read())
        check("once's report holds its round", sections["records"]["total"] == "100")
        run, records = once()
        check("and a fourth run counts nothing", records == 0, "%r" % run.stdout)

        # A process killed after writing the report but before saving the offsets: the next run
        # adopts the pending offsets (nothing counted twice).
        status, sections = killed_once("after-report", templates[400:450])
        check("a run killed after its report has written that report",
              status == -signal.SIGKILL and sections["records"]["total"] == "50", "exit %s" % status)
        run, records = once()
        check("the next run adopts the offsets of that report and counts nothing twice", records == 0, "%r" % run.stdout)

        # Killed after saving the pending offsets but before the report: the records are read again.
        status, sections = killed_once("after-pending", templates[450:480])
        check("a run killed before its report leaves the previous report",
              status == -signal.SIGKILL and sections["records"]["total"] == "0", "exit %s" % status)
        run, records = once()
        check("the next run reads those records again, once", records == 30, "%r" % run.stdout)

        # An unusable state file: that data file fails with a message naming the file and the fix.
        with open(os.path.join(directory, "state", "plain.state"), "w") as f:
            f.write("rubbish\n")
        run, records = once()
        check("an unusable state file is an error naming it, with the remedy",
              run.returncode == 1 and "plain.state" in run.stderr and "remove the file" in run.stderr, "%r" % run.stderr)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def start_up_test():
    directory = tempfile.mkdtemp(prefix="elfstatsd-start-test-")
    try:
        print("--- start-up: detaching, refusals, --user (in %s)" % directory)
        config = os.path.join(directory, "elfstatsd.conf")
        with open(config, "w") as f:
            f.write("interval = 'x'\n")
        run = subprocess.run([BINARY, "run", "--config", config], capture_output=True, text=True, timeout=20)
        check("a bad configuration is refused with FILE:LINE", run.returncode == 1 and "elfstatsd.conf:1: interval" in run.stderr,
              "exit %s, %r" % (run.returncode, run.stderr))

        with open(config, "w") as f:
            f.write(config_text(directory).replace("pid_dir = '%s/run'" % directory, "pid_dir = '/dev/null/run'"))
        run = subprocess.run([BINARY, "run", "--config", config], capture_output=True, text=True, timeout=20)
        check("an unusable pid_dir is refused with a clear message", run.returncode == 1 and "/dev/null/run" in run.stderr,
              "exit %s, %r" % (run.returncode, run.stderr))

        # Detached, as the init script starts it, and as an unprivileged user.
        # pid_dir and log_dir are left for the daemon to create (and hand to --user).
        os.chmod(directory, 0o755)
        for sub in ("state", "reports", "plain"):
            os.makedirs(os.path.join(directory, sub), exist_ok=True)
        with open(config, "w") as f:
            f.write(config_text(directory, interval=2))
        user = None
        if os.geteuid() == 0:
            import pwd
            try:
                user = pwd.getpwnam("nobody")
                for sub in ("state", "reports"):
                    os.chown(os.path.join(directory, sub), user.pw_uid, user.pw_gid)
            except KeyError:
                user = None
        if user:
            # A second log that the unprivileged user may not read.
            os.makedirs(os.path.join(directory, "secret"))
            with open(os.path.join(directory, "secret", "access_log"), "w") as f:
                f.write("x\n")
            os.chmod(os.path.join(directory, "secret", "access_log"), 0o600)
            with open(config, "a") as f:
                f.write("\n[[data_files]]\nname = 'secret'\nlog = '%s/secret/access_log'\nreport = '%s/reports/secret.data'\n"
                        % (directory, directory))
        arguments = [BINARY, "run", "--config", config] + (["--user", "nobody"] if user else [])
        started = time.time()
        run = subprocess.run(arguments, capture_output=True, text=True, timeout=20)
        check("a detached start returns 0 once the daemon runs", run.returncode == 0, "exit %s, %r" % (run.returncode, run.stderr))
        pid_file = os.path.join(directory, "run", "elfstatsd.pid")
        pid = int(open(pid_file).read()) if os.path.exists(pid_file) else 0
        alive = pid > 0 and os.path.exists("/proc/%d" % pid)
        check("the detached daemon runs under the pid in its pid file", alive)
        if alive and user:
            status = open("/proc/%d/status" % pid).read()
            uid = re.search(r"^Uid:\s+(\d+)", status, re.M).group(1)
            check("--user drops privileges to that user", uid == str(user.pw_uid), "uid %s" % uid)
        # All 50 lines appear at once (a rename), so that one round reads them all.
        with open(os.path.join(directory, "plain", "access_log.tmp"), "w") as f:
            f.write("\n".join(TIME_FIELD.sub(lambda _: stamp(time.time() - 1), l) for l in
                              subprocess.run([sys.executable, GENLOG, "--lines", "50"], capture_output=True, text=True).stdout.splitlines()) + "\n")
        os.rename(os.path.join(directory, "plain", "access_log.tmp"), os.path.join(directory, "plain", "access_log"))
        report = os.path.join(directory, "reports", "plain.data")
        check("the detached daemon writes reports", wait_for(lambda: os.path.exists(report)
              and parse_report(open(report).read())[0].get("records", {}).get("total") == "50", 6))
        if os.path.exists(report):
            invoked = local_epoch(parse_report(open(report).read())[0]["metadata"]["daemon_invoked"])
            check("rounds start at multiples of the interval", invoked % 2 == 0, str(invoked))
        if user:
            secret = os.path.join(directory, "reports", "secret.data")
            check("an unreadable log gets a report with an error key; the other logs go on",
                  wait_for(lambda: os.path.exists(secret) and "Permission denied" in
                           parse_report(open(secret).read())[0]["metadata"].get("error", ""), 6))
            # The report and the log line are written one after the other, in either order: wait.
            check("the daemon's log says which file is unreadable and what to do",
                  wait_for(lambda: re.search(r"error: secret: cannot open .*secret/access_log: Permission denied.*check",
                                             read_log(os.path.join(directory, "log"))), 6))
        if alive:
            os.kill(pid, signal.SIGTERM)
            check("SIGTERM stops the detached daemon and removes its pid file",
                  wait_for(lambda: not os.path.exists("/proc/%d" % pid) and not os.path.exists(pid_file), 5))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def stop_during_backlog_test():
    directory = tempfile.mkdtemp(prefix="elfstatsd-stop-test-")
    try:
        print("--- SIGTERM during a long round (in %s)" % directory)
        config = os.path.join(directory, "elfstatsd.conf")
        with open(config, "w") as f:
            f.write(config_text(directory, interval=2))
        os.makedirs(os.path.join(directory, "plain"))
        log = os.path.join(directory, "plain", "access_log")
        open(log, "w").close()
        process, started = start_daemon(config, directory)
        check("the daemon starts", started)
        template = subprocess.run([sys.executable, GENLOG, "--lines", "1"], capture_output=True, text=True).stdout.strip()
        count = 400000
        with open(log, "a") as f:
            f.write((TIME_FIELD.sub(lambda _: stamp(time.time()), template) + "\n") * count)
        # Into the first round that reads the backlog, then SIGTERM.
        now = time.time()
        time.sleep((int(now) // 2 + 1) * 2 - now + 0.3)
        sent = time.time()
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            status = None
            process.kill()
        check("SIGTERM in the middle of a long round exits 0 within 5 s", status == 0,
              "status %s after %.1f s" % (status, time.time() - sent))
        process, started = start_daemon(config, directory)
        log_dir = os.path.join(directory, "log")
        def all_reported():
            totals, _ = daemon_log_rounds(log_dir)
            return sum(totals.values()) >= count
        wait_for(all_reported, 60, 0.5)
        time.sleep(2.5)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        totals, _ = daemon_log_rounds(log_dir)
        check("after the restart the rest of the backlog is counted, nothing twice", sum(totals.values()) == count,
              "%d of %d in %d rounds" % (sum(totals.values()), count, len(totals)))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    if not os.path.exists(BINARY):
        print("no elfstatsd binary at %s" % BINARY)
        print("0 passed, 1 failed")
        sys.exit(1)
    started = time.time()
    for test in (once_test, start_up_test, stop_during_backlog_test, main_test):
        try:
            test()
        except Exception as error:  # a crash of the driver is a failure, not a stack trace only
            import traceback
            traceback.print_exc()
            check("%s ran to its end" % test.__name__, False, repr(error))
    print("(%.0f s)" % (time.time() - started))
    sys.exit(summary())
