from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    iso10002_management_representative_id = fields.Many2one(
        related="company_id.iso10002_management_representative_id", readonly=False
    )
    iso10002_response_days = fields.Integer(
        related="company_id.iso10002_response_days", readonly=False
    )
    iso10002_response_wait_days = fields.Integer(
        related="company_id.iso10002_response_wait_days", readonly=False
    )
    iso10002_policy_id = fields.Many2one(related="company_id.iso10002_policy_id")
