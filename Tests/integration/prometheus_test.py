#!/usr/bin/env python3
"""The daemon's /metrics against a real Prometheus server, and against hostile clients.

Starts `elfstatsd run --foreground` with interval = 2 and [prometheus] listen on a free
loopback port, on a log that a writer thread appends scripts/genlog lines to (stamped now), and
a Prometheus server of its own (127.0.0.1, free port, its own TSDB in the work folder) scraping
it every second. Then:

- the endpoint: text format 0.0.4 that promtool accepts, OpenMetrics when asked for, 404 and
  405 for other paths and methods;
- at every round boundary Prometheus saw (a range query, step 1 s), sum(elfstatsd_requests_total)
  equals the calls of all reports up to the round that elfstatsd_last_round_timestamp_seconds of
  the same scrape names, and sum by (status) (elfstatsd_records_total) equals their [records];
  comparing per scrape, not per wall-clock moment, is what keeps this free of timing races;
- one method's quantile="0.9" equals that round's report's p90 / 1000, and the pattern values
  its [patterns]; at the end, responses by code and latency observations add up to the calls;
- hostile clients, for 9 s: ten that send a request one byte a second, each connecting again
  once cut off, and one that sends 1 MB requests, twenty a second. Meanwhile every round's
  report must appear on time, Prometheus's scrapes must go on succeeding, the slow connections
  must be closed by the server within its deadline, the big requests must get 431, and the
  daemon's peak memory must not grow by what they sent.

Every round is known from the daemon's own log (one line per round, and at debug level the calls
of each method), so a report the poller missed does not leave a hole.

Usage: prometheus_test.py BINARY WORKDIR    (children's pids go to WORKDIR/pids, for the caller's
trap; prints "N passed, N failed" last; exits 1 on any failure)
"""
import json, os, re, socket, subprocess, sys, threading, time, urllib.parse, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BINARY = os.path.abspath(sys.argv[1])
WORK = os.path.abspath(sys.argv[2])
INTERVAL = 2
TIME_FIELD = re.compile(rb"\[[^\]]*\]")

import tally
from tally import check, summary
from report_file import local_epoch, parse_report, stamp
tally.show_detail_on_success = True  # the figures measured (memory, timings) in every run


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def note_pid(pid):
    with open(os.path.join(WORK, "pids"), "a") as f:
        f.write("%d\n" % pid)


class Writer(threading.Thread):
    """Appends generated lines, stamped now, ten times a second."""

    def __init__(self, path, lines):
        super().__init__(daemon=True)
        self.path, self.lines, self.stop, self.written = path, lines, threading.Event(), 0

    def run(self):
        index = 0
        while not self.stop.is_set() and index < len(self.lines):
            batch = self.lines[index:index + 25]
            index += len(batch)
            now = stamp(time.time()).encode()
            with open(self.path, "ab") as f:
                f.write(b"".join(TIME_FIELD.sub(now, line, count=1) + b"\n" for line in batch))
            self.written += len(batch)
            time.sleep(0.1)


class ReportPoller(threading.Thread):
    """Keeps each round's report (by daemon_invoked) and when it was first seen."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.stop, self.reports, self.seen = path, threading.Event(), {}, {}

    def run(self):
        while not self.stop.is_set():
            try:
                with open(self.path) as f:
                    text = f.read()
                report, _ = parse_report(text)
                round_start = local_epoch(report["metadata"]["daemon_invoked"])
                if round_start not in self.reports:
                    self.reports[round_start] = report
                    self.seen[round_start] = time.time()
            except (OSError, KeyError, ValueError):
                pass
            time.sleep(0.02)


def daemon_rounds(log_path):
    """From the daemon's log: per round, the records line and the calls per method id."""
    rounds = {}
    with open(log_path, errors="replace") as f:
        for line in f:
            m = re.search(r"round=(\d+) web records=(\d+) parsed=(\d+) skipped=(\d+) errors=(\d+)", line)
            if m:
                r = rounds.setdefault(int(m.group(1)), {})
                r["records"] = {"parsed": int(m.group(3)), "skipped": int(m.group(4)), "error": int(m.group(5))}
            m = re.search(r"round=(\d+) web calls(.*)$", line)
            if m:
                r = rounds.setdefault(int(m.group(1)), {})
                r["calls"] = {k: int(v) for k, v in (item.split("=") for item in m.group(2).split())}
    return rounds


def api(port, path, **params):
    url = "http://127.0.0.1:%d/api/v1/%s?%s" % (port, path, urllib.parse.urlencode(params))
    with urllib.request.urlopen(url, timeout=10) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError("query failed: %s" % body)
    return body["data"]["result"]


