"""Planned intervals (R-8.5, R-8.6): the audit programme and the review
schedule say how often and who; the next due dates follow the last audit and
review, and the daily job plans the next ones ahead, once, with a to-do."""

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import AGENT, AUDITOR, ComplaintCase, company_user


@tagged("post_install", "-at_install")
class TestProgramme(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shop = cls.env["res.company"].create({"name": "Programme Shop"})
        cls.shop_auditor = company_user(
            cls.env, "prog_auditor", cls.shop, AUDITOR, "Paula Auditor"
        )
        cls.shop_rep = company_user(cls.env, "prog_rep", cls.shop, AGENT, "Rob Rep")
        cls.shop.write(
            {
                "iso10002_audit_interval_months": 6,
                "iso10002_audit_lead_id": cls.shop_auditor.id,
                "iso10002_review_interval_months": 12,
                "iso10002_management_representative_id": cls.shop_rep.id,
            }
        )

    def _planned(self, model):
        return self.env[model].search([("company_id", "=", self.shop.id)])

    def test_next_due_dates_follow_the_intervals(self):
        start = self.shop.create_date.date()
        self.assertEqual(
            self.shop.iso10002_next_audit_date, start + relativedelta(months=6)
        )
        self.assertEqual(
            self.shop.iso10002_next_review_date, start + relativedelta(months=12)
        )
        self.shop.iso10002_audit_interval_months = 0
        self.shop.invalidate_recordset(["iso10002_next_audit_date"])
        self.assertFalse(self.shop.iso10002_next_audit_date)

    def test_job_plans_the_next_audit_and_review_once(self):
        cron = self.env["res.company"]._cron_iso10002_plan_audits_and_reviews
        today = fields.Date.today()
        with freeze_time(today + relativedelta(months=2)):
            cron()
        self.assertFalse(self._planned("iso10002.audit"), "not due yet")
        with freeze_time(today + relativedelta(months=6, days=-20)):
            cron()
            cron()  # the next day's run plans nothing more
        audit = self._planned("iso10002.audit")
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit.state, "planned")
        self.assertEqual(audit.lead_auditor_id, self.shop_auditor)
        self.assertEqual(audit.planned_date, today + relativedelta(months=6))
        self.assertEqual(audit.activity_ids.user_id, self.shop_auditor)
        self.assertFalse(self._planned("iso10002.review"), "due in 12 months")
        with freeze_time(today + relativedelta(months=12, days=-10)):
            cron()
        review = self._planned("iso10002.review")
        self.assertEqual(len(review), 1)
        self.assertEqual(review.state, "draft")
        self.assertEqual(review.activity_ids.user_id, self.shop_rep)
        self.assertEqual(review.date_to, today + relativedelta(months=12))
