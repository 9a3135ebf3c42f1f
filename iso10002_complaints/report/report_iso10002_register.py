from odoo import api, models


class ReportIso10002Register(models.AbstractModel):
    """The complaint register of a period, with its numbering gaps (ISO 10002
    7.2, 8.1)."""

    _name = "report.iso10002_complaints.report_register"
    _description = "Complaint Register Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        wizards = self.env["iso10002.register.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "iso10002.register.wizard",
            "docs": wizards,
            "registers": {wizard.id: wizard._rows() for wizard in wizards},
            "columns": self.env["iso10002.register.wizard"]._columns(),
        }