def scrape(port, path="/metrics", method="GET", accept=None):
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path), method=method)
    if accept:
        request.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def peak_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class SlowClient(threading.Thread):
    """Until `until`: connects and sends a request one byte a second; notes after how many
    seconds the server closed each connection (None: it was still open at the end)."""

    def __init__(self, port, until):
        super().__init__(daemon=True)
        self.port, self.until, self.closed_after = port, until, []

    def run(self):
        request = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: one-byte-a-second\r\nX-Slow: " + b"z" * 100
        while time.time() < self.until:
            started, sent, closed = time.time(), 0, False
            try:
                s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            except OSError:
                self.closed_after.append(0.0)
                continue
            with s:
                s.settimeout(1.0)
                while time.time() - started < 10:
                    try:
                        s.send(request[sent:sent + 1])
                        sent += 1
                        if s.recv(100) == b"":
                            closed = True
                            break
                    except socket.timeout:
                        continue
                    except OSError:
                        closed = True
                        break
            self.closed_after.append(time.time() - started if closed else None)


class BigClient(threading.Thread):
    """Until `until`: sends requests whose head is 1 MB, 50 ms apart, and keeps the start of
    each answer. (Without the pause it would take a core of this 2-core machine from the daemon
    and Prometheus, and the test would measure the machine, not the listener.)"""

    def __init__(self, port, until):
        super().__init__(daemon=True)
        self.port, self.until, self.answers = port, until, []

    def run(self):
        filler = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + b"a" * (1 << 20)
        while time.time() < self.until:
            answer = b""
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
                    try:
                        s.sendall(filler)
                    except OSError:
                        pass
                    while True:
                        data = s.recv(4096)
                        if not data:
                            break
                        answer += data
            except OSError as error:
                answer += ("<%s>" % error).encode()
            self.answers.append(answer[:12])
            time.sleep(0.05)


