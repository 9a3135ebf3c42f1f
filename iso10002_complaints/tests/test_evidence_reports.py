"""The registers an auditor takes away, printed from the clause register's
evidence links (R-8.1, R-8.5): the corrective-action status report (R-8.7),
the training register (R-6.4) and the complaint register (R-7.2); each
clause's evidence opens with the columns that prove it."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestEvidenceReports(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # else Odoo asks to choose the letterhead before the first print
        cls.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )

    def _clause(self, xmlid):
        return self.env.ref(f"iso10002_complaints.{xmlid}")

    def _html(self, report, records):
        html = self.env["ir.actions.report"]._render_qweb_html(
            f"iso10002_complaints.{report}", records.ids
        )[0]
        return html.decode()

    def test_r_8_5_complaint_evidence_opens_with_the_columns_of_its_clause(self):
        Clause = self.env["iso10002.clause"]
        ticket_clauses = Clause.search([("evidence_model", "=", "helpdesk.ticket")])
        self.assertTrue(ticket_clauses)
        for clause in ticket_clauses:
            with self.subTest(clause=clause.code):
                self.assertTrue(clause.evidence_view_id, clause.code)
                action = clause.with_user(self.auditor).action_open_evidence()
                self.assertEqual(
                    action["views"][0], (clause.evidence_view_id.id, "list")
                )
        # the acknowledgement clause shows when and how each was acknowledged
        ack = self._clause("clause_r_7_4").evidence_view_id
        arch = ack.arch_db
        for column in ("acknowledged_at", "acknowledgement_method", "received_at"):
            self.assertIn(f'name="{column}"', arch)
        consent = self._clause("clause_r_4_7").evidence_view_id.arch_db
        self.assertIn('name="consent_channel"', consent)
        # the auditor reads the evidence list with these columns
        views = (
            self.env["helpdesk.ticket"]
            .with_user(self.auditor)
            .get_views([(ack.id, "list")])
        )
        self.assertIn(
            "acknowledgement_method", views["models"]["helpdesk.ticket"]["fields"]
        )

    def test_r_8_5_kpi_named_not_coded(self):
        clause = self._clause("clause_r_7_4").with_user(self.auditor)
        self.assertEqual(clause.kpi_code, "ack_hours_median")
        name = self.env["iso10002.kpi"]._definitions()["ack_hours_median"].name
        self.assertEqual(clause.kpi_name, name)
        self.assertNotEqual(clause.kpi_name, clause.kpi_code)

    def test_r_8_7_action_status_report_from_the_clause(self):
        today = fields.Date.context_today(self.manager)
        Action = self.env["iso10002.action"]
        late = Action.create(
            {
                "name": "Late repair of the ticket machine",
                "owner_id": self.agent.id,
                "due_date": today - timedelta(days=3),
            }
        )
        on_time = Action.create(
            {
                "name": "Retrain the counter staff",
                "owner_id": self.agent.id,
                "due_date": today + timedelta(days=10),
            }
        )
        clause = self._clause("clause_r_4_10").with_user(self.auditor)
        self.assertTrue(clause.has_evidence_report)
        action = clause.action_print_evidence()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(
            action["report_name"], "iso10002_complaints.report_action_status"
        )
        self.assertIn(late.id, action["context"]["active_ids"])
        html = self._html("report_action_status", late | on_time)
        self.assertIn("Late repair of the ticket machine", html)
        self.assertIn(late.reference, html)
        self.assertIn(self.company.name, html)
        # the overdue one is flagged, and counted
        self.assertEqual(html.count("o_iso10002_flagged"), 1)
        self.assertRegex(html, r'o_iso10002_overdue_count">\s*1\s*<')

    def test_r_6_4_training_register_lists_who_is_not_trained(self):
        self.env["iso10002.training.requirement"].create(
            {"name": "Complaints handling basics", "role": "agent"}
        )
        training = self.env["iso10002.training"].create(
            {
                "user_id": self.agent.id,
                "course": "Complaints handling basics",
                "date": fields.Date.context_today(self.manager),
            }
        )
        clause = self._clause("clause_r_6_4").with_user(self.auditor)
        action = clause.action_print_evidence()
        self.assertEqual(
            action["report_name"], "iso10002_complaints.report_training_register"
        )
        html = self._html("report_training_register", training)
        self.assertIn("Complaints handling basics", html)
        self.assertIn("Ada Agent", html)
        # the manager is a role holder without the training: listed as such
        self.assertIn(self.manager.name, html)
        self.assertIn("Not trained", html)

    def test_r_7_2_complaint_register_asks_for_the_period_first(self):
        action = (
            self._clause("clause_r_7_2").with_user(self.auditor).action_print_evidence()
        )
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "iso10002.register.wizard")

    def test_r_8_5_print_refused_with_a_reason(self):
        clause = self._clause("clause_r_4_9").with_user(self.auditor)
        self.assertFalse(clause.has_evidence_report)
        with self.assertRaisesMessage(UserError, "no evidence report"):
            clause.action_print_evidence()
        self._clause("clause_r_8_7").evidence_domain = "[('id', '=', 0)]"
        with self.assertRaisesMessage(UserError, "nothing to print"):
            self._clause("clause_r_8_7").with_user(self.auditor).action_print_evidence()
