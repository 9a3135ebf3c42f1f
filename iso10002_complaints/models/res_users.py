"""Users found through complaints (R-4.7): res.users delegates its contact's
fields (``helpdesk_ticket_ids`` among them) to res.partner inside one SQL
query, past res.partner's own search: conditions on them are rewritten the
same way (see models/res_partner.py)."""

from odoo import api, models
from odoo.fields import Domain


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if not self.env.su:
            Partner = self.env["res.partner"]
            domain = Domain(domain).map_conditions(Partner._iso10002_ticket_condition)
        return super()._search(
            domain, offset=offset, limit=limit, order=order, **kwargs
        )
