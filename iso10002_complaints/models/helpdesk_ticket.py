import uuid
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import is_html_empty, parse_contact_from_email, plaintext2html

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from . import iso10002_data as iso

# Fields an SLA policy selects on: changing one may change the policy
SLA_POLICY_FIELDS = frozenset(
    {"team_id", "severity", "complaint_category_id", "channel_id", "subject"}
)

# The complainant's personal data: masked in exports and reports
# without their consent to sharing
PERSONAL_FIELDS = frozenset(
    {
        "partner_id",
        "partner_name",
        "partner_email",
        "commercial_partner_id",
        "representative_id",
        "contact_person_id",
    }
)

# Shown only to need-to-know (complaint roles): the complainant's personal data
# and the identity of staff named in a complaint (R-4.7, C.4)
PROTECTED_FIELDS = PERSONAL_FIELDS | {"concerned_user_ids", "concerned_department"}

# Fields recurrence detection compares
RECURRENCE_FIELDS = frozenset(
    {"product_id", "complaint_category_id", "partner_id", "received_at"}
)

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
        "recourse_provider",
        "recourse_outcome",
        "review_result",
    }
)


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    _sql_constraints = [
        (
            "iso10002_submission_token_uniq",
            "unique(iso10002_submission_token)",
            "This web form was already submitted.",
        ),
        (
            "complaint_reference_company_uniq",
            "unique(company_id, complaint_reference)",
            "A complaint reference must be unique per company.",
        ),
    ]

    # ------------------------------------------------------------------
    # Fields: receipt (R-7.2, Annex B, Annex D §1)
    # ------------------------------------------------------------------
    is_complaint = fields.Boolean(
        string="Is a Complaint",
        compute="_compute_is_complaint",
        store=True,
        index=True,
        help="Tickets of teams that use ISO 10002 complaints handling are complaints.",
    )
    stage_id = fields.Many2one(
        domain="['|', ('team_ids', '=', team_id), ('team_ids', '=', False),"
        " ('is_iso10002_stage', '=', is_complaint)]",
    )
    iso10002_step = fields.Selection(
        string="ISO 10002 Step",
        related="stage_id.iso10002_step",
        store=True,
        index=True,
    )
    iso10002_has_investigation_stage = fields.Boolean(
        string="Has an Investigation Stage",
        compute="_compute_iso10002_has_investigation_stage",
        help="The team has a stage of its own for investigations. Without one "
        "(simplified stage set), the investigation is recorded while the "
        "complaint is assessed, before the decision.",
    )
    complaint_reference = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="Unique, sequential reference per company given at receipt (R-7.2).",
    )
    received_at = fields.Datetime(
        string="Received On", copy=False, tracking=True, index=True
    )
    received_by_id = fields.Many2one(
        comodel_name="res.users",
        copy=False,
        domain=[("share", "=", False)],
    )
    channel_kind = fields.Selection(
        related="channel_id.iso10002_kind",
    )
    subject = fields.Selection(
        selection=iso.SUBJECTS,
        string="Complaint About",
        default="product",
        help="A complaint may be about a product or service, or about the "
        "complaints-handling process itself (ISO 10002 3.2).",
    )
    representative_id = fields.Many2one(
        comodel_name="res.partner",
        help="Person or organisation making the complaint on the complainant's "
        "behalf (ISO 10002 3.1, Annex B).",
    )
    contact_person_id = fields.Many2one(
        comodel_name="res.partner",
        help="Person to contact about this complaint, if not the complainant.",
    )
    product_id = fields.Many2one(
        comodel_name="product.product", string="Product Concerned"
    )
    product_reference = fields.Char(
        help="Reference or serial number of the product, if known (Annex B)."
    )
    problem_date = fields.Date(string="Problem Occurred On")
    is_recurring = fields.Boolean(
        string="Reported as Recurring",
        help="The complainant reports that the problem happened before.",
    )
    complaint_category_id = fields.Many2one(
        comodel_name="iso10002.complaint.category",
        tracking=True,
        help="Annex D problem category, used to analyse complaints (R-8.2).",
    )
    remedy_requested = fields.Boolean(tracking=True)
    remedy_requested_text = fields.Text(string="Remedy Requested Details")
    expected_response_date = fields.Date(
        tracking=True,
        help="Date by which the complainant was promised a response.",
    )
    immediate_action = fields.Text(string="Immediate Action Taken")
    concerned_user_ids = fields.Many2many(
        comodel_name="res.users",
        relation="helpdesk_ticket_iso10002_concerned_user_rel",
        column1="ticket_id",
        column2="user_id",
        string="People Concerned",
        domain=[("share", "=", False)],
        help="Staff members the complaint is about. None of them may investigate it "
        "(ISO 10002 4.5, C.1 b).",
    )
    concerned_department = fields.Char(string="Department Concerned")

    # ------------------------------------------------------------------
    # Fields: acknowledgement
    # ------------------------------------------------------------------
    acknowledged_at = fields.Datetime(
        string="Acknowledged On", copy=False, tracking=True
    )
    acknowledged_by_id = fields.Many2one(comodel_name="res.users", copy=False)
    acknowledgement_method = fields.Selection(selection=iso.ACK_METHODS, copy=False)
    acknowledgement_hours = fields.Float(
        string="Hours to Acknowledge",
        compute="_compute_acknowledgement_hours",
        store=True,
        aggregator="avg",
        help="Time from receipt to acknowledgement, in hours.",
    )

    # ------------------------------------------------------------------
    # Fields: initial assessment (R-7.5, Annex D §5)
    # ------------------------------------------------------------------
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
    )
    assessed_by_id = fields.Many2one(comodel_name="res.users", copy=False)

    # ------------------------------------------------------------------
    # Fields: investigation
    # ------------------------------------------------------------------
    investigator_id = fields.Many2one(
        comodel_name="res.users",
        tracking=True,
        copy=False,
        domain=[("share", "=", False)],
    )
    findings = fields.Text(copy=False)
    root_cause = fields.Text(copy=False)

    # ------------------------------------------------------------------
    # Fields: response and decision
    # ------------------------------------------------------------------
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
        comodel_name="res.users", string="Decision Communicated By", copy=False
    )
    communication_channel = fields.Selection(
        selection=iso.COMMUNICATION_CHANNELS, copy=False, tracking=True
    )

    # ------------------------------------------------------------------
    # Fields: closing (R-7.9, ISO 10003 recourse)
    # ------------------------------------------------------------------
    complainant_response = fields.Selection(
        selection=iso.COMPLAINANT_RESPONSES, tracking=True, copy=False
    )
    complainant_response_on = fields.Datetime(copy=False)
    rejection_reason = fields.Text(copy=False)
    review_type = fields.Selection(
        selection=iso.REVIEW_TYPES, string="Review Path", tracking=True, copy=False
    )
    recourse_provider = fields.Char(
        string="Dispute Resolution Provider",
        copy=False,
        help="External dispute-resolution provider (ISO 10003).",
    )
    recourse_reference = fields.Char(string="Provider Reference", copy=False)
    recourse_outcome = fields.Text(copy=False)
    review_result = fields.Selection(
        selection=iso.REVIEW_RESULTS, tracking=True, copy=False
    )
    review_notes = fields.Text(copy=False)
    closed_without_response = fields.Boolean(
        copy=False,
        readonly=True,
        help="Closed after the waiting period without the complainant's answer.",
    )

    stage_history_ids = fields.One2many(
        comodel_name="iso10002.stage.history",
        inverse_name="ticket_id",
    )

    # ------------------------------------------------------------------
    # Fields: remedies, E.2 considerations, actions, recurrence (R-7.7, R-8.2,
    # Annex E)
    # ------------------------------------------------------------------
    remedy_ids = fields.One2many(
        comodel_name="iso10002.complaint.remedy",
        inverse_name="ticket_id",
        string="Remedies",
        copy=False,
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
    others_affected = fields.Boolean(
        copy=False,
        help="Annex E.2: others who did not complain are affected the same way; "
        "offer them the same remedy through a systemic remedy.",
    )
    systemic_remedy_ids = fields.Many2many(
        comodel_name="iso10002.systemic.remedy",
        relation="iso10002_systemic_remedy_ticket_rel",
        column1="ticket_id",
        column2="systemic_remedy_id",
        string="Systemic Remedies",
        copy=False,
    )
    action_ids = fields.Many2many(
        comodel_name="iso10002.action",
        relation="iso10002_action_ticket_rel",
        column1="ticket_id",
        column2="action_id",
        string="Corrective Actions",
        copy=False,
    )
    problem_id = fields.Many2one(
        comodel_name="iso10002.problem",
        string="Recurring Problem",
        index="btree_not_null",
        copy=False,
        tracking=True,
    )
    recurrence_detected = fields.Boolean(
        copy=False,
        readonly=True,
        help="Other complaints about the same product or category arrived within "
        "the company's recurrence window (ISO 10002 8.2).",
    )

    # ------------------------------------------------------------------
    # Fields: confidentiality and personal data (R-4.7, C.1 c, C.4, R-8.1)
    # ------------------------------------------------------------------
    is_confidential = fields.Boolean(
        string="Confidential",
        compute="_compute_is_confidential",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Only the assigned agent and investigator, the complaints managers, "
        "top management and auditors can see a confidential complaint. Always on "
        "for complaints about a named staff member (ISO 10002 C.4).",
    )
    staff_statement_ids = fields.One2many(
        comodel_name="iso10002.staff.statement",
        inverse_name="ticket_id",
        string="Accounts of Staff Named",
    )
    pseudonymised_on = fields.Datetime(
        string="Personal Data Erased On", readonly=True, copy=False
    )

    # ------------------------------------------------------------------
    # Fields: web intake, consent, satisfaction
    # ------------------------------------------------------------------
    product_description = fields.Char(help="The product as the complainant put it.")
    iso10002_submission_token = fields.Char(
        string="Web Submission",
        copy=False,
        readonly=True,
        index="btree_not_null",
        groups="base.group_system",
        help="Identifies a web form submission, so that a double submit does not "
        "create a second complaint.",
    )
    consent_scope = fields.Selection(
        selection=[
            ("handling", "To handle the complaint only"),
            ("sharing", "To handle the complaint and share beyond handling"),
        ],
        string="Consent",
        copy=False,
        tracking=True,
        help="What the complainant agreed their personal data is used for "
        "(ISO 10002 4.7).",
    )
    consent_date = fields.Datetime(copy=False)
    consent_channel = fields.Selection(
        selection=iso.CHANNEL_KINDS, string="Consent Given By", copy=False
    )
    satisfaction_ids = fields.One2many(
        comodel_name="iso10002.satisfaction",
        inverse_name="ticket_id",
        string="Satisfaction Surveys",
    )
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_score",
        help="The complainant's rating of the handling, 1 to 5.",
    )

    # ------------------------------------------------------------------
    # Fields: SLA and escalation (R-4.4, R-7.3, R-5.3.1 g, R-5.3.5)
    # ------------------------------------------------------------------
    sla_policy_id = fields.Many2one(
        comodel_name="iso10002.sla.policy",
        string="SLA Policy",
        readonly=True,
        copy=False,
        index="btree_not_null",
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
        "team_id.iso10002_confidential",
        "complaint_category_id.is_confidential",
        "concerned_user_ids",
    )
    def _compute_is_confidential(self):
        for ticket in self:
            ticket.is_confidential = bool(
                ticket.is_confidential
                or ticket.team_id.iso10002_confidential
                or ticket.complaint_category_id.is_confidential
                or ticket.concerned_user_ids
            )

    @api.constrains("is_confidential", "concerned_user_ids")
    def _check_named_staff_confidential(self):
        for ticket in self:
            if ticket.concerned_user_ids and not ticket.is_confidential:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s names staff members: it stays "
                        "confidential (ISO 10002 C.4).",
                        ref=ticket.complaint_reference or ticket.number,
                    )
                )

    @api.depends("satisfaction_ids.score")
    def _compute_satisfaction_score(self):
        for ticket in self:
            answered = ticket.satisfaction_ids.filtered("submitted_on")
            ticket.satisfaction_score = answered[:1].score

    @api.depends("team_id.is_iso10002")
    def _compute_is_complaint(self):
        for ticket in self:
            ticket.is_complaint = ticket.team_id.is_iso10002

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

    @api.depends("received_at", "acknowledged_at")
    def _compute_acknowledgement_hours(self):
        for ticket in self:
            if ticket.received_at and ticket.acknowledged_at:
                delta = ticket.acknowledged_at - ticket.received_at
                ticket.acknowledgement_hours = max(delta.total_seconds(), 0) / 3600
            else:
                ticket.acknowledgement_hours = 0.0

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
        for ticket in self:
            statuses = ticket.sla_line_ids.mapped("status")
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
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on an SLA filter."))
        positive = (operator == "=") == value
        return domain if positive else ["!", *expression.normalize_domain(domain)]

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

    @api.constrains("team_id")
    def _check_complaint_stays_iso(self):
        for ticket in self:
            if ticket.complaint_reference and not ticket.team_id.is_iso10002:
                raise ValidationError(
                    self.env._(
                        "Complaint %(ref)s must stay in a team that uses ISO 10002 "
                        "complaints handling. To take it out of the complaints "
                        "process, assess it as 'Not a complaint (feedback)'.",
                        ref=ticket.complaint_reference,
                    )
                )

    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        if (
            "team_id" in fields
            and not defaults.get("team_id")
            and self.env.context.get("iso10002_complaints")
        ):
            # new complaints go to the user's complaints team
            teams = self.env.user.helpdesk_team_ids.filtered("is_iso10002")
            if not teams:
                teams = self.env["helpdesk.ticket.team"].search(
                    [
                        ("is_iso10002", "=", True),
                        ("company_id", "in", [False, self.env.company.id]),
                    ],
                    limit=1,
                )
            defaults["team_id"] = teams[:1].id
        return defaults

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """Kanban columns: the ISO stages in the complaints views, the plain
        helpdesk stages elsewhere (ISO stages only where they hold tickets)."""
        columns = super()._read_group_stage_ids(stages, domain)
        if self.env.context.get("iso10002_complaints"):
            iso_stages = columns.search(
                [
                    ("is_iso10002_stage", "=", True),
                    ("company_id", "in", [False, *self.env.companies.ids]),
                ]
            )
            # Annex A: when every complaints team in view uses the simplified
            # stage set, so do the columns (stages holding complaints stay)
            teams = self.env["helpdesk.ticket.team"].search(
                [
                    ("is_iso10002", "=", True),
                    ("company_id", "in", [False, *self.env.companies.ids]),
                ]
            )
            if teams and all(teams.mapped("iso10002_simplified")):
                iso_stages = iso_stages.filtered("iso10002_in_simplified")
            return (iso_stages | stages).filtered("is_iso10002_stage").sorted()
        return columns.filtered(
            lambda stage: not stage.is_iso10002_stage or stage in stages
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        team_ids = {vals["team_id"] for vals in vals_list if vals.get("team_id")}
        iso_teams = (
            self.env["helpdesk.ticket.team"]
            .browse(team_ids)
            .filtered("is_iso10002")
            .grouped("id")
        )
        for vals in vals_list:
            team = iso_teams.get(vals.get("team_id"))
            if team:
                company_id = team.company_id.id or vals.get("company_id")
                self._iso10002_prepare_receipt_vals(vals, company_id)
                self._iso10002_prepare_complainant_vals(vals)
        tickets = super().create(vals_list)
        complaints = tickets.filtered("is_complaint")
        if complaints:
            # Team set by a compute (the user's team): give the receipt data now.
            late = complaints.filtered(lambda t: not t.complaint_reference)
            for ticket in late:
                vals = {}
                self._iso10002_prepare_receipt_vals(vals, ticket.company_id.id)
                ticket.write(vals)
            complaints._iso10002_log_stage_entry()
            complaints._iso10002_check_step_data()
            complaints._iso10002_sla_start()
            complaints._iso10002_detect_recurrence()
            for complaint in complaints.filtered("concerned_user_ids"):
                self.env["iso10002.staff.statement"]._request_for(
                    complaint, complaint.concerned_user_ids
                )
            complaints.filtered(
                lambda t: (
                    t.channel_kind in iso.AUTO_ACK_CHANNEL_KINDS
                    and not t.acknowledged_at
                )
            )._iso10002_send_acknowledgement()
        return tickets

    def write(self, vals):
        reprioritised = self.browse()
        if "severity" in vals:
            reprioritised = self.filtered(
                lambda t: (
                    t.is_complaint
                    and t.assessed_by_id
                    and t.severity
                    and t.severity != vals["severity"]
                )
            )
        old_stages = {}
        if "stage_id" in vals:
            old_stages = {ticket.id: ticket.stage_id.id for ticket in self}
        if vals.get("team_id") and "complaint_reference" not in vals:
            team = self.env["helpdesk.ticket.team"].browse(vals["team_id"])
            if team.is_iso10002:
                # Tickets moved into a complaints team become complaints.
                for ticket in self.filtered(lambda t: not t.complaint_reference):
                    receipt = {}
                    self._iso10002_prepare_receipt_vals(
                        receipt, team.company_id.id or ticket.company_id.id
                    )
                    super(HelpdeskTicket, ticket).write(receipt)
        result = super().write(vals)
        if reprioritised:
            super(HelpdeskTicket, reprioritised).write(
                {"severity_changed_after_assessment": True}
            )
        complaints = self.filtered("is_complaint")
        if not complaints:
            return result
        if old_stages:
            moved = complaints.filtered(lambda t: t.stage_id.id != old_stages[t.id])
            moved._iso10002_log_stage_entry()
            moved._iso10002_flag_closing_without_response()
        if STEP_DATA_FIELDS.intersection(vals):
            complaints._iso10002_check_step_data()
        if SLA_POLICY_FIELDS.intersection(vals):
            complaints._iso10002_sla_reselect_policy()
        if RECURRENCE_FIELDS.intersection(vals):
            complaints._iso10002_detect_recurrence()
        if "concerned_user_ids" in vals:
            for complaint in complaints.filtered("concerned_user_ids"):
                self.env["iso10002.staff.statement"]._request_for(
                    complaint, complaint.concerned_user_ids
                )
        if old_stages:
            moved._iso10002_sla_on_stage_change(old_stages)
            self.env["iso10002.satisfaction"]._invite(
                moved.filtered(lambda c: c.iso10002_step == iso.STEP_CLOSED)
            )
        return result

    def unlink(self):
        # before the access check, so that everyone gets the reason, not a
        # "not allowed to delete" that sends them to a manager who cannot either
        if not self.env.context.get(MODULE_UNINSTALL_FLAG):
            self._unlink_except_complaint()
        return super().unlink()

    def _unlink_except_complaint(self):
        if any(ticket.is_complaint or ticket.complaint_reference for ticket in self):
            raise UserError(
                self.env._(
                    "Complaints are records kept under ISO 10002 (8.1) and cannot be "
                    "deleted. Archive them instead."
                )
            )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            # a copy is a new receipt: it gets its own reference and dates
            vals.pop("received_at", None)
            vals.pop("received_by_id", None)
        return vals_list

    @api.model
    def message_new(self, msg, custom_values=None):
        """Complaints e-mailed to a complaints team come through the e-mail
        channel (and so are acknowledged by e-mail, ISO 10002 7.4)."""
        custom_values = dict(custom_values or {})
        team = self.env["helpdesk.ticket.team"].browse(custom_values.get("team_id"))
        if team.is_iso10002 and not custom_values.get("channel_id"):
            channel = self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_channel_email", raise_if_not_found=False
            )
            custom_values["channel_id"] = channel.id if channel else False
        return super().message_new(msg, custom_values=custom_values)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_iso10002_log_acknowledgement(self):
        """One-click logged acknowledgement for phone, visit and letter intake."""
        self._check_can_acknowledge()
        method_by_kind = {
            "phone": "phone",
            "visit": "visit",
            "letter": "letter",
        }
        for complaint in self:
            method = method_by_kind.get(complaint.channel_kind, "other")
            complaint._iso10002_do_acknowledge(method)
            complaint.message_post(
                body=self.env._(
                    "Acknowledgement given to the complainant (%(method)s).",
                    method=dict(
                        self._fields["acknowledgement_method"]._description_selection(
                            self.env
                        )
                    )[method],
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_iso10002_send_acknowledgement(self):
        """Send (or send again) the acknowledgement e-mail."""
        self._check_can_acknowledge(resend=True)
        self._iso10002_send_acknowledgement()
        return True

    def _iso10002_set_step(self, step):
        """Move complaints to the team's stage for ``step`` (guards apply)."""
        by_stage = {}
        for complaint in self:
            stage = complaint.team_id._iso10002_stage_for_step(step)
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

    def action_iso10002_assess(self):
        self._check_is_complaint()
        self.filtered(lambda t: not t.assessed_by_id).write(
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
                complaint.write(vals)
        return self._iso10002_set_step(iso.STEP_RESPONDED)

    def action_iso10002_communicate_decision(self):
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
                complaint.write(vals)
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

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_is_complaint(self):
        not_complaints = self.filtered(lambda t: not t.is_complaint)
        if not_complaints:
            raise UserError(
                self.env._(
                    "Ticket %(number)s is not a complaint: its team does not use "
                    "ISO 10002 complaints handling.",
                    number=not_complaints[0].number,
                )
            )

    def _check_can_acknowledge(self, resend=False):
        self._check_is_complaint()
        for complaint in self:
            if complaint.acknowledged_at and not resend:
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s was already acknowledged on %(date)s.",
                        ref=complaint.complaint_reference,
                        date=fields.Datetime.to_string(complaint.acknowledged_at),
                    )
                )
            if resend and not (complaint.partner_id.email or complaint.partner_email):
                raise UserError(
                    self.env._(
                        "Complaint %(ref)s has no complainant e-mail address: add one, "
                        "or log the acknowledgement given by phone, visit or letter.",
                        ref=complaint.complaint_reference,
                    )
                )

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

    @api.model
    def _iso10002_prepare_receipt_vals(self, vals, company_id):
        """Fill the receipt data of a new complaint in ``vals`` (R-7.2)."""
        company = self.env["res.company"].browse(company_id or self.env.company.id)
        now = fields.Datetime.now()
        if not vals.get("received_at"):
            vals["received_at"] = now
        if not vals.get("received_by_id"):
            vals["received_by_id"] = self.env.user.id
        if not vals.get("complaint_reference"):
            vals["complaint_reference"] = company._iso10002_next_complaint_reference()
        # the complaint reference is the ticket number shown everywhere
        vals["number"] = vals["complaint_reference"]
        if not vals.get("expected_response_date"):
            received = fields.Datetime.to_datetime(vals["received_at"])
            vals["expected_response_date"] = (
                received + timedelta(days=company.iso10002_response_days)
            ).date()
        return vals

    @api.model
    def _iso10002_prepare_complainant_vals(self, vals):
        """A complainant is a partner (ISO 10002 3.1): find or create it from the
        name and e-mail given at receipt."""
        if vals.get("partner_id") or not vals.get("partner_email"):
            return vals
        # the mail gateway gives "Name <address>"
        parsed_name, email = parse_contact_from_email(vals["partner_email"])
        if not email:
            return vals
        name = (vals.get("partner_name") or parsed_name or "").strip()
        partner = self.env["res.partner"].search(
            [("email_normalized", "=", email)], limit=1
        )
        if not partner:
            partner = self.env["res.partner"].create(
                {"name": name or email, "email": email}
            )
        vals["partner_id"] = partner.id
        return vals

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
            iso.BLOCK_FEEDBACK_ONLY_CLOSES: env._(
                "Feedback (not a complaint) leaves the complaints process: it can "
                "only be closed."
            ),
        }
        lines.extend(messages[code] for code in blockers)
        return "\n".join(lines)

    def _iso10002_do_acknowledge(self, method):
        values = {
            "acknowledged_at": fields.Datetime.now(),
            "acknowledged_by_id": self.env.user.id,
            "acknowledgement_method": method,
        }
        self.write(values)
        at_receipt = self.filtered(
            lambda c: (
                iso.step_index(c.iso10002_step) < iso.step_index(iso.STEP_ACKNOWLEDGED)
            )
        )
        at_receipt._iso10002_set_step(iso.STEP_ACKNOWLEDGED)

    def _iso10002_send_acknowledgement(self):
        """E-mail the acknowledgement (R-7.4) and record it."""
        template = self.env.ref("iso10002_complaints.mail_template_complaint_ack")
        with_address = self.filtered(lambda c: c.partner_id.email or c.partner_email)
        if not with_address:
            return
        with_address.message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        with_address.filtered(lambda c: not c.acknowledged_at)._iso10002_do_acknowledge(
            "email"
        )

    def _iso10002_log_stage_entry(self):
        """Close the open stage-history lines and open new ones (R-7.3)."""
        now = fields.Datetime.now()
        History = self.env["iso10002.stage.history"].sudo()
        History._close_open_lines(self, now)
        History.create(
            [
                {
                    "ticket_id": complaint.id,
                    "stage_id": complaint.stage_id.id,
                    "date_in": now,
                    "user_id": self.env.uid,
                }
                for complaint in self
                if complaint.stage_id
            ]
        )

    def _iso10002_flag_closing_without_response(self):
        closed = self.filtered(lambda c: c.iso10002_step == iso.STEP_CLOSED)
        without = closed.filtered(
            lambda c: not c.complainant_response and not c.is_feedback
        )
        if without:
            super(HelpdeskTicket, without).write({"closed_without_response": True})
        flagged = (closed - without).filtered("closed_without_response")
        if flagged:
            super(HelpdeskTicket, flagged).write({"closed_without_response": False})
        return without

    # ------------------------------------------------------------------
    # SLA clocks and escalation
    # ------------------------------------------------------------------
    def _iso10002_sla_start(self):
        self.env["iso10002.sla.line"]._start_for(self)
        for complaint in self:
            line = complaint.sla_line_ids[:1]
            if line.policy_id:
                super(HelpdeskTicket, complaint).write(
                    {"sla_policy_id": line.policy_id.id}
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
            super(HelpdeskTicket, complaint).write({"sla_policy_id": policy.id})
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
        users = group.sudo().users.filtered(
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

    def _message_post_after_hook(self, message, msg_vals):
        """Remember when the complainant was last written to (R-7.3)."""
        result = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "comment":
            to_complainant = self.filtered(
                lambda c: c.is_complaint and c.partner_id in message.partner_ids
            )
            if to_complainant:
                super(HelpdeskTicket, to_complainant.sudo()).write(
                    {"iso10002_last_update_at": fields.Datetime.now()}
                )
        return result

    # ------------------------------------------------------------------
    # Remedies, recurrence and corrective actions
    # ------------------------------------------------------------------
    def _iso10002_recurrence_domain(self):
        """Candidates for recurrence with the complaints of ``self``: one
        search for the whole batch."""
        windows = self.company_id.mapped("iso10002_recurrence_window_days") or [0]
        window = timedelta(days=max(windows))
        dates = [c.received_at for c in self if c.received_at]
        if not dates:
            return None
        return [
            ("is_complaint", "=", True),
            ("is_feedback", "=", False),
            ("company_id", "in", self.company_id.ids),
            ("received_at", ">=", min(dates) - window),
            ("received_at", "<=", max(dates) + window),
            "|",
            ("product_id", "in", self.product_id.ids),
            ("complaint_category_id", "in", self.complaint_category_id.ids),
        ]

    def _iso10002_recurring_with(self, candidates):
        """The candidates that recur with this complaint (R-8.2): same product,
        or same category when no product is known on either, (and the same
        customer when the company asks) within the recurrence window."""
        self.ensure_one()
        company = self.company_id
        found = self.browse()
        for other in candidates:
            if other == self or other.company_id != company or not other.received_at:
                continue
            if self.product_id and other.product_id:
                same = self.product_id == other.product_id
            else:
                same = bool(
                    self.complaint_category_id
                    and self.complaint_category_id == other.complaint_category_id
                )
            if not same:
                continue
            if (
                company.iso10002_recurrence_by_partner
                and self.partner_id.commercial_partner_id
                != other.partner_id.commercial_partner_id
            ):
                continue
            if iso.in_window(
                self.received_at,
                other.received_at,
                company.iso10002_recurrence_window_days,
            ):
                found |= other
        return found

    def _iso10002_detect_recurrence(self):
        complaints = self.filtered(lambda c: c.is_complaint and not c.is_feedback)
        domain = complaints._iso10002_recurrence_domain()
        if not complaints or domain is None:
            return self.browse()
        candidates = self.sudo().search(domain)
        flagged = self.browse()
        for complaint in complaints:
            matches = complaint._iso10002_recurring_with(candidates)
            if matches:
                flagged |= complaint | matches
        flagged = flagged.filtered(lambda c: not c.recurrence_detected)
        if flagged:
            super(HelpdeskTicket, flagged.sudo()).write({"recurrence_detected": True})
        return flagged

    def action_iso10002_group_problem(self):
        """Group this complaint and those it recurs with into one problem."""
        self.ensure_one()
        self._check_is_complaint()
        domain = self._iso10002_recurrence_domain()
        candidates = self.search(domain) if domain else self.browse()
        related = self | self._iso10002_recurring_with(candidates)
        problem = related.problem_id[:1]
        if not problem:
            subject = self.product_id.display_name or self.complaint_category_id.name
            problem = self.env["iso10002.problem"].create(
                {
                    "name": self.env._("Recurring: %(subject)s", subject=subject),
                    "company_id": self.company_id.id,
                    "product_id": self.product_id.id,
                    "complaint_category_id": self.complaint_category_id.id,
                    "partner_id": self.partner_id.commercial_partner_id.id
                    if self.company_id.iso10002_recurrence_by_partner
                    else False,
                }
            )
        related.filtered(lambda c: not c.problem_id).write({"problem_id": problem.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.problem",
            "res_id": problem.id,
            "view_mode": "form",
        }

    def action_iso10002_offer_to_others(self):
        """E.2: offer the complaint's remedy to others affected who did not
        complain, through a systemic remedy."""
        self.ensure_one()
        self._check_is_complaint()
        remedy = self.remedy_ids.filtered(
            lambda r: r.state not in (iso.REMEDY_CANCELLED, iso.REMEDY_DECLINED)
        )[:1]
        if not remedy:
            raise UserError(
                self.env._(
                    "Propose a remedy on %(ref)s first: the systemic remedy offers "
                    "the same remedy to the others affected.",
                    ref=self.complaint_reference,
                )
            )
        systemic = self.env["iso10002.systemic.remedy"].create(
            {
                "name": self.env._(
                    "%(remedy)s for everyone affected by %(ref)s",
                    remedy=remedy.remedy_id.name,
                    ref=self.complaint_reference,
                ),
                "company_id": self.company_id.id,
                "remedy_id": remedy.remedy_id.id,
                "description": remedy.description,
                "ticket_ids": [(6, 0, (self | self.problem_id.ticket_ids).ids)],
            }
        )
        systemic.action_add_complainants()
        remedy.systemic_remedy_id = systemic
        self.others_affected = True
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.systemic.remedy",
            "res_id": systemic.id,
            "view_mode": "form",
        }

    def action_iso10002_new_action(self):
        """Open a new corrective action linked to this complaint."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "iso10002.action",
            "view_mode": "form",
            "context": {
                "default_ticket_ids": [(6, 0, self.ids)],
                "default_origin": "complaint",
                "default_name": self.env._(
                    "Prevent recurrence of %(ref)s", ref=self.complaint_reference
                ),
                "default_root_cause": self.root_cause,
                "default_company_id": self.company_id.id,
            },
        }

    # ------------------------------------------------------------------
    # Web intake and portal
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_format_hours(self, hours, hours_per_day):
        if hours_per_day and hours >= hours_per_day:
            days = hours / hours_per_day
            if float(days).is_integer():
                return self.env._("%(days)s working day(s)", days=int(days))
            return self.env._("%(days).1f working days", days=days)
        shown = f"{hours:g}"
        return self.env._("%(hours)s working hour(s)", hours=shown)

    @api.model
    def _iso10002_complaint_teams(self, company):
        return self.env["helpdesk.ticket.team"].search(
            [
                ("is_iso10002", "=", True),
                ("show_in_portal", "=", True),
                ("company_id", "in", [False, company.id]),
            ]
        )

    @api.model
    def _iso10002_public_info(self, company):
        """What the public page shows, all from the live configuration."""
        _ = self.env._
        teams = self._iso10002_complaint_teams(company)
        per_day = company.resource_calendar_id.hours_per_day or 8.0
        policies = self.env["iso10002.sla.policy"].search(
            [
                ("company_id", "in", [False, company.id]),
                ("team_id", "=", False),
                ("complaint_category_id", "=", False),
                ("channel_id", "=", False),
                ("subject", "=", False),
            ]
        )
        severities = dict(self._fields["severity"]._description_selection(self.env))
        sla_rows = [
            {
                "name": policy.name,
                "applies_to": severities.get(policy.severity)
                or self.env._("All other complaints"),
                "acknowledge": self._iso10002_format_hours(
                    policy.acknowledge_hours, per_day
                ),
                "respond": self._iso10002_format_hours(policy.respond_hours, per_day),
                "resolve": self._iso10002_format_hours(policy.resolve_hours, per_day),
            }
            for policy in policies
        ]
        emails = [team.alias_email for team in teams if team.alias_email]
        if not emails and company.email:
            emails = [company.email]
        channels = self.env["helpdesk.ticket.channel"].search(
            [("company_id", "in", [False, company.id])]
        )
        kinds = set(channels.mapped("iso10002_kind"))
        return {
            "company": company,
            "teams": teams,
            "accepts_web": bool(teams),
            "emails": emails,
            "phone": company.phone if "phone" in kinds else False,
            "address": company.partner_id._display_address(without_company=True)
            if kinds & {"visit", "letter"}
            else False,
            "sla_rows": sla_rows,
            "policy": company.iso10002_policy_id,
            "recourse": company.iso10002_external_recourse,
            "steps": [
                (_("We confirm receipt"), _("You get a reference number.")),
                (_("We assess"), _("How serious and urgent it is.")),
                (
                    _("We investigate"),
                    _("Someone who is not involved looks at the facts."),
                ),
                (
                    _("We decide and tell you"),
                    _("Our decision, with what we offer to put things right."),
                ),
                (_("You answer"), _("Accept the decision, or ask for a review.")),
            ],
        }

    def _iso10002_respond_deadline(self):
        """When the complainant was promised our decision."""
        self.ensure_one()
        line = self.sla_line_ids.filtered(lambda line: line.phase == iso.PHASE_RESPOND)
        return line.deadline or self.expected_response_date

    @api.model
    def _iso10002_web_rate_limited(self, company, email):
        since = fields.Datetime.now() - timedelta(hours=1)
        count = self.search_count(
            [
                ("is_complaint", "=", True),
                ("company_id", "=", company.id),
                ("partner_id.email_normalized", "=", (email or "").lower()),
                ("create_date", ">=", since),
            ]
        )
        return count >= company.iso10002_web_rate_limit

    @api.model
    def _iso10002_create_from_web(self, company, values, files):
        """A complaint from the public form (sudo: no login needed)."""
        teams = self._iso10002_complaint_teams(company)
        if not teams:
            raise UserError(
                self.env._(
                    "Complaints cannot be sent online at the moment. Please e-mail "
                    "or call us."
                )
            )
        Partner = self.env["res.partner"]
        partner = Partner.search(
            [("email_normalized", "=", values["email"].lower())], limit=1
        )
        if not partner:
            country = (
                self.env["res.country"]
                .browse(
                    int(values["country_id"])
                    if (values.get("country_id") or "").isdigit()
                    else 0
                )
                .exists()
            )
            partner = Partner.create(
                {
                    "name": values["name"],
                    "email": values["email"],
                    "phone": values.get("phone"),
                    "street": values.get("street"),
                    "zip": values.get("zip"),
                    "city": values.get("city"),
                    "country_id": country.id,
                }
            )

        def named(name):
            return Partner.create({"name": name}).id if name else False

        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        complaint = self.with_company(company).create(
            {
                "name": values["title"],
                "description": plaintext2html(values["description"]),
                "team_id": teams[0].id,
                "company_id": company.id,
                "partner_id": partner.id,
                "partner_name": values["name"],
                "partner_email": values["email"],
                "channel_id": channel.id,
                "subject": "product",
                "problem_date": values.get("problem_date") or False,
                "remedy_requested": values.get("remedy_requested"),
                "remedy_requested_text": values.get("remedy_text"),
                "product_reference": values.get("product_reference"),
                "product_description": values.get("product_description"),
                "representative_id": named(values.get("representative")),
                "contact_person_id": named(values.get("contact_person")),
                "iso10002_submission_token": values.get("submission_token")
                or uuid.uuid4().hex,
                "consent_scope": "sharing"
                if values.get("consent_share")
                else "handling",
                "consent_date": fields.Datetime.now(),
                "consent_channel": "web",
            }
        )
        if files:
            self.env["ir.attachment"].create(
                [
                    {
                        "name": filename,
                        "raw": data,
                        "res_model": self._name,
                        "res_id": complaint.id,
                    }
                    for filename, data, _mimetype in files
                ]
            )
        return complaint

    def _iso10002_portal_url(self):
        self.ensure_one()
        self._portal_ensure_token()
        return f"/my/complaints/{self.id}?access_token={self.access_token}"

    def _iso10002_portal_values(self):
        """What the complainant sees of their complaint (R-7.3)."""
        self.ensure_one()
        steps = dict(self._fields["iso10002_step"]._description_selection(self.env))
        timeline = [
            {
                "step": steps.get(line.iso10002_step, line.stage_id.name),
                "date": line.date_in,
            }
            for line in self.stage_history_ids.sorted("date_in")
            if not line.is_sla_pause
        ]
        labels = {
            iso.PHASE_RESPOND: self.env._("Our decision, by"),
            iso.PHASE_RESOLVE: self.env._("Closing, by"),
        }
        deadlines = [
            {"label": labels[line.phase], "date": line.deadline}
            for line in self.sla_line_ids
            if line.phase in labels and line.state == iso.SLA_RUNNING and line.deadline
        ]
        return {
            "timeline": timeline,
            "deadlines": deadlines,
            "show_decision": bool(self.communicated_on),
            "remedies": self.remedy_ids.filtered(
                lambda r: r.state not in (iso.REMEDY_CANCELLED,)
            ),
            "can_answer": self.iso10002_step == iso.STEP_COMMUNICATED
            and not self.complainant_response,
            "survey": self.satisfaction_ids.filtered(lambda s: not s.submitted_on)[:1],
        }

    def _iso10002_answer_from_portal(self, answer, reason, review_type, author):
        """R-7.9 from the portal: recorded like the agent's wizard would, then
        routed to the assigned agent."""
        self.ensure_one()
        if self.iso10002_step != iso.STEP_COMMUNICATED or self.complainant_response:
            raise UserError(self.env._("There is no decision waiting for your answer."))
        if answer not in (iso.RESPONSE_ACCEPTED, iso.RESPONSE_REJECTED):
            raise UserError(
                self.env._("Please choose whether you accept the decision.")
            )
        vals = {"ticket_id": self.id, "response": answer}
        if answer == iso.RESPONSE_REJECTED:
            if not reason:
                raise UserError(self.env._("Please tell us why you do not accept it."))
            if review_type not in (iso.REVIEW_INTERNAL, iso.REVIEW_EXTERNAL):
                raise UserError(
                    self.env._("Please choose: a review by us, or an external body.")
                )
            vals.update(
                rejection_reason=reason,
                review_type=review_type,
                recourse_provider=self.env._("To be named by the complainant")
                if review_type == iso.REVIEW_EXTERNAL
                else False,
            )
        self.env["iso10002.complainant.response.wizard"].sudo().create(
            vals
        ).action_confirm()
        body = (
            self.env._("I accept the decision.")
            if answer == iso.RESPONSE_ACCEPTED
            else self.env._("I do not accept the decision: %(reason)s", reason=reason)
        )
        self.sudo().message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.user_id.partner_id.ids,
        )
        if self.user_id:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("The complainant answered the decision"),
            )
        return True

    # ------------------------------------------------------------------
    # Confidentiality and personal data (R-4.7, C.4, R-8.1)
    # ------------------------------------------------------------------
    def _iso10002_need_to_know_partners(self):
        """Internal partners who may read this confidential complaint."""
        self.ensure_one()
        users = (
            self.user_id
            | self.investigator_id
            | self.env.ref("iso10002_complaints.group_iso10002_manager").sudo().users
            | self.env.ref("iso10002_complaints.group_iso10002_auditor").sudo().users
        )
        return users.filtered(lambda u: self.company_id in u.company_ids).partner_id

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """Following a confidential complaint grants nothing: internal
        followers outside need-to-know are not notified of its messages."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        if len(self) != 1 or not (self.is_complaint and self.is_confidential):
            return recipients
        allowed = set(self._iso10002_need_to_know_partners().ids)
        own = set((self.partner_id | self.representative_id).ids)
        return [data for data in recipients if data["id"] in allowed | own]

    def _iso10002_pseudonymise(self, reason):
        """Erase the complainant's personal data from these complaints (R-8.1):
        free texts they wrote, their messages and attachments; categories,
        dates, SLA results and remedies stay for the statistics."""
        erased = self.env._("[erased on request]")
        now = fields.Datetime.now()
        for complaint in self.sudo():
            partners = complaint.partner_id | complaint.representative_id
            messages = complaint.message_ids.filtered(
                lambda m, partners=partners: (
                    m.author_id in partners
                    or (m.message_type == "comment" and m.partner_ids & partners)
                )
            )
            messages.attachment_ids.unlink()
            messages.write({"body": erased, "subject": False})
            self.env["ir.attachment"].sudo().search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", complaint.id),
                    ("create_uid", "=", self.env.ref("base.public_user").id),
                ]
            ).unlink()
            super(HelpdeskTicket, complaint).write(
                {
                    "partner_name": False,
                    "partner_email": False,
                    "description": plaintext2html(erased),
                    "remedy_requested_text": erased
                    if complaint.remedy_requested_text
                    else False,
                    "rejection_reason": erased if complaint.rejection_reason else False,
                    "product_description": False,
                    "product_reference": False,
                    "pseudonymised_on": now,
                }
            )
            complaint.message_post(
                body=self.env._(
                    "Personal data of the complainant erased by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        # a person is pseudonymised once none of their complaints keeps data
        partners = self.sudo().partner_id | self.sudo().representative_id
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        for partner in partners:
            remaining = Ticket.search_count(
                [
                    ("is_complaint", "=", True),
                    ("pseudonymised_on", "=", False),
                    "|",
                    ("partner_id", "=", partner.id),
                    ("representative_id", "=", partner.id),
                ]
            )
            if not remaining and not partner.user_ids:
                partner.write(
                    {
                        "name": self.env._(
                            "Pseudonymised complainant %(id)s", id=partner.id
                        ),
                        "email": False,
                        "phone": False,
                        "mobile": False,
                        "street": False,
                        "street2": False,
                        "zip": False,
                        "city": False,
                        "vat": False,
                        "comment": False,
                        "active": False,
                    }
                )
        return True

    def _iso10002_shares_personal_data(self):
        """The complainant agreed that their details go beyond handling."""
        self.ensure_one()
        return self.consent_scope == "sharing"

    def _iso10002_staff_summary(self):
        """What a named staff member is told (C.2): the complaint's subject,
        without the complainant's personal data unless they consented."""
        self.ensure_one()
        lines = [
            self.env._(
                "Complaint %(ref)s: %(title)s",
                ref=self.complaint_reference,
                title=self.name,
            ),
            self.env._(
                "Received on %(date)s, category: %(category)s.",
                date=fields.Date.to_string(self.received_at.date())
                if self.received_at
                else "-",
                category=self.complaint_category_id.display_name or "-",
            ),
        ]
        if self._iso10002_shares_personal_data():
            lines.append(self.env._("Complainant: %(name)s", name=self.partner_id.name))
        else:
            lines.append(
                self.env._(
                    "The complainant's identity is withheld: they did not agree to "
                    "sharing it."
                )
            )
        return "\n".join(lines)

    @api.model
    def _iso10002_sees_personal_data(self):
        """Complaint roles (agents and up, auditors) need to know who
        complained and who is named; other internal users do not."""
        user = self.env.user
        return (
            self.env.su
            or user.share
            or user.has_group("iso10002_complaints.group_iso10002_agent")
            or user.has_group("iso10002_complaints.group_iso10002_auditor")
        )

    def _read_format(self, fnames, load="_classic_read"):
        """R-4.7, C.4: users outside need-to-know who may see a complaint read
        its non-personal content only."""
        result = super()._read_format(fnames, load=load)
        hidden = [name for name in fnames if name in PROTECTED_FIELDS]
        if not hidden or self._iso10002_sees_personal_data():
            return result
        complaints = set(self.sudo().filtered("is_complaint").ids)
        for values in result:
            if values.get("id") in complaints:
                for name in hidden:
                    values[name] = (
                        [] if self._fields[name].type.endswith("2many") else False
                    )
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        """R-4.7: exports mask the complainant's personal data unless they
        agreed to sharing it."""
        if not _is_toplevel_call:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        personal = [
            index for index, path in enumerate(fields) if path[0] in PROTECTED_FIELDS
        ]
        outsider = not self._iso10002_sees_personal_data()
        masked = self.filtered(
            lambda t: (
                t.is_complaint and (outsider or not t._iso10002_shares_personal_data())
            )
        )
        if not personal or not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        hidden = self.env._("(withheld)")
        rows = []
        for ticket in self:
            ticket_rows = super(HelpdeskTicket, ticket)._export_rows(
                fields, _is_toplevel_call=_is_toplevel_call
            )
            if ticket in masked:
                for row in ticket_rows:
                    for index in personal:
                        if row[index] not in (False, "", None):
                            row[index] = hidden
            rows.extend(ticket_rows)
        return rows

    @api.model
    def _cron_iso10002_retention(self):
        """Pseudonymise complaints closed longer ago than the company's
        retention period (R-8.1)."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].search(
            [("iso10002_retention_days", ">", 0)]
        ):
            cutoff = now - timedelta(days=company.iso10002_retention_days)
            expired = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("is_complaint", "=", True),
                        ("iso10002_step", "=", iso.STEP_CLOSED),
                        ("closed_date", "<", cutoff),
                        ("pseudonymised_on", "=", False),
                    ],
                    limit=500,
                )
            )
            expired._iso10002_pseudonymise(
                self.env._(
                    "retention period of %(days)s days over",
                    days=company.iso10002_retention_days,
                )
            )
        return True
