"""The integrity check after a load or failure run (bench/load/load.sh):
exits 1 when any check fails.

- every accepted web submission (its token, from the load's token file) is
  exactly one complaint, with its acknowledgement queued (an e-mail
  notification to the complainant) and recorded;
- complaint references are gap-free and unique per company and year;
- no escalation recorded twice for one clock and kind, and each clock's
  escalation level agrees with its escalation records;
- no complaint without its SLA clocks, reference, receipt date or
  complainant (no partial records);
- in the given server logs: no HTTP 5xx, no traceback, no ERROR line.

    python integrity.py --config var/odoo-load.conf --db DB --tokens FILE \
        [--logs LOG...]
"""

import argparse
import configparser
import re
import sys
from collections import defaultdict

import psycopg2

REQUEST_5XX = re.compile(r'werkzeug: .*"\s5\d\d\s')


def connect(config, db):
    opts = configparser.ConfigParser()
    opts.read(config)
    o = opts["options"]
    return psycopg2.connect(
        dbname=db,
        host=o.get("db_host"),
        port=o.get("db_port"),
        user=o.get("db_user"),
        password=o.get("db_password"),
    )


class Check:
    def __init__(self):
        self.failed = []

    def __call__(self, name, problems, detail=""):
        problems = list(problems)
        status = "ok  " if not problems else "FAIL"
        print(f"[{status}] {name}{': ' + detail if detail else ''}")
        if problems:
            self.failed.append(name)
            for problem in problems[:10]:
                print(f"         {problem}")
            if len(problems) > 10:
                print(f"         ... and {len(problems) - 10} more")


def submissions(cr, check, tokens):
    cr.execute(
        """SELECT iso10002_submission_token, count(*), min(id)
             FROM helpdesk_ticket
            WHERE iso10002_submission_token = ANY(%s)
         GROUP BY 1""",
        [list(tokens)],
    )
    found = {token: (count, ticket) for token, count, ticket in cr.fetchall()}
    check(
        "every accepted submission is one complaint",
        [
            f"token {t[:24]}...: {found.get(t, (0,))[0]} complaints"
            for t in tokens
            if found.get(t, (0,))[0] != 1
        ],
        f"{len(tokens)} accepted submissions, {len(found)} complaints found",
    )
    cr.execute(
        """SELECT iso10002_submission_token, count(*) FROM helpdesk_ticket
            WHERE iso10002_submission_token IS NOT NULL GROUP BY 1
           HAVING count(*) > 1"""
    )
    check(
        "no submission token on two complaints (whole database)",
        [f"{token[:24]}...: {count}" for token, count in cr.fetchall()],
    )
    ids = [ticket for _count, ticket in found.values()]
    cr.execute(
        """SELECT t.id, t.complaint_reference, t.acknowledged_at IS NOT NULL,
                  t.acknowledgement_method,
                  (SELECT string_agg(DISTINCT n.notification_status, ',')
                     FROM mail_message m
                     JOIN mail_notification n ON n.mail_message_id = m.id
                    WHERE m.model = 'helpdesk.ticket' AND m.res_id = t.id
                      AND n.res_partner_id = t.partner_id
                      AND n.notification_type = 'email')
             FROM helpdesk_ticket t WHERE t.id = ANY(%s)""",
        [ids],
    )
    rows = cr.fetchall()
    statuses = defaultdict(int)
    problems = []
    for _id, ref, acknowledged, method, notified in rows:
        if not (acknowledged and method == "email" and notified):
            problems.append(f"{ref}: acknowledged {acknowledged}, {method}, {notified}")
        for status in (notified or "").split(","):
            statuses[status] += 1
    check(
        "each has its acknowledgement queued and recorded",
        problems,
        "e-mail notifications " + ", ".join(f"{k} {v}" for k, v in statuses.items()),
    )


