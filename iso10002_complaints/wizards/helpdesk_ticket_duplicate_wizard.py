from odoo import models


class HelpdeskTicketDuplicateWizard(models.TransientModel):
    """helpdesk_mgmt's duplicate wizard points to two tickets: it may point
    only to complaints the user may read (R-4.7)."""

    _name = "helpdesk.ticket.duplicate.wizard"
    _inherit = ["helpdesk.ticket.duplicate.wizard", "iso10002.complaint.link"]
