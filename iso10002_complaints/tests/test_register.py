"""The complaint register of a period as PDF and spreadsheet (ISO 10002
7.2, 8.1, R-8.5): every complaint received, withdrawn and archived ones
included, with the references missing from the numbering flagged."""

import base64
import io
import zipfile

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintRegister(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["helpdesk.ticket"]
        cls.first = Ticket.create(cls._complaint_vals(name="First"))
        # a reference drawn for nothing: the gap the register must show
        cls.lost = cls.company._iso10002_take_complaint_references(1)[0]
        cls.withdrawn = Ticket.create(
            cls._complaint_vals(name="Withdrawn", withdrawal_reason="Sorted out")
        )
        cls.withdrawn.with_user(cls.agent).action_iso10002_withdraw()
        cls.archived = Ticket.create(cls._complaint_vals(name="Archived"))
        cls.archived.with_user(cls.manager).write(
            {"active": False, "archive_reason": "Entered twice by mistake"}
        )
        cls.plain = Ticket.create(
            {"name": "Printer", "description": "<p>x</p>", "team_id": cls.plain_team.id}
        )

    def _wizard(self, user):
        return self.env["iso10002.register.wizard"].with_user(user).create({})

    def test_r_8_1_register_lists_every_complaint_and_flags_gaps(self):
        rows, gaps = self._wizard(self.manager)._rows()
        references = [row["reference"] for row in rows]
        for complaint in (self.first, self.withdrawn, self.archived):
            self.assertIn(complaint.complaint_reference, references)
        self.assertNotIn(self.plain.number, references)
        # the one gap among this test's references (others may exist before)
        ours = (self.first | self.archived).mapped("complaint_reference")
        self.assertEqual(
            [gap for gap in gaps if min(ours) < gap < max(ours)], [self.lost]
        )
        by_reference = {row["reference"]: row for row in rows}
        self.assertEqual(
            by_reference[self.withdrawn.complaint_reference]["status"], "Withdrawn"
        )
        self.assertEqual(
            by_reference[self.archived.complaint_reference]["archived"],
            "Entered twice by mistake",
        )

    def test_r_8_1_register_as_pdf_and_spreadsheet(self):
        wizard = self._wizard(self.auditor)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.auditor)
            ._render_qweb_html(
                "iso10002_complaints.action_report_iso10002_register", wizard.ids
            )[0]
            .decode()
        )
        self.assertIn(self.archived.complaint_reference, html)
        self.assertIn(self.lost, html)
        self.assertIn("explain each one", html)
        action = wizard.action_download_xlsx()
        self.assertIn(f"id={wizard.id}", action["url"])
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.xlsx_file))) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        for text in (self.withdrawn.complaint_reference, self.lost, "Withdrawn"):
            self.assertIn(text, strings)
        self.assertTrue(wizard.xlsx_name.endswith(".xlsx"))

    def test_register_roles_and_bad_period(self):
        for user in (self.agent, self.employee):
            with self.assertRaises(AccessError):
                self._wizard(user)
        wizard = self._wizard(self.manager)
        wizard.date_to = wizard.date_from.replace(year=wizard.date_from.year - 1)
        with self.assertRaisesMessage(UserError, "ends before it starts"):
            wizard.action_print_pdf()
