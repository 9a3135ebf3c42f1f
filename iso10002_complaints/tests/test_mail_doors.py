"""Odoo's own messaging doors to a complaint: every route of mail, portal,
rating and mail_bot that takes a record, a message, a follower or a file is
probed as the people who must not see the complainant's correspondence
(R-4.7, C.4, R-8.1, issue #13)."""

import inspect
import json

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import AGENT

TICKET = "helpdesk.ticket"

# Routes of Odoo's messaging that take a record, message, follower or file,
# each probed below. A new route fails test_every_route_is_probed until it is
# probed here or listed in NOT_A_COMPLAINT_DOOR with the reason.
PROBED = {
    # Odoo 19 serves a thread's followers, attachments and recipients through
    # the generic /mail/data and /mail/action (fetch_params "mail.thread")
    "/mail/data": "_probe_thread_data",
    "/mail/action": "_probe_thread_data",
    "/mail/thread/messages": "_probe_thread_messages",
    "/mail/message/post": "_probe_post",
    "/mail/message/<int:message_id>": "_probe_message_redirect",
    "/mail/view": "_probe_view",
    "/mail/message/reaction": "_probe_reaction",
    "/mail/message/translate": "_probe_translate",
    "/mail/message/update_content": "_probe_update_content",
    "/mail/link_preview": "_probe_link_preview",
    "/mail/read_subscription_data": "_probe_subscription_data",
    "/mail/attachment/upload": "_probe_upload",
    "/mail/attachment/delete": "_probe_attachment_delete",
    "/mail/attachment/zip": "_probe_zip",
    "/mail/avatar/mail.message/<int:res_id>/author_avatar/<int:width>x<int:height>": (
        "_probe_avatar"
    ),
    "/mail/chatter_fetch": "_probe_chatter_fetch",
    "/portal/chatter_init": "_probe_chatter_init",
    "/mail/unfollow": "_probe_unfollow",
    "/mail/update_is_internal": "_probe_update_is_internal",
    "/portal/attachment/remove": "_probe_portal_attachment_remove",
    # Odoo 19's new doors
    "/mail/thread/subscribe": "_probe_subscribe",
    "/mail/thread/unsubscribe": "_probe_subscribe",
    "/mail/thread/recipients": "_probe_recipients",
    "/mail/thread/recipients/get_suggested_recipients": "_probe_recipients",
    "/mail/inbox/messages": "_probe_mailbox",
    "/mail/history/messages": "_probe_mailbox",
    "/mail/starred/messages": "_probe_mailbox",
    "/mail/attachment/pdf_first_page/<int:attachment_id>": "_probe_pdf_first_page",
    "/mail/attachment/update_thumbnail": "_probe_update_thumbnail",
}
NOT_A_COMPLAINT_DOOR = {
    "/mail/thread/recipients/fields": "names the partner and e-mail fields of "
    "a model: no record is read",
    "/mail/partner/from_email": "answers the contacts of the addresses the "
    "caller gives, as the caller's own search on contacts (complainants' "
    "contacts keep their record rule): the complaint is not read",
    "/discuss/channel/messages": "messages of a discuss channel, to its members",
    "/discuss/channel/set_new_message_separator": "moves the unread line of the "
    "user's own channel membership: it reads no message",
    "/discuss/channel/mark_as_unread": "moves the unread line of the user's own "
    "channel membership: it reads no message",
    "/discuss/channel/<int:channel_id>/attachment/<int:attachment_id>": "serves "
    "only files of the given discuss channel, to its members",
    "/discuss/channel/<int:channel_id>/image/<int:attachment_id>": "as above",
    "/discuss/channel/<int:channel_id>/image/<int:attachment_id>/"
    "<int:width>x<int:height>": "as above",
}
RECORD_PARAMETERS = {
    "fetch_params",
    "thread_id",
    "thread_model",
    "res_id",
    "res_model",
    "model",
    "message_id",
    "follower_id",
    "attachment_id",
    "attachment_ids",
    "file_ids",
}
MODULES = tuple(
    f"odoo.addons.{name}." for name in ("mail", "portal", "rating", "mail_bot")
)
LOUISE = "Louise Mailer"
LOUISE_EMAIL = "louise.mailer@example.org"


