from odoo import api, models


class ReportIso10002Policy(models.AbstractModel):
    """The complaints-handling policy as printed (ISO 10002 5.2): its
    version, approval and signatures, and the time limits published from the
    SLA policies, the one source of the durations it promises."""

    _name = "report.iso10002_complaints.report_policy"
    _description = "Complaints-Handling Policy Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        policies = self.env["iso10002.policy"].browse(docids)
        Ticket = self.env["helpdesk.ticket"]
        return dict(
            self.env["report.iso10002_complaints.layout"]._layout_values(),
            doc_ids=docids,
            doc_model="iso10002.policy",
            docs=policies,
            sla_rows={
                company.id: Ticket._iso10002_sla_rows(company)
                for company in policies.company_id
            },
        )
