from odoo.tests import HttpCase, new_test_user, tagged

from .common import AGENT, AUDITOR, MANAGER, TOP


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


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    """What each role is offered, in a real browser: R-4.3, R-7.2, R-7.4 (an
    agent records a new caller's phone complaint and logs the
    acknowledgement), R-8.5 (the auditor reads and is offered no action)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env, "intake_agent", groups=AGENT, password="intake_agent"
        )
        cls.auditor = new_test_user(
            cls.env, "tour_auditor", groups=AUDITOR, password="tour_auditor"
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Intake Complaints",
                "is_iso10002": True,
                "user_ids": [(6, 0, cls.agent.ids)],
            }
        )

    def test_r_4_3_agent_records_a_new_caller_by_phone(self):
        self.start_tour(
            "/odoo/action-iso10002_complaints.helpdesk_ticket_action_complaint",
            "iso10002_phone_intake_tour",
            login="intake_agent",
        )
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "Intake: parcel left in the rain")]
        )
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.partner_id.name, "Carla Caller")
        self.assertEqual(complaint.partner_id.phone, "+1 555 0142")
        self.assertTrue(complaint.partner_id.iso10002_complainant_contact)
        self.assertEqual(complaint.acknowledgement_method, "phone")
        self.assertEqual(complaint.acknowledged_by_id, self.agent)

    def test_r_8_5_auditor_is_offered_no_action(self):
        complaint = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Audited: cold soup",
                    "description": "<p>The soup was cold.</p>",
                    "team_id": self.team.id,
                    "partner_name": "Sol Soup",
                    "partner_email": "sol@example.org",
                    "channel_id": self.env.ref(
                        "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                    ).id,
                    "remedy_ids": [
                        (
                            0,
                            0,
                            {
                                "remedy_id": self.env.ref(
                                    "iso10002_complaints.remedy_39"
                                ).id,
                                "amount": 900,
                            },
                        )
                    ],
                }
            )
        )
        self.start_tour(
            "/odoo/action-iso10002_complaints.helpdesk_ticket_action_complaint/"
            f"{complaint.id}",
            "iso10002_auditor_reads_only_tour",
            login="tour_auditor",
        )
        self.assertFalse(complaint.acknowledged_at)
        self.assertFalse(complaint.escalation_ids)

    def test_r_7_7_manager_approves_from_the_inbox(self):
        """R-7.7, R-5.3: the remedies above the limit wait in Helpdesk > To
        Approve; the manager approves one there."""
        manager = new_test_user(
            self.env, "inbox_manager", groups=MANAGER, password="inbox_manager"
        )
        complaint = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                {
                    "name": "Inbox: burnt toast",
                    "description": "<p>The toaster burnt it.</p>",
                    "team_id": self.team.id,
                    "partner_name": "Tom Toast",
                    "partner_email": "tom@example.org",
                    "channel_id": self.env.ref(
                        "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                    ).id,
                    "remedy_ids": [
                        (
                            0,
                            0,
                            {
                                "remedy_id": self.env.ref(
                                    "iso10002_complaints.remedy_39"
                                ).id,
                                "amount": 900,
                            },
                        )
                    ],
                }
            )
        )
        self.start_tour(
            "/odoo/action-iso10002_complaints.iso10002_remedy_action_to_approve",
            "iso10002_manager_approves_remedy_tour",
            login="inbox_manager",
        )
        self.assertEqual(complaint.remedy_ids.approved_by_id, manager)

    def test_r_5_2_director_approves_the_policy_from_the_inbox(self):
        """R-5.2: a draft policy version waits in Helpdesk > To Approve for
        top management, who approves it there."""
        director = new_test_user(
            self.env, "inbox_director", groups=TOP, password="inbox_director"
        )
        policy = self.env["iso10002.policy"].create(
            {
                "name": "Tour policy",
                "content": "<p>We welcome complaints.</p>",
                "change_summary": "Tour.",
            }
        )
        self.start_tour(
            "/odoo/action-iso10002_complaints.iso10002_policy_action_to_approve",
            "iso10002_director_approves_policy_tour",
            login="inbox_director",
        )
        self.assertEqual(policy.state, "approved")
        self.assertEqual(policy.approved_by_id, director)


@tagged("post_install", "-at_install")
class TestBakeryTour(HttpCase):
    """Annex A in a real browser: the one person of a small organisation
    takes a phone complaint and closes it alone, a remedy above the approval
    limit included (R-7.2 to R-7.9, R-7.7)."""

    def test_annex_a_one_person_runs_the_whole_cycle(self):
        bakery = self.env["res.company"].create({"name": "Tour Bakery"})
        baker = new_test_user(
            self.env,
            "tour_baker",
            groups=TOP,
            name="Tina Tourbaker",
            password="tour_baker",
            company_id=bakery.id,
            company_ids=[(6, 0, bakery.ids)],
        )
        settings = (
            self.env["res.config.settings"]
            .with_company(bakery)
            .create(
                {
                    "iso10002_small_organisation": True,
                    "iso10002_remedy_approval_limit": 50,
                }
            )
        )
        settings.execute()
        self.env["res.partner"].create(
            {"name": "Paul Patron", "phone": "+1 555 0190", "company_id": bakery.id}
        )
        self.start_tour(
            "/odoo/action-iso10002_complaints.helpdesk_ticket_action_complaint",
            "iso10002_bakery_cycle_tour",
            login="tour_baker",
        )
        complaint = self.env["helpdesk.ticket"].search(
            [("name", "=", "Bakery: stale loaf")]
        )
        self.assertEqual(complaint.company_id, bakery)
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertEqual(complaint.remedy_ids.approved_by_id, baker)
        self.assertEqual(complaint.remedy_ids.state, "implemented")
        self.assertEqual(complaint.acknowledged_by_id, baker)
        self.assertIn("Annex A", complaint.remedy_ids.iso10002_signature_ids.meaning)
