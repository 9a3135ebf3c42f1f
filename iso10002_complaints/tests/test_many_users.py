import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import config

from .common import AGENT, MANAGER, TOP, web_complaints_team

# pages that only read: with a read replica configured, Odoo serves them from it
READONLY_ROUTES = (
    "/complaints",
    "/complaints/<int:company_id>",
    "/complaints/statistics",
    "/complaints/new",
    "/complaints/thanks/<string:token>",
    "/complaints/survey/<string:token>",
    "/complaints/link/<string:token>",
    "/my/complaints",
    "/my/complaints/<int:ticket_id>",
    "/report/<converter>/<reportname>/<docids>",
)
# pages that write: never on the replica
READWRITE_ROUTES = (
    "/complaints/link/<string:token>",
    "/complaints/survey/<string:token>",
    "/complaints/submit",
    "/complaints/<int:company_id>/submit",
    "/my/complaints/<int:ticket_id>/answer",
)


@tagged("post_install", "-at_install")
class TestManyUsers(HttpCase):
    """R-4.2, R-4.3, R-7.3, R-8.4, R-8.6 with many users: the pages and
    methods that only read are marked read-only (Odoo 18 serves them from a
    read replica when one is configured, and rolls back and retries on the
    primary, with a warning, what writes in a read-only transaction); a web
    submission token makes one complaint however often it is sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"email": "care@example.com", "iso10002_web_rate_limit": 50})
        cls.agent = new_test_user(cls.env, "many_agent", groups=AGENT)
        cls.manager = new_test_user(
            cls.env, "many_manager", groups=MANAGER, password="many_manager"
        )
        cls.top = new_test_user(cls.env, "many_top", groups=TOP)
        cls.portal_user = new_test_user(
            cls.env,
            "many_portal",
            groups="base.group_portal",
            name="Paula Portal",
            email="paula.portal@example.org",
            password="many_portal",
        )
        cls.team = web_complaints_team(cls.env, cls.agent)

    def _web_values(self, token, **overrides):
        values = {
            "mailbox": "rita@example.org",
            "name": "Rita Reader",
            "email": "rita@example.org",
            "title": "Lamp arrived broken",
            "description": "The shade was cracked in the box.",
            "submission_token": token,
        }
        values.update(overrides)
        return values

    def _submit(self):
        page = self.url_open("/complaints/new").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        data = {
            "csrf_token": csrf,
            "submission_token": token,
            "name": "Rita Reader",
            "email": "rita@example.org",
            "title": "Lamp arrived broken",
            "description": "The shade was cracked in the box.",
            "consent": "on",
        }
        response = self.url_open(
            f"/complaints/{self.company.id}/submit", data=data, allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        return response.headers["Location"], token

    # ------------------------------------------------------------------
    def test_read_only_routes_are_marked(self):
        IrHttp = self.env["ir.http"]
        modules = sorted(
            self.registry._init_modules | set(config["server_wide_modules"])
        )
        routing = {}
        for url, endpoint in IrHttp._generate_routing_rules(
            modules, converters=IrHttp._get_converters()
        ):
            methods = endpoint.routing.get("methods") or ["GET", "POST"]
            for method in methods:
                routing[url, method] = endpoint.routing["readonly"]
        for path in READONLY_ROUTES:
            with self.subTest(path=path):
                self.assertIs(routing[path, "GET"], True)
        for path in READWRITE_ROUTES:
            with self.subTest(path=path):
                self.assertFalse(routing[path, "POST"])

    def test_read_only_pages_write_nothing(self):
        """In test mode Odoo runs read-only routes in a read-only transaction:
        a page that wrote would be retried on the primary with a warning."""
        thanks, _token = self._submit()
        complaint = self.env["helpdesk.ticket"].search(
            [("partner_email", "=", "rita@example.org")]
        )
        self.assertEqual(len(complaint), 1)
        complaint.partner_id.user_ids = self.portal_user
        complaint.partner_id = self.portal_user.partner_id
        with self.assertNoLogs("odoo.http", "WARNING"):
            for url in ("/complaints", f"/complaints/{self.company.id}", thanks):
                with self.subTest(url=url):
                    self.assertEqual(self.url_open(url).status_code, 200)
            self.authenticate("many_portal", "many_portal")
            for url in ("/my/complaints", f"/my/complaints/{complaint.id}"):
                with self.subTest(url=url):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("Lamp arrived broken", response.text)

    def test_review_report_renders_read_only(self):
        review = self.env["iso10002.review"].create(
            {"name": "Empty period", "date_from": "2001-01-01", "date_to": "2001-01-31"}
        )
        review.action_assemble_inputs()
        self.authenticate("many_manager", "many_manager")
        with self.assertNoLogs("odoo.http", "WARNING"):
            response = self.url_open(
                f"/report/html/iso10002_complaints.report_review/{review.id}"
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn("No previous review", response.text)

    def test_monitoring_figures_over_rpc_read_only(self):
        """R-8.4: the dashboard's figures for monitoring tools, from a method
        marked read-only (the RPC route then takes a read-only cursor)."""
        Dashboard = self.env["iso10002.kpi.dashboard"]
        self.assertTrue(getattr(type(Dashboard).get_figures, "_readonly", False))
        self._submit()
        self.authenticate("many_manager", "many_manager")
        with self.assertNoLogs("odoo.http", "WARNING"):
            figures = self.make_jsonrpc_request(
                "/web/dataset/call_kw/iso10002.kpi.dashboard/get_figures",
                {
                    "model": "iso10002.kpi.dashboard",
                    "method": "get_figures",
                    "args": [],
                    "kwargs": {},
                },
            )
        dashboard = Dashboard.with_user(self.manager).create({})
        expected = {line.code: line.value for line in dashboard.line_ids}
        self.assertEqual({row["code"] for row in figures}, set(expected))
        for row in figures:
            # the dashboard's lines keep two decimals
            self.assertAlmostEqual(row["value"], expected[row["code"]], places=2)
        self.assertGreaterEqual(expected["received"], 1)
        with self.assertRaises(AccessError):
            Dashboard.with_user(self.agent).get_figures()

    def test_r_4_3_a_token_sent_again_returns_its_complaint(self):
        """A client that retries with its token (its first request's worker
        died after the commit, or a double click) gets the same complaint."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        first = Ticket._iso10002_create_from_web(
            self.company, self._web_values("retry-token"), []
        )
        again = Ticket._iso10002_create_from_web(
            self.company,
            self._web_values("retry-token", title="Sent a second time"),
            [],
        )
        self.assertEqual(again, first)
        self.assertEqual(
            Ticket.search_count([("iso10002_submission_token", "=", "retry-token")]), 1
        )
        self.assertEqual(first.name, "Lamp arrived broken")
        Submission = self.env["iso10002.web.submission"]
        self.assertFalse(Submission._claim("retry-token"))
        self.assertTrue(Submission._claim("another-token"))

    def test_r_4_3_a_double_submit_shows_one_complaint(self):
        thanks, token = self._submit()
        page = self.url_open("/complaints/new").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            f"/complaints/{self.company.id}/submit",
            data={
                "csrf_token": csrf,
                "submission_token": token,
                "name": "Rita Reader",
                "email": "rita@example.org",
                "title": "Sent again",
                "description": "The shade was cracked in the box.",
                "consent": "on",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.headers["Location"], thanks)
        complaints = self.env["helpdesk.ticket"].search(
            [("iso10002_submission_token", "=", token)]
        )
        self.assertEqual(complaints.mapped("name"), ["Lamp arrived broken"])
