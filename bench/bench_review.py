# Benchmark: the management review's input assembly (ISO 10002 8.6.2) over
# BENCH_REVIEW_N complaints (default 1,000,000) with realistic distributions,
# created by SQL, against raw SQL GROUP BYs computing the same figures in the
# same run: the period's, and those of the twelve months of its trend. Also
# checks that the assembly's query count does not depend on the number of
# complaints (a company with 1,000 against one with N).
# Run with `make bench` (an Odoo shell script: `env` is given).
# Targets (issue #6): under 3 s, within 1.5x the raw SQL, constant queries.
import os
import time
from datetime import date, timedelta

N = int(os.environ.get("BENCH_REVIEW_N", "1000000"))
SMALL = 1000
cr = env.cr
year_start = date(2025, 1, 1)
big = env.company
small = env["res.company"].create({"name": "Bench small company"})


def populate(company, count):
    team = env["helpdesk.ticket.team"].create(
        {
            "name": f"Bench review {company.id}",
            "is_iso10002": True,
            "company_id": company.id,
        }
    )
    env.flush_all()
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (name, description, number, company_id, team_id,
            is_complaint, is_feedback, active, received_at, iso10002_step,
            communicated_on, assessed_by_id, severity_changed_after_assessment,
            review_type, recurrence_detected, priority)
        SELECT 'Bench', '<p>b</p>', 'B' || i, %(company)s, %(team)s, true,
            (i %% 50 = 0), true,
            %(start)s + (i %% 365) * interval '1 day' + (i %% 24) * interval '1 hour',
            CASE WHEN i %% 10 < 7 THEN 'closed' ELSE 'investigating' END,
            CASE WHEN i %% 10 < 7
                 THEN %(start)s + (i %% 365) * interval '1 day' + interval '3 days' END,
            CASE WHEN i %% 10 < 9 THEN 2 END,
            (i %% 40 = 0),
            CASE WHEN i %% 97 = 0 THEN 'external_recourse' END,
            (i %% 13 = 0), '1'
          FROM generate_series(1, %(n)s) AS i
        RETURNING id
        """,
        {"company": company.id, "team": team.id, "start": year_start, "n": count},
    )
    ids = [row[0] for row in cr.fetchall()]
    # the table's size for the planner before it is joined below (statistics
    # left by an earlier, rolled-back run send this insert into nested seq
    # scans for many minutes)
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute(
        """
        INSERT INTO iso10002_sla_line (ticket_id, company_id, phase, sequence,
            target_hours, consumed_hours, deadline, reached_at, state,
            escalation_level)
        SELECT t.id, t.company_id, p.phase, p.seq, p.target,
            (t.id %% 37) * p.scale, t.received_at + interval '1 day',
            t.received_at + interval '10 hours',
            CASE WHEN (t.id %% 37) * p.scale <= p.target THEN 'met' ELSE 'met_late' END,
            0
          FROM helpdesk_ticket t
          CROSS JOIN (VALUES ('acknowledge', 0, 8.0, 0.3), ('resolve', 3, 80.0, 3.0))
               AS p(phase, seq, target, scale)
         WHERE t.id = ANY(%(ids)s)
        """,
        {"ids": ids},
    )
    return team


start = time.perf_counter()
populate(small, SMALL)
populate(big, N)
cr.execute("ANALYZE helpdesk_ticket")
cr.execute("ANALYZE iso10002_sla_line")
env.invalidate_all()
print(f"setup: {N} + {SMALL} complaints by SQL in {time.perf_counter() - start:.1f} s")

period = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
Review = env["iso10002.review"]


def assemble(company):
    review = Review.create(dict(period, name="Bench", company_id=company.id))
    env.flush_all()
    queries = cr.sql_log_count
    begin = time.perf_counter()
    review._assemble_inputs()
    env.flush_all()
    return review, time.perf_counter() - begin, cr.sql_log_count - queries


RAW = """
    SELECT {bucket}
           count(DISTINCT t.id),
           count(DISTINCT t.id) FILTER (WHERE t.iso10002_step = 'closed'),
           count(DISTINCT t.id) FILTER (WHERE t.severity_changed_after_assessment),
           count(DISTINCT t.id) FILTER (WHERE t.recurrence_detected),
           l.phase,
           count(*) FILTER (WHERE l.state = 'met'),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY l.consumed_hours),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY l.consumed_hours)
      FROM helpdesk_ticket t
      JOIN iso10002_sla_line l ON l.ticket_id = t.id
     WHERE t.is_complaint AND t.is_feedback IS NOT TRUE AND t.active
       AND t.received_at >= %s AND t.received_at < %s AND t.company_id = %s
  GROUP BY {bucket} l.phase
"""


def raw_group_by(company):
    """(the period's figures, the twelve trend months' figures): the review
    computes both (its KPIs and their trend, R-8.4)."""
    times = []
    for bucket, date_from, date_to in (
        ("", period["date_from"], period["date_to"]),
        ("date_trunc('month', t.received_at),", *trend),
    ):
        begin = time.perf_counter()
        cr.execute(
            RAW.format(bucket=bucket),
            [date_from, date_to + timedelta(days=1), company.id],
        )
        cr.fetchall()
        times.append(time.perf_counter() - begin)
    return times


trend_months = env["iso10002.kpi"]._trend_months(period["date_to"])
trend = (trend_months[0][0], trend_months[-1][1])
assemble(small)  # warm caches
_review, _t, small_queries = assemble(small)
raw_group_by(big)
raw_period, raw_trend = raw_group_by(big)
raw_time = raw_period + raw_trend
review, orm_time, big_queries = assemble(big)
received = review.kpi_line_ids.filtered(lambda line: line.kpi_code == "received").value
print(
    f"review_input_assembly: {int(received)} complaints in the period | assembly "
    f"{orm_time:.2f} s, {big_queries} queries | raw SQL GROUP BY of the same "
    f"figures {raw_time:.2f} s (period {raw_period:.2f} s, trend {raw_trend:.2f} s) | "
    f"ratio {orm_time / raw_time:.2f}x (to the period alone "
    f"{orm_time / raw_period:.2f}x) | target < 3 s and <= 1.5x: "
    f"{'PASS' if orm_time < 3 and orm_time <= 1.5 * raw_time else 'FAIL'}"
)
print(
    f"review_query_count: {small_queries} queries at {SMALL} complaints, "
    f"{big_queries} at {N}: {'constant' if small_queries == big_queries else 'GROWS'}"
)
cr.rollback()
