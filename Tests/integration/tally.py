"""The tally every integration test here keeps: one "ok" or "FAILED" line per check, and last the
"N passed, N failed" line that scripts/test reads."""
import sys

results = {"passed": 0, "failed": 0}
# Also print a check's detail when it passes (if short): for figures worth seeing in every run.
show_detail_on_success = False


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        shown = show_detail_on_success and detail and len(str(detail)) < 200
        print("ok     %s%s" % (name, " (%s)" % detail if shown else ""))
    else:
        results["failed"] += 1
        print("FAILED %s  %s" % (name, detail))
    sys.stdout.flush()
    return condition


def summary():
    """Prints the last line and returns the exit status: 1 when anything failed."""
    print("%d passed, %d failed" % (results["passed"], results["failed"]))
    sys.stdout.flush()
    return 1 if results["failed"] else 0
