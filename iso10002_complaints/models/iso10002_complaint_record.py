from odoo import fields, models


class Iso10002ComplaintRecord(models.AbstractModel):
    """A record that belongs to one complaint and lives and dies with it (its
    stage history, SLA phases, escalations, survey, named staff's account):
    it takes the complaint's company, which the need-to-know rules use."""

    _name = "iso10002.complaint.record"
    _inherit = ["iso10002.complaint.link"]
    _description = "Record of a Complaint"

    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Complaint",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
