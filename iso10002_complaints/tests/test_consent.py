"""Consent on every channel (ISO 10002 4.7): how the complainant agreed to
the use of their personal data is recorded for phone, visit, letter and
e-mail complaints too, with its evidence, and exports and the dossier follow
it."""

import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestConsent(ComplaintCase):
    def _record(self, complaint, user, **values):
        wizard = (
            self.env["iso10002.consent.wizard"]
            .with_user(user)
            .with_context(default_ticket_id=complaint.id)
            .create(values)
        )
        wizard.action_confirm()
        return wizard

    def test_r_4_7_phone_consent_recorded_with_its_evidence(self):
        complaint = self._new_complaint(user=self.agent)
        self.assertFalse(complaint.consent_scope)
        action = complaint.with_user(self.agent).action_iso10002_record_consent()
        self.assertEqual(action["res_model"], "iso10002.consent.wizard")
        defaults = (
            self.env["iso10002.consent.wizard"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .default_get(["ticket_id", "channel", "scope"])
        )
        self.assertEqual(defaults["channel"], "phone")  # the complaint's channel
        self._record(
            complaint,
            self.agent,
            scope="sharing",
            evidence="Agreed on the phone at 10:32 after I read the consent text.",
            proof=base64.b64encode(b"call log"),
            proof_name="call-log.txt",
        )
        self.assertEqual(complaint.consent_scope, "sharing")
        self.assertEqual(complaint.consent_channel, "phone")
        self.assertEqual(complaint.consent_recorded_by_id, self.agent)
        self.assertTrue(complaint.consent_date)
        self.assertIn("10:32", complaint.consent_evidence)
        note = complaint.message_ids[0]
        self.assertIn("Consent recorded", note.body)
        self.assertEqual(note.attachment_ids.name, "call-log.txt")
        # the complainant later withdraws consent to sharing: recorded the same way
        self._record(
            complaint,
            self.agent,
            scope="handling",
            channel="email",
            evidence="E-mail of 3 May: no longer agrees to sharing.",
        )
        self.assertEqual(complaint.consent_scope, "handling")
        self.assertEqual(complaint.consent_channel, "email")
        self.assertEqual(
            len(
                complaint.message_ids.filtered(
                    lambda m: "Consent recorded" in (m.body or "")
                )
            ),
            2,
        )

    def test_r_4_7_consent_is_recorded_only_through_its_action(self):
        complaint = self._new_complaint(user=self.agent)
        for values in (
            {"consent_scope": "sharing"},
            {"consent_channel": "visit"},
            {"consent_evidence": "Typed in"},
            {"consent_recorded_by_id": self.manager.id},
        ):
            with self.assertRaises(UserError):
                complaint.with_user(self.manager).write(values)
        with self.assertRaises(AccessError):
            self._new_complaint(user=self.agent, consent_scope="sharing")
        with self.assertRaisesMessage(UserError, "how the complainant gave"):
            self._record(complaint, self.agent, scope="sharing", evidence="  ")
        for user in (self.auditor, self.employee):
            with self.assertRaises(UserError):  # AccessError is one
                self._record(complaint, user, scope="sharing", evidence="Said yes")
        self.assertFalse(complaint.consent_scope)

    def test_r_4_7_exports_and_dossier_follow_the_consent(self):
        complaint = self._new_complaint(user=self.agent, user_id=self.agent.id)
        self.agent.group_ids |= self.env.ref("base.group_allow_export")

        def exported():
            return complaint.with_user(self.agent).export_data(["partner_id/name"])[
                "datas"
            ][0][0]

        self.assertEqual(exported(), "(withheld)")
        self._record(
            complaint, self.agent, scope="sharing", evidence="Signed the letter."
        )
        self.assertEqual(exported(), "Chloe Complainant")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "iso10002_complaints.action_report_iso10002_complaint_dossier",
                complaint.ids,
            )[0]
            .decode()
        )
        self.assertIn("Chloe Complainant", html)
        self.assertIn("Ada Agent", html)  # recorded by
        self._record(
            complaint, self.agent, scope="handling", evidence="Withdrew sharing."
        )
        self.assertEqual(exported(), "(withheld)")
