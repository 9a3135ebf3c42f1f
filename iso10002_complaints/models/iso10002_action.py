from odoo import api, fields, models
from odoo.exceptions import UserError

from . import iso10002_data as iso
from .iso10002_data import (
    ACTION_ORIGINS,
    ACTION_STATES,
    ACTION_TYPES,
    EFFECTIVENESS_RESULTS,
)


class Iso10002Action(models.Model):
    """A correction, corrective, preventive or improvement action (ISO 10002
    8.7), from a complaint, a recurring problem, an audit finding or a
    management review; closed only after its effectiveness is checked."""

    _name = "iso10002.action"
    _description = "Corrective or Preventive Action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "iso10002.controlled.mixin",
        "iso10002.complaint.link",
    ]
    _order = "state, due_date, id desc"
    _iso10002_controlled_fields = frozenset(
        {
            "reference",
            "state",
            "implemented_on",
            "closed_on",
            "effectiveness_verified_by_id",
            "effectiveness_verified_on",
        }
    )

    name = fields.Char(string="Title", required=True, tracking=True)
    reference = fields.Char(readonly=True, copy=False, index=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    origin = fields.Selection(
        selection=ACTION_ORIGINS, required=True, default="complaint", tracking=True
    )
    action_type = fields.Selection(
        selection=ACTION_TYPES,
        string="Type",
        required=True,
        default="corrective",
        tracking=True,
    )
    description = fields.Html()
    root_cause = fields.Text()
    owner_id = fields.Many2one(
        comodel_name="res.users",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    due_date = fields.Date(tracking=True)
    state = fields.Selection(
        selection=ACTION_STATES,
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="iso10002_action_ticket_rel",
        column1="action_id",
        column2="ticket_id",
        string="Complaints",
        domain=[("is_complaint", "=", True)],
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    problem_id = fields.Many2one(
        comodel_name="iso10002.problem",
        string="Recurring Problem",
        index="btree_not_null",
    )
    implemented_on = fields.Date(readonly=True, copy=False, tracking=True)
    closed_on = fields.Date(readonly=True, copy=False, index=True, tracking=True)
    audit_id = fields.Many2one(comodel_name="iso10002.audit", index="btree_not_null")
    review_id = fields.Many2one(
        comodel_name="iso10002.review",
        string="Management Review",
        index="btree_not_null",
    )
    effectiveness_verified_by_id = fields.Many2one(
        comodel_name="res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="Signed by the complaints manager who checked the effectiveness and "
        "closed the action; never the action's owner.",
    )
    effectiveness_verified_on = fields.Date(readonly=True, copy=False, tracking=True)
    effectiveness_result = fields.Selection(
        selection=EFFECTIVENESS_RESULTS, copy=False, tracking=True
    )
    effectiveness_notes = fields.Text(copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_ticket_count(self):
        for action in self:
            action.ticket_count = len(action.ticket_ids)

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.due_date and action.due_date < today and action.state == "open"
            )

    def _search_is_overdue(self, operator, value):
        positive = iso.boolean_search(operator, value)
        if positive is None:
            raise UserError(self.env._("Unsupported search on overdue actions."))
        today = fields.Date.context_today(self)
        domain = [("state", "=", "open"), ("due_date", "<", today)]
        return domain if positive else ["!", "&", *domain]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        # the reference is the system's, drawn once the action exists
        for action in actions.filtered(lambda a: not a.reference):
            action.sudo().reference = (
                self.env["ir.sequence"]
                .with_company(action.company_id)
                .next_by_code("iso10002.action")
                or "/"
            )
        for action in actions:
            if action.owner_id:
                action.message_subscribe(action.owner_id.partner_id.ids)
        return actions

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for action in self:
            action.display_name = (
                f"{action.reference} {action.name}" if action.reference else action.name
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def _iso10002_raise_from(self, source, values):
        """A corrective action raised from ``source`` (an audit finding, an
        objectivity review...) that keeps a link to it: the user may change
        ``source``; the action is the organisation's record, made as such."""
        source.check_access("write")
        action = self.sudo().create(values)
        source.sudo().action_id = action
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": action.id,
            "view_mode": "form",
        }

    def action_implemented(self):
        for action in self:
            if action.state != "open":
                raise UserError(
                    self.env._(
                        "Action %(action)s is not open.", action=action.display_name
                    )
                )
        self._iso10002_write_controlled(
            {"state": "implemented", "implemented_on": fields.Date.context_today(self)}
        )
        return True

    def action_close(self):
        """Sign the effectiveness check and close (ISO 10002 8.7): the
        complaints manager who clicks is the verifier."""
        self._check_can_close()
        today = fields.Date.context_today(self)
        self._iso10002_write_controlled(
            {
                "state": "closed",
                "closed_on": today,
                "effectiveness_verified_by_id": self.env.user.id,
                "effectiveness_verified_on": today,
            }
        )
        own = self.filtered(lambda action: action.owner_id == self.env.user)
        own._iso10002_sign(
            self.env._(
                "Verified effective and closed their own action: the only "
                "complaints manager of a small organisation (ISO 10002 Annex A)"
            ),
            self.env._("Complaints manager"),
        )
        (self - own)._iso10002_sign(
            self.env._("Verified effective and closed"),
            self.env._("Complaints manager"),
        )
        return True

    def action_reopen(self):
        self._check_is_manager()
        self._iso10002_write_controlled(
            {
                "state": "open",
                "implemented_on": False,
                "closed_on": False,
                "effectiveness_verified_by_id": False,
                "effectiveness_verified_on": False,
            }
        )
        return True

    def action_cancel(self):
        self._check_is_manager()
        self._iso10002_write_controlled({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _iso10002_is_frozen(self):
        return self.state in ("closed", "cancelled")

    def _iso10002_frozen_message(self):
        return self.env._(
            "Action %(action)s is closed or cancelled and kept as it was; reopen "
            "it to change it.",
            action=self.display_name,
        )

    def _check_is_manager(self):
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(
                self.env._(
                    "Only a complaints manager checks, reopens or cancels corrective "
                    "actions."
                )
            )

    def _check_can_close(self):
        self._check_is_manager()
        for action in self:
            if action.owner_id == self.env.user and not (
                action.company_id._iso10002_sole_manager(self.env.user)
            ):
                raise UserError(
                    self.env._(
                        "You own action %(action)s: its effectiveness is checked "
                        "by another complaints manager (ISO 10002 8.7).",
                        action=action.display_name,
                    )
                )
            if action.state != "implemented":
                raise UserError(
                    self.env._(
                        "Action %(action)s must be implemented before it is closed.",
                        action=action.display_name,
                    )
                )
            if not (action.effectiveness_result and action.effectiveness_notes):
                raise UserError(
                    self.env._(
                        "Record the effectiveness check of %(action)s before "
                        "closing it: the result and what was checked "
                        "(ISO 10002 8.7).",
                        action=action.display_name,
                    )
                )
            if action.effectiveness_result != "effective":
                raise UserError(
                    self.env._(
                        "Action %(action)s was not effective: reopen it or create a "
                        "new action instead of closing it.",
                        action=action.display_name,
                    )
                )
