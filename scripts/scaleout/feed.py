#!/usr/bin/env python3
"""Appends one round of access-log lines to a web host's log, for scripts/test-scaleout.

  feed.py LOG GENLOG SEED START END LINES [PATH:COUNT]...

Runs scripts/genlog (combined format, UTC) for LINES lines from the epoch second START, keeps the
lines stamped before END, and adds COUNT more lines for each PATH (copies of generated lines with
that request path, so the path's method exists on this host only). Appends them in one write and
prints how many lines it appended.
"""
import datetime
import re
import subprocess
import sys


def main():
    log, genlog, seed, start, end, lines = sys.argv[1:7]
    extras = [(item.rsplit(":", 1)[0], int(item.rsplit(":", 1)[1])) for item in sys.argv[7:]]
    start, end = int(start), int(end)
    iso = datetime.datetime.fromtimestamp(start, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    generated = subprocess.run([sys.executable, genlog, "--lines", lines, "--seed", seed, "--start", iso,
                                "--rate", "60", "--bad", "0.02", "--format", "combined", "--tz", "+0000"],
                               check=True, capture_output=True, text=True).stdout.splitlines()
    kept = []
    for line in generated:
        stamp = re.search(r"\[(\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d) \+0000\]", line)
        # Malformed lines without a readable time are errors whenever they come; keep them.
        try:
            when = datetime.datetime.strptime(stamp.group(1), "%d/%b/%Y:%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
        except (AttributeError, ValueError):
            when = None
        if when is not None and when.timestamp() >= end:
            continue
        kept.append(line)
    # Copies of well-formed lines with another request path, spread over the round.
    templates = [line for line in kept if re.search(r'"GET /content/\S+ HTTP/1.1" 200 ', line)]
    out = []
    extra_lines = []
    for path, count in extras:
        for index in range(count):
            template = templates[(index * 7) % len(templates)]
            extra_lines.append((template, re.sub(r'"GET \S+ HTTP/1.1"', '"GET %s HTTP/1.1"' % path, template, count=1)))
    for line in kept:
        out.append(line)
        for template, extra in extra_lines:
            if template is line:
                out.append(extra)
    with open(log, "a") as handle:
        handle.write("".join(line + "\n" for line in out))
    print(len(out))


main()
