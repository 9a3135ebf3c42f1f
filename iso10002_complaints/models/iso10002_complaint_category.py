from odoo import api, fields, models


class Iso10002ComplaintCategory(models.Model):
    """Annex D §4 problem categories (1-35), shipped as data, extendable."""

    _name = "iso10002.complaint.category"
    _description = "Complaint Category (ISO 10002 Annex D)"
    _order = "sequence, code, id"
    _rec_names_search = ["name", "code"]

    code = fields.Char(required=True, help="Annex D number, or your own code.")
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    signals_safety = fields.Boolean(
        string="Signals Health and Safety",
        help="A complaint of this category is handled as health and safety from "
        "its receipt: the urgent deadlines apply at once and the management "
        "representative is alerted (ISO 10002 4.4).",
    )
    is_confidential = fields.Boolean(
        string="Confidential",
        help="Complaints of this category are confidential by default.",
    )
    ticket_count = fields.Integer(string="Complaints", compute="_compute_ticket_count")

    _code_uniq = models.Constraint(
        "unique(code)",
        "A complaint category code must be unique.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for category in self:
            category.display_name = f"{category.code}. {category.name}"

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("complaint_category_id", "in", self.ids)],
                ["complaint_category_id"],
                ["__count"],
            )
        )
        for category in self:
            category.ticket_count = counts.get(category, 0)
