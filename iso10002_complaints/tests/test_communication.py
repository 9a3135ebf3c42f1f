"""Keeping people informed: the interim response actually sent and dated
(ISO 10002 7.7), the staff named in a complaint told of its progress and
outcome (C.2, 7.8), and the remedies still on offer settled before closing
(7.7, 7.9)."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestKeepingInformed(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.named = new_test_user(
            cls.env, "iso_named", groups="base.group_user", name="Nico Named"
        )

    def test_r_7_7_interim_response_is_sent_and_dated(self):
        complaint = self._new_complaint(user=self.agent)
        complaint = complaint.with_user(self.agent)
        with self.assertRaisesMessage(UserError, "Write the interim response"):
            complaint.action_iso10002_send_interim_response()
        complaint.interim_response = "Our technician visits on Monday."
        complaint.action_iso10002_send_interim_response()
        self.assertTrue(complaint.interim_response_on)
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)],
            order="id desc",
            limit=1,
        )
        self.assertIn("technician visits on Monday", mail.body_html)
        self.assertIn(self.complainant, mail.recipient_ids)
        with self.assertRaises(UserError):
            complaint.write({"interim_response_on": False})
        # without an e-mail address, recorded for the agent to give it
        self.complainant.email = False
        other = self._new_complaint(user=self.agent).with_user(self.agent)
        other.interim_response = "We call you back tomorrow."
        other.action_iso10002_send_interim_response()
        self.assertIn("by phone or letter", other.message_ids[0].body)
        # not after the decision
        self._to_decision_communicated(other)
        with self.assertRaisesMessage(UserError, "already communicated"):
            other.action_iso10002_send_interim_response()

    def test_c_2_named_staff_hear_of_progress_and_outcome(self):
        complaint = self._new_complaint(concerned_user_ids=[(6, 0, self.named.ids)])
        statement = complaint.staff_statement_ids
        self.assertEqual(statement.user_id, self.named)
        before = len(statement.message_ids)
        self._to_decision_communicated(complaint)
        self._answer(complaint, "accepted")
        complaint.action_iso10002_close()
        updates = statement.message_ids[: len(statement.message_ids) - before]
        bodies = " | ".join(updates.mapped("body"))
        self.assertIn("investigation", bodies)
        self.assertIn("was sent to the complainant", bodies)
        self.assertIn("is closed", bodies)
        # without consent to sharing, the decision is not quoted
        self.assertNotIn("Replace the kettle", bodies)
        for update in updates:
            self.assertIn(self.named.partner_id, update.partner_ids)
        # the named staff member reads the updates on their account
        mine = statement.with_user(self.named)
        self.assertEqual(len(mine.message_ids), len(statement.message_ids))

    def test_r_7_9_remedies_on_offer_are_settled_before_closing(self):
        complaint = self._new_complaint()
        complaint.remedy_ids = [
            (0, 0, {"remedy_id": self.env.ref("iso10002_complaints.remedy_52").id})
        ]
        self._to_decision_communicated(complaint)
        remedy = complaint.remedy_ids
        self.assertEqual(remedy.state, "proposed")
        self._answer(
            complaint,
            "rejected",
            rejection_reason="Not enough",
            review_type="internal_review",
        )
        complaint.write(
            {"review_result": "exhausted", "review_notes": "Decision kept."}
        )
        with self.assertRaisesMessage(UserError, "still on offer"):
            complaint.action_iso10002_close()
        remedy.action_decline()
        complaint.action_iso10002_close()
        self.assertEqual(complaint.iso10002_step, "closed")
