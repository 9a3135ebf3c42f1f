from odoo import api, fields, models
from odoo.exceptions import UserError
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
    evidence_view_id = fields.Many2one(
        comodel_name="ir.ui.view",
        string="Evidence Columns",
        domain="[('type', '=', 'list'), ('model', '=', evidence_model)]",
        groups="base.group_system",
        help="The list that shows the evidence with the columns proving the clause.",
    )
    evidence_report_id = fields.Many2one(
        comodel_name="ir.actions.actions",
        groups="base.group_system",
        help="The report (or the wizard that prints it) an auditor takes away as "
        "the clause's evidence.",
    )
    has_evidence_report = fields.Boolean(compute="_compute_has_evidence_report")
    kpi_code = fields.Char(string="KPI Code", help="KPI code measuring the clause.")
    kpi_name = fields.Char(string="KPI", compute="_compute_kpi_name")
    evidence_note = fields.Text(
        translate=True, help="Where else the evidence is (settings, documents)."
    )
    evidence_count = fields.Integer(compute="_compute_evidence_count")
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint(
        "unique(code)",
        "A clause code must be unique.",
    )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name}"

    def _compute_has_evidence_report(self):
        for clause in self:
            clause.has_evidence_report = bool(clause.sudo().evidence_report_id)

    @api.depends("kpi_code")
    @api.depends_context("lang")
    def _compute_kpi_name(self):
        kpis = self.env["iso10002.kpi"]._definitions()
        for clause in self:
            kpi = kpis.get(clause.kpi_code or "")
            clause.kpi_name = kpi.name if kpi else clause.kpi_code or False

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
            "views": [(self.sudo().evidence_view_id.id, "list"), (False, "form")],
            "domain": self._evidence_domain(),
        }

    def action_print_evidence(self):
        """The clause's evidence report over its evidence records, or the
        wizard that asks for the period first (the complaint register)."""
        self.ensure_one()
        # the link is technical (admins set it); printing is the reader's
        action = self.sudo().evidence_report_id
        if not action:
            raise UserError(
                self.env._(
                    "Clause %(clause)s has no evidence report.", clause=self.code
                )
            )
        if action.type != "ir.actions.report":
            return self.env[action.type].browse(action.id)._get_action_dict()
        report = self.env["ir.actions.report"].sudo().browse(action.id)
        records = self.env[report.model].search(self._evidence_domain())
        if not records:
            raise UserError(
                self.env._(
                    "There is nothing to print for clause %(clause)s yet: it has "
                    "no evidence records.",
                    clause=self.code,
                )
            )
        return report.report_action(records)
