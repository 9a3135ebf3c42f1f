"""The audit pack: one archive of the records an external auditor takes
away for a period (ISO 10002 8.1, 8.5, Annex H)."""

import base64
import io
import zipfile
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAuditPack(ComplaintCase):
    def test_r_8_5_audit_pack_holds_every_record_of_the_period(self):
        today = fields.Date.context_today(self.manager)
        complaint = self._new_complaint()
        self.env["iso10002.training"].create(
            {"user_id": self.agent.id, "course": "Pack course", "date": today}
        )
        audit = self.env["iso10002.audit"].create(
            {
                "name": "Pack audit",
                "scope": "Everything",
                "date_from": today - timedelta(days=30),
                "date_to": today,
                "planned_date": today,
                "lead_auditor_id": self.auditor.id,
            }
        )
        self.env["iso10002.action"].create(
            {"name": "Pack action", "owner_id": self.agent.id}
        )
        wizard = (
            self.env["iso10002.audit.pack.wizard"]
            .with_user(self.auditor)
            .create({"date_from": today - timedelta(days=30), "date_to": today})
        )
        action = wizard.action_build()
        self.assertIn(f"id={wizard.id}", action["url"])
        self.assertTrue(wizard.pack_name.endswith(".zip"))
        pack = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.pack_file)))
        names = pack.namelist()
        for name in (
            "00-contents.txt",
            "01-register.pdf",
            "01-register.xlsx",
            "02-kpis.xlsx",
            "05-corrective-actions.pdf",
            "05-corrective-actions.xlsx",
            "06-training.pdf",
            "06-training.xlsx",
            "07-objectivity-samples.xlsx",
            f"03-audits/Pack_audit-{audit.id}.pdf",
        ):
            self.assertIn(name, names)
        contents = pack.read("00-contents.txt").decode()
        self.assertIn("Aude Auditor", contents)

        def strings(name):
            with zipfile.ZipFile(io.BytesIO(pack.read(name))) as book:
                return book.read("xl/sharedStrings.xml").decode()

        self.assertIn(complaint.complaint_reference, strings("01-register.xlsx"))
        self.assertIn("Pack course", strings("06-training.xlsx"))
        self.assertIn("Pack action", strings("05-corrective-actions.xlsx"))
        self.assertIn("acknowledged_in_time_share", strings("02-kpis.xlsx"))
        self.assertIn(b"Pack action", pack.read("05-corrective-actions.pdf"))
        self.assertIn(b"Pack course", pack.read("06-training.pdf"))
        audit_file = pack.read(f"03-audits/Pack_audit-{audit.id}.pdf")
        self.assertIn(b"Pack audit", audit_file)

    def test_audit_pack_roles_and_period(self):
        with self.assertRaises(AccessError):
            self.env["iso10002.audit.pack.wizard"].with_user(self.agent).create({})
        wizard = (
            self.env["iso10002.audit.pack.wizard"].with_user(self.manager).create({})
        )
        wizard.date_to = wizard.date_from - timedelta(days=1)
        with self.assertRaisesMessage(UserError, "ends before it starts"):
            wizard.action_build()
