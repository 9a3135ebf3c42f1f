"""Every model that holds complaint data has a need-to-know rule, and the
chatter routes of Odoo obey it over HTTP (R-4.7, C.4)."""

from odoo import http
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AGENT, AUDITOR, ComplaintCase

TICKET = "helpdesk.ticket"


@tagged("post_install", "-at_install")
class TestEveryComplaintModelHasNeedToKnow(ComplaintCase):
    """R-4.7: no model of the addon that stores complaint data is left without
    a record rule for internal users outside the complaints management: a new
    model linked to complaints fails this test until it mirrors the
    complaint's need-to-know."""

    def _addon_models(self):
        return [
            name
            for name in self.env.registry
            if name.startswith("iso10002.")
            and not self.env[name]._transient
            and not self.env[name]._abstract
        ]

    def _complaint_data_models(self):
        """{model: names of its fields leading to complaints}: the models
        with a relation to helpdesk.ticket, those the complaint links to, and
        their lines (one2many), to any depth."""
        candidates = self._addon_models()
        paths = {TICKET: {"is_confidential"}}
        for name in candidates:
            links = {
                fname
                for fname, field in self.env[name]._fields.items()
                if field.relational and field.comodel_name == TICKET
            }
            if links:
                paths[name] = links
        for field in self.env[TICKET]._fields.values():
            if field.type in ("one2many", "many2many") and field.comodel_name in (
                candidates
            ):
                inverse = getattr(field, "inverse_name", None) or "ticket_ids"
                paths.setdefault(field.comodel_name, set()).add(inverse)
        grown = True
        while grown:
            grown = False
            for name in list(paths):
                for field in self.env[name]._fields.values():
                    if (
                        field.type == "one2many"
                        and field.comodel_name in candidates
                        and field.comodel_name not in paths
                    ):
                        paths[field.comodel_name] = {field.inverse_name}
                        grown = True
        return paths

    def _unrestricted(self, model, paths, users):
        """The users who may read ``model`` with no rule going through the
        complaint (a company rule alone does not restrict need-to-know)."""
        open_to = []
        for user in users:
            Model = self.env[model].with_user(user)
            if not Model.browse().has_access("read"):
                continue
            domain = str(self.env["ir.rule"].with_user(user)._compute_domain(model))
            if not any(path in domain for path in paths):
                open_to.append(user.login)
        return open_to

    def test_r_4_7_every_model_with_complaint_data_has_a_need_to_know_rule(self):
        # internal users below the complaints manager (auditors and managers
        # read every complaint by design)
        users = (
            self.agent,
            self.employee,
            new_test_user(
                self.env, "registry_hd_user", groups="helpdesk_mgmt.group_helpdesk_user"
            ),
        )
        data_models = self._complaint_data_models()
        for expected in (
            TICKET,
            "iso10002.problem",
            "iso10002.action",
            "iso10002.systemic.remedy",
            "iso10002.systemic.remedy.line",
            "iso10002.complaint.remedy",
            "iso10002.staff.statement",
            "iso10002.escalation",
            "iso10002.sla.line",
            "iso10002.stage.history",
            "iso10002.satisfaction",
            "iso10002.sla.report",
        ):
            self.assertIn(expected, data_models)
        # C.2: a named staff member reads their own account, not the complaint
        # (Odoo 19 writes the rule's "= user.id" as "in [id]")
        data_models["iso10002.staff.statement"].add("('user_id', 'in', [")
        for model, paths in sorted(data_models.items()):
            with self.subTest(model=model):
                self.assertEqual(self._unrestricted(model, paths, users), [])
        # the check finds a model that only has a company rule
        self.assertEqual(
            self._unrestricted("iso10002.training", {"ticket_id"}, [self.agent]),
            [self.agent.login],
        )

    def test_r_4_7_every_record_pointing_to_complaints_checks_access(self):
        """Any model, wizards included, that stores a link to tickets checks
        on create and write that its user may read them."""
        Link = self.env.registry["iso10002.complaint.link"]
        unchecked = [
            f"{name}.{fname}"
            for name in self.env.registry
            for fname, field in self.env[name]._fields.items()
            if field.comodel_name == TICKET
            and field.type in ("many2one", "many2many")
            and field.store
            and not field.related
            and not self.env[name]._abstract
            and self.env[name]._auto  # SQL views are not created
            and not isinstance(self.env[name], Link)
        ]
        self.assertEqual(unchecked, [])


