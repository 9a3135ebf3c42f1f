from odoo import api, models

# a bar's colour by the status of its objective (the legend says which)
BAR_COLOURS = {
    "green": "#2e7d32",
    "amber": "#e65100",
    "red": "#e65100",
    "none": "#26547c",
}


class ReportIso10002Review(models.AbstractModel):
    """The management review report: every 8.6.2 input with its figures and
    simple charts (percentages as bars on a 0-100 % axis, with the target
    marked and a legend), every 8.6.3 output."""

    _name = "report.iso10002_complaints.report_review"
    _description = "Management Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        reviews = self.env["iso10002.review"].browse(docids)
        return dict(
            self.env["report.iso10002_complaints.layout"]._layout_values(),
            doc_ids=docids,
            doc_model="iso10002.review",
            docs=reviews,
            bar=self._bar_width,
            colours=BAR_COLOURS,
        )

    @api.model
    def _bar_width(self, line):
        """Width (0-100) of a server-rendered bar for a percentage KPI."""
        if line.unit != "percent" or not line.has_value:
            return 0
        return max(0, min(100, round(line.value)))
