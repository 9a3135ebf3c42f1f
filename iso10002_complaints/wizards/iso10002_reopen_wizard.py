from odoo import fields, models
from odoo.exceptions import UserError


class Iso10002ReopenWizard(models.TransientModel):
    """Reopen a closed complaint with a reason (R-7.9, R-8.1)."""

    _name = "iso10002.reopen.wizard"
    _inherit = ["iso10002.complaint.link"]
    _description = "Reopen a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    reason = fields.Text(
        required=True,
        help="Why the complaint is handled again: new facts, a decision of an "
        "external body, a remedy that failed...",
    )

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the complaint is reopened."))
        self.ticket_id._iso10002_reopen(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