@tagged("post_install", "-at_install")
class TestChatterDoorsOverHttp(HttpCase):
    """R-4.7, R-8.5 through Odoo's own chatter routes: on a complaint the
    auditor reads the thread but neither posts nor attaches; its agent does
    both; on a plain ticket a reader still posts (helpdesk_mgmt)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups):
            return new_test_user(cls.env, login, groups=groups, password=login)

        cls.agent = user("http_doors_agent", AGENT)
        cls.auditor = user("http_doors_auditor", AUDITOR)
        cls.employee = user("http_doors_employee", "base.group_user")
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Doors",
                "is_iso10002": True,
                "user_ids": [(6, 0, cls.agent.ids)],
            }
        )
        plain_team = cls.env["helpdesk.ticket.team"].create({"name": "Doors plain"})
        cls.complaint = cls.env[TICKET].create(
            {
                "name": "Rude driver",
                "description": "<p>He shouted.</p>",
                "team_id": team.id,
                "user_id": cls.agent.id,
                "is_confidential": True,
                "channel_id": cls.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                ).id,
                "partner_id": cls.env["res.partner"]
                .create({"name": "Carl Complainant"})
                .id,
            }
        )
        cls.plain = cls.env[TICKET].create(
            {
                "name": "Printer",
                "description": "<p>Out of toner</p>",
                "team_id": plain_team.id,
                "partner_id": cls.employee.partner_id.id,
            }
        )

    def _post(self, ticket, body):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": TICKET,
                "thread_id": ticket.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )

    def _thread_data(self, ticket):
        result = self.make_jsonrpc_request(
            "/mail/data",
            {
                "fetch_params": [
                    [
                        "mail.thread",
                        {
                            "thread_model": TICKET,
                            "thread_id": ticket.id,
                            "request_list": ["followers", "attachments"],
                        },
                    ]
                ]
            },
        )
        return next(t for t in result["mail.thread"] if t["id"] == ticket.id)

    def _bodies(self, ticket):
        return " ".join(ticket.message_ids.mapped("body"))

    @mute_logger("odoo.http")
    def test_r_8_5_auditor_reads_the_chatter_but_does_not_write_in_it(self):
        self.authenticate("http_doors_auditor", "http_doors_auditor")
        thread = self._thread_data(self.complaint)
        self.assertTrue(thread["hasReadAccess"])
        self.assertFalse(thread["hasWriteAccess"])
        self.assertFalse(thread["canPostOnReadonly"])
        with self.assertRaises(JsonRpcException):
            self._post(self.complaint, "Audit remark")
        self.assertNotIn("Audit remark", self._bodies(self.complaint))
        response = self.url_open(
            "/mail/attachment/upload",
            data={
                "thread_id": self.complaint.id,
                "thread_model": TICKET,
                "csrf_token": http.Request.csrf_token(self),
            },
            files={"ufile": ("remark.txt", b"remark", "text/plain")},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", TICKET), ("res_id", "=", self.complaint.id)]
            )
        )

    def test_r_4_7_the_agent_posts(self):
        self.authenticate("http_doors_agent", "http_doors_agent")
        self._post(self.complaint, "Called the complainant")
        self.assertIn("Called the complainant", self._bodies(self.complaint))

    def test_plain_ticket_reader_posts_as_in_helpdesk_mgmt(self):
        self.authenticate("http_doors_employee", "http_doors_employee")
        thread = self._thread_data(self.plain)
        self.assertFalse(thread["hasWriteAccess"])
        self.assertTrue(thread["canPostOnReadonly"])
        self._post(self.plain, "Still no toner")
        self.assertIn("Still no toner", self._bodies(self.plain))
