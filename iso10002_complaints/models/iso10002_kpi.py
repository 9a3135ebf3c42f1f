from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from . import iso10002_kpi_data as kpi_data


class Iso10002Kpi(models.AbstractModel):
    """Annex G.3.3 monitoring data from SQL aggregates.

    ``_compute`` runs a fixed number of queries, whatever the number of
    complaints; the KPI formulas are plain functions (iso10002_kpi_data).
    """

    _name = "iso10002.kpi"
    _description = "Complaint KPIs (ISO 10002 Annex G)"

    @api.model
    def _period_bounds(self, date_from, date_to, tz_name=None):
        """UTC datetimes of the local midnights starting ``date_from`` and
        ending ``date_to`` (inclusive), in the user's time zone."""
        tz = pytz.timezone(tz_name or self.env.user.tz or "UTC")
        start = tz.localize(datetime.combine(fields.Date.to_date(date_from), time.min))
        end = tz.localize(
            datetime.combine(fields.Date.to_date(date_to) + timedelta(days=1), time.min)
        )
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    @api.model
    def _ticket_filter(self, start, end, companies, teams, categories, channels):
        conditions = [
            SQL("t.is_complaint"),
            SQL("t.is_feedback IS NOT TRUE"),
            # archived complaints stay in the statistics
            SQL("t.received_at >= %s AND t.received_at < %s", start, end),
            SQL("t.company_id IN %s", tuple(companies.ids) or (0,)),
        ]
        if teams:
            conditions.append(SQL("t.team_id IN %s", tuple(teams.ids)))
        if categories:
            conditions.append(
                SQL("t.complaint_category_id IN %s", tuple(categories.ids))
            )
        if channels:
            conditions.append(SQL("t.channel_id IN %s", tuple(channels.ids)))
        return SQL(" AND ").join(conditions)

    @api.model
    def _figures(
        self,
        date_from,
        date_to,
        companies=None,
        teams=None,
        categories=None,
        channels=None,
        tz_name=None,
    ):
        """The raw aggregates of a period, in six queries."""
        companies = companies or self.env.companies
        self.env.flush_all()
        start, end = self._period_bounds(date_from, date_to, tz_name)
        tz = tz_name or self.env.user.tz or "UTC"
        where = self._ticket_filter(start, end, companies, teams, categories, channels)
        cr = self.env.cr
        figures = {}
        local = SQL("AT TIME ZONE 'UTC' AT TIME ZONE %s", tz)
        cr.execute(
            SQL(
                """
                SELECT count(*) AS received,
                       count(*) FILTER (
                           WHERE t.iso10002_step = 'closed'
                             AND t.withdrawn_on IS NULL) AS closed,
                       count(*) FILTER (WHERE t.withdrawn_on IS NOT NULL) AS withdrawn,
                       count(*) FILTER (
                           WHERE t.communicated_on IS NOT NULL
                             AND (t.communicated_on %(local)s)::date
                               = (t.received_at %(local)s)::date) AS first_contact,
                       count(*) FILTER (WHERE t.assessed_by_id IS NOT NULL) AS assessed,
                       count(*) FILTER (
                           WHERE t.severity_changed_after_assessment) AS misprioritised,
                       count(*) FILTER (
                           WHERE t.iso10002_step = 'closed'
                             AND t.review_type = 'external_recourse') AS external,
                       count(*) FILTER (WHERE t.recurrence_detected) AS recurring,
                       count(DISTINCT t.problem_id) AS problems
                  FROM helpdesk_ticket t
                 WHERE %(where)s
                """,
                local=local,
                where=where,
            )
        )
        figures.update(cr.dictfetchone())
        cr.execute(
            SQL(
                """
                SELECT l.phase,
                       count(*) FILTER (WHERE l.state = 'met') AS met,
                       count(*) FILTER (
                           WHERE l.state IN ('met', 'met_late')
                              OR (l.state = 'running' AND l.deadline <= %(now)s)
                       ) AS due,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY l.consumed_hours)
                           FILTER (WHERE l.state IN ('met', 'met_late')) AS median,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY l.consumed_hours)
                           FILTER (WHERE l.state IN ('met', 'met_late')) AS p90
                  FROM iso10002_sla_line l
                  JOIN helpdesk_ticket t ON t.id = l.ticket_id
                 WHERE %(where)s
              GROUP BY l.phase
                """,
                now=fields.Datetime.now(),
                where=where,
            )
        )
        for row in cr.dictfetchall():
            figures[f"{row['phase']}_median"] = row["median"]
            figures[f"{row['phase']}_p90"] = row["p90"]
            if row["phase"] == "acknowledge":
                figures["ack_in_time"] = row["met"]
                figures["ack_due"] = row["due"]
            elif row["phase"] == "resolve":
                figures["resolved_in_time"] = row["met"]
        cr.execute(
            SQL(
                """
                SELECT coalesce(sum(r.amount_company), 0)
                  FROM iso10002_complaint_remedy r
                  JOIN helpdesk_ticket t ON t.id = r.ticket_id
                 WHERE %s AND r.state = 'implemented'
                """,
                where,
            )
        )
        figures["remedy_cost"] = cr.fetchone()[0]
        survey_where = [
            SQL("s.submitted_on >= %s AND s.submitted_on < %s", start, end),
            SQL("s.company_id IN %s", tuple(companies.ids) or (0,)),
        ]
        if teams:
            survey_where.append(SQL("s.team_id IN %s", tuple(teams.ids)))
        cr.execute(
            SQL(
                """
                SELECT count(*) AS surveys, avg(s.score) AS satisfaction_avg,
                       count(*) FILTER (WHERE s.fair = 'yes') AS fair
                  FROM iso10002_satisfaction s
                 WHERE %s
                """,
                SQL(" AND ").join(survey_where),
            )
        )
        row = cr.dictfetchone()
        figures.update(
            surveys=row["surveys"],
            fair=row["fair"],
            satisfaction_avg=float(row["satisfaction_avg"])
            if row["satisfaction_avg"] is not None
            else None,
        )
        cr.execute(
            SQL(
                """
                SELECT count(*) FROM iso10002_action a
                 WHERE a.state = 'closed' AND a.action_type = 'improvement'
                   AND a.closed_on >= %s AND a.closed_on < %s
                   AND a.company_id IN %s
                """,
                start.date(),
                end.date(),
                tuple(companies.ids) or (0,),
            )
        )
        figures["improvements"] = cr.fetchone()[0]
        group = self.env.ref("iso10002_complaints.group_iso10002_agent")
        cr.execute(
            SQL(
                """
                SELECT count(DISTINCT u.id) AS agents,
                       count(DISTINCT tr.user_id) AS agents_trained
                  FROM res_groups_users_rel rel
                  JOIN res_users u ON u.id = rel.uid AND u.active AND NOT u.share
                  LEFT JOIN iso10002_training tr
                         ON tr.user_id = u.id AND tr.date <= %(end)s
                        AND (tr.expiry_date IS NULL OR tr.expiry_date >= %(end)s)
                 WHERE rel.gid = %(group)s AND u.company_id IN %(companies)s
                """,
                end=(end - timedelta(seconds=1)).date(),
                group=group.id,
                companies=tuple(companies.ids) or (0,),
            )
        )
        figures.update(cr.dictfetchone())
        return figures

    @api.model
    def _compute(self, date_from, date_to, **filters):
        """KPI code -> value for a period (None when undefined)."""
        return self._compute_from_figures(self._figures(date_from, date_to, **filters))

    @api.model
    def _compute_from_figures(self, figures):
        return kpi_data.kpi_values(figures)

    @api.model
    def _definitions(self):
        """Code -> (name, definition, unit, better), translated."""
        _ = self.env._
        return {
            # the sources are marked for translation in iso10002_kpi_data (_lt)
            code: (_(name._source), _(definition._source), unit, better)  # pylint: disable=translation-required
            for code, (name, definition, unit, better) in kpi_data.KPIS.items()
        }

    @api.model
    def _rows_against_objectives(self, values, company, date_from, date_to):
        """One row per KPI, in the order of the definitions, with the
        objective of the period when there is one (dashboard, reviews)."""
        objectives = self.env["iso10002.objective"].search(
            [
                ("company_id", "=", company.id),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        targets = {objective.kpi_code: objective for objective in objectives}
        rows = []
        for sequence, (code, (name, definition, unit, _better)) in enumerate(
            self._definitions().items()
        ):
            objective = targets.get(code, self.env["iso10002.objective"])
            value = values.get(code)
            rows.append(
                {
                    "sequence": sequence,
                    "code": code,
                    "name": name,
                    "definition": definition,
                    "unit": unit,
                    "value": value or 0.0,
                    "has_value": value is not None,
                    "objective": objective,
                    "target": objective.target if objective else 0.0,
                }
            )
        return rows
