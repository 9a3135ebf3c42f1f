from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintLifecycle(ComplaintCase):
    def test_r_7_9_accept_path_receipt_to_closure(self):
        complaint = self._new_complaint(user=self.agent)
        complaint = self._to_decision_communicated(complaint, user=self.agent)
        self.assertEqual(complaint.iso10002_step, "communicated")
        self.assertEqual(complaint.decided_by_id, self.agent)
        self._answer(complaint, "accepted")
        self.assertEqual(complaint.complainant_response, "accepted")
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertTrue(complaint.closed)
        self.assertTrue(complaint.closed_date)
        self.assertFalse(complaint.closed_without_response)
        steps = complaint.stage_history_ids.mapped("iso10002_step")
        self.assertEqual(
            steps,
            [
                "received",
                "acknowledged",
                "assessed",
                "investigating",
                "responded",
                "communicated",
                "closed",
            ],
        )
        history = complaint.stage_history_ids
        self.assertTrue(all(line.date_out for line in history[:-1]))
        self.assertFalse(history[-1].date_out)

    def test_r_7_9_reject_path_internal_review(self):
        complaint = self._to_decision_communicated(self._new_complaint())
        self._answer(
            complaint,
            "rejected",
            rejection_reason="A replacement is not enough.",
            review_type="internal_review",
        )
        self.assertEqual(complaint.iso10002_step, "review")
        self.assertIn("rejected the decision", complaint.message_ids[0].body)
        with self.assertRaisesMessage(UserError, "Review Result"):
            complaint.action_iso10002_close()
        complaint.write({"review_result": "satisfied", "review_notes": "Refund added."})
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertFalse(complaint.closed_without_response)

    def test_r_7_9_reject_path_external_recourse(self):
        complaint = self._to_decision_communicated(self._new_complaint())
        wizard = self.env["iso10002.complainant.response.wizard"].create(
            {
                "ticket_id": complaint.id,
                "response": "rejected",
                "rejection_reason": "I want compensation.",
                "review_type": "external_recourse",
            }
        )
        with self.assertRaisesMessage(UserError, "dispute-resolution provider"):
            wizard.action_confirm()
        self.assertFalse(complaint.complainant_response, "nothing half-recorded")
        ombudsman = self.env["iso10002.dispute.provider"].create(
            {"name": "National Consumer Ombudsman", "kind": "ombudsman"}
        )
        wizard.recourse_provider_id = ombudsman
        wizard.recourse_reference = "NCO-2026-1189"
        wizard.action_confirm()
        self.assertEqual(complaint.iso10002_step, "review")
        self.assertEqual(complaint.recourse_provider_id, ombudsman)
        self.assertEqual(complaint.recourse_referred_on, fields.Date.today())
        self.assertEqual(ombudsman.referral_count, 1)
        with self.assertRaisesMessage(UserError, "Provider's Outcome"):
            complaint.write({"review_result": "exhausted"})
            complaint.action_iso10002_close()
        complaint.write({"review_result": "exhausted", "recourse_result": "not_upheld"})
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")

    def test_r_7_9_rejection_needs_reason(self):
        complaint = self._to_decision_communicated(self._new_complaint())
        wizard = self.env["iso10002.complainant.response.wizard"].create(
            {"ticket_id": complaint.id, "response": "rejected"}
        )
        with self.assertRaisesMessage(UserError, "reason"):
            wizard.action_confirm()

    def test_r_7_9_answer_only_after_communication(self):
        complaint = self._new_complaint()
        with self.assertRaisesMessage(UserError, "Communicate the decision"):
            complaint.action_iso10002_record_response()

    def test_r_7_9_close_without_answer_after_waiting_period(self):
        complaint = self._to_decision_communicated(self._new_complaint())
        with self.assertRaisesMessage(UserError, "wait 14 days"):
            complaint.action_iso10002_close()
        later = complaint.communicated_on + timedelta(days=14, minutes=1)
        with freeze_time(later):
            complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertTrue(complaint.closed_without_response)

    def test_r_7_5_unfounded_path(self):
        complaint = self._new_complaint()
        complaint.action_iso10002_log_acknowledgement()
        with self.assertRaisesMessage(UserError, "Unfounded Explanation"):
            self._assess(complaint, outcome="unfounded")
        self._assess(
            complaint,
            outcome="unfounded",
            unfounded_explanation="The damage was caused by misuse.",
        )
        with self.assertRaisesMessage(UserError, "Only complaints assessed as valid"):
            complaint.action_iso10002_start_investigation()
        with self.assertRaisesMessage(UserError, "All Items Addressed"):
            complaint.action_iso10002_record_decision()
        complaint.write({"decision_items_addressed": True, "decision_confirmed": True})
        complaint.action_iso10002_record_decision()
        self.assertEqual(complaint.decision, "The damage was caused by misuse.")
        complaint.action_iso10002_communicate_decision()
        self.assertEqual(complaint.communication_channel, "email")
        self._answer(complaint, "accepted")
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")

    def test_r_3_reclassified_as_feedback_is_kept_outside_statistics(self):
        complaint = self._new_complaint()
        complaint.action_iso10002_log_acknowledgement()
        self._assess(
            complaint,
            outcome="not_complaint",
            reclassification_reason="Suggestion for a blue model, no complaint.",
        )
        self.assertTrue(complaint.is_feedback)
        self.assertEqual(complaint.iso10002_step, "closed")
        self.assertFalse(complaint.closed_without_response)
        Ticket = self.env["helpdesk.ticket"]
        complaints_filter = [("is_complaint", "=", True), ("is_feedback", "=", False)]
        self.assertNotIn(complaint, Ticket.search(complaints_filter))
        self.assertIn(complaint, Ticket.search([("is_feedback", "=", True)]))

    def test_r_7_5_assessment_sets_priority(self):
        complaint = self._new_complaint()
        complaint.action_iso10002_log_acknowledgement()
        self._assess(complaint, severity="health_safety")
        self.assertEqual(complaint.priority, "3")
        self.assertEqual(complaint.assessed_by_id, self.env.user)

    def test_r_4_5_investigator_not_among_people_concerned(self):
        complaint = self._new_complaint(concerned_user_ids=[(6, 0, self.agent2.ids)])
        with self.assertRaisesMessage(ValidationError, "is about them"):
            complaint.investigator_id = self.agent2
        complaint.investigator_id = self.manager
        with self.assertRaisesMessage(ValidationError, "is about them"):
            complaint.concerned_user_ids = [(4, self.manager.id)]

    def test_every_step_guard_names_missing_data(self):
        """Jumping ahead through the status bar is refused with what is missing."""
        complaint = self._new_complaint()
        expectations = {
            "acknowledged": "Acknowledged On",
            "assessed": "Severity, Complexity, Impact, Assessment Outcome",
            "investigating": "Investigator",
            "responded": "Decision, Decided By",
            "communicated": "Decision Communicated On",
            "review": "Review or external recourse starts",
            "closed": "Decided By",
        }
        for step, text in expectations.items():
            with self.subTest(step=step), self.assertRaisesMessage(UserError, text):
                complaint.stage_id = self.stage[step]
        self.assertEqual(complaint.iso10002_step, "received")

    def test_required_data_cannot_be_cleared_later(self):
        complaint = self._to_decision_communicated(self._new_complaint())
        with self.assertRaisesMessage(UserError, "Fill in: Decision"):
            complaint.decision = False
        self.assertTrue(complaint.decision)

    def test_r_4_9_decisions_are_tracked(self):
        complaint = self._new_complaint()
        # changes are tracked from the transaction after the creation
        self.flush_tracking()
        self._to_decision_communicated(complaint)
        self.flush_tracking()
        complaint.invalidate_recordset(["message_ids"])
        tracked = complaint.message_ids.tracking_value_ids.field_id.mapped("name")
        for name in ("severity", "assessment_outcome", "investigator_id", "stage_id"):
            self.assertIn(name, tracked)

    def test_form_flow_records_complaint(self):
        with Form(self.env["helpdesk.ticket"].with_user(self.agent)) as form:
            form.team_id = self.team
            form.name = "Wrong invoice amount"
            form.description = "<p>Charged twice.</p>"
            form.partner_id = self.complainant
            form.channel_id = self.channel_letter
            form.subject = "product"
            form.remedy_requested = True
            form.remedy_requested_text = "Refund the second charge"
        complaint = form.record
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.iso10002_step, "received")
        self.assertEqual(complaint.stage_id, self.stage["received"])
        complaint.action_iso10002_log_acknowledgement()
        self.assertEqual(complaint.acknowledgement_method, "letter")

    def test_r_7_3_stage_history_durations(self):
        start = fields.Datetime.now()
        with freeze_time(start):
            complaint = self._new_complaint()
        with freeze_time(start + timedelta(hours=3)):
            complaint.action_iso10002_log_acknowledgement()
        first = complaint.stage_history_ids[0]
        self.assertEqual(first.iso10002_step, "received")
        self.assertAlmostEqual(first.duration_hours, 3.0, places=2)
        self.assertAlmostEqual(complaint.acknowledgement_hours, 3.0, places=2)
