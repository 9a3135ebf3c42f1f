"""Realistic existing data for the benches, seeded by SQL (as a data migration
would): complaints of two companies spread over three complaints teams each,
the helpdesk channels, the Annex D categories, 50 products and 600 customers
(100 organisations with two contacts each, 400 individuals), received over the
last two years; 40 % still open with their four phase clocks running, of which
2 % of all complaints have a breached deadline and 1 % one at risk; 2 % are
feedback. Recurrence flags follow the R-8.2 rule.

Used by the bench_*.py scripts (Odoo shell scripts run from the repository's
root): ``import seed`` after putting ``bench/`` on ``sys.path``.
"""

import itertools
import os
import time

from odoo import fields

CUSTOMER_ORGS = 100
INDIVIDUALS = 400
PRODUCTS = 50


def print_growth(ratios):
    """The growth of each ratio between the sizes measured:
    ``ratios[size][label] = (queries ratio, time ratio)``."""
    measured = sorted(ratios)
    for label in ratios[measured[0]]:
        for small, large in itertools.pairwise(measured):
            (q0, t0), (q1, t1) = ratios[small][label], ratios[large][label]
            print(
                f"{label} growth {small} -> {large}: ratio queries {q1 / q0:.2f}x, "
                f"time {t1 / t0:.2f}x"
            )


def sizes():
    """The sizes to measure at: ``BENCH_N`` (existing complaints), one or
    more separated by commas (``make bench BENCH_N=10000,100000``)."""
    return [int(n) for n in os.environ.get("BENCH_N", "10000").split(",") if n]


def masters(env):
    """Companies, teams, customers, products of the seeded data."""
    admin = env.ref("base.user_admin")
    company_a = env.company
    company_b = env["res.company"].create({"name": "Bench Beta Ltd"})
    admin.company_ids |= company_b
    (company_a | company_b).write({"iso10002_management_representative_id": admin.id})
    leaders = [
        env["res.users"].create(
            {
                "name": f"Bench leader {index}",
                "login": f"bench_leader_{index}",
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "group_ids": [
                    (4, env.ref("iso10002_complaints.group_iso10002_manager").id)
                ],
            }
        )
        for index, company in enumerate([company_a] * 3 + [company_b] * 3)
    ]
    teams = env["helpdesk.ticket.team"].create(
        [
            {
                "name": f"Bench complaints {index}",
                "is_iso10002": True,
                "company_id": leader.company_id.id,
                "user_id": leader.id,
                "user_ids": [(6, 0, (leader | admin).ids)],
            }
            for index, leader in enumerate(leaders)
        ]
    )
    plain_team = env["helpdesk.ticket.team"].create({"name": "Bench support"})
    Partner = env["res.partner"]
    orgs = Partner.create(
        [{"name": f"Bench org {i}", "is_company": True} for i in range(CUSTOMER_ORGS)]
    )
    customers = Partner.create(
        [
            {
                "name": f"Bench contact {i}",
                "parent_id": org.id,
                "email": f"contact{i}@bench.example.org",
            }
            for i, org in enumerate(orgs + orgs)
        ]
        + [
            {"name": f"Bench person {i}", "email": f"person{i}@bench.example.org"}
            for i in range(INDIVIDUALS)
        ]
    )
    products = env["product.product"].create(
        [{"name": f"Bench product {i}"} for i in range(PRODUCTS)]
    )
    env.flush_all()
    return {
        "admin": admin,
        "companies": company_a | company_b,
        "teams": teams,
        "plain_team": plain_team,
        "customers": customers,
        "products": products,
        "categories": env["iso10002.complaint.category"].search([]),
        "channels": env["helpdesk.ticket.channel"].search([]),
        "seeded": 0,
    }


