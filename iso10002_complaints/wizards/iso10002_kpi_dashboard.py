from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class Iso10002KpiDashboard(models.TransientModel):
    """The monitoring dashboard: the Annex G KPIs of a period against the
    objectives (ISO 10002 8.4, 6.2)."""

    _name = "iso10002.kpi.dashboard"
    _description = "Complaints Monitoring"

    def _default_from(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=2)

    date_from = fields.Date(required=True, default=_default_from)
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team", domain=[("is_iso10002", "=", True)]
    )
    complaint_category_ids = fields.Many2many(
        comodel_name="iso10002.complaint.category"
    )
    channel_ids = fields.Many2many(comodel_name="helpdesk.ticket.channel")
    line_ids = fields.One2many(
        comodel_name="iso10002.kpi.dashboard.line", inverse_name="dashboard_id"
    )
    visibility_note = fields.Char(
        compute="_compute_visibility_note",
    )

    def _compute_visibility_note(self):
        for dashboard in self:
            dashboard.visibility_note = self.env._(
                "A rise in complaints after the process is introduced usually "
                "reflects that complaining became easier and more visible, not "
                "worse products (ISO 10002 G.3.3)."
            )

    @api.model_create_multi
    def create(self, vals_list):
        dashboards = super().create(vals_list)
        dashboards.action_compute()
        return dashboards

    def action_compute(self):
        Kpi = self.env["iso10002.kpi"]
        definitions = Kpi._definitions()
        for dashboard in self:
            values = Kpi._compute(
                dashboard.date_from,
                dashboard.date_to,
                companies=dashboard.company_id,
                teams=dashboard.team_ids or None,
                categories=dashboard.complaint_category_ids or None,
                channels=dashboard.channel_ids or None,
            )
            objectives = self.env["iso10002.objective"].search(
                [
                    ("company_id", "=", dashboard.company_id.id),
                    ("date_from", "<=", dashboard.date_to),
                    ("date_to", ">=", dashboard.date_from),
                ]
            )
            by_code = {objective.kpi_code: objective for objective in objectives}
            lines = [(5, 0, 0)]
            for sequence, (code, (name, definition, unit, _better)) in enumerate(
                definitions.items()
            ):
                objective = by_code.get(code)
                value = values.get(code)
                lines.append(
                    (
                        0,
                        0,
                        {
                            "sequence": sequence,
                            "code": code,
                            "name": name,
                            "definition": definition,
                            "unit": unit,
                            "value": value or 0.0,
                            "has_value": value is not None,
                            "target": objective.target if objective else 0.0,
                            "objective_id": objective.id if objective else False,
                        },
                    )
                )
            dashboard.line_ids = lines
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
