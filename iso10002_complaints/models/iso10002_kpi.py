from contextlib import contextmanager
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import formatLang

from . import iso10002_kpi_data as kpi_data


@contextmanager
def without_jit(cr):
    """Run the statements of the block without PostgreSQL's JIT compilation,
    then put the setting back as it was (``SET LOCAL``, as Odoo sets
    planner settings for a transaction). The planner cannot know how few
    rows the periods' aggregates group (their segments are computed), so
    their estimated cost passes JIT's thresholds, and compiling took longer
    than running: 0.8 s of 1.8 s for the review of 200,000 complaints.
    After an error the setting stays off until the transaction ends (or the
    savepoint is rolled back): it changes speed, never results."""
    cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    previous = cr.fetchone()[0]
    yield
    cr.execute("SELECT set_config('jit', %s, true)", [previous])


class PeriodBuckets:
    """Periods ((start, stop, first day, last day) each: UTC datetimes, local
    dates) in SQL. The periods cut time into segments between their sorted
    bounds: a datetime finds its segment by ``width_bucket`` and its periods
    by comparing integers (an equality join, or a range of segments), so that
    each row is read once, whatever the number of periods, instead of being
    compared with every period (a review reads a year of complaints for the
    year and for each of its twelve months)."""

    def __init__(self, bounds):
        self.bounds = bounds
        self.cuts = sorted({moment for bound in bounds for moment in bound[:2]})
        # width_bucket numbers the segment from cuts[i - 1] to cuts[i] "i"; a
        # period holds the segments from its start's number to its stop's,
        # its stop's excluded
        self.spans = [
            (idx, self.cuts.index(start) + 1, self.cuts.index(stop) + 1)
            for idx, (start, stop, _first, _last) in enumerate(bounds)
        ]

    def values(self):
        """A row "b" per period: (idx, start, stop, first_day, last_day)."""
        return SQL(
            "(VALUES %s) AS b(idx, start, stop, first_day, last_day)",
            SQL(", ").join(
                SQL(
                    "(%s, %s::timestamp, %s::timestamp, %s::date, %s::date)",
                    idx,
                    *bound,
                )
                for idx, bound in enumerate(self.bounds)
            ),
        )

    def span_values(self):
        """A row "s" per period: (idx, first_seg, stop_seg), its segments
        being first_seg <= segment < stop_seg."""
        return SQL(
            "(VALUES %s) AS s(idx, first_seg, stop_seg)",
            SQL(", ").join(SQL("(%s, %s, %s)", *span) for span in self.spans),
        )

    def segment(self, column):
        """The number of the segment of the datetime ``column``: 0 before
        the first cut, the number of cuts after the last."""
        return SQL("width_bucket(%s, %s::timestamp[])", column, self.cuts)

    def within(self, column):
        return SQL("%s >= %s AND %s < %s", column, self.cuts[0], column, self.cuts[-1])

    def join(self, column):
        """A JOIN giving each row whose datetime ``column`` falls in periods
        a row "b" (idx, stop) per such period."""
        members = [
            SQL("(%s, %s, %s::timestamp)", segment, idx, self.bounds[idx][1])
            for idx, first_seg, stop_seg in self.spans
            for segment in range(first_seg, stop_seg)
        ]
        if not members:
            return SQL("JOIN (SELECT 0 AS idx, NULL::timestamp AS stop) AS b ON FALSE")
        return SQL(
            "JOIN (VALUES %s) AS b(seg, idx, stop) ON b.seg = %s AND %s",
            SQL(", ").join(members),
            self.segment(column),
            self.within(column),
        )


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
    def _scope_filter(self, companies, teams, categories, channels, alias="t"):
        """The company, team, category and channel of a complaint (alias)."""
        conditions = [
            SQL(f"{alias}.company_id IN %s", tuple(companies.ids) or (0,)),
        ]
        if teams:
            conditions.append(SQL(f"{alias}.team_id IN %s", tuple(teams.ids)))
        if categories:
            conditions.append(
                SQL(f"{alias}.complaint_category_id IN %s", tuple(categories.ids))
            )
        if channels:
            conditions.append(SQL(f"{alias}.channel_id IN %s", tuple(channels.ids)))
        return SQL(" AND ").join(conditions)

    @api.model
    def _ticket_filter(self, start, end, companies, teams, categories, channels):
        """Population P: complaints (not feedback) received in the period, of
        the scope; archived complaints stay in the statistics (R-8.1)."""
        return SQL(" AND ").join(
            [
                SQL("t.is_complaint"),
                SQL("t.is_feedback IS NOT TRUE"),
                SQL("t.received_at >= %s AND t.received_at < %s", start, end),
                self._scope_filter(companies, teams, categories, channels),
            ]
        )

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
        """The raw aggregates of a period, in a fixed number of queries."""
        return self._figures_for_periods(
            [(date_from, date_to)],
            companies=companies,
            teams=teams,
            categories=categories,
            channels=channels,
            tz_name=tz_name,
        )[0]

    @api.model
    def _figures_for_periods(
        self,
        periods,
        companies=None,
        teams=None,
        categories=None,
        channels=None,
        tz_name=None,
    ):
        """The raw aggregates of each period of ``periods`` ((date_from,
        date_to) pairs), in six aggregates (and two queries turning JIT off
        and back) whatever the number of periods and complaints. Each period
        is a row "b" (index, its local midnights in UTC, its first and last
        local day); datetimes are cut at the local midnights in the user's
        time zone, dates (action closures, trainings) are local dates
        already."""
        with without_jit(self.env.cr):
            return self._aggregate_periods(
                periods, companies, teams, categories, channels, tz_name
            )

    @api.model
    def _aggregate_periods(
        self, periods, companies, teams, categories, channels, tz_name
    ):
        companies = companies or self.env.companies
        self.env.flush_all()
        bounds = []
        for date_from, date_to in periods:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
            bounds.append(
                (*self._period_bounds(date_from, date_to, tz_name), date_from, date_to)
            )
        buckets = PeriodBuckets(bounds)
        b = buckets.values()
        tz = tz_name or self.env.user.tz or "UTC"
        scope = SQL(" AND ").join(
            [
                SQL("t.is_complaint"),
                SQL("t.is_feedback IS NOT TRUE"),
                self._scope_filter(companies, teams, categories, channels),
            ]
        )
        # population P of each period: complaints (not feedback) received in
        # it, of the scope; archived complaints stay in the statistics
        received_in = buckets.join(SQL("t.received_at"))
        cr = self.env.cr
        figures = [{} for _period in periods]
        local = SQL("AT TIME ZONE 'UTC' AT TIME ZONE %s", tz)
        # the complaint counts of a period, each with the complaints it counts
        # ("p" below)
        closed = SQL("closed_at_end AND NOT was_withdrawn")
        external = SQL("%s AND review_type = 'external_recourse'", closed)
        counts = {
            "received": SQL("TRUE"),
            "closed": closed,
            "withdrawn": SQL("closed_at_end AND was_withdrawn"),
            "resolved_in_time_before": SQL("%s AND in_time_before", closed),
            "first_contact": SQL(
                """communicated_on IS NOT NULL
                   AND (communicated_on %s)::date = (received_at %s)::date
                   AND complainant_response IS DISTINCT FROM 'rejected'""",
                local,
                local,
            ),
            "assessed": SQL("assessed_by_id IS NOT NULL"),
            "misprioritised": SQL("severity_changed_after_assessment"),
            "external": external,
            "external_decided": SQL(
                "%s AND recourse_result IN %s",
                external,
                tuple(kpi_data.RECOURSE_DECIDED),
            ),
            "external_upheld": SQL(
                "%s AND recourse_result IN %s",
                external,
                tuple(kpi_data.RECOURSE_UPHELD),
            ),
            "recurring": SQL("recurrence_detected"),
        }
        # counted per period and problem (hashed, where counting distinct
        # problems per period would sort every complaint), then per period;
        # the closure a complaint was in at the end of the period, if any: its
        # current one, or one that a later reopening ended ("r", kept on the
        # reopening record; closures do not overlap, so at most one matches),
        # so that a past period's figures do not change. Whether the current
        # closure met its resolution target is counted with the clocks below.
        cr.execute(
            SQL(
                """
                WITH p AS (
                    SELECT b.idx, t.received_at, t.communicated_on,
                           t.complainant_response, t.assessed_by_id,
                           t.severity_changed_after_assessment, t.review_type,
                           t.recourse_result,
                           t.recurrence_detected, t.problem_id,
                           r.id IS NOT NULL
                               OR (t.iso10002_step = 'closed'
                                   AND t.closed_date < b.stop) AS closed_at_end,
                           CASE WHEN r.id IS NOT NULL
                                THEN r.previous_withdrawn IS TRUE
                                ELSE t.withdrawn_on IS NOT NULL END AS was_withdrawn,
                           r.previous_in_time IS TRUE AS in_time_before
                      FROM helpdesk_ticket t
                      %(received_in)s
                 LEFT JOIN iso10002_reopening r
                        ON r.ticket_id = t.id
                       AND r.previous_closed_on < b.stop
                       AND r.reopened_on >= b.stop
                     WHERE %(scope)s
                ), g AS (
                SELECT idx, problem_id, %(counts)s
                  FROM p
              GROUP BY idx, problem_id
                )
                SELECT idx, %(sums)s, count(problem_id) AS problems
                  FROM g
              GROUP BY idx
                """,
                counts=SQL(", ").join(
                    SQL(
                        "count(*) FILTER (WHERE %s) AS %s",
                        condition,
                        SQL.identifier(name),
                    )
                    for name, condition in counts.items()
                ),
                sums=SQL(", ").join(
                    SQL(
                        "sum(%s)::bigint AS %s",
                        SQL.identifier(name),
                        SQL.identifier(name),
                    )
                    for name in counts
                ),
                received_in=received_in,
                scope=scope,
            )
        )
        for row in cr.dictfetchall():
            figures[row.pop("idx")].update(row)
        # the clocks, counted per segment, phase and segment of closing (a
        # hash aggregate, their hours gathered in arrays), then per period:
        # each period's percentiles sort its own hours only, where grouping
        # the clocks by period sorted every clock once per period holding it
        cr.execute(
            SQL(
                """
                WITH a AS (
                    SELECT %(segment)s AS seg, l.phase,
                           CASE WHEN t.iso10002_step = 'closed'
                                 AND t.withdrawn_on IS NULL
                                THEN %(closed_segment)s END AS closed_seg,
                           count(*) FILTER (WHERE l.state = 'met') AS met,
                           count(*) FILTER (
                               WHERE l.state IN ('met', 'met_late')
                                  OR (l.state = 'running' AND l.deadline <= %(now)s)
                           ) AS due,
                           array_agg(l.consumed_hours) FILTER (
                               WHERE l.state IN ('met', 'met_late')) AS hours
                      FROM iso10002_sla_line l
                      JOIN helpdesk_ticket t ON t.id = l.ticket_id
                     WHERE %(within)s AND %(scope)s
                  GROUP BY 1, 2, 3
                )
                SELECT s.idx, a.phase,
                       sum(a.met)::bigint AS met,
                       -- current closures at the end of the period
                       coalesce(sum(a.met) FILTER (
                           WHERE a.closed_seg < s.stop_seg), 0)::bigint
                           AS met_closed_at_end,
                       sum(a.due)::bigint AS due,
                       (SELECT percentile_cont(ARRAY[0.5, 0.9])
                                   WITHIN GROUP (ORDER BY h)
                          FROM a AS p, unnest(p.hours) AS h
                         WHERE p.phase = a.phase
                           AND p.seg >= s.first_seg AND p.seg < s.stop_seg
                       ) AS hours
                  FROM a
                  JOIN %(spans)s ON a.seg >= s.first_seg AND a.seg < s.stop_seg
              GROUP BY s.idx, s.first_seg, s.stop_seg, a.phase
                """,
                segment=buckets.segment(SQL("t.received_at")),
                closed_segment=buckets.segment(SQL("t.closed_date")),
                within=buckets.within(SQL("t.received_at")),
                spans=buckets.span_values(),
                now=fields.Datetime.now(),
                scope=scope,
            )
        )
        for row in cr.dictfetchall():
            period = figures[row["idx"]]
            median, p90 = row["hours"] or (None, None)
            period[f"{row['phase']}_median"] = median
            period[f"{row['phase']}_p90"] = p90
            if row["phase"] == "acknowledge":
                period["ack_in_time"] = row["met"]
                period["ack_due"] = row["due"]
            elif row["phase"] == "resolve":
                # current closures at the end of the period that met the target
                period["resolved_in_time_now"] = row["met_closed_at_end"]
        for period in figures:
            period["resolved_in_time"] = period.pop(
                "resolved_in_time_before", 0
            ) + period.pop("resolved_in_time_now", 0)
        cr.execute(
            SQL(
                """
                SELECT b.idx, coalesce(sum(r.amount_company), 0)
                  FROM iso10002_complaint_remedy r
                  JOIN helpdesk_ticket t ON t.id = r.ticket_id
                  %s
                 WHERE %s AND r.state = 'implemented'
              GROUP BY b.idx
                """,
                received_in,
                scope,
            )
        )
        for idx, cost in cr.fetchall():
            figures[idx]["remedy_cost"] = cost
        # complaints of the period reviewed in a signed objectivity sample
        # (Annex C.5), and how many were judged handled objectively
        cr.execute(
            SQL(
                """
                SELECT b.idx, count(*) AS sampled,
                       count(*) FILTER (WHERE r.verdict = 'objective')
                           AS sampled_objective
                  FROM iso10002_objectivity_review r
                  JOIN iso10002_objectivity_sample s
                    ON s.id = r.sample_id AND s.state = 'reviewed'
                  JOIN helpdesk_ticket t ON t.id = r.ticket_id
                  %s
                 WHERE r.verdict IS NOT NULL AND %s
              GROUP BY b.idx
                """,
                received_in,
                scope,
            )
        )
        for row in cr.dictfetchall():
            figures[row.pop("idx")].update(row)
        # surveys answered in the period about complaints of the scope that
        # are still in the process: neither archived nor feedback
        cr.execute(
            SQL(
                """
                SELECT b.idx, count(*) AS surveys,
                       avg(s.score) FILTER (WHERE s.score IS NOT NULL)
                           AS satisfaction_avg,
                       count(*) FILTER (WHERE s.fair IS NOT NULL) AS fair_answered,
                       count(*) FILTER (WHERE s.fair = 'yes') AS fair
                  FROM iso10002_satisfaction s
                  %s
                  JOIN helpdesk_ticket t ON t.id = s.ticket_id
                 WHERE t.active AND %s
              GROUP BY b.idx
                """,
                buckets.join(SQL("s.submitted_on")),
                scope,
            )
        )
        for row in cr.dictfetchall():
            figures[row["idx"]].update(
                surveys=row["surveys"],
                fair=row["fair"],
                fair_answered=row["fair_answered"],
                satisfaction_avg=float(row["satisfaction_avg"])
                if row["satisfaction_avg"] is not None
                else None,
            )
        linked = SQL("TRUE")
        if teams or categories or channels:
            # only actions that answer complaints of the chosen scope
            linked = SQL(
                """EXISTS (
                    SELECT 1 FROM iso10002_action_ticket_rel rel
                      JOIN helpdesk_ticket t ON t.id = rel.ticket_id
                     WHERE rel.action_id = a.id AND %s)""",
                self._scope_filter(companies, teams, categories, channels),
            )
        cr.execute(
            SQL(
                """
                SELECT b.idx, count(*) FROM iso10002_action a
                  JOIN %s ON a.closed_on >= b.first_day AND a.closed_on <= b.last_day
                 WHERE a.state = 'closed' AND a.action_type = 'improvement'
                   AND a.company_id IN %s
                   AND %s
              GROUP BY b.idx
                """,
                b,
                tuple(companies.ids) or (0,),
                linked,
            )
        )
        for idx, count in cr.fetchall():
            figures[idx]["improvements"] = count
        # the agents: members of the group or of a group implying it (Odoo 19
        # keeps explicit memberships only in res_groups_users_rel)
        groups = (
            self.env.ref("iso10002_complaints.group_iso10002_agent")
            .sudo()
            .all_implied_by_ids
        )
        members = SQL("TRUE")
        if teams:
            members = SQL(
                """EXISTS (
                    SELECT 1 FROM helpdesk_ticket_team_res_users_rel m
                     WHERE m.res_users_id = u.id
                       AND m.helpdesk_ticket_team_id IN %s)""",
                tuple(teams.ids),
            )
        cr.execute(
            SQL(
                """
                SELECT b.idx, count(DISTINCT u.id) AS agents,
                       count(DISTINCT tr.user_id) AS agents_trained
                  FROM res_groups_users_rel rel
                  JOIN res_users u ON u.id = rel.uid AND u.active AND NOT u.share
                 CROSS JOIN %(b)s
                  LEFT JOIN iso10002_training tr
                         ON tr.user_id = u.id AND tr.date <= b.last_day
                        AND (tr.expiry_date IS NULL OR tr.expiry_date >= b.last_day)
                 WHERE rel.gid IN %(groups)s
                   AND EXISTS (
                       SELECT 1 FROM res_company_users_rel cu
                        WHERE cu.user_id = u.id AND cu.cid IN %(companies)s)
                   AND %(members)s
              GROUP BY b.idx
                """,
                b=b,
                groups=tuple(groups.ids),
                companies=tuple(companies.ids) or (0,),
                members=members,
            )
        )
        for row in cr.dictfetchall():
            figures[row.pop("idx")].update(row)
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
        """Code -> KpiDefinition (name, definition, unit, better, reference,
        as_of, filters), its texts translated: the one definition of each KPI
        that the dashboard, objectives, reviews and audits show."""
        _ = self.env._
        # the sources are marked for translation in iso10002_kpi_data (_lt)
        return {
            code: kpi._replace(
                name=_(kpi.name._source),  # pylint: disable=translation-required
                definition=_(kpi.definition._source),  # pylint: disable=translation-required
            )
            for code, kpi in kpi_data.KPIS.items()
        }

    @api.model
    def _format_value(self, value, unit, currency=None, missing=None):
        """A KPI value as the reports and screens show it, with its unit
        (a count without decimals, a share in percent, hours, a score out of
        5); amounts in ``currency``; no value is said as no data (or as
        ``missing``, a dash in the reports' tables), never as 0."""
        if value is None or value is False:
            return self.env._("no data") if missing is None else missing
        if unit == "percent":
            return f"{value:.1f} %"
        if unit == "hours":
            return f"{value:.1f} h"
        if unit == "score":
            return f"{value:.2f} / 5"
        if unit == "amount":
            return formatLang(self.env, value, currency_obj=currency)
        return str(int(value))

    @api.model
    def _g33_notes(self):
        """The two notes of G.3.3 every report of these figures carries."""
        return "\n".join(
            (
                self.env._(
                    "A rise in complaints after the process is introduced usually "
                    "reflects that complaining became easier and more visible, not "
                    "worse products (ISO 10002 G.3.3)."
                ),
                self.env._(
                    "These objective data do not measure customer satisfaction: "
                    "read them with the satisfaction surveys (ISO 10002 G.3.3)."
                ),
            )
        )

    @api.model
    def _label(self, lazy):
        return self.env._(lazy._source)  # pylint: disable=translation-required

    @api.model
    def _scope_note(self, code, filters):
        """The text saying which of the chosen filters a KPI cannot honour
        (empty when it honours them all)."""
        unapplied = kpi_data.unapplied_filters(code, filters)
        if not unapplied:
            return ""
        return self.env._(
            "Not filtered by: %(filters)s",
            filters=", ".join(
                self._label(kpi_data.FILTER_LABELS[name]) for name in unapplied
            ),
        )

    @api.model
    def _rows_against_objectives(self, values, company, date_from, date_to, filters=()):
        """One row per KPI, in the order of the definitions, with the
        objective of the period when there is one (dashboard, reviews).
        ``filters``: the filter codes chosen besides the company."""
        objectives = self.env["iso10002.objective"].search(
            [
                ("company_id", "=", company.id),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        targets = {objective.kpi_code: objective for objective in objectives}
        rows = []
        for sequence, (code, kpi) in enumerate(self._definitions().items()):
            objective = targets.get(code, self.env["iso10002.objective"])
            value = values.get(code)
            rows.append(
                {
                    "sequence": sequence,
                    "code": code,
                    "name": kpi.name,
                    "definition": kpi.definition,
                    "reference": kpi.reference,
                    "direction": self._label(kpi_data.DIRECTION_LABELS[kpi.better]),
                    "as_of": self._label(kpi_data.AS_OF_LABELS[kpi.as_of]),
                    "scope_note": self._scope_note(code, filters),
                    "unit": kpi.unit,
                    "value": value or 0.0,
                    "has_value": value is not None,
                    "objective": objective,
                    "target": objective.target if objective else 0.0,
                }
            )
        return rows
