"""Planned intervals (R-8.5, R-8.6): the audit programme and the review
schedule of a company. Each says how often, who; the next due date is
computed from the last audit reported or review approved, and a daily job
plans the next one ahead of time with an activity for the person named."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

# days before the due date at which the next audit or review is planned
PLANNING_LEAD_DAYS = 30


class ResCompany(models.Model):
    _inherit = "res.company"

    iso10002_audit_interval_months = fields.Integer(
        string="Audit Every (months)",
        default=12,
        help="The audit programme (ISO 10002 8.5): an internal audit of "
        "complaints handling at least this often. 0: no programme.",
    )
    iso10002_audit_lead_id = fields.Many2one(
        comodel_name="res.users",
        string="Programme Lead Auditor",
        domain=[("share", "=", False)],
        help="Named lead auditor of the audits the programme plans.",
    )
    iso10002_review_interval_months = fields.Integer(
        string="Management Review Every (months)",
        default=12,
        help="Top management reviews complaints handling at least this often "
        "(ISO 10002 8.6). 0: no schedule.",
    )
    iso10002_next_audit_date = fields.Date(
        string="Next Audit Due",
        compute="_compute_iso10002_next_dates",
        help="The last audit reported plus the programme's interval.",
    )
    iso10002_next_review_date = fields.Date(
        string="Next Management Review Due",
        compute="_compute_iso10002_next_dates",
        help="The last review approved plus the schedule's interval.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_iso10002_next_dates(self):
        for company in self:
            last_audit, last_review = company._iso10002_last_audit_and_review()
            company.iso10002_next_audit_date = company._iso10002_due(
                last_audit, company.iso10002_audit_interval_months
            )
            company.iso10002_next_review_date = company._iso10002_due(
                last_review, company.iso10002_review_interval_months
            )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_last_audit_and_review(self):
        """The date of the last audit carried out (reported or closed) and of
        the last review approved, or of the company's start in complaints
        handling (its creation) when there is none."""
        self.ensure_one()
        Audit = self.env["iso10002.audit"].sudo()
        Review = self.env["iso10002.review"].sudo()
        audit = Audit.search(
            [("company_id", "=", self.id), ("state", "in", ("reported", "closed"))],
            order="planned_date desc",
            limit=1,
        )
        review = Review.search(
            [("company_id", "=", self.id), ("state", "=", "approved")],
            order="date_to desc",
            limit=1,
        )
        start = self.create_date.date() if self.create_date else fields.Date.today()
        return (
            audit.planned_date or start,
            review.meeting_date or review.date_to or start,
        )

    @api.model
    def _iso10002_due(self, last, months):
        return last + relativedelta(months=months) if months and last else False

    @api.model
    def _cron_iso10002_plan_audits_and_reviews(self):
        """Plan the next audit and review of every company ahead of their due
        date, once: a planned audit led by the programme's lead auditor, a
        draft review for the period since the last one, each with a to-do for
        the person who carries it out."""
        today = fields.Date.context_today(self)
        horizon = today + relativedelta(days=PLANNING_LEAD_DAYS)
        for company in self.search([]):
            company._iso10002_plan_audit(today, horizon)
            company._iso10002_plan_review(today, horizon)

    def _iso10002_plan_audit(self, today, horizon):
        self.ensure_one()
        due = self.iso10002_next_audit_date
        lead = self.iso10002_audit_lead_id
        if not (due and lead and due <= horizon):
            return False
        Audit = self.env["iso10002.audit"].sudo()
        if Audit.search_count(
            [
                ("company_id", "=", self.id),
                ("state", "in", ("planned", "in_progress")),
            ]
        ):
            return False
        last, _review = self._iso10002_last_audit_and_review()
        try:
            with self.env.cr.savepoint():
                audit = Audit.with_company(self).create(
                    self._iso10002_planned_audit_vals(due, today, last, lead)
                )
        except ValidationError as error:
            # e.g. the named lead auditor handled complaints of the period
            # (8.5 independence): the management representative decides
            _logger.info("Audit programme of %s: %s", self.name, error)
            self.partner_id.message_post(
                body=self.env._(
                    "The audit programme could not plan the next audit: %(error)s",
                    error=str(error),
                ),
                partner_ids=self.iso10002_management_representative_id.partner_id.ids,
            )
            return False
        audit.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=max(due, today),
            summary=self.env._("Carry out the planned complaints-handling audit"),
            user_id=lead.id,
        )
        return audit

    def _iso10002_planned_audit_vals(self, due, today, last, lead):
        return {
            "name": self.env._(
                "Internal audit of complaints handling %(date)s", date=due
            ),
            "company_id": self.id,
            "scope": self.env._(
                "The complaints-handling process of %(company)s against every "
                "clause of ISO 10002 (audit programme).",
                company=self.name,
            ),
            "date_from": last,
            "date_to": max(due, today),
            "planned_date": max(due, today),
            "lead_auditor_id": lead.id,
        }

    def _iso10002_plan_review(self, today, horizon):
        self.ensure_one()
        due = self.iso10002_next_review_date
        owner = self.iso10002_management_representative_id
        if not (due and owner and due <= horizon):
            return False
        Review = self.env["iso10002.review"].sudo()
        if Review.search_count(
            [("company_id", "=", self.id), ("state", "!=", "approved")]
        ):
            return False
        _audit, last = self._iso10002_last_audit_and_review()
        review = Review.with_company(self).create(
            {
                "name": self.env._(
                    "Management review of complaints handling %(date)s", date=due
                ),
                "company_id": self.id,
                "date_from": last,
                "date_to": max(due, today),
            }
        )
        review.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=max(due, today),
            summary=self.env._(
                "Hold the management review of complaints handling with top management"
            ),
            user_id=owner.id,
        )
        return review
