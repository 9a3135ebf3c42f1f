"""The steps of a complaint from assessment to closing (R-7.5 to R-7.9,
Annex D §5, ISO 10003 recourse)."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from . import iso10002_data as iso
from .iso10002_dispute_provider import RECOURSE_RESULTS

# Fields whose change can break the data a step needs: a write that touches one
# of them (or the stage) re-checks the complaint against its current step.
STEP_DATA_FIELDS = frozenset(
    {
        "stage_id",
        "team_id",
        "complaint_reference",
        "received_at",
        "channel_id",
        "partner_id",
        "subject",
        "name",
        "description",
        "acknowledged_at",
        "severity",
        "complexity",
        "impact",
        "assessment_outcome",
        "unfounded_explanation",
        "reclassification_reason",
        "investigator_id",
        "findings",
        "root_cause",
        "decision",
        "decided_by_id",
        "decided_on",
        "decision_items_addressed",
        "decision_confirmed",
        "communicated_on",
        "communicated_by_id",
        "communication_channel",
        "complainant_response",
        "rejection_reason",
        "review_type",
        "recourse_provider_id",
        "recourse_referred_on",
        "recourse_result",
        "recourse_outcome",
        "review_result",
        "withdrawn_on",
        "withdrawal_reason",
    }
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    iso10002_has_investigation_stage = fields.Boolean(
        string="Has an Investigation Stage",
        compute="_compute_iso10002_has_investigation_stage",
        help="The team has a stage of its own for investigations. Without one "
        "(simplified stage set), the investigation is recorded while the "
        "complaint is assessed, before the decision.",
    )
    severity = fields.Selection(selection=iso.SEVERITIES, tracking=True, copy=False)
    complexity = fields.Selection(selection=iso.COMPLEXITIES, tracking=True, copy=False)
    impact = fields.Selection(selection=iso.IMPACTS, tracking=True, copy=False)
    impact_notes = fields.Text(
        string="Impact Details",
        help="Impact on the complainant and on the organisation.",
    )
    immediate_action_needed = fields.Boolean(copy=False)
    immediate_action_possible = fields.Boolean(copy=False)
    compensation_possible = fields.Boolean(copy=False)
    assessment_outcome = fields.Selection(
        selection=iso.OUTCOMES, tracking=True, copy=False
    )
    unfounded_explanation = fields.Text(
        copy=False,
        help="Why the complaint is unfounded; kept and sent to the complainant.",
    )
    reclassification_reason = fields.Text(
        copy=False,
        help="Why this is feedback (opinion, suggestion) and not a complaint.",
    )
    is_feedback = fields.Boolean(
        string="Reclassified as Feedback",
        compute="_compute_is_feedback",
        store=True,
        help="Feedback is kept but leaves the ISO 10002 statistics.",
    )
    severity_changed_after_assessment = fields.Boolean(
        string="Reprioritised",
        readonly=True,
        copy=False,
        help="The severity was changed after the assessment: the complaint was "
        "inappropriately prioritised at first (ISO 10002 G.3.3).",
        tracking=True,
    )
    assessed_by_id = fields.Many2one(
        comodel_name="res.users", copy=False, tracking=True
    )
    investigator_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        copy=False,
        domain=[("share", "=", False)],
    )
    findings = fields.Text(copy=False)
    root_cause = fields.Text(copy=False)
    interim_response = fields.Text(
        copy=False,
        help="Response given while the complaint cannot yet be resolved.",
    )
    interim_response_on = fields.Datetime(copy=False)
    decision = fields.Text(copy=False)
    decided_by_id = fields.Many2one(comodel_name="res.users", tracking=True, copy=False)
    decided_on = fields.Datetime(copy=False, tracking=True)
    communicated_on = fields.Datetime(
        string="Decision Communicated On", copy=False, tracking=True
    )
    communicated_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Decision Communicated By",
        copy=False,
        tracking=True,
    )
    communication_channel = fields.Selection(
        selection=iso.COMMUNICATION_CHANNELS, copy=False, tracking=True
    )
    complainant_response = fields.Selection(
        selection=iso.COMPLAINANT_RESPONSES, tracking=True, copy=False
    )
    complainant_response_on = fields.Datetime(copy=False, tracking=True)
    rejection_reason = fields.Text(copy=False)
    review_type = fields.Selection(
        selection=iso.REVIEW_TYPES, string="Review Path", tracking=True, copy=False
    )
    recourse_provider_id = fields.Many2one(
        comodel_name="iso10002.dispute.provider",
        string="Dispute Resolution Provider",
        copy=False,
        tracking=True,
        index="btree_not_null",
        domain="[('company_id', '=', company_id)]",
        help="External dispute-resolution provider (ISO 10003), from the "
        "company's register.",
    )
    recourse_referred_on = fields.Date(string="Referred On", copy=False, tracking=True)
    recourse_reference = fields.Char(string="Provider Reference", copy=False)
    recourse_result = fields.Selection(
        selection=RECOURSE_RESULTS,
        string="Provider's Outcome",
        copy=False,
        tracking=True,
    )
    recourse_outcome = fields.Text(string="Outcome Notes", copy=False)
    review_result = fields.Selection(
        selection=iso.REVIEW_RESULTS, tracking=True, copy=False
    )
    review_notes = fields.Text(copy=False)
    closed_without_response = fields.Boolean(
        copy=False,
        readonly=True,
        help="Closed after the waiting period without the complainant's answer.",
        tracking=True,
    )
    stage_history_ids = fields.One2many(
        comodel_name="iso10002.stage.history",
        inverse_name="ticket_id",
    )
    decision_items_addressed = fields.Boolean(
        string="All Items Addressed",
        copy=False,
        tracking=True,
        help="Annex E.2: the decision answers every item of the complaint.",
    )
    decision_confirmed = fields.Boolean(
        string="Response Confirmed",
        copy=False,
        tracking=True,
        help="Annex E.2: the response was checked and confirmed before it is "
        "communicated.",
    )
    decider_authority = fields.Char(
        string="Authority of the Decider",
        copy=False,
        help="Annex E.2: on what authority the decision was made (role, "
        "delegation, limit).",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("assessment_outcome")
    def _compute_is_feedback(self):
        for ticket in self:
            ticket.is_feedback = ticket.assessment_outcome == iso.OUTCOME_NOT_COMPLAINT

    @api.depends("team_id.iso10002_simplified")
    def _compute_iso10002_has_investigation_stage(self):
        by_team = {}
        for ticket in self:
            team = ticket.team_id
            if team not in by_team:
                by_team[team] = bool(
                    team and team._iso10002_stage_for_step(iso.STEP_INVESTIGATING)
                )
            ticket.iso10002_has_investigation_stage = by_team[team]

    @api.constrains("investigator_id", "concerned_user_ids")
    def _check_investigator_independent(self):
        for ticket in self:
            if ticket.investigator_id and ticket.investigator_id in (
                ticket.concerned_user_ids
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s cannot investigate complaint %(ref)s: the complaint "
                        "is about them. Choose an investigator who is not among the "
                        "people concerned (ISO 10002 4.5 objectivity, C.1 b).",
                        user=ticket.investigator_id.name,
                        ref=ticket.complaint_reference or ticket.number,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_iso10002_assess(self):
        self._check_is_complaint()
        self.filtered(lambda t: not t.assessed_by_id)._iso10002_write_controlled(
            {"assessed_by_id": self.env.user.id}
        )
        for complaint in self:
            if complaint.severity:
                complaint.priority = iso.SEVERITY_PRIORITY[complaint.severity]
        if any(c.assessment_outcome == iso.OUTCOME_NOT_COMPLAINT for c in self):
            feedback = self.filtered(
                lambda c: c.assessment_outcome == iso.OUTCOME_NOT_COMPLAINT
            )
            feedback._iso10002_set_step(iso.STEP_CLOSED)
            (self - feedback)._iso10002_set_step(iso.STEP_ASSESSED)
            return True
        return self._iso10002_set_step(iso.STEP_ASSESSED)

    def action_iso10002_start_investigation(self):
        self._check_is_complaint()
        return self._iso10002_set_step(iso.STEP_INVESTIGATING)

    def action_iso10002_record_decision(self):
        self._check_is_complaint()
        now = fields.Datetime.now()
        for complaint in self:
            vals = {}
            if not complaint.decided_by_id:
                vals["decided_by_id"] = self.env.user.id
            if not complaint.decided_on:
                vals["decided_on"] = now
            if (
                not complaint.decision
                and complaint.assessment_outcome == iso.OUTCOME_UNFOUNDED
            ):
                vals["decision"] = complaint.unfounded_explanation
            if vals:
                complaint._iso10002_write_controlled(vals)
        return self._iso10002_set_step(iso.STEP_RESPONDED)

    def action_iso10002_open_communicate_decision(self):
        """Ask how the decision is told (R-7.8) before communicating it:
        e-mail or portal send the decision e-mail, the others record it."""
        self.ensure_one()
        self._check_is_complaint()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Communicate Decision"),
            "res_model": "iso10002.communication.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_iso10002_communicate_decision(self):
        """Communicate the decision by the channel set on the complaint
        (e-mail when none is set)."""
        self._check_is_complaint()
        now = fields.Datetime.now()
        for complaint in self:
            vals = {}
            if not complaint.communicated_on:
                vals["communicated_on"] = now
            if not complaint.communicated_by_id:
                vals["communicated_by_id"] = self.env.user.id
            if not complaint.communication_channel:
                vals["communication_channel"] = "email"
            if vals:
                complaint._iso10002_write_controlled(vals)
        self._iso10002_set_step(iso.STEP_COMMUNICATED)
        template = self.env.ref(
            "iso10002_complaints.mail_template_complaint_decision",
            raise_if_not_found=False,
        )
        to_mail = self.filtered(
            lambda c: c.communication_channel in ("email", "portal")
        )
        if template and to_mail:
            to_mail.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return True

    def action_iso10002_record_response(self):
        self._check_is_complaint()
        self._check_can_record_response()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complainant's Answer"),
            "res_model": "iso10002.complainant.response.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_iso10002_close(self):
        self._check_is_complaint()
        return self._iso10002_set_step(iso.STEP_CLOSED)

    def _check_can_record_response(self):
        for complaint in self:
            if not complaint.communicated_on:
                raise UserError(
                    self.env._(
                        "Communicate the decision of %(ref)s to the complainant "
                        "before recording their answer.",
                        ref=complaint.complaint_reference,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_set_step(self, step):
        """Move complaints to the team's stage for ``step`` (guards apply)."""
        by_stage = {}
        stages = {}  # team: its stage for the step, looked up once per team
        for complaint in self:
            team = complaint.team_id
            if team not in stages:
                stages[team] = team._iso10002_stage_for_step(step)
            stage = stages[team]
            if not stage:
                raise UserError(
                    self.env._(
                        "Team %(team)s has no stage for the ISO 10002 step "
                        "'%(step)s'. Add one in Helpdesk > Configuration > Stages.",
                        team=complaint.team_id.display_name,
                        step=dict(
                            self._fields["iso10002_step"]._description_selection(
                                self.env
                            )
                        )[step],
                    )
                )
            by_stage.setdefault(stage, self.browse())
            by_stage[stage] |= complaint
        for stage, complaints in by_stage.items():
            complaints.write({"stage_id": stage.id})
        return True

    def _iso10002_step_values(self):
        """Values of the fields ``missing_for_step`` looks at."""
        self.ensure_one()
        values = {}
        for name in STEP_DATA_FIELDS:
            value = self[name]
            if self._fields[name].type == "html":
                value = not is_html_empty(value)
            elif isinstance(value, str):
                value = value.strip()
            values[name] = value
        remedies = self.remedy_ids
        values["unapproved_remedies"] = remedies.filtered(
            lambda r: (
                r.state == iso.REMEDY_PROPOSED
                and r.needs_approval
                and not r.approved_on
            )
        )._label_list()
        values["open_remedies"] = remedies.filtered(
            lambda r: r.state == iso.REMEDY_ACCEPTED
        )._label_list()
        values["complaint_category_id"] = self.complaint_category_id
        values["proposed_remedies"] = remedies.filtered(
            lambda r: r.state == iso.REMEDY_PROPOSED
        )._label_list()
        return values

    def _iso10002_check_step_data(self):
        """Raise when a complaint lacks the data its ISO step needs."""
        now = fields.Datetime.now()
        problems = []
        for complaint in self:
            step = complaint.iso10002_step
            if not complaint.is_complaint or not step:
                continue
            values = complaint._iso10002_step_values()
            missing, blockers = iso.missing_for_step(
                step,
                values,
                now=now,
                wait_days=complaint.company_id.iso10002_response_wait_days,
            )
            if missing or blockers:
                problems.append(
                    complaint._iso10002_describe_problem(missing, blockers, values)
                )
        if problems:
            raise UserError("\n\n".join(problems))

    def _iso10002_describe_problem(self, missing, blockers, values=None):
        self.ensure_one()
        env = self.env
        values = values or {}
        step_label = dict(self._fields["iso10002_step"]._description_selection(env))[
            self.iso10002_step
        ]
        lines = [
            env._(
                "Complaint %(ref)s cannot be at step '%(step)s' yet.",
                ref=self.complaint_reference or self.number,
                step=step_label,
            )
        ]
        if missing:
            labels = ", ".join(
                self._fields[name]._description_string(env) for name in missing
            )
            lines.append(env._("Fill in: %(fields)s.", fields=labels))
        lines.extend(self._iso10002_blocker_messages(blockers, values))
        return "\n".join(lines)

    def _iso10002_blocker_messages(self, blockers, values):
        """What each blocker code of ``missing_for_step`` tells the user."""
        self.ensure_one()
        env = self.env
        messages = {
            iso.BLOCK_NOT_VALID_FOR_INVESTIGATION: env._(
                "Only complaints assessed as valid are investigated."
            ),
            iso.BLOCK_NO_REJECTION: env._(
                "Review or external recourse starts when the complainant rejects "
                "the decision: record their answer first."
            ),
            iso.BLOCK_WAITING_PERIOD: env._(
                "The complainant has not answered the decision. Record their answer, "
                "or wait %(days)s days after the decision was communicated to close "
                "without it.",
                days=self.company_id.iso10002_response_wait_days,
            ),
            iso.BLOCK_REMEDIES_UNAPPROVED: env._(
                "These remedies are above the approval limit and need a complaints "
                "manager's approval before they are offered: %(remedies)s.",
                remedies=values.get("unapproved_remedies"),
            ),
            iso.BLOCK_REMEDIES_OPEN: env._(
                "These accepted remedies are not implemented yet: %(remedies)s. "
                "Implement them, or waive them with a reason.",
                remedies=values.get("open_remedies"),
            ),
            iso.BLOCK_REMEDIES_UNANSWERED: env._(
                "These remedies are still on offer: %(remedies)s. Record whether "
                "the complainant accepted or declined each one, or cancel it, "
                "before closing.",
                remedies=values.get("proposed_remedies"),
            ),
            iso.BLOCK_FEEDBACK_ONLY_CLOSES: env._(
                "Feedback (not a complaint) leaves the complaints process: it can "
                "only be closed."
            ),
        }
        return [messages[code] for code in blockers]

    def _iso10002_log_stage_entry(self, new=False):
        """Close the open stage-history lines and open new ones (R-7.3).
        ``new``: complaints just created, which have no line to close."""
        now = fields.Datetime.now()
        History = self.env["iso10002.stage.history"].sudo()
        if not new:
            History._close_open_lines(self, now)
        History.create(
            [
                {
                    "ticket_id": complaint.id,
                    "stage_id": complaint.stage_id.id,
                    "date_in": now,
                    "user_id": self.env.uid,
                    # stored with the insert, not updated after it
                    "company_id": complaint.company_id.id,
                    "iso10002_step": complaint.stage_id.iso10002_step,
                    "is_sla_pause": complaint.stage_id.iso10002_sla_pause,
                }
                for complaint in self
                if complaint.stage_id
            ]
        )

    def _iso10002_flag_closing_without_response(self):
        closed = self.filtered(lambda c: c.iso10002_step == iso.STEP_CLOSED)
        without = closed.filtered(
            lambda c: (
                not c.complainant_response and not c.is_feedback and not c.withdrawn_on
            )
        )
        if without:
            without._iso10002_write_raw({"closed_without_response": True})
        flagged = (closed - without).filtered("closed_without_response")
        if flagged:
            flagged._iso10002_write_raw({"closed_without_response": False})
        return without
