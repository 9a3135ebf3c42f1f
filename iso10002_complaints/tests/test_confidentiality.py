from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCase, create_outsiders

READ, SEARCH, GROUP, WRITE = "read", "search", "read_group", "write"


@tagged("post_install", "-at_install")
class TestConfidentiality(ComplaintCase):
    """R-4.7, C.1 c, C.4: need-to-know access to confidential complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_outsiders(cls, "conf")
        commercial = cls.env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.portal_complainant = new_test_user(
            cls.env, "portal_complainant", groups="base.group_portal", name="Pia Portal"
        )
        cls.portal_complainant.partner_id.parent_id = commercial
        cls.portal_colleague = new_test_user(
            cls.env,
            "portal_colleague",
            groups="base.group_portal",
            name="Cole Colleague",
        )
        cls.portal_colleague.partner_id.parent_id = commercial

        def make(confidential, **extra):
            complaint = cls.env["helpdesk.ticket"].create(
                cls._complaint_vals(
                    partner_id=cls.portal_complainant.partner_id.id,
                    user_id=cls.agent.id,
                    is_confidential=confidential,
                    **extra,
                )
            )
            complaint.message_subscribe(cls.follower.partner_id.ids)
            return complaint

        cls.secret = make(True, concerned_user_ids=[(6, 0, cls.named_staff.ids)])
        cls.open = make(False)

    def _can(self, user, complaint, operation):
        Ticket = self.env["helpdesk.ticket"].with_user(user)
        try:
            if operation == SEARCH:
                return complaint in Ticket.search([("id", "=", complaint.id)])
            if operation == GROUP:
                groups = Ticket._read_group(
                    [("id", "=", complaint.id)], ["is_confidential"], ["__count"]
                )
                return sum(count for _key, count in groups) == 1
            record = complaint.with_user(user)
            if operation == READ:
                record.invalidate_recordset()
                record.read(["name", "description"])
                return True
            with self.env.cr.savepoint():
                record.write({"name": "changed"})
            return True
        except AccessError:
            return False

    def test_r_4_7_access_matrix(self):
        Y, N = True, False
        # role: (secret read, search, read_group, write), (open read, search, group)
        matrix = {
            "assigned agent": (self.agent, (Y, Y, Y, Y), (Y, Y, Y)),
            "agent of the same team": (self.agent2, (N, N, N, N), (Y, Y, Y)),
            "agent of another team": (self.other_team_agent, (N, N, N, N), (N, N, N)),
            "plain helpdesk user": (self.helpdesk_user, (N, N, N, N), (Y, Y, Y)),
            "internal follower": (self.follower, (N, N, N, N), (Y, Y, Y)),
            "named staff member": (self.named_staff, (N, N, N, N), (N, N, N)),
            "complaints manager": (self.manager, (Y, Y, Y, Y), (Y, Y, Y)),
            "top management": (self.top, (Y, Y, Y, Y), (Y, Y, Y)),
            "auditor": (self.auditor, (Y, Y, Y, N), (Y, Y, Y)),
            "portal complainant": (self.portal_complainant, (Y, Y, Y, N), (Y, Y, Y)),
            "portal colleague": (self.portal_colleague, (N, N, N, N), (N, N, N)),
            "manager of another company": (
                self.foreign_manager,
                (N, N, N, N),
                (N, N, N),
            ),
        }
        for role, (user, secret, public) in matrix.items():
            for operation, expected in zip(
                (READ, SEARCH, GROUP, WRITE), secret, strict=True
            ):
                with self.subTest(role=role, complaint="confidential", op=operation):
                    self.assertEqual(self._can(user, self.secret, operation), expected)
            for operation, expected in zip((READ, SEARCH, GROUP), public, strict=True):
                with self.subTest(role=role, complaint="open", op=operation):
                    self.assertEqual(self._can(user, self.open, operation), expected)

    def test_r_4_7_complaint_data_models_follow_the_complaint(self):
        self.secret.write(
            {
                "remedy_ids": [
                    (
                        0,
                        0,
                        {"remedy_id": self.env.ref("iso10002_complaints.remedy_52").id},
                    )
                ]
            }
        )
        for model in (
            "iso10002.sla.line",
            "iso10002.stage.history",
            "iso10002.complaint.remedy",
            "iso10002.sla.report",
        ):
            with self.subTest(model=model):
                Model = self.env[model]
                self.assertTrue(
                    Model.with_user(self.agent).search(
                        [("ticket_id", "=", self.secret.id)]
                    )
                )
                self.assertFalse(
                    Model.with_user(self.agent2).search(
                        [("ticket_id", "=", self.secret.id)]
                    )
                )

    def test_c_4_named_staff_makes_a_complaint_confidential(self):
        complaint = self._new_complaint()
        self.assertFalse(complaint.is_confidential)
        complaint.concerned_user_ids = [(4, self.named_staff.id)]
        self.assertTrue(complaint.is_confidential)
        with self.assertRaisesMessage(Exception, "stays confidential"):
            complaint.is_confidential = False
        self.team.iso10002_confidential = True
        self.assertTrue(self._new_complaint().is_confidential)

    def test_following_grants_no_notification(self):
        self.secret.message_post(
            body="Internal update",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        notified = self.secret.message_ids[0].notification_ids.res_partner_id
        self.assertNotIn(self.follower.partner_id, notified)
        self.open.message_post(
            body="Internal update",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(
            self.follower.partner_id,
            self.open.message_ids[0].notification_ids.res_partner_id,
        )

    def test_list_of_80_complaints_constant_queries(self):
        Ticket = self.env["helpdesk.ticket"]

        def count(n):
            Ticket.create(
                [
                    self._complaint_vals(user_id=self.agent.id, name=f"L{i}")
                    for i in range(n)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            agent_tickets = Ticket.with_user(self.agent)
            agent_tickets.search_read([], ["name", "stage_id"], limit=80)  # warm
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            agent_tickets.search_read([], ["name", "stage_id"], limit=80)
            return self.cr.sql_log_count - before

        self.assertEqual(count(5), count(80))

    # ------------------------------------------------------------------
    def test_r_8_1_erasure_keeps_statistics(self):
        complaint = self.open
        complaint.message_post(
            body="My phone is +44 20 5550 0100",
            author_id=self.portal_complainant.partner_id.id,
            message_type="comment",
            attachments=[("receipt.txt", b"card 1234")],
        )
        complaint.action_iso10002_log_acknowledgement()
        category, received = complaint.complaint_category_id, complaint.received_at
        lines = complaint.sla_line_ids.mapped("state")
        wizard = (
            self.env["iso10002.erasure.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.portal_complainant.partner_id.id})
        )
        self.assertIn(complaint, wizard.ticket_ids)
        with self.assertRaisesMessage(UserError, "cannot be undone"):
            wizard.action_erase()
        wizard.confirm = True
        wizard.action_erase()
        self.assertTrue(complaint.pseudonymised_on)
        self.assertIn("erased on request", complaint.description)
        messages = complaint.message_ids.filtered(
            lambda m: m.author_id == self.portal_complainant.partner_id
        )
        self.assertTrue(messages)
        self.assertFalse(any("5550" in (m.body or "") for m in messages))
        self.assertFalse(messages.attachment_ids)
        self.assertEqual(complaint.complaint_category_id, category)
        self.assertEqual(complaint.received_at, received)
        self.assertEqual(complaint.sla_line_ids.mapped("state"), lines)
        self.assertIn(
            "Personal data of the complainant erased", complaint.message_ids[0].body
        )
        with self.assertRaises(AccessError):
            self.env["iso10002.erasure.wizard"].with_user(self.agent).create(
                {"partner_id": self.portal_complainant.partner_id.id, "confirm": True}
            )

    def test_r_8_1_retention_job_pseudonymises_old_closed_complaints(self):
        self.company.iso10002_retention_days = 30
        partner = self.env["res.partner"].create(
            {"name": "Old Complainant", "email": "old@example.org"}
        )
        old = self._new_complaint(partner_id=partner.id)
        self._to_decision_communicated(old)
        self._answer(old, "accepted")
        old.action_iso10002_close()
        recent = self._new_complaint()
        self.env["helpdesk.ticket"]._cron_iso10002_retention()
        self.assertFalse(old.pseudonymised_on, "closed today: kept")
        with freeze_time(fields.Datetime.now() + timedelta(days=31)):
            self.env["helpdesk.ticket"]._cron_iso10002_retention()
        self.assertTrue(old.pseudonymised_on)
        self.assertFalse(recent.pseudonymised_on)
        self.assertFalse(partner.active)
        self.assertFalse(partner.email)
        self.assertEqual(partner.name, f"Erased complainant {partner.id}")

    # ------------------------------------------------------------------
    def test_c_2_named_staff_is_informed_and_heard(self):
        statement = self.secret.staff_statement_ids
        self.assertEqual(statement.user_id, self.named_staff)
        self.assertIn(self.secret.complaint_reference, statement.summary)
        self.assertIn("identity is withheld", statement.summary)
        self.assertNotIn("Pia Portal", statement.summary)
        mail = self.env["mail.mail"].search(
            [("model", "=", "iso10002.staff.statement"), ("res_id", "=", statement.id)]
        )
        self.assertEqual(mail.recipient_ids, self.named_staff.partner_id)
        self.assertIn(f"iso10002_staff_statement_action/{statement.id}", mail.body_html)
        mine = statement.with_user(self.named_staff)
        mine.read(["summary"])
        with self.assertRaises(AccessError):
            self.secret.with_user(self.named_staff).read(["name"])
        with self.assertRaisesMessage(UserError, "only write your account"):
            mine.write({"summary": "changed"})
        with self.assertRaisesMessage(UserError, "Write your account"):
            mine.action_submit()
        mine.statement = "I explained the warranty twice; the customer left angry."
        mine.action_submit()
        self.assertEqual(statement.state, "submitted")
        self.assertIn("explained the warranty", self.secret.message_ids[0].body)
        with self.assertRaisesMessage(UserError, "already submitted"):
            mine.write({"statement": "rewritten"})
        self.assertFalse(
            self.env["iso10002.staff.statement"].with_user(self.follower).search([])
        )
        self.assertIn(
            statement,
            self.env["iso10002.staff.statement"].with_user(self.agent).search([]),
        )

    def test_c_2_summary_names_the_complainant_only_with_consent(self):
        staff = new_test_user(self.env, "named_two", groups="base.group_user")
        self.open.consent_scope = "sharing"
        self.open.concerned_user_ids = [(4, staff.id)]
        statement = self.open.staff_statement_ids.filtered(lambda s: s.user_id == staff)
        self.assertIn("Pia Portal", statement.summary)

    def test_r_4_7_exports_mask_personal_data_without_consent(self):
        fields_to_export = ["complaint_reference", "partner_id/name", "partner_email"]
        rows = self.open.export_data(fields_to_export)["datas"]
        self.assertEqual(rows[0][0], self.open.complaint_reference)
        self.assertEqual(rows[0][1], "(withheld)")
        self.open.consent_scope = "sharing"
        rows = self.open.export_data(fields_to_export)["datas"]
        self.assertEqual(rows[0][1], "Pia Portal")

    def test_c_4_personal_data_only_for_need_to_know(self):
        fields_ = ["name", "partner_id", "partner_email", "concerned_user_ids"]
        outsider = self.open.with_user(self.helpdesk_user).read(fields_)[0]
        self.assertEqual(outsider["name"], self.open.name)
        self.assertFalse(outsider["partner_id"])
        self.assertFalse(outsider["partner_email"])
        agent = self.open.with_user(self.agent2).read(fields_)[0]
        self.assertEqual(agent["partner_id"][0], self.portal_complainant.partner_id.id)
        self.helpdesk_user.group_ids = [(4, self.env.ref("base.group_allow_export").id)]
        rows = self.open.with_user(self.helpdesk_user).export_data(
            ["name", "partner_id/name"]
        )["datas"]
        self.assertEqual(rows[0][1], "(withheld)")
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "Plain",
                "description": "<p>x</p>",
                "team_id": self.plain_team.id,
                "partner_id": self.complainant.id,
            }
        )
        plain_read = plain.with_user(self.helpdesk_user).read(["partner_id"])[0]
        self.assertEqual(plain_read["partner_id"][0], self.complainant.id)

    def test_r_8_1_nobody_unlinks_in_any_role(self):
        for user in (
            self.agent,
            self.helpdesk_user,
            self.follower,
            self.manager,
            self.top,
            self.auditor,
            self.portal_complainant,
        ):
            for complaint in (self.secret, self.open):
                with (
                    self.subTest(user=user.login, complaint=complaint.name),
                    self.assertRaises(UserError),  # AccessError is one too
                ):
                    complaint.with_user(user).unlink()
        self.assertTrue((self.secret | self.open).exists())
