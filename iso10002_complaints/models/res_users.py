"""Users found through complaints (R-4.7): res.users delegates its contact's
fields (``helpdesk_ticket_ids`` among them) to res.partner inside one SQL
query, past res.partner's own search: conditions on them are rewritten the
same way (see models/res_partner.py)."""

from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _where_calc(self, domain, active_test=True):
        if domain and not self.env.su:
            Partner = self.env["res.partner"]
            domain = [Partner._iso10002_ticket_leaf(leaf) for leaf in domain]
        return super()._where_calc(domain, active_test=active_test)