def main():
    if not os.path.exists(BINARY):
        print("no binary %s" % BINARY)
        return 1
    metrics_port, prometheus_port = free_port(), free_port()
    for folder in ("state", "run", "log", "reports", "tsdb"):
        os.makedirs(os.path.join(WORK, folder), exist_ok=True)
    log_path = os.path.join(WORK, "access_log")
    report_path = os.path.join(WORK, "reports", "web.data")
    open(log_path, "w").close()
    config = os.path.join(WORK, "elfstatsd.conf")
    with open(config, "w") as f:
        f.write(f"""interval = {INTERVAL}
latency_percentiles = [50, 90, 99]
valid_requests = ['^/content/(?P<group>[\\w.-]+)/(?P<method>[\\w.-]+)', '^/content/(?P<method>[\\w.-]+)', '^/(?P<group>user)/\\d+/(?P<method>\\w+)']
requests_to_skip = ['^/static/', '^/$']
state_dir = '{WORK}/state'
pid_dir = '{WORK}/run'
log_dir = '{WORK}/log'
log_level = 'debug'

[prometheus]
listen = '127.0.0.1:{metrics_port}'

[[patterns_to_extract]]
name = 'uid'
patterns = ['^/user/(?P<pattern>\\d+)/']

[[data_files]]
name = 'web'
log = '{log_path}'
report = '{report_path}'
""")
    check_out = subprocess.run([BINARY, "check", "--config", config], capture_output=True, text=True)
    check("check accepts [prometheus] and names the address",
          check_out.returncode == 0 and "http://127.0.0.1:%d/metrics" % metrics_port in check_out.stdout, check_out.stdout + check_out.stderr)

    lines = subprocess.run([sys.executable, os.path.join(REPO, "scripts", "genlog"), "--lines", "20000", "--seed", "12", "--bad", "0.02"],
                           capture_output=True, check=True).stdout.split(b"\n")[:-1]

    daemon_out = open(os.path.join(WORK, "daemon.out"), "w")
    daemon = subprocess.Popen([BINARY, "run", "--foreground", "--config", config], stdout=daemon_out, stderr=subprocess.STDOUT)
    note_pid(daemon.pid)
    started = time.time()
    while time.time() - started < 10:
        try:
            socket.create_connection(("127.0.0.1", metrics_port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)

    prometheus_config = os.path.join(WORK, "prometheus.yml")
    with open(prometheus_config, "w") as f:
        f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: elfstatsd
    static_configs:
      - targets: ['127.0.0.1:{metrics_port}']
""")
    prometheus_log = open(os.path.join(WORK, "prometheus.out"), "w")
    prometheus = subprocess.Popen(["prometheus", "--config.file=" + prometheus_config, "--storage.tsdb.path=" + os.path.join(WORK, "tsdb"),
                                   "--web.listen-address=127.0.0.1:%d" % prometheus_port, "--log.level=warn"],
                                  stdout=prometheus_log, stderr=subprocess.STDOUT)
    note_pid(prometheus.pid)

    writer = Writer(log_path, lines)
    poller = ReportPoller(report_path)
    writer.start()
    poller.start()
    try:
        return run_checks(daemon, metrics_port, prometheus_port, writer, poller)
    finally:
        writer.stop.set()
        poller.stop.set()
        for process in (prometheus, daemon):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        # Both are reaped: their pids are no longer for the caller's trap to kill.
        open(os.path.join(WORK, "pids"), "w").close()
        summary()


def run_checks(daemon, metrics_port, prometheus_port, writer, poller):
    # The endpoint itself.
    status, content_type, body = scrape(metrics_port)
    check("GET /metrics answers in the text format 0.0.4", status == 200 and content_type.startswith("text/plain; version=0.0.4"), content_type)
    promtool = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True, text=True)
    check("promtool accepts the text format", promtool.returncode == 0, promtool.stdout + promtool.stderr)
    status, content_type, body = scrape(metrics_port, accept="application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
    check("OpenMetrics when the Accept header asks for it", status == 200 and content_type.startswith("application/openmetrics-text")
          and body.endswith("# EOF\n") and "# TYPE elfstatsd_requests counter" in body, content_type)
    check("other paths get 404", scrape(metrics_port, "/")[0] == 404 and scrape(metrics_port, "/metrics/x")[0] == 404)
    check("other methods get 405", scrape(metrics_port, method="POST")[0] == 405)

    ready_until = time.time() + 20
    while time.time() < ready_until:
        try:
            if api(prometheus_port, "query", query='up{job="elfstatsd"}'):
                break
        except Exception:
            pass
        time.sleep(0.25)
    window_start = time.time()

    # Normal rounds, then the p90 of the last round that had calls.
    time.sleep(7)
    check_quantile(prometheus_port, poller, "normal rounds")

    # Hostile clients, while rounds go on.
    rss_before = peak_kb(daemon.pid)
    hostile_start = time.time()
    until = hostile_start + 9
    slow = [SlowClient(metrics_port, until) for _ in range(10)]
    big = [BigClient(metrics_port, until)]
    for client in slow + big:
        client.start()
        time.sleep(0.05)
    for client in slow + big:
        client.join(20)
    hostile_end = time.time()
    rss_after = peak_kb(daemon.pid)
    closed = [t for c in slow for t in c.closed_after]
    check("slow clients are closed by the server within its 5 s deadline",
          len(closed) >= 10 and all(t is not None and t <= 6.5 for t in closed),
          "%d connections, closed after %s s" % (len(closed), sorted(None if t is None else round(t, 1) for t in closed)))
    answers = [a for c in big for a in c.answers]
    check("1 MB requests get 431", len(answers) >= 4 and all(a.startswith(b"HTTP/1.1 431") for a in answers),
          "%d requests, answers %s" % (len(answers), sorted(set(answers))))
    check("peak memory does not grow by what the hostile clients sent (%d MB)" % len(answers), rss_after - rss_before < 2048,
          "VmHWM %d kB -> %d kB" % (rss_before, rss_after))
    up = api(prometheus_port, "query_range", query='up{job="elfstatsd"}', start=hostile_start, end=hostile_end, step=1)
    values = [float(v) for _, v in up[0]["values"]] if up else []
    check("Prometheus's scrapes succeed throughout the hostile phase", len(values) >= (hostile_end - hostile_start) - 3 and all(v == 1 for v in values),
          "up values %s" % values)
    check_quantile(prometheus_port, poller, "hostile phase")

    # Let the writer run out of lines, then a last round and scrape.
    writer.stop.set()
    writer.join()
    time.sleep(INTERVAL + 1.5)
    window_end = time.time()

    rounds = daemon_rounds(os.path.join(WORK, "log", "elfstatsd.log"))
    round_starts = sorted(rounds)
    check("the daemon's log has every round", len(round_starts) >= 8 and round_starts == list(range(round_starts[0], round_starts[-1] + INTERVAL, INTERVAL)),
          round_starts)
    late = {r: round(poller.seen[r] - r, 3) for r in poller.seen if poller.seen[r] - r > 1.0}
    in_window = [r for r in poller.seen if hostile_start <= r <= hostile_end]
    check("every round's report appears within 1 s of the round start, also while hostile clients connect",
          not late and len(in_window) >= 3, "late: %s; rounds in the hostile phase: %d" % (late, len(in_window)))
    for r, report in poller.reports.items():
        calls = {name[len("method_"):]: int(section["calls"]) for name, section in report.items() if name.startswith("method_")}
        if r in rounds and rounds[r].get("calls", {}) != {k: v for k, v in calls.items()}:
            check("the daemon's log agrees with report %d" % r, False, "%s vs %s" % (rounds[r].get("calls"), calls))

    # Counters against the reports, scrape by scrape.
    step = dict(start=window_start, end=window_end, step=1)
    last_round = {float(t): int(float(v)) for t, v in api(prometheus_port, "query_range", query='elfstatsd_last_round_timestamp_seconds{data_file="web"}', **step)[0]["values"]}
    requests = {float(t): int(float(v)) for t, v in api(prometheus_port, "query_range", query="sum(elfstatsd_requests_total)", **step)[0]["values"]}
    records = {}
    for series in api(prometheus_port, "query_range", query="sum by (status) (elfstatsd_records_total)", **step):
        for t, v in series["values"]:
            records.setdefault(float(t), {})[series["metric"]["status"]] = int(float(v))

    def cumulative(upto, pick):
        return sum(pick(rounds[r]) for r in round_starts if r <= upto)

    mismatches, record_mismatches, compared = [], [], set()
    for t, r in sorted(last_round.items()):
        if t not in requests or r not in rounds:
            continue
        compared.add(r)
        expected = cumulative(r, lambda x: sum(x.get("calls", {}).values()))
        if requests[t] != expected:
            mismatches.append((t, r, requests[t], expected))
        expected_records = {s: cumulative(r, lambda x, s=s: x["records"][s]) for s in ("parsed", "skipped", "error")}
        if records.get(t) != expected_records:
            record_mismatches.append((t, r, records.get(t), expected_records))
    total_calls = cumulative(round_starts[-1], lambda x: sum(x.get("calls", {}).values()))
    check("sum(elfstatsd_requests_total) equals the calls of the reports up to the scrape's round, at every round",
          not mismatches and len(compared) >= 8 and total_calls > 1000, "compared rounds %d, calls %d, mismatches %s" % (len(compared), total_calls, mismatches[:5]))
    check("elfstatsd_records_total by status equals the reports' [records] summed, at every round",
          not record_mismatches and len(compared) >= 8, record_mismatches[:5])
    final = {name: int(float(api(prometheus_port, "query", query=query, time=window_end)[0]["value"][1])) for name, query in (
        ("requests", "sum(elfstatsd_requests_total)"), ("responses", "sum(elfstatsd_responses_total)"),
        ("latencies", "sum(elfstatsd_request_duration_seconds_count)"), ("round", 'elfstatsd_last_round_timestamp_seconds{data_file="web"}'))}
    calls_then = cumulative(final["round"], lambda x: sum(x.get("calls", {}).values()))
    # Every generated line has a latency, and every call one response code.
    check("responses by code and latency observations add up to the calls", final["requests"] == final["responses"] == final["latencies"] == calls_then,
          "%s, calls %d" % (final, calls_then))
    everything = cumulative(round_starts[-1], lambda x: sum(x["records"].values()))
    check("every line written was counted once", everything == writer.written, "%d records, %d lines written" % (everything, writer.written))
    print("rounds: %d; slowest report after its round start: %.3f s" % (len(round_starts), max(poller.seen[r] - r for r in poller.seen)))
    return 1 if tally.results["failed"] else 0


def check_quantile(prometheus_port, poller, phase):
    """At the latest scrape: the round it shows, one busy method's p90 and the pattern values
    against that round's report."""
    name = "quantile 0.9 equals the report's p90 (%s)" % phase
    for _ in range(20):
        result = api(prometheus_port, "query", query='elfstatsd_last_round_timestamp_seconds{data_file="web"}')
        if result:
            r = int(float(result[0]["value"][1]))
            report = poller.reports.get(r)
            if report:
                methods = [(int(s["calls"]), s) for n, s in report.items() if n.startswith("method_") and s.get("p90", "U") != "U"]
                if methods:
                    section = max(methods, key=lambda m: m[0])[1]
                    query = 'elfstatsd_request_duration_seconds{data_file="web",group="%s",method="%s",quantile="0.9"} and on() elfstatsd_last_round_timestamp_seconds{data_file="web"} == %d' % (
                        section["group"], section["method"], r)
                    got = api(prometheus_port, "query", query=query)
                    patterns = api(prometheus_port, "query", query='elfstatsd_pattern_values{data_file="web"} and on() elfstatsd_last_round_timestamp_seconds{data_file="web"} == %d' % r)
                    if got and patterns:
                        value = float(got[0]["value"][1])
                        shown = {"uid." + p["metric"]["kind"]: str(int(float(p["value"][1]))) for p in patterns}
                        check("pattern values equal the report's [patterns] (%s)" % phase, shown == report.get("patterns"), "%s, report %s" % (shown, report.get("patterns")))
                        return check(name, abs(value - int(section["p90"]) / 1000) < 1e-9,
                                     "%s/%s p90 %s ms, Prometheus %s" % (section["group"], section["method"], section["p90"], value))
        time.sleep(0.3)
    return check(name, False, "no round with latencies could be compared")


if __name__ == "__main__":
    sys.exit(main())