def references(cr, check):
    cr.execute(
        """SELECT company_id, complaint_reference FROM helpdesk_ticket
            WHERE is_complaint AND complaint_reference IS NOT NULL"""
    )
    series = defaultdict(list)
    for company, reference in cr.fetchall():
        match = re.match(r"^(.*?)(\d+)$", reference)
        if match:
            series[company, match[1]].append(int(match[2]))
    problems = []
    for (company, prefix), numbers in series.items():
        seen = set(numbers)
        if len(seen) != len(numbers):
            problems.append(f"company {company} {prefix}: a number used twice")
        missing = sorted(set(range(1, max(numbers) + 1)) - seen)
        if missing:
            problems.append(
                f"company {company} {prefix}: missing {missing[:20]}"
                f"{' ...' if len(missing) > 20 else ''}"
            )
    check(
        "complaint references gap-free and unique",
        problems,
        "; ".join(f"{p}1..{max(n)}" for (_c, p), n in sorted(series.items())),
    )


def escalations(cr, check):
    cr.execute(
        """SELECT sla_line_id, kind, count(*) FROM iso10002_escalation
            WHERE sla_line_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1"""
    )
    check(
        "no escalation recorded twice",
        [f"clock {line} {kind}: {n}" for line, kind, n in cr.fetchall()],
    )
    cr.execute(
        """SELECT l.id, l.escalation_level,
                  bool_or(e.kind = 'at_risk'), bool_or(e.kind = 'breached')
             FROM iso10002_sla_line l
             LEFT JOIN iso10002_escalation e ON e.sla_line_id = l.id
         GROUP BY l.id, l.escalation_level"""
    )
    rows = cr.fetchall()
    problems = [
        f"clock {line}: level {level}, at risk {bool(risk)}, breached {bool(breach)}"
        for line, level, risk, breach in rows
        if (level >= 2) != bool(breach) or (risk and level < 1)
    ]
    levels = defaultdict(int)
    for _line, level, _r, _b in rows:
        levels[level] += 1
    check(
        "each clock's level agrees with its escalations",
        problems,
        "clocks by level " + ", ".join(f"{k}: {v}" for k, v in sorted(levels.items())),
    )


def complete_records(cr, check):
    cr.execute(
        """SELECT t.id, t.complaint_reference FROM helpdesk_ticket t
            WHERE t.is_complaint AND NOT EXISTS (
                  SELECT 1 FROM iso10002_sla_line l WHERE l.ticket_id = t.id)"""
    )
    check(
        "no complaint without SLA clocks",
        [f"{ref} (id {id_})" for id_, ref in cr.fetchall()],
    )
    cr.execute(
        """SELECT id FROM helpdesk_ticket WHERE is_complaint AND (
                  complaint_reference IS NULL OR received_at IS NULL
                  OR partner_id IS NULL OR stage_id IS NULL)"""
    )
    check("no partial complaint", [f"id {r[0]}" for r in cr.fetchall()])
    cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE is_complaint")
    print(f"       complaints in the database: {cr.fetchone()[0]}")


def logs(check, paths):
    for path in paths:
        fives = tracebacks = errors = 0
        for line in open(path, errors="replace"):  # noqa: SIM115
            if REQUEST_5XX.search(line):
                fives += 1
            if line.startswith("Traceback"):
                tracebacks += 1
            if re.match(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", line):
                errors += 1
        check(
            f"server log {path.rsplit('/', 1)[-1]}",
            [
                f"{n} {what}"
                for n, what in (
                    (fives, "HTTP 5xx"),
                    (tracebacks, "tracebacks"),
                    (errors, "ERROR lines"),
                )
                if n
            ],
            "no HTTP 5xx, no traceback, no ERROR"
            if not (fives or tracebacks or errors)
            else "",
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--tokens", required=True)
    parser.add_argument("--logs", nargs="*", default=[])
    parser.add_argument("--chaos", action="store_true", help="(label only)")
    args = parser.parse_args()
    tokens = {line.strip() for line in open(args.tokens) if line.strip()}  # noqa: SIM115
    check = Check()
    with connect(args.config, args.db) as conn, conn.cursor() as cr:
        submissions(cr, check, tokens)
        references(cr, check)
        escalations(cr, check)
        complete_records(cr, check)
    logs(check, args.logs)
    if check.failed:
        print(f"integrity: {len(check.failed)} check(s) failed")
        return 1
    print("integrity: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