# The rows are made in a temporary table, flagged there, and inserted in
# their final form: an UPDATE of the seeded rows would leave a dead version of
# most of them in the table and in every index (the bench's transaction is
# rolled back, never vacuumed), and the complaint side's index scans would
# walk through them as no company's vacuumed database makes them.
SEED_SQL = """
CREATE TEMP TABLE bench_seed AS
WITH src AS (
    SELECT i,
           (%(teams)s::int[])[1 + i %% 6] AS team_id,
           (%(companies)s::int[])[1 + (i %% 6) / 3] AS company_id,
           i %% 5 >= 3 AS open
      FROM generate_series(%(first)s, %(last)s) AS i
)
SELECT nextval('helpdesk_ticket_id_seq')::int AS id,
       'Seeded complaint ' || i AS name, '<p>Seeded</p>' AS description,
       'SEED/' || i AS number, 'SEED/' || i AS complaint_reference,
       company_id, team_id,
       CASE WHEN NOT open THEN %(closed)s
            WHEN i %% 5 = 3 THEN %(investigating)s ELSE %(acknowledged)s END
           AS stage_id,
       CASE WHEN NOT open THEN 'closed'
            WHEN i %% 5 = 3 THEN 'investigating' ELSE 'acknowledged' END
           AS iso10002_step,
       (%(customers)s::int[])[1 + (i * 7) %% %(n_customers)s] AS partner_id,
       (%(channels)s::int[])[1 + i %% %(n_channels)s] AS channel_id,
       CASE WHEN i %% 10 < 7
            THEN (%(products)s::int[])[1 + (i * 13) %% %(n_products)s] END
           AS product_id,
       CASE WHEN i %% 10 <> 9
            THEN (%(categories)s::int[])[1 + (i * 17) %% %(n_categories)s] END
           AS complaint_category_id,
       true AS is_complaint, i %% 50 = 7 AS is_feedback, true AS active,
       %(now)s - ((i * 7919) %% (730 * 24)) * interval '1 hour' AS received_at,
       (ARRAY['low', 'medium', 'high', 'critical'])[1 + i %% 4] AS severity,
       '1' AS priority, %(admin)s AS user_id, %(policy)s AS sla_policy_id,
       CASE WHEN NOT open THEN NULL
            WHEN i %% 50 = 3 THEN %(now)s - interval '1 hour'
            WHEN i %% 100 = 4 THEN %(now)s + interval '2 hours'
            ELSE %(now)s + interval '3 days' END AS sla_deadline,
       CASE WHEN NOT open THEN NULL
            WHEN i %% 50 = 3 THEN %(now)s - interval '3 hours'
            WHEN i %% 100 = 4 THEN %(now)s - interval '1 hour'
            ELSE %(now)s + interval '2 days' END AS sla_at_risk_at,
       false AS recurrence_detected
  FROM src
"""

SEED_COLUMNS = """name, description, number, complaint_reference, company_id,
    team_id, stage_id, iso10002_step, partner_id, channel_id, product_id,
    complaint_category_id, is_complaint, is_feedback, active, received_at,
    severity, priority, user_id, sla_policy_id, sla_deadline, sla_at_risk_at,
    recurrence_detected"""

CLOCKS_SQL = """
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
"""


