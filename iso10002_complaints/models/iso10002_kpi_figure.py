from odoo import api, fields, models


class Iso10002KpiFigure(models.AbstractModel):
    """A KPI figure as a dashboard or a management review keeps it: the
    number, and the value and target shown in the KPI's unit ("no data"
    where there is none, amounts in the company's currency)."""

    _name = "iso10002.kpi.figure"
    _description = "KPI Figure"

    unit = fields.Char()
    value = fields.Float(string="Value (Number)", digits=(16, 2))
    has_value = fields.Boolean()
    target = fields.Float(string="Target (Number)", digits=(16, 2))
    has_target = fields.Boolean()
    value_display = fields.Char(string="Value", compute="_compute_displays")
    target_display = fields.Char(string="Target", compute="_compute_displays")

    def _iso10002_figure_company(self):
        """The company whose currency the amounts are in."""
        raise NotImplementedError

    @api.depends("value", "has_value", "unit", "target", "has_target")
    def _compute_displays(self):
        Kpi = self.env["iso10002.kpi"]
        for line in self:
            currency = line._iso10002_figure_company().currency_id
            line.value_display = Kpi._format_value(
                line.value if line.has_value else None, line.unit, currency
            )
            line.target_display = (
                Kpi._format_value(line.target, line.unit, currency)
                if line.has_target
                else False
            )
