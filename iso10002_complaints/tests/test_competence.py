"""Competence (ISO 10002 5.3.4, 6.4, G.3.2): training required per role with
its validity, who is trained, expired or not trained, and, when the company
asks for it, only trained staff handle complaints."""

import base64
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCompetence(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the demo database has its own requirements: these tests use theirs
        cls.env["iso10002.training.requirement"].search([]).active = False
        cls.today = fields.Date.context_today(cls.agent)
        Requirement = cls.env["iso10002.training.requirement"]
        cls.basics = Requirement.create(
            {"name": "Complaints basics", "role": "agent", "validity_months": 12}
        )
        cls.rca = Requirement.create(
            {"name": "Root causes", "role": "manager", "validity_months": 0}
        )
        Training = cls.env["iso10002.training"]
        cls.agent_training = Training.create(
            {
                "user_id": cls.agent.id,
                "requirement_id": cls.basics.id,
                "date": cls.today - timedelta(days=30),
            }
        )
        Training.create(
            {
                "user_id": cls.agent2.id,
                "requirement_id": cls.basics.id,
                "date": cls.today - relativedelta(months=13),
            }
        )

    def _states(self, user):
        rows = self.env["iso10002.competence"].search([("user_id", "=", user.id)])
        return {row.requirement_id.name: row.state for row in rows}

    def test_6_4_requirement_fills_the_record(self):
        self.assertEqual(self.agent_training.course, "Complaints basics")
        self.assertEqual(
            self.agent_training.expiry_date,
            self.agent_training.date + relativedelta(months=12),
        )
        self.agent_training.with_user(self.manager).write(
            {
                "effectiveness": "effective",
                "effectiveness_notes": "Three complaints handled well since.",
                "certificate": base64.b64encode(b"%PDF certificate"),
                "certificate_name": "certificate.pdf",
            }
        )
        self.assertEqual(self.agent_training.evaluated_by_id, self.manager)
        self.assertEqual(self.agent_training.evaluated_on, self.today)
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "iso10002.training"),
                ("res_id", "=", self.agent_training.id),
                ("res_field", "=", "certificate"),
            ]
        )
        self.assertTrue(attachment)

    def test_6_4_competence_shows_trained_expired_and_missing(self):
        self.assertEqual(self._states(self.agent), {"Complaints basics": "valid"})
        self.assertEqual(self._states(self.agent2), {"Complaints basics": "expired"})
        # a manager holds both roles
        self.assertEqual(
            self._states(self.manager),
            {"Complaints basics": "missing", "Root causes": "missing"},
        )
        gaps = self.env["iso10002.competence"].search(
            [("requirement_id", "=", self.basics.id), ("state", "!=", "valid")]
        )
        self.assertEqual(self.basics.missing_count, len(gaps))
        self.assertEqual(
            gaps.user_id & (self.agent | self.agent2 | self.manager),
            self.agent2 | self.manager,
        )
        self.assertFalse(self._states(self.employee))
        Competence = self.env["iso10002.competence"]
        self.assertTrue(Competence.with_user(self.auditor).search([]))
        with self.assertRaises(AccessError):
            Competence.with_user(self.agent).search([])

    def test_6_4_only_trained_staff_handle_complaints_when_required(self):
        complaint = self._new_complaint(user_id=self.agent2.id)  # not required yet
        self.company.iso10002_require_training = True
        with self.assertRaisesMessage(
            ValidationError, "Complaints basics \\(Expired\\)"
        ):
            complaint.user_id = self.agent2
            complaint.flush_recordset()
        complaint.user_id = self.agent
        with self.assertRaisesMessage(ValidationError, "Mia Manager cannot handle"):
            complaint.investigator_id = self.manager
            complaint.flush_recordset()
        with self.assertRaises(ValidationError):
            self._new_complaint(user_id=self.agent2.id)
        self.env["iso10002.training"].create(
            {
                "user_id": self.agent2.id,
                "requirement_id": self.basics.id,
                "date": self.today,
            }
        )
        complaint.user_id = self.agent2
        self.assertEqual(complaint.user_id, self.agent2)
        # plain tickets and other companies are not concerned
        self.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "<p>x</p>",
                "team_id": self.plain_team.id,
                "user_id": self.employee.id,
            }
        )
