from odoo import api, models


class Iso10002ComplaintLink(models.AbstractModel):
    """A record that points to complaints (a wizard, a corrective action, a
    systemic remedy, an audit finding): whoever creates or changes it must be
    able to read the complaints it points to (R-4.7, C.4). Otherwise the record
    would show them the complaint's name, or let them act on it, through a
    side door."""

    _name = "iso10002.complaint.link"
    _description = "Record Pointing to Complaints"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        # after create, so that values given as defaults are checked too
        records._iso10002_check_complaint_links()
        return records

    def write(self, vals):
        result = super().write(vals)
        self._iso10002_check_complaint_links(vals)
        return result

    def _iso10002_complaint_link_fields(self):
        return [
            name
            for name, field in self._fields.items()
            if field.comodel_name == "helpdesk.ticket"
            and field.type in ("many2one", "many2many")
            and field.store
            and not field.related
        ]

    def _iso10002_check_complaint_links(self, vals=None):
        """Raise AccessError unless the current user may read every complaint
        ``self`` points to (only the links given in ``vals`` on write)."""
        if self.env.su or not self:
            return
        names = [
            name
            for name in self._iso10002_complaint_link_fields()
            if vals is None or name in vals
        ]
        if not names:
            return
        tickets = self.env["helpdesk.ticket"]
        for name in names:
            tickets |= self.sudo()[name]
        tickets.with_env(self.env).check_access("read")
