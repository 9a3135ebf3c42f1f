"""Anonymised statistics released to the public by choice, with small
figures withheld (ISO 10002 8.1 e, R-8.1)."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import AGENT


@tagged("post_install", "-at_install")
class TestPublicStatistics(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Stats Ltd"})
        agent = new_test_user(
            cls.env,
            "stats_agent",
            groups=AGENT,
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Stats complaints",
                "is_iso10002": True,
                "company_id": cls.company.id,
                "user_ids": [(6, 0, agent.ids)],
            }
        )
        big = cls.env.ref("iso10002_complaints.complaint_category_05")
        small = cls.env.ref("iso10002_complaints.complaint_category_10")
        partner = cls.env["res.partner"].create({"name": "Petra Private"})
        phone = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        for index in range(7):
            cls.env["helpdesk.ticket"].create(
                {
                    "name": f"Complaint {index}",
                    "description": "<p>x</p>",
                    "team_id": team.id,
                    "company_id": cls.company.id,
                    "partner_id": partner.id,
                    "channel_id": phone.id,
                    "complaint_category_id": (big if index < 5 else small).id,
                }
            )
        cls.url = f"/complaints/{cls.company.id}/statistics"

    def test_r_8_1_statistics_only_when_published(self):
        self.assertEqual(self.url_open(self.url).status_code, 404)
        public = self.url_open(f"/complaints/{self.company.id}").text
        self.assertNotIn("/statistics", public)

    def test_r_8_1_published_statistics_withhold_small_figures(self):
        self.company.iso10002_publish_statistics = True
        self.assertIn(self.url, self.url_open(f"/complaints/{self.company.id}").text)
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        text = page.text
        big = self.env.ref("iso10002_complaints.complaint_category_05")
        small = self.env.ref("iso10002_complaints.complaint_category_10")
        self.assertIn(big.display_name, text)
        self.assertNotIn(small.display_name, text)  # 2 < 5: merged, withheld
        self.assertIn("Other categories", text)
        self.assertIn("fewer than 5", text)
        self.assertIn("Complaints received: <strong>7</strong>", text)
        self.assertNotIn("Petra Private", text)
        self.assertNotIn("Complaint 1", text)
        # a lower threshold shows the small category too
        self.company.iso10002_statistics_threshold = 2
        text = self.url_open(self.url).text
        self.assertIn(small.display_name, text)
        self.assertNotIn("Other categories", text)
