#!/usr/bin/env python3
"""Checks for scripts/test-scaleout: Munin's RRD files and aggregate graphs against the reports.

  check.py host DB GROUP HOST REPORT TIME
      The RRD rows of HOST for the 5-second step ending at TIME (rrdtool fetch) hold the values
      of REPORT: calls and stalled calls of every method, records, response codes, patterns, p90.
  check.py aggregate GRAPHLOG CONF TIME [--down GROUP;HOST] GROUP;HOST=REPORT...
      The aggregate graphs as munin-graph draws them (its DEF/CDEF arguments, from its --debug
      log GRAPHLOG, evaluated with rrdtool xport at TIME) equal the sum of the reports of the hosts
      the generated section CONF refers to (and the per-host lines each host's report); every
      field of every report is referred to. With
      --down: every sum with a field of that host is unknown instead (the host had no data).
  check.py munin-sum GRAPHLOG SERVICE TIME
      Prints the value Munin's own field.sum draws for SERVICE at TIME.
Prints "ok   ..." or "FAIL ..." lines; exits 1 when something failed.
"""
import math
import re
import subprocess
import sys

failed = 0


def ok(text):
    print("ok   " + text)


def fail(text):
    global failed
    failed += 1
    print("FAIL " + text)


def sanitised(name, part=False):
    """MuninName.sanitised of the plugins: '.' and '-' dropped, others not [A-Za-z0-9_] to '_'."""
    out = "".join(c if (c.isascii() and (c.isalnum() or c == "_")) else "_" for c in name if c not in ".-") or "_"
    if out[0].isdigit() and not part:
        out = "_" + out
    return out


def read_report(path):
    sections, current = {}, None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("["):
            current = line[1:-1]
            sections[current] = {}
        elif " = " in line and current is not None:
            key, value = line.split(" = ", 1)
            sections[current][key] = value
    return sections


def report_fields(path, instance="web"):
    """'graph.field' -> value, for the fields the elfstatsm plugins draw from the report."""
    report = read_report(path)
    fields = {}
    for name, section in report.items():
        if name.startswith("method_"):
            g = sanitised(section["group"].lower(), part=True)
            m = sanitised(section["method"])
            fields["elfstats_%s_total_calls_%s.%s" % (g, instance, m)] = section["calls"]
            fields["elfstats_%s_stalled_calls_%s.%s" % (g, instance, m)] = section["stalled_calls"]
            for key, value in section.items():
                if re.match(r"^p\d+$", key):
                    fields["elfstats_%s_%s_%s.%s" % (g, sanitised(section["method"], part=True), instance, key)] = value
    for key, value in report.get("records", {}).items():
        if key not in ("total", "parsed"):
            fields["elfstats_total_records_%s.%s" % (instance, key)] = value
    for key, value in report.get("response_codes", {}).items():
        fields["elfstats_response_codes_%sXX_%s.%s" % (key[2], instance, key)] = value
    for key, value in report.get("patterns", {}).items():
        name, metric = key.rsplit(".", 1)
        fields["elfstats_patterns_%s_%s.%s" % (sanitised(name, part=True), instance, metric)] = value
    return fields


def number(text):
    return math.nan if text in ("U", "nan", "NaN", "-nan") else float(text)


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def rrdtool(commands):
    """Runs rrdtool in pipe mode; one list of output lines per command."""
    text = subprocess.run(["rrdtool", "-"], input="".join(c + "\n" for c in commands), capture_output=True, text=True).stdout
    answers, current = [], []
    for line in text.splitlines():
        if line.startswith("OK u:") or line.startswith("ERROR"):
            current.append(line)
            answers.append(current)
            current = []
        else:
            current.append(line)
    return answers


def quote(argument):
    return "'" + argument.replace("'", "'\\''") + "'" if re.search(r"[\s'\"\\;]", argument) else argument


def host_check(db, group, host, report, time):
    fields = report_fields(report)
    keys = sorted(fields)
    commands = []
    for key in keys:
        graph, field = key.split(".")
        commands.append("fetch %s/%s/%s-%s-%s-g.rrd AVERAGE -r 5 -s %d -e %d" % (db, group, host, graph, field, time - 5, time))
    answers = rrdtool(commands)
    wrong = []
    for key, answer in zip(keys, answers):
        row = [line for line in answer if line.startswith("%d:" % time)]
        if not row:
            wrong.append("%s: no row at %d (%s)" % (key, time, answer[-1]))
            continue
        got = number(row[0].split(":", 1)[1].strip())
        want = number(fields[key])
        if not same(got, want):
            wrong.append("%s: RRD %s, report %s" % (key, got, fields[key]))
    if wrong:
        fail("%s, step ending %d: %d of %d RRD values differ from the report: %s" % (host, time, len(wrong), len(keys), "; ".join(wrong[:4])))
    else:
        ok("%s, step ending %d: all %d RRD values (calls, stalled calls, percentiles, records, codes, patterns) equal the report" % (host, time, len(keys)))


def graph_commands(log):
    """Image path -> the rrdtool graph arguments munin-graph logged for it."""
    text = open(log, errors="replace").read()
    commands = {}
    for match in re.finditer(r"rrdtool 'graph' '(.*?)'\n(?!\t')", text, re.S):
        args = match.group(1).split("' \\\n\t'")
        image = next((a for a in args if a.endswith(".png")), None)
        if image:
            commands[image] = args
    return commands


