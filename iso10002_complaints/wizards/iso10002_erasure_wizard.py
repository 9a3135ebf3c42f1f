from odoo import api, fields, models
from odoo.exceptions import UserError


class Iso10002ErasureWizard(models.TransientModel):
    """Erase a complainant's personal data on request (ISO 10002 8.1)."""

    _name = "iso10002.erasure.wizard"
    _description = "Erase a Complainant's Personal Data"

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Complainant", required=True
    )
    ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Complaints",
        compute="_compute_ticket_ids",
    )
    reason = fields.Char(
        required=True,
        default=lambda self: self.env._("Request of the person"),
        help="Why the data is erased. It stays in the history of each complaint: "
        "do not write the person's name or details here.",
    )
    confirm = fields.Boolean(
        string="I understand that this cannot be undone",
    )

    @api.depends("partner_id")
    def _compute_ticket_ids(self):
        Ticket = self.env["helpdesk.ticket"].with_context(active_test=False)
        for wizard in self:
            wizard.ticket_ids = Ticket.search(
                [
                    ("is_complaint", "=", True),
                    "|",
                    ("partner_id", "=", wizard.partner_id.id),
                    ("representative_id", "=", wizard.partner_id.id),
                ]
            )

    def action_erase(self):
        self.ensure_one()
        if not self.env.user.has_group("iso10002_complaints.group_iso10002_manager"):
            raise UserError(
                self.env._("Only a complaints manager erases personal data.")
            )
        if not self.confirm:
            raise UserError(
                self.env._(
                    "Tick the confirmation: erasing personal data cannot be undone."
                )
            )
        if not self.ticket_ids:
            raise UserError(self.env._("This person has no complaints."))
        self.ticket_ids._iso10002_pseudonymise(self.reason)
        return {"type": "ir.actions.act_window_close"}
