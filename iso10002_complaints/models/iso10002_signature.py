from odoo import api, fields, models
from odoo.exceptions import AccessError


class Iso10002Signature(models.Model):
    """An electronic signature of an approval or a verification (R-8.1): who
    signed, when, in which role, and what the signature means ("Approved as
    top management"). Written by the action that signs, never edited."""

    _name = "iso10002.signature"
    _description = "Approval Signature"
    _order = "signed_on, id"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Integer(string="Document", required=True, readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Signed By", required=True, readonly=True
    )
    role = fields.Char(
        required=True, readonly=True, help="The role the signer held when signing."
    )
    meaning = fields.Char(required=True, readonly=True)
    signed_on = fields.Datetime(required=True, readonly=True)

    _document_idx = models.Constraint(
        "CHECK(res_id > 0)",
        "A signature signs a saved document.",
    )

    def init(self):
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS iso10002_signature_document_idx
                   ON iso10002_signature (res_model, res_id)"""
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_action()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_action()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_kept(self):
        self._check_written_by_action()

    def _check_written_by_action(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Signatures are given by the approval and verification "
                    "buttons and kept as they were given (ISO 10002 8.1)."
                )
            )