def evaluate(args, time):
    """The values of the drawn lines (in drawing order) at the step ending at `time`."""
    defs = [a for a in args if a.startswith("DEF:") or a.startswith("CDEF:")]
    drawn = [m.group(1) for a in args for m in [re.match(r"^(?:LINE\d*|AREA|STACK|AREASTACK|LINESTACK\d*):([^#:]+)#", a)] if m]
    command = "xport --showtime --start %d --end %d --step 5 %s %s" % (
        time - 5, time, " ".join(quote(d) for d in defs), " ".join("XPORT:%s" % v for v in drawn))
    answer = rrdtool([command])[0]
    text = "\n".join(answer)
    for row in re.finditer(r"<row><t>(\d+)</t>(.*?)</row>", text):
        if int(row.group(1)) == time:
            return [number(v) for v in re.findall(r"<v>(.*?)</v>", row.group(2))]
    raise RuntimeError("no row at %d in: %s" % (time, text[-300:]))


def parse_conf(path):
    """graph id -> {"drawn": drawn fields in order, "sources": field -> [references], "summed": set}."""
    graphs = {}
    for line in open(path):
        line = line.strip()
        match = re.match(r"^(\w+)\.graph_order (.*)$", line)
        if match:
            order = [item.split("=", 1) for item in match.group(2).split()]
            graphs[match.group(1)] = {"order": order, "aliases": dict(order), "hidden": set(), "cdef": {}}
            continue
        match = re.match(r"^(\w+)\.(\w+)\.(graph|cdef) (.*)$", line)
        if match:
            graph = graphs[match.group(1)]
            if match.group(3) == "graph" and match.group(4) == "no":
                graph["hidden"].add(match.group(2))
            elif match.group(3) == "cdef":
                graph["cdef"][match.group(2)] = [name for name in match.group(4).split(",") if name != "+"]
    for graph in graphs.values():
        graph["drawn"] = [name for name, _ in graph["order"] if name not in graph["hidden"]]
        graph["summed"] = set(graph["cdef"])
        graph["sources"] = {name: [graph["aliases"][alias] for alias in graph["cdef"].get(name, [name])] for name in graph["drawn"]}
    return graphs


def aggregate_check(log, conf, time, down, hosts):
    reports = {path: report_fields(report) for path, report in (h.split("=", 1) for h in hosts)}
    commands = graph_commands(log)
    graphs = parse_conf(conf)
    checked = wrong = unknowns = 0
    problems = []
    for graph_id, graph in sorted(graphs.items()):
        image = [path for path in commands if path.endswith("/" + graph_id + "-day.png")]
        if not image:
            fail("munin-graph drew no %s-day.png for the aggregate" % graph_id)
            continue
        values = evaluate(commands[image[0]], time)
        if len(values) != len(graph["drawn"]):
            fail("%s: munin-graph draws %d lines, the section has %d" % (graph_id, len(values), len(graph["drawn"])))
            continue
        for field, got in zip(graph["drawn"], values):
            want = 0.0
            nodes = [reference.split(":", 1)[0] for reference in graph["sources"][field]]
            for reference in graph["sources"][field]:
                node, rest = reference.split(":", 1)
                value = reports.get(node, {}).get(rest)
                want += math.nan if value is None else number(value)
            if down in nodes:
                want = math.nan
                unknowns += 1
            checked += 1
            if not same(got, want):
                wrong += 1
                problems.append("%s.%s = %s, reports sum to %s" % (graph_id, field, got, want))
    # Every method, code and record status of every report is in the aggregate.
    referenced = {ref for graph in graphs.values() for refs in graph["sources"].values() for ref in refs}
    missing = ["%s:%s" % (node, key) for node, fields in reports.items() for key in fields if "%s:%s" % (node, key) not in referenced]
    if missing:
        fail("step ending %d: %d report fields missing from the aggregate, e.g. %s" % (time, len(missing), ", ".join(missing[:3])))
    if wrong or checked == 0 or (down and unknowns == 0):
        fail("step ending %d: %d of %d aggregate values wrong: %s" % (time, wrong, checked, "; ".join(problems[:4])))
    elif down:
        ok("step ending %d, %s down: the %d lines with a field of %s are unknown, the other %d equal the hosts' reports" % (
            time, down, unknowns, down, checked - unknowns))
    else:
        ok("step ending %d: all %d aggregate lines (sums of calls, stalled calls, codes, records, pattern totals; percentiles and distinct values per host) equal the hosts' reports" % (
            time, checked))


def munin_sum(log, service, time):
    image = [path for path in graph_commands(log) if path.endswith("/" + service + "-day.png")]
    values = evaluate(graph_commands(log)[image[0]], time)
    print(values[0])


def main():
    command = sys.argv[1]
    if command == "host":
        host_check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    elif command == "aggregate":
        args = sys.argv[2:]
        down = None
        if "--down" in args:
            index = args.index("--down")
            down = args[index + 1]
            del args[index:index + 2]
        aggregate_check(args[0], args[1], int(args[2]), down, args[3:])
    elif command == "munin-sum":
        munin_sum(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    sys.exit(1 if failed else 0)


main()
