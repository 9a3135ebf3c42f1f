from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from . import iso10002_kpi_data as kpi_data

# months a trend shows (R-8.4: "per period", read over a year)
TREND_MONTHS = 12


class Iso10002Kpi(models.AbstractModel):
    """KPIs over time: each KPI per month, and objectives against their target
    month by month (R-8.4, R-8.6, 6.2)."""

    _inherit = "iso10002.kpi"

    @api.model
    def _months(self, date_from, date_to, limit=TREND_MONTHS):
        """(first day, last day) of the calendar months from ``date_from`` to
        ``date_to``, cut to those dates, the last ``limit`` of them."""
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        months = []
        first = date_to.replace(day=1)
        while len(months) < limit and first + relativedelta(months=1) > date_from:
            last = min(first + relativedelta(months=1, days=-1), date_to)
            months.append((max(first, date_from), last))
            first -= relativedelta(months=1)
        return months[::-1]

    @api.model
    def _month_label(self, first):
        return format_date(self.env, first, date_format="MMM yyyy")

    @api.model
    def _trend_months(self, date_to):
        """The TREND_MONTHS calendar months ending with that of ``date_to``."""
        first = fields.Date.to_date(date_to).replace(day=1)
        return self._months(
            first - relativedelta(months=TREND_MONTHS - 1),
            first + relativedelta(months=1, days=-1),
        )

    @api.model
    def _series(self, figures_per_month):
        """{code: [value per month]} from the figures of each month."""
        values = [self._compute_from_figures(figures) for figures in figures_per_month]
        return {code: [month[code] for month in values] for code in kpi_data.KPIS}

    @api.model
    def _trend(self, date_to, **filters):
        """(months, {code: [value per month]}) over the TREND_MONTHS calendar
        months ending with the month of ``date_to``."""
        months = self._trend_months(date_to)
        return months, self._series(self._figures_for_periods(months, **filters))

    @api.model
    def _bars(self, series, unit):
        """Heights (0-100) of a row's bars: percentages as they are, other
        units against the row's largest value."""
        known = [value for value in series if value is not None]
        top = 100.0 if unit == "percent" else max(known or [0.0])
        return [
            round(100.0 * value / top) if value is not None and top else 0
            for value in series
        ]

    @api.model
    def _trend_html(self, date_to, **filters):
        """The monthly trend table of every KPI, rendered on the server (the
        dashboard shows it as it is; a PDF can include it)."""
        return self._trend_html_from(*self._trend(date_to, **filters))

    @api.model
    def _trend_html_from(self, months, series, currency=None):
        rows = [
            {
                "name": kpi.name,
                "unit": kpi.unit,
                "values": series[code],
                "bars": self._bars(series[code], kpi.unit),
            }
            for code, kpi in self._definitions().items()
        ]
        return self.env["ir.qweb"]._render(
            "iso10002_complaints.kpi_trend_table",
            {
                "months": [self._month_label(first) for first, _last in months],
                "rows": rows,
                "currency": currency,
            },
        )

    @api.model
    def _u_chart_html(self, months, received, companies):
        """Complaints received per 1,000 units of the volume the company
        entered for each month, with the u-chart's limits and a signal for a
        month outside them (R-8.4)."""
        Volume = self.env["iso10002.volume"]
        volumes = dict(
            Volume._read_group(
                [
                    ("company_id", "in", companies.ids),
                    ("month", ">=", months[0][0].replace(day=1)),
                    ("month", "<=", months[-1][1]),
                ],
                ["month:day"],
                ["volume:sum"],
            )
        )
        volumes = {
            fields.Date.to_date(month): total for month, total in volumes.items()
        }
        chart = kpi_data.u_chart(
            received, [volumes.get(first.replace(day=1)) for first, _last in months]
        )
        bases = dict(Volume._fields["basis"]._description_selection(self.env))
        used = Volume.search_fetch(
            [("company_id", "in", companies.ids)],
            ["basis"],
            order="month desc",
            limit=1,
        )
        return self.env["ir.qweb"]._render(
            "iso10002_complaints.kpi_u_chart_table",
            {
                "rows": [
                    dict(
                        point,
                        month=self._month_label(first),
                        count=count,
                        volume=volumes.get(first.replace(day=1)),
                    )
                    for (first, _last), count, point in zip(
                        months, received, chart, strict=True
                    )
                ],
                "intro": self.env._(
                    "Complaints received per 1,000 (%(basis)s) of the company; "
                    "limits: centre line plus or minus three standard errors "
                    "(u-chart). A month outside them is a signal to look into.",
                    basis=bases.get(used.basis, ""),
                ),
                "has_volume": any(point["rate"] is not None for point in chart),
            },
        )

    @api.model
    def _objective_history_html(self, objective):
        """Actual against target of an objective for each month of its
        period (at most the last TREND_MONTHS), oldest first."""
        months = self._months(objective.date_from, objective.date_to)
        statuses = dict(objective._fields["status"]._description_selection(self.env))
        figures = self._figures_for_periods(months, companies=objective.company_id)
        rows = []
        for (first, _last), month in zip(months, figures, strict=True):
            actual = self._compute_from_figures(month).get(objective.kpi_code)
            _ratio, status = kpi_data.attainment(
                actual, objective.target, objective.direction
            )
            rows.append(
                {
                    "month": self._month_label(first),
                    "actual": actual,
                    "target": objective.target,
                    "status": status,
                    "status_label": statuses.get(status, ""),
                }
            )
        return self.env["ir.qweb"]._render(
            "iso10002_complaints.objective_history_table",
            {
                "rows": rows,
                "unit": kpi_data.KPIS[objective.kpi_code].unit,
            },
        )

    @api.model
    def _pareto(self, date_from, date_to, companies=None, tz_name=None, **filters):
        """Categories of the period's complaints (population P), most frequent
        first: [(category name, count, share %, cumulative share %)]."""
        companies = companies or self.env.companies
        self.env.flush_all()
        start, end = self._period_bounds(date_from, date_to, tz_name)
        where = self._ticket_filter(
            start,
            end,
            companies,
            filters.get("teams"),
            filters.get("categories"),
            filters.get("channels"),
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT t.complaint_category_id, count(*)
                  FROM helpdesk_ticket t
                 WHERE %s
              GROUP BY t.complaint_category_id
              ORDER BY count(*) DESC, t.complaint_category_id
                """,
                where,
            )
        )
        counts = self.env.cr.fetchall()
        total = sum(count for _category, count in counts)
        # the catalogue in one query, whatever the categories found
        names = {
            category.id: category.display_name
            for category in self.env["iso10002.complaint.category"]
            .with_context(active_test=False)
            .search_fetch([], ["code", "name"])
        }
        rows, running = [], 0
        for category, count in counts:
            running += count
            rows.append(
                (
                    names.get(category) or self.env._("Not classified"),
                    count,
                    100.0 * count / total,
                    100.0 * running / total,
                )
            )
        return rows

    @api.model
    def _pareto_html(self, date_from, date_to, **filters):
        return self.env["ir.qweb"]._render(
            "iso10002_complaints.kpi_pareto_table",
            {"rows": self._pareto(date_from, date_to, **filters)},
        )
