"""The public complaint form against bad input (R-4.3, R-4.7): control
characters, oversize, markup and format strings, failures that store
nothing, and the corrected resubmit stored once."""

import re
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers import complaint_form
from .common import AGENT


@tagged("post_install", "-at_install")
class TestPublicFormInput(HttpCase):
    """R-4.3, R-4.7: the public form stores what was typed, all or nothing."""

    TABLES = ("helpdesk_ticket", "res_partner", "ir_attachment", "mail_message")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "email": "care@example.com",
                "iso10002_web_rate_limit": 2,
                "iso10002_attachment_max_mb": 1,
            }
        )
        agent = new_test_user(cls.env, "form_agent", groups=AGENT)
        cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Web Complaints",
                "is_iso10002": True,
                "sequence": 0,
                "user_ids": [(6, 0, agent.ids)],
            }
        )
        cls.owner = new_test_user(
            cls.env,
            "form_owner",
            groups="base.group_portal",
            name="Olivia Owner",
            email="olivia.owner@example.org",
            password="form_owner",
        )
        cls.owner.partner_id.write({"phone": "+1 555 0142", "street": "7 Private Lane"})
        cls.owner.partner_id.parent_id = cls.env["res.partner"].create(
            {"name": "Owner Organisation Ltd", "is_company": True}
        )

    def _tokens(self):
        page = self.url_open("/complaints/new").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
        return csrf, token

    def _valid(self, **overrides):
        data = {
            "name": "Rita Reader",
            "email": "rita@example.org",
            "phone": "+44 20 5550 0100",
            "street": "1 High Street",
            "zip": "LS1 1AA",
            "city": "Leeds",
            "country_id": "",
            "representative": "Rob Rep",
            "contact_person": "Cara Contact",
            "product_reference": "LMP-1",
            "product_description": "Desk lamp",
            "title": "Lamp arrived broken",
            "description": "The shade was cracked in the box.",
            "problem_date": "2026-03-01",
            "remedy_requested": "yes",
            "remedy_text": "A new shade",
            "consent": "1",
        }
        data.update(overrides)
        return data

    def _post(self, csrf, token, files=None, **overrides):
        return self.url_open(
            f"/complaints/{self.company.id}/submit",
            data=self._valid(csrf_token=csrf, submission_token=token, **overrides),
            files=files,
            allow_redirects=False,
        )

    def _counts(self):
        counts = {}
        for table in (*self.TABLES, "mail_mail"):
            self.env.cr.execute(f"SELECT count(*) FROM {table}")
            counts[table] = self.env.cr.fetchone()[0]
        return counts

    def _stored(self, token):
        return self.env["helpdesk.ticket"].search(
            [("iso10002_submission_token", "=", token)]
        )

    def _assert_rejected_then_stored(self, bad, message, files=None):
        """``bad`` is refused with ``message``, stores nothing, and the same
        form corrected is stored once."""
        csrf, token = self._tokens()
        before = self._counts()
        response = self._post(csrf, token, files=files, **bad)
        self.assertEqual(response.status_code, 400, bad)
        self.assertIn(message, response.text)
        self.assertEqual(self._counts(), before, f"rows left behind by {bad}")
        again = self._post(csrf, token)
        self.assertEqual(again.status_code, 303, bad)
        self.assertEqual(len(self._stored(token)), 1)
        # stored once: the same post again is a double submit
        self.assertEqual(self._post(csrf, token).status_code, 303)
        self.assertEqual(len(self._stored(token)), 1)
        # out of the submission limits for the next round
        self._stored(token).sudo().write(
            {"iso10002_web_mailbox": False, "iso10002_web_client": False}
        )

    def test_control_characters_in_every_field(self):
        """R-4.3: NUL, escape and other control characters are refused with
        a message, in every field, instead of an HTTP 500."""
        for field in self._valid():
            for char in ("\x00", "\x1b\x9f"):
                with self.subTest(field=field, char=repr(char)):
                    self._assert_rejected_then_stored(
                        {field: "a" + char + "b@example.org"},
                        "remove the invisible control characters",
                    )

    def test_oversize_every_field(self):
        for field, limit in (
            ("name", 200),
            ("street", 200),
            ("zip", 20),
            ("city", 100),
            ("phone", 40),
            ("email", 200),
            ("representative", 200),
            ("contact_person", 200),
            ("product_reference", 100),
            ("product_description", 500),
            ("title", 200),
            ("description", 10000),
            ("remedy_text", 2000),
            ("earlier_reference", 40),
        ):
            value = "x" * (limit + 1)
            if field == "email":
                value = value[: -len("@example.org")] + "@example.org"
            with self.subTest(field=field):
                self._assert_rejected_then_stored(
                    {field: value}, f"at most {limit} characters"
                )

    def test_bad_dates_files_and_addresses(self):
        for bad, message in (
            ({"problem_date": "2026-02-30"}, "YYYY-MM-DD"),
            ({"email": "victim@example.org,"}, "valid e-mail address"),
            ({"email": "victim@example.org, other@example.org"}, "valid e-mail"),
        ):
            with self.subTest(bad=bad):
                self._assert_rejected_then_stored(bad, message)
        with self.subTest("file name"):
            self._assert_rejected_then_stored(
                {},
                "its name is not valid",
                files={"attachments": ("a" * 200 + ".pdf", b"%PDF", "application/pdf")},
            )
        # browsers' libraries percent-encode a NUL in a file name; the check
        # holds for whatever reaches the server
        for name in ("a\x00b.pdf", "a\x1bb.pdf"):
            self.assertIn(
                "its name is not valid",
                complaint_form.validate_files(
                    [(name, 4, "application/pdf")], 1024, lambda text: text
                ),
            )
        with self.subTest("files together"):
            part = b"0" * (900 * 1024)
            self._assert_rejected_then_stored(
                {},
                "too large together",
                files=[
                    ("attachments", (f"{n}.pdf", part, "application/pdf"))
                    for n in range(3)
                ],
            )

    def test_markup_and_format_strings_are_stored_as_text(self):
        """R-4.3: what was typed is kept as typed and shown escaped."""
        typed = "<b>%s {0} %(name)s {{ object.name }}</b><script>x</script>"
        csrf, token = self._tokens()
        overrides = {
            field: typed
            for field in (
                "name",
                "street",
                "city",
                "representative",
                "contact_person",
                "product_reference",
                "product_description",
                "title",
                "description",
                "remedy_text",
            )
        }
        response = self._post(csrf, token, **overrides)
        self.assertEqual(response.status_code, 303)
        complaint = self._stored(token)
        self.assertEqual(complaint.partner_name, typed)
        self.assertEqual(complaint.name, typed)
        self.assertEqual(complaint.partner_id.name, typed)
        self.assertEqual(complaint.representative_id.name, typed)
        self.assertEqual(complaint.remedy_requested_text, typed)
        self.assertEqual(complaint.product_description, typed)
        self.assertEqual(complaint.product_reference, typed)
        self.assertIn("&lt;script&gt;", complaint.description)
        self.assertIn("%s {0} %(name)s {{ object.name }}", complaint.description)
        thanks = self.url_open(response.headers["Location"])
        self.assertNotIn("<script>x</script>", thanks.text)
        tracking = self.url_open(
            re.search(r'href="(/my/complaints/[^"]+)"', thanks.text)
            .group(1)
            .replace("&amp;", "&")
        )
        self.assertNotIn("<script>x</script>", tracking.text)
        self.assertIn("&lt;b&gt;%s {0}", tracking.text)

    def test_failing_creation_stores_nothing(self):
        """R-4.3: an error while storing leaves no complaint, contact,
        attachment, message nor mail behind; the corrected resubmit is stored
        once."""
        csrf, token = self._tokens()
        before = self._counts()
        Ticket = self.registry["helpdesk.ticket"]

        def fail(records, files):
            raise UserError("Storage failed, try again")  # pylint: disable=translation-required

        files = {"attachments": ("r.pdf", b"%PDF-1.4 r", "application/pdf")}
        with patch.object(Ticket, "_iso10002_attach_web_files", fail):
            response = self._post(
                csrf, token, files=files, email="olivia.owner@example.org"
            )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Storage failed", response.text)
        self.assertEqual(self._counts(), before)
        response = self._post(csrf, token, files=files)
        self.assertEqual(response.status_code, 303)
        complaint = self._stored(token)
        self.assertEqual(len(complaint), 1)
        self.assertIn("The shade was cracked", complaint.description)
        self.assertTrue(complaint.acknowledged_at)
        self.assertTrue(complaint.sla_line_ids)
        self.assertEqual(len(complaint.attachment_ids), 1)

    # ------------------------------------------------------------------
    # The form is not a lookup service
    # ------------------------------------------------------------------
    def test_existing_address_needs_proof(self):
        """Typing an existing contact's address shows only what was typed;
        the complaint joins that contact's portal only once the owner of the
        address opens the link we e-mail them."""
        csrf, token = self._tokens()
        response = self._post(
            csrf,
            token,
            name="Mallory Typed",
            email=" Olivia.Owner@Example.ORG ",
            phone="",
            street="",
            city="",
            zip="",
        )
        self.assertEqual(response.status_code, 303)
        complaint = self._stored(token)
        owner = self.owner.partner_id
        self.assertNotEqual(complaint.partner_id, owner)
        self.assertEqual(complaint.partner_id.name, "Mallory Typed")
        thanks = self.url_open(response.headers["Location"]).text
        follow = re.search(r'href="(/my/complaints/[^"]+)"', thanks).group(1)
        tracking = self.url_open(follow.replace("&amp;", "&")).text
        self.assertIn(complaint.complaint_reference, tracking)
        for page in (thanks, tracking):
            for stored in (
                "Olivia Owner",
                "+1 555 0142",
                "7 Private Lane",
                "Owner Organisation",
            ):
                self.assertNotIn(stored, page)
        self.authenticate("form_owner", "form_owner")
        self.assertNotIn(
            complaint.complaint_reference, self.url_open("/my/complaints").text
        )
        mail = self.env["mail.mail"].search(
            [("email_to", "=", "olivia.owner@example.org")]
        )
        self.assertEqual(len(mail), 1)
        link = re.search(r'href="[^"]*(/complaints/link/[^"]+)"', mail.body_html)
        self.assertTrue(link)
        # opening the link shows a button; a mail scanner changes nothing
        page = self.url_open(link.group(1))
        self.assertIn(complaint.complaint_reference, page.text)
        self.assertNotEqual(complaint.partner_id, owner)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        done = self.url_open(link.group(1), data={"csrf_token": csrf})
        self.assertTrue(done.url.endswith(f"/my/complaints/{complaint.id}"))
        self.assertEqual(complaint.partner_id, owner)
        self.assertIn(
            complaint.complaint_reference, self.url_open("/my/complaints").text
        )
        # the tracking link the submitter got no longer opens it, and their
        # confirmation page gives no new one
        self.authenticate(None, None)
        old = self.url_open(follow.replace("&amp;", "&"))
        self.assertNotIn(complaint.complaint_reference, old.text)
        thanks = self.url_open(response.headers["Location"]).text
        self.assertIn(complaint.complaint_reference, thanks)
        self.assertNotIn("/my/complaints/", thanks)

    def test_logged_in_owner_is_linked_at_once(self):
        self.authenticate("form_owner", "form_owner")
        csrf, token = self._tokens()
        self._post(csrf, token, email="olivia.owner@example.org")
        self.assertEqual(self._stored(token).partner_id, self.owner.partner_id)

    # ------------------------------------------------------------------
    # Limits and tokens
    # ------------------------------------------------------------------
    def test_rate_limit_keys_on_the_mailbox(self):
        for email in ("rita@example.org", " RITA@Example.org "):
            csrf, token = self._tokens()
            self.assertEqual(self._post(csrf, token, email=email).status_code, 303)
        csrf, token = self._tokens()
        response = self._post(csrf, token, email="Rita@EXAMPLE.ORG")
        self.assertEqual(response.status_code, 400)
        self.assertIn("several complaints from this e-mail address", response.text)
        self.assertFalse(self._stored(token))
        # nor through another company's form
        other = self.env["res.company"].create(
            {"name": "Sister Co", "iso10002_web_rate_limit": 2}
        )
        response = self.url_open(
            f"/complaints/{other.id}/submit",
            data=self._valid(csrf_token=csrf, submission_token=token),
            allow_redirects=False,
        )
        self.assertIn("several complaints from this e-mail address", response.text)
        self.assertFalse(self._stored(token))

    def test_rate_limit_keys_on_the_client(self):
        for number in range(6):  # twice the limit, times three
            csrf, token = self._tokens()
            response = self._post(csrf, token, email=f"person{number // 2}@example.org")
            self.assertEqual(response.status_code, 303)
        csrf, token = self._tokens()
        response = self._post(csrf, token, email="someone.new@example.org")
        self.assertEqual(response.status_code, 400)
        self.assertIn("several complaints from your connection", response.text)

    def test_tokens_are_server_made_bound_and_expiring(self):
        Ticket = self.env["helpdesk.ticket"]
        csrf, _token = self._tokens()
        elsewhere = Ticket._iso10002_issue_submission_token(
            Ticket._iso10002_web_client("203.0.113.9")
        )
        for chosen in ("my-own-token", elsewhere):
            with self.subTest(token=chosen[:12]):
                response = self._post(csrf, chosen)
                self.assertEqual(response.status_code, 400)
                self.assertIn("This form has expired", response.text)
                self.assertFalse(self._stored(chosen))
        # someone else's token, reposted, does not show their thanks page
        other = Ticket.create(
            {
                "name": "Someone else's",
                "description": "<p>Theirs.</p>",
                "team_id": Ticket._iso10002_complaint_teams(self.company)[:1].id,
                "partner_id": self.owner.partner_id.id,
                "channel_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                ).id,
            }
        )
        other.sudo().iso10002_submission_token = elsewhere
        self.assertEqual(
            self.url_open(f"/complaints/thanks/{elsewhere}").status_code, 404
        )
        response = self._post(csrf, elsewhere)
        self.assertNotIn("/complaints/thanks/", response.headers.get("Location", ""))
        client = Ticket._iso10002_web_client("127.0.0.1")
        token = Ticket._iso10002_issue_submission_token(client)
        self.assertTrue(Ticket._iso10002_check_submission_token(token, client))
        later = fields.Datetime.now().replace(microsecond=0)
        with freeze_time(later.replace(year=later.year + 1)):
            self.assertFalse(Ticket._iso10002_check_submission_token(token, client))
