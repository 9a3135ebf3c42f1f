from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestRemedies(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.iso10002_remedy_approval_limit = 500
        cls.refund = cls.env.ref("iso10002_complaints.remedy_39")
        cls.replace = cls.env.ref("iso10002_complaints.remedy_38")
        cls.apology = cls.env.ref("iso10002_complaints.remedy_52")

    def _decided(self, remedies):
        """A complaint at 'decision made' with the given remedy lines."""
        complaint = self._new_complaint()
        complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint)
        complaint.investigator_id = self.agent2
        complaint.action_iso10002_start_investigation()
        complaint.write(
            {
                "findings": "Thermostat failed.",
                "root_cause": "Supplier part.",
                "decision": "We replace and refund.",
                "decision_items_addressed": True,
                "decision_confirmed": True,
                "remedy_ids": [(0, 0, vals) for vals in remedies],
            }
        )
        complaint.action_iso10002_record_decision()
        return complaint

    # ------------------------------------------------------------------
    def test_annex_e_catalogue(self):
        remedies = self.env["iso10002.remedy"].search([])
        codes = set(remedies.mapped("code"))
        self.assertTrue({str(code) for code in range(36, 54)} <= codes)
        kinds = set(remedies.mapped("kind"))
        self.assertEqual(len(kinds), 13, "every Annex E.1 kind is in the catalogue")
        self.assertTrue(self.refund.has_amount and self.refund.needs_approval)
        self.assertEqual(self.refund.display_name, "39. Take back and refund on return")

    def test_r_7_9_accept_implement_close(self):
        complaint = self._decided(
            [
                {"remedy_id": self.replace.id, "description": "New kettle"},
                {"remedy_id": self.apology.id},
            ]
        )
        complaint.action_iso10002_communicate_decision()
        decision_mail = complaint.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Our decision")
        )
        self.assertIn("Replace the product", decision_mail.body)
        self.assertIn("New kettle", decision_mail.body)
        self._answer(complaint, "accepted")
        self.assertEqual(set(complaint.remedy_ids.mapped("state")), {"accepted"})
        with self.assertRaisesMessage(UserError, "not implemented yet: 38. Replace"):
            complaint.action_iso10002_close()
        complaint.remedy_ids.action_implement()
        self.assertTrue(all(complaint.remedy_ids.mapped("implemented_on")))
        self.assertEqual(complaint.remedy_ids[0].implemented_by_id, self.env.user)
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")

    def test_r_7_9_waive_needs_a_reason(self):
        complaint = self._decided([{"remedy_id": self.apology.id}])
        complaint.action_iso10002_communicate_decision()
        self._answer(complaint, "accepted")
        line = complaint.remedy_ids
        with self.assertRaisesMessage(UserError, "Say why"):
            line.action_waive()
        self.assertEqual(line.state, "accepted")
        line.waive_reason = "The complainant asked us not to call."
        line.action_waive()
        self.assertEqual(line.state, "waived")
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")

    def test_every_transition_and_forbidden_ones(self):
        complaint = self._decided(
            [
                {"remedy_id": self.apology.id},
                {"remedy_id": self.replace.id},
                {"remedy_id": self.replace.id, "description": "second"},
            ]
        )
        declined, cancelled, accepted = complaint.remedy_ids
        declined.action_decline()
        cancelled.action_cancel()
        accepted.action_accept()
        self.assertEqual(
            complaint.remedy_ids.mapped("state"), ["declined", "cancelled", "accepted"]
        )
        with self.assertRaisesMessage(UserError, "declined.*cannot become implemented"):
            declined.action_implement()
        self.assertEqual(declined.state, "declined")
        with self.assertRaisesMessage(UserError, "cannot become accepted"):
            cancelled.action_accept()
        proposed = self.env["iso10002.complaint.remedy"].create(
            {"ticket_id": complaint.id, "remedy_id": self.apology.id}
        )
        with self.assertRaisesMessage(
            UserError, "proposed: it cannot become implemented"
        ):
            proposed.action_implement()
        accepted.action_cancel()
        self.assertEqual(accepted.state, "cancelled")
        with self.assertRaisesMessage(UserError, "cannot change its remedy or amount"):
            declined.remedy_id = self.apology
        with self.assertRaisesMessage(
            UserError, "Only proposed remedies can be deleted"
        ):
            declined.unlink()

    def test_r_7_7_approval_above_the_limit(self):
        complaint = self._decided(
            [{"remedy_id": self.refund.id, "amount": 650, "description": "Refund"}]
        )
        line = complaint.remedy_ids
        self.assertTrue(line.needs_approval)
        with self.assertRaisesMessage(
            UserError, "need a complaints manager's approval"
        ):
            complaint.action_iso10002_communicate_decision()
        self.assertEqual(complaint.iso10002_step, "responded")
        with self.assertRaisesMessage(UserError, "must approve it first"):
            line.action_accept()
        with self.assertRaisesMessage(UserError, "Only a complaints manager"):
            line.with_user(self.agent).action_approve()
        line.with_user(self.manager).action_approve()
        self.assertEqual(line.approved_by_id, self.manager)
        self.assertIn("Remedy approved by Mia Manager", complaint.message_ids[0].body)
        complaint.action_iso10002_communicate_decision()
        self.assertEqual(complaint.iso10002_step, "communicated")

    def test_r_7_7_approval_shows_on_the_line(self):
        """A remedy above the limit says so on its line before Communicate
        Decision is refused; once approved it shows the approver, on the
        form, to the complainant and in the dossier. Accept and decline wait
        for the decision to be communicated; the auditor is offered none."""
        complaint = self._decided(
            [{"remedy_id": self.refund.id, "amount": 650, "description": "Refund"}]
        )
        line = complaint.remedy_ids
        self.assertEqual(line.approval_status, "needed")
        self.assertEqual(line.ticket_step, "responded")
        self.assertTrue(line.with_user(self.agent).can_act)
        self.assertFalse(line.with_user(self.auditor).can_act)
        line.with_user(self.manager).action_approve()
        self.assertEqual(line.approval_status, "approved")
        self.assertEqual(
            line._iso10002_state_label(), "Proposed, approved by Mia Manager"
        )
        complaint.action_iso10002_communicate_decision()
        self.assertEqual(line.ticket_step, "communicated")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "iso10002_complaints.action_report_iso10002_complaint_dossier",
                complaint.ids,
            )[0]
            .decode()
        )
        self.assertIn("Proposed, approved by Mia Manager", html)
        # headed tables, times in a named zone and without seconds
        self.assertIn("<th>Implemented On</th>", html)
        self.assertIn("<th>Entered On</th>", html)
        self.assertRegex(html, r"Time zone: [A-Za-z_/]+")
        self.assertNotRegex(html, r"\d{1,2}:\d{2}:\d{2}")
        line.action_accept()
        self.assertEqual(
            line._iso10002_state_label(),
            "Accepted by the complainant, approved by Mia Manager",
        )
        # below the limit: nothing to approve, nothing shown
        small = self._decided([{"remedy_id": self.refund.id, "amount": 20}])
        self.assertFalse(small.remedy_ids.approval_status)
        self.assertEqual(small.remedy_ids._iso10002_state_label(), "Proposed")

    def test_approval_threshold_boundary_and_new_amount(self):
        complaint = self._decided(
            [
                {"remedy_id": self.refund.id, "amount": 500},
                {"remedy_id": self.refund.id, "amount": 500.01},
            ]
        )
        at_limit, above = complaint.remedy_ids
        self.assertFalse(at_limit.needs_approval)
        self.assertTrue(above.needs_approval)
        above.with_user(self.manager).action_approve()
        above.amount = 900
        self.assertFalse(above.approved_on, "a new amount needs a new approval")

    def test_bad_amounts_are_refused_and_change_nothing(self):
        complaint = self._new_complaint()
        Remedy = self.env["iso10002.complaint.remedy"]
        for vals, message in (
            ({"remedy_id": self.refund.id, "amount": -5}, "cannot be negative"),
            (
                {"remedy_id": self.refund.id, "amount": 5, "currency_id": False},
                "give its currency",
            ),
            ({"remedy_id": self.refund.id}, "give its amount"),
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesMessage(ValidationError, message),
            ):
                Remedy.create(dict(vals, ticket_id=complaint.id))
        self.assertFalse(complaint.remedy_ids)

    def test_reporting_measures(self):
        complaint = self._decided([{"remedy_id": self.refund.id, "amount": 120}])
        line = complaint.remedy_ids
        self.assertEqual(line.kind, "refund")
        self.assertEqual(line.amount_company, 120)
        self.assertEqual(line.team_id, self.team)
        self.assertEqual(line.complaint_category_id, self.category)
        groups = self.env["iso10002.complaint.remedy"]._read_group(
            [("ticket_id", "=", complaint.id)], ["kind"], ["amount_company:sum"]
        )
        self.assertEqual(groups, [("refund", 120)])
