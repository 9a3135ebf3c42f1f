from odoo import api, models


class ReportIso10002Complaint(models.AbstractModel):
    """The complaint dossier: the Annex D investigation form filled from the
    record."""

    _name = "report.iso10002_complaints.report_complaint_dossier"
    _description = "Complaint Dossier"

    @api.model
    def _get_report_values(self, docids, data=None):
        complaints = self.env["helpdesk.ticket"].browse(docids)
        labels = {}
        for name in (
            "severity",
            "complexity",
            "impact",
            "assessment_outcome",
            "communication_channel",
            "complainant_response",
            "review_type",
            "subject",
        ):
            labels[name] = dict(
                complaints._fields[name]._description_selection(self.env)
            )
        return {
            "doc_ids": docids,
            "doc_model": "helpdesk.ticket",
            "docs": complaints.filtered("is_complaint"),
            "labels": labels,
        }
