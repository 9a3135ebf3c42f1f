"""The figures of one load run (bench/load/load.sh): requests/s and p50/p95
per request kind (locust), the HTTP statuses and cursor modes Odoo logged,
and where the SQL ran (pg_stat_statements of the primary and the replica).

    python report.py OUT NAME            one run
    python report.py OUT ratio A B       requests/s of run A over run B
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

# werkzeug's request line, with Odoo's perf info: query count, query time,
# other time and, with a replica configured, the cursor mode
REQUEST = re.compile(
    r'werkzeug: \S+ - - \[[^\]]+\] "(?P<method>\w+) (?P<path>\S+) [^"]*" '
    r"(?P<status>\d{3}) \S+ (?P<queries>\d+) [\d.]+ [\d.]+(?: (?P<mode>\S+))?"
)


def stats(out, name):
    rows = list(csv.DictReader(open(out / f"{name}_stats.csv")))  # noqa: SIM115
    return [r for r in rows if r["Name"] != "Aggregated"], next(
        r for r in rows if r["Name"] == "Aggregated"
    )


def server_log(path):
    statuses, modes, lines = Counter(), Counter(), 0
    tracebacks = warnings = errors = fallbacks = 0
    for line in open(path, errors="replace"):  # noqa: SIM115
        lines += 1
        match = REQUEST.search(line)
        if match:
            statuses[match["status"][0] + "xx"] += 1
            modes[match["mode"] or "-"] += 1
            continue
        if line.startswith("Traceback"):
            tracebacks += 1
        if " WARNING " in line:
            warnings += 1
        if " ERROR " in line or " CRITICAL " in line:
            errors += 1
        if "Failed to open a readonly cursor" in line:
            fallbacks += 1
    return statuses, modes, tracebacks, warnings, errors, fallbacks


def one(out, name):
    rows, total = stats(out, name)
    print(f"\n== run '{name}'")
    print(
        f"{'request kind':38} {'count':>7} {'fail':>5} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7}"
    )
    for row in sorted(rows, key=lambda r: (r["Type"], r["Name"])):
        print(
            f"{(row['Type'] + ' ' + row['Name'])[:38]:38} "
            f"{row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):7.2f} {row['50%']:>7} {row['95%']:>7}"
        )
    print(
        f"{'total':38} {total['Request Count']:>7} {total['Failure Count']:>5} "
        f"{float(total['Requests/s']):7.2f} {total['50%']:>7} {total['95%']:>7}"
    )
    statuses, modes, tracebacks, warnings, errors, fallbacks = server_log(
        out / f"{name}-run.log"
    )
    print(
        "server log: HTTP "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"; tracebacks {tracebacks}, ERROR lines {errors}, WARNING lines {warnings}"
    )
    ro, ro_rw, rw = modes["ro"], modes["ro->rw"], modes["rw"]
    if ro + ro_rw:
        marked = ro + ro_rw
        print(
            f"cursor modes: ro {ro}, ro->rw {ro_rw}, rw {rw}: read-only requests "
            f"{marked} of {marked + rw} ({100 * marked / (marked + rw):.0f} %); "
            f"served by the replica {ro} ({100 * ro / marked:.1f} %), "
            f"replica unreachable {fallbacks} times"
        )
    calls = (out / f"{name}-statements.txt").read_text().split()
    if len(calls) == 4:
        p_all, p_read, r_all, _r_read = (int(c) for c in calls)
        share = 100 * r_all / (p_read + r_all) if p_read + r_all else 0
        print(
            f"SQL statements (pg_stat_statements): primary {p_all} ({p_read} reads), "
            f"replica {r_all}: the replica ran {share:.1f} % of all reads"
        )
    return float(total["Requests/s"])


def main():
    out = Path(sys.argv[1])
    if sys.argv[2] == "ratio":
        a, b = sys.argv[3], sys.argv[4]
        ra, rb = (float(stats(out, n)[1]["Requests/s"]) for n in (a, b))
        fa, fb = (int(stats(out, n)[1]["Failure Count"]) for n in (a, b))
        print(
            f"\nthroughput: '{a}' {ra:.2f} req/s ({fa} failures), '{b}' {rb:.2f} "
            f"req/s ({fb} failures): ratio {ra / rb if rb else 0:.2f}"
        )
        return
    one(out, sys.argv[2])


if __name__ == "__main__":
    main()
