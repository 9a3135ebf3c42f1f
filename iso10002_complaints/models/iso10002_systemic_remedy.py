from odoo import api, fields, models
from odoo.exceptions import UserError

from .iso10002_data import SYSTEMIC_STATES


class Iso10002SystemicRemedy(models.Model):
    """The same remedy offered to everyone affected, complainants or not
    (ISO 10002 Annex E.2), with its roll-out tracked partner by partner."""

    _name = "iso10002.systemic.remedy"
    _description = "Systemic Remedy"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "iso10002.complaint.link",
        "iso10002.controlled.mixin",
    ]
    _iso10002_controlled_fields = frozenset({"state"})
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    remedy_id = fields.Many2one(
        comodel_name="iso10002.remedy", required=True, ondelete="restrict"
    )
    description = fields.Text()
    responsible_id = fields.Many2one(
        comodel_name="res.users",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        relation="iso10002_systemic_remedy_ticket_rel",
        column1="systemic_remedy_id",
        column2="ticket_id",
        string="Complaints",
        domain=[("is_complaint", "=", True)],
    )
    line_ids = fields.One2many(
        comodel_name="iso10002.systemic.remedy.line",
        inverse_name="systemic_remedy_id",
        string="Roll-out",
    )
    state = fields.Selection(
        selection=SYSTEMIC_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    partner_count = fields.Integer(compute="_compute_progress")
    done_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(
        string="Roll-out (%)",
        compute="_compute_progress",
        help="Share of the affected people who were offered and provided the "
        "remedy or declined it.",
    )

    @api.depends("line_ids.state")
    def _compute_progress(self):
        for systemic in self:
            lines = systemic.line_ids
            finished = lines.filtered(lambda line: line.state in ("done", "declined"))
            systemic.partner_count = len(lines)
            systemic.done_count = len(finished)
            systemic.progress = 100.0 * len(finished) / len(lines) if lines else 0.0

    def action_add_complainants(self):
        """Add the complainants of the linked complaints to the roll-out."""
        for systemic in self:
            known = systemic.line_ids.partner_id
            partners = systemic.ticket_ids.partner_id - known
            systemic.line_ids = [(0, 0, {"partner_id": p.id}) for p in partners]
        return True

    def action_start(self):
        for systemic in self:
            if not systemic.line_ids:
                raise UserError(
                    self.env._(
                        "Add the people affected to %(name)s before rolling it out.",
                        name=systemic.name,
                    )
                )
        self._iso10002_write_controlled({"state": "rolling_out"})
        return True

    def action_done(self):
        for systemic in self:
            pending = systemic.line_ids.filtered(
                lambda line: line.state in ("pending", "offered")
            )
            if pending:
                raise UserError(
                    self.env._(
                        "%(count)s people affected by %(name)s have not been "
                        "provided the remedy or declined it yet.",
                        count=len(pending),
                        name=systemic.name,
                    )
                )
        self._iso10002_write_controlled({"state": "done"})
        return True

    def action_cancel(self):
        self._iso10002_write_controlled({"state": "cancelled"})
        return True
