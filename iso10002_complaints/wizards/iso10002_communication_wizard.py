from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models import iso10002_data as iso

# how the complaint came in suggests how its decision is told
CHANNEL_BY_KIND = {
    "email": "email",
    "web": "email",
    "phone": "phone",
    "visit": "visit",
    "letter": "letter",
}
# these channels send the decision e-mail to the complainant
MAILED_CHANNELS = ("email", "portal")


class Iso10002CommunicationWizard(models.TransientModel):
    """How the decision was (or is) told to the complainant (ISO 10002 7.8):
    by e-mail or the portal the addon sends the decision e-mail; by phone,
    in person or by letter it records that it was told."""

    _name = "iso10002.communication.wizard"
    _inherit = ["iso10002.complaint.link"]
    _description = "Communicate the Decision on a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket", string="Complaint", required=True
    )
    channel = fields.Selection(
        selection=iso.COMMUNICATION_CHANNELS,
        string="Communication Channel",
        required=True,
        default=lambda self: self._default_channel(),
    )
    sends_mail = fields.Boolean(compute="_compute_sends_mail")

    @api.model
    def _default_channel(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .browse(self.env.context.get("default_ticket_id"))
            .exists()
        )
        return ticket.communication_channel or CHANNEL_BY_KIND.get(ticket.channel_kind)

    @api.depends("channel")
    def _compute_sends_mail(self):
        for wizard in self:
            wizard.sends_mail = wizard.channel in MAILED_CHANNELS

    def action_confirm(self):
        self.ensure_one()
        self._check_can_communicate()
        ticket = self.ticket_id
        if ticket.communication_channel != self.channel:
            ticket.write({"communication_channel": self.channel})
        ticket.action_iso10002_communicate_decision()
        return {"type": "ir.actions.act_window_close"}

    def _check_can_communicate(self):
        ticket = self.ticket_id
        if self.channel in MAILED_CHANNELS and not (
            ticket.partner_id.email or ticket.partner_email
        ):
            raise UserError(
                self.env._(
                    "Complaint %(ref)s has no complainant e-mail address: say how "
                    "you told them the decision (phone, in person or letter).",
                    ref=ticket.complaint_reference,
                )
            )
