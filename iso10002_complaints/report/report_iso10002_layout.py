"""What the reports do where wkhtmltopdf has no patched Qt (Debian's build).

An unpatched wkhtmltopdf ignores the letterhead's header and footer: the
company, the document and "Page x of y" would vanish, and the space reserved
for the header stays blank. The reports therefore name the company and the
document in their body, start each part on a new page under a running head
("Part x of y"), and, without patched Qt, ask for a narrow top margin. The
page numbers of the footer appear where the patched build is installed
(README: "PDF reports").
"""

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _wkhtml

# top margin (mm) and header spacing when no header can be drawn
UNPATCHED_MARGIN_TOP = 12
UNPATCHED_HEADER_SPACING = 4


def wkhtmltopdf_has_patched_qt():
    """Whether the installed wkhtmltopdf draws headers and footers (its
    version line says "with patched qt"); Odoo asks it once per process."""
    return _wkhtml().is_patched_qt


class ReportIso10002Layout(models.AbstractModel):
    _name = "report.iso10002_complaints.layout"
    _description = "ISO 10002 Report Layout"

    @api.model
    def _layout_values(self):
        """Values every ISO 10002 report adds to its rendering context."""
        patched = wkhtmltopdf_has_patched_qt()
        values = {"iso10002_patched_qt": patched}
        if not patched:
            values.update(
                data_report_margin_top=UNPATCHED_MARGIN_TOP,
                data_report_header_spacing=UNPATCHED_HEADER_SPACING,
            )
        return values
