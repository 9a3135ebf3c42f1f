# Benchmark: what agents and complainants read, against helpdesk_mgmt's plain
# tickets in the same run and database, over BENCH_N existing complaints
# (seed.py; several sizes separated by commas: BENCH_N=10000,100000). Run
# with `make bench` (an Odoo shell script: `env` is given).
#
# As an agent of the complaints teams (and of the plain team), the web
# client's calls with the fields specification of each view
# (iso10002_complaints/tests/web_spec.py):
#  - list: 80 complaints in their list against 80 plain tickets in
#    helpdesk_mgmt's list (target: at most 2 queries more);
#  - kanban: the complaints kanban against helpdesk_mgmt's kanban;
#  - form: a complaint against a plain ticket in the ticket form (target:
#    at most 1.5x the queries).
# As a portal customer, through Odoo's WSGI application in this process
# (the requests share this transaction, as Odoo's HTTP tests do):
#  - /my/complaints against helpdesk_mgmt's /my/tickets (the customer has
#    as many plain tickets as complaints);
#  - a complaint's page /my/complaints/<id> against /my/ticket/<id>.
# Each pair is measured back to back, warm, the best of BENCH_REPEAT runs,
# and printed as queries and ms with the complaint / plain ratio; then the
# growth of each ratio between sizes.
import os
import sys
import time
from contextlib import ExitStack
from unittest.mock import patch

sys.path.insert(0, "bench")
sys.path.insert(0, "iso10002_complaints/tests")
import seed
import web_spec
from werkzeug.test import Client
from werkzeug.wrappers import Response

import odoo
from odoo.service import security
from odoo.tests.common import BaseCase

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
ROWS = 80
cr = env.cr
Ticket = env["helpdesk.ticket"]
data = seed.masters(env)
agent = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": "Bench agent",
            "login": "bench_reads_agent",
            "group_ids": [
                (4, env.ref("iso10002_complaints.group_iso10002_agent").id),
                (4, env.ref("helpdesk_mgmt.group_helpdesk_user").id),
            ],
            "company_ids": [(6, 0, data["companies"].ids)],
            "company_id": data["companies"][0].id,
        }
    )
)
(data["teams"] | data["plain_team"]).write({"user_ids": [(4, agent.id)]})
customer = data["customers"][7]
portal_user = (
    env["res.users"]
    .with_context(no_reset_password=True)
    .create(
        {
            "name": customer.name,
            "login": "bench_reads_portal",
            "partner_id": customer.id,
            "group_ids": [(6, 0, env.ref("base.group_portal").ids)],
        }
    )
)
as_agent = Ticket.with_user(agent).with_context(
    lang="en_US", tz="Europe/Brussels", allowed_company_ids=data["companies"].ids
)


def best(function):
    """Queries and seconds of the fastest of REPEAT warm runs."""
    function()  # warm: views, rules, groups
    result = None
    for _run in range(REPEAT):
        env.flush_all()
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        function()
        run = (cr.sql_log_count - queries, time.perf_counter() - start)
        result = run if result is None or run[1] < result[1] else result
    return result


def pair(label, size, complaint, plain, target=""):
    (cq, ct), (pq, pt) = best(complaint), best(plain)
    print(
        f"{label} at {size}: complaint {cq} queries {ct * 1000:.1f} ms | plain "
        f"{pq} queries {pt * 1000:.1f} ms | ratio queries {cq / pq:.2f}x "
        f"(+{cq - pq}) time {ct / pt:.2f}x{target}"
    )
    return cq / pq, ct / pt


def web_search_read(view_ref, view_type, domain):
    spec, _view_id = web_spec.view_spec(as_agent, view_ref, view_type)
    # the web client counts up to 10,000 rows (count_limit)
    return lambda: as_agent.web_search_read(domain, spec, limit=ROWS, count_limit=10001)


def web_read(record, spec):
    return lambda: as_agent.browse(record.id).web_read(spec)


def plain_tickets_for_customer(count):
    """The customer's plain tickets, as many as their complaints."""
    have = Ticket.search_count(
        [("partner_id", "=", customer.id), ("team_id", "=", data["plain_team"].id)]
    )
    Ticket.create(
        [
            {
                "name": f"Bench question {i}",
                "description": "<p>Question</p>",
                "team_id": data["plain_team"].id,
                "partner_id": customer.id,
            }
            for i in range(have, count)
        ]
    )


