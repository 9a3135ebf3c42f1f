from odoo import api, fields, models
from odoo.exceptions import ValidationError


class Iso10002Training(models.Model):
    """Complaints-handling training of a staff member (ISO 10002 6.4, 8.1)."""

    _name = "iso10002.training"
    _description = "Complaints-Handling Training"
    _order = "date desc, id desc"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Staff Member",
        required=True,
        index=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    course = fields.Char(required=True)
    date = fields.Date(string="Completed On", required=True)
    expiry_date = fields.Date(string="Valid Until")
    notes = fields.Text()
    is_valid = fields.Boolean(
        string="Valid Today", compute="_compute_is_valid", search="_search_is_valid"
    )

    @api.constrains("date", "expiry_date")
    def _check_dates(self):
        for training in self:
            if training.expiry_date and training.expiry_date < training.date:
                raise ValidationError(
                    self.env._(
                        "Training %(course)s cannot expire before it was completed.",
                        course=training.course,
                    )
                )

    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for training in self:
            training.is_valid = training.date <= today and (
                not training.expiry_date or training.expiry_date >= today
            )

    def _search_is_valid(self, operator, value):
        today = fields.Date.context_today(self)
        domain = [
            ("date", "<=", today),
            "|",
            ("expiry_date", "=", False),
            ("expiry_date", ">=", today),
        ]
        if (operator == "=") == bool(value):
            return domain
        return ["|", ("date", ">", today), ("expiry_date", "<", today)]
