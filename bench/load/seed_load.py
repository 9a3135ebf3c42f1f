"""Users and records the load test acts with (an Odoo shell script, run by
bench/load/load.sh on the load database; safe to run again): complaint
agents in the first complaints team, managers, portal complainants with
complaints of their own, a management review to print. The per-address and
per-client limits of the web form are raised: all load comes from 127.0.0.1.
Prints the fixtures as JSON on its last line."""

import json
import os

from odoo import fields

AGENTS = int(os.environ.get("LOAD_AGENTS", "6"))
MANAGERS = int(os.environ.get("LOAD_MANAGERS", "2"))
PORTALS = int(os.environ.get("LOAD_PORTALS", "8"))
PASSWORD = "load-test"

company = env.ref("base.main_company")
company.iso10002_web_rate_limit = 1000000
team = env["helpdesk.ticket.team"].search(
    [("is_iso10002", "=", True), ("company_id", "in", (company.id, False))],
    order="sequence, id",
    limit=1,
)
Users = env["res.users"].with_context(no_reset_password=True)


def user(login, name, groups):
    found = Users.search([("login", "=", login)])
    if found:
        return found
    return Users.create(
        {
            "login": login,
            "name": name,
            "email": f"{login}@example.com",
            "password": PASSWORD,
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "group_ids": [(6, 0, [env.ref(g).id for g in groups])],
        }
    )


agents = [
    user(
        f"load_agent_{i}",
        f"Load Agent {i}",
        ["base.group_user", "iso10002_complaints.group_iso10002_agent"],
    )
    for i in range(1, AGENTS + 1)
]
team.user_ids |= Users.browse([a.id for a in agents])
managers = [
    user(
        f"load_manager_{i}",
        f"Load Manager {i}",
        ["base.group_user", "iso10002_complaints.group_iso10002_manager"],
    )
    for i in range(1, MANAGERS + 1)
]
portals = []
channel = env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
for i in range(1, PORTALS + 1):
    portal = user(f"load_portal_{i}", f"Load Complainant {i}", ["base.group_portal"])
    Ticket = env["helpdesk.ticket"]
    mine = Ticket.search([("partner_id", "=", portal.partner_id.id)])
    if not mine:
        mine = Ticket.create(
            [
                {
                    "name": f"Load complaint {n} of {portal.name}",
                    "description": "<p>Seeded for the load test.</p>",
                    "team_id": team.id,
                    "partner_id": portal.partner_id.id,
                    "channel_id": channel.id,
                }
                for n in (1, 2)
            ]
        )
    portals.append({"login": portal.login, "complaints": mine.ids})
review = env["iso10002.review"].search([("name", "=", "Load test review")], limit=1)
if not review:
    today = fields.Date.today()
    review = env["iso10002.review"].create(
        {
            "name": "Load test review",
            "date_from": today.replace(month=1, day=1),
            "date_to": today,
        }
    )
    review.action_assemble_inputs()
env.cr.commit()
print(
    json.dumps(
        {
            "password": PASSWORD,
            "company_id": company.id,
            "category_id": env.ref("iso10002_complaints.complaint_category_05").id,
            "agents": [a.login for a in agents],
            "managers": [m.login for m in managers],
            "portals": portals,
            "review_id": review.id,
        }
    )
)