def grow(env, data, total):
    """Seed complaints until ``total`` exist (beyond those already seeded)."""
    if total <= data["seeded"]:
        return
    start = time.perf_counter()
    cr = env.cr
    now = fields.Datetime.now()
    ref = env.ref
    stage = "iso10002_complaints.helpdesk_ticket_stage_iso_"
    lists = {
        "teams": data["teams"].ids,
        "companies": data["companies"].ids,
        "customers": data["customers"].ids,
        "channels": data["channels"].ids,
        "products": data["products"].ids,
        "categories": data["categories"].ids,
    }
    params = dict(
        lists,
        **{f"n_{key}": len(value) for key, value in lists.items()},
        first=data["seeded"] + 1,
        last=total,
        now=now,
        admin=data["admin"].id,
        policy=ref("iso10002_complaints.sla_policy_standard").id,
        closed=ref(f"{stage}closed").id,
        investigating=ref(f"{stage}investigating").id,
        acknowledged=ref(f"{stage}acknowledged").id,
    )
    cr.execute(SEED_SQL, params)
    # recurrence flags by the rule (same company, same product, or same
    # category when either has no product, within the company's window), in
    # plain SQL so that the seed does not depend on the code measured; over
    # the new rows and the complaints already there. A complaint recurs when
    # its nearest neighbour in date order among the complaints it may match
    # is within the window: window functions over sorted rows, not a search
    # per complaint.
    cr.execute(
        """WITH pool AS (
               SELECT p.*,
                      c.iso10002_recurrence_window_days * interval '1 day' AS span
                 FROM (SELECT id, company_id, product_id, complaint_category_id,
                              received_at, true AS new
                         FROM bench_seed WHERE NOT is_feedback
                        UNION ALL
                       SELECT id, company_id, product_id, complaint_category_id,
                              received_at, false
                         FROM helpdesk_ticket
                        WHERE is_complaint AND NOT is_feedback AND active) p
                 JOIN res_company c ON c.id = p.company_id
           ), near AS (
               SELECT id, new, received_at, product_id, span,
                      -- the same product
                      lag(received_at) OVER by_product AS product_before,
                      lead(received_at) OVER by_product AS product_after,
                      -- the same category (for a complaint without product)
                      lag(received_at) OVER by_category AS category_before,
                      lead(received_at) OVER by_category AS category_after,
                      -- the same category and no product (for one with)
                      max(received_at) FILTER (WHERE product_id IS NULL)
                          OVER (by_category ROWS BETWEEN UNBOUNDED PRECEDING
                                AND 1 PRECEDING) AS bare_before,
                      min(received_at) FILTER (WHERE product_id IS NULL)
                          OVER (by_category ROWS BETWEEN 1 FOLLOWING
                                AND UNBOUNDED FOLLOWING) AS bare_after
                 FROM pool
               WINDOW by_product AS (
                          PARTITION BY company_id, product_id
                          ORDER BY received_at, id),
                      by_category AS (
                          PARTITION BY company_id, complaint_category_id
                          ORDER BY received_at, id)
           )
           UPDATE bench_seed SET recurrence_detected = true
             FROM near
            WHERE near.id = bench_seed.id AND near.new AND (
                  (near.product_id IS NOT NULL AND (
                       near.received_at - near.product_before <= near.span
                    OR near.product_after - near.received_at <= near.span))
               OR (bench_seed.complaint_category_id IS NOT NULL
                   AND near.product_id IS NULL AND (
                       near.received_at - near.category_before <= near.span
                    OR near.category_after - near.received_at <= near.span))
               OR (bench_seed.complaint_category_id IS NOT NULL
                   AND near.product_id IS NOT NULL AND (
                       near.received_at - near.bare_before <= near.span
                    OR near.bare_after - near.received_at <= near.span)))"""
    )
    cr.execute(
        f"""INSERT INTO helpdesk_ticket (id, {SEED_COLUMNS}, create_date,
                write_date, create_uid, write_uid)
            SELECT id, {SEED_COLUMNS}, %(now)s, %(now)s, %(admin)s, %(admin)s
              FROM bench_seed ORDER BY id
            RETURNING id, stage_id = %(closed)s;""",
        params,
    )
    rows = cr.fetchall()
    cr.execute("DROP TABLE bench_seed")
    # the table's size for the planner before it is joined below (stale
    # statistics send the clocks' insert into nested seq scans for minutes)
    cr.execute("ANALYZE helpdesk_ticket")
    ids = [row[0] for row in rows]
    open_ids = [row[0] for row in rows if not row[1]]
    cr.execute(CLOCKS_SQL, {"policy": params["policy"], "now": now, "ids": open_ids})
    env.invalidate_all()
    cr.execute("ANALYZE iso10002_sla_line")
    cr.execute(
        "SELECT count(*) FILTER (WHERE recurrence_detected), count(*)"
        " FROM helpdesk_ticket WHERE is_complaint"
    )
    flagged, complaints = cr.fetchone()
    data["seeded"] = total
    print(
        f"seed: {total} complaints ({len(ids)} added, {len(open_ids)} of them open"
        f" with 4 clocks) in {time.perf_counter() - start:.1f} s;"
        f" {flagged} of {complaints} flagged recurring"
    )
