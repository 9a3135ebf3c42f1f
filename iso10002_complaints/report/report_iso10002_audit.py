from odoo import api, models


class ReportIso10002Audit(models.AbstractModel):
    """The audit report: scope, criteria, findings by clause, the KPIs of the
    audited period, actions and conclusion (ISO 10002 8.5)."""

    _name = "report.iso10002_complaints.report_audit"
    _description = "Audit Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        audits = self.env["iso10002.audit"].browse(docids)
        Kpi = self.env["iso10002.kpi"]
        definitions = Kpi._definitions()
        results = dict(
            self.env["iso10002.audit.finding"]
            ._fields["result"]
            ._description_selection(self.env)
        )
        return {
            "doc_ids": docids,
            "doc_model": "iso10002.audit",
            "docs": audits,
            "kpis": {audit.id: audit._kpis() for audit in audits},
            "definitions": definitions,
            "results": results,
        }
