import logging
import threading
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL

from . import iso10002_data as iso
from . import iso10002_sla_math as sla_math

_logger = logging.getLogger(__name__)


class Iso10002SlaLine(models.Model):
    """The clock of one phase of one complaint (acknowledge, assess, respond,
    resolve). Stored: target, deadline, the moment it becomes at risk, the time
    the phase was reached and the working time consumed. Whether a clock is at
    risk or breached depends on "now" and is derived, never stored."""

    _name = "iso10002.sla.line"
    _inherit = ["iso10002.complaint.record"]
    _description = "Complaint SLA Phase"
    _order = "ticket_id, sequence, id"

    phase = fields.Selection(selection=iso.PHASES, required=True, readonly=True)
    sequence = fields.Integer(readonly=True)
    policy_id = fields.Many2one(
        comodel_name="iso10002.sla.policy",
        string="SLA Policy",
        readonly=True,
        ondelete="restrict",
    )
    target_hours = fields.Float(string="Target (working hours)", readonly=True)
    calendar_id = fields.Many2one(
        comodel_name="resource.calendar",
        string="Working Hours",
        readonly=True,
        help="Empty: no working calendar was found; the clock runs around the clock.",
    )
    clock_start = fields.Datetime(
        readonly=True, help="When the clock last started (receipt or resume)."
    )
    consumed_hours = fields.Float(
        string="Used (working hours)",
        readonly=True,
        help="Working time used before the clock last started, or in all once the "
        "phase is reached.",
    )
    deadline = fields.Datetime(readonly=True)
    at_risk_at = fields.Datetime(string="At Risk From", readonly=True)
    reached_at = fields.Datetime(readonly=True)
    state = fields.Selection(
        selection=iso.SLA_STATES,
        default=iso.SLA_RUNNING,
        required=True,
        readonly=True,
    )
    status = fields.Selection(
        selection=iso.SLA_STATUSES,
        compute="_compute_status",
        search="_search_status",
    )
    escalation_level = fields.Integer(
        readonly=True,
        default=iso.ESCALATION_NONE,
        help="0: none, 1: agent warned (at risk), 2: management notified (breached).",
    )
    progress_sent_at = fields.Datetime(string="Progress Update Sent On", readonly=True)

    _ticket_phase_uniq = models.Constraint(
        "unique(ticket_id, phase)",
        "A complaint has one clock per SLA phase.",
    )

    def init(self):
        # the escalation scan and the "breached" search are index scans over the
        # running clocks only
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS iso10002_sla_line_running_deadline_idx
                ON iso10002_sla_line (deadline) WHERE state = 'running';
            CREATE INDEX IF NOT EXISTS iso10002_sla_line_running_at_risk_idx
                ON iso10002_sla_line (at_risk_at)
                WHERE state = 'running' AND escalation_level < 1;
            """
        )

    # ------------------------------------------------------------------
    # Status (derived from now)
    # ------------------------------------------------------------------
    @api.depends("state", "deadline", "at_risk_at")
    @api.depends_context("iso10002_now")
    def _compute_status(self):
        now = self._now()
        for line in self:
            line.status = iso.sla_status(
                line.state, line.deadline, line.at_risk_at, now
            )

    def _search_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(self.env._("Unsupported search on SLA status."))
        values = [value] if isinstance(value, str) else list(value or [])
        domain = self._status_domain(values)
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    @api.model
    def _status_domain(self, statuses):
        now = self._now()
        running = ("state", "=", iso.SLA_RUNNING)
        parts = {
            iso.SLA_BREACHED: [running, ("deadline", "<=", now)],
            iso.SLA_AT_RISK: [
                running,
                ("deadline", ">", now),
                ("at_risk_at", "<=", now),
            ],
            iso.SLA_ON_TRACK: [
                running,
                "|",
                ("deadline", "=", False),
                ("deadline", ">", now),
                "|",
                ("at_risk_at", "=", False),
                ("at_risk_at", ">", now),
            ],
        }
        return Domain.OR(
            [parts.get(status, [("state", "=", status)]) for status in statuses]
            or [Domain.FALSE]
        )

    @api.model
    def _now(self):
        return self.env.context.get("iso10002_now") or fields.Datetime.now()

    # ------------------------------------------------------------------
    # Clock events
    # ------------------------------------------------------------------
    @api.model
    def _start_for(self, complaints):
        """Start the four clocks of new complaints, from their receipt."""
        policies = self.env["iso10002.sla.policy"]._select_for(complaints)
        vals_list, items = [], []
        for complaint in complaints:
            policy = policies[complaint.id]
            if not policy:
                continue
            calendar = policy._calendar_for_team(
                complaint.team_id, complaint.company_id
            )
            start = complaint.received_at or fields.Datetime.now()
            share = (policy.at_risk_percent or 0.0) / 100
            for sequence, phase in enumerate(policy._phases()):
                vals = {
                    "ticket_id": complaint.id,
                    "company_id": complaint.company_id.id,
                    "phase": phase,
                    "sequence": sequence,
                    "policy_id": policy.id,
                    "target_hours": policy._target_hours(phase),
                    "calendar_id": calendar.id,
                    "clock_start": start,
                    "consumed_hours": 0.0,
                }
                vals_list.append(vals)
                items.append((vals, calendar, start, 0.0, vals["target_hours"], share))
        # the deadlines go in with the insert: no update of each line after
        self._deadline_values(items)
        return self.sudo().create(vals_list)

    def _compute_deadlines(self):
        """Deadlines and at-risk moments of running clocks: one working-time
        computation per calendar for the whole batch."""
        running = self.filtered(lambda line: line.state == iso.SLA_RUNNING)
        values = {line: {} for line in running}
        self._deadline_values(
            [
                (
                    values[line],
                    line.calendar_id,
                    line.clock_start,
                    line.consumed_hours,
                    line.target_hours,
                    (line.policy_id.at_risk_percent or 0.0) / 100,
                )
                for line in running
            ]
        )
        for line, vals in values.items():
            line.write(vals)

    @api.model
    def _deadline_values(self, items):
        """Set ``deadline`` and ``at_risk_at`` in the dict of each item
        ``(vals, calendar, clock_start, consumed, target, at-risk share)``:
        one span list per calendar for all the items."""
        by_calendar = defaultdict(list)
        for item in items:
            by_calendar[item[1]].append(item)
        for calendar, group in by_calendar.items():
            spans = self._spans(
                calendar,
                min(item[2] for item in group),
                max(item[2] for item in group),
                max(item[4] for item in group),
            )
            for vals, _calendar, start, consumed, target, share in group:
                deadline, at_risk_at = sla_math.deadlines(
                    spans, start, consumed, target, share
                )
                vals.update(deadline=deadline, at_risk_at=at_risk_at)

    @api.model
    def _spans(self, calendar, first_start, last_start, max_hours):
        """Working spans of ``calendar`` from ``first_start`` long enough for
        ``max_hours`` of work after ``last_start`` (extended as needed)."""
        if not calendar:
            return sla_math.ALWAYS
        weekly = calendar.hours_per_day * len(
            set(calendar.attendance_ids.mapped("dayofweek"))
        )
        end = sla_math.horizon(last_start, max_hours, weekly)
        for _attempt in range(6):
            spans = self._calendar_spans(calendar, first_start, end)
            if sla_math.plan(spans, last_start, max_hours) is not None:
                return spans
            end = end + (end - first_start)
        _logger.warning(
            "Calendar %s has no working time for %s hours after %s",
            calendar.display_name,
            max_hours,
            last_start,
        )
        return spans

    @api.model
    def _calendar_spans(self, calendar, start, end):
        """Working spans of ``calendar`` covering ``start`` to ``end``: those
        of the whole UTC days around them, computed once per calendar and
        days and kept in Odoo's cache (complaints received the same day
        share them), until working time changes
        (``_recompute_for_calendars`` clears it, in every worker)."""
        first_day = datetime.combine(start.date(), time.min)
        after_last_day = datetime.combine(end.date(), time.min) + timedelta(days=1)
        return list(self._iso10002_day_spans(calendar.id, first_day, after_last_day))

    @tools.ormcache("calendar_id", "start", "end")
    def _iso10002_day_spans(self, calendar_id, start, end):
        calendar = self.env["resource.calendar"].sudo().browse(calendar_id)
        intervals = calendar._work_intervals_batch(
            pytz.utc.localize(start), pytz.utc.localize(end)
        )[False]
        return tuple(
            sla_math.merge_spans(
                (sla_math.utc_naive(begin), sla_math.utc_naive(stop))
                for begin, stop, _records in intervals
            )
        )

    def _consumed_until(self, moment):
        """{line: working hours used until ``moment``}, one span list per
        calendar."""
        result = {}
        running = self.filtered(lambda line: line.state == iso.SLA_RUNNING)
        for line in self - running:
            result[line] = line.consumed_hours
        for calendar, lines in running.grouped("calendar_id").items():
            first = min(lines.mapped("clock_start"))
            spans = (
                sla_math.ALWAYS
                if not calendar
                else self._calendar_spans(calendar, first, max(moment, first))
            )
            for line in lines:
                result[line] = line.consumed_hours + sla_math.worked(
                    spans, line.clock_start, moment
                )
        return result

    def _reach(self, moments):
        """Mark phases reached; ``moments`` maps a line to the time it was."""
        open_lines = self.filtered(
            lambda line: line.state in (iso.SLA_RUNNING, iso.SLA_PAUSED)
        )
        by_moment = defaultdict(lambda: self.browse())
        for line in open_lines:
            by_moment[moments[line]] |= line
        for moment, lines in by_moment.items():
            used = lines._consumed_until(moment)
            for line in lines:
                hours = used[line]
                late = hours > line.target_hours + 1e-6
                line.write(
                    {
                        "reached_at": moment,
                        "consumed_hours": hours,
                        "state": iso.SLA_MET_LATE if late else iso.SLA_MET,
                        "clock_start": False,
                    }
                )

    def _pause(self, moment):
        running = self.filtered(lambda line: line.state == iso.SLA_RUNNING)
        used = running._consumed_until(moment)
        for line in running:
            line.write(
                {
                    "state": iso.SLA_PAUSED,
                    "consumed_hours": used[line],
                    "clock_start": False,
                    "deadline": False,
                    "at_risk_at": False,
                }
            )

    def _resume(self, moment):
        paused = self.filtered(lambda line: line.state == iso.SLA_PAUSED)
        paused.write({"state": iso.SLA_RUNNING, "clock_start": moment})
        paused._compute_deadlines()

    def _cancel(self):
        self.filtered(
            lambda line: line.state in (iso.SLA_RUNNING, iso.SLA_PAUSED)
        ).write({"state": iso.SLA_CANCELLED, "deadline": False, "at_risk_at": False})

    @api.model
    def _recompute_for_calendars(self, calendars):
        """Working time changed: move the deadlines of running clocks (the
        cached working spans are dropped first)."""
        if not calendars:
            return
        self.env.registry.clear_cache()
        lines = self.sudo().search(
            [("state", "=", iso.SLA_RUNNING), ("calendar_id", "in", calendars.ids)]
        )
        lines._compute_deadlines()

    @api.model
    def _recompute_for_teams(self, teams):
        """A team's working hours changed: its open clocks follow, unless their
        policy has working hours of its own."""
        lines = self.sudo().search(
            [
                ("ticket_id.team_id", "in", teams.ids),
                ("state", "in", (iso.SLA_RUNNING, iso.SLA_PAUSED)),
                ("policy_id.resource_calendar_id", "=", False),
            ]
        )
        lines._apply_policy_targets()

    @api.model
    def _recompute_for_companies(self, companies):
        lines = self.sudo().search(
            [
                ("company_id", "in", companies.ids),
                ("state", "in", (iso.SLA_RUNNING, iso.SLA_PAUSED)),
                ("policy_id.resource_calendar_id", "=", False),
                ("ticket_id.team_id.resource_calendar_id", "=", False),
            ]
        )
        lines._apply_policy_targets()

    def _apply_policy_targets(self, policy=None):
        """Targets and calendar from the (new) policy; deadlines move."""
        for line in self:
            current = policy or line.policy_id
            line.write(
                {
                    "policy_id": current.id,
                    "target_hours": current._target_hours(line.phase),
                    "calendar_id": current._calendar_for_team(
                        line.ticket_id.team_id, line.ticket_id.company_id
                    ).id,
                }
            )
        self._compute_deadlines()

    # ------------------------------------------------------------------
    # Progress updates (cron, R-7.3)
    # ------------------------------------------------------------------
    @api.model
    def _cron_progress_updates(self, batch_size=200):
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        return self._send_progress_updates(batch_size=batch_size, commit=auto_commit)

    @api.model
    def _send_progress_updates(self, batch_size=200, commit=True):
        now = self._now()
        template = self.env.ref("iso10002_complaints.mail_template_complaint_progress")
        sent = 0
        while True:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """SELECT line.id
                         FROM iso10002_sla_line line
                         JOIN iso10002_sla_policy policy ON policy.id = line.policy_id
                        WHERE line.state = 'running'
                          AND line.phase IN %(phases)s
                          AND line.progress_sent_at IS NULL
                          AND line.deadline > %(now)s
                          AND line.deadline - make_interval(
                                secs => policy.progress_lead_hours * 3600
                              ) <= %(now)s
                     ORDER BY line.deadline, line.id
                        LIMIT %(limit)s
                   FOR UPDATE OF line SKIP LOCKED""",
                    phases=tuple(iso.PROGRESS_PHASES),
                    now=now,
                    limit=batch_size,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            if not ids:
                break
            lines = self.browse(ids)
            lines.write({"progress_sent_at": now})
            to_update = self.env["helpdesk.ticket"]
            for line in lines:
                complaint = line.ticket_id
                quiet = timedelta(hours=line.policy_id.progress_quiet_hours)
                recent = complaint.iso10002_last_update_at
                if recent and recent + quiet > now:
                    continue
                to_update |= complaint
            to_update = to_update.filtered(lambda c: c.partner_id.email)
            if to_update:
                to_update.message_post_with_source(
                    template, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            sent += len(to_update)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return sent

    @api.model
    def _day_bounds(self, now):
        """Start and end (UTC) of the user's today, for "due today"."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        local = pytz.utc.localize(now).astimezone(tz)
        start = tz.localize(datetime.combine(local.date(), time.min))
        end = start + timedelta(days=1)
        return sla_math.utc_naive(start), sla_math.utc_naive(end)
