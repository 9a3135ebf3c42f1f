from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAccessRights(ComplaintCase):
    """R-5.3 roles: agent ⊂ manager ⊂ top management; auditor read-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls.env["helpdesk.ticket"].create(cls._complaint_vals())
        cls.plain = cls.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "<p>Out of toner</p>",
                "team_id": cls.plain_team.id,
            }
        )

    def test_r_5_3_group_chain(self):
        self.assertTrue(
            self.top.has_group("iso10002_complaints.group_iso10002_manager")
        )
        self.assertTrue(self.top.has_group("iso10002_complaints.group_iso10002_agent"))
        self.assertTrue(
            self.manager.has_group("iso10002_complaints.group_iso10002_agent")
        )
        self.assertFalse(
            self.agent.has_group("iso10002_complaints.group_iso10002_manager")
        )
        self.assertTrue(self.manager.has_group("helpdesk_mgmt.group_helpdesk_manager"))
        self.assertFalse(
            self.auditor.has_group("iso10002_complaints.group_iso10002_agent")
        )

    def test_r_5_3_4_agent_records_and_handles(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)
        self.assertIn(self.complaint, Ticket.search([("is_complaint", "=", True)]))
        complaint = self._new_complaint(user=self.agent)
        complaint.action_iso10002_log_acknowledgement()
        self.assertEqual(complaint.iso10002_step, "acknowledged")

    def test_r_8_1_nobody_deletes_complaints(self):
        for user in (self.agent, self.manager, self.top):
            with (
                self.subTest(user=user.login),
                self.assertRaisesMessage(UserError, "cannot be deleted.*Archive"),
            ):
                self.complaint.with_user(user).unlink()
        self.complaint.with_user(self.manager).write({"archive_reason": "Duplicate"})
        self.complaint.with_user(self.manager).action_archive()
        self.assertFalse(self.complaint.active)
        self.assertTrue(self.complaint.exists())

    def test_r_8_5_auditor_reads_but_cannot_change(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.auditor)
        found = Ticket.search([])
        self.assertIn(self.complaint, found)
        self.assertNotIn(self.plain, found)
        self.complaint.with_user(self.auditor).read(["complaint_reference", "decision"])
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.auditor).write({"name": "changed"})
        with self.assertRaises(AccessError):
            Ticket.create(self._complaint_vals())
        with self.assertRaises(AccessError):
            self.complaint.stage_history_ids.with_user(self.auditor).write(
                {"date_out": False}
            )
        self.assertTrue(
            self.complaint.stage_history_ids.with_user(self.auditor).read(["date_in"])
        )

    def test_r_4_9_stage_history_cannot_be_rewritten(self):
        history = self.complaint.stage_history_ids.with_user(self.manager)
        with self.assertRaises(AccessError):
            history.write({"date_in": "2020-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            history.unlink()

    def test_plain_employee_cannot_see_complaints(self):
        Ticket = self.env["helpdesk.ticket"].with_user(self.employee)
        self.assertNotIn(self.complaint, Ticket.search([]))
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.employee).write({"name": "x"})

    def test_r_5_3_1_f_management_representative(self):
        settings = self.env["res.config.settings"].create(
            {"iso10002_management_representative_id": self.manager.id}
        )
        settings.execute()
        self.assertEqual(
            self.company.iso10002_management_representative_id, self.manager
        )

    def test_only_managers_configure_categories(self):
        Category = self.env["iso10002.complaint.category"]
        with self.assertRaises(AccessError):
            Category.with_user(self.agent).create({"code": "X1", "name": "Mine"})
        Category.with_user(self.manager).create({"code": "X1", "name": "Mine"})
