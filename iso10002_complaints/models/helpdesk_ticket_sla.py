"""Deadlines, SLA clocks and escalation of a complaint (R-4.4, R-7.3,
R-5.3.1 g, R-5.3.5)."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from . import iso10002_data as iso

# Fields an SLA policy selects on: changing one may change the policy
SLA_POLICY_FIELDS = frozenset(
    {"team_id", "severity", "complaint_category_id", "channel_id", "subject"}
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        comodel_name="iso10002.sla.policy",
        string="SLA Policy",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
    )
    sla_line_ids = fields.One2many(
        comodel_name="iso10002.sla.line",
        inverse_name="ticket_id",
        string="Deadlines",
    )
    sla_deadline = fields.Datetime(
        string="Next Deadline",
        compute="_compute_sla_deadline",
        store=True,
        help="The earliest deadline of the phases still running.",
    )
    sla_at_risk_at = fields.Datetime(
        string="Next At-Risk Moment",
        compute="_compute_sla_deadline",
        store=True,
        help="The earliest moment a running phase becomes at risk.",
    )
    sla_status = fields.Selection(
        selection=iso.SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        search="_search_sla_status",
        help="The worst status of the complaint's phases, now.",
    )
    sla_breached = fields.Boolean(
        string="Deadline Breached",
        compute="_compute_sla_status",
        search="_search_sla_breached",
    )
    sla_at_risk = fields.Boolean(
        string="Deadline at Risk",
        compute="_compute_sla_status",
        search="_search_sla_at_risk",
    )
    sla_due_today = fields.Boolean(
        string="Due Today",
        compute="_compute_sla_status",
        search="_search_sla_due_today",
    )
    is_significant = fields.Boolean(
        string="Significant Complaint",
        related="sla_policy_id.is_significant",
    )
    escalation_ids = fields.One2many(
        comodel_name="iso10002.escalation",
        inverse_name="ticket_id",
        string="Escalations",
    )
    iso10002_last_update_at = fields.Datetime(
        string="Complainant Last Updated On",
        readonly=True,
        copy=False,
        help="Last time the complainant was written to about this complaint.",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends(
        "sla_line_ids.deadline", "sla_line_ids.at_risk_at", "sla_line_ids.state"
    )
    def _compute_sla_deadline(self):
        for ticket in self:
            running = [
                line for line in ticket.sla_line_ids if line.state == iso.SLA_RUNNING
            ]
            deadlines = [line.deadline for line in running if line.deadline]
            risks = [line.at_risk_at for line in running if line.at_risk_at]
            ticket.sla_deadline = min(deadlines) if deadlines else False
            ticket.sla_at_risk_at = min(risks) if risks else False

    @api.depends("sla_line_ids.status", "sla_deadline", "sla_at_risk_at")
    @api.depends_context("iso10002_now")
    def _compute_sla_status(self):
        Line = self.env["iso10002.sla.line"]
        now = Line._now()
        start, end = Line._day_bounds(now)
        lines_field = self._fields["sla_line_ids"]
        cached = all(self.env.cache.contains(t, lines_field) for t in self)
        if not cached and all(isinstance(ticket_id, int) for ticket_id in self.ids):
            # the clocks of the whole list in one query (not a search of
            # the one2many and a read of its lines)
            clocks = Line.search_fetch(
                [("ticket_id", "in", self.ids)],
                ["ticket_id", "state", "deadline", "at_risk_at"],
            ).grouped("ticket_id")
        else:  # read already (a form), or new records: the lines as they are
            clocks = {ticket: ticket.sla_line_ids for ticket in self}
        for ticket in self:
            statuses = clocks.get(ticket, Line).mapped("status")
            worst = min(statuses, key=iso.SLA_STATUS_RANK.get) if statuses else False
            ticket.sla_status = worst
            deadline, at_risk_at = ticket.sla_deadline, ticket.sla_at_risk_at
            ticket.sla_breached = bool(deadline and deadline <= now)
            ticket.sla_at_risk = bool(
                at_risk_at and at_risk_at <= now and not ticket.sla_breached
            )
            ticket.sla_due_today = bool(
                deadline and now < deadline and start <= deadline < end
            )

    def _search_sla_status(self, operator, value):
        return [("sla_line_ids", "any", [("status", operator, value)])]

    def _sla_flag_domain(self, operator, value, domain):
        """Breached, at risk, due today: range conditions on the stored next
        deadline and at-risk moment (partial indexes), compared with now."""
        positive = iso.boolean_search(operator, value)
        if positive is None:
            raise UserError(self.env._("Unsupported search on an SLA filter."))
        return domain if positive else ~Domain(domain)

    def _search_sla_breached(self, operator, value):
        now = self.env["iso10002.sla.line"]._now()
        return self._sla_flag_domain(operator, value, [("sla_deadline", "<=", now)])

    def _search_sla_at_risk(self, operator, value):
        now = self.env["iso10002.sla.line"]._now()
        return self._sla_flag_domain(
            operator,
            value,
            [
                ("sla_at_risk_at", "<=", now),
                "|",
                ("sla_deadline", "=", False),
                ("sla_deadline", ">", now),
            ],
        )

    def _search_sla_due_today(self, operator, value):
        Line = self.env["iso10002.sla.line"]
        now = Line._now()
        start, end = Line._day_bounds(now)
        return self._sla_flag_domain(
            operator,
            value,
            [
                ("sla_deadline", ">", now),
                ("sla_deadline", ">=", start),
                ("sla_deadline", "<", end),
            ],
        )

    def init(self):
        result = super().init()
        # the breach and at-risk scans are index range scans over the open
        # complaints only (closed ones have no next deadline)
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_deadline_open_idx
                ON helpdesk_ticket (sla_deadline) WHERE sla_deadline IS NOT NULL;
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_sla_at_risk_open_idx
                ON helpdesk_ticket (sla_at_risk_at) WHERE sla_at_risk_at IS NOT NULL;
            """
        )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_iso10002_escalate(self):
        self.ensure_one()
        self._check_is_complaint()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate Complaint"),
            "res_model": "iso10002.escalate.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_sla_start(self):
        lines = self.env["iso10002.sla.line"]._start_for(self)
        # one write per policy for the batch
        for policy, policy_lines in lines.grouped("policy_id").items():
            if policy:
                self.browse(policy_lines.ticket_id.ids)._iso10002_write_raw(
                    {"sla_policy_id": policy.id}
                )
        self._iso10002_notify_significant()
        return True

    def _iso10002_sla_on_stage_change(self, old_stages):
        """Reach phases, pause or resume clocks after a stage change."""
        now = fields.Datetime.now()
        Stage = self.env["helpdesk.ticket.stage"]
        # the clocks are the system's records: users move complaints, not clocks
        Line = self.env["iso10002.sla.line"].sudo()
        to_pause = to_resume = to_cancel = Line
        reached = {}
        for complaint in self:
            old_stage = Stage.browse(old_stages[complaint.id])
            open_lines = complaint.sudo().sla_line_ids.filtered(
                lambda line: line.state in (iso.SLA_RUNNING, iso.SLA_PAUSED)
            )
            step = complaint.iso10002_step
            if step == iso.STEP_CLOSED and complaint.withdrawn_on:
                # withdrawn: what was still to do will not be done
                to_cancel |= open_lines
                continue
            if step == iso.STEP_CLOSED and complaint.is_feedback:
                # feedback was assessed, then left the process: the later
                # phases do not apply to it
                step = iso.STEP_ASSESSED
                to_cancel |= open_lines.filtered(
                    lambda line: (
                        iso.step_index(iso.PHASE_STEP[line.phase])
                        > iso.step_index(iso.STEP_ASSESSED)
                    )
                )
            for line in open_lines - to_cancel:
                if iso.step_index(step) >= iso.step_index(iso.PHASE_STEP[line.phase]):
                    reached[line] = complaint._iso10002_phase_moment(line.phase, now)
            remaining = (open_lines - to_cancel).filtered(
                lambda line: line not in reached
            )
            if (
                complaint.stage_id.iso10002_sla_pause
                and not old_stage.iso10002_sla_pause
            ):
                to_pause |= remaining
            elif (
                old_stage.iso10002_sla_pause
                and not complaint.stage_id.iso10002_sla_pause
            ):
                to_resume |= remaining
        if reached:
            Line.browse([line.id for line in reached])._reach(reached)
        to_cancel._cancel()
        to_pause._pause(now)
        to_resume._resume(now)

    def _iso10002_sla_reopen(self, now):
        """After a reopening, the phases of the steps to take again run again
        from now, with the working time they had used (R-4.4, R-7.9): their
        deadline is what was left of the target, or already past. A clock is
        escalated once per level: a level reached before the closure is not
        escalated a second time."""
        Line = self.env["iso10002.sla.line"].sudo()
        again = Line
        for complaint in self:
            step = iso.step_index(complaint.iso10002_step)
            again |= complaint.sudo().sla_line_ids.filtered(
                lambda line, step=step: (
                    line.state in (iso.SLA_MET, iso.SLA_MET_LATE)
                    and iso.step_index(iso.PHASE_STEP[line.phase]) > step
                )
            )
        again.write(
            {
                "state": iso.SLA_RUNNING,
                "reached_at": False,
                "clock_start": now,
            }
        )
        # escalations already made for a clock stay (one per level and clock)
        again._compute_deadlines()
        return again

    def _iso10002_phase_moment(self, phase, now):
        """When a phase was reached: the recorded event time where there is one."""
        self.ensure_one()
        moment = {
            iso.PHASE_ACKNOWLEDGE: self.acknowledged_at,
            iso.PHASE_RESPOND: self.communicated_on,
        }.get(phase)
        return min(moment, now) if moment else now

    def _iso10002_sla_reselect_policy(self):
        """A changed severity, category, channel, subject or team may select
        another policy: the running deadlines move, and the move is logged."""
        policies = self.env["iso10002.sla.policy"]._select_for(self)
        changed = self.browse()
        for complaint in self:
            policy = policies[complaint.id]
            if not policy or policy == complaint.sla_policy_id:
                continue
            lines = complaint.sudo().sla_line_ids.filtered(
                lambda line: line.state in (iso.SLA_RUNNING, iso.SLA_PAUSED)
            )
            before = {line.phase: line.deadline for line in lines}
            old_policy = complaint.sla_policy_id
            complaint._iso10002_write_raw({"sla_policy_id": policy.id})
            lines._apply_policy_targets(policy)
            complaint._iso10002_log_deadline_move(old_policy, policy, before, lines)
            changed |= complaint
        changed._iso10002_notify_significant()
        return changed

    def _iso10002_log_deadline_move(self, old_policy, policy, before, lines):
        self.ensure_one()
        phases = dict(
            self.env["iso10002.sla.line"]
            ._fields["phase"]
            ._description_selection(self.env)
        )

        def fmt(moment):
            return fields.Datetime.to_string(moment) if moment else "-"

        items = Markup("").join(
            Markup("<li>%s: %s → %s</li>")
            % (phases[line.phase], fmt(before.get(line.phase)), fmt(line.deadline))
            for line in lines
        )
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._(
                    "SLA policy changed from %(old)s to %(new)s: deadlines moved.",
                    old=old_policy.name or "-",
                    new=policy.name,
                ),
                items,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _iso10002_top_management_partners(self):
        self.ensure_one()
        group = self.env.ref("iso10002_complaints.group_iso10002_top_management")
        users = group.sudo().all_user_ids.filtered(
            lambda user: (
                user.active and not user.share and self.company_id in user.company_ids
            )
        )
        return users.partner_id

    def _iso10002_notify_significant(self):
        """Top management hears of significant complaints at once, once."""
        candidates = self.filtered(
            lambda c: (
                c.is_significant
                and c.severity
                and "significant" not in c.escalation_ids.mapped("kind")
            )
        )
        Escalation = self.env["iso10002.escalation"].sudo()
        for complaint in candidates:
            partners = complaint._iso10002_top_management_partners()
            Escalation.create(
                {
                    "ticket_id": complaint.id,
                    "kind": "significant",
                    "reason": complaint.sla_policy_id.name,
                    "partner_ids": [(6, 0, partners.ids)],
                }
            )
            complaint.sudo().message_post(
                body=self.env._(
                    "Significant complaint (%(policy)s): top management notified.",
                    policy=complaint.sla_policy_id.name,
                ),
                subject=self.env._(
                    "Significant complaint %(ref)s", ref=complaint.complaint_reference
                ),
                partner_ids=partners.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _iso10002_escalate_manually(self, reason):
        """R-5.3.5: any employee reports a complaint upwards, with a reason."""
        self.ensure_one()
        partners = (
            self.team_id.user_id.partner_id
            | self.company_id.iso10002_management_representative_id.partner_id
        )
        if self.is_significant:
            partners |= self._iso10002_top_management_partners()
        self.env["iso10002.escalation"].sudo().create(
            {
                "ticket_id": self.id,
                "kind": "manual",
                "reason": reason,
                "partner_ids": [(6, 0, partners.ids)],
            }
        )
        self.sudo().message_post(
            body=self.env._(
                "Escalated by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            ),
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _message_post_after_hook(self, message, msg_vals):
        """Remember when the complainant was last written to (R-7.3)."""
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment":
            to_complainant = self.filtered(
                lambda c: c.is_complaint and c.partner_id in message.partner_ids
            )
            if to_complainant:
                to_complainant.sudo()._iso10002_write_raw(
                    {"iso10002_last_update_at": fields.Datetime.now()}
                )
        return result
