from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import MANAGER, ComplaintCase, company_user


@tagged("post_install", "-at_install")
class TestManagerSettings(ComplaintCase):
    """R-5.3.2: the complaints manager configures the process (settings and
    the complaint e-mails) without being an Odoo administrator."""

    def _menus(self, user):
        return self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()

    def test_r_5_3_2_manager_changes_the_complaints_settings(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        with Form(self.env["iso10002.settings"].with_user(self.manager)) as form:
            self.assertEqual(form.iso10002_response_days, 10)
            form.iso10002_response_days = 7
            form.iso10002_response_wait_days = 21
        form.record.action_save()
        notice = form.record.action_iso10002_check_register()
        self.assertEqual(notice["params"]["type"], "success")
        # the representative, told of every escalation, is a complaints manager
        with self.assertRaisesMessage(UserError, "is not a complaints manager"):
            self.env["iso10002.settings"].with_user(self.manager).create(
                {"iso10002_management_representative_id": self.employee.id}
            )
        self.env["iso10002.settings"].with_user(self.manager).create(
            {"iso10002_management_representative_id": self.top.id}
        )
        self.assertEqual(self.company.iso10002_management_representative_id, self.top)
        self.assertEqual(self.company.iso10002_response_days, 7)
        self.assertEqual(self.company.iso10002_response_wait_days, 21)
        menus = self._menus(self.manager)
        self.assertIn(
            self.env.ref("iso10002_complaints.menu_iso10002_settings").id, menus
        )
        self.assertIn(
            self.env.ref("iso10002_complaints.menu_iso10002_mail_templates").id, menus
        )
        # Odoo's Settings app stays the administrators'
        self.assertNotIn(
            self.env.ref("helpdesk_mgmt.helpdesk_config_settings_menu").id, menus
        )

    def test_r_5_3_2_others_do_not_change_the_settings(self):
        elsewhere = self.env["res.company"].create({"name": "Elsewhere Settings"})
        foreign = company_user(
            self.env, "settings_foreign", elsewhere, MANAGER, "Fred Foreign"
        )
        for user, company in (
            (self.agent, self.company),
            (self.auditor, self.company),
            (foreign, self.company),
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["iso10002.settings"].with_user(user).create(
                        {"company_id": company.id, "iso10002_response_days": 1}
                    )
                self.assertEqual(self.company.iso10002_response_days, 10)
        self.assertNotIn(
            self.env.ref("iso10002_complaints.menu_iso10002_settings").id,
            self._menus(self.agent),
        )

    def test_r_5_3_2_manager_edits_the_complaint_e_mails(self):
        action = self.env.ref("iso10002_complaints.iso10002_mail_template_action")
        Template = self.env["mail.template"].with_user(self.manager)
        templates = Template.search(safe_eval(action.domain))
        ack = self.env.ref("iso10002_complaints.mail_template_complaint_ack")
        statement = self.env.ref("iso10002_complaints.mail_template_staff_statement")
        self.assertIn(ack, templates)
        self.assertIn(statement, templates)
        as_manager = ack.with_user(self.manager)
        as_manager.subject = "Your complaint {{ object.complaint_reference }}"
        self.assertEqual(ack.subject, "Your complaint {{ object.complaint_reference }}")
        body = str(ack.body_html).replace("Thank you for letting us know.", "Thanks!")
        as_manager.body_html = body
        self.assertIn("Thanks!", str(ack.body_html))
        # new code needs a Mail Template Editor (an administrator)
        with self.assertRaisesMessage(AccessError, "Mail Template Editor"):
            as_manager.subject = "{{ object.sudo().partner_id.email }}"
        with self.assertRaisesMessage(AccessError, "Mail Template Editor"):
            as_manager.body_html = body.replace(
                "<p>Kind regards",
                '<p t-out="object.env.user.password"/><p>Kind regards',
            )
        self.assertIn("Thanks!", str(ack.body_html))
        # other templates and other users: as Odoo has it
        other = self.env["mail.template"].search(
            [("model", "not in", ["helpdesk.ticket", "iso10002.staff.statement"])],
            limit=1,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.manager).subject = "Changed"
        for user in (self.agent, self.auditor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                ack.with_user(user).subject = "Changed"

    def _inbox(self, xmlid, user):
        action = self.env.ref(f"iso10002_complaints.{xmlid}")
        return (
            self.env[action.res_model].with_user(user).search(safe_eval(action.domain))
        )

    def test_r_5_3_what_waits_for_approval_is_in_one_menu(self):
        """Top management finds the policy, objectives and reviews waiting for
        its approval, complaints managers the remedies above the limit."""
        today = date.today()
        policy = self.env["iso10002.policy"].create(
            {"content": "<p>We welcome complaints.</p>", "change_summary": "New."}
        )
        objective = self.env["iso10002.objective"].create(
            {
                "name": "Acknowledge in time",
                "kpi_code": "acknowledged_in_time_share",
                "target": 95,
                "date_from": today - timedelta(days=30),
                "date_to": today,
            }
        )
        complaint = self._new_complaint(
            remedy_ids=[
                (
                    0,
                    0,
                    {
                        "remedy_id": self.env.ref("iso10002_complaints.remedy_39").id,
                        "amount": 5000,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "remedy_id": self.env.ref("iso10002_complaints.remedy_39").id,
                        "amount": 5,
                    },
                ),
            ]
        )
        big, small = complaint.remedy_ids
        self.assertIn(
            policy, self._inbox("iso10002_policy_action_to_approve", self.top)
        )
        self.assertIn(
            objective, self._inbox("iso10002_objective_action_to_approve", self.top)
        )
        remedies = self._inbox("iso10002_remedy_action_to_approve", self.manager)
        self.assertIn(big, remedies)
        self.assertNotIn(small, remedies)
        big.with_user(self.manager).action_approve()
        self.assertNotIn(
            big, self._inbox("iso10002_remedy_action_to_approve", self.manager)
        )
        policy.with_user(self.top).action_approve()
        self.assertNotIn(
            policy, self._inbox("iso10002_policy_action_to_approve", self.top)
        )
        # the menus: remedies for managers, the rest for top management
        menus = self._menus(self.manager)
        ref = self.env.ref
        self.assertIn(
            ref("iso10002_complaints.menu_iso10002_remedies_to_approve").id, menus
        )
        self.assertNotIn(
            ref("iso10002_complaints.menu_iso10002_policies_to_approve").id, menus
        )
        self.assertIn(
            ref("iso10002_complaints.menu_iso10002_reviews_to_approve").id,
            self._menus(self.top),
        )
        self.assertNotIn(
            ref("iso10002_complaints.menu_iso10002_to_approve").id,
            self._menus(self.agent),
        )
