"""Every web door to a complaint, probed as the people who must not get in
(R-4.7 confidentiality, R-7.3 tracking, R-4.3 web intake, issue #13)."""

import inspect

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AGENT, communicate_decision

# Routes of the addon and of helpdesk_mgmt that take a ticket or complaint
# (an id or a token), each probed below as every outsider. A new route must
# be added here (with its probe) or to NO_RECORD: the first test fails else.
PROBED = {
    "/my/complaints/<int:ticket_id>": "_probe_complaint_page",
    "/my/complaints/<int:ticket_id>/answer": "_probe_answer",
    "/my/ticket/<int:ticket_id>": "_probe_ticket_page",
    # helpdesk_mgmt 19: the access token in the path
    "/my/ticket/<int:ticket_id>/<access_token>": "_probe_ticket_page",
    "/my/tickets": "_probe_ticket_list",
    "/my/tickets/page/<int:page>": "_probe_ticket_list",
    "/my/complaints": "_probe_complaint_list",
    "/my/complaints/page/<int:page>": "_probe_complaint_list",
    "/ticket/close": "_probe_ticket_close",
    "/complaints/thanks/<string:token>": "_probe_thanks",
    "/complaints/link/<string:token>": "_probe_link",
    "/complaints/survey/<string:token>": "_probe_survey",
}
# Routes that take no ticket: the public page, the form, helpdesk_mgmt's form
NO_RECORD = {
    "/complaints",
    "/complaints/<int:company_id>",
    "/complaints/new",
    "/complaints/<int:company_id>/new",
    "/complaints/submit",
    "/complaints/<int:company_id>/submit",
    "/complaints/statistics",
    "/complaints/<int:company_id>/statistics",
    "/new/ticket",
    "/submitted/ticket",
}
RECORD_PARAMETERS = {"ticket_id", "token", "access_token"}
MODULES = ("odoo.addons.iso10002_complaints.", "odoo.addons.helpdesk_mgmt.")


