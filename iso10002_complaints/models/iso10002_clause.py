from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval


class Iso10002Clause(models.Model):
    """The clause register: each ISO 10002 requirement in plain words and
    where the system keeps its evidence (records, a KPI, configuration)."""

    _name = "iso10002.clause"
    _description = "ISO 10002 Clause"
    _order = "sequence, code"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, help="Requirement id, e.g. R-7.4.")
    name = fields.Char(string="Title", required=True, translate=True)
    requirement = fields.Text(
        translate=True, help="What the clause asks, in plain words."
    )
    sequence = fields.Integer(default=10)
    evidence_model = fields.Char(
        help="Technical name of the model whose records are the evidence."
    )
    evidence_domain = fields.Char(default="[]")
    evidence_url = fields.Char(
        string="Evidence Page",
        help="A page of the site that is the evidence (e.g. /complaints).",
    )
    kpi_code = fields.Char(string="KPI", help="KPI code measuring the clause.")
    evidence_note = fields.Text(
        translate=True, help="Where else the evidence is (settings, documents)."
    )
    evidence_count = fields.Integer(compute="_compute_evidence_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A clause code must be unique."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name}"

    def _evidence_domain(self):
        self.ensure_one()
        return safe_eval(self.evidence_domain or "[]")

    def _compute_evidence_count(self):
        for clause in self:
            model = clause.evidence_model
            if model and model in self.env:
                clause.evidence_count = self.env[model].search_count(
                    clause._evidence_domain()
                )
            else:
                clause.evidence_count = 0

    def action_open_evidence_page(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.evidence_url, "target": "new"}

    def action_open_evidence(self):
        self.ensure_one()
        if not self.evidence_model and self.evidence_url:
            return {"type": "ir.actions.act_url", "url": self.evidence_url}
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": self.evidence_model,
            "view_mode": "list,form",
            "domain": self._evidence_domain(),
        }
