from odoo import fields, models


class Iso10002KpiDashboardLine(models.TransientModel):
    _name = "iso10002.kpi.dashboard.line"
    _inherit = ["iso10002.kpi.figure"]
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
    as_of = fields.Char()
    scope_note = fields.Char(string="Filters Not Applied")
    objective_id = fields.Many2one(comodel_name="iso10002.objective")
    status = fields.Selection(related="objective_id.status")

    def _iso10002_figure_company(self):
        return self.dashboard_id.company_id