@tagged("post_install", "-at_install")
class TestPortalDoors(HttpCase):
    """R-4.7, R-7.3: who may open which door to a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "email": "care@example.com",
                "iso10002_web_rate_limit": 5,
                "iso10002_attachment_max_mb": 1,
            }
        )
        cls.agent = new_test_user(
            cls.env, "doors_agent", groups=AGENT, password="doors_agent"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Web Complaints",
                "is_iso10002": True,
                "sequence": 0,
                "user_ids": [(6, 0, cls.agent.ids)],
            }
        )
        cls.organisation = cls.env["res.partner"].create(
            {"name": "Acme Holdings", "is_company": True}
        )

        def portal(login, name, email, **extra):
            user = new_test_user(
                cls.env,
                login,
                groups="base.group_portal",
                name=name,
                email=email,
                password=login,
            )
            user.partner_id.write(extra)
            return user

        cls.chloe = portal(
            "doors_chloe",
            "Chloe Stored",
            "chloe.doors@example.org",
            phone="+1 555 0199",
            parent_id=cls.organisation.id,
        )
        cls.oscar = portal("doors_oscar", "Oscar Other", "oscar.doors@example.org")
        cls.sam = portal(
            "doors_sam",
            "Sam Colleague",
            "sam.doors@example.org",
            parent_id=cls.organisation.id,
        )
        cls.eve = new_test_user(
            cls.env,
            "doors_eve",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            name="Eve Employee",
            password="doors_eve",
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other Co"})
        cls.foreigner = new_test_user(
            cls.env,
            "doors_foreign",
            groups=AGENT,
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
            password="doors_foreign",
        )
        cls.complaint = cls.env["helpdesk.ticket"].create(
            {
                "name": "Doorbell secret title",
                "description": "<p>Private description of the doorbell.</p>",
                "team_id": cls.team.id,
                "partner_id": cls.chloe.partner_id.id,
                "channel_id": cls.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                ).id,
                "user_id": cls.agent.id,
            }
        )
        communicate_decision(cls.complaint, cls.agent, "We replace the doorbell.")
        cls.complaint._portal_ensure_token()
        cls.secrets = (
            cls.complaint.complaint_reference,
            "Doorbell secret title",
            "Private description",
            "Chloe Stored",
            "+1 555 0199",
            "chloe.doors@example.org",
            "We replace the doorbell.",
        )
        # (login, password) of everyone who must not see the complaint
        cls.outsiders = {
            "public visitor": None,
            "unrelated portal user": "doors_oscar",
            "portal user of the same organisation": "doors_sam",
            "internal user without need-to-know": "doors_eve",
            "user of another company": "doors_foreign",
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _as(self, login):
        self.authenticate(login, login)

    def _assert_no_data(self, response, who, route):
        for secret in self.secrets:
            self.assertNotIn(secret, response.text, f"{who} on {route}")

    def _csrf(self):
        return http.Request.csrf_token(self)

    @classmethod
    def _record_routes(cls):
        """The routes of the addon and of helpdesk_mgmt, with the parameter
        names of their endpoint."""
        IrHttp = cls.env["ir.http"]
        routes = {}
        for url, endpoint in IrHttp._generate_routing_rules(
            sorted(cls.env.registry._init_modules),
            converters=IrHttp._get_converters(),
        ):
            endpoint = getattr(endpoint, "original_endpoint", endpoint)
            if not getattr(endpoint, "__module__", "").startswith(MODULES):
                continue
            parameters = set(inspect.signature(endpoint).parameters)
            routes.setdefault(url, set()).update(parameters)
        return routes

    # ------------------------------------------------------------------
    # The route list cannot forget a route
    # ------------------------------------------------------------------
    def test_every_route_is_probed(self):
        """A new route of the addon or helpdesk_mgmt fails here until it is
        probed (R-4.7)."""
        routes = self._record_routes()
        self.assertIn("/ticket/close", routes)
        self.assertIn("/my/ticket/<int:ticket_id>", routes)
        unknown = set(routes) - set(PROBED) - NO_RECORD
        self.assertFalse(unknown, f"Routes without a probe: {sorted(unknown)}")
        for route in NO_RECORD:
            self.assertFalse(
                routes.get(route, set()) & RECORD_PARAMETERS,
                f"{route} takes a ticket or token: probe it",
            )
        for route in PROBED:
            self.assertIn(route, routes, f"{route} is gone: update the probes")

    def test_every_probe_refuses_every_outsider(self):
        """R-4.7: public visitor, unrelated portal user, same-organisation
        portal user, internal user without need-to-know and a user of another
        company get nothing from any door."""
        for route, probe in PROBED.items():
            for who, login in self.outsiders.items():
                with self.subTest(route=route, who=who):
                    self._as(login)
                    getattr(self, probe)(who, route)
        # and the complaint did not move
        self.assertEqual(self.complaint.iso10002_step, "communicated")
        self.assertFalse(self.complaint.complainant_response)

    def test_the_complainant_still_gets_in(self):
        """R-7.3: the probes are not blind: the complainant sees their
        complaint, by login and by token, and helpdesk_mgmt's pages send
        them to the complaint page."""
        self._as("doors_chloe")
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertIn(self.complaint.complaint_reference, page.text)
        handed = self.url_open(f"/my/ticket/{self.complaint.id}")
        self.assertTrue(handed.url.endswith(f"/my/complaints/{self.complaint.id}"))
        self.assertIn(self.complaint.complaint_reference, handed.text)
        self.authenticate(None, None)
        by_token = self.url_open(
            f"/my/ticket/{self.complaint.id}?access_token={self.complaint.access_token}"
        )
        self.assertIn(self.complaint.complaint_reference, by_token.text)
        self.assertIn("/my/complaints/", by_token.url)

    # ------------------------------------------------------------------
    # Probes, one per door
    # ------------------------------------------------------------------
    def _probe_complaint_page(self, who, route):
        response = self.url_open(f"/my/complaints/{self.complaint.id}")
        self._assert_no_data(response, who, route)
        wrong = self.url_open(f"/my/complaints/{self.complaint.id}?access_token=x")
        self._assert_no_data(wrong, who, route)

    def _probe_answer(self, who, route):
        response = self.url_open(
            f"/my/complaints/{self.complaint.id}/answer",
            data={"csrf_token": self._csrf(), "answer": "accepted"},
        )
        self._assert_no_data(response, who, route)
        self.assertFalse(self.complaint.complainant_response, who)

    def _probe_ticket_page(self, who, route):
        for url in (
            f"/my/ticket/{self.complaint.id}",
            f"/my/ticket/{self.complaint.id}/not-the-token",
        ):
            response = self.url_open(url)
            self._assert_no_data(response, who, route)
            self.assertNotIn("/ticket/close", response.text)

    def _probe_ticket_list(self, who, route):
        for url in ("/my/tickets", "/my/tickets/page/1"):
            self._assert_no_data(self.url_open(url), who, route)

    def _probe_complaint_list(self, who, route):
        for url in ("/my/complaints", "/my/complaints/page/1"):
            self._assert_no_data(self.url_open(url), who, route)

    @mute_logger("odoo.http")
    def _probe_ticket_close(self, who, route):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        before = self.complaint.stage_id
        for method in ("GET", "POST"):
            params = {"ticket_id": self.complaint.id, "stage_id": done.id}
            if method == "POST":
                response = self.url_open(
                    route, data=dict(params, csrf_token=self._csrf())
                )
            else:
                query = "&".join(f"{key}={value}" for key, value in params.items())
                response = self.url_open(f"{route}?{query}")
            self._assert_no_data(response, who, f"{method} {route}")
            self.assertEqual(self.complaint.stage_id, before, f"{who} {method}")

    def _probe_thanks(self, who, route):
        Ticket = self.env["helpdesk.ticket"]
        elsewhere = Ticket._iso10002_issue_submission_token(
            Ticket._iso10002_web_client("203.0.113.9")
        )
        self.complaint.sudo().iso10002_submission_token = elsewhere
        for token in (elsewhere, "x" * 40, "AQ"):
            response = self.url_open(f"/complaints/thanks/{token}")
            self.assertEqual(response.status_code, 404, who)
            self._assert_no_data(response, who, route)

    def _probe_link(self, who, route):
        for token in ("x" * 40, "AQ"):
            page = self.url_open(f"{route.split('<')[0]}{token}")
            self.assertEqual(page.status_code, 404, who)
            post = self.url_open(
                f"{route.split('<')[0]}{token}", data={"csrf_token": self._csrf()}
            )
            self.assertEqual(post.status_code, 404, who)
            self._assert_no_data(post, who, route)
        self.assertEqual(self.complaint.partner_id, self.chloe.partner_id)

    def _probe_survey(self, who, route):
        response = self.url_open("/complaints/survey/nope")
        self.assertEqual(response.status_code, 404, who)
        self._assert_no_data(response, who, route)

    # ------------------------------------------------------------------
    # helpdesk_mgmt's pages and the access token over RPC
    # ------------------------------------------------------------------
    def test_portal_home_counts_complaints_once(self):
        """Complaints are listed under "My complaints" only, not as tickets."""
        self._as("doors_chloe")
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["ticket_count", "iso10002_complaint_count"]},
        )
        self.assertEqual(counters["ticket_count"], 0)
        self.assertEqual(counters["iso10002_complaint_count"], 1)

    def test_access_token_needs_need_to_know(self):
        """R-4.7: the key that opens the complaint without login is not
        readable, searchable, groupable nor shareable by an internal user
        without need-to-know; the agent handling it still has it."""
        token = self.complaint.access_token
        as_eve = self.complaint.with_user(self.eve)
        self.assertEqual(as_eve.read(["name"])[0]["name"], self.complaint.name)
        self.assertFalse(as_eve.read(["access_token"])[0]["access_token"])
        self.assertFalse(
            as_eve.web_read({"access_token": {}})[0]["access_token"],
        )
        Ticket = self.env["helpdesk.ticket"].with_user(self.eve)
        self.assertFalse(Ticket.search([("access_token", "=", token)]))
        self.assertNotIn(
            self.complaint, Ticket.search([("access_token", "=like", token[:1] + "%")])
        )
        groups = Ticket.formatted_read_group([], ["access_token"], ["__count"])
        self.assertNotIn(token, [group["access_token"] for group in groups])
        for door in (as_eve.get_portal_url, as_eve._get_share_url):
            with self.assertRaises(AccessError):
                door()
        with self.assertRaises(AccessError):
            self.env["portal.share"].with_user(self.eve).with_context(
                active_model="helpdesk.ticket", active_id=self.complaint.id
            ).default_get(["share_link"])
        with self.assertRaises(AccessError):
            Ticket.search([], order="access_token")
        # over JSON-RPC, as the web client does
        self.authenticate("doors_eve", "doors_eve")
        rows = self.make_jsonrpc_request(
            "/web/dataset/call_kw/helpdesk.ticket/read",
            {
                "model": "helpdesk.ticket",
                "method": "read",
                "args": [self.complaint.ids, ["access_token"]],
                "kwargs": {},
            },
        )
        self.assertFalse(rows[0]["access_token"])
        # need-to-know keep it
        as_agent = self.complaint.with_user(self.agent)
        self.assertEqual(as_agent.read(["access_token"])[0]["access_token"], token)
        self.assertIn(token, as_agent.get_portal_url())

    def test_close_plain_ticket_needs_access_and_post(self):
        """helpdesk_mgmt's /ticket/close: POST with CSRF, as a user who may
        read the ticket, into a stage offered to the portal."""
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain printer ticket",
                "description": "<p>Printer.</p>",
                "partner_id": self.oscar.partner_id.id,
            }
        )
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        awaiting = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        start = ticket.stage_id
        self._as("doors_chloe")  # not hers
        self.url_open(
            "/ticket/close",
            data={
                "csrf_token": self._csrf(),
                "ticket_id": ticket.id,
                "stage_id": done.id,
            },
        )
        self.assertEqual(ticket.stage_id, start)
        self._as("doors_oscar")
        with mute_logger("odoo.http"):
            self.url_open(f"/ticket/close?ticket_id={ticket.id}&stage_id={done.id}")
        self.assertEqual(ticket.stage_id, start, "GET changes nothing")
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertRegex(page, r'<form method="POST"[^>]*action="/ticket/close"')
        for stage in (awaiting, done):
            self.url_open(
                "/ticket/close",
                data={
                    "csrf_token": self._csrf(),
                    "ticket_id": ticket.id,
                    "stage_id": stage.id,
                },
            )
        self.assertEqual(ticket.stage_id, done, "only the portal close stage")

    def test_helpdesk_form_does_not_take_complaints(self):
        """helpdesk_mgmt's ticket form offers no complaints team: complaints
        come in through /complaints with consent (R-4.3, R-4.7)."""
        self.company.helpdesk_mgmt_portal_select_team = True
        self.team.show_in_portal = True
        self._as("doors_oscar")
        page = self.url_open("/new/ticket").text
        self.assertNotIn(f'value="{self.team.id}"', page)
        self.url_open(
            "/submitted/ticket",
            data={
                "csrf_token": self._csrf(),
                "team": self.team.id,
                "subject": "Side door complaint",
                "description": "x",
            },
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Side door complaint")]
        )
        self.assertTrue(ticket)
        self.assertFalse(ticket.is_complaint)
