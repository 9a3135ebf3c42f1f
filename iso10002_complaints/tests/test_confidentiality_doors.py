from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplaintCase, create_outsiders

TICKET = "helpdesk.ticket"

# the field of each record of the complaint that carries its data
DATA_FIELD = {
    "rating.rating": "feedback",
    "iso10002.problem": "description",
    "iso10002.action": "root_cause",
    "iso10002.systemic.remedy": "description",
    "iso10002.systemic.remedy.line": "partner_id",
    "iso10002.complaint.remedy": "remedy_id",
    "iso10002.staff.statement": "summary",
    "iso10002.escalation": "reason",
    "iso10002.stage.history": "stage_id",
    "iso10002.sla.line": "deadline",
    "iso10002.sla.report": "ticket_id",
    "iso10002.satisfaction": "comment",
    "mail.message": "body",
}


@tagged("post_install", "-at_install")
class TestConfidentialityDoors(ComplaintCase):
    """R-4.7, C.4, R-8.1: every door to a confidential complaint's data (its
    ratings, the records built from it, links and names through other models,
    its chatter) obeys the complaint's need-to-know, for each outsider role;
    the roles that need to know keep working."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_outsiders(cls, "doors")
        cls.secret = cls.env[TICKET].create(
            cls._complaint_vals(
                name="Burnt hand at the Leeds store",
                user_id=cls.agent.id,
                is_confidential=True,
                concerned_user_ids=[(6, 0, cls.named_staff.ids)],
            )
        )
        cls.secret.message_subscribe(cls.follower.partner_id.ids)
        cls.secret.write(
            {
                "remedy_ids": [
                    (
                        0,
                        0,
                        {"remedy_id": cls.env.ref("iso10002_complaints.remedy_52").id},
                    )
                ]
            }
        )
        cls.secret._iso10002_escalate_manually("Injury: the director must know.")
        cls.problem = cls.env["iso10002.problem"].create(
            {
                "name": "Kettles burn hands",
                "partner_id": cls.complainant.id,
                "description": "Chloe burnt her hand.",
            }
        )
        cls.secret.problem_id = cls.problem
        cls.action = cls.env["iso10002.action"].create(
            {
                "name": "Insulate the handle",
                "root_cause": "Handle conducts heat.",
                "owner_id": cls.agent.id,
                "ticket_ids": [(6, 0, cls.secret.ids)],
            }
        )
        cls.systemic = cls.env["iso10002.systemic.remedy"].create(
            {
                "name": "Replace all kettles of batch 42",
                "remedy_id": cls.env.ref("iso10002_complaints.remedy_52").id,
                "description": "Chloe and others.",
                "ticket_ids": [(6, 0, cls.secret.ids)],
            }
        )
        cls.systemic.action_add_complainants()
        cls.satisfaction = cls.env["iso10002.satisfaction"].create(
            {"ticket_id": cls.secret.id, "comment": "They were kind."}
        )
        cls.rating = cls.env["rating.rating"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id(TICKET),
                "res_id": cls.secret.id,
                "partner_id": cls.complainant.id,
                "rating": 2.0,
                "feedback": "My hand still hurts.",
                "consumed": True,
            }
        )
        # a message that names outsiders as recipients
        cls.message = cls.secret.message_post(
            body="Photos of the burn attached.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=(
                cls.follower | cls.helpdesk_user | cls.named_staff
            ).partner_id.ids,
            attachments=[("burn.txt", b"photo")],
        )
        cls.records = {
            "rating.rating": cls.rating,
            "iso10002.problem": cls.problem,
            "iso10002.action": cls.action,
            "iso10002.systemic.remedy": cls.systemic,
            "iso10002.systemic.remedy.line": cls.systemic.line_ids,
            "iso10002.complaint.remedy": cls.secret.remedy_ids,
            "iso10002.staff.statement": cls.secret.staff_statement_ids,
            "iso10002.escalation": cls.secret.escalation_ids,
            "iso10002.stage.history": cls.secret.stage_history_ids,
            "iso10002.sla.line": cls.secret.sla_line_ids,
            "iso10002.sla.report": cls.env["iso10002.sla.report"].search(
                [("ticket_id", "=", cls.secret.id)]
            ),
            "iso10002.satisfaction": cls.satisfaction,
            "mail.message": cls.message,
        }
        cls.outsiders = {
            "agent of the same team": cls.agent2,
            "agent of another team": cls.other_team_agent,
            "plain helpdesk user": cls.helpdesk_user,
            "named staff member": cls.named_staff,
            "follower without need-to-know": cls.follower,
            "manager of another company": cls.foreign_manager,
        }

    # ------------------------------------------------------------------
    # Probes
    # ------------------------------------------------------------------
    def _sees(self, user, records):
        """Whether ``user`` reaches any of ``records`` by search, read_group
        or read."""
        Model = self.env[records._name].with_user(user)
        domain = [("id", "in", records.ids)]
        seen = []
        for probe in (
            lambda: Model.search(domain),
            lambda: Model._read_group(domain, [], ["__count"])[0][0],
            lambda: records.with_user(user).read([DATA_FIELD[records._name]]),
        ):
            records.invalidate_recordset()
            try:
                seen.append(bool(probe()))
            except AccessError:
                seen.append(False)
        return any(seen)

    def _refused(self, operation):
        """Whether ``operation`` raises an access error (rolled back)."""
        try:
            with self.env.cr.savepoint():
                operation()
        except (AccessError, UserError):
            return True
        return False

    @staticmethod
    def _denied(reason):
        raise AccessError(reason)

    def _chatter_doors(self, user):
        """Each way of writing into the complaint's chatter, as ``user``."""
        complaint = self.secret.with_user(user)
        Ticket = self.env[TICKET].with_user(user)
        return {
            "message_post": lambda: complaint.message_post(body="Hello"),
            "create message": lambda: (
                self.env["mail.message"]
                .with_user(user)
                .create(
                    {
                        "model": TICKET,
                        "res_id": self.secret.id,
                        "body": "Hello",
                        "message_type": "comment",
                    }
                )
            ),
            "reply to a message": lambda: (
                self.env["mail.message"]
                .with_user(user)
                .create(
                    {
                        "model": TICKET,
                        "res_id": self.secret.id,
                        "body": "Reply",
                        "message_type": "comment",
                        "parent_id": self.message.id,
                    }
                )
            ),
            "post through the chatter": lambda: (
                Ticket._get_thread_with_access(
                    self.secret.id, mode=Ticket._mail_post_access
                )
                or self._denied("no thread to post on")
            ),
            "follow": lambda: (
                complaint.message_subscribe(user.partner_id.ids)
                or self._denied("not followed")
            ),
            "plan an activity": lambda: complaint.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id, summary="Call"
            ),
        }

    # ------------------------------------------------------------------
    # Outsiders
    # ------------------------------------------------------------------
    def test_r_4_7_outsiders_reach_none_of_the_complaint_data(self):
        for role, user in self.outsiders.items():
            for model, records in self.records.items():
                if role == "named staff member" and model == "iso10002.staff.statement":
                    continue  # their own account (C.2), tested below
                with self.subTest(role=role, model=model):
                    self.assertTrue(records, model)
                    self.assertFalse(self._sees(user, records))

    def test_r_4_7_outsiders_write_nothing(self):
        writes = {
            "rating.rating": {"feedback": "changed"},
            "iso10002.problem": {"description": "changed"},
            "iso10002.action": {"root_cause": "changed"},
            "iso10002.systemic.remedy": {"description": "changed"},
            "iso10002.systemic.remedy.line": {"notes": "changed"},
            "iso10002.complaint.remedy": {"notes": "changed"},
        }
        for role, user in {**self.outsiders, "auditor": self.auditor}.items():
            for model, vals in writes.items():
                with self.subTest(role=role, model=model):
                    records = self.records[model].with_user(user)
                    self.assertTrue(self._refused(lambda r=records, v=vals: r.write(v)))
            for door, operation in self._chatter_doors(user).items():
                with self.subTest(role=role, door=door):
                    self.assertTrue(self._refused(operation))
        self.assertNotIn(self.auditor.partner_id, self.secret.message_partner_ids)
        self.assertFalse(
            self.secret.activity_ids.filtered(lambda a: a.user_id == self.auditor)
        )

    def test_r_4_7_recipients_without_need_to_know_do_not_read_the_message(self):
        """A message naming outsiders as recipients stays closed to them:
        body and attachments."""
        for user in (self.follower, self.helpdesk_user, self.named_staff):
            with self.subTest(user=user.login):
                self.assertIn(user.partner_id, self.message.partner_ids)
                with self.assertRaises(AccessError):
                    self.message.with_user(user).read(["body", "attachment_ids"])
                self.assertFalse(
                    self.env["mail.message"]
                    .with_user(user)
                    .search([("model", "=", TICKET), ("res_id", "=", self.secret.id)])
                )
                with self.assertRaises(AccessError):
                    self.message.attachment_ids.with_user(user).read(["datas"])

    def test_r_4_7_wizards_do_not_open_a_complaint(self):
        Escalate = self.env["iso10002.escalate.wizard"]
        for role, user in self.outsiders.items():
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    Escalate.with_user(user).create(
                        {"ticket_id": self.secret.id, "reason": "Curious"}
                    )
                with self.assertRaises(AccessError):
                    Escalate.with_user(user).with_context(
                        default_ticket_id=self.secret.id
                    ).create({"reason": "Curious"})
        with self.assertRaises(AccessError):
            self.env["iso10002.complainant.response.wizard"].with_user(
                self.other_team_agent
            ).create({"ticket_id": self.secret.id, "response": "accepted"})
        plain = self.env[TICKET].create(
            {
                "name": "Printer",
                "description": "<p>Out of toner</p>",
                "team_id": self.plain_team.id,
            }
        )
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket.duplicate.wizard"].with_user(
                self.helpdesk_user
            ).create({"ticket_id": plain.id, "duplicate_of_id": self.secret.id})
        with self.assertRaises(AccessError):
            self.action.with_user(self.agent2).write(
                {"ticket_ids": [(4, self.secret.id)]}
            )
        with self.assertRaises(AccessError):
            self.env["iso10002.complaint.remedy"].with_user(
                self.other_team_agent
            ).create(
                {
                    "ticket_id": self.secret.id,
                    "remedy_id": self.env.ref("iso10002_complaints.remedy_52").id,
                }
            )
        # the one who needs to know uses them
        wizard = Escalate.with_user(self.agent).create(
            {"ticket_id": self.secret.id, "reason": "Injury"}
        )
        self.assertEqual(wizard.ticket_id, self.secret)

    def test_r_4_7_a_complaint_name_through_a_many2one_needs_need_to_know(self):
        plain = self.env[TICKET].create(
            {
                "name": "Printer",
                "description": "<p>Out of toner</p>",
                "team_id": self.plain_team.id,
                "duplicate_id": self.secret.id,
            }
        )
        seen = plain.with_user(self.helpdesk_user).read(["duplicate_id"])[0]
        self.assertEqual(seen["duplicate_id"][0], self.secret.id)
        self.assertEqual(seen["duplicate_id"][1], "Confidential complaint")
        self.assertNotIn(self.secret.name, str(seen))
        spec = {"duplicate_id": {"fields": {"display_name": {}}}}
        web = plain.with_user(self.helpdesk_user).web_read(spec)[0]
        self.assertEqual(web["duplicate_id"]["display_name"], "Confidential complaint")
        agent_view = plain.with_user(self.agent).read(["duplicate_id"])[0]
        self.assertIn(self.secret.name, agent_view["duplicate_id"][1])

    def test_c_2_named_staff_reads_their_account_only(self):
        statement = self.secret.staff_statement_ids.with_user(self.named_staff)
        self.assertEqual(statement.read(["summary"])[0]["id"], statement.id)
        statement.statement = "I was not there that day."
        statement.action_submit()
        self.assertNotIn(self.named_staff.partner_id, self.secret.message_partner_ids)
        note = self.secret.message_ids[0]
        self.assertEqual(note.author_id, self.named_staff.partner_id)
        self.assertIn(self.secret.complaint_reference, note.record_name)
        self.assertFalse(self._sees(self.named_staff, self.problem))
        self.assertFalse(self._sees(self.named_staff, self.rating))

    # ------------------------------------------------------------------
    # Roles that need to know
    # ------------------------------------------------------------------
    def test_r_4_7_need_to_know_roles_keep_working(self):
        for role, user in {
            "assigned agent": self.agent,
            "complaints manager": self.manager,
        }.items():
            with self.subTest(role=role):
                # the assigned agent reads the named staff's account too
                for model, records in self.records.items():
                    self.assertTrue(self._sees(user, records), model)
                self.rating.with_user(user).write({"feedback": f"seen by {role}"})
                self.action.with_user(user).write({"root_cause": "Thin handle."})
                complaint = self.secret.with_user(user)
                message = complaint.message_post(body=f"Note by {role}")
                self.assertEqual(message.author_id, user.partner_id)
                self.assertTrue(complaint.message_subscribe(user.partner_id.ids))
                complaint.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id, summary="Call"
                )
                Ticket = self.env[TICKET].with_user(user)
                self.assertEqual(
                    Ticket._get_thread_with_access(
                        self.secret.id, mode=Ticket._mail_post_access
                    ),
                    self.secret,
                )
                self.message.with_user(user).read(["body", "attachment_ids"])

    def test_r_8_5_auditor_reads_everything_changes_nothing(self):
        for model, records in self.records.items():
            with self.subTest(model=model):
                self.assertTrue(self._sees(self.auditor, records))
        Ticket = self.env[TICKET].with_user(self.auditor)
        self.assertTrue(Ticket._get_thread_with_access(self.secret.id, mode="read"))
        self.assertFalse(
            Ticket._get_thread_with_access(
                self.secret.id, mode=Ticket._mail_post_access
            )
        )
        with self.assertRaises(AccessError):
            self.rating.with_user(self.auditor).write({"feedback": "audited"})

    def test_activities_go_only_to_people_who_may_read_the_complaint(self):
        with self.assertRaisesMessage(UserError, "may not see complaint"):
            self.secret.with_user(self.agent).activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.follower.id
            )
        self.secret.with_user(self.agent).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.manager.id
        )

    # ------------------------------------------------------------------
    # Plain tickets keep helpdesk_mgmt's and Odoo's behaviour
    # ------------------------------------------------------------------
    def test_plain_tickets_keep_oca_behaviour(self):
        employee = self.employee
        plain = self.env[TICKET].create(
            {
                "name": "Printer",
                "description": "<p>Out of toner</p>",
                "team_id": self.plain_team.id,
                "partner_id": employee.partner_id.id,
            }
        )
        self.assertEqual(plain._mail_post_access, "read")
        self.assertEqual(self.secret._mail_post_access, "write")
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id(TICKET),
                "res_id": plain.id,
                "rating": 5.0,
                "feedback": "Fast.",
            }
        )
        # Odoo: every employee reads and changes ratings
        for user in (employee, self.follower, self.auditor):
            with self.subTest(user=user.login):
                self.assertTrue(self._sees(user, rating))
                rating.with_user(user).write({"feedback": f"by {user.login}"})
        # helpdesk_mgmt: a reader of a ticket (here its customer) posts on it
        mine = plain.with_user(employee)
        mine.read(["name"])
        with self.assertRaises(AccessError):
            mine.write({"name": "changed"})
        Ticket = self.env[TICKET].with_user(employee)
        self.assertEqual(
            Ticket._get_thread_with_access(plain.id, mode=Ticket._mail_post_access),
            plain,
        )
        self.assertFalse(Ticket._get_thread_with_access(plain.id, mode="write"))
        message = mine.message_post(body="Still no toner", message_type="comment")
        self.assertEqual(message.author_id, employee.partner_id)
        mine.activity_schedule("mail.mail_activity_data_todo", user_id=employee.id)
        self.assertTrue(mine.message_subscribe(employee.partner_id.ids))
        # and the ticket's name shows through a many2one
        other = self.env[TICKET].create(
            {
                "name": "Scanner",
                "description": "<p>x</p>",
                "team_id": self.plain_team.id,
                "partner_id": employee.partner_id.id,
                "duplicate_id": plain.id,
            }
        )
        seen = other.with_user(employee).read(["duplicate_id"])[0]
        self.assertIn("Printer", seen["duplicate_id"][1])
