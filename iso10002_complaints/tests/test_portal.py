import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from ..controllers.complaint_portal import Iso10002ComplaintPortal
from .common import AGENT, communicate_decision, web_complaints_team


@tagged("post_install", "-at_install")
class TestComplaintPortal(HttpCase):
    """R-4.2, R-4.3, R-7.3, R-7.9, R-8.3 over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "email": "care@example.com",
                "phone": "+1 555 0100",
                "iso10002_external_recourse": "<p>National Consumer Ombudsman</p>",
                "iso10002_web_rate_limit": 3,
                "iso10002_attachment_max_mb": 1,
            }
        )
        cls.agent = new_test_user(cls.env, "portal_test_agent", groups=AGENT)
        cls.team = web_complaints_team(cls.env, cls.agent)
        cls.portal_user = new_test_user(
            cls.env,
            "chloe_portal",
            groups="base.group_portal",
            name="Chloe Portal",
            email="chloe.portal@example.org",
            password="chloe_portal",
        )
        cls.other_portal = new_test_user(
            cls.env,
            "oscar_portal",
            groups="base.group_portal",
            name="Oscar Portal",
            email="oscar@example.org",
            password="oscar_portal",
        )

    # ------------------------------------------------------------------
    def _form_tokens(self, url="/complaints/new"):
        page = self.url_open(url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        submission = re.search(r'name="submission_token" value="([^"]+)"', page).group(
            1
        )
        return csrf, submission

    def _valid(self, **overrides):
        data = {
            "name": "Rita Reader",
            "email": "rita@example.org",
            "phone": "+44 20 5550 0100",
            "street": "1 High Street",
            "zip": "LS1 1AA",
            "city": "Leeds",
            "title": "Lamp arrived broken",
            "description": "The shade was cracked in the box.",
            "problem_date": "2026-03-01",
            "remedy_requested": "yes",
            "remedy_text": "A new shade",
            "consent": "1",
        }
        data.update(overrides)
        return data

    def _submit(self, files=None, **overrides):
        csrf, submission = self._form_tokens()
        data = self._valid(csrf_token=csrf, submission_token=submission, **overrides)
        return self.url_open(
            f"/complaints/{self.company.id}/submit",
            data=data,
            files=files,
            allow_redirects=False,
        ), submission

    def _complaint(self, token):
        return self.env["helpdesk.ticket"].search(
            [("iso10002_submission_token", "=", token)]
        )

    # ------------------------------------------------------------------
    def test_r_4_2_public_page_from_configuration(self):
        response = self.url_open("/complaints")
        self.assertEqual(response.status_code, 200)
        page = response.text
        for expected in (
            "How to complain",
            "free of charge",
            "care@example.com",
            "+1 555 0100",
            "1 working day",  # the Standard policy: acknowledge within 8 h
            "10 working days",
            "Health and safety",
            "We answer every complaint fairly.",
            "National Consumer Ombudsman",
            'href="/complaints/new"',
        ):
            self.assertIn(expected, page)
        self.env.ref("iso10002_complaints.sla_policy_standard").acknowledge_hours = 4
        self.assertIn("4 working hours", self.url_open("/complaints").text)
        self.env.ref("iso10002_complaints.sla_policy_standard").acknowledge_hours = 1
        self.assertIn("<td>1 working hour</td>", self.url_open("/complaints").text)
        self.assertNotIn("(s)", self.url_open("/complaints").text)

    def test_r_4_3_anonymous_submission_creates_acknowledged_complaint(self):
        response, token = self._submit(
            files={
                "attachments": ("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf")
            }
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"/complaints/thanks/{token}", response.headers["Location"])
        complaint = self._complaint(token)
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.channel_id.iso10002_kind, "web")
        self.assertEqual(complaint.partner_id.email, "rita@example.org")
        self.assertEqual(complaint.partner_id.city, "Leeds")
        self.assertEqual(complaint.iso10002_step, "acknowledged")
        self.assertTrue(complaint.remedy_requested)
        self.assertEqual(complaint.consent_scope, "handling")
        self.assertEqual(complaint.consent_channel, "web")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachment.name, "receipt.pdf")
        thanks = self.url_open(response.headers["Location"]).text
        self.assertIn(complaint.complaint_reference, thanks)
        self.assertIn("We will answer by", thanks)
        ack = complaint.message_ids.filtered(
            lambda m: m.subject and complaint.complaint_reference in m.subject
        )
        self.assertTrue(ack)
        self.assertIn(f"/my/complaints/{complaint.id}?access_token=", ack.body)
        # one promised date, from one source, without a time, wherever the
        # complainant reads it (e-mail, thanks page, tracking page)
        promised = format_date(self.env, complaint.expected_response_date)
        self.assertIn(promised, ack.body)
        self.assertRegex(
            thanks, rf"We will answer by\s*<strong[^>]*>{re.escape(promised)}<"
        )
        page = self.url_open(complaint._iso10002_portal_url()).text
        self.assertIn(promised, page)
        self.assertNotIn("Closing, by", page)
        self.assertNotRegex(page, r"\d{1,2}:\d{2}:\d{2}", "no time shows seconds")

    def test_r_4_3_portal_user_gets_form_prefilled(self):
        self.authenticate("chloe_portal", "chloe_portal")
        page = self.url_open("/complaints/new").text
        self.assertIn('value="chloe.portal@example.org"', page)
        self.assertIn('value="Chloe Portal"', page)

    def test_r_4_3_a_complaint_about_how_a_complaint_was_handled(self):
        """The form takes complaints about the handling itself: they are
        complaints about the process, with the earlier reference as typed."""
        response, token = self._submit(
            about="process", earlier_reference="CMP/2026/00042"
        )
        complaint = self._complaint(token)
        self.assertEqual(complaint.subject, "process")
        self.assertEqual(complaint.iso10002_earlier_reference, "CMP/2026/00042")
        __, token = self._submit(email="other@example.org")
        self.assertEqual(self._complaint(token).subject, "product")
        response, token = self._submit(email="third@example.org", about="other")
        self.assertFalse(self._complaint(token))
        self.assertIn("Please choose what your complaint is about", response.text)
        self.assertIn('id="iso_about_process"', self.url_open("/complaints/new").text)

    def test_r_7_2_returning_complainant_typed_details_are_kept(self):
        """A returning complainant's newly typed phone and address are kept
        with the complaint and offered to update their contact, not dropped."""
        partner = self.portal_user.partner_id
        partner.write({"phone": "+44 1", "street": "Old Road 1", "city": "Leeds"})
        self.authenticate("chloe_portal", "chloe_portal")
        __, token = self._submit(
            name="Chloe Portal",
            email="chloe.portal@example.org",
            phone="+44 2",
            street="New Road 2",
            city="Leeds",
        )
        complaint = self._complaint(token)
        self.assertEqual(complaint.partner_id, partner)
        self.assertEqual(
            complaint.iso10002_typed_contact,
            {"phone": "+44 2", "street": "New Road 2", "zip": "LS1 1AA"},
        )
        self.assertIn("New Road 2", complaint.iso10002_typed_contact_text)
        self.assertIn("differ from their contact", complaint.message_ids[0].body)
        self.assertEqual(partner.phone, "+44 1")  # not changed behind anyone's back
        with self.assertRaises(UserError):
            complaint.with_user(self.agent).write({"iso10002_typed_contact": False})
        complaint.with_user(self.agent).action_iso10002_update_contact()
        self.assertEqual((partner.phone, partner.street), ("+44 2", "New Road 2"))
        self.assertFalse(complaint.iso10002_typed_contact)
        with self.assertRaisesRegex(UserError, "no typed details"):
            complaint.with_user(self.agent).action_iso10002_update_contact()

    def test_bad_input_keeps_what_was_typed(self):
        cases = [
            (
                {"name": "", "consent": ""},
                ["Please give your name", "Please agree"],
            ),
            (
                {"title": ""},
                ["Please say in a few words what your complaint is about."],
            ),
            ({"email": "not-an-email"}, ["valid e-mail address"]),
            ({"title": "x" * 201}, ["at most 200 characters"]),
            ({"remedy_text": ""}, ["what you would like us to do"]),
        ]
        for overrides, messages in cases:
            with self.subTest(overrides=list(overrides)):
                response, token = self._submit(**overrides)
                self.assertEqual(response.status_code, 400)
                for message in messages:
                    self.assertIn(message, response.text)
                self.assertIn('aria-invalid="true"', response.text)
                self.assertIn("The shade was cracked in the box.", response.text)
                self.assertFalse(self._complaint(token))

    def test_attachments_are_checked(self):
        big = b"0" * (1024 * 1024 + 1)
        for files, message in (
            ({"attachments": ("big.pdf", big, "application/pdf")}, "too large"),
            (
                {"attachments": ("run.exe", b"MZ", "application/octet-stream")},
                "cannot be attached",
            ),
            (
                {"attachments": ("page.html", b"<html>", "text/html")},
                "cannot be attached",
            ),
        ):
            with self.subTest(message=message):
                response, token = self._submit(files=files)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertFalse(self._complaint(token))

    def test_injected_html_is_stored_as_text(self):
        response, token = self._submit(
            description='<script>alert("x")</script><b>bold</b>',
            title="<img src=x onerror=alert(1)>",
        )
        self.assertEqual(response.status_code, 303)
        complaint = self._complaint(token)
        self.assertNotIn("<script>", complaint.description)
        self.assertIn("&lt;script&gt;", complaint.description)
        thanks = self.url_open(response.headers["Location"]).text
        self.assertNotIn("<img src=x", thanks)

    def test_double_submit_is_idempotent(self):
        csrf, submission = self._form_tokens()
        data = self._valid(csrf_token=csrf, submission_token=submission)
        url = f"/complaints/{self.company.id}/submit"
        first = self.url_open(url, data=data, allow_redirects=False)
        second = self.url_open(url, data=data, allow_redirects=False)
        self.assertEqual(first.headers["Location"], second.headers["Location"])
        self.assertEqual(len(self._complaint(submission)), 1)

    def test_flooding_is_rate_limited(self):
        for _i in range(3):
            response, _token = self._submit()
            self.assertEqual(response.status_code, 303)
        response, token = self._submit()
        self.assertEqual(response.status_code, 400)
        self.assertIn("several complaints from this e-mail address", response.text)
        self.assertFalse(self._complaint(token))

    @mute_logger("odoo.http")
    def test_missing_csrf_is_rejected(self):
        _csrf, submission = self._form_tokens()
        response = self.url_open(
            f"/complaints/{self.company.id}/submit",
            data=self._valid(submission_token=submission),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._complaint(submission))

    # ------------------------------------------------------------------
    def _decided_complaint(self, partner):
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "Chair squeaks",
                "description": "<p>Squeaks.</p>",
                "team_id": self.team.id,
                "partner_id": partner.id,
                "channel_id": self.env.ref(
                    "helpdesk_mgmt.helpdesk_ticket_channel_phone"
                ).id,
                "user_id": self.agent.id,
            }
        )
        return communicate_decision(
            complaint,
            self.agent,
            "We send a technician.",
            self.env.ref("iso10002_complaints.remedy_37"),
        )

    def _answer(self, complaint, data, token=None):
        url = f"/my/complaints/{complaint.id}"
        if token:
            url += f"?access_token={token}"
        page = self.url_open(url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        action = f"/my/complaints/{complaint.id}/answer"
        if token:
            action += f"?access_token={token}"
        return self.url_open(action, data=dict(data, csrf_token=csrf))

    def test_r_7_3_tracking_only_own_complaints(self):
        mine = self._decided_complaint(self.portal_user.partner_id)
        theirs = self._decided_complaint(self.other_portal.partner_id)
        self.authenticate("chloe_portal", "chloe_portal")
        listing = self.url_open("/my/complaints").text
        self.assertIn(mine.complaint_reference, listing)
        self.assertNotIn(theirs.complaint_reference, listing)
        page = self.url_open(f"/my/complaints/{mine.id}").text
        for expected in (
            mine.complaint_reference,
            "We have sent you our decision",
            "We send a technician.",
            "Repair or rework",
            "Timeline",
            "Do you accept our decision?",
        ):
            self.assertIn(expected, page)
        other = self.url_open(f"/my/complaints/{theirs.id}")
        self.assertNotIn(theirs.complaint_reference, other.text)
        self.assertTrue(other.url.endswith("/my"))

    def test_r_7_3_my_complaints_a_page_at_a_time(self):
        """A complainant with many complaints reads them a page at a time,
        newest first (the page size is 80; 2 here)."""
        complaints = [
            self._decided_complaint(self.portal_user.partner_id) for _ in range(3)
        ]
        self.authenticate("chloe_portal", "chloe_portal")
        with patch.object(Iso10002ComplaintPortal, "_items_per_page", 2):
            first = self.url_open("/my/complaints").text
            second = self.url_open("/my/complaints/page/2").text
        newest, middle, oldest = sorted(
            complaints, key=lambda c: (c.received_at, c.id), reverse=True
        )
        for complaint in (newest, middle):
            self.assertIn(complaint.complaint_reference, first)
            self.assertNotIn(complaint.complaint_reference, second)
        self.assertNotIn(oldest.complaint_reference, first)
        self.assertIn(oldest.complaint_reference, second)
        self.assertIn('href="/my/complaints/page/2"', first)

    def test_r_7_9_accept_from_the_portal(self):
        complaint = self._decided_complaint(self.portal_user.partner_id)
        self.authenticate("chloe_portal", "chloe_portal")
        response = self._answer(complaint, {"answer": "accepted"})
        self.assertIn("your answer is recorded", response.text)
        self.assertNotIn("Do you accept our decision?", response.text)
        self.assertEqual(complaint.complainant_response, "accepted")
        self.assertEqual(complaint.remedy_ids.state, "accepted")
        self.assertTrue(
            complaint.activity_ids.filtered(lambda a: a.user_id == self.agent)
        )

    def test_r_7_9_reject_with_reason_by_token(self):
        complaint = self._decided_complaint(self.other_portal.partner_id)
        complaint._portal_ensure_token()
        response = self._answer(
            complaint, {"answer": "rejected", "reason": ""}, complaint.access_token
        )
        self.assertIn("why you do not accept", response.text)
        # the error stands by the form, not at the top of the page
        self.assertLess(
            response.text.index("Do you accept our decision?"),
            response.text.index("why you do not accept"),
        )
        self.assertIn("#iso_answer", response.url)
        self.assertFalse(complaint.complainant_response)
        self._answer(
            complaint,
            {
                "answer": "rejected",
                "reason": "A technician cannot come before May.",
                "review_type": "internal_review",
            },
            complaint.access_token,
        )
        self.assertEqual(complaint.complainant_response, "rejected")
        self.assertEqual(complaint.iso10002_step, "review")
        self.assertIn("cannot come before May", complaint.rejection_reason)

    def test_r_7_9_iso_10003_provider_chosen_from_the_register(self):
        """ISO 10003: the complainant chooses the external body from the
        company's register, listed on the public page; nothing else."""
        register = self.env["iso10002.dispute.provider"]
        register.search([]).active = False  # the demo register
        foreign = register.create(
            {
                "name": "Elsewhere Arbitration",
                "company_id": self.env["res.company"].create({"name": "Else Co"}).id,
            }
        )
        complaint = self._decided_complaint(self.other_portal.partner_id)
        complaint._portal_ensure_token()
        token = complaint.access_token
        # no register: the external path is not offered, and refused
        page = self.url_open(f"/my/complaints/{complaint.id}?access_token={token}")
        self.assertNotIn("iso_review_external", page.text)
        rejected = {
            "answer": "rejected",
            "reason": "Too slow.",
            "review_type": "external_recourse",
        }
        response = self._answer(complaint, rejected, token)
        self.assertIn("no external body to offer", response.text)
        mediation = register.create(
            {
                "name": "Springfield Mediation Centre",
                "kind": "mediation",
                "scope": "Disputes up to 5,000 USD",
                "cost_note": "50 USD per party",
            }
        )
        public = self.url_open("/complaints").text
        self.assertIn("Springfield Mediation Centre", public)
        self.assertIn("50 USD per party", public)
        self.assertNotIn("Elsewhere Arbitration", public)
        page = self.url_open(f"/my/complaints/{complaint.id}?access_token={token}")
        self.assertIn("Springfield Mediation Centre", page.text)
        self.assertNotIn("Elsewhere Arbitration", page.text)
        # a provider of another company, or none, is refused
        for provider_id in (foreign.id, ""):
            response = self._answer(
                complaint, dict(rejected, provider_id=provider_id), token
            )
            self.assertIn("choose the body", response.text)
            self.assertFalse(complaint.complainant_response)
        self._answer(complaint, dict(rejected, provider_id=mediation.id), token)
        self.assertEqual(complaint.iso10002_step, "review")
        self.assertEqual(complaint.recourse_provider_id, mediation)
        self.assertTrue(complaint.recourse_referred_on)

    def test_answer_with_a_wrong_token_changes_nothing(self):
        complaint = self._decided_complaint(self.other_portal.partner_id)
        response = self.url_open(f"/my/complaints/{complaint.id}?access_token=wrong")
        self.assertNotIn(complaint.complaint_reference, response.text)

    def test_r_8_3_satisfaction_survey_after_closure(self):
        complaint = self._decided_complaint(self.portal_user.partner_id)
        complaint.complainant_response = "accepted"
        complaint.remedy_ids.action_accept()
        complaint.remedy_ids.action_implement()
        complaint.action_iso10002_close()
        survey = complaint.satisfaction_ids
        self.assertEqual(len(survey), 1)
        invitation = complaint.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("How did we handle")
        )
        self.assertIn(f"/complaints/survey/{survey.access_token}", invitation.body)
        url = f"/complaints/survey/{survey.access_token}"
        page = self.url_open(url).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        bad = self.url_open(url, data={"csrf_token": csrf, "score": "9"})
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(survey.submitted_on)
        # sent without a rating: said so, and what was typed or chosen is kept
        empty = self.url_open(
            url, data={"csrf_token": csrf, "fair": "partly", "comment": "Kept text"}
        )
        self.assertEqual(empty.status_code, 400)
        self.assertIn("Please choose a rating from 1 to 5.", empty.text)
        self.assertIn("Kept text", empty.text)
        self.assertRegex(empty.text, r'value="partly"\s+checked')
        self.assertFalse(survey.submitted_on)
        done = self.url_open(
            url,
            data={
                "csrf_token": csrf,
                "score": "4",
                "fair": "yes",
                "objective": "partly",
                "comment": "Quick and polite.",
            },
        )
        self.assertIn("Thank you for telling us", done.text)
        self.assertEqual(survey.score, 4)
        self.assertEqual(survey.fair, "yes")
        self.assertEqual(survey.objective, "partly")
        self.assertEqual(survey.rating_id.rating, 4.0)
        self.assertEqual(complaint.satisfaction_score, 4)
        again = self.url_open(url, data={"csrf_token": csrf, "score": "1"})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(survey.score, 4)

    def test_r_4_7_survey_link_expires(self):
        """An unanswered survey link opens nothing 90 days after it was sent:
        an old link found in a mailbox neither shows nor takes an answer."""
        complaint = self._decided_complaint(self.portal_user.partner_id)
        complaint.complainant_response = "accepted"
        complaint.remedy_ids.action_accept()
        complaint.remedy_ids.action_implement()
        complaint.action_iso10002_close()
        survey = complaint.satisfaction_ids
        url = f"/complaints/survey/{survey.access_token}"
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        survey.sudo().sent_on = fields.Datetime.now() - timedelta(days=91)
        expired = self.url_open(url)
        self.assertEqual(expired.status_code, 410)
        self.assertIn("expired", expired.text)
        self.assertNotIn('name="score"', expired.text)
        late = self.url_open(url, data={"csrf_token": csrf, "score": "5"})
        self.assertEqual(late.status_code, 410)
        self.assertFalse(survey.submitted_on)

    def test_unknown_survey_and_thanks_tokens_are_not_found(self):
        self.assertEqual(self.url_open("/complaints/survey/nope").status_code, 404)
        self.assertEqual(self.url_open("/complaints/thanks/nope").status_code, 404)

    def test_r_4_7_confidential_attachment_and_page_need_to_know(self):
        outsider = new_test_user(
            self.env, "outsider_agent", groups=AGENT, password="outsider_agent"
        )
        self.team.user_ids = [(4, outsider.id)]
        complaint = self._decided_complaint(self.portal_user.partner_id)
        complaint.is_confidential = True
        attachment = self.env["ir.attachment"].create(
            {
                "name": "medical.pdf",
                "raw": b"%PDF-1.4 secret",
                "res_model": "helpdesk.ticket",
                "res_id": complaint.id,
            }
        )
        self.authenticate("outsider_agent", "outsider_agent")
        response = self.url_open(f"/web/content/{attachment.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(b"secret", response.content)
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertNotIn(complaint.complaint_reference, page.text)
        self.authenticate("chloe_portal", "chloe_portal")
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertIn(complaint.complaint_reference, page.text)
