from odoo import api, models


class ReportIso10002Review(models.AbstractModel):
    """The management review report: every 8.6.2 input with its figures and
    simple charts, every 8.6.3 output."""

    _name = "report.iso10002_complaints.report_review"
    _description = "Management Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        reviews = self.env["iso10002.review"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "iso10002.review",
            "docs": reviews,
            "bar": self._bar_width,
        }

    @api.model
    def _bar_width(self, line):
        """Width (0-100) of a server-rendered bar for a percentage KPI."""
        if line.unit != "percent" or not line.has_value:
            return 0
        return max(0, min(100, round(line.value)))
