#!/usr/bin/env python3
"""Writes an access log of mutated lines for the differential check of scripts/fuzz: lines of
scripts/genlog in the original default (ELF) format with bytes, fields and values changed the
way hostile or broken clients and servers change them, plus the logs of libFuzzer corpus units
that use that format (first byte 0 mod 7, see LineAnalysisTarget.swift). Every line ends with a
newline, so elfstatsd and the reference read the same complete lines.

The mutations leave out what the two read differently by design (listed at BYTES below). Corpus
lines are arbitrary bytes, so the check over them (scripts/fuzz SECONDS) also shows those known
differences: a latency with a decimal point or an upstream list, a day or UTC offset out of range
(checked by elfstatsd only), and one more token before the latency (read as an upstream list).

usage: mutate_lines.py --lines N --seed S [CORPUS_DIR...] > log
"""
import argparse, os, random, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
GENLOG = os.path.join(HERE, "..", "..", "scripts", "genlog")
FORMATS = 7  # formats in LineAnalysisTarget.swift; format 0 is the default one

# Bytes that change how a line splits or a field reads. Left out, where elfstatsd and the reference
# differ by design or the reference is the less exact one:
#   - a space: one more space-separated token in the last fields ends up in the latency, which
#     elfstatsd reads as nginx's list of upstream times (the first counts) for every format;
#   - CR and other whitespace: Python's \S and split() take them for spaces, elfstatsd does not;
#   - a dot: a latency with a decimal point is seconds to elfstatsd, an error to the reference;
#   - digits inserted (a status of four digits and more is an error in some versions, not in
#     others) and digits in the time (elfstatsd checks the ranges, +0290 is no UTC offset).
BYTES = [b'"', b"\\", b"[", b"]", b"-", b"+", b"/", b"?", b"=", b"%", b"x", b"_"]
DIGITS = [b"0", b"9"]
STATUSES = [b"200", b"0", b"999", b"1000000", b"-1", b"+200", b"2 00", b"", b"-", b"20O", b"404.0"]
# Not here, as elfstatsd reads them by design and the reference does not model them: `-` (unknown),
# `1.5` (seconds), `12,3` and `1 2` (nginx's lists of upstream times: the first counts), and more
# than 15 digits (an error, where the reference has no bound).
LATENCIES = [b"0", b"", b"1", b"499", b"500", b"99999999", b"-5", b"+7", b"0x10", b"1e3", b"12a"]
TARGETS = [b"/", b"/content/a", b"/content/search/x", b"/user/12/get", b"/user//get", b"/static/x.css",
           b"/content/a.b-c/d.e-f?uid=1", b"/content/\xff\xfe", b"/content/" + b"a" * 70, b"//content/x", b"/CONTENT/x"]
TIMES = [b"[08/Aug/2013:10:00:00 +0200]", b"[31/Dec/1999:23:59:59 -1200]", b"[01/Jan/2038:00:00:00 +0000]",
         b"[08/Foo/2013:10:00:00 +0200]", b"[08/Aug/2013:10:00:00]", b"[]", b"[08/Aug/2013:10:00:00 +02000]"]


def mutate(rng, line):
    fields = line.split(b" ")
    kind = rng.randrange(9)
    if kind == 0:  # one byte replaced, inserted or removed
        at = rng.randrange(len(line) + 1)
        choice = rng.randrange(3)
        if choice == 0 and at < len(line):
            in_time = line.find(b"[") <= at <= line.find(b"]")
            return line[:at] + rng.choice(BYTES if in_time else BYTES + DIGITS) + line[at + 1:]
        if choice == 1:
            return line[:at] + rng.choice(BYTES) + line[at:]
        return line[:at] + line[at + 1:]
    if kind == 1:  # cut short
        return line[:rng.randrange(len(line) + 1)]
    if kind == 2:  # status (the field after the request)
        status = next(i for i in range(len(fields)) if fields[i].endswith(b'"') and i > 4) + 1
        fields[status] = rng.choice(STATUSES)
    elif kind == 3:  # latency, the last field
        fields[-1] = rng.choice(LATENCIES)
    elif kind == 4:  # request target
        start = line.index(b'"')
        end = line.index(b'"', start + 1)
        parts = line[start + 1:end].split(b" ")
        parts[1 if len(parts) > 1 else 0] = rng.choice(TARGETS)
        if rng.random() < 0.2:
            parts.insert(0, b"")
        return line[:start + 1] + b" ".join(parts) + line[end:]
    elif kind == 5:  # time
        start, end = line.index(b"["), line.index(b"]") + 1
        return line[:start] + rng.choice(TIMES) + line[end:]
    elif kind == 6:  # a field dropped (one more would end up in the latency as a list, see above)
        del fields[rng.randrange(len(fields))]
    elif kind == 7:  # escaped quotes inside the request or user agent
        at = line.index(b'"') + 1 + rng.randrange(4)
        return line[:at] + rng.choice([b'\\"', b'\\\\', b'\\\\"', b'\\']) + line[at:]
    else:
        return line
    return b" ".join(fields)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("corpus", nargs="*")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    source = subprocess.run([sys.executable, GENLOG, "--lines", str(args.lines), "--seed", str(args.seed)],
                            check=True, capture_output=True).stdout.split(b"\n")[:-1]
    # Nor empty fields (two spaces in a row, a space first or last): elfstatsd reads an empty
    # field, the reference's \S+ wants a byte at least. Nor a CR last: elfstatsd reads CR LF line
    # ends, the reference does not.
    def usable(line):
        return re.sub(b"  +", b" ", line).strip(b" ").rstrip(b"\r")
    out = [usable(mutate(rng, line)) for line in source]
    for folder in args.corpus:
        for name in sorted(os.listdir(folder)):
            data = open(os.path.join(folder, name), "rb").read()
            if len(data) >= 2 and data[0] % FORMATS == 0:
                # The same for corpus lines, and no whitespace but spaces (Python's \S, see above).
                out += [usable(line) for line in data[2:].split(b"\n")
                        if not any(c.isspace() and c != " " for c in line.decode("utf-8", "surrogateescape"))]
    # Only whole lines, each ending with a newline; a bare CR would be a line end to neither.
    sys.stdout.buffer.write(b"".join(line + b"\n" for line in out))


main()
