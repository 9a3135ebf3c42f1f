from odoo import api, fields, models

from .iso10002_data import REMEDY_KINDS


class Iso10002Remedy(models.Model):
    """The remedy catalogue: ISO 10002 Annex E.1 kinds and the Annex D §6
    remedies 36-53, shipped as data that admins extend (noupdate)."""

    _name = "iso10002.remedy"
    _description = "Remedy (ISO 10002 Annex E)"
    _order = "sequence, code, id"
    _rec_names_search = ["name", "code"]

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(selection=REMEDY_KINDS, required=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    has_amount = fields.Boolean(
        string="Carries an Amount",
        help="The remedy is a sum of money (refund, compensation, price "
        "reduction): each line states its amount and currency.",
    )
    needs_approval = fields.Boolean(
        string="Approval Above the Limit",
        help="A line above the company's approval limit must be approved by a "
        "complaints manager before it is offered.",
    )
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "unique(code)",
        "A remedy code must be unique.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for remedy in self:
            remedy.display_name = f"{remedy.code}. {remedy.name}"
