"""Plain unit tests of the step rules (no database)."""

from datetime import datetime

from odoo.tests import BaseCase, tagged

from ..models import iso10002_data as iso

RECEIPT = {
    "complaint_reference": "CMP/2026/00001",
    "received_at": datetime(2026, 3, 1, 9, 0),
    "channel_id": 1,
    "partner_id": 7,
    "subject": "product",
    "name": "Broken kettle",
    "description": True,
}
ASSESSED = dict(
    RECEIPT,
    acknowledged_at=datetime(2026, 3, 1, 10, 0),
    severity="medium",
    complexity="simple",
    impact="minor",
    assessment_outcome="valid",
    complaint_category_id=5,
)
DECIDED = dict(
    ASSESSED,
    investigator_id=3,
    findings="f",
    root_cause="r",
    decision="d",
    decided_by_id=2,
    decided_on=datetime(2026, 3, 5),
    decision_items_addressed=True,
    decision_confirmed=True,
    communicated_on=datetime(2026, 3, 6),
    communicated_by_id=2,
    communication_channel="email",
)


@tagged("post_install", "-at_install")
class TestStepRules(BaseCase):
    def test_r_7_2_receipt_needs_receipt_data(self):
        missing, blockers = iso.missing_for_step("received", {})
        self.assertEqual(
            missing,
            [
                "complaint_reference",
                "received_at",
                "channel_id",
                "partner_id",
                "subject",
                "name",
                "description",
            ],
        )
        self.assertEqual(blockers, [])
        self.assertEqual(iso.missing_for_step("received", RECEIPT), ([], []))

    def test_r_7_4_acknowledged_needs_acknowledgement(self):
        self.assertEqual(
            iso.missing_for_step("acknowledged", RECEIPT), (["acknowledged_at"], [])
        )

    def test_r_7_5_assessment_fields(self):
        values = dict(RECEIPT, acknowledged_at=datetime(2026, 3, 1))
        missing, _blockers = iso.missing_for_step("assessed", values)
        self.assertEqual(
            missing,
            [
                "severity",
                "complexity",
                "impact",
                "assessment_outcome",
                "complaint_category_id",
            ],
        )
        self.assertEqual(iso.missing_for_step("assessed", ASSESSED), ([], []))
        # classified when assessed (Annex D), feedback excepted
        unclassified = dict(ASSESSED, complaint_category_id=False)
        self.assertEqual(
            iso.missing_for_step("assessed", unclassified),
            (["complaint_category_id"], []),
        )
        feedback = dict(
            unclassified,
            assessment_outcome="not_complaint",
            reclassification_reason="A suggestion",
        )
        self.assertEqual(iso.missing_for_step("assessed", feedback), ([], []))

    def test_r_7_5_unfounded_needs_explanation_and_skips_investigation(self):
        values = dict(ASSESSED, assessment_outcome="unfounded")
        self.assertEqual(
            iso.missing_for_step("assessed", values), (["unfounded_explanation"], [])
        )
        values["unfounded_explanation"] = "Used outside the warranty terms."
        values.update(
            decision="d",
            decided_by_id=2,
            decided_on=datetime(2026, 3, 2),
            decision_items_addressed=True,
            decision_confirmed=True,
        )
        self.assertEqual(iso.missing_for_step("responded", values), ([], []))
        _missing, blockers = iso.missing_for_step("investigating", values)
        self.assertEqual(blockers, [iso.BLOCK_NOT_VALID_FOR_INVESTIGATION])

    def test_r_3_feedback_only_closes(self):
        values = dict(ASSESSED, assessment_outcome="not_complaint")
        self.assertEqual(
            iso.missing_for_step("closed", values), (["reclassification_reason"], [])
        )
        values["reclassification_reason"] = "A suggestion for a new colour."
        self.assertEqual(iso.missing_for_step("closed", values), ([], []))
        self.assertEqual(
            iso.missing_for_step("investigating", values),
            ([], [iso.BLOCK_FEEDBACK_ONLY_CLOSES]),
        )

    def test_r_7_6_valid_decision_needs_investigation(self):
        values = dict(
            ASSESSED,
            decision="d",
            decided_by_id=2,
            decided_on=1,
            decision_items_addressed=True,
            decision_confirmed=True,
        )
        missing, _blockers = iso.missing_for_step("responded", values)
        self.assertEqual(missing, ["investigator_id", "findings", "root_cause"])

    def test_r_7_8_communicated_needs_date_author_channel(self):
        values = dict(DECIDED, communicated_on=False, communication_channel=False)
        missing, _blockers = iso.missing_for_step("communicated", values)
        self.assertEqual(missing, ["communicated_on", "communication_channel"])

    def test_r_7_9_close_needs_answer_or_waiting_period(self):
        now = datetime(2026, 3, 10)
        _missing, blockers = iso.missing_for_step("closed", DECIDED, now, 14)
        self.assertEqual(blockers, [iso.BLOCK_WAITING_PERIOD])
        later = datetime(2026, 3, 20)
        self.assertEqual(iso.missing_for_step("closed", DECIDED, later, 14), ([], []))
        accepted = dict(DECIDED, complainant_response="accepted")
        self.assertEqual(iso.missing_for_step("closed", accepted, now, 14), ([], []))

    def test_r_7_9_waiting_period_boundary(self):
        sent = datetime(2026, 3, 6, 12, 0)
        self.assertFalse(
            iso.waiting_period_over(sent, datetime(2026, 3, 20, 11, 59), 14)
        )
        self.assertTrue(iso.waiting_period_over(sent, datetime(2026, 3, 20, 12, 0), 14))
        self.assertFalse(iso.waiting_period_over(False, datetime(2026, 3, 20), 14))

    def test_r_7_9_review_and_recourse(self):
        values = dict(DECIDED)
        _missing, blockers = iso.missing_for_step("review", values)
        self.assertEqual(blockers, [iso.BLOCK_NO_REJECTION])
        values.update(
            complainant_response="rejected",
            rejection_reason="Refund too low",
            review_type="external_recourse",
        )
        self.assertEqual(
            iso.missing_for_step("review", values), (["recourse_provider_id"], [])
        )
        values["recourse_provider_id"] = 7
        self.assertEqual(iso.missing_for_step("review", values), ([], []))
        self.assertEqual(
            iso.missing_for_step("closed", values),
            (["review_result", "recourse_referred_on", "recourse_result"], []),
        )
        values.update(
            review_result="satisfied",
            recourse_referred_on="2026-11-02",
            recourse_result="partly_upheld",
        )
        self.assertEqual(iso.missing_for_step("closed", values), ([], []))

    def test_annex_e2_decision_considerations(self):
        values = dict(DECIDED, decision_items_addressed=False, decision_confirmed=False)
        missing, _blockers = iso.missing_for_step("responded", values)
        self.assertEqual(missing, ["decision_items_addressed", "decision_confirmed"])

    def test_r_7_7_remedies_approved_before_offered(self):
        values = dict(DECIDED, unapproved_remedies="39. Refund (600 EUR)")
        self.assertEqual(
            iso.missing_for_step("responded", values), ([], []), "not yet offered"
        )
        self.assertEqual(
            iso.missing_for_step("communicated", values),
            ([], [iso.BLOCK_REMEDIES_UNAPPROVED]),
        )

    def test_r_7_9_accepted_remedies_implemented_before_closing(self):
        values = dict(
            DECIDED, complainant_response="accepted", open_remedies="52. Apology"
        )
        self.assertEqual(
            iso.missing_for_step("closed", values), ([], [iso.BLOCK_REMEDIES_OPEN])
        )

    def test_r_8_2_recurrence_window_boundary(self):
        from datetime import date

        self.assertTrue(iso.in_window(date(2026, 1, 1), date(2026, 3, 2), 60))
        self.assertFalse(iso.in_window(date(2026, 1, 1), date(2026, 3, 3), 60))

    def test_remedy_transitions(self):
        self.assertTrue(iso.remedy_transition_allowed("proposed", "accepted"))
        self.assertTrue(iso.remedy_transition_allowed("accepted", "implemented"))
        self.assertFalse(iso.remedy_transition_allowed("declined", "implemented"))
        self.assertFalse(iso.remedy_transition_allowed("proposed", "implemented"))

    def test_step_order(self):
        self.assertLess(iso.step_index("received"), iso.step_index("closed"))
        self.assertEqual(iso.step_index(False), -1)
