from odoo import api, fields, models

from ..models import iso10002_data as iso
from ..models.helpdesk_ticket_receipt import LOGGED_ACK_METHODS


class Iso10002AcknowledgementWizard(models.TransientModel):
    """How the complainant was told that their complaint was received, when
    it was not by the e-mail the addon sends (ISO 10002 7.4)."""

    _name = "iso10002.acknowledgement.wizard"
    _inherit = ["iso10002.complaint.link"]
    _description = "Log the Acknowledgement of a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", string="Complaint", required=True
    )
    method = fields.Selection(
        selection=[
            (key, label) for key, label in iso.ACK_METHODS if key in LOGGED_ACK_METHODS
        ],
        string="Acknowledgement Method",
        required=True,
        default=lambda self: self._default_method(),
    )

    @api.model
    def _default_method(self):
        """The method the complaint's channel suggests, if it is one."""
        ticket = self.env["helpdesk.ticket"].browse(
            self.env.context.get("default_ticket_id")
        )
        kind = ticket.exists().channel_kind
        return kind if kind in LOGGED_ACK_METHODS else False

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id.action_iso10002_log_acknowledgement(method=self.method)
        return {"type": "ir.actions.act_window_close"}
