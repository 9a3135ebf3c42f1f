from odoo.tests import tagged

from .common import MANAGER, ComplaintCase, company_user


@tagged("post_install", "-at_install")
class TestMultiCompany(ComplaintCase):
    """Two companies run the complaint lifecycle side by side: references,
    deadlines, remedies, actions and KPIs stay in their company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Beta Complaints Ltd"})
        cls.manager_b = company_user(
            cls.env, "manager_b", cls.company_b, MANAGER, "Bea Manager"
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Beta complaints",
                "is_iso10002": True,
                "company_id": cls.company_b.id,
                "user_ids": [(6, 0, cls.manager_b.ids)],
            }
        )

    def test_lifecycle_in_two_companies_without_leaks(self):
        complaint_a = self._new_complaint()
        complaint_b = self.env["helpdesk.ticket"].create(
            self._complaint_vals(team_id=self.team_b.id, user_id=self.manager_b.id)
        )
        self.assertEqual(complaint_b.company_id, self.company_b)
        self.assertTrue(complaint_b.complaint_reference.endswith("/00001"))
        for complaint, investigator in (
            (complaint_a, self.agent2),
            (complaint_b, self.manager_b),
        ):
            complaint.action_iso10002_log_acknowledgement()
            self._assess(complaint)
            complaint.investigator_id = investigator
            complaint.action_iso10002_start_investigation()
            complaint.write(
                {
                    "findings": "f",
                    "root_cause": "r",
                    "decision": "d",
                    "decision_items_addressed": True,
                    "decision_confirmed": True,
                    "remedy_ids": [
                        (
                            0,
                            0,
                            {
                                "remedy_id": self.env.ref(
                                    "iso10002_complaints.remedy_52"
                                ).id
                            },
                        )
                    ],
                }
            )
            complaint.action_iso10002_record_decision()
            complaint.action_iso10002_communicate_decision()
            self._answer(complaint, "accepted")
            complaint.remedy_ids.action_implement()
            complaint.action_iso10002_close()
            self.assertEqual(complaint.iso10002_step, "closed")
        self.env["iso10002.action"].create(
            {"name": "Beta action", "company_id": self.company_b.id}
        )
        as_a = self.env(user=self.manager)
        as_b = self.env(user=self.manager_b)
        for model in (
            "helpdesk.ticket",
            "iso10002.sla.line",
            "iso10002.complaint.remedy",
            "iso10002.stage.history",
            "iso10002.satisfaction",
            "iso10002.action",
        ):
            with self.subTest(model=model):
                seen_by_a = as_a[model].search([]).mapped("company_id")
                seen_by_b = as_b[model].search([]).mapped("company_id")
                self.assertNotIn(self.company_b, seen_by_a)
                self.assertEqual(seen_by_b, self.company_b)
        kpis_b = as_b["iso10002.kpi"]._compute(
            complaint_b.received_at.date(),
            complaint_b.received_at.date(),
            companies=self.company_b,
        )
        self.assertEqual(kpis_b["received"], 1)
        self.assertEqual(kpis_b["resolved_share"], 100.0)
