import re

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

REF = re.compile(r"^CMP/\d{4}/\d{5}$")


@tagged("post_install", "-at_install")
class TestComplaintReceipt(ComplaintCase):
    def test_r_7_2_reference_and_receipt_data(self):
        complaint = self._new_complaint(user=self.agent)
        self.assertTrue(complaint.is_complaint)
        self.assertRegex(complaint.complaint_reference, REF)
        self.assertEqual(complaint.number, complaint.complaint_reference)
        self.assertEqual(complaint.received_by_id, self.agent)
        self.assertTrue(complaint.received_at)
        self.assertEqual(complaint.iso10002_step, "received")
        self.assertEqual(complaint.stage_id, self.stage["received"])
        self.assertEqual(
            (complaint.expected_response_date - complaint.received_at.date()).days, 10
        )

    def test_r_7_2_references_are_sequential_per_company(self):
        first, second = self.env["helpdesk.ticket"].create(
            [self._complaint_vals(), self._complaint_vals(name="Second")]
        )
        n1 = int(first.complaint_reference.rsplit("/", 1)[1])
        n2 = int(second.complaint_reference.rsplit("/", 1)[1])
        self.assertEqual(n2, n1 + 1)
        other = self.env["res.company"].create({"name": "Other Co"})
        other_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Other complaints", "is_iso10002": True, "company_id": other.id}
        )
        foreign = self.env["helpdesk.ticket"].create(
            self._complaint_vals(team_id=other_team.id)
        )
        self.assertEqual(foreign.company_id, other)
        self.assertTrue(foreign.complaint_reference.endswith("/00001"))

    def test_r_7_2_reference_unique_in_database(self):
        complaint = self._new_complaint()
        other = self._new_complaint(name="Another")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            other.sudo().write({"complaint_reference": complaint.complaint_reference})
            other.flush_recordset()

    def test_r_3_complainant_partner_from_email(self):
        complaint = self.env["helpdesk.ticket"].create(
            self._complaint_vals(
                partner_id=False,
                partner_name="Noa New",
                partner_email="noa@example.org",
            )
        )
        self.assertEqual(complaint.partner_id.email, "noa@example.org")
        self.assertEqual(complaint.partner_id.name, "Noa New")
        again = self.env["helpdesk.ticket"].create(
            self._complaint_vals(partner_id=False, partner_email="NOA@example.org")
        )
        self.assertEqual(again.partner_id, complaint.partner_id)

    def test_r_7_2_receipt_requires_complainant_and_channel(self):
        with self.assertRaisesMessage(UserError, "Contact.*Channel|Channel.*Contact"):
            self.env["helpdesk.ticket"].create(
                self._complaint_vals(partner_id=False, channel_id=False)
            )

    def test_r_3_subject_can_be_the_handling_process(self):
        complaint = self._new_complaint(
            subject="process",
            complaint_category_id=self.env.ref(
                "iso10002_complaints.complaint_category_34"
            ).id,
        )
        self.assertEqual(complaint.subject, "process")
        self.assertEqual(complaint.complaint_category_id.code, "34")

    def test_annex_d_catalogue(self):
        categories = self.env["iso10002.complaint.category"].search([])
        codes = {int(c.code) for c in categories if c.code.isdigit()}
        self.assertTrue(set(range(1, 36)) <= codes)
        self.assertEqual(self.category.display_name, "5. Defective product")
        self.assertEqual(
            self.env["iso10002.complaint.category"].name_search("Defective")[0][0],
            self.category.id,
        )

    def test_ticket_moved_into_complaints_team_becomes_complaint(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "<p>Where is my order?</p>",
                "team_id": self.plain_team.id,
                "partner_id": self.complainant.id,
                "channel_id": self.channel_phone.id,
            }
        )
        self.assertFalse(ticket.is_complaint)
        ticket.team_id = self.team
        self.assertTrue(ticket.is_complaint)
        self.assertRegex(ticket.complaint_reference, REF)
        self.assertEqual(ticket.iso10002_step, "received")
        with self.assertRaisesMessage(ValidationError, "must stay in a team"):
            ticket.team_id = self.plain_team
