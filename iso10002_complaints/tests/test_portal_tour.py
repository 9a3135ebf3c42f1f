import os
from pathlib import Path

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AGENT, communicate_decision

# axe-core is installed by tools/setup.sh (make test); the Makefile says where
AXE_PATHS = [
    os.environ.get("ISO10002_NODE_MODULES", ""),
    str(Path.home() / ".cache" / "iso10002_complaints" / "node" / "node_modules"),
]


def _axe_source():
    for base in AXE_PATHS:
        path = Path(base) / "axe-core" / "axe.min.js"
        if base and path.is_file():
            return path.read_text()
    raise AssertionError(
        "axe-core is missing: run tools/setup.sh (make test does) to install it"
    )


@tagged("post_install", "-at_install")
class TestComplainantTours(HttpCase):
    """The complainant's whole journey in headless Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(cls.env, "tour_web_agent", groups=AGENT)
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Tour Web Complaints",
                "is_iso10002": True,
                "sequence": 0,
                "user_ids": [(6, 0, cls.agent.ids)],
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            "tour_complainant",
            groups="base.group_portal",
            name="Tom Complainant",
            email="tom.complainant@example.org",
            password="tour_complainant",
        )

    def test_r_4_3_complain_without_an_account(self):
        self.start_tour("/complaints", "iso10002_public_complaint_tour")
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "Table leg snapped")]
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id.email, "tess.tourist@example.org")
        self.assertEqual(complaint.iso10002_step, "acknowledged")
        self.assertEqual(complaint.remedy_requested_text, "A new table")

    def test_r_7_9_r_8_3_answer_and_rate_on_the_portal(self):
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Lamp flickers",
                "description": "<p>Flickers.</p>",
                "team_id": self.team.id,
                "partner_id": self.portal_user.partner_id.id,
                "channel_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                ).id,
            }
        )
        communicate_decision(complaint, self.agent, "We replace the lamp.")
        self.start_tour(
            "/my/complaints", "iso10002_portal_answer_tour", login="tour_complainant"
        )
        self.assertEqual(complaint.complainant_response, "accepted")
        complaint.action_iso10002_close()
        survey = complaint.satisfaction_ids
        self.start_tour(
            f"/complaints/survey/{survey.access_token}", "iso10002_survey_tour"
        )
        self.assertEqual(survey.score, 5)
        self.assertEqual(survey.fair, "yes")

    def _axe(self, url):
        """Run axe-core in the page; fail on serious or critical violations.

        axe is served to the page as a public attachment of this test's
        transaction, so that the test code stays short."""
        if not hasattr(self, "_axe_url"):
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "axe.min.js",
                    "raw": _axe_source().encode(),
                    "mimetype": "application/javascript",
                    "public": True,
                }
            )
            self._axe_url = f"/web/content/{attachment.id}"
        code = """
            const script = document.createElement('script');
            script.src = '__AXE_URL__';
            script.onload = () => axe.run(document, {resultTypes: ['violations']})
                .then((result) => {
                    const bad = result.violations.filter(
                        (v) => ['serious', 'critical'].includes(v.impact));
                    if (bad.length) {
                        console.error('accessibility violations: ' + JSON.stringify(
                            bad.map((v) => ({id: v.id, impact: v.impact,
                                nodes: v.nodes.map((n) => n.target.join(' '))}))));
                    } else {
                        console.log('test successful');
                    }
                });
            document.head.appendChild(script);
        """.replace("__AXE_URL__", self._axe_url)
        self.browser_js(url, code, ready="document.readyState === 'complete'")

    def test_r_4_3_accessibility_of_public_page_and_form(self):
        self._axe("/complaints")
        self._axe("/complaints/new")
