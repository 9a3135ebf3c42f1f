from odoo import api, models
from odoo.tools import format_date


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
            sample_criteria=self._sample_criteria,
            references=self._references,
        )

    @api.model
    def _references(self, audit):
        """The reference documents besides ISO 10002, in the report's
        language (the lead auditor's): the clause register and the policy
        version audited against."""
        env = self.with_context(lang=audit.lead_auditor_id.lang or self.env.lang).env
        _ = env._
        clauses = audit.finding_ids.clause_id.sorted()
        references = [
            _(
                "The clause register: %(count)s clauses, from %(first)s to "
                "%(last)s (the criteria below).",
                count=len(clauses),
                first=clauses[:1].code or "-",
                last=clauses[-1:].code or "-",
            )
        ]
        policy = audit.policy_id.with_env(env)
        if policy:
            references.append(
                _(
                    "%(policy)s, approved on %(date)s by %(user)s.",
                    policy=policy.display_name,
                    date=format_date(env, policy.approved_on),
                    user=policy.approved_by_id.name,
                )
            )
        else:
            references.append(_("No approved complaints-handling policy."))
        return references

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
