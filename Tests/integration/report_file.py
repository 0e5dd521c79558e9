"""What the integration tests share about the daemon's files: the time stamp of a log line they
write, and the report they read back."""
import time

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def stamp(now):
    t = time.gmtime(int(now) + 7200)
    return "[%02d/%s/%04d:%02d:%02d:%02d +0200]" % (t.tm_mday, MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


def parse_report(text):
    """Sections of an INI report, and the number of lines that are neither header nor key = value."""
    sections, current, bad = {}, None, 0
    for line in text.split("\n"):
        line = line.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif "=" in line and current is not None:
            key, value = line.split("=", 1)
            current[key.strip()] = value.strip()
        else:
            bad += 1
    return sections, bad


def local_epoch(text):
    return int(time.mktime(time.strptime(text, "%Y-%m-%d %H:%M:%S")))
