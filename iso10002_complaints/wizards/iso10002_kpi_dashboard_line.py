from odoo import api, fields, models


class Iso10002KpiDashboardLine(models.TransientModel):
    _name = "iso10002.kpi.dashboard.line"
    _description = "Complaints Monitoring Figure"
    _order = "sequence"

    dashboard_id = fields.Many2one(
        comodel_name="iso10002.kpi.dashboard", required=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    code = fields.Char(string="KPI Code")
    name = fields.Char(string="KPI")
    definition = fields.Text()
    reference = fields.Char(string="Clause")
    direction = fields.Char()
    as_of = fields.Char(string="As Of")
    scope_note = fields.Char(string="Filters Not Applied")
    unit = fields.Char()
    value = fields.Float(string="Value (Number)", digits=(16, 2))
    has_value = fields.Boolean()
    target = fields.Float(string="Target (Number)", digits=(16, 2))
    objective_id = fields.Many2one(comodel_name="iso10002.objective")
    status = fields.Selection(related="objective_id.status")
    value_display = fields.Char(string="Value", compute="_compute_displays")
    target_display = fields.Char(string="Target", compute="_compute_displays")

    @api.depends("value", "has_value", "unit", "target", "objective_id")
    def _compute_displays(self):
        Kpi = self.env["iso10002.kpi"]
        for line in self:
            currency = line.dashboard_id.company_id.currency_id
            line.value_display = Kpi._format_value(
                line.value if line.has_value else None, line.unit, currency
            )
            line.target_display = (
                Kpi._format_value(line.target, line.unit, currency)
                if line.objective_id
                else False
            )
