"""The complaint register of a period (ISO 10002 7.2, 8.1): every complaint
received, withdrawn and archived ones included, with the numbering gaps
flagged, as a PDF or a spreadsheet an auditor can take away."""

import base64
import re

from odoo import api, fields, models

from ..models import iso10002_data as iso
from ..report import iso10002_xlsx

NUMBERED = re.compile(r"^(.*?)(\d+)$")


class Iso10002RegisterWizard(models.TransientModel):
    _name = "iso10002.register.wizard"
    _inherit = ["iso10002.period.wizard"]
    _description = "Complaint Register"

    date_from = fields.Date(string="Received From")
    date_to = fields.Date(string="Received To")
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        domain=[("is_iso10002", "=", True)],
        help="Empty: every complaints team of the company.",
    )
    xlsx_file = fields.Binary(string="Spreadsheet", readonly=True, attachment=False)
    xlsx_name = fields.Char(readonly=True)

    def _complaints(self):
        self.ensure_one()
        start, end = self.env["iso10002.kpi"]._period_bounds(
            self.date_from, self.date_to
        )
        domain = [
            ("is_complaint", "=", True),
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", start),
            ("received_at", "<", end),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        return (
            self.env["helpdesk.ticket"]
            .with_context(active_test=False)
            .search(domain, order="complaint_reference, id")
        )

    def _gaps(self, complaints):
        """The references missing between the first and the last reference of
        the period, for each numbering prefix (one a year)."""
        gaps = set(self.company_id._iso10002_reference_gaps())
        bounds = {}
        for reference in complaints.mapped("complaint_reference"):
            match = NUMBERED.match(reference or "")
            if match:
                prefix, number = match.group(1), int(match.group(2))
                low, high = bounds.get(prefix, (number, number))
                bounds[prefix] = (min(low, number), max(high, number))
        missing = []
        for gap in sorted(gaps):
            match = NUMBERED.match(gap)
            low, high = bounds.get(match.group(1), (1, 0))
            if low <= int(match.group(2)) <= high:
                missing.append(gap)
        return missing

    @api.model
    def _labels(self, field_name):
        Ticket = self.env["helpdesk.ticket"]
        return dict(Ticket._fields[field_name]._description_selection(self.env))

    def _rows(self):
        """One row per complaint: what the register says of it."""
        self._check_period()
        complaints = self._complaints()
        steps = self._labels("iso10002_step")
        severities = self._labels("severity")
        answers = self._labels("complainant_response")
        tz_user = self.env.user

        def local(value):
            return (
                fields.Datetime.context_timestamp(tz_user, value).strftime(
                    "%Y-%m-%d %H:%M"
                )
                if value
                else ""
            )

        rows = []
        for complaint in complaints:
            status = steps.get(complaint.iso10002_step, "")
            if complaint.withdrawn_on:
                status = self.env._("Withdrawn")
            rows.append(
                {
                    "reference": complaint.complaint_reference or complaint.number,
                    "received": local(complaint.received_at),
                    "channel": complaint.channel_id.name or "",
                    "category": complaint.complaint_category_id.display_name or "",
                    "team": complaint.team_id.name or "",
                    "severity": severities.get(complaint.severity, ""),
                    "status": status,
                    "decided": local(complaint.decided_on),
                    "answer": answers.get(complaint.complainant_response, ""),
                    "closed": local(complaint.closed_date)
                    if complaint.iso10002_step == iso.STEP_CLOSED
                    else "",
                    "reopened": complaint.reopen_count or "",
                    "archived": complaint.archive_reason or ""
                    if not complaint.active
                    else "",
                }
            )
        return rows, self._gaps(complaints)

    @api.model
    def _columns(self):
        # (a dict: Odoo 19's term extractor takes a literal that follows a
        # translated one in a list of pairs for a term of its own)
        _ = self.env._
        return list(
            {
                "reference": _("Reference"),
                "received": _("Received"),
                "channel": _("Channel"),
                "category": _("Category"),
                "team": _("Team"),
                "severity": _("Severity"),
                "status": _("Status"),
                "decided": _("Decided"),
                "answer": _("Complainant's answer"),
                "closed": _("Closed"),
                "reopened": _("Reopened"),
                "archived": _("Archived (reason)"),
            }.items()
        )

    def action_print_pdf(self):
        self._check_period()
        return self.env.ref(
            "iso10002_complaints.action_report_iso10002_register"
        ).report_action(self)

    def _sheets(self):
        """The register and its numbering gaps, as spreadsheet sheets."""
        rows, gaps = self._rows()
        columns = self._columns()
        return [
            (
                self.env._("Register"),
                self._title(),
                [label for __, label in columns],
                [[row[key] for key, __ in columns] for row in rows],
            ),
            (
                self.env._("Numbering gaps"),
                self.env._("References drawn for no complaint"),
                [self.env._("Missing reference")],
                [[gap] for gap in gaps]
                or [[self.env._("None: the numbering is complete.")]],
            ),
        ]

    def action_download_xlsx(self):
        self.ensure_one()
        self.write(
            {
                "xlsx_file": base64.b64encode(iso10002_xlsx.workbook(self._sheets())),
                "xlsx_name": f"{self._file_stem()}.xlsx",
            }
        )
        return iso10002_xlsx.download(self, "xlsx_file", "xlsx_name")

    def _title(self):
        return self.env._(
            "Complaint register of %(company)s, received %(start)s to %(end)s",
            company=self.company_id.name,
            start=self.date_from,
            end=self.date_to,
        )

    def _file_stem(self):
        return self.env._(
            "Complaint register %(start)s %(end)s",
            start=self.date_from,
            end=self.date_to,
        )
