from odoo import api, fields, models
from odoo.exceptions import ValidationError

VOLUME_BASES = [
    ("orders", "Orders"),
    ("customers", "Customers"),
    ("units", "Units sold"),
]


class Iso10002Volume(models.Model):
    """The business volume of a month that complaint counts are divided by
    (orders, customers or units): complaint rates, and their control limits
    (u-chart), compare months of different activity (R-8.4)."""

    _name = "iso10002.volume"
    _description = "Monthly Business Volume"
    _order = "month desc, id desc"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    month = fields.Date(
        required=True,
        help="Any day of the month: the first day of that month is kept.",
    )
    basis = fields.Selection(selection=VOLUME_BASES, required=True, default="orders")
    volume = fields.Float(required=True, digits=(16, 0))

    _company_month_uniq = models.Constraint(
        "unique(company_id, month)",
        "A company has one volume per month.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._first_of_month(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._first_of_month(vals)
        return super().write(vals)

    @api.model
    def _first_of_month(self, vals):
        if vals.get("month"):
            vals["month"] = fields.Date.to_date(vals["month"]).replace(day=1)

    @api.constrains("volume")
    def _check_volume(self):
        for record in self:
            if record.volume <= 0:
                raise ValidationError(
                    self.env._(
                        "Enter a volume above zero for %(month)s: complaint rates "
                        "are divided by it.",
                        month=record.month,
                    )
                )
