from odoo import api, fields, models
from odoo.exceptions import AccessError


class Iso10002ReviewKpi(models.Model):
    """A KPI as it stood at a management review (8.6.2 input)."""

    _name = "iso10002.review.kpi"
    _inherit = ["iso10002.kpi.figure"]
    _description = "Management Review Performance Figure"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one(
        comodel_name="iso10002.review", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    kpi_code = fields.Char(string="KPI Code", required=True)
    name = fields.Char(string="KPI", required=True)
    status = fields.Selection(
        selection=[
            ("green", "Met"),
            ("amber", "Nearly met"),
            ("red", "Not met"),
            ("none", "No data"),
        ]
    )

    def _iso10002_figure_company(self):
        return self.review_id.company_id

    # ------------------------------------------------------------------
    # CRUD: the figures are assembled from the records, never typed
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_assembled()
        return super().create(vals_list)

    def write(self, vals):
        self._check_assembled()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_assembled(self):
        self._check_assembled()

    def _check_assembled(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "The figures of a management review are assembled from the "
                    "records (Assemble Inputs) and cannot be typed or changed."
                )
            )
