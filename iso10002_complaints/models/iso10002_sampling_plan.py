"""The plan for monitoring objectivity (ISO 10002 Annex C.5): how often,
how many and which resolved complaints are drawn at random for review, and
who reviews them."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SAMPLING_FREQUENCIES = [("monthly", "Monthly"), ("quarterly", "Quarterly")]
SAMPLE_MODES = [("share", "Share of the resolved complaints"), ("count", "Number")]
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3}


class Iso10002SamplingPlan(models.Model):
    _name = "iso10002.sampling.plan"
    _description = "Objectivity Sampling Plan"
    _inherit = ["mail.thread"]
    _order = "company_id, name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        domain=[("is_iso10002", "=", True)],
        help="Empty: every complaints team of the company.",
    )
    frequency = fields.Selection(
        selection=SAMPLING_FREQUENCIES, required=True, default="monthly", tracking=True
    )
    sample_mode = fields.Selection(
        selection=SAMPLE_MODES,
        string="Sample Size By",
        required=True,
        default="share",
        tracking=True,
    )
    sample_share = fields.Float(
        string="Share (%)",
        default=10.0,
        tracking=True,
        help="Share of the period's resolved complaints drawn, at least one.",
    )
    sample_count = fields.Integer(
        string="Complaints per Sample",
        default=5,
        tracking=True,
        help="Complaints drawn each period (all of them when fewer were resolved).",
    )
    reviewer_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        tracking=True,
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                [
                    self.env.ref("iso10002_complaints.group_iso10002_manager").id,
                    self.env.ref("iso10002_complaints.group_iso10002_auditor").id,
                ],
            )
        ],
        help="A complaints manager or auditor. Complaints they handled are never "
        "drawn for them (ISO 10002 C.5).",
    )
    next_date = fields.Date(
        string="Next Draw",
        required=True,
        default=lambda self: (
            fields.Date.context_today(self).replace(day=1) + relativedelta(months=1)
        ),
        tracking=True,
        help="On this day the sample of the period just ended is drawn.",
    )
    sample_ids = fields.One2many(
        comodel_name="iso10002.objectivity.sample",
        inverse_name="plan_id",
        string="Samples",
    )
    sample_count_done = fields.Integer(
        string="Samples Drawn", compute="_compute_sample_count_done"
    )

    @api.depends("sample_ids")
    def _compute_sample_count_done(self):
        for plan in self:
            plan.sample_count_done = len(plan.sample_ids)

    @api.constrains("sample_mode", "sample_share", "sample_count")
    def _check_size(self):
        for plan in self:
            if plan.sample_mode == "share" and not 0 < plan.sample_share <= 100:
                raise ValidationError(
                    self.env._(
                        "Plan %(name)s: the share drawn is between 0 and 100 %%.",
                        name=plan.name,
                    )
                )
            if plan.sample_mode == "count" and plan.sample_count < 1:
                raise ValidationError(
                    self.env._(
                        "Plan %(name)s: draw at least one complaint.", name=plan.name
                    )
                )

    @api.constrains("reviewer_id")
    def _check_reviewer(self):
        for plan in self:
            self.env["iso10002.objectivity.sample"]._check_reviewer_role(
                plan.reviewer_id, plan.name
            )

    def _period_before(self, day):
        """The period that ends the day before ``day``."""
        self.ensure_one()
        date_to = day - relativedelta(days=1)
        date_from = day - relativedelta(months=PERIOD_MONTHS[self.frequency])
        return date_from, date_to

    def _sample_values(self, date_from, date_to):
        self.ensure_one()
        return {
            "plan_id": self.id,
            "company_id": self.company_id.id,
            "team_ids": [(6, 0, self.team_ids.ids)],
            "date_from": date_from,
            "date_to": date_to,
            "sample_mode": self.sample_mode,
            "sample_share": self.sample_share,
            "sample_count": self.sample_count,
            "reviewer_id": self.reviewer_id.id,
        }

    def action_draw_now(self):
        """Draw the sample of the last full period now, from the form."""
        self.check_access("write")
        samples = self.env["iso10002.objectivity.sample"]
        for plan in self:
            first = fields.Date.context_today(self).replace(day=1)
            samples |= plan._draw(*plan._period_before(first))
        return samples._open()

    def _draw(self, date_from, date_to):
        self.ensure_one()
        sample = (
            self.env["iso10002.objectivity.sample"]
            .sudo()
            .create(self._sample_values(date_from, date_to))
        )
        sample._do_draw()
        return sample.sudo(False)

    @api.model
    def _cron_draw_samples(self):
        """Draw each plan's sample of the period just ended (C.5) and tell
        the reviewer; one plan's failure does not stop the others."""
        today = fields.Date.context_today(self)
        for plan in self.search([("next_date", "<=", today)]):
            try:
                with self.env.cr.savepoint():
                    sample = plan._draw(*plan._period_before(plan.next_date))
                    plan.next_date = plan.next_date + relativedelta(
                        months=PERIOD_MONTHS[plan.frequency]
                    )
                    sample.sudo()._notify_reviewer()
            except (UserError, ValidationError) as error:
                # the plan says why on its chatter; the manager fixes it and
                # the next run draws the sample
                plan.message_post(
                    body=self.env._(
                        "The sample could not be drawn: %(reason)s", reason=error
                    )
                )
