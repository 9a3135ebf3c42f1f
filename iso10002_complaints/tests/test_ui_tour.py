from odoo.tests import HttpCase, new_test_user, tagged

from .common import AGENT, MANAGER


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    """R-7.2 to R-7.9 in a real browser: an agent handles a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "tour_agent",
            groups=AGENT,
            name="Tour Agent",
            password="tour_agent",
        )
        cls.investigator = new_test_user(
            cls.env, "tour_investigator", groups=MANAGER, name="Tour Investigator"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Tour Complaints",
                "is_iso10002": True,
                "user_ids": [(6, 0, (cls.agent | cls.investigator).ids)],
            }
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Tour Complainant", "phone": "+1 555 0111"}
        )

    def test_r_7_agent_handles_complaint_in_browser(self):
        self.start_tour(
            "/odoo/action-iso10002_complaints.helpdesk_ticket_action_complaint",
            "iso10002_complaint_tour",
            login="tour_agent",
        )
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "Tour: wobbly desk leg")]
        )
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertEqual(complaint.complainant_response, "accepted")
        self.assertEqual(complaint.acknowledged_by_id, self.agent)
        self.assertEqual(complaint.investigator_id, self.investigator)
        self.assertEqual(len(complaint.stage_history_ids), 7)