@tagged("post_install", "-at_install")
class TestMailDoors(HttpCase):
    """R-4.7, C.4: the complainant's correspondence (what they wrote, what
    they were sent, their files, their name as author, follower or rater) is
    personal data. Users who may read a complaint without its personal data
    (an internal follower outside the complaint roles) read its internal
    notes only; users who may not read it get nothing; the complaint roles
    read everything (non-blind checks)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups, name):
            return new_test_user(
                cls.env, login, groups=groups, password=login, name=name
            )

        cls.agent = user("maildoor_agent", AGENT, "Agnes Agent")
        cls.reader = user("maildoor_reader", "base.group_user", "Rita Reader")
        cls.employee = user("maildoor_employee", "base.group_user", "Emil Employee")
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Mail doors",
                "is_iso10002": True,
                "user_ids": [(6, 0, cls.agent.ids)],
            }
        )
        cls.louise = cls.env["res.partner"].create(
            {"name": LOUISE, "email": LOUISE_EMAIL}
        )
        cls.complaint = cls.env[TICKET].create(
            {
                "name": "Parcel left in the rain",
                "description": "<p>Soaked parcel.</p>",
                "team_id": team.id,
                "user_id": cls.agent.id,
                "partner_id": cls.louise.id,
                "channel_id": cls.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_email"
                ).id,
            }
        )
        cls.complaint.message_subscribe((cls.louise | cls.reader.partner_id).ids)
        cls.from_louise = cls.complaint.message_post(
            body="SECRETBODY from the complainant",
            author_id=cls.louise.id,
            email_from=f"{LOUISE} <{LOUISE_EMAIL}>",
            message_type="email",
            subtype_xmlid="mail.mt_comment",
            attachments=[("louise-receipt.txt", b"SECRETFILE")],
        )
        cls.file = cls.from_louise.attachment_ids
        cls.to_louise = cls.complaint.with_user(cls.agent).message_post(
            body="AGENTREPLY to the complainant",
            partner_ids=cls.louise.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        cls.note = cls.complaint.with_user(cls.agent).message_post(
            body="INTERNALNOTE of the agent",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        cls.rating = cls.env["rating.rating"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id(TICKET),
                "res_id": cls.complaint.id,
                "partner_id": cls.louise.id,
                "rated_partner_id": cls.agent.partner_id.id,
                "rating": 1,
                "feedback": "RATINGTEXT of the complainant",
                "consumed": True,
            }
        )
        cls.louise_follower = cls.env["mail.followers"].search(
            [
                ("res_model", "=", TICKET),
                ("res_id", "=", cls.complaint.id),
                ("partner_id", "=", cls.louise.id),
            ]
        )
        cls.secrets = (
            LOUISE,
            LOUISE_EMAIL,
            "SECRETBODY",
            "AGENTREPLY",
            "SECRETFILE",
            "louise-receipt",
            "RATINGTEXT",
        )
        cls.outsiders = {
            "internal follower without need-to-know": "maildoor_reader",
            "employee without access": "maildoor_employee",
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _assert_no_secret(self, text, who, door):
        for secret in self.secrets:
            self.assertNotIn(secret, text, f"{who} through {door}")

    def _json(self, route, params):
        """The text a JSON route answers, error or not."""
        try:
            result = self.make_jsonrpc_request(route, params)
        except JsonRpcException as error:
            return str(error)
        return json.dumps(result, default=str)

    def _csrf(self):
        return http.Request.csrf_token(self)

    # ------------------------------------------------------------------
    # The route list cannot forget a route
    # ------------------------------------------------------------------
    def test_every_route_is_probed(self):
        IrHttp = self.env["ir.http"]
        routes = set()
        for url, endpoint in IrHttp._generate_routing_rules(
            sorted(self.env.registry._init_modules),
            converters=IrHttp._get_converters(),
        ):
            endpoint = getattr(endpoint, "original_endpoint", endpoint)
            if not getattr(endpoint, "__module__", "").startswith(MODULES):
                continue
            if set(inspect.signature(endpoint).parameters) & RECORD_PARAMETERS:
                routes.add(url)
        self.assertIn("/mail/thread/messages", routes)
        unknown = routes - set(PROBED) - set(NOT_A_COMPLAINT_DOOR)
        self.assertFalse(
            unknown, f"Messaging routes without a probe: {sorted(unknown)}"
        )
        for route in PROBED:
            self.assertIn(route, routes, f"{route} is gone: update the probes")

    # ------------------------------------------------------------------
    # Every door, every outsider
    # ------------------------------------------------------------------
    @mute_logger(
        "odoo.http",
        "odoo.addons.mail.controllers.google_translate",
        "odoo.addons.mail.controllers.mail",
    )
    def test_r_4_7_no_door_gives_the_correspondence_away(self):
        for route, probe in PROBED.items():
            for who, login in self.outsiders.items():
                with self.subTest(route=route, who=who):
                    self.authenticate(login, login)
                    getattr(self, probe)(who, route)
        # nothing was changed on the way
        self.assertIn("SECRETBODY", self.from_louise.body)
        self.assertFalse(self.from_louise.reaction_ids)
        self.assertTrue(self.file.exists())
        self.assertIn(self.louise, self.complaint.message_partner_ids)
        self.assertEqual(self.from_louise.is_internal, False)

    def test_r_4_7_the_complaint_roles_read_the_correspondence(self):
        """Non-blind: the probes find the secrets where they may be seen."""
        self.authenticate("maildoor_agent", "maildoor_agent")
        text = self._thread_messages()
        self.assertIn("SECRETBODY", text)
        self.assertIn("AGENTREPLY", text)
        self.assertIn(LOUISE, text)
        self.assertIn(LOUISE, self._thread_data())
        response = self.url_open(f"/web/content/{self.file.id}")
        self.assertEqual(response.content, b"SECRETFILE")
        # the follower reads the internal notes of the complaint
        self.authenticate("maildoor_reader", "maildoor_reader")
        text = self._thread_messages()
        self.assertIn("INTERNALNOTE", text)
        self.assertIn("Agnes Agent", self._thread_data())

    def test_r_4_7_files_of_complaints_follow_the_complaint(self):
        """Odoo 18 lets any employee read any file by id (RPC read,
        /web/content): not the files of complaints."""
        for who, login in self.outsiders.items():
            with self.subTest(who=who):
                self.authenticate(login, login)
                for url in (
                    f"/web/content/{self.file.id}",
                    f"/web/content/ir.attachment/{self.file.id}/raw",
                    f"/web/content/{self.file.id}?download=true",
                ):
                    self._assert_no_secret(self.url_open(url).text, who, url)
                user = self.env["res.users"].search([("login", "=", login)])
                with self.assertRaises(AccessError):
                    self.file.with_user(user).read(["raw", "name"])
                found = (
                    self.env["ir.attachment"]
                    .with_user(user)
                    .search([("res_model", "=", TICKET)])
                )
                self.assertNotIn(self.file, found, who)

    # ------------------------------------------------------------------
    # The ORM side of the same data
    # ------------------------------------------------------------------
    def test_r_4_7_masked_reader_orm(self):
        reader = self.reader
        Message = self.env["mail.message"].with_user(reader)
        on_complaint = Message.search(
            [("model", "=", TICKET), ("res_id", "=", self.complaint.id)]
        )
        self.assertIn(self.note, on_complaint)
        self.assertFalse((self.from_louise | self.to_louise) & on_complaint)
        self.assertFalse(Message.search([("author_id", "=", self.louise.id)]))
        self.assertFalse(Message.search([("partner_ids", "in", self.louise.ids)]))
        groups = Message.formatted_read_group(
            [("model", "=", TICKET)], ["author_id"], ["__count"]
        )
        self.assertNotIn(
            self.louise.id, [g["author_id"] and g["author_id"][0] for g in groups]
        )
        with self.assertRaises(AccessError):
            self.from_louise.with_user(reader).read(["body", "author_id"])
        with self.assertRaises(AccessError):
            self.to_louise.with_user(reader).read(["partner_ids"])
        # followers: the internal ones only
        Followers = self.env["mail.followers"].with_user(reader)
        followers = Followers.search(
            [("res_model", "=", TICKET), ("res_id", "=", self.complaint.id)]
        )
        self.assertIn(reader.partner_id, followers.partner_id)
        self.assertNotIn(self.louise, followers.partner_id)
        self.assertFalse(Followers.search([("partner_id", "=", self.louise.id)]))
        with self.assertRaises(AccessError):
            self.louise_follower.with_user(reader).read(["partner_id"])
        values = self.complaint.with_user(reader).read(
            ["message_partner_ids", "message_follower_ids"]
        )[0]
        self.assertNotIn(self.louise.id, values["message_partner_ids"])
        self.assertIn(reader.partner_id.id, values["message_partner_ids"])
        self.assertNotIn(self.louise_follower.id, values["message_follower_ids"])
        Ticket = self.env[TICKET].with_user(reader)
        for domain in (
            [("message_partner_ids", "in", self.louise.ids)],
            [("message_partner_ids.email", "=", LOUISE_EMAIL)],
            [("message_follower_ids.partner_id", "=", self.louise.id)],
        ):
            self.assertNotIn(self.complaint, Ticket.search(domain), domain)
        self.assertIn(
            self.complaint,
            Ticket.search([("message_partner_ids", "in", reader.partner_id.ids)]),
        )
        # ratings say who rated and what they felt
        self.assertFalse(
            self.env["rating.rating"]
            .with_user(reader)
            .search([("res_model", "=", TICKET), ("res_id", "=", self.complaint.id)])
        )
        with self.assertRaises(AccessError):
            self.rating.with_user(reader).read(["partner_id", "feedback"])
        # need-to-know: all of it
        Message = self.env["mail.message"].with_user(self.agent)
        self.assertIn(
            self.from_louise, Message.search([("author_id", "=", self.louise.id)])
        )
        self.assertEqual(self.rating.with_user(self.agent).partner_id, self.louise)

    def test_r_4_7_masked_follower_is_not_sent_the_correspondence(self):
        """Odoo would notify every follower of the complainant's messages:
        not the followers who may not read them; the agent still is."""
        message = self.complaint.message_post(
            body="NEWSECRET from the complainant",
            author_id=self.louise.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        notified = message.notification_ids.res_partner_id
        self.assertNotIn(self.reader.partner_id, notified)
        self.assertIn(self.agent.partner_id, notified)
        note = self.complaint.with_user(self.agent).message_post(
            body="Visible note",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn(self.reader.partner_id, note.notification_ids.res_partner_id)

    # ------------------------------------------------------------------
    # Probes, one per door
    # ------------------------------------------------------------------
    def _thread_data(self, route="/mail/data"):
        return self._json(
            route,
            {
                "fetch_params": [
                    [
                        "mail.thread",
                        {
                            "thread_model": TICKET,
                            "thread_id": self.complaint.id,
                            "request_list": [
                                "followers",
                                "attachments",
                                "suggestedRecipients",
                            ],
                        },
                    ]
                ]
            },
        )

    def _thread_messages(self):
        return self._json(
            "/mail/thread/messages",
            {
                "thread_model": TICKET,
                "thread_id": self.complaint.id,
                "fetch_params": {"limit": 50},
            },
        )

    def _probe_thread_data(self, who, route):
        self._assert_no_secret(self._thread_data(route), who, route)

    def _about_the_complaint(self, text):
        """The part of a /mail/thread/messages reply about the complaint: on
        a thread the user may not read, Odoo 19 answers with the other
        messages the user may read (an unfiltered fetch), which is no door to
        the complaint."""
        try:
            reply = json.loads(text)
        except ValueError:
            return text
        if not isinstance(reply, dict) or "messages" not in reply:
            return text
        data = reply.get("data", {})
        return json.dumps(
            [
                entry
                for key in ("mail.message", "mail.thread")
                for entry in data.get(key, [])
                if (entry.get("model"), entry.get("res_id", entry.get("id")))
                == (TICKET, self.complaint.id)
            ]
        )

    def _probe_thread_messages(self, who, route):
        text = self._about_the_complaint(self._thread_messages())
        self._assert_no_secret(text, who, route)
        searched = self._json(
            route,
            {
                "thread_model": TICKET,
                "thread_id": self.complaint.id,
                "fetch_params": {"search_term": "SECRET"},
            },
        )
        self._assert_no_secret(self._about_the_complaint(searched), who, route)

    def _probe_post(self, who, route):
        text = self._json(
            route,
            {
                "thread_model": TICKET,
                "thread_id": self.complaint.id,
                "post_data": {
                    "body": "Probe",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "partner_ids": self.louise.ids,
                },
            },
        )
        self._assert_no_secret(text, who, route)
        self.assertNotIn("Probe", self.complaint.message_ids.mapped("body"), who)

    def _probe_message_redirect(self, who, route):
        for message in (self.from_louise, self.to_louise):
            response = self.url_open(f"/mail/message/{message.id}")
            self._assert_no_secret(response.text, who, route)

    def _probe_view(self, who, route):
        response = self.url_open(
            f"/mail/view?model={TICKET}&res_id={self.complaint.id}"
        )
        self._assert_no_secret(response.text, who, route)
        response = self.url_open(f"/mail/view?message_id={self.from_louise.id}")
        self._assert_no_secret(response.text, who, route)

    def _probe_reaction(self, who, route):
        text = self._json(
            route,
            {"message_id": self.from_louise.id, "content": "👍", "action": "add"},
        )
        self._assert_no_secret(text, who, route)

    def _probe_translate(self, who, route):
        text = self._json(route, {"message_id": self.from_louise.id})
        self._assert_no_secret(text, who, route)

    def _probe_update_content(self, who, route):
        text = self._json(
            route,
            {
                "message_id": self.from_louise.id,
                "body": "Overwritten",
                "attachment_ids": [],
            },
        )
        self._assert_no_secret(text, who, route)

    def _probe_link_preview(self, who, route):
        text = self._json(route, {"message_id": self.from_louise.id})
        self._assert_no_secret(text, who, route)

    def _probe_subscription_data(self, who, route):
        text = self._json(route, {"follower_id": self.louise_follower.id})
        self._assert_no_secret(text, who, route)

    def _probe_upload(self, who, route):
        response = self.url_open(
            route,
            data={
                "thread_id": self.complaint.id,
                "thread_model": TICKET,
                "csrf_token": self._csrf(),
            },
            files={"ufile": ("probe.txt", b"probe", "text/plain")},
        )
        self._assert_no_secret(response.text, who, route)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", TICKET), ("name", "=", "probe.txt")]
            ),
            who,
        )

    def _probe_attachment_delete(self, who, route):
        text = self._json(route, {"attachment_id": self.file.id})
        self._assert_no_secret(text, who, route)
        self.assertTrue(self.file.exists(), who)

    def _probe_zip(self, who, route):
        response = self.url_open(
            route,
            data={
                "file_ids": str(self.file.id),
                "zip_name": "probe.zip",
                "csrf_token": self._csrf(),
            },
        )
        self.assertNotIn(b"SECRETFILE", response.content, who)
        self.assertNotIn(b"louise-receipt", response.content, who)

    def _probe_avatar(self, who, route):
        response = self.url_open(
            f"/mail/avatar/mail.message/{self.from_louise.id}/author_avatar/50x50"
        )
        placeholder = self.url_open("/mail/avatar/mail.message/0/author_avatar/50x50")
        self.assertEqual(response.content, placeholder.content, who)

    def _probe_chatter_fetch(self, who, route):
        text = self._json(
            route, {"thread_model": TICKET, "thread_id": self.complaint.id}
        )
        self._assert_no_secret(text, who, route)

    def _probe_chatter_init(self, who, route):
        text = self._json(
            route, {"thread_model": TICKET, "thread_id": self.complaint.id}
        )
        self._assert_no_secret(text, who, route)

    def _probe_unfollow(self, who, route):
        response = self.url_open(
            f"{route}?model={TICKET}&res_id={self.complaint.id}"
            f"&pid={self.louise.id}&token=x"
        )
        self._assert_no_secret(response.text, who, route)

    def _probe_update_is_internal(self, who, route):
        text = self._json(
            route, {"message_id": self.from_louise.id, "is_internal": True}
        )
        self._assert_no_secret(text, who, route)

    def _probe_subscribe(self, who, route):
        # (un)following a complaint takes write access: neither the outsider
        # joins nor the complainant leaves
        partners = (self.louise | self.env.user.partner_id).ids
        text = self._json(
            route,
            {"res_model": TICKET, "res_id": self.complaint.id, "partner_ids": partners},
        )
        self._assert_no_secret(text, who, route)
        followers = self.complaint.sudo().message_partner_ids
        self.assertIn(self.louise, followers, who)
        self.assertNotIn(self.employee.partner_id, followers, who)

    def _probe_recipients(self, who, route):
        text = self._json(
            route, {"thread_model": TICKET, "thread_id": self.complaint.id}
        )
        self._assert_no_secret(text, who, route)

    def _probe_mailbox(self, who, route):
        self._assert_no_secret(self._json(route, {}), who, route)

    def _probe_pdf_first_page(self, who, route):
        response = self.url_open(f"/mail/attachment/pdf_first_page/{self.file.id}")
        self.assertEqual(response.status_code, 404, who)
        self.assertNotIn(b"SECRETFILE", response.content, who)

    def _probe_update_thumbnail(self, who, route):
        text = self._json(route, {"attachment_id": self.file.id})
        self._assert_no_secret(text, who, route)
        self.assertFalse(self.file.sudo().thumbnail, who)

    def _probe_portal_attachment_remove(self, who, route):
        text = self._json(route, {"attachment_id": self.file.id, "access_token": "x"})
        self._assert_no_secret(text, who, route)
        self.assertTrue(self.file.exists(), who)
