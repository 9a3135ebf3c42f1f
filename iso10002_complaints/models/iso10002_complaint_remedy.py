from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import iso10002_data as iso


class Iso10002ComplaintRemedy(models.Model):
    """A remedy offered on a complaint (ISO 10002 7.7, 7.9, Annex E):
    proposed, accepted by the complainant, implemented; or declined,
    cancelled, or waived with a reason."""

    _name = "iso10002.complaint.remedy"
    _inherit = ["iso10002.complaint.link", "iso10002.controlled.mixin"]
    _description = "Complaint Remedy"
    _order = "ticket_id, sequence, id"
    _iso10002_controlled_fields = frozenset(
        {
            "state",
            "approved_by_id",
            "approved_on",
            "accepted_on",
            "implemented_on",
            "implemented_by_id",
            "systemic_remedy_id",
        }
    )

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    complaint_category_id = fields.Many2one(
        related="ticket_id.complaint_category_id", store=True
    )
    sequence = fields.Integer(default=10)
    remedy_id = fields.Many2one(
        comodel_name="iso10002.remedy", required=True, ondelete="restrict"
    )
    kind = fields.Selection(related="remedy_id.kind", store=True)
    description = fields.Text()
    has_amount = fields.Boolean(related="remedy_id.has_amount")
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        default=lambda self: self.env.company.currency_id,
    )
    amount_company = fields.Monetary(
        string="Amount (company currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency of the Company"
    )
    state = fields.Selection(
        selection=iso.REMEDY_STATES,
        default=iso.REMEDY_PROPOSED,
        required=True,
        readonly=True,
        copy=False,
    )
    responsible_id = fields.Many2one(
        comodel_name="res.users",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    due_date = fields.Date()
    needs_approval = fields.Boolean(
        string="Approval Needed",
        compute="_compute_needs_approval",
        store=True,
        help="Above the company's approval limit: a complaints manager approves "
        "the remedy before it is offered.",
    )
    approved_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    approved_on = fields.Datetime(readonly=True, copy=False)
    approval_status = fields.Selection(
        selection=[("needed", "Needs approval"), ("approved", "Approved")],
        string="Approval",
        compute="_compute_approval_status",
        help="A remedy above the approval limit needs a complaints manager's "
        "approval before the decision is communicated.",
    )
    ticket_step = fields.Selection(
        related="ticket_id.iso10002_step", string="Step of the Complaint"
    )
    can_act = fields.Boolean(
        string="Can Act on the Remedy",
        compute="_compute_can_act",
        compute_sudo=False,
    )
    accepted_on = fields.Datetime(readonly=True, copy=False)
    implemented_on = fields.Datetime(readonly=True, copy=False)
    implemented_by_id = fields.Many2one(
        comodel_name="res.users", readonly=True, copy=False
    )
    waive_reason = fields.Text(
        string="Reason for Waiving",
        help="Why an accepted remedy is not carried out (e.g. the complainant "
        "withdrew the request).",
    )
    days_to_implement = fields.Float(
        compute="_compute_days_to_implement",
        store=True,
        aggregator="avg",
        help="Days from the complainant's acceptance to the implementation.",
    )
    systemic_remedy_id = fields.Many2one(
        comodel_name="iso10002.systemic.remedy",
        readonly=True,
        index="btree_not_null",
    )

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("amount", "currency_id", "company_id")
    def _compute_amount_company(self):
        for line in self:
            company = line.company_id or self.env.company
            if line.currency_id and line.currency_id != company.currency_id:
                line.amount_company = line.currency_id._convert(
                    line.amount,
                    company.currency_id,
                    company,
                    fields.Date.context_today(line),
                )
            else:
                line.amount_company = line.amount

    @api.depends("remedy_id.needs_approval", "amount_company", "company_id")
    def _compute_needs_approval(self):
        for line in self:
            limit = line.company_id.iso10002_remedy_approval_limit
            line.needs_approval = bool(
                line.remedy_id.needs_approval and line.amount_company > limit
            )

    @api.depends_context("uid")
    def _compute_can_act(self):
        """The line's actions are offered to who may change it (not to the
        auditor, who reads)."""
        saved = self.browse([line._origin.id for line in self if line._origin.id])
        writable = set(saved._filtered_access("write").ids)
        for line in self:
            line.can_act = line._origin.id in writable if line._origin.id else True

    @api.depends("needs_approval", "approved_on", "state")
    def _compute_approval_status(self):
        for line in self:
            if line.approved_on:
                line.approval_status = "approved"
            elif line.needs_approval and line.state == iso.REMEDY_PROPOSED:
                line.approval_status = "needed"
            else:
                line.approval_status = False

    @api.depends("accepted_on", "implemented_on")
    def _compute_days_to_implement(self):
        for line in self:
            if line.accepted_on and line.implemented_on:
                delta = line.implemented_on - line.accepted_on
                line.days_to_implement = max(delta.total_seconds(), 0) / 86400
            else:
                line.days_to_implement = 0.0

    @api.constrains("amount", "currency_id", "remedy_id")
    def _check_amount(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(
                    self.env._(
                        "The amount of remedy %(remedy)s cannot be negative.",
                        remedy=line.remedy_id.display_name,
                    )
                )
            if line.amount and not line.currency_id:
                raise ValidationError(
                    self.env._(
                        "Remedy %(remedy)s has an amount: give its currency.",
                        remedy=line.remedy_id.display_name,
                    )
                )
            if line.remedy_id.has_amount and not line.amount:
                raise ValidationError(
                    self.env._(
                        "Remedy %(remedy)s is a sum of money: give its amount.",
                        remedy=line.remedy_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        locked = {"remedy_id", "amount", "currency_id"}.intersection(vals)
        if locked and any(line.state != iso.REMEDY_PROPOSED for line in self):
            raise UserError(
                self.env._(
                    "A remedy the complainant has answered cannot change its "
                    "remedy or amount; cancel it and propose a new one."
                )
            )
        result = super().write(vals)
        approved = self.filtered("approved_on")
        if locked and approved:
            # an approval covers the amount that was approved, not a new one
            approved.sudo().write({"approved_by_id": False, "approved_on": False})
        return result

    @api.model_create_multi
    def create(self, vals_list):
        remedies = super().create(vals_list)
        if not self.env.su:
            for remedy in remedies:
                if remedy._iso10002_is_frozen():
                    raise UserError(remedy._iso10002_frozen_message())
        return remedies

    def _iso10002_is_frozen(self):
        return self.ticket_id.iso10002_step == iso.STEP_CLOSED

    def _iso10002_frozen_message(self):
        return self.ticket_id._iso10002_closed_message()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        for line in self:
            if line._iso10002_is_frozen():
                raise UserError(line._iso10002_frozen_message())
        if any(line.state != iso.REMEDY_PROPOSED for line in self):
            raise UserError(
                self.env._(
                    "Only proposed remedies can be deleted; cancel the others so "
                    "that the record stays."
                )
            )

    def _iso10002_state_label(self):
        """The state as the complainant and the dossier read it, with the
        approval when there was one."""
        self.ensure_one()
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        if not self.approved_on:
            return state
        return self.env._(
            "%(state)s, approved by %(name)s",
            state=state,
            name=self.sudo().approved_by_id.name,
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve(self):
        self._check_can_approve()
        self._do_approve()
        return True

    def action_accept(self):
        self._check_transition(iso.REMEDY_ACCEPTED)
        self._check_approved()
        self._iso10002_write_controlled(
            {"state": iso.REMEDY_ACCEPTED, "accepted_on": fields.Datetime.now()}
        )
        return True

    def action_decline(self):
        self._check_transition(iso.REMEDY_DECLINED)
        self._iso10002_write_controlled({"state": iso.REMEDY_DECLINED})
        return True

    def action_cancel(self):
        self._check_transition(iso.REMEDY_CANCELLED)
        self._iso10002_write_controlled({"state": iso.REMEDY_CANCELLED})
        return True

    def action_implement(self):
        self._check_transition(iso.REMEDY_IMPLEMENTED)
        self._iso10002_write_controlled(
            {
                "state": iso.REMEDY_IMPLEMENTED,
                "implemented_on": fields.Datetime.now(),
                "implemented_by_id": self.env.user.id,
            }
        )
        for line in self:
            line.ticket_id.message_post(
                body=self.env._(
                    "Remedy implemented: %(remedy)s.",
                    remedy=line._label(),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_waive(self):
        self._check_transition(iso.REMEDY_WAIVED)
        for line in self:
            if not (line.waive_reason or "").strip():
                raise UserError(
                    self.env._(
                        "Say why remedy %(remedy)s is waived before waiving it.",
                        remedy=line._label(),
                    )
                )
        self._iso10002_write_controlled({"state": iso.REMEDY_WAIVED})
        for line in self:
            line.ticket_id.message_post(
                body=self.env._(
                    "Remedy waived: %(remedy)s. Reason: %(reason)s",
                    remedy=line._label(),
                    reason=line.waive_reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _label_list(self):
        return ", ".join(line._label() for line in self)

    def _label(self):
        self.ensure_one()
        label = self.remedy_id.display_name
        if self.amount:
            label = f"{label} ({self.currency_id.format(self.amount)})"
        return label

    def _check_transition(self, target):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for line in self:
            if not iso.remedy_transition_allowed(line.state, target):
                raise UserError(
                    self.env._(
                        "Remedy %(remedy)s is %(state)s: it cannot become %(target)s.",
                        remedy=line._label(),
                        state=labels[line.state].lower(),
                        target=labels[target].lower(),
                    )
                )

    def _check_approved(self):
        for line in self:
            if line.needs_approval and not line.approved_on:
                raise UserError(
                    self.env._(
                        "Remedy %(remedy)s is above the approval limit: a "
                        "complaints manager must approve it first.",
                        remedy=line._label(),
                    )
                )

    def _check_can_approve(self):
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(self.env._("Only a complaints manager approves remedies."))
        for line in self:
            if line.state != iso.REMEDY_PROPOSED:
                raise UserError(
                    self.env._(
                        "Remedy %(remedy)s is no longer a proposal.",
                        remedy=line._label(),
                    )
                )
            if line.create_uid == self.env.user and not line._iso10002_alone():
                raise UserError(
                    self.env._(
                        "You proposed remedy %(remedy)s: another complaints manager "
                        "approves it (segregation of duties).",
                        remedy=line._label(),
                    )
                )
            if not line.needs_approval:
                raise UserError(
                    self.env._(
                        "Remedy %(remedy)s is within the limit and needs no approval.",
                        remedy=line._label(),
                    )
                )

    def _iso10002_alone(self):
        self.ensure_one()
        return self.ticket_id.company_id._iso10002_sole_manager(self.env.user)

    def _do_approve(self):
        self._iso10002_write_controlled(
            {"approved_by_id": self.env.user.id, "approved_on": fields.Datetime.now()}
        )
        alone = self.filtered(
            lambda line: line.create_uid == self.env.user and line._iso10002_alone()
        )
        if alone:
            alone._iso10002_sign(
                self.env._(
                    "Approved the remedy above the approval limit that they "
                    "proposed: the only complaints manager of a small "
                    "organisation (ISO 10002 Annex A)"
                ),
                self.env._("Complaints manager"),
            )
        (self - alone)._iso10002_sign(
            self.env._("Approved the remedy above the approval limit"),
            self.env._("Complaints manager"),
        )
        for line in self:
            line.ticket_id.message_post(
                body=Markup("%s")
                % self.env._(
                    "Remedy approved by %(user)s: %(remedy)s.",
                    user=self.env.user.name,
                    remedy=line._label(),
                ),
                subtype_xmlid="mail.mt_note",
            )
