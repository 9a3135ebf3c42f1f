"""Complaints in the helpdesk: what makes a ticket a complaint, its
reference, and the create/write that hand each concern its part.

The concerns extend ``helpdesk.ticket`` in their own files:
receipt and acknowledgement (``helpdesk_ticket_receipt``), the steps from
assessment to closing (``_lifecycle``), deadlines and escalation (``_sla``),
remedies, recurrence and actions (``_remedy``), web intake and portal
(``_portal``), confidentiality and personal data (``_privacy``).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from . import iso10002_data as iso
from .helpdesk_ticket_lifecycle import STEP_DATA_FIELDS
from .helpdesk_ticket_remedy import RECURRENCE_FIELDS
from .helpdesk_ticket_sla import SLA_POLICY_FIELDS
from .iso10002_controlled_mixin import check_controlled

# what a closed complaint keeps as it was closed: the data of its steps
CLOSED_FROZEN_FIELDS = (STEP_DATA_FIELDS - {"stage_id"}) | {
    "remedy_ids",
    "impact_notes",
    "immediate_action",
    "interim_response",
    "decider_authority",
    "recourse_reference",
    "review_notes",
    "complaint_category_id",
    "product_id",
}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    # set only by the complaint's actions and the system, never written
    # (see iso10002_controlled_mixin); received_at may be given at receipt
    _iso10002_controlled_fields = frozenset(
        {
            "complaint_reference",
            "number",
            "received_at",
            "received_by_id",
            "acknowledged_at",
            "acknowledged_by_id",
            "acknowledgement_method",
            "assessed_by_id",
            "severity_changed_after_assessment",
            "decided_by_id",
            "decided_on",
            "communicated_on",
            "communicated_by_id",
            "complainant_response",
            "complainant_response_on",
            "closed_without_response",
            "recurrence_detected",
            "pseudonymised_on",
            "sla_policy_id",
            "iso10002_last_update_at",
            "iso10002_submission_token",
            "consent_date",
            "iso10002_typed_contact",
            "iso10002_safety_flag",
            "interim_response_on",
            "consent_scope",
            "consent_channel",
            "consent_recorded_by_id",
            "consent_evidence",
            "reopened_on",
            "reopen_count",
            "withdrawn_on",
        }
    )

    _iso10002_submission_token_uniq = models.Constraint(
        "unique(iso10002_submission_token)",
        "This web form was already submitted.",
    )
    _complaint_reference_company_uniq = models.Constraint(
        "unique(company_id, complaint_reference)",
        "A complaint reference must be unique per company.",
    )

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------
    is_complaint = fields.Boolean(
        string="Is a Complaint",
        compute="_compute_is_complaint",
        store=True,
        index=True,
        help="Tickets of teams that use ISO 10002 complaints handling are complaints.",
    )
    # Annex A: a team on the simplified stage set shows only its stages
    stage_id = fields.Many2one(
        domain="['|', ('team_ids', '=', team_id), ('team_ids', '=', False),"
        " ('is_iso10002_stage', '=', is_complaint),"
        " ('iso10002_in_simplified', 'in', [True, iso10002_simplified])]",
    )
    iso10002_simplified = fields.Boolean(related="team_id.iso10002_simplified")
    iso10002_step = fields.Selection(
        string="ISO 10002 Step",
        related="stage_id.iso10002_step",
        store=True,
        index=True,
    )
    complaint_reference = fields.Char(
        readonly=True,
        copy=False,
        index=True,
        help="Unique, sequential reference per company given at receipt (R-7.2).",
        tracking=True,
    )
    iso10002_can_act = fields.Boolean(
        string="Can Act on the Complaint",
        compute="_compute_iso10002_can_act",
        help="The user may change this complaint: the form offers its actions "
        "(readers such as auditors see none).",
    )
    iso10002_can_escalate = fields.Boolean(
        string="Can Escalate the Complaint",
        compute="_compute_iso10002_can_act",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_iso10002_can_act(self):
        """What the form offers: the actions to whoever may change the
        complaint; escalation to every employee who reads it except the
        auditor, who only reads (R-8.5)."""
        saved = self.browse([t._origin.id for t in self if t._origin.id])
        writable = set(saved._filtered_access("write").ids)
        may_create = self.browse().has_access("create")
        for ticket in self:
            origin = ticket._origin.id
            ticket.iso10002_can_act = origin in writable if origin else may_create
            ticket.iso10002_can_escalate = not self._iso10002_reads_only()

    @api.model
    def _iso10002_reads_only(self):
        """The user reads complaints as an auditor and handles none."""
        user = self.env.user
        return (
            not self.env.su
            and user.has_group("iso10002_complaints.group_iso10002_auditor")
            and not user.has_group("iso10002_complaints.group_iso10002_agent")
        )

    def _compute_display_name(self):
        """A ticket being recorded is named by its title until it is saved
        and numbered (not "/ - False")."""
        result = super()._compute_display_name()
        for ticket in self:
            if not ticket.number or ticket.number == "/":
                ticket.display_name = ticket.name or False
        return result

    @api.depends("team_id.is_iso10002")
    def _compute_is_complaint(self):
        for ticket in self:
            ticket.is_complaint = ticket.team_id.is_iso10002

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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
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

    def init(self):
        result = super().init()
        # helpdesk's order of tickets (priority, sequence, number, id): a page
        # of a list is an index scan that stops after its rows, not a sort of
        # every complaint (80 of 100,000: 200 ms without, 40 ms with it)
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS helpdesk_ticket_list_order_idx
                   ON helpdesk_ticket (priority DESC, sequence, number DESC, id DESC)"""
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # the receipt data are filled in below: never in the caller's dicts
        # (Odoo replays a request after a concurrency error with the same ones)
        vals_list = [dict(vals) for vals in vals_list]
        team_ids = {vals["team_id"] for vals in vals_list if vals.get("team_id")}
        teams = self.env["helpdesk.ticket.team"].browse(team_ids)
        iso_teams = teams.filtered("is_iso10002").grouped("id")
        self._iso10002_check_create_vals(
            [
                vals
                for vals in vals_list
                if not vals.get("team_id") or vals["team_id"] in iso_teams
            ]
        )
        receipts = defaultdict(list)  # company id: the vals that need a reference
        for vals in vals_list:
            team = iso_teams.get(vals.get("team_id"))
            if team:
                company_id = (
                    team.company_id.id or vals.get("company_id") or self.env.company.id
                )
                receipts[company_id].append(vals)
        # the categories of the batch read together (safety triage below)
        self.env["iso10002.complaint.category"].browse(
            [
                v["complaint_category_id"]
                for v in vals_list
                if v.get("complaint_category_id")
            ]
        ).mapped("signals_safety")
        for company_id, receipt_vals in receipts.items():
            # one draw of gap-free references per company and batch
            references = iter(
                self.env["res.company"]
                .browse(company_id)
                ._iso10002_take_complaint_references(
                    sum(
                        1
                        for vals in receipt_vals
                        if not vals.get("complaint_reference")
                    )
                )
            )
            for vals in receipt_vals:
                self._iso10002_prepare_receipt_vals(
                    vals,
                    company_id,
                    reference=vals.get("complaint_reference") or next(references),
                )
                self._iso10002_prepare_complainant_vals(vals)
                self._iso10002_triage_safety(
                    vals, self.env["res.company"].browse(company_id)
                )
        tickets = super().create(vals_list)
        complaints = tickets.filtered("is_complaint")
        if complaints:
            # Team set by a compute (the user's team): give the receipt data now.
            late = complaints.filtered(lambda t: not t.complaint_reference)
            for ticket in late:
                vals = {}
                self._iso10002_prepare_receipt_vals(vals, ticket.company_id.id)
                ticket.sudo().write(vals)
            complaints._iso10002_log_stage_entry(new=True)
            complaints._iso10002_check_step_data()
            complaints._iso10002_sla_start()
            complaints._iso10002_detect_recurrence()
            self.env["iso10002.staff.statement"]._request_for_complaints(
                complaints.filtered("concerned_user_ids")
            )
            complaints.filtered(
                lambda t: (
                    t.channel_kind in iso.AUTO_ACK_CHANNEL_KINDS
                    and not t.acknowledged_at
                )
            )._iso10002_send_acknowledgement()
            complaints._iso10002_alert_safety()
        return tickets

    def write(self, vals):
        check_controlled(self.filtered("is_complaint"), [vals])
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
        self._iso10002_check_closed_frozen(vals)
        if "active" in vals and not vals["active"]:
            self._iso10002_check_can_archive(vals)
        old_stages = {}
        if "stage_id" in vals:
            self._iso10002_check_leaving_closed(vals["stage_id"])
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
            reprioritised._iso10002_write_raw(
                {"severity_changed_after_assessment": True}
            )
        complaints = self.filtered("is_complaint")
        if not complaints:
            return result
        if old_stages:
            moved = complaints.filtered(lambda t: t.stage_id.id != old_stages[t.id])
            moved._iso10002_inform_named_staff(
                {
                    ticket.id: self.env["helpdesk.ticket.stage"]
                    .browse(old_stages[ticket.id])
                    .iso10002_step
                    for ticket in moved
                }
            )
            moved._iso10002_log_stage_entry()
            moved._iso10002_flag_closing_without_response()
        if STEP_DATA_FIELDS.intersection(vals):
            complaints._iso10002_check_step_data()
        if SLA_POLICY_FIELDS.intersection(vals):
            complaints._iso10002_sla_reselect_policy()
        if RECURRENCE_FIELDS.intersection(vals):
            complaints._iso10002_detect_recurrence()
        if "concerned_user_ids" in vals:
            self.env["iso10002.staff.statement"]._request_for_complaints(
                complaints.filtered("concerned_user_ids")
            )
        if old_stages:
            moved._iso10002_sla_on_stage_change(old_stages)
            self.env["iso10002.satisfaction"]._invite(
                moved.filtered(lambda c: c.iso10002_step == iso.STEP_CLOSED)
            )
        return result

    def _iso10002_check_closed_frozen(self, vals):
        """A closed complaint's record (what was complained of, assessed,
        found and decided) stays as it was closed (R-8.1): changing it means
        reopening the complaint, with a reason."""
        if self.env.su or not CLOSED_FROZEN_FIELDS.intersection(vals):
            return
        closed = self._iso10002_closed_complaints()
        if closed:
            raise UserError(closed[0]._iso10002_closed_message())

    def _iso10002_closed_complaints(self):
        return self.filtered(
            lambda t: t.is_complaint and t.iso10002_step == iso.STEP_CLOSED
        )

    def _iso10002_closed_message(self):
        return self.env._(
            "Complaint %(ref)s is closed and kept as it was closed. To "
            "change it, a complaints manager reopens it and says why.",
            ref=self.complaint_reference,
        )

    def _iso10002_check_can_archive(self, vals):
        """Archiving a complaint is a complaints manager's act, with a reason
        (R-8.1); the complaint stays in the register and the statistics."""
        complaints = self.filtered("is_complaint")
        if self.env.su or not complaints:
            return
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(
                self.env._(
                    "Only a complaints manager archives complaints; they stay in "
                    "the register and the statistics."
                )
            )
        reason = (vals.get("archive_reason") or "").strip()
        if not reason and not all(c.archive_reason for c in complaints):
            raise UserError(
                self.env._(
                    "Write why in Reason for Archiving (Closure tab) before "
                    "archiving complaint %(ref)s.",
                    ref=complaints.filtered(lambda c: not c.archive_reason)[
                        :1
                    ].complaint_reference,
                )
            )

    def _iso10002_check_leaving_closed(self, stage_id):
        """A closed complaint opens again only through Reopen, with a reason
        (R-7.9): not by moving its card or writing its stage."""
        if self.env.su:
            return
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        if stage.iso10002_step == iso.STEP_CLOSED:
            return
        closed = self._iso10002_closed_complaints()
        if closed:
            raise UserError(
                self.env._(
                    "Complaint %(ref)s is closed. To handle it again, a complaints "
                    "manager uses Reopen and says why.",
                    ref=closed[0].complaint_reference,
                )
            )

    def _iso10002_check_create_vals(self, vals_list):
        """Controlled fields of a new complaint: none but the moment of
        receipt, which may be earlier (a letter) but never in the future."""
        check_controlled(
            self,
            [
                {k: v for k, v in vals.items() if k != "received_at"}
                for vals in vals_list
            ],
            creating=True,
        )
        if self.env.su:
            return
        now = fields.Datetime.now()
        for vals in vals_list:
            received = fields.Datetime.to_datetime(vals.get("received_at"))
            if received and received > now:
                raise ValidationError(
                    self.env._(
                        "A complaint cannot be received in the future: check the "
                        "date and time of receipt."
                    )
                )

    def _iso10002_write_controlled(self, vals):
        """Write controlled values from an action that has checked the role:
        the user must still be allowed to write the complaints."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _iso10002_write_raw(self, vals):
        """Write values the system sets itself (flags, clocks, policy), past
        the complaint rules of ``write`` above."""
        return super().write(vals)

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
