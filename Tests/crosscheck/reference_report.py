#!/usr/bin/env python3
"""An independent reading of the report contract, in Python, for cross-checking elfstatsd.

Parses an access log in the original default format with Python's `re` (not PCRE2), classifies
records by the rules of docs/rules.md (§2-§9) with the regexes of a TOML configuration, and prints the
[records], [response_codes], method_* and [patterns] sections the way elfstatsd must write them
(metadata is left out: it depends on the clock). Percentiles use Python's fractions.

usage: reference_report.py CONFIG LOG
"""
import re, sys, math
from fractions import Fraction

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

LINE = re.compile(r'^(\S+) (\S+) (\S+) (\[[^\]]*\]) "((?:[^"\\]|\\.)*)" (\S+) (\S+) "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)" (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$')
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
TIME = re.compile(r'^\[(\d\d)/(\w\w\w)/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-]\d{4})\]$')


def percentile(values, p):
    k = Fraction((len(values) - 1) * p, 100)
    f, c = math.floor(k), math.ceil(k)
    if f == c:
        return values[f]
    x = values[f] * (c - k) + values[c] * (k - f)
    return int(x + Fraction(1, 2))  # halves away from zero (values are >= 0)


def main():
    config = tomllib.load(open(sys.argv[1], "rb"))
    valid = [re.compile(r) for r in config.get("valid_requests", [])]
    skip = [re.compile(r) for r in config.get("requests_to_skip", ["^/$"])]
    aggregation = [(a["group"], a["method"], re.compile(a["regex"])) for a in config.get("requests_aggregation", [])]
    patterns = [(p["name"], [re.compile(r) for r in p["patterns"]]) for p in config.get("patterns_to_extract", [])]
    forbidden = re.compile(config.get("forbidden_symbols", "[.-]"))
    codes_always = config.get("response_codes", [200, 404, 500])
    ps = config.get("latency_percentiles", [50, 90, 99])
    stalled_above = config.get("stalled_call_threshold", 100000)

    records = dict(error=0, parsed=0, skipped=0)
    codes = {c: 0 for c in codes_always}
    methods = {}
    found = {name: [] for name, _ in patterns}
    for raw in open(sys.argv[2], "rb").read().split(b"\n")[:-1]:
        line = raw.decode("utf-8", "surrogateescape")
        m = LINE.match(line)
        if not m or not TIME.match(m.group(4)) or TIME.match(m.group(4)).group(2) not in MONTHS:
            records["error"] += 1; continue
        # docs/rules.md §4: split on single spaces, the second token is the request.
        parts = m.group(5).split(" ")
        if len(parts) < 2 or parts[1] == "" or not re.fullmatch(r"\d{1,6}", m.group(6)) or not re.fullmatch(r"\d+", m.group(15)):
            records["error"] += 1; continue
        request, status, latency = parts[1], int(m.group(6)), (int(m.group(15)) + 500) // 1000
        match = next((v.search(request) for v in valid if v.search(request)), None)
        if match is None:
            if any(s.search(request) for s in skip):
                records["skipped"] += 1
            else:
                records["error"] += 1
            continue
        rule = next(((g, me) for g, me, r in aggregation if r.search(request)), None)
        if rule:
            group, method = rule
        else:
            d = match.groupdict()
            if d.get("method") is None:
                records["error"] += 1; continue
            # §7.3: nogroup when the group took no part; an empty group stays empty.
            group, method = d["group"] if d.get("group") is not None else "nogroup", d["method"]
        records["parsed"] += 1
        codes[status] = codes.get(status, 0) + 1
        mid = forbidden.sub("", group + "_" + method)
        entry = methods.setdefault(mid, dict(group=group, method=method, latencies=[], codes={c: 0 for c in codes_always}))
        entry["latencies"].append(latency)
        entry["codes"][status] = entry["codes"].get(status, 0) + 1
        for name, regexes in patterns:
            for r in regexes:
                pm = r.search(request)
                if pm and pm.group("pattern") is not None:
                    found[name].append(pm.group("pattern")); break

    out = ["[records]"] + ["%s = %d" % (k, records[k]) for k in ("error", "parsed", "skipped")]
    out += ["total = %d" % sum(records.values()), "", "[response_codes]"]
    out += ["rc%d = %d" % (c, codes[c]) for c in sorted(codes)]
    for mid in sorted(methods):
        e = methods[mid]; v = sorted(e["latencies"])
        out += ["", "[method_%s]" % mid, "group = " + e["group"], "method = " + e["method"], "calls = %d" % len(v),
                "stalled_calls = %d" % sum(1 for x in v if x > stalled_above),
                "shortest = %d" % v[0], "longest = %d" % v[-1], "average = %d" % (sum(v) // len(v))]
        out += ["p%d = %d" % (p, percentile(v, p)) for p in ps]
        out += ["rc%d = %d" % (c, e["codes"][c]) for c in sorted(e["codes"])]
    if patterns:
        out += ["", "[patterns]"]
        for name, _ in patterns:
            out += ["%s.total = %d" % (name, len(found[name])), "%s.distinct = %d" % (name, len(set(found[name])))]
    print("\n".join(out))


main()
