from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class Iso10002Settings(models.TransientModel):
    """The complaints-handling settings of a company for its complaints
    managers, who are not Odoo administrators (ISO 10002 5.3.2): the
    addon's block of the Helpdesk settings, without the rest of the Settings
    app. Saving writes the company's settings after the role check."""

    _name = "iso10002.settings"
    _inherit = ["iso10002.settings.mixin"]
    _description = "Complaints Handling Settings"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        company_values = [self._iso10002_company_values(vals) for vals in vals_list]
        records = super().create(vals_list)
        for record, values in zip(records, company_values, strict=True):
            record._iso10002_save(values)
        return records

    def write(self, vals):
        vals = dict(vals)
        values = self._iso10002_company_values(vals)
        result = super().write(vals)
        for record in self:
            record._iso10002_save(values)
        return result

    def _iso10002_save(self, values):
        self._check_can_configure()
        self._check_representative(values.get("iso10002_management_representative_id"))
        if values:
            self.company_id.sudo().write(values)

    def _check_representative(self, user_id):
        """The management representative, who is told of every escalation,
        is one of the company's complaints managers (ISO 10002 5.3.2)."""
        user = self.env["res.users"].sudo().browse(user_id)
        if user and not (
            user.has_group("iso10002_complaints.group_iso10002_manager")
            and self.company_id in user.company_ids
        ):
            raise UserError(
                self.env._(
                    "%(user)s is not a complaints manager of %(company)s: name one "
                    "as management representative.",
                    user=user.name,
                    company=self.company_id.name,
                )
            )

    def _check_can_configure(self):
        user = self.env.user
        if self.env.su:
            return
        if not user.has_group("iso10002_complaints.group_iso10002_manager") or (
            self.company_id not in user.company_ids
        ):
            raise AccessError(
                self.env._(
                    "Only a complaints manager of %(company)s changes its "
                    "complaints-handling settings.",
                    company=self.company_id.name,
                )
            )

    def action_save(self):
        """The values were written when the form saved the record."""
        return {"type": "ir.actions.client", "tag": "soft_reload"}
