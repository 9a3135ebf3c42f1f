"""Monitoring objectivity: random samples of resolved complaints reviewed by
someone who did not handle them (ISO 10002 Annex C.1, C.5, R-8.5)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import MANAGER, ComplaintCase, communicate_decision

CRITERIA = {
    "impartial": True,
    "issue_focused": True,
    "confidential": True,
    "equitable": True,
}


@tagged("post_install", "-at_install")
class TestObjectivitySampling(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager2 = new_test_user(
            cls.env, "iso_manager2", groups=MANAGER, name="Max Manager"
        )
        cls.closed = cls.env["helpdesk.ticket"]
        for index in range(8):
            handler = cls.manager if index < 2 else cls.agent
            complaint = cls.env["helpdesk.ticket"].create(
                cls._complaint_vals(user_id=handler.id, name=f"Sampled {index}")
            )
            cls._close(complaint.with_user(handler), cls.agent2)
            cls.closed |= complaint
        cls.open = cls.env["helpdesk.ticket"].create(cls._complaint_vals())
        cls.withdrawn = cls.env["helpdesk.ticket"].create(
            cls._complaint_vals(withdrawal_reason="Sorted it out myself")
        )
        cls.withdrawn.with_user(cls.agent).action_iso10002_withdraw()
        cls.today = fields.Date.context_today(cls.closed)

    @classmethod
    def _close(cls, complaint, investigator):
        communicate_decision(complaint, investigator, "Replace the kettle.")
        cls.env["iso10002.complainant.response.wizard"].with_user(
            complaint.env.user
        ).create({"ticket_id": complaint.id, "response": "accepted"}).action_confirm()
        complaint.action_iso10002_close()

    def _sample(self, reviewer, **values):
        return (
            self.env["iso10002.objectivity.sample"]
            .with_user(self.manager)
            .create(
                dict(
                    {
                        "date_from": self.today - timedelta(days=1),
                        "date_to": self.today,
                        "sample_mode": "share",
                        "sample_share": 50.0,
                        "reviewer_id": reviewer.id,
                    },
                    **values,
                )
            )
        )

    # ------------------------------------------------------------------
    # The draw
    # ------------------------------------------------------------------
    def test_c_5_draw_is_random_reproducible_and_independent(self):
        """C.5: the sample comes from the period's resolved complaints only
        (not open, not withdrawn), archived ones included; the reviewer's own
        complaints are left out; the kept seed redraws the same complaints."""
        self.closed[7].with_user(self.manager).write(
            {"active": False, "archive_reason": "Entered twice by mistake"}
        )
        sample = self._sample(self.manager)
        sample.action_draw()
        self.assertEqual(sample.state, "drawn")
        self.assertEqual(sample.population_count, 6)
        self.assertEqual(sample.excluded_count, 2)
        self.assertEqual(len(sample.review_ids), 3)  # 50 % of 6
        drawn = sample.review_ids.ticket_id
        self.assertLessEqual(drawn, self.closed[2:])
        self.assertFalse(drawn & (self.open | self.withdrawn))
        self.assertTrue(sample.seed)
        self.assertEqual(sample._redraw_ids(), sorted(drawn.ids))
        activity = sample.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        # a count plan draws that many, all when fewer were resolved
        by_count = self._sample(self.auditor, sample_mode="count", sample_count=20)
        by_count.action_draw()
        self.assertEqual(len(by_count.review_ids), 8)
        self.assertEqual(by_count.excluded_count, 0)
        # a period without resolved complaints draws nothing
        empty = self._sample(
            self.auditor,
            date_from=self.today - timedelta(days=3000),
            date_to=self.today - timedelta(days=2990),
        )
        empty.action_draw()
        self.assertEqual((empty.population_count, len(empty.review_ids)), (0, 0))

    def test_c_5_only_managers_draw_and_only_managers_or_auditors_review(self):
        with self.assertRaises(ValidationError):
            self._sample(self.agent)
        sample = self._sample(self.auditor)
        with self.assertRaisesMessage(UserError, "complaints manager draws"):
            sample.with_user(self.auditor).action_draw()
        for user in (self.agent, self.employee):
            with self.assertRaises(AccessError):
                self.env["iso10002.objectivity.sample"].with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["iso10002.sampling.plan"].with_user(user).search([])

    def test_c_5_drawn_sample_keeps_its_draw(self):
        """R-8.1: the draw's inputs and results cannot be rewritten."""
        sample = self._sample(self.auditor)
        sample.action_draw()
        for values in (
            {"date_from": self.today - timedelta(days=30)},
            {"reviewer_id": self.manager2.id},
            {"sample_share": 100.0},
        ):
            with self.assertRaisesMessage(UserError, "drawn with"):
                sample.with_user(self.manager).write(values)
        for values in (
            {"seed": "0000"},
            {"state": "reviewed"},
            {"population_count": 1},
        ):
            with self.assertRaises(UserError):
                sample.with_user(self.manager).write(values)
        with self.assertRaises(UserError):
            sample.with_user(self.manager).action_draw()
        with self.assertRaisesMessage(UserError, "kept"):
            sample.with_user(self.manager).unlink()
        with self.assertRaises(UserError):
            sample.review_ids[:1].with_user(self.manager).write(
                {"ticket_id": self.open.id}
            )

    # ------------------------------------------------------------------
    # The review
    # ------------------------------------------------------------------
    def test_c_5_review_by_the_reviewer_with_findings_and_actions(self):
        sample = self._sample(self.auditor, sample_mode="count", sample_count=3)
        sample.action_draw()
        first, second, third = sample.review_ids.with_user(self.auditor)
        # only the reviewer records the review
        with self.assertRaisesMessage(UserError, "Only Aude Auditor"):
            first.with_user(self.manager).write({"verdict": "objective"})
        # objective means every principle held
        with self.assertRaises(ValidationError):
            first.write({"verdict": "objective", "impartial": True})
        first.write(dict(CRITERIA, verdict="objective"))
        second.write(dict(CRITERIA, verdict="objective"))
        with self.assertRaisesMessage(UserError, "verdict for every complaint"):
            sample.with_user(self.auditor).action_mark_reviewed()
        third.write({"verdict": "concerns", "impartial": False})
        with self.assertRaisesMessage(UserError, "a concern needs a finding"):
            sample.with_user(self.auditor).action_mark_reviewed()
        third.write({"finding": "The investigator sits next to the person named."})
        with self.assertRaisesMessage(UserError, "reviewer of"):
            sample.with_user(self.manager).action_mark_reviewed()
        third.action_create_action()
        action = third.action_id
        self.assertEqual(action.origin, "objectivity_sample")
        self.assertEqual(action.ticket_ids, third.ticket_id)
        with self.assertRaises(UserError):
            first.action_create_action()
        sample.with_user(self.auditor).action_mark_reviewed()
        self.assertEqual(sample.state, "reviewed")
        self.assertEqual((sample.objective_count, sample.concern_count), (2, 1))
        self.assertAlmostEqual(sample.objective_share, 200 / 3, places=2)
        # the KPI of the complaints received in the period (C.5): a draft or
        # drawn sample does not count, the signed one does
        values = self.env["iso10002.kpi"]._compute(
            self.today - timedelta(days=1), self.today, companies=self.company
        )
        self.assertAlmostEqual(values["objectivity_sample_share"], 200 / 3, places=2)
        draft = self._sample(self.auditor, sample_mode="count", sample_count=2)
        draft.action_draw()
        draft.review_ids.with_user(self.auditor).write(
            dict(CRITERIA, verdict="objective")
        )
        again = self.env["iso10002.kpi"]._compute(
            self.today - timedelta(days=1), self.today, companies=self.company
        )
        self.assertAlmostEqual(again["objectivity_sample_share"], 200 / 3, places=2)
        signature = sample.iso10002_signature_ids
        self.assertEqual(signature.user_id, self.auditor)
        self.assertFalse(sample.activity_ids)
        # the signed review is kept
        with self.assertRaises(UserError):
            first.write({"verdict": "concerns", "finding": "Changed my mind"})
        with self.assertRaises(UserError):
            sample.with_user(self.manager).write({"conclusion": "Rewritten"})

    # ------------------------------------------------------------------
    # Plans, the cron, the audit
    # ------------------------------------------------------------------
    def test_c_5_plan_draws_each_period_and_tells_the_reviewer(self):
        plan = (
            self.env["iso10002.sampling.plan"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Monthly check",
                    "sample_mode": "count",
                    "sample_count": 2,
                    "reviewer_id": self.auditor.id,
                    "next_date": self.today + timedelta(days=1),
                }
            )
        )
        Plan = self.env["iso10002.sampling.plan"]
        Plan._cron_draw_samples()
        self.assertFalse(plan.sample_ids)  # not due yet
        plan.next_date = self.today
        Plan._cron_draw_samples()
        sample = plan.sample_ids
        self.assertEqual(sample.date_to, self.today - timedelta(days=1))
        self.assertEqual(sample.date_from, self.today - relativedelta(months=1))
        self.assertEqual(sample.state, "drawn")
        self.assertEqual(plan.next_date, self.today + relativedelta(months=1))
        self.assertIn(self.auditor.partner_id, sample.message_partner_ids)
        Plan._cron_draw_samples()
        self.assertEqual(len(plan.sample_ids), 1)  # once per period
        # a plan whose reviewer lost the role says so, the others go on
        plan.next_date = self.today
        self.auditor.sudo().group_ids = [(6, 0, self.env.ref("base.group_user").ids)]
        Plan._cron_draw_samples()
        self.assertEqual(len(plan.sample_ids), 1)
        self.assertIn("could not be drawn", plan.message_ids[0].body)

    def test_c_5_feeds_the_audit_criterion(self):
        """R-8.5: the audit's C.5 criterion starts with the reviewed samples."""
        sample = self._sample(self.manager2)
        sample.action_draw()
        for review in sample.review_ids.with_user(self.manager2):
            review.write(dict(CRITERIA, verdict="objective"))
        sample.with_user(self.manager2).action_mark_reviewed()
        audit = self.env["iso10002.audit"].create(
            {
                "name": "Internal audit",
                "scope": "Complaints",
                "date_from": self.today - timedelta(days=30),
                "date_to": self.today,
                "planned_date": self.today,
                "lead_auditor_id": self.auditor.id,
            }
        )
        clause = self.env.ref("iso10002_complaints.clause_annex_c5")
        finding = audit.finding_ids.filtered(lambda f: f.clause_id == clause)
        self.assertTrue(finding)
        self.assertFalse(finding.records_summary)
        audit.with_user(self.auditor).action_start()
        self.assertIn(sample.name, finding.records_summary)
        self.assertIn("4 of 8 resolved complaints", finding.records_summary)
        # what the records say informs the auditor; it is not their evidence
        self.assertFalse(finding.evidence)
        reviewed = self.env["iso10002.objectivity.sample"].search(
            [("state", "=", "reviewed")]
        )
        self.assertIn(sample, reviewed)
        self.assertEqual(clause.evidence_count, len(reviewed))
