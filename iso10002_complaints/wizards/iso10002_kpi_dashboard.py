from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date

from ..models import iso10002_kpi_data as kpi_data


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
    trend_html = fields.Html(
        string="Monthly Trend",
        compute="_compute_trend_html",
        sanitize=False,
        help="Each KPI per month over the 12 months ending with the month of the "
        "end of the period, with the same company and filters.",
    )
    pareto_html = fields.Html(
        string="Categories",
        compute="_compute_trend_html",
        sanitize=False,
    )
    u_chart_html = fields.Html(
        string="Complaint Rates",
        compute="_compute_trend_html",
        sanitize=False,
    )
    visibility_note = fields.Text(
        compute="_compute_visibility_note",
    )

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = self.env._(
                "Monitoring, %(date_from)s to %(date_to)s",
                date_from=format_date(self.env, dashboard.date_from),
                date_to=format_date(self.env, dashboard.date_to),
            )

    @api.depends(
        "date_from",
        "date_to",
        "company_id",
        "team_ids",
        "complaint_category_ids",
        "channel_ids",
    )
    def _compute_trend_html(self):
        Kpi = self.env["iso10002.kpi"]
        for dashboard in self:
            if not (dashboard.date_from and dashboard.date_to and dashboard.company_id):
                dashboard.trend_html = dashboard.pareto_html = False
                dashboard.u_chart_html = False
                continue
            filters = {
                "companies": dashboard.company_id,
                "teams": dashboard.team_ids or None,
                "categories": dashboard.complaint_category_ids or None,
                "channels": dashboard.channel_ids or None,
            }
            months, series = Kpi._trend(dashboard.date_to, **filters)
            dashboard.trend_html = Kpi._trend_html_from(
                months, series, dashboard.company_id.currency_id
            )
            dashboard.u_chart_html = Kpi._u_chart_html(
                months, series["received"], dashboard.company_id
            )
            dashboard.pareto_html = Kpi._pareto_html(
                dashboard.date_from, dashboard.date_to, **filters
            )

    def _compute_visibility_note(self):
        note = self.env["iso10002.kpi"]._g33_notes()
        for dashboard in self:
            dashboard.visibility_note = note

    @api.model_create_multi
    def create(self, vals_list):
        dashboards = super().create(vals_list)
        dashboards.action_compute()
        return dashboards

    @api.model
    @api.readonly
    def get_figures(self, date_from=None, date_to=None):
        """The dashboard's KPIs of the current company over a period (the
        dashboard's default period when none is given), for monitoring tools
        over RPC (8.4). It stores no dashboard: it only reads, so Odoo runs it
        on the read replica when one is configured."""
        self.check_access("read")
        date_from = fields.Date.to_date(date_from) or self._default_from()
        date_to = fields.Date.to_date(date_to) or fields.Date.context_today(self)
        company = self.env.company
        Kpi = self.env["iso10002.kpi"]
        values = Kpi._compute(date_from, date_to, companies=company)
        rows = Kpi._rows_against_objectives(values, company, date_from, date_to)
        return [
            {
                "code": row["code"],
                "name": row["name"],
                "unit": row["unit"],
                "value": row["value"],
                "has_value": row["has_value"],
                "target": row["target"],
            }
            for row in rows
        ]

    @api.model
    def action_open(self):
        """Open the dashboard with the default period already computed (the
        menu's action), rather than an empty form waiting for a click."""
        dashboard = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Monitoring"),
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_compute(self):
        Kpi = self.env["iso10002.kpi"]
        for dashboard in self:
            values = Kpi._compute(
                dashboard.date_from,
                dashboard.date_to,
                companies=dashboard.company_id,
                teams=dashboard.team_ids or None,
                categories=dashboard.complaint_category_ids or None,
                channels=dashboard.channel_ids or None,
            )
            filters = [
                name
                for name, chosen in (
                    (kpi_data.FILTER_TEAM, dashboard.team_ids),
                    (kpi_data.FILTER_CATEGORY, dashboard.complaint_category_ids),
                    (kpi_data.FILTER_CHANNEL, dashboard.channel_ids),
                )
                if chosen
            ]
            rows = Kpi._rows_against_objectives(
                values,
                dashboard.company_id,
                dashboard.date_from,
                dashboard.date_to,
                filters=filters,
            )
            dashboard.line_ids = [(5, 0, 0)] + [
                (
                    0,
                    0,
                    {
                        "sequence": row["sequence"],
                        "code": row["code"],
                        "name": row["name"],
                        "definition": row["definition"],
                        "reference": row["reference"],
                        "direction": row["direction"],
                        "as_of": row["as_of"],
                        "scope_note": row["scope_note"],
                        "unit": row["unit"],
                        "value": row["value"],
                        "has_value": row["has_value"],
                        "target": row["target"],
                        "has_target": bool(row["objective"]),
                        "objective_id": row["objective"].id,
                    },
                )
                for row in rows
            ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }
