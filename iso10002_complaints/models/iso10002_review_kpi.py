from odoo import api, fields, models
from odoo.exceptions import AccessError


class Iso10002ReviewKpi(models.Model):
    """A KPI as it stood at a management review (8.6.2 input)."""

    _name = "iso10002.review.kpi"
    _description = "Management Review Performance Figure"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one(
        comodel_name="iso10002.review", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    kpi_code = fields.Char(string="KPI Code", required=True)
    name = fields.Char(string="KPI", required=True)
    unit = fields.Char()
    value = fields.Float(string="Value (Number)", digits=(16, 2))
    has_value = fields.Boolean()
    target = fields.Float(string="Target (Number)", digits=(16, 2))
    has_target = fields.Boolean()
    value_display = fields.Char(string="Value", compute="_compute_displays")
    target_display = fields.Char(string="Target", compute="_compute_displays")
    status = fields.Selection(
        selection=[
            ("green", "Met"),
            ("amber", "Nearly met"),
            ("red", "Not met"),
            ("none", "No data"),
        ]
    )

    @api.depends("value", "has_value", "unit", "target", "has_target")
    def _compute_displays(self):
        Kpi = self.env["iso10002.kpi"]
        for line in self:
            currency = line.review_id.company_id.currency_id
            line.value_display = Kpi._format_value(
                line.value if line.has_value else None, line.unit, currency
            )
            line.target_display = (
                Kpi._format_value(line.target, line.unit, currency)
                if line.has_target
                else False
            )

    # ------------------------------------------------------------------
    # CRUD: the figures are assembled from the records, never typed
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_assembled()
        return super().create(vals_list)

    def write(self, vals):
        self._check_assembled()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_assembled(self):
        self._check_assembled()

    def _check_assembled(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The figures of a management review are assembled from the "
                    "records (Assemble Inputs) and cannot be typed or changed."
                )
            )