def http_get(session_id, url):
    client = Client(odoo.http.root, Response, use_cookies=False)

    def get():
        response = client.get(
            url,
            base_url="http://localhost",
            headers={"Cookie": f"session_id={session_id}"},
        )
        assert response.status_code == 200, (url, response.status_code)

    return get


class BenchAsTest:
    """What Odoo's test cursors ask of the running test."""

    test_cursor_lock_timeout = 30

    def assertCanOpenTestCursor(self):
        return True


def portal_session():
    store = odoo.http.root.session_store
    session = store.new()
    session.update(odoo.http.get_default_session(), db=cr.dbname)
    session.uid = portal_user.id
    session.login = portal_user.login
    session.session_token = security.compute_session_token(
        session, env(user=portal_user.id)
    )
    session.context = dict(env["res.users"].with_user(portal_user).context_get())
    store.save(session)
    return session.sid


# plain tickets of the plain team for the agent's list, kanban and form
Ticket.create(
    [
        {
            "name": f"Bench ticket {i}",
            "description": "<p>Plain</p>",
            "team_id": data["plain_team"].id,
            "partner_id": data["customers"][i % 50].id,
            "user_id": agent.id,
        }
        for i in range(ROWS)
    ]
)
form_spec, _form_id = web_spec.view_spec(
    as_agent, "helpdesk_mgmt.ticket_view_form", "form"
)
ratios = {}
for size in seed.sizes():
    seed.grow(env, data, size)
    complaints_domain = [("is_complaint", "=", True)]
    plain_domain = [("team_id", "=", data["plain_team"].id)]
    complaint = Ticket.search(
        complaints_domain + [("iso10002_step", "!=", "closed")], limit=1
    )
    ticket = Ticket.search(plain_domain, limit=1)
    ratios[size] = {
        "list": pair(
            "list_80_as_agent",
            size,
            web_search_read(
                "iso10002_complaints.helpdesk_ticket_view_list_complaint",
                "list",
                complaints_domain,
            ),
            web_search_read("helpdesk_mgmt.ticket_view_tree", "list", plain_domain),
            " (target <= plain + 2 queries)",
        ),
        "kanban": pair(
            "kanban_80_as_agent",
            size,
            web_search_read(
                "iso10002_complaints.helpdesk_ticket_view_kanban_complaint",
                "kanban",
                complaints_domain,
            ),
            web_search_read(
                "helpdesk_mgmt.view_helpdesk_ticket_kanban", "kanban", plain_domain
            ),
        ),
        "form": pair(
            "form_as_agent",
            size,
            web_read(complaint, form_spec),
            web_read(ticket, form_spec),
            " (target <= 1.5x queries)",
        ),
    }
    own = Ticket.search([("partner_id", "=", customer.id), ("is_complaint", "=", True)])
    plain_tickets_for_customer(len(own))
    own_plain = Ticket.search(
        [("partner_id", "=", customer.id), ("team_id", "=", data["plain_team"].id)],
        limit=1,
    )
    env.flush_all()
    # the portal requests run in this transaction: new cursors of the
    # registry wrap this one, as in Odoo's HTTP tests
    with ExitStack() as test_mode:
        for patcher in BaseCase._registry_test_mode_patches(
            cr=cr, registry=env.registry
        ):
            test_mode.enter_context(patcher)
        # Odoo's test cursors ask the running test whether they may open
        test_mode.enter_context(
            patch.object(odoo.modules.module, "current_test", BenchAsTest())
        )
        sid = portal_session()
        ratios[size]["portal_list"] = pair(
            f"portal_my_complaints ({len(own)} own)",
            size,
            http_get(sid, "/my/complaints"),
            http_get(sid, "/my/tickets"),
        )
        ratios[size]["portal_page"] = pair(
            "portal_complaint_page",
            size,
            http_get(sid, f"/my/complaints/{own[0].id}"),
            http_get(sid, f"/my/ticket/{own_plain.id}"),
        )
seed.print_growth(ratios)
cr.rollback()
