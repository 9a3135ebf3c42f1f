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
        records._iso10002_linked_complaints()._iso10002_check_linkable()
        return records

    def write(self, vals):
        names = [n for n in self._iso10002_complaint_link_fields() if n in vals]
        before = self._iso10002_linked_complaints(names) if names else None
        result = super().write(vals)
        if names:
            # only the complaints this write adds: those linked by someone
            # else before stay as they are
            added = self._iso10002_linked_complaints(names) - before
            added._iso10002_check_linkable()
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

    def _iso10002_linked_complaints(self, names=None):
        """The tickets ``self`` points to, as the current user."""
        tickets = self.env["helpdesk.ticket"]
        if self.env.su or not self:
            return tickets
        for name in self._iso10002_complaint_link_fields():
            if names is None or name in names:
                tickets |= self.sudo()[name]
        return tickets.with_env(self.env)
