from odoo import fields, models

from .iso10002_data import CHANNEL_KINDS


class HelpdeskTicketChannel(models.Model):
    _inherit = "helpdesk.ticket.channel"

    iso10002_kind = fields.Selection(
        selection=CHANNEL_KINDS,
        string="ISO 10002 Channel Kind",
        default="other",
        help="Annex D channel this intake channel belongs to. E-mail and web "
        "complaints get an automatic acknowledgement e-mail; the others a logged "
        "acknowledgement (ISO 10002 7.4).",
    )
