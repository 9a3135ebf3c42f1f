from odoo import fields, models
from odoo.exceptions import UserError


class Iso10002PeriodWizard(models.AbstractModel):
    """A company and a period (this year so far by default), for the
    documents made for an auditor: the register and the audit pack."""

    _name = "iso10002.period.wizard"
    _description = "Company and Period"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)

    def _check_period(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
