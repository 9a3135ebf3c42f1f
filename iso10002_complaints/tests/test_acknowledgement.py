import ast
import re

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAcknowledgement(ComplaintCase):
    def _ack_messages(self, complaint):
        return complaint.message_ids.filtered(
            lambda m: m.subject and "We received your complaint" in m.subject
        )

    def test_r_7_4_email_complaint_gets_automatic_acknowledgement(self):
        complaint = self._new_complaint(channel_id=self.channel_email.id)
        self.assertEqual(complaint.iso10002_step, "acknowledged")
        self.assertEqual(complaint.acknowledgement_method, "email")
        self.assertTrue(complaint.acknowledged_at)
        message = self._ack_messages(complaint)
        self.assertEqual(len(message), 1)
        self.assertIn(self.complainant, message.partner_ids)
        body = str(message.body)
        self.assertIn(complaint.complaint_reference, message.subject)
        self.assertIn(complaint.complaint_reference, body)
        # expected timeline and contact point
        self.assertIn("We will respond by", body)
        self.assertIn("care@example.com", body)
        self.assertIn("+1 555 0100", body)
        self.assertIn("free of charge", body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.recipient_ids, self.complainant)

    def test_r_7_4_a_batch_is_acknowledged_as_each_complaint_alone(self):
        """E-mailed complaints created together get the acknowledgement a
        complaint created alone gets (the batch posts the messages in one
        insert and creates their e-mails together): the same kind of message,
        author, recipient, thread parent, company and reply-to, its e-mail
        (layout, references, headers, queue) and notification, and the author
        following."""
        others = self.env["res.partner"].create(
            [
                {"name": f"Batch complainant {i}", "email": f"batch{i}@example.org"}
                for i in range(3)
            ]
        )
        alone = self._new_complaint(user=self.agent, channel_id=self.channel_email.id)
        batch = (
            self.env["helpdesk.ticket"]
            .with_user(self.agent)
            .create(
                [
                    self._complaint_vals(
                        name=f"Batch {i}",
                        partner_id=partner.id,
                        channel_id=self.channel_email.id,
                    )
                    for i, partner in enumerate(others)
                ]
            )
        )

        def shape(complaint):
            message = self._ack_messages(complaint)
            self.assertEqual(len(message), 1)
            first = complaint.message_ids.sorted("id")[:1]
            mail = (
                self.env["mail.mail"]
                .sudo()
                .search([("mail_message_id", "=", message.id)])
            )
            self.assertEqual(message.partner_ids, complaint.partner_id)
            self.assertEqual(message.parent_id, first)
            self.assertIn(complaint.complaint_reference, message.subject)
            self.assertIn(complaint.complaint_reference, str(message.body))
            self.assertEqual(mail.recipient_ids, complaint.partner_id)
            self.assertEqual(
                message.notification_ids.res_partner_id, complaint.partner_id
            )
            self.assertEqual(complaint.acknowledgement_method, "email")
            self.assertEqual(complaint.iso10002_step, "acknowledged")
            self.assertIn(self.agent.partner_id, complaint.message_partner_ids)
            notification = message.notification_ids
            self.assertEqual(notification.mail_mail_id, mail)
            # the e-mail's references: the message Odoo answers, then its own
            references = mail.references.split()
            self.assertEqual(references[-1], message.message_id)
            self.assertEqual(references[:-1], [first.message_id])
            return (
                message.message_type,
                message.subtype_id,
                message.author_id,
                message.email_from,
                message.reply_to,
                message.record_company_id,
                message.email_add_signature,
                message.email_layout_xmlid,
                mail.state,
                mail.auto_delete,
                notification.notification_type,
                notification.notification_status,
                sorted(ast.literal_eval(mail.headers or "{}")),
                mail.email_to,
                mail.is_notification,
                mail.scheduled_date,
                self._layout(mail, complaint),
                # who else follows: the agent who wrote it among them
                complaint.message_partner_ids - complaint.partner_id,
            )

        expected = shape(alone)
        self.assertEqual(expected[0], "comment")
        for complaint in batch:
            with self.subTest(complaint=complaint.name):
                self.assertEqual(shape(complaint), expected)

    def test_r_7_4_a_batch_notifies_whom_a_complaint_alone_notifies(self):
        """The recipients of a batch's acknowledgements are fetched together:
        each still reaches its complainant and its complaint's followers of
        comments (the assignee, by inbox or e-mail as they chose), and no
        one who follows a complaint without its comments, even when that
        person is the complainant of another complaint of the batch."""
        self.agent2.notification_type = "inbox"
        self.manager.notification_type = "email"
        note = self.env.ref("mail.mt_note")
        others = self.env["res.partner"].create(
            [
                {"name": f"Batch complainant {i}", "email": f"batch{i}@example.org"}
                for i in range(3)
            ]
        )

        def vals(partner, assignee, quiet_follower=None):
            values = self._complaint_vals(
                partner_id=partner.id,
                user_id=assignee.id,
                channel_id=self.channel_email.id,
            )
            if quiet_follower:
                values["message_follower_ids"] = [
                    Command.create(
                        {
                            "res_model": "helpdesk.ticket",
                            "partner_id": quiet_follower.id,
                            "subtype_ids": [Command.set(note.ids)],
                        }
                    )
                ]
            return values

        Ticket = self.env["helpdesk.ticket"]
        alone = Ticket.create(vals(self.complainant, self.agent2))
        batch = Ticket.create(
            [
                vals(others[0], self.agent2),
                # follows for notes only: the complainant of the first
                vals(others[1], self.manager, quiet_follower=others[0]),
                vals(others[2], self.manager),
            ]
        )
        self.assertIn(others[0], batch[1].message_partner_ids)

        def notified(complaint):
            message = self._ack_messages(complaint)
            return {
                (
                    "complainant"
                    if notification.res_partner_id == complaint.partner_id
                    else notification.res_partner_id.name,
                    notification.notification_type,
                )
                for notification in message.notification_ids
            }

        self.assertEqual(
            notified(alone),
            {("complainant", "email"), (self.agent2.name, "inbox")},
        )
        self.assertEqual(notified(batch[0]), notified(alone))
        for complaint in batch[1:]:
            with self.subTest(complaint=complaint.partner_id.name):
                self.assertEqual(
                    notified(complaint),
                    {("complainant", "email"), (self.manager.name, "email")},
                )

    def test_r_7_4_a_batch_in_a_callers_context_is_ignored(self):
        """Only the addon's own batch defers e-mails and serves recipients:
        a value a caller puts under that context key (over RPC, any context)
        changes nothing, and the message is e-mailed as usual."""
        complaint = self._new_complaint(channel_id=self.channel_email.id)
        for value in ({"message_ids": [1], "recipients": {}}, "batch", 1):
            with self.subTest(value=value):
                message = complaint.with_context(
                    iso10002_email_batch=value
                ).message_post(
                    body="Any news?",
                    partner_ids=complaint.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
                mail = self.env["mail.mail"].search(
                    [("mail_message_id", "=", message.id)]
                )
                self.assertEqual(mail.recipient_ids, complaint.partner_id)
                self.assertEqual(
                    message.notification_ids.res_partner_id, complaint.partner_id
                )

    def _layout(self, mail, complaint):
        """The e-mail's HTML without what belongs to its complaint (name,
        reference, complainant, links and their tokens, numbers, the preview
        text cut at a length)."""
        body = str(mail.body_html)
        for text in (
            complaint.display_name,
            complaint.name,
            complaint.complaint_reference,
            complaint.partner_id.name,
        ):
            body = body.replace(str(text), "…")
        body = re.sub(r'href="[^"]*"', 'href=""', body)
        body = re.sub(r'(<div style="display: none;[^>]*>)[^<]*', r"\1", body)
        return re.sub(r"\d+", "#", body)

    def test_r_7_4_web_complaint_gets_automatic_acknowledgement(self):
        complaint = self._new_complaint(channel_id=self.channel_web.id)
        self.assertEqual(len(self._ack_messages(complaint)), 1)
        self.assertEqual(complaint.iso10002_step, "acknowledged")

    def test_r_7_4_acknowledgement_in_complainant_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.complainant.lang = "fr_FR"
        template = self.env.ref("iso10002_complaints.mail_template_complaint_ack")
        template.with_context(
            lang="fr_FR"
        ).subject = "Réclamation {{ object.complaint_reference }} reçue"
        complaint = self._new_complaint(channel_id=self.channel_email.id)
        subjects = complaint.message_ids.mapped("subject")
        self.assertIn(f"Réclamation {complaint.complaint_reference} reçue", subjects)

    def test_r_7_4_phone_letter_visit_get_logged_acknowledgement(self):
        for channel, method in (
            (self.channel_phone, "phone"),
            (self.channel_letter, "letter"),
            (self.channel_visit, "visit"),
        ):
            with self.subTest(channel=channel.name):
                complaint = self._new_complaint(channel_id=channel.id)
                self.assertEqual(complaint.iso10002_step, "received")
                self.assertFalse(self._ack_messages(complaint))
                complaint.with_user(self.agent).action_iso10002_log_acknowledgement()
                self.assertEqual(complaint.acknowledgement_method, method)
                self.assertEqual(complaint.acknowledged_by_id, self.agent)
                self.assertEqual(complaint.iso10002_step, "acknowledged")
                self.assertIn("Acknowledgement given", complaint.message_ids[0].body)

    def test_r_7_4_acknowledge_once(self):
        complaint = self._new_complaint()
        complaint.action_iso10002_log_acknowledgement()
        with self.assertRaisesMessage(UserError, "already acknowledged"):
            complaint.action_iso10002_log_acknowledgement()

    def test_r_7_4_resend_needs_an_address(self):
        nomail = self.env["res.partner"].create({"name": "No Mail"})
        complaint = self._new_complaint(partner_id=nomail.id)
        with self.assertRaisesMessage(UserError, "no complainant e-mail"):
            complaint.action_iso10002_send_acknowledgement()
        complaint.partner_id.email = "nomail@example.org"
        complaint.action_iso10002_send_acknowledgement()
        self.assertEqual(complaint.acknowledgement_method, "email")
        self.assertEqual(len(self._ack_messages(complaint)), 1)

    def test_r_4_3_e_mailed_complaint_is_received_and_acknowledged(self):
        """An e-mail to the complaints team's alias becomes an acknowledged
        complaint of the sender, who gets the acknowledgement."""
        message = {
            "subject": "Broken lamp",
            "body": "<p>The lamp flickers since day one.</p>",
            "email_from": "Rita Reader <rita.reader@example.org>",
            # as Odoo's mail gateway parses it (helpdesk_mgmt 19 reads "from")
            "from": "Rita Reader <rita.reader@example.org>",
            "author_id": False,
            "message_id": "<lamp-1@example.org>",
        }
        complaint = self.env["helpdesk.ticket"].message_new(
            message, custom_values={"team_id": self.team.id}
        )
        self.assertTrue(complaint.is_complaint)
        self.assertEqual(complaint.channel_id, self.channel_email)
        self.assertEqual(complaint.partner_id.email, "rita.reader@example.org")
        self.assertEqual(complaint.partner_id.name, "Rita Reader")
        self.assertEqual(complaint.iso10002_step, "acknowledged")
        ack = self._ack_messages(complaint)
        self.assertIn(complaint.partner_id, ack.partner_ids)

    def test_plain_team_e_mail_keeps_helpdesk_behaviour(self):
        ticket = self.env["helpdesk.ticket"].message_new(
            {
                "subject": "Question",
                "body": "<p>Hello</p>",
                "email_from": "q@example.org",
                "from": "q@example.org",
                "message_id": "<q-1@example.org>",
            },
            custom_values={"team_id": self.plain_team.id},
        )
        self.assertFalse(ticket.is_complaint)
        self.assertFalse(ticket.channel_id)
