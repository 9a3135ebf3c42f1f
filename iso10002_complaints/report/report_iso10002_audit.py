from odoo import api, models


class ReportIso10002Audit(models.AbstractModel):
    """The audit report: the plan (team, objectives, scope, reference
    documents), the findings by criterion with their evidence, the sample
    examined, the KPIs of the audited period, the conclusions and the
    signatures (ISO 10002 8.5)."""

    _name = "report.iso10002_complaints.report_audit"
    _description = "Audit Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        audits = self.env["iso10002.audit"].browse(docids)
        Kpi = self.env["iso10002.kpi"]
        results = dict(
            self.env["iso10002.audit.finding"]
            ._fields["result"]
            ._description_selection(self.env)
        )
        return dict(
            self.env["report.iso10002_complaints.layout"]._layout_values(),
            doc_ids=docids,
            doc_model="iso10002.audit",
            docs=audits,
            kpis={audit.id: audit._kpis() for audit in audits},
            definitions=Kpi._definitions(),
            results=results,
            result_of=self._result_of,
            clauses=self.env["iso10002.clause"].search([]),
            sample_criteria=self._sample_criteria,
        )

    @api.model
    def _result_of(self, finding):
        """The result a finding shows: a verdict without evidence is not an
        assessment."""
        if finding.result and finding._has_evidence():
            return finding.result
        return "not_assessed"

    @api.model
    def _sample_criteria(self, audit, complaint):
        """The clauses for which the auditors examined ``complaint``."""
        findings = audit.finding_ids.filtered(
            lambda f, complaint=complaint: complaint in f.ticket_ids
        )
        return ", ".join(f.clause_id.code or f.criterion for f in findings)
