# Benchmark: the SLA escalation cron and the "breached" search over many open
# complaints. Run with `make bench` (an Odoo shell script: `env` is given).
#
# BENCH_SLA_N open complaints (default 100,000) and their four phase clocks
# are created with SQL (as a data migration would), 1 % of them past their
# deadline. Printed, each against a plain SELECT of the same ids in the same
# run: one escalation cron pass (time, queries, queries per batch) and the
# "breached" search. Targets (issue #3): the cron pass under 10 s with
# queries growing per batch, not per complaint; the search within 2x the SQL.
import os
import time

from odoo import fields

N = int(os.environ.get("BENCH_SLA_N", "100000"))
DUE_EVERY = 100  # 1 % of the complaints are past their acknowledge deadline,
# 1 % more are at risk (75 % of the target used, deadline not passed)
BATCH = 500
cr = env.cr
Line = env["iso10002.sla.line"]
Ticket = env["helpdesk.ticket"]
admin = env.ref("base.user_admin")
team = env["helpdesk.ticket.team"].create(
    {"name": "Bench SLA", "is_iso10002": True, "user_id": admin.id}
)
env.company.iso10002_management_representative_id = admin
partner = env["res.partner"].create({"name": "Bench SLA complainant"})
policy = env.ref("iso10002_complaints.sla_policy_standard")
stage = env.ref("iso10002_complaints.helpdesk_ticket_stage_iso_received")
company = env.company
now = fields.Datetime.now()
env.flush_all()

start = time.perf_counter()
cr.execute(
    """
    INSERT INTO helpdesk_ticket (name, description, number, complaint_reference,
        company_id, team_id, stage_id, partner_id, user_id, is_complaint,
        iso10002_step,
        received_at, active, priority, sla_policy_id, sla_deadline, sla_at_risk_at,
        create_date, write_date)
    SELECT 'Bench ' || i, '<p>Bench</p>', 'BENCH/' || i, 'BENCH/' || i,
        %(company)s, %(team)s, %(stage)s, %(partner)s, %(user)s, true, 'received',
        %(now)s - interval '1 day', true, '1', %(policy)s,
        CASE WHEN i %% %(every)s = 0 THEN %(now)s - interval '1 hour'
             ELSE %(now)s + interval '3 days' END,
        CASE WHEN i %% %(every)s = 0 THEN %(now)s - interval '3 hours'
             WHEN i %% %(every)s = 1 THEN %(now)s - interval '1 hour'
             ELSE %(now)s + interval '2 days' END,
        %(now)s, %(now)s
      FROM generate_series(1, %(n)s) AS i
    RETURNING id
    """,
    {
        "company": company.id,
        "team": team.id,
        "stage": stage.id,
        "partner": partner.id,
        "user": admin.id,
        "now": now,
        "policy": policy.id,
        "every": DUE_EVERY,
        "n": N,
    },
)
ids = [row[0] for row in cr.fetchall()]
cr.execute(
    """
    INSERT INTO iso10002_sla_line (ticket_id, company_id, phase, sequence,
        policy_id, target_hours, clock_start, consumed_hours, deadline,
        at_risk_at, state, escalation_level, create_date, write_date)
    SELECT t.id, t.company_id, p.phase, p.seq, %(policy)s, p.hours,
        %(now)s - interval '1 day', 0,
        CASE WHEN p.phase = 'acknowledge' THEN t.sla_deadline
             ELSE %(now)s + (p.seq || ' days')::interval + interval '3 days' END,
        CASE WHEN p.phase = 'acknowledge' THEN t.sla_at_risk_at
             ELSE %(now)s + (p.seq || ' days')::interval + interval '2 days' END,
        'running', 0, %(now)s, %(now)s
      FROM helpdesk_ticket t
      CROSS JOIN (VALUES ('acknowledge', 0, 8.0), ('assess', 1, 16.0),
                         ('respond', 2, 64.0), ('resolve', 3, 80.0))
                 AS p(phase, seq, hours)
     WHERE t.id = ANY(%(ids)s)
    """,
    {"policy": policy.id, "now": now, "ids": ids},
)
cr.execute("ANALYZE helpdesk_ticket")
cr.execute("ANALYZE iso10002_sla_line")
env.invalidate_all()
print(
    f"setup: {N} open complaints and {4 * N} phase clocks in "
    f"{time.perf_counter() - start:.1f} s"
)


def timed(function):
    queries = cr.sql_log_count
    begin = time.perf_counter()
    result = function()
    return result, time.perf_counter() - begin, cr.sql_log_count - queries


# "breached" search against a plain SELECT of the same ids
def raw_breached():
    cr.execute(
        """SELECT DISTINCT ticket_id FROM iso10002_sla_line
            WHERE state = 'running' AND deadline <= %s""",
        [now],
    )
    return {row[0] for row in cr.fetchall()}


def orm_breached():
    return set(Ticket.search([("sla_breached", "=", True)]).ids)


raw_breached()  # warm caches
orm_breached()
raw_ids, raw_time, _ = timed(raw_breached)
orm_ids, orm_time, orm_queries = timed(orm_breached)
assert raw_ids == orm_ids, "search and SQL disagree"
print(
    f"breached_search: {len(orm_ids)} of {N} complaints | search {orm_time * 1000:.1f}"
    f" ms ({orm_queries} queries) | SQL {raw_time * 1000:.1f} ms | ratio "
    f"{orm_time / raw_time:.2f}x (target <= 2x)"
)


# one escalation cron pass against a plain SELECT of the due ids
def raw_due():
    cr.execute(
        """SELECT id FROM iso10002_sla_line WHERE state = 'running' AND (
               (escalation_level < 2 AND deadline <= %(now)s)
            OR (escalation_level < 1 AND at_risk_at <= %(now)s))""",
        {"now": now},
    )
    return [row[0] for row in cr.fetchall()]


due, raw_due_time, _ = timed(raw_due)
escalated, pass_time, pass_queries = timed(
    lambda: Line.with_context(iso10002_now=now)._escalate_due(
        batch_size=BATCH, commit=False
    )
)
batches = -(-escalated // BATCH)
print(
    f"escalation_cron_pass: {escalated} clocks escalated over {N} open complaints "
    f"in {pass_time:.2f} s | {pass_queries} queries, {batches} batches, "
    f"{pass_queries / max(batches, 1):.0f} queries/batch, "
    f"{pass_queries / max(escalated, 1):.2f} queries/clock | SQL select of the "
    f"same ids {raw_due_time * 1000:.1f} ms | target < 10 s: "
    f"{'PASS' if pass_time < 10 else 'FAIL'}"
)
assert escalated == len(due), (escalated, len(due))
cr.rollback()
