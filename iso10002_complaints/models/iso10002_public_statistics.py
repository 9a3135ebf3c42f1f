"""Anonymised, non-personal complaint statistics released to the public
(ISO 10002 8.1 e), when the company chooses to: counts only, for the last
twelve months, with every figure below the company's threshold withheld so
that no single complaint can be recognised."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

MONTHS = 12


class Iso10002PublicStatistics(models.AbstractModel):
    _name = "iso10002.public.statistics"
    _description = "Public Complaint Statistics"

    @api.model
    def _compute(self, company, today=None):
        """{"months": [...], "categories": [...], "threshold": n} for the
        public page; each figure is an int, or None when it is withheld."""
        today = today or fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=MONTHS - 1)
        threshold = max(company.iso10002_statistics_threshold, 1)
        cr = self.env.cr
        self.env["helpdesk.ticket"].flush_model()
        where = SQL(
            "t.is_complaint AND t.is_feedback IS NOT TRUE AND t.company_id = %s",
            company.id,
        )
        cr.execute(
            SQL(
                """
                SELECT date_trunc('month', t.received_at)::date AS month,
                       count(*) AS received
                  FROM helpdesk_ticket t
                 WHERE %s AND t.received_at >= %s
                 GROUP BY 1
                """,
                where,
                first,
            )
        )
        received = dict(cr.fetchall())
        cr.execute(
            SQL(
                """
                SELECT date_trunc('month', t.closed_date)::date AS month,
                       count(*) AS resolved,
                       avg(extract(epoch FROM t.closed_date - t.received_at))
                           / 86400 AS days
                  FROM helpdesk_ticket t
                  JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                 WHERE %s AND s.closed AND t.withdrawn_on IS NULL
                   AND t.closed_date >= %s
                 GROUP BY 1
                """,
                where,
                first,
            )
        )
        resolved = {month: (count, days) for month, count, days in cr.fetchall()}

        def shown(count):
            return count if count >= threshold else None

        months = []
        for index in range(MONTHS):
            month = first + relativedelta(months=index)
            count, days = resolved.get(month, (0, None))
            months.append(
                {
                    "month": month,
                    "received": shown(received.get(month, 0)),
                    "resolved": shown(count),
                    "days": round(days, 1)
                    if days is not None and count >= threshold
                    else None,
                }
            )
        cr.execute(
            SQL(
                """
                SELECT t.complaint_category_id, count(*)
                  FROM helpdesk_ticket t
                 WHERE %s AND t.received_at >= %s
                 GROUP BY 1
                """,
                where,
                first,
            )
        )
        Category = self.env["iso10002.complaint.category"].sudo()
        categories, other = [], 0
        for category_id, count in sorted(cr.fetchall(), key=lambda row: -row[1]):
            if category_id and count >= threshold:
                categories.append(
                    {"name": Category.browse(category_id).display_name, "count": count}
                )
            else:
                other += count
        if other:
            categories.append(
                {"name": self.env._("Other categories"), "count": shown(other)}
            )
        return {
            "months": months,
            "categories": categories,
            "threshold": threshold,
            "total": shown(sum(received.values())),
        }
